#!/usr/bin/env node
// Print page benchmark: how heavy one version's print.html is, and how long Debian's
// headless chromium takes to show it and to make a PDF of it.
//
//   node benches/print_bench.mjs SITE [--version PATH] [--runs 3] [--section SLUG] [--section-only]
//
// SITE is a built folio site (e.g. the generated 2,000 x 30 manual:
//   python3 benches/gen_manual.py --articles 2000 --versions 30 --seed 1 /tmp/m2000
//   (cd /tmp/m2000 && folio build --quiet --out /tmp/m2000-site)
// ). For the version (default: the latest in versions.json) it prints the size of
// print.html (raw and gzip, node's zlib level 6), then, from file:// in a fresh browser
// context per run: the time until the `load` event, until the page has been laid out
// (the first animation frame after load), the time page.pdf() (A4) takes with the PDF's
// size and page count; and the same for one section (`print.html#section:<slug>`: the
// first top-level article with children unless --section names one; --section-only
// skips the whole manual, whose PDF takes minutes). Medians of --runs.
//
// The browser is Debian's chromium (/usr/bin/chromium) driven by the playwright-core of
// tests/browser/ (`npm ci --prefix tests/browser` if missing); nothing downloads a
// browser or reaches the network.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const sectionOnly = args.includes('--section-only') && args.splice(args.indexOf('--section-only'), 1);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : def;
};
const runs = Number(opt('--runs', '3'));
let version = opt('--version', null);
let section = opt('--section', null);
const site = args[0];
if (!site) {
  console.error('usage: node benches/print_bench.mjs SITE [--version PATH] [--runs 3] [--section SLUG] [--section-only]');
  process.exit(2);
}
if (!version) {
  const versions = JSON.parse(readFileSync(path.join(site, 'versions.json'), 'utf8'));
  version = versions.filter((v) => v.path).at(-1).path;
}
const file = path.resolve(site, version, 'print.html');
const html = readFileSync(file);
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const articles = (html.toString().match(/class="print-title"/g) || []).length;
if (!section) {
  // The first top-level article with children: `<article id="section:x">` right under
  // the page's list of articles.
  section = html.toString().match(/<\/nav>\n<article id="section:([^"]+)">/)?.[1] ?? null;
}

console.log(`${site} ${version}/print.html: ${articles} articles, ${mb(html.length)} raw, ${mb(gzipSync(html, { level: 6 }).length)} gzip`);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND'],
  headless: true,
});

async function measure(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(600_000);
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load', timeout: 600_000 });
  const load = performance.now() - t0;
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  const laidOut = performance.now() - t0;
  const shown = await page.evaluate(() => [...document.querySelectorAll('.print-title')].filter((h) => h.checkVisibility()).length);
  const t1 = performance.now();
  const pdf = await page.pdf({ format: 'A4', timeout: 600_000 });
  const pdfMs = performance.now() - t1;
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  await context.close();
  return { load, laidOut, shown, pdfMs, pdfBytes: pdf.length, pages };
}

const base = pathToFileURL(file).href;
const views = [...(sectionOnly ? [] : [['whole manual', base]]), ...(section ? [[`#section:${section}`, `${base}#section:${section}`]] : [])];
for (const [what, url] of views) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await measure(url));
  const m = (k) => median(rs.map((r) => r[k]));
  console.log(
    `${what}: ${rs[0].shown} articles shown; load ${m('load').toFixed(0)} ms, laid out ${m('laidOut').toFixed(0)} ms, ` +
      `pdf ${(m('pdfMs') / 1000).toFixed(1)} s, ${rs[0].pages} pages, ${mb(rs[0].pdfBytes)} (median of ${runs})`,
  );
}
await browser.close();
