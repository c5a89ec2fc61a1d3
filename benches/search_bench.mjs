#!/usr/bin/env node
// Search benchmark: folio's per-version search against Pagefind on the same pages.
//
//   node benches/search_bench.mjs [--articles 2000] [--versions 30] [--seed 1]
//        [--version PATH] [--runs 3] [--folio BIN] [--no-build] [--no-pagefind]
//        [--json FILE] [--limit N (first N queries only, for a quick look)]
//
// 1. Builds folio in release mode (skip with --no-build or --folio BIN), generates the
//    manual with benches/gen_manual.py into the cache run.sh uses
//    ($FOLIO_BENCH_DIR or /tmp/folio-bench, a<N>-v<V>-s<seed>-<generator hash>/src) when
//    it is missing, and builds it with `folio build --quiet` into
//    $FOLIO_BENCH_DIR/search/site-a<N>-v<V>-s<seed>/.
// 2. For one version (default: the latest), prints the size of its search files: meta.js
//    plus term shards (search/t/), fragments (search/f/) separately, and the runtime
//    (assets/folio.*.js, the page's one script, search included), raw and gzip (node's zlib, level 6).
// 3. Picks ~20 queries from that version's own text (folio's fragments): common words,
//    rare words (in 2-3 pages), mid-frequency words, two-word queries, product terms and
//    two typos (a mid-frequency word with one letter dropped). For each query, in a fresh
//    browser context (empty cache), loads the version's home page, waits for `load`,
//    then puts the whole query in the top-bar box (one input event, as a paste; the box
//    is not focused first, so meta.js is not preloaded) and measures until the dropdown
//    shows its results (5 snippets): the script responses under <version>/search/
//    (count, raw bytes and gzip of each body), and the time (cold; it includes the UI's
//    35 ms debounce). Then "warm": the query minus its last letter, and the time from
//    the keystroke that adds the letter back to the new results (debounce included); and
//    "repeat": __S.test.search(query) again with everything loaded (engine only, median
//    of 5). Over http (a Node static server on 127.0.0.1, no compression: gzip is
//    computed) and from file:// (bytes read from disk).
// 4. Pagefind (`npm install pagefind` into $FOLIO_BENCH_DIR/search/pagefind-npm; a
//    native binary comes with it) indexes the same HTML of that version
//    (`--glob '*.html' --root-selector main`, page chrome excluded) into a separate
//    folder, and the same figures are taken over http with its JS API on a blank page:
//    import pagefind.js, search(query), data() of the first 5 results (what a UI shows);
//    warm = search(query minus last letter) + data, then the query again; repeat =
//    search(query) again. No debounce is added (Pagefind's Default UI waits 300 ms).
//    Pagefind from file:// is tried once and the error reported.
// 5. Prints a per-query table and a side-by-side summary with medians.
//
// The browser is Debian's chromium (/usr/bin/chromium) driven by the playwright-core of
// tests/browser/ (`npm ci --prefix tests/browser` if missing); nothing downloads a
// browser, and every request leaving 127.0.0.1/file:// is blocked and reported.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadavg, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(HERE);
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

const { values: opt } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    versions: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    version: { type: 'string' },
    runs: { type: 'string', default: '3' },
    folio: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-pagefind': { type: 'boolean', default: false },
    json: { type: 'string' },
    limit: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(text.split('\n').slice(1).filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n').split('\n\nimport')[0]);
  process.exit(0);
}
const RUNS = Math.max(1, Number(opt.runs));

if (!existsSync(path.join(REPO, 'tests/browser/node_modules/playwright-core/package.json'))) {
  console.error('tests/browser/node_modules is missing: run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/browser`');
  process.exit(2);
}
const { launchBrowser, openContext, startServer, fileUrl } = await import('../tests/browser/harness.mjs');

const log = (...a) => console.error('search-bench:', ...a);
const KB = (b) => (b / 1024).toFixed(1);
const MB = (b) => (b / 1048576).toFixed(2);
const gz = (buf) => gzipSync(buf).length;
/** Bytes on the wire if the server gzips what gets smaller (Pagefind's files are gzip already). */
const wire = (buf) => Math.min(buf.length, gz(buf));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
};
const max = (xs) => Math.max(...xs);

// ------------------------------------------------------------------ folio and the site

const bench = process.env.FOLIO_BENCH_DIR || '/tmp/folio-bench';
let folio = opt.folio ? path.resolve(opt.folio) : path.join(REPO, 'target/release/folio');
if (!opt.folio && !opt['no-build']) {
  log('cargo build --release');
  execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: REPO, stdio: 'inherit' });
}
if (!existsSync(folio)) throw new Error(`no folio binary at ${folio}`);

const genHash = createHash('sha256')
  .update(readFileSync(path.join(HERE, 'gen_manual.py')))
  .update(readFileSync(path.join(HERE, 'check_manual.py')))
  .digest('hex')
  .slice(0, 10);
const size = `a${opt.articles}-v${opt.versions}-s${opt.seed}`;
const cache = path.join(bench, `${size}-${genHash}`);
const src = path.join(cache, 'src');
if (!existsSync(path.join(cache, 'stats.json'))) {
  log(`generating the manual into ${src}`);
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  execFileSync('python3', [path.join(HERE, 'gen_manual.py'), src, '--articles', opt.articles, '--versions', opt.versions,
    '--seed', opt.seed, '--stats', path.join(cache, 'stats.json.tmp')], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('mv', [path.join(cache, 'stats.json.tmp'), path.join(cache, 'stats.json')]);
}
const work = path.join(bench, 'search');
const site = path.join(work, `site-${size}`);
rmSync(site, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
log(`folio build --root ${src} --out ${site}`);
let t = performance.now();
execFileSync(folio, ['build', '--quiet', '--root', src, '--out', site], { stdio: ['ignore', 'ignore', 'inherit'] });
const buildSeconds = (performance.now() - t) / 1000;

const allVersions = JSON.parse(readFileSync(path.join(site, 'versions.json'), 'utf8'));
const ver = opt.version ?? (allVersions.find((v) => v.latest) ?? allVersions.filter((v) => v.path && !v.url).at(-1)).path;
const vdir = path.join(site, ver);
if (!existsSync(path.join(vdir, 'search/meta.js'))) throw new Error(`${vdir} has no search/meta.js`);

// ------------------------------------------------------------------ index sizes

function filesUnder(dir) {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile()) : [];
}
function sizes(files) {
  let raw = 0, z = 0, w = 0, big = 0;
  for (const f of files) {
    const b = readFileSync(f);
    raw += b.length;
    z += gz(b);
    w += wire(b);
    big = Math.max(big, wire(b));
  }
  return { files: files.length, raw, gz: z, wire: w, largest: big };
}
const runtimeFile = readdirSync(path.join(site, 'assets')).find((f) => /^folio\..*\.js$/.test(f));
const folioSizes = {
  index: sizes([path.join(vdir, 'search/meta.js'), ...filesUnder(path.join(vdir, 'search/t'))]),
  fragments: sizes(filesUnder(path.join(vdir, 'search/f'))),
  runtime: sizes([path.join(site, 'assets', runtimeFile)]),
};

// ------------------------------------------------------------------ queries

/** The version's documents as folio indexed them: [url, title, [[anchor, heading, text]]]. */
const docs = filesUnder(path.join(vdir, 'search/f')).map((f) => {
  const s = readFileSync(f, 'utf8');
  return JSON.parse(s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')));
});
const STOP = new Set('about above after also before below both each from have into more must only other same such that their then there these this until when which will with your'.split(' '));
function textOf(d) {
  return [d[1], ...d[2].map((s) => `${s[1]} ${s[2]}`)].join(' ');
}
const df = new Map();
for (const d of docs) {
  for (const w of new Set(textOf(d).toLowerCase().match(/[a-z]+/g) ?? [])) df.set(w, (df.get(w) ?? 0) + 1);
}
function pickQueries() {
  const words = [...df].filter(([w]) => w.length >= 5 && !STOP.has(w));
  const byDf = words.slice().sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const spaced = (list, n) => Array.from({ length: n }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / n)]);
  const common = [0, 3, 8, 15, 30, 60].map((i) => byDf[i][0]);
  const rare = spaced(words.filter(([, n]) => n >= 2 && n <= 3).map(([w]) => w).sort(), 6);
  const mid = spaced(words.filter(([, n]) => n >= 20 && n <= 60).map(([w]) => w).sort(), 4);
  // two words that stand next to each other in a page's text
  const pairs = [];
  for (const d of spaced(docs, 2)) {
    const ws = d[2].flatMap((s) => s[2].toLowerCase().match(/[a-z]+/g) ?? []);
    const i = ws.findIndex((w, j) => j > 10 && w.length >= 5 && !STOP.has(w) && ws[j + 1]?.length >= 5 && !STOP.has(ws[j + 1]));
    if (i >= 0) pairs.push(`${ws[i]} ${ws[i + 1]}`);
  }
  const product = ['eConnector', 'X-Charge'].filter((p) => df.has(p.toLowerCase().replace('-', '')) || df.has(p.toLowerCase().split('-')[0]));
  // typos: a mid-frequency long word with its middle letter dropped
  const typos = [];
  for (const [w] of spaced(words.filter(([x, n]) => x.length >= 8 && n >= 5 && n <= 50).sort((a, b) => (a[0] < b[0] ? -1 : 1)), 7)) {
    const typo = w.slice(0, w.length >> 1) + w.slice((w.length >> 1) + 1);
    if (!df.has(typo) && typos.length < 2) typos.push({ q: typo, of: w });
  }
  return [
    ...common.map((q) => ({ q, kind: 'common' })),
    ...mid.slice(0, 2).map((q) => ({ q, kind: 'mid' })),
    ...rare.map((q) => ({ q, kind: 'rare' })),
    ...pairs.map((q) => ({ q, kind: 'two words' })),
    ...product.map((q) => ({ q, kind: 'product' })),
    ...typos.map(({ q, of }) => ({ q, kind: `typo of ${of}` })),
  ];
}
const QUERIES = pickQueries().slice(0, opt.limit ? Number(opt.limit) : undefined);

// ------------------------------------------------------------------ browser measurements

const browser = await launchBrowser();
const siteServer = await startServer(site);
const offMachine = [];

/**
 * Opens a fresh context (empty cache), records every response whose path contains
 * `under` (with its body), runs `fn`, and returns what it returned plus the recorded files.
 */
async function measured(under, mode, fn) {
  const s = await openContext(browser);
  const files = [];
  let recording = false;
  s.context.on('response', (r) => {
    const u = r.url();
    if (!recording || !u.includes(under)) return;
    if (mode === 'file') {
      files.push(Promise.resolve({ url: u, body: readFileSync(fileURLToPath(u.split(/[?#]/)[0])) }));
    } else {
      files.push(r.body().then((body) => ({ url: u, body })));
    }
  });
  try {
    const out = await fn(s.page, () => (recording = true), async () => {
      recording = false;
      return Promise.all(files.splice(0));
    });
    offMachine.push(...s.problems);
    return out;
  } finally {
    await s.close();
  }
}

function bytesOf(files) {
  return {
    requests: files.length,
    raw: files.reduce((a, f) => a + f.body.length, 0),
    gz: files.reduce((a, f) => a + wire(f.body), 0),
    largest: files.reduce((a, f) => Math.max(a, wire(f.body)), 0),
  };
}

/** In the page: enter `q` into the box (one input event) and resolve with ms until its results show. */
function folioQuery(q) {
  const input = document.querySelector('form[role=search] input[name=q]');
  const foot = document.querySelector('.search-foot');
  const want = q.trim();
  const done = () => {
    const a = foot.querySelector('a.search-all');
    return foot.parentNode.getAttribute('data-q') === want || (a && a.getAttribute('href').endsWith(`?q=${encodeURIComponent(want)}`)) || foot.textContent === `No results for “${want}”`;
  };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ob = new MutationObserver(() => {
      if (!done()) return;
      ob.disconnect();
      const all = foot.textContent.match(/^All (\d+) results$/);
      resolve({ ms: performance.now() - t0, n: all ? Number(all[1]) : document.querySelectorAll('.search-list [role=option]').length });
    });
    ob.observe(foot, { childList: true, subtree: true, characterData: true });
    setTimeout(() => reject(new Error(`no results for ${q} after 20 s`)), 20_000);
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** In the page: arm a timer that starts at the next keydown and stops when `q`'s results show. */
function folioArmKeystroke(q) {
  const input = document.querySelector('form[role=search] input[name=q]');
  const foot = document.querySelector('.search-foot');
  const want = q.trim();
  window.__warm = new Promise((resolve) => {
    let t0 = 0;
    input.addEventListener('keydown', () => (t0 = performance.now()), { once: true });
    const ob = new MutationObserver(() => {
      const a = foot.querySelector('a.search-all');
      if (t0 && (foot.parentNode.getAttribute('data-q') === want || (a && a.getAttribute('href').endsWith(`?q=${encodeURIComponent(want)}`)) || foot.textContent === `No results for “${want}”`)) {
        ob.disconnect();
        resolve(performance.now() - t0);
      }
    });
    ob.observe(foot, { childList: true, subtree: true, characterData: true });
  });
}

async function folioRun(mode, q) {
  const url = mode === 'http' ? `${siteServer.url}/${ver}/index.html` : fileUrl(site, `${ver}/index.html`);
  return measured(`/${ver}/search/`, mode, async (page, start, stop) => {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('.search-foot'));
    start();
    const cold = await page.evaluate(folioQuery, q);
    const files = await stop();
    // warm: the query without its last letter, then the keystroke that adds it
    await page.evaluate(folioQuery, q.slice(0, -1));
    await page.evaluate(folioArmKeystroke, q);
    await page.focus('form[role=search] input[name=q]');
    await page.evaluate(() => {
      const i = document.querySelector('form[role=search] input[name=q]');
      i.setSelectionRange(i.value.length, i.value.length);
    });
    await page.keyboard.type(q.slice(-1));
    const warm = await page.evaluate(() => window.__warm);
    const repeat = await page.evaluate(async (q) => {
      const ts = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await window.__S.test.search(q);
        ts.push(performance.now() - t0);
      }
      return ts.sort((a, b) => a - b)[2];
    }, q);
    return { cold: cold.ms, n: cold.n, warm, repeat, ...bytesOf(files) };
  });
}

// ------------------------------------------------------------------ Pagefind

let pagefind = null;
if (!opt['no-pagefind']) pagefind = setupPagefind();

function setupPagefind() {
  const npmDir = path.join(work, 'pagefind-npm');
  const bin = path.join(npmDir, 'node_modules/.bin/pagefind');
  if (!existsSync(bin)) {
    log(`npm install pagefind --prefix ${npmDir}`);
    mkdirSync(npmDir, { recursive: true });
    if (!existsSync(path.join(npmDir, 'package.json'))) writeFileSync(path.join(npmDir, 'package.json'), '{"private":true}\n');
    const r = spawnSync('npm', ['install', 'pagefind', '--prefix', npmDir, '--no-audit', '--no-fund'], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(bin)) return { error: `npm install pagefind failed (${r.status}): ${(r.stderr || '').trim().slice(-400)}` };
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^pagefind\s+/i, '');
  const root = path.join(work, `pagefind-${size}-${ver}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const args = ['--site', vdir, '--output-path', path.join(root, 'pagefind'), '--glob', '*.html', '--root-selector', 'main',
    '--exclude-selectors', 'main > nav, .children, .on-this-page, main > section', '--quiet'];
  log(`pagefind ${args.join(' ')}`);
  const t0 = performance.now();
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return { error: `pagefind failed (${r.status}): ${(r.stderr || r.stdout).trim().slice(-400)}` };
  writeFileSync(path.join(root, 'bench.html'), '<!doctype html><meta charset="utf-8"><title>pagefind bench</title><p>Pagefind JS API bench page</p>\n');
  const pf = path.join(root, 'pagefind');
  const all = filesUnder(pf);
  const pick = (re) => all.filter((f) => re.test(path.relative(pf, f)));
  return {
    version,
    root,
    seconds,
    sizes: {
      index: sizes(pick(/^(index\/|pagefind-entry\.json|pagefind\.[^/]*\.pf_meta)/)),
      fragments: sizes(pick(/^fragment\//)),
      runtime: sizes(pick(/^(pagefind\.js|wasm\.[^/]*\.pagefind|pagefind-worker\.js)$/)),
      ui: sizes(pick(/^pagefind-(component-)?ui\.(js|css)$/)),
      all: sizes(all),
    },
  };
}

async function pagefindRun(server, q) {
  return measured('/pagefind/', 'http', async (page, start, stop) => {
    await page.goto(`${server.url}/bench.html`, { waitUntil: 'load' });
    start();
    const cold = await page.evaluate(async (q) => {
      const t0 = performance.now();
      const pf = await import('./pagefind/pagefind.js');
      window.__pf = pf;
      const r = await pf.search(q);
      await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
      return { ms: performance.now() - t0, n: r.results.length };
    }, q);
    const files = await stop();
    const [warm, repeat] = await page.evaluate(async (q) => {
      const pf = window.__pf;
      const shown = async (s) => {
        const r = await pf.search(s);
        await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
      };
      await shown(q.slice(0, -1));
      let t0 = performance.now();
      await shown(q);
      const warm = performance.now() - t0;
      const ts = [];
      for (let i = 0; i < 5; i++) {
        t0 = performance.now();
        await pf.search(q);
        ts.push(performance.now() - t0);
      }
      return [warm, ts.sort((a, b) => a - b)[2]];
    }, q);
    return { cold: cold.ms, n: cold.n, warm, repeat, ...bytesOf(files) };
  });
}

async function pagefindFromFile() {
  const s = await openContext(browser);
  try {
    await s.page.goto(fileUrl(pagefind.root, 'bench.html'));
    const r = await s.page.evaluate(async () => {
      try {
        const pf = await import('./pagefind/pagefind.js');
        const res = await pf.search('a');
        return `works (${res.results.length} results)`;
      } catch (e) {
        return `fails: ${String(e.message ?? e).split('\n')[0]}`;
      }
    });
    return r;
  } finally {
    await s.close();
  }
}

// ------------------------------------------------------------------ run

const load0 = loadavg()[0];
log(`version ${ver}: ${docs.length} documents; ${QUERIES.length} queries x ${RUNS} runs: ${QUERIES.map((x) => x.q).join(', ')}`);
const results = [];
let pfServer = null;
if (pagefind && !pagefind.error) pfServer = await startServer(pagefind.root);
for (const { q, kind } of QUERIES) {
  const row = { q, kind };
  for (const [key, run] of [
    ['http', () => folioRun('http', q)],
    ['file', () => folioRun('file', q)],
    ...(pfServer ? [['pagefind', () => pagefindRun(pfServer, q)]] : []),
  ]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run());
    const first = runs[0];
    row[key] = {
      ...first,
      cold: median(runs.map((r) => r.cold)),
      warm: median(runs.map((r) => r.warm)),
      repeat: median(runs.map((r) => r.repeat)),
    };
  }
  results.push(row);
  log(`${q.padEnd(24)} folio ${row.http.requests} req ${KB(row.http.gz)} KB ${row.http.cold.toFixed(0)} ms` +
    (row.pagefind ? ` | pagefind ${row.pagefind.requests} req ${KB(row.pagefind.gz)} KB ${row.pagefind.cold.toFixed(0)} ms` : ''));
}
const pfFile = pfServer ? await pagefindFromFile() : null;
await browser.close();
await siteServer.close();
await pfServer?.close();

// ------------------------------------------------------------------ report

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`\n# folio search vs Pagefind: ${opt.articles} articles x ${opt.versions} versions (seed ${opt.seed}), version ${ver} (${docs.length} pages)`);
console.log(`machine: ${cpus().length} CPUs, load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end; chromium headless; ${RUNS} run(s) per query, times are medians`);
console.log(`folio: ${folio} (site built in ${buildSeconds.toFixed(1)} s, all versions)`);
if (pagefind?.error) console.log(`Pagefind: NOT MEASURED: ${pagefind.error}`);
else if (pagefind) console.log(`Pagefind ${pagefind.version}: indexed ${ver} in ${pagefind.seconds.toFixed(1)} s (--glob '*.html' --root-selector main, chrome excluded)`);

console.log('\n## Index size for one version (gz = gzip level 6; Pagefind stores its files gzip-compressed already, "served" = smaller of the two)');
const sizeRow = (label, s) => `| ${pad(label, 44)} | ${lpad(s.files, 5)} | ${lpad(MB(s.raw), 8)} | ${lpad(MB(s.gz), 8)} | ${lpad(MB(s.wire), 8)} | ${lpad(KB(s.largest), 8)} |`;
console.log(`| ${pad('files', 44)} | files | raw MB   | gzip MB  | served MB| largest KB served |`);
console.log(`|${'-'.repeat(46)}|-------|----------|----------|----------|----------|`);
console.log(sizeRow('folio term index: search/meta.js + search/t/', folioSizes.index));
console.log(sizeRow('folio fragments: search/f/', folioSizes.fragments));
console.log(sizeRow('folio runtime + UI: assets/folio.*.js (the page script)', folioSizes.runtime));
if (pagefind && !pagefind.error) {
  console.log(sizeRow('Pagefind index: entry, pf_meta, index/', pagefind.sizes.index));
  console.log(sizeRow('Pagefind fragments: fragment/', pagefind.sizes.fragments));
  console.log(sizeRow('Pagefind runtime: pagefind.js, wasm', pagefind.sizes.runtime));
  console.log(sizeRow('Pagefind Default UI: pagefind-ui.js/.css', pagefind.sizes.ui));
  console.log(sizeRow('Pagefind bundle, everything', pagefind.sizes.all));
}

console.log('\n## First query per query (fresh context); KB = served bytes (gzip where it helps); ms cold / warm keystroke');
const cols = ['http', 'file', ...(pfServer ? ['pagefind'] : [])];
const head = cols.map((c) => ({ http: 'folio http', file: 'folio file://', pagefind: 'Pagefind http (JS API)' })[c]);
console.log(`| ${pad('query', 24)} | ${pad('kind', 22)} | ${head.map((h) => pad(h, 40)).join(' | ')} |`);
console.log(`|${'-'.repeat(26)}|${'-'.repeat(24)}|${cols.map(() => '-'.repeat(42)).join('|')}|`);
for (const r of results) {
  const cell = (x) => pad(`${lpad(x.n, 4)} hits ${lpad(x.requests, 2)} req ${lpad(KB(x.gz), 6)} KB ${lpad(x.cold.toFixed(0), 4)}/${lpad(x.warm.toFixed(0), 3)} ms`, 40);
  console.log(`| ${pad(r.q, 24)} | ${pad(r.kind, 22)} | ${cols.map((c) => cell(r[c])).join(' | ')} |`);
}

const stat = (c, f) => results.map((r) => f(r[c]));
const line = (label, f, fmt) => `| ${pad(label, 58)} | ${cols.map((c) => lpad(fmt(c, f), 16)).join(' | ')} |`;
const med = (c, f) => median(stat(c, f));
const worst = (c, f) => max(stat(c, f));
console.log('\n## Summary: medians over the queries (worst in brackets)');
console.log(`| ${pad('metric', 58)} | ${cols.map((c) => lpad(({ http: 'folio http', file: 'folio file://', pagefind: 'Pagefind http' })[c], 16)).join(' | ')} |`);
console.log(`|${'-'.repeat(60)}|${cols.map(() => '-'.repeat(18)).join('|')}|`);
const kbw = (c, f) => `${KB(med(c, f))} (${KB(worst(c, f))})`;
const msw = (c, f) => `${med(c, f).toFixed(1)} (${worst(c, f).toFixed(1)})`;
const runtimeBytes = (c) => (c === 'pagefind' ? 0 : folioSizes.runtime.wire);
console.log(line('first-query download, served KB (files under search/ | pagefind/)', (x) => x.gz, kbw));
console.log(line('  the same + folio runtime/UI script (loaded with the page)', null, (c) => {
  const xs = stat(c, (x) => x.gz + runtimeBytes(c));
  return `${KB(median(xs))} (${KB(max(xs))})`;
}));
console.log(line('first-query download, raw KB (as stored)', (x) => x.raw, kbw));
console.log(line('requests for the first query', (x) => x.requests, (c, f) => `${med(c, f)} (${worst(c, f)})`));
console.log(line('largest single file of a first query, served KB', (x) => x.largest, kbw));
console.log(line('time to results, cold, ms (folio: incl. 35 ms debounce)', (x) => x.cold, msw));
console.log(line('time to results after a keystroke, warm, ms (idem)', (x) => x.warm, msw));
console.log(line('repeat query, all loaded, engine only, ms', (x) => x.repeat, msw));
console.log(line('queries with results', null, (c) => `${results.filter((r) => r[c].n > 0).length}/${results.length}`));
console.log(`\nfolio search files of ${ver}: term index ${MB(folioSizes.index.raw)} MB raw / ${MB(folioSizes.index.gz)} MB gz; fragments ${MB(folioSizes.fragments.raw)} MB raw / ${MB(folioSizes.fragments.gz)} MB gz (${folioSizes.fragments.files} files); runtime ${KB(folioSizes.runtime.raw)} KB raw / ${KB(folioSizes.runtime.gz)} KB gz`);
console.log('folio times run from the input event (or keydown) to the rendered dropdown with 5 snippets, and include its 35 ms debounce;');
console.log('Pagefind times run from import()/search() to data() of the first 5 results, with no UI and no debounce (its Default UI waits 300 ms).');
console.log('Pagefind\'s first-query bytes include its runtime (pagefind.js, wasm), loaded at the first query; folio\'s runtime is one script in the page.');
if (pfFile) console.log(`Pagefind from file://: ${pfFile}`);
console.log(offMachine.length ? `\nPROBLEMS reported by the pages:\n  ${[...new Set(offMachine)].join('\n  ')}` : '\nno console errors, failed requests or requests off 127.0.0.1/file://');

if (opt.json) {
  writeFileSync(opt.json, JSON.stringify({ version: ver, articles: opt.articles, versions: opt.versions, seed: opt.seed, runs: RUNS,
    folio: folioSizes, pagefind: pagefind && { version: pagefind.version, error: pagefind.error, sizes: pagefind.sizes, fromFile: pfFile },
    queries: results }, null, 2));
  log(`wrote ${opt.json}`);
}
