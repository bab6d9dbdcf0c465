// The PDF checks of the browser suite (issue 17, "Print-grade PDF"): each
// PDF that `build --pdf` writes is read with poppler-utils (pdfinfo,
// pdftotext, pdftohtml) and must read like a printed report:
//
//   - page count within a range: >= chapters + 2 (cover, contents, a page a
//     chapter), <= 12 a chapter + 6;
//   - every page after the cover carries its number (a standalone token in
//     the first or last 3 lines of the page's text);
//   - the contents' page numbers are right: the number printed beside each
//     chapter is the page of the chapter's anchor (`pdfinfo -dests`), and
//     that page's text holds the chapter's title;
//   - bookmarks: an outline item per chapter, pointing at its page;
//   - no near-empty page (text and images ending in the page's upper 40 %)
//     except the cover, the last page, a chapter's last page (the next page
//     starts a chapter) and, before the first chapter, a page on which a
//     part begins with the contents or a chapter next (never a part's tail);
//   - metadata: Title, Author = the organisation, tagged, CreationDate =
//     SOURCE_DATE_EPOCH.
//
// Page numbers count the cover as page 1 (the contract of issue 17), so the
// page numbers printed and the contents' numbers are PDF page indexes.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const POPPLER_TOOLS = ['pdfinfo', 'pdftotext', 'pdftohtml'];

/** The poppler tools that do not run (empty when all are there). */
export function popplerMissing() {
  return POPPLER_TOOLS.filter((tool) => spawnSync(tool, ['-v'], { encoding: 'utf8' }).error);
}

function run(tool, args) {
  const r = spawnSync(tool, args, {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TZ: 'UTC' },
  });
  if (r.error) throw new Error(`${tool} could not run (${r.error.code}): install poppler-utils (sudo apt-get install -y poppler-utils)`);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
    if (named) return named;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** For comparing titles across line breaks, uppercase (text-transform) and
 * soft hyphens: no whitespace, lower case, NFKC. */
export function squash(s) {
  return (s || '').normalize('NFKC').toLowerCase().replace(/[\s\u00ad\u200b]+/g, '');
}

/** What poppler reads from `file`. */
export function readPdf(file) {
  const info = {};
  for (const line of run('pdfinfo', ['-isodates', file]).split('\n')) {
    const m = line.match(/^([^:]+):\s*(.*)$/);
    if (m && !(m[1].trim() in info)) info[m[1].trim()] = m[2].trim();
  }
  const pageCount = Number(info.Pages) || 0;

  // Named destinations: anchor -> page.
  const dests = new Map();
  for (const line of run('pdfinfo', ['-dests', file]).split('\n')) {
    const m = line.match(/^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$/);
    if (m && !dests.has(m[2])) dests.set(m[2], Number(m[1]));
  }

  // Text by page: laid out (lines as printed) and in reading order.
  const layout = run('pdftotext', ['-layout', file, '-']).split('\f').slice(0, pageCount);
  const reading = run('pdftotext', [file, '-']).split('\f').slice(0, pageCount);

  // Words with their boxes, by page.
  const boxes = run('pdftotext', ['-bbox-layout', file, '-']).split(/<page\s/).slice(1).map((chunk) => {
    const width = Number((chunk.match(/width="([\d.]+)"/) || [])[1]);
    const height = Number((chunk.match(/height="([\d.]+)"/) || [])[1]);
    const words = [...chunk.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)]
      .map((m) => ({ yMin: Number(m[2]), yMax: Number(m[4]), text: decodeEntities(m[5]) }));
    return { width, height, words };
  });

  // The outline (bookmarks) and the images' boxes: pdftohtml -xml, in a
  // scratch folder (it writes the images out beside its XML).
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdf-'));
  let xml;
  try {
    run('pdftohtml', ['-xml', '-q', '-nodrm', file, path.join(scratch, 'doc')]);
    xml = fs.readFileSync(path.join(scratch, 'doc.xml'), 'utf8');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  // Where each page's images end, as a fraction of its height.
  const imageEnds = [];
  for (const m of xml.matchAll(/<page number="(\d+)"[^>]*height="(\d+)"[^>]*>([\s\S]*?)<\/page>/g)) {
    const height = Number(m[2]);
    const ends = [...m[3].matchAll(/<image top="(-?\d+)" left="-?\d+" width="(\d+)" height="(\d+)"/g)]
      .filter((i) => Number(i[2]) > 0 && Number(i[3]) > 0)
      .map((i) => Math.min(height, Number(i[1]) + Number(i[3])) / height);
    imageEnds[Number(m[1]) - 1] = ends.length ? Math.max(...ends) : 0;
  }
  const outline = [];
  const start = xml.indexOf('<outline');
  if (start >= 0) {
    let depth = 0;
    for (const m of xml.slice(start).matchAll(/<outline>|<\/outline>|<item(?:\s+page="(\d+)")?>([\s\S]*?)<\/item>/g)) {
      if (m[0] === '<outline>') depth += 1;
      else if (m[0] === '</outline>') {
        depth -= 1;
        if (depth === 0) break;
      } else outline.push({ depth, page: m[1] ? Number(m[1]) : null, text: decodeEntities(m[2]) });
    }
  }
  return { info, pageCount, dests, layout, reading, boxes, imageEnds, outline, hasOutline: start >= 0 };
}

/** The page's number as a standalone token ("12", "— 12 —", "第 12 页", "12 / 30")
 * in its first or last 3 non-empty lines. */
export function pageNumbered(text, n) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const ends = [...lines.slice(0, 3), ...lines.slice(-3)];
  return ends.some((line) => line.split(/[\s|·•—–\-/()[\]第页頁]+/).includes(String(n)));
}

/** Where the page's text ends, as a fraction of the page height: the lowest
 * yMax of its words, leaving out the bottom 15 % where footers (page
 * numbers, running heads in margin boxes) sit. 0 for a page without text. */
export function textExtent(page) {
  const body = page.words.filter((w) => w.yMin < page.height * 0.85);
  if (!body.length || !page.height) return 0;
  return Math.max(...body.map((w) => w.yMax)) / page.height;
}

/** The number printed after `title` in the contents, read from the PDF's text
 * in reading order (title, dot leaders, number), or null. */
function contentsNumber(pages, title) {
  const t = squash(title);
  if (!t) return null;
  for (const text of pages) {
    const s = squash(text);
    let at = s.indexOf(t);
    while (at >= 0) {
      const m = s.slice(at + t.length).match(/^[.·…‧⋯_\-–—]*(\d{1,4})(?!\d)/);
      if (m) return Number(m[1]);
      at = s.indexOf(t, at + 1);
    }
  }
  return null;
}

/**
 * Checks one PDF. `print` is what the suite read from the print page the PDF
 * is printed from: { chapters: [{ anchor, title, tocTitle, tocPage }],
 * organisation, contentsHeading, frontHeadings }. `check(ok, message)` records a check;
 * `where` prefixes the messages. Returns a one-line summary.
 */
export function checkPdf(file, where, print, epoch, check) {
  let pdf;
  try {
    pdf = readPdf(file);
  } catch (e) {
    check(false, `${where}: poppler could not read it: ${e.message}`);
    return 'unreadable';
  }
  const { info, pageCount, dests, layout, reading, boxes, outline } = pdf;
  const chapters = print.chapters;
  const n = chapters.length;

  // Page count.
  const most = 12 * n + 6;
  check(n > 0 && pageCount >= n + 2 && pageCount <= most,
    `${where}: ${pageCount} pages for ${n} chapters (expected ${n + 2}..${most}: cover, contents, a page or more a chapter)`);

  // Every page after the cover numbered.
  const unnumbered = [];
  for (let p = 2; p <= pageCount; p += 1) if (!pageNumbered(layout[p - 1] || '', p)) unnumbered.push(p);
  check(unnumbered.length === 0,
    `${where}: pages without their page number in the first or last 3 lines: ${unnumbered.join(', ')} (of 2..${pageCount})`);

  // Chapters: named destination, title on that page, contents number.
  const chapterPage = new Map();
  for (const c of chapters) if (dests.has(c.anchor)) chapterPage.set(c.anchor, dests.get(c.anchor));
  const firstChapter = Math.min(...chapterPage.values(), pageCount + 1);
  const contentsPages = reading.slice(0, Math.max(1, firstChapter - 1));
  for (const c of chapters) {
    const page = chapterPage.get(c.anchor);
    if (!check(page !== undefined, `${where}: no named destination "${c.anchor}" (chapter "${c.title}") in pdfinfo -dests`)) continue;
    check(squash(reading[page - 1]).includes(squash(c.title)),
      `${where}: page ${page} (destination of #${c.anchor}) does not hold the chapter title "${c.title}"`);
    const fromPdf = contentsNumber(contentsPages, c.tocTitle || c.title);
    const fromHtml = /^\d+$/.test(c.tocPage || '') ? Number(c.tocPage) : null;
    if (fromPdf !== null && fromHtml !== null) {
      check(fromPdf === fromHtml, `${where}: contents prints ${fromPdf} for "${c.title}" but the print page's .toc-page says ${fromHtml}`);
    }
    const printed = fromPdf ?? fromHtml;
    if (!check(printed !== null, `${where}: the contents show no page number for "${c.title}" (none after its title on pages 1..${contentsPages.length}, .toc-page[data-toc="${c.anchor}"] empty)`)) continue;
    check(printed === page, `${where}: the contents say "${c.title}" is on page ${printed}, it starts on page ${page}`);
  }

  // Bookmarks.
  if (check(pdf.hasOutline && outline.length > 0, `${where}: no bookmarks (no <outline> in pdftohtml -xml)`)) {
    for (const c of chapters) {
      const items = outline.filter((i) => squash(i.text).includes(squash(c.title)));
      const page = chapterPage.get(c.anchor);
      check(items.length >= 1, `${where}: no bookmark for chapter "${c.title}"`);
      if (items.length && page !== undefined) {
        check(items.some((i) => i.page === page),
          `${where}: the bookmark of "${c.title}" goes to page ${items.map((i) => i.page).join('/')}, the chapter starts on page ${page}`);
      }
    }
  }

  // Near-empty pages: where text or images end (a gallery page is photos
  // with short captions). Allowed: the cover, the last page, a chapter's
  // last page (the next page starts a chapter; a chapter starts on the page
  // of its named destination: text is no guide, the contents and running
  // heads print chapter titles too), and before the first chapter a page
  // on which a part begins (highlights and foreword, or the contents) with
  // the contents or the first chapter next (a one-line foreword cannot
  // fill a page). Not allowed: the tail of the contents or of the foreword
  // alone on a page.
  const starts = new Set(chapterPage.values());
  const contentsHeading = squash(print.contentsHeading);
  const frontHeadings = (print.frontHeadings || []).map(squash).filter(Boolean);
  const holds = (p, heading) => squash(reading[p - 1]).includes(heading);
  const empty = [];
  for (let p = 2; p < pageCount; p += 1) {
    const extent = Math.max(boxes[p - 1] ? textExtent(boxes[p - 1]) : 0, pdf.imageEnds[p - 1] || 0);
    if (extent >= 0.4) continue;
    const at = `${p} (ends at ${Math.round(extent * 100)}%`;
    if (p >= firstChapter) {
      if (!starts.has(p + 1)) empty.push(`${at}, page ${p + 1} starts no chapter)`);
      continue;
    }
    // Front matter (highlights, foreword, contents): a part that begins on
    // this page (its heading is here) and is followed by a page break (the
    // contents or the first chapter next), not the tail of a part.
    const nextPart = starts.has(p + 1) || (contentsHeading && holds(p + 1, contentsHeading));
    const partBegins = frontHeadings.length === 0 || frontHeadings.some((h) => holds(p, h));
    if (!nextPart || !partBegins) {
      empty.push(`${at}, before the first chapter: ${partBegins ? 'the next page starts neither the contents nor a chapter' : 'the tail of a part, no heading begins on it'})`);
    }
  }
  check(empty.length === 0, `${where}: near-empty pages (text and images end in the upper 40 %): ${empty.join(', ')}`);

  // Metadata.
  check((info.Title || '').length > 0, `${where}: no Title in the metadata`);
  if (print.organisation) {
    check(info.Author === print.organisation, `${where}: Author is "${info.Author ?? ''}", expected the organisation "${print.organisation}"`);
  } else {
    check((info.Author || '').length > 0, `${where}: no Author in the metadata`);
  }
  check(info.Tagged === 'yes', `${where}: not tagged (pdfinfo Tagged: ${info.Tagged ?? '?'})`);
  if (epoch) {
    const created = Date.parse(info.CreationDate || '');
    check(created === Number(epoch) * 1000,
      `${where}: CreationDate ${info.CreationDate ?? 'missing'}, expected SOURCE_DATE_EPOCH=${epoch} (${new Date(Number(epoch) * 1000).toISOString()})`);
  }

  const numbers = chapters.map((c) => chapterPage.get(c.anchor) ?? '?').join(',');
  return `${pageCount} pages, ${n} chapters starting on pages ${numbers}, ${outline.length} bookmarks`;
}
