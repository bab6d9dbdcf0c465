// Reader search in a real browser: what a reader's query downloads and how
// long the results take. Used by bench/search.py; runs alone too:
//
//   node bench/search_query.mjs SITE_DIR [RUNS]
//
// SITE_DIR is a built site served at "/". Each query runs RUNS times, each
// in a fresh browser context (empty cache: a first query). Measured in the
// page: the bytes the script fetched (resource timing: the index files and
// the result pages snippets are cut from), the time from Enter to the
// results shown, and of that the time after the last index file arrived
// (fetching the result pages, and the work done on the reader's machine:
// segmenting, intersecting, ranking, snippets). Prints one JSON object.
//
// Needs /usr/bin/chromium and the browser suite's node modules
// (npm ci --prefix tests/browser).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const QUERIES = [
  { from: '', query: '献血' },
  { from: '', query: '无偿献血' },
  { from: '', query: '造血干细胞' },
  { from: '', query: '应急救护' },
  { from: 'en/', query: 'blood' },
  { from: 'en/', query: 'haematopoietic stem cell' },
  { from: 'en/', query: 'first aid' },
  { from: 'en/', query: 'volunteers' },
];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

function serve(dir) {
  const server = http.createServer((req, res) => {
    let file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(dir)) { res.writeHead(404).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function measure(browser, base, q) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + q.from, { waitUntil: 'networkidle' });
  // The header field loads index.json when the page opens (for the years):
  // that download is the query's too, counted above.
  await page.fill('#site-search-q', q.query);
  const timing = await page.evaluate(() => new Promise((resolve) => {
    const status = document.querySelector('#site-search-status');
    const input = document.querySelector('#site-search-q');
    const start = performance.now();
    const seen = new MutationObserver(() => {
      if (!status.textContent) return;
      seen.disconnect();
      const shown = performance.now();
      const lastChunk = Math.max(0, ...performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/search/') && e.responseEnd >= start)
        .map((e) => e.responseEnd));
      resolve({ total: shown - start, afterLastChunk: lastChunk ? shown - lastChunk : shown - start,
        results: document.querySelectorAll('#site-search-results > li').length });
    });
    seen.observe(status, { childList: true, characterData: true, subtree: true });
    input.form.requestSubmit();
  }));
  await page.waitForLoadState('networkidle');
  // Everything the script fetched from the page's opening (resource
  // timing): the index files and the result pages snippets are cut from.
  const bytes = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.initiatorType === 'fetch')
    .reduce((sum, e) => sum + e.encodedBodySize, 0));
  await context.close();
  return { ...timing, bytes };
}

async function main() {
  const dir = path.resolve(process.argv[2] || 'output');
  const runs = Number(process.argv[3] || 5);
  const server = await serve(dir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const out = [];
  try {
    for (const q of QUERIES) {
      const samples = [];
      for (let i = 0; i < runs; i += 1) samples.push(await measure(browser, base, q));
      out.push({
        query: q.query,
        results: samples[0].results,
        kb: samples[0].bytes / 1024,
        total_ms: median(samples.map((s) => s.total)),
        after_last_chunk_ms: median(samples.map((s) => s.afterLastChunk)),
        max_after_last_chunk_ms: Math.max(...samples.map((s) => s.afterLastChunk)),
      });
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(JSON.stringify({ runs, queries: out }));
}

main().catch((e) => { console.error(e); process.exit(1); });
