// Browser test suite: builds the default report and every fixture site,
// serves each on 127.0.0.1 and proves every page in every language in a
// real browser (headless Chromium driven by playwright-core):
//
//   - Nu HTML Checker (vnu.jar, Java): zero errors, all pages in one batch;
//   - axe-core: zero violations of WCAG 2.0/2.1 A and AA;
//   - phones (360 and 390 px): no horizontal overflow, charts visible and sized;
//   - the language switcher lands on the same page in the other language;
//   - every page readable with JavaScript off;
//   - print: chapters start on a new page, no navigation chrome;
//   - every internal link and image resolves;
//   - reader search: queries typed into the header field (Chinese of two
//     and four characters, English words and a phrase, French and German)
//     list every page that holds the words and only such pages, each result
//     a link to the heading the match is under with its text marked; the
//     language and year filters; axe with results open; what a query
//     downloads (index files, result pages) stays under 300 KB; `search: false` sites have none;
//   - `build --pdf` (with SOURCE_DATE_EPOCH set): one PDF per language, read
//     with poppler-utils (pdf.mjs): page count in range, every page after the
//     cover numbered, contents numbers = the pages the chapters start on,
//     bookmarks, no near-empty page, metadata (Title, Author, tagged,
//     CreationDate = SOURCE_DATE_EPOCH); the default report built twice
//     gives byte-identical PDFs.
//
// Screenshots (phone 390 and desktop 1280, zh and en, home, a chapter and
// the whole-report page) go to target/browser/screenshots/.
//
// Run: npm ci --prefix tests/browser && npm test --prefix tests/browser
// Exits non-zero on any failure; a missing Chromium, Java or poppler-utils
// (pdfinfo, pdftotext, pdftohtml) is a failure, never a skip.
// CHROMIUM=/path overrides /usr/bin/chromium; NIANBAO_BIN uses a built
// binary instead of `cargo build`; NIANBAO_SITES=a,b checks those sites
// only; SOURCE_DATE_EPOCH (default 1700000000)
// is the build date given to `build --pdf`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { checkPdf, popplerMissing } from './pdf.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const work = path.join(repo, 'target', 'browser');
const shots = path.join(work, 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PHONE_WIDTHS = [360, 390];
// The build date of the PDFs: their CreationDate must be this instant.
const PDF_EPOCH = process.env.SOURCE_DATE_EPOCH || '1700000000';

// ---- results -------------------------------------------------------------

const failures = [];
const counts = { sites: 0, pages: 0, checks: 0, vnuErrors: 0, axeViolations: 0, pdfs: 0, screenshots: 0 };

function check(ok, what) {
  counts.checks += 1;
  if (!ok) {
    failures.push(what);
    console.log(`  FAIL ${what}`);
  }
  return ok;
}

function fatal(message) {
  console.error(`\nbrowser tests: FAILED before running: ${message}`);
  process.exit(1);
}

// ---- preflight: the tools must be there (fail loudly, never skip) --------

function preflight() {
  if (!fs.existsSync(CHROMIUM)) {
    fatal(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium fonts-noto-cjk) or set CHROMIUM=/path/to/chromium.`);
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    fatal('Java not found: the Nu HTML Checker (vnu.jar) needs Java 11+. Install it (Debian/Ubuntu: sudo apt-get install -y default-jre-headless).');
  }
  const poppler = popplerMissing();
  if (poppler.length) {
    fatal(`${poppler.join(', ')} not found: the PDF checks read the PDFs with poppler-utils. Install it (Debian/Ubuntu: sudo apt-get install -y poppler-utils).`);
  }
  let playwright;
  try {
    playwright = require('playwright-core');
    require.resolve('axe-core/axe.min.js');
    require.resolve('vnu-jar');
  } catch (e) {
    fatal(`npm packages missing (${e.message}). Run: npm ci --prefix tests/browser`);
  }
  return playwright;
}

// ---- building the sites --------------------------------------------------

function nianbaoBinary() {
  if (process.env.NIANBAO_BIN) return path.resolve(process.env.NIANBAO_BIN);
  console.log('== cargo build');
  const built = spawnSync('cargo', ['build', '--quiet', '--locked'], { cwd: repo, stdio: 'inherit' });
  if (built.error || built.status !== 0) fatal('cargo build failed');
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(repo, process.env.CARGO_TARGET_DIR) : path.join(repo, 'target');
  return path.join(targetDir, 'debug', process.platform === 'win32' ? 'nianbao.exe' : 'nianbao');
}

/** languages and base path, read from report.yaml (the suite's own tiny reader). */
function reportInfo(root) {
  // A series keeps what its years share in content/series.yaml.
  const series = path.join(root, 'content', 'series.yaml');
  const file = fs.existsSync(series) ? series : path.join(root, 'content', 'report.yaml');
  const yaml = fs.readFileSync(file, 'utf8');
  const langs = (yaml.match(/^languages:\s*\[([^\]]*)\]/m) || [])[1];
  if (!langs) throw new Error(`${file}: no languages: [..] line`);
  const languages = langs.split(',').map((s) => s.trim().replace(/^["']|["']$/g, ''));
  const base = (yaml.match(/^base_url:\s*"?([^"\n]*)"?/m) || [])[1] || '/';
  let basePath = base.replace(/^https?:\/\/[^/]+/, '') || '/';
  if (!basePath.endsWith('/')) basePath += '/';
  return { languages, basePath };
}

const SITES = [
  // reproducible: built a second time, the PDFs must be byte-identical.
  { name: 'default', root: repo, pdf: true, screenshots: true, darkMode: true, reproducible: true,
    // Reader search: from a page, a query, chapters that must be among the results.
    searches: [
      { from: '', query: '献血', expect: ['rescue-donation/'] },
      { from: 'rescue-donation/', query: '无偿献血', expect: ['rescue-donation/'] },
      { from: '', query: '造血干细胞', expect: ['rescue-donation/'] },
      { from: 'en/', query: 'blood', expect: ['en/rescue-donation/'] },
      { from: 'en/', query: 'haematopoietic stem cell', expect: ['en/rescue-donation/'] },
      // A word finds the words it starts: volunteer → volunteers.
      { from: 'en/', query: 'volunteer', expect: ['en/epidemic-poverty/'] },
    ] },
  { name: 'bilingual', root: path.join(repo, 'tests/fixtures/bilingual'), pdf: false },
  // Served below /reports/2021/ (its base_url): the script finds the index there.
  { name: 'english-default', root: path.join(repo, 'tests/fixtures/english-default'), pdf: false,
    searches: [{ from: 'outreach/', query: 'flood season', expect: ['relief/'] }] },
  { name: 'english-only', root: path.join(repo, 'tests/fixtures/english-only'), pdf: false,
    searches: [{ from: '', query: 'grants', expect: ['programs/'] }] },
  // search: false in its report.yaml.
  { name: 'trilingual', root: path.join(repo, 'tests/fixtures/trilingual'), pdf: true, searchOff: true },
  // Money and numbers in four languages (en, fr, de, zh) with the default theme.
  { name: 'money', root: path.join(repo, 'tests/fixtures/money'), pdf: false,
    searches: [
      { from: 'fr/', query: 'puits', expect: ['fr/water/'] },
      { from: 'fr/communities/', query: 'eau potable', expect: ['fr/communities/'] },
      { from: 'de/', query: 'Brunnen', expect: ['de/water/'] },
      // Every language at once (the language filter on "all").
      { from: 'fr/water/', query: 'USD', lang: '', expect: ['water/', 'fr/water/', 'de/water/'] },
    ] },
  // A series: the languages of each year (2019 is Chinese only).
  { name: 'series', root: path.join(repo, 'tests/fixtures/series'), pdf: true,
    years: { 2019: ['zh'], 2020: ['zh', 'en'], 2021: ['zh', 'en'] },
    searches: [
      { from: 'en/2021/', query: 'flood season', expect: ['en/2020/relief/', 'en/2021/relief/'] },
      { from: 'en/2021/', query: 'flood season', year: '2020', expect: ['en/2020/relief/'] },
    ] },
  // Photos (issue 16): generated photos (one stored sideways), a screenshot,
  // a caption without a photo, a cover photo and a gallery; the PDF prints
  // the print variants.
  { name: 'photos', root: path.join(repo, 'tests/fixtures/photos'), pdf: true },
];

function buildSite(bin, site, out = path.join(work, 'sites', site.name)) {
  site.out = site.out || out;
  const args = ['build', '--root', site.root, '--output', out];
  if (site.pdf) args.push('--pdf');
  const env = { ...process.env, NIANBAO_CHROMIUM: process.env.NIANBAO_CHROMIUM || CHROMIUM, SOURCE_DATE_EPOCH: PDF_EPOCH };
  const run = spawnSync(bin, args, { encoding: 'utf8', env });
  if (run.status !== 0) fatal(`nianbao ${args.join(' ')} failed:\n${run.stderr}`);
  console.log(`   ${site.name}: ${run.stderr.trim().split('\n').pop()}`);
  if (out !== site.out) return;
  Object.assign(site, reportInfo(site.root));
  site.pages = htmlFiles(site.out).map((f) => path.relative(site.out, f).split(path.sep).join('/'));
}

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(p));
    else if (entry.name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

// ---- Nu HTML Checker -----------------------------------------------------

function runVnu(files) {
  const jar = require('vnu-jar');
  const run = spawnSync('java', ['-Xss2m', '-jar', jar, '--errors-only', '--format', 'json', '--exit-zero-always', ...files], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) fatal(`vnu could not run: ${run.error.message}`);
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    fatal(`vnu gave no JSON (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  counts.vnuErrors += errors.length;
  counts.checks += files.length;
  for (const m of errors) {
    const file = decodeURIComponent((m.url || '').replace(/^file:/, ''));
    failures.push(`vnu: ${path.relative(work, file)}:${m.lastLine ?? '?'}: ${m.message}`);
    console.log(`  FAIL vnu ${path.relative(work, file)}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}: ${m.message}\n       ${(m.extract || '').replace(/\n/g, ' ')}`);
  }
}

// ---- a tiny static server ------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8', '.pdf': 'application/pdf',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.js': 'text/javascript',
};

/** Serves `dir` at `basePath` on 127.0.0.1 (any free port); resolves to the server. */
function serve(dir, basePath) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const notFound = () => {
      const page = path.join(dir, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.existsSync(page) ? fs.readFileSync(page) : 'not found');
    };
    if (!pathname.startsWith(basePath)) return notFound();
    let file = path.resolve(dir, '.' + path.posix.normalize('/' + pathname.slice(basePath.length)));
    if (!file.startsWith(dir)) return notFound();
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: pathname + '/' }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!fs.existsSync(file)) return notFound();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- page checks ---------------------------------------------------------

/** The page's path without its language folder: "en/relief/" -> "relief/". */
function pageKey(site, rel) {
  const dir = rel.replace(/index\.html$/, '');
  const first = dir.split('/')[0];
  if (site.languages.slice(1).includes(first)) return dir.slice(first.length + 1);
  return dir;
}

/** How many languages the switcher of page `rel` lists: a year of a series
 * may have fewer than the series (and none when it has one). */
function switcherLanguages(site, rel) {
  const year = site.years && site.years[pageKey(site, rel).split('/')[0]];
  if (!year) return site.languages.length;
  return year.length > 1 ? year.length : 0;
}

/** Every PDF `build --pdf` writes: per language, and per year in a series. */
function pdfFiles(site) {
  if (!site.years) return site.languages.map((lang) => `${lang}/report.pdf`);
  return Object.entries(site.years).flatMap(([year, langs]) => langs.map((lang) => `${lang}/${year}/report.pdf`));
}

function langOf(site, rel) {
  const first = rel.split('/')[0];
  return site.languages.slice(1).includes(first) ? first : site.languages[0];
}

/** axe-core on the page as it is now: zero violations of AXE_TAGS. */
async function checkAxe(page, axeSource, where) {
  await page.addScriptTag({ content: axeSource });
  const axe = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary.replace(/\n/g, ' ')}`).slice(0, 3) }));
  }, AXE_TAGS);
  counts.axeViolations += axe.length;
  check(axe.length === 0, `${where}: axe ${axe.map((v) => `${v.id} (${v.help}): ${v.nodes.join(' | ')}`).join('; ')}`);
}

async function checkPage(ctx, site, rel) {
  const { page, noJs, base, axeSource } = ctx;
  const url = base + rel.replace(/index\.html$/, '');
  const where = `${site.name}/${rel}`;
  const response = await page.goto(url, { waitUntil: 'load' });
  const expected = rel === '404.html' ? 404 : 200;
  if (!check(response && (response.status() === expected || (rel === '404.html' && response.status() === 200)), `${where}: HTTP ${response && response.status()}`)) return;
  const isPrint = /(^|\/)print\/index\.html$/.test(rel);
  // In a series, `2021/` is a year's cover, not a chapter.
  const isYearHome = Boolean(site.years) && /^\d{4}\/$/.test(pageKey(site, rel));
  const isChapter = !isPrint && !isYearHome && rel !== '404.html' && pageKey(site, rel) !== '';

  // axe-core at desktop width, with every data table open.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await checkAxe(page, axeSource, where);

  // Basic structure: one h1, a main landmark, lang on <html>.
  const structure = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    lang: document.documentElement.lang,
    skip: !!document.querySelector('a.skip-link[href="#main"]'),
  }));
  check(structure.h1 === 1, `${where}: ${structure.h1} h1 elements`);
  check(structure.main === 1, `${where}: ${structure.main} main landmarks`);
  check(!!structure.lang, `${where}: no lang on <html>`);
  check(structure.skip, `${where}: no skip link`);

  // Internal links, stylesheets and images resolve (files exist; fragments exist on this page).
  const links = await page.evaluate(() => [
    ...[...document.querySelectorAll('a[href], link[rel="stylesheet"][href]')].map((a) => a.href),
    ...[...document.querySelectorAll('img[src]')].map((i) => i.src),
  ]);
  const origin = new URL(base).origin;
  for (const href of new Set(links)) {
    const target = new URL(href);
    if (target.origin !== origin) continue;
    if (target.pathname === new URL(url).pathname && target.hash) {
      const id = decodeURIComponent(target.hash.slice(1));
      const found = await page.evaluate((i) => !!document.getElementById(i), id);
      check(found, `${where}: in-page link #${id} has no target`);
      continue;
    }
    const pathname = decodeURIComponent(target.pathname);
    let ok = pathname.startsWith(site.basePath);
    if (ok) {
      let file = path.join(site.out, pathname.slice(site.basePath.length));
      if (pathname.endsWith('/')) file = path.join(file, 'index.html');
      ok = fs.existsSync(file) && fs.statSync(file).isFile();
    }
    check(ok, `${where}: broken link ${href}`);
  }

  // Charts at desktop width.
  await checkCharts(page, where, 1280);

  // Phones: no horizontal overflow (data tables open too), charts fit.
  for (const width of PHONE_WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const overflow = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= vw + 1) continue;
        // Content inside a horizontally scrolling box (a wide table) is fine.
        let p = el.parentElement;
        let scrolls = false;
        while (p && p !== document.body) {
          const s = getComputedStyle(p);
          if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.getBoundingClientRect().right <= vw + 1) { scrolls = true; break; }
          p = p.parentElement;
        }
        if (!scrolls) wide.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''} right=${Math.round(r.right)}`);
      }
      return { scroll: document.documentElement.scrollWidth, vw, wide: wide.slice(0, 4) };
    });
    check(overflow.scroll <= overflow.vw && overflow.wide.length === 0,
      `${where}: horizontal overflow at ${width}px (scrollWidth ${overflow.scroll} > ${overflow.vw}; ${overflow.wide.join(', ')})`);
    await checkCharts(page, where, width);
  }
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = false; }));

  // Screenshots.
  if (site.screenshots && (rel === 'index.html' || rel === 'en/index.html' || isPrint || (isChapter && /^(en\/)?epidemic-poverty\//.test(rel)))) {
    const lang = langOf(site, rel);
    const name = isPrint ? 'print' : isChapter ? 'chapter' : 'home';
    for (const [label, width] of [['phone', 390], ['desktop', 1280]]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: path.join(shots, `${name}-${lang}-${label}.png`), fullPage: !isPrint });
      counts.screenshots += 1;
    }
    if (isPrint) {
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: path.join(shots, `print-${lang}-paper.png`), fullPage: false });
      counts.screenshots += 1;
      await page.emulateMedia({ media: 'screen' });
    }
  }

  // Language switcher: lands on the same page in each other language.
  if (site.languages.length > 1 && rel !== '404.html') {
    const switches = await page.evaluate(() => [...document.querySelectorAll('.language-switcher a')].map((a) => ({
      href: a.href, current: a.getAttribute('aria-current') === 'page', tag: a.getAttribute('hreflang'),
    })));
    const expected = switcherLanguages(site, rel);
    check(switches.length === expected, `${where}: switcher has ${switches.length} languages, expected ${expected}`);
    for (const s of switches) {
      const targetRel = decodeURIComponent(new URL(s.href).pathname).slice(site.basePath.length) + 'index.html';
      if (s.current) {
        check(targetRel === rel, `${where}: switcher's current language points to ${targetRel}`);
        continue;
      }
      check(site.pages.includes(targetRel) && pageKey(site, targetRel) === pageKey(site, rel),
        `${where}: switcher to ${s.tag} lands on ${targetRel}, not the same page`);
      const other = await ctx.fetchLang(s.href);
      check(other === s.tag, `${where}: switcher to ${s.tag} lands on a page with lang="${other}"`);
    }
  }

  // Print: chapters on a new page, no navigation chrome.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  const print = await page.evaluate(() => {
    const hidden = (sel) => [...document.querySelectorAll(sel)].every((el) => {
      const r = el.getBoundingClientRect();
      return getComputedStyle(el).display === 'none' || r.width === 0 || r.height === 0;
    });
    const breaks = [...document.querySelectorAll('.print-chapter, .chapter-opener')]
      .filter((el) => !el.closest('.print-chapter') || el.classList.contains('print-chapter'))
      .map((el) => getComputedStyle(el).breakBefore);
    return {
      chrome: {
        'header nav': hidden('header nav, .site-header'),
        'footer nav': hidden('footer nav, .site-footer'),
        'skip link': hidden('.skip-link'),
        'language switcher': hidden('.language-switcher'),
        'chapter contents': hidden('nav.toc'),
        'pager': hidden('.pager'),
      },
      breaks,
      chapters: document.querySelectorAll('.print-chapter').length,
      text: document.querySelector('main')?.innerText.trim().length ?? 0,
    };
  });
  for (const [what, ok] of Object.entries(print.chrome)) check(ok, `${where}: ${what} visible in print`);
  if (isChapter || isPrint) {
    check(print.breaks.length > 0 && print.breaks.every((b) => b === 'page'), `${where}: chapters must start on a new page in print (break-before: ${print.breaks.join(',') || 'none'})`);
  }
  check(print.text > 0, `${where}: nothing printed`);
  await page.emulateMedia({ media: 'screen' });
  // By the PDF printed from this page: `en/report.pdf`, `en/2021/report.pdf`.
  if (isPrint) {
    const pdf = `${langOf(site, rel)}/${pageKey(site, rel).replace(/print\/$/, '')}report.pdf`;
    ctx.printChapters.set(pdf, print.chapters);
    // What the PDF must show: each chapter's title, anchor and the page
    // number its contents entry gives (`.toc-page`, filled when printing).
    ctx.printInfo.set(pdf, await page.evaluate(() => ({
      organisation: document.querySelector('.print-cover .cover-org')?.textContent.trim() ?? '',
      contentsHeading: document.querySelector('.print-contents h2')?.textContent.trim() ?? '',
      // The headings of the parts before the chapters (highlights, foreword, contents).
      frontHeadings: [...document.querySelectorAll('main h2')].filter((h) => !h.closest('.print-chapter'))
        .map((h) => h.textContent.replace(/\s+/g, ' ').trim()).filter(Boolean),
      chapters: [...document.querySelectorAll('.print-contents .print-toc > li')].map((li) => {
        const a = li.querySelector(':scope > a');
        const anchor = decodeURIComponent((a?.getAttribute('href') || '').replace(/^#/, ''));
        const chapter = anchor ? document.getElementById(anchor) : null;
        const tocTitle = (li.querySelector(':scope > a .print-toc-title') || a)?.textContent.replace(/\s+/g, ' ').trim() ?? '';
        return {
          anchor,
          tocTitle,
          title: chapter?.querySelector('.chapter-title, h2')?.textContent.replace(/\s+/g, ' ').trim() || tocTitle,
          tocPage: [...li.querySelectorAll('.toc-page')].find((el) => el.dataset.toc === anchor && el.closest('li') === li)?.textContent.trim() ?? '',
        };
      }),
    })));
  }

  // JavaScript off: the same content is there, visible.
  await page.setViewportSize({ width: 390, height: 844 });
  const withJs = await page.evaluate(() => document.querySelector('main')?.textContent.replace(/\s+/g, ' ').trim().length ?? 0);
  await noJs.goto(url, { waitUntil: 'load' });
  const bare = await noJs.evaluate(() => ({
    main: document.querySelector('main')?.textContent.replace(/\s+/g, ' ').trim().length ?? 0,
    h1: document.querySelector('h1')?.innerText.trim() ?? '',
    visible: (() => { const r = document.querySelector('main')?.getBoundingClientRect(); return !!r && r.height > 50; })(),
  }));
  check(bare.main > 0 && bare.main >= withJs && bare.h1 !== '' && bare.visible,
    `${where}: without JavaScript main has ${bare.main} characters (${withJs} with it), h1 "${bare.h1}"`);
  counts.pages += 1;
}

async function checkCharts(page, where, width) {
  const charts = await page.evaluate(() => [...document.querySelectorAll('figure.chart-figure')].map((f) => {
    const svg = f.querySelector('svg');
    const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0, right: 0 };
    const s = svg ? getComputedStyle(svg) : null;
    return {
      id: f.id, width: r.width, height: r.height, right: r.right,
      shown: !!s && s.display !== 'none' && s.visibility !== 'hidden',
      role: svg?.getAttribute('role'), label: !!(svg?.querySelector('title')?.textContent.trim()),
      caption: !!f.querySelector('figcaption')?.textContent.trim(),
      vw: document.documentElement.clientWidth,
    };
  }));
  for (const c of charts) {
    check(c.shown && c.width >= Math.min(240, c.vw - 48) && c.height >= 60 && c.right <= c.vw + 1,
      `${where}: chart ${c.id} at ${width}px is ${Math.round(c.width)}x${Math.round(c.height)} (right ${Math.round(c.right)} of ${c.vw})`);
    check(c.role === 'img' && c.label && c.caption, `${where}: chart ${c.id} lacks role=img, title or caption`);
  }
}

/** The dark colour scheme (prefers-color-scheme: dark) keeps AA contrast. */
async function checkDarkMode(browser, site, base, axeSource) {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    for (const rel of site.pages) {
      await page.goto(base + rel.replace(/index\.html$/, ''), { waitUntil: 'load' });
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await checkAxe(page, axeSource, `${site.name}/${rel} (dark mode)`);
    }
  } finally {
    await context.close();
  }
}

// ---- reader search -------------------------------------------------------

/** Budget: what one query downloads (SPEC "Reader search"): the index
 * files and the result pages the script fetches for their snippets. */
const SEARCH_BYTES = 300 * 1024;

/** The words a page's search would find: its main text without navigation,
 * scripts or charts, text nodes joined by spaces (as the index reads it). */
function pageWords() {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('nav, script, style, template, svg').forEach((n) => n.remove());
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  return parts.join(' ').replace(/\s+/g, ' ').toLowerCase();
}

/** The pages `search` in `lang` must find: those holding the query as
 * written at the start of a word (CJK: anywhere), and those it may find:
 * holding every word (a word may start a longer one). */
async function searchOracle(ctx, site, lang, query) {
  const q = query.toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  const cjk = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(q);
  const escaped = q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const asWritten = cjk ? null : new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}`, 'u');
  const must = new Set();
  const may = new Set();
  for (const rel of site.pages) {
    if (langOf(site, rel) !== lang || rel === '404.html' || /(^|\/)print\//.test(rel)) continue;
    const key = rel.replace(/index\.html$/, '');
    if (site.years && !/\d{4}\//.test(key)) continue; // a series' own pages are not indexed
    await ctx.probePage.goto(ctx.base + key, { waitUntil: 'domcontentloaded' });
    const text = await ctx.probePage.evaluate(pageWords);
    if (cjk ? text.includes(q) : asWritten.test(text)) must.add(key);
    if (words.every((w) => text.includes(w))) may.add(key);
  }
  return { must, may };
}

async function checkSearch(ctx, site) {
  const { page, base, axeSource } = ctx;
  for (const s of site.searches || []) {
    const where = `${site.name}: search "${s.query}" from /${s.from}${s.year ? ` in ${s.year}` : ''}`;
    const bytes = { index: 0 };
    const onResponse = async (response) => {
      if (response.request().resourceType() !== 'fetch') return;
      try { bytes.index += (await response.body()).length; } catch { /* aborted */ }
    };
    await page.setViewportSize({ width: 1280, height: 900 });
    // From the page's opening: the script loads index.json then (for the
    // years), and that download is the first query's too.
    page.on('response', onResponse);
    await page.goto(base + s.from, { waitUntil: 'load' });
    const form = await page.$('form[role="search"] input[type="search"]');
    if (!check(form, `${where}: no search field after the script ran`)) { page.off('response', onResponse); continue; }
    if (s.lang !== undefined) await page.selectOption('form[role="search"] select[name="lang"]', s.lang);
    if (s.year) {
      await page.waitForSelector(`form[role="search"] select[name="year"] option[value="${s.year}"]`, { state: 'attached' });
      await page.selectOption('form[role="search"] select[name="year"]', s.year);
    }
    // Typed as a reader types: results come without pressing Enter.
    await page.type('#site-search-q', s.query, { delay: 20 });
    await page.waitForFunction(() => {
      const panel = document.querySelector('.search-panel');
      return panel && !panel.hidden && document.querySelector('#site-search-status').textContent !== '';
    }, null, { timeout: 10000 });
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    const results = await page.$$eval('#site-search-results > li', (lis) => lis.map((li) => ({
      href: li.querySelector('a').href,
      title: li.querySelector('a').textContent,
      meta: (li.querySelector('.search-meta') || {}).textContent || '',
      mark: (li.querySelector('mark') || {}).textContent || '',
      lang: li.lang,
    })));
    const status = await page.textContent('#site-search-status');
    check(status.includes(String(results.length)), `${where}: the status "${status}" does not count ${results.length} results`);
    check(results.length > 0, `${where}: no results`);
    const origin = new URL(base).origin;
    const found = new Set(results.map((r) => new URL(r.href).pathname.slice(new URL(base).pathname.length)));
    for (const want of s.expect) check(found.has(want), `${where}: ${want} not among the results (${[...found].join(', ')})`);
    for (const r of results) {
      const target = new URL(r.href);
      check(target.origin === origin, `${where}: result ${r.href} leaves the site`);
      check(r.title.trim() !== '', `${where}: a result without a title (${r.href})`);
      check(r.mark !== '' && s.query.toLowerCase().includes(r.mark.toLowerCase()), `${where}: ${r.href}: marked "${r.mark}", not part of the query`);
      if (s.year) check(r.meta.includes(s.year), `${where}: ${r.href} is not of ${s.year} (${r.meta})`);
      // The link's heading exists on the page it points to.
      if (target.hash) {
        await ctx.probePage.goto(r.href, { waitUntil: 'domcontentloaded' });
        const id = decodeURIComponent(target.hash.slice(1));
        const heading = await ctx.probePage.evaluate((id) => {
          const e = document.getElementById(id);
          return e ? e.textContent.trim() : null;
        }, id);
        check(heading !== null && heading.includes(r.title.trim()), `${where}: ${r.href}: no heading "${r.title}" there (${heading})`);
      }
    }
    // Every page holding the query is found, and only pages holding its words.
    const langs = s.lang === '' ? site.languages : [langOf(site, s.from + 'index.html')];
    for (const lang of langs) {
      const { must, may } = await searchOracle(ctx, site, lang, s.query);
      const inYear = (key) => !s.year || key.includes(`${s.year}/`);
      for (const key of must) if (inYear(key)) check(found.has(key), `${where}: ${key} holds "${s.query}" but is not listed`);
      for (const key of found) {
        if (langOf(site, key + 'index.html') === lang) check(may.has(key), `${where}: ${key} listed but does not hold every word of "${s.query}"`);
      }
    }
    check(bytes.index > 0 && bytes.index <= SEARCH_BYTES, `${where}: the query fetched ${bytes.index} bytes (budget ${SEARCH_BYTES})`);
    console.log(`   search "${s.query}"${s.year ? ` (${s.year})` : ''}${s.lang === '' ? ' (all languages)' : ''}: ${results.length} results, ${(bytes.index / 1024).toFixed(1)} KB fetched`);
    // Open results: still accessible; Escape empties the field and closes them.
    await checkAxe(page, axeSource, `${where} (results open)`);
    await page.focus('#site-search-q');
    await page.keyboard.press('Escape');
    const closed = await page.evaluate(() => document.querySelector('#site-search-q').value === '' && document.querySelector('.search-panel').hidden);
    check(closed, `${where}: Escape did not clear the search`);
  }
  if (site.searchOff) {
    const html = site.pages.map((rel) => fs.readFileSync(path.join(site.out, rel), 'utf8'));
    check(!fs.existsSync(path.join(site.out, 'search')), `${site.name}: search: false but search/ was written`);
    check(html.every((h) => !h.includes('site-search')), `${site.name}: search: false but a page has the search field`);
  }
}

function isPdf(file) {
  return fs.readFileSync(file).subarray(0, 5).toString('latin1') === '%PDF-';
}

// ---- main ----------------------------------------------------------------

async function main() {
  const { chromium } = preflight();
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const bin = nianbaoBinary();
  console.log('== building the sites');
  // NIANBAO_SITES=default,money checks those sites only (while working on them).
  const only = (process.env.NIANBAO_SITES || '').split(',').filter(Boolean);
  if (only.length) SITES.splice(0, SITES.length, ...SITES.filter((s) => only.includes(s.name)));
  for (const site of SITES) buildSite(bin, site);

  console.log('== Nu HTML Checker');
  const allHtml = SITES.flatMap((s) => s.pages.map((p) => path.join(s.out, p)));
  runVnu(allHtml);
  console.log(`   ${allHtml.length} files, ${counts.vnuErrors} errors`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  try {
    for (const site of SITES) {
      counts.sites += 1;
      const server = await serve(site.out, site.basePath);
      const base = `http://127.0.0.1:${server.address().port}${site.basePath}`;
      console.log(`== ${site.name} (${site.languages.join(', ')}) at ${base}: ${site.pages.length} pages`);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const noJsContext = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const noJs = await noJsContext.newPage();
      const probe = await context.newPage();
      const ctx = {
        bin, page, noJs, base, axeSource, printChapters: new Map(), printInfo: new Map(),
        probePage: probe,
        fetchLang: async (href) => {
          await probe.goto(href, { waitUntil: 'domcontentloaded' });
          return probe.evaluate(() => document.documentElement.lang);
        },
      };
      try {
        for (const rel of site.pages) await checkPage(ctx, site, rel);
        await checkSearch(ctx, site);
        if (site.darkMode) await checkDarkMode(browser, site, base, axeSource);
        if (site.pdf) {
          for (const rel of pdfFiles(site)) {
            const file = path.join(site.out, rel);
            const exists = fs.existsSync(file);
            check(exists, `${site.name}: ${rel} missing after build --pdf`);
            if (!exists) continue;
            const chapters = ctx.printChapters.get(rel) ?? 0;
            check(isPdf(file), `${site.name}: ${rel} does not start with %PDF`);
            const print = ctx.printInfo.get(rel);
            if (!check(print && print.chapters.length === chapters && chapters > 0,
              `${site.name}: ${rel}: the print page lists ${print ? print.chapters.length : 'no'} chapters in its contents, prints ${chapters}`)) continue;
            const summary = checkPdf(file, `${site.name}: ${rel}`, print, PDF_EPOCH, check);
            counts.pdfs += 1;
            console.log(`   ${rel}: ${summary}`);
          }
          if (site.reproducible) {
            // The same sources and SOURCE_DATE_EPOCH give the same bytes.
            const again = `${site.out}-again`;
            buildSite(ctx.bin, site, again);
            for (const rel of pdfFiles(site)) {
              const [a, b] = [path.join(site.out, rel), path.join(again, rel)];
              if (!fs.existsSync(a)) continue;
              check(fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b)),
                `${site.name}: ${rel} differs between two builds with SOURCE_DATE_EPOCH=${PDF_EPOCH}`);
            }
            console.log(`   built again with SOURCE_DATE_EPOCH=${PDF_EPOCH}: PDFs compared byte for byte`);
          }
        }
      } finally {
        await context.close();
        await noJsContext.close();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  } finally {
    await browser.close();
  }

  console.log('\n== summary');
  console.log(`sites: ${counts.sites}, pages: ${counts.pages}, checks: ${counts.checks}, vnu errors: ${counts.vnuErrors}, axe violations: ${counts.axeViolations}, PDFs: ${counts.pdfs}, screenshots: ${counts.screenshots} (in ${path.relative(repo, shots)}/)`);
  if (failures.length) {
    console.log(`FAILED: ${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('all browser checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
