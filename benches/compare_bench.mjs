#!/usr/bin/env node
// Comparing any two versions in the browser: what it costs on a built site.
//
//   node benches/compare_bench.mjs SITE [--runs 5]
//
// SITE is a folio build (e.g. of `benches/gen_manual.py --articles 2000 --versions 30`).
// Prints:
// 1. the manual's timeline (assets/timeline.<hash>.js, the one file every what-changed
//    page loads to compare versions): raw and gzip bytes (node's zlib, level 6), its
//    articles and entries, and what a page per pair of versions would be instead (the
//    number of pairs);
// 2. in Debian's chromium (/usr/bin/chromium, the playwright-core of tests/browser/),
//    from file://, in a fresh context each run: the time from navigation to the
//    comparison shown for the widest span (oldest to newest) and for two adjacent
//    versions, and the time compare() alone takes for every pair of versions (engine
//    only, in the page); medians of --runs.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values: opt, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '5' } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error('usage: node benches/compare_bench.mjs SITE [--runs 5]');
  process.exit(2);
}
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const { launchBrowser, fileUrl } = await import('../tests/browser/harness.mjs');

const site = path.resolve(positionals[0]);
const runs = Math.max(1, Number(opt.runs));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const name = readdirSync(path.join(site, 'assets')).find((f) => /^timeline\.[0-9a-f]+\.js$/.test(f));
if (!name) {
  console.error(`${site}/assets has no timeline.<hash>.js: is it a folio build?`);
  process.exit(2);
}
const bytes = readFileSync(path.join(site, 'assets', name));
const text = bytes.toString('utf8');
const data = JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, ''));
const entries = data.a.reduce((n, a) => n + a.length, 0);
const nv = data.v.length;
console.log(`timeline: ${name}`);
console.log(`  ${bytes.length} bytes raw, ${gzipSync(bytes).length} gzip`);
console.log(`  ${data.a.length} articles, ${entries} entries (${entries - data.a.length} after each article's first), ${nv} versions`);
console.log(`  a page per pair of versions would be ${nv * (nv - 1) / 2} pages per article list`);

const versions = JSON.parse(readFileSync(path.join(site, 'versions.json'), 'utf8')).filter((v) => v.path);
const [oldest, newest] = [versions[0], versions[versions.length - 1]];
const before = versions[versions.length - 2];
const browser = await launchBrowser();
const timings = { wide: [], adjacent: [], everyPair: [] };
try {
  for (let r = 0; r < runs; r++) {
    for (const [key, from] of [['wide', oldest], ['adjacent', before]]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const url = fileUrl(site, `${newest.path}/changes.html`) + `?from=${encodeURIComponent(from.name)}&to=${encodeURIComponent(newest.name)}`;
      const t0 = Date.now();
      await page.goto(url);
      await page.locator('#compare-result').waitFor();
      timings[key].push(Date.now() - t0);
      if (key === 'wide') {
        timings.everyPair.push(await page.evaluate(() => {
          const C = window.__folioCompare, t = performance.now();
          for (let a = 0; a < C.versions.length; a++) for (let b = a + 1; b < C.versions.length; b++) C.compare(a, b);
          return performance.now() - t;
        }));
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`chromium, file://, median of ${runs}:`);
console.log(`  ${oldest.label} to ${newest.label} shown: ${median(timings.wide)} ms (navigation to list)`);
console.log(`  ${before.label} to ${newest.label} shown: ${median(timings.adjacent)} ms`);
console.log(`  compare() for all ${nv * (nv - 1) / 2} pairs: ${median(timings.everyPair).toFixed(1)} ms`);
