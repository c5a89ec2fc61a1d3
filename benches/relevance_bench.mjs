#!/usr/bin/env node
// Relevance benchmark: does the search find the page a support agent means? folio
// against Pagefind on the same pages of a real manual, with judged queries.
//
//   node benches/relevance_bench.mjs [--snapshots DIR] [--folio BIN] [--no-build]
//        [--no-pagefind] [--bytes N] [--json FILE] [--list] [--misses] [--stems]
//
// 1. The manual: the Open Dental snapshots in ../shared/corpora/opendental (manual232 =
//    23.2, manual243 = 24.3, ~116 pages each; --snapshots DIR for another copy, e.g. the
//    full manual), imported with `folio import html` and the recipe of docs/IMPORT.md,
//    then built with `folio build` into $FOLIO_BENCH_DIR/relevance/ (default
//    /tmp/folio-bench). folio is built in release mode unless --folio BIN or --no-build.
// 2. The judged queries, each with the page(s) that answer it, made from the 24.3
//    snapshot (so none of its text is stored in this repository) plus a hand-judged list:
//    - toc:     each table-of-contents label (resources/manualToc.js) of a page in the
//               snapshot → that page (a reader who knows the page's name);
//    - link:    each link text in a page's content that points to another page of the
//               snapshot and is not that page's title (1-5 words; the same text
//               pointing to several pages accepts any of them) → the linked page;
//    - heading: each h2 whose text (2-5 words) is on one page only → that page;
//    - typo:    every 4th toc label of 2+ letters-only words with its longest word's
//               middle letter dropped (7+ letters) → the same page;
//    - hand:    benches/relevance_queries.tsv, written by reading the pages: the kinds
//               of keywords support staff type (compounds as one word, abbreviations,
//               error codes, a feature's name plus a generic word, lower case). Its
//               header says how it was made.
// 3. Each query runs in the browser (Debian's chromium through tests/browser's
//    playwright-core) on the built 24.3 pages: folio's `__S.test.search(q)` (the
//    engine the box and search.html use, the last word as a prefix as when typed), and
//    Pagefind's `search(q)` over an index of the same built pages (`--root-selector
//    main`, page chrome excluded). hit@1, hit@10 (an expected page first / in the top
//    10), MRR (1/rank of the first expected page, 0 past 10) and the share of queries
//    with no result, per source and overall.
// 4. First-query bytes and time: --bytes N queries (default 12, spread over the set),
//    each in a fresh browser context over http: folio typed into the box (one input
//    event) until the dropdown shows, counting the responses under <version>/search/;
//    Pagefind from import() to data() of the first 5 results, counting everything under
//    pagefind/ (its runtime and wasm included). Gzip sizes computed with node's zlib.
// --list prints the judged set, --misses every query whose expected page is not first,
// --stems checks the JS stemmer against the Rust one on every word of the built 24.3
// pages (the `folio debug-terms` hidden command) and exits.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(HERE);
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

const { values: opt } = parseArgs({
  options: {
    snapshots: { type: 'string', default: path.join(REPO, '..', 'shared', 'corpora', 'opendental') },
    folio: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-pagefind': { type: 'boolean', default: false },
    bytes: { type: 'string', default: '12' },
    json: { type: 'string' },
    list: { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    stems: { type: 'boolean', default: false },
    'fresh-js': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(text.split('\n').slice(1).filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
  process.exit(0);
}
if (!existsSync(path.join(REPO, 'tests/browser/node_modules/playwright-core/package.json'))) {
  console.error('tests/browser/node_modules is missing: run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/browser`');
  process.exit(2);
}
const { launchBrowser, openContext, startServer } = await import('../tests/browser/harness.mjs');

const log = (...a) => console.error('relevance-bench:', ...a);
const gz = (buf) => gzipSync(buf).length;
const wire = (buf) => Math.min(buf.length, gz(buf));
const KB = (b) => (b / 1024).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
};

// ------------------------------------------------------------------ folio, import, build

const snapshots = path.resolve(opt.snapshots);
const NEW = 'manual243';
if (!existsSync(path.join(snapshots, NEW))) throw new Error(`no ${NEW}/ in ${snapshots}`);
const work = path.join(process.env.FOLIO_BENCH_DIR || '/tmp/folio-bench', 'relevance');
let folio = opt.folio ? path.resolve(opt.folio) : path.join(process.env.CARGO_TARGET_DIR || path.join(REPO, 'target'), 'release/folio');
if (!opt.folio && !opt['no-build']) {
  log('cargo build --release');
  execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: REPO, stdio: 'inherit' });
}
if (!existsSync(folio)) throw new Error(`no folio binary at ${folio}`);

const src = path.join(work, 'src');
const site = path.join(work, 'site');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const versionsIn = readdirSync(snapshots).filter((d) => /^manual\d+$/.test(d)).sort();
// The recipe of docs/IMPORT.md, one --version per snapshot folder (manual232 = 23.2).
const importArgs = ['import', 'html', '--quiet'];
for (const d of versionsIn) importArgs.push('--version', `${d.slice(6, -1)}.${d.slice(-1)}=${path.join(snapshots, d)}`);
importArgs.push('--content', 'div.GeneralPageContent', '--content', 'td[bgcolor="#FFFFFF"]', '--title', 'div.TopBar2 > p',
  '--title', 'h1', '--title-prefix', 'Open Dental Software Manual - ', '--title-prefix', 'Open Dental Software - ',
  '--toc', 'resources/manualToc.js', '--skip', 'search.html', '--skip', 'searchmanual.html',
  '--site-url', 'https://www.opendental.com/', '--manual-title', 'Open Dental Manual', '--into', src);
log(`folio import html (${versionsIn.join(', ')})`);
execFileSync(folio, importArgs, { stdio: ['ignore', 'ignore', 'inherit'] });
log('folio build');
execFileSync(folio, ['build', '--quiet', '--root', src, '--out', site], { stdio: ['ignore', 'ignore', 'inherit'] });
const vdir = path.join(site, NEW);
if (opt['fresh-js']) {
  // (while working on search.js: the theme's scripts of this working tree instead of
  // those built into the binary)
  const js = ['folio.js', 'terms.js', 'search.js', 'search-ui.js'].map((f) => readFileSync(path.join(REPO, 'themes/default/static', f), 'utf8')).join('\n');
  for (const f of readdirSync(path.join(site, 'assets'))) if (/^folio\.[0-9a-f]+\.js$/.test(f)) writeFileSync(path.join(site, 'assets', f), js);
}

// The built version's documents: id → slug, from its fragments (`__S.f([url,title,…])`).
const fdir = path.join(vdir, 'search/f');
const docs = [];
for (const f of readdirSync(fdir)) {
  const text = readFileSync(path.join(fdir, f), 'utf8');
  const d = JSON.parse(text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')));
  docs[Number(f.replace('.js', ''))] = { slug: d[0].replace(/\.html$/, ''), title: d[1], sections: d[2] };
}
const slugs = new Set(docs.map((d) => d.slug));

// ------------------------------------------------------------------ stemmer check

if (opt.stems) {
  const words = new Set();
  for (const d of docs) for (const t of [d.title, ...d.sections.flatMap((s) => [s[1], s[2]])]) for (const w of t.match(/[\p{Alphabetic}\p{N}]+/gu) ?? []) words.add(w);
  const list = [...words].sort();
  const rust = execFileSync(folio, ['debug-terms'], { input: list.join('\n') + '\n', maxBuffer: 1 << 28 }).toString().split('\n');
  const { jsTerms } = await import('../tests/browser/stemmer.mjs');
  const js = jsTerms(path.join(REPO, 'themes/default/static/search.js'), list);
  let bad = 0;
  list.forEach((w, i) => {
    if (rust[i] !== js[i] && bad++ < 20) console.log(`differs: ${w}: rust ${rust[i]} js ${js[i]}`);
  });
  console.log(`stems: ${list.length} words of ${NEW}, ${bad} differ`);
  process.exit(bad ? 1 : 0);
}

// ------------------------------------------------------------------ the judged queries

const raw = (f) => readFileSync(path.join(snapshots, NEW, f), 'latin1');
const decode = (s) =>
  s.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&gt;/g, '>').replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/\s+/g, ' ').trim();
const norm = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const pages = readdirSync(path.join(snapshots, NEW)).filter((f) => f.endsWith('.html') && slugs.has(f.slice(0, -5)));
const titleOf = new Map(docs.map((d) => [d.slug, norm(d.title)]));
const judged = [];
const add = (source, q, want) => {
  q = q.trim();
  if (!q || q.length > 60 || !want.length) return;
  if (judged.some((j) => j.source === source && j.q.toLowerCase() === q.toLowerCase())) return;
  judged.push({ source, q, want: [...new Set(want)] });
};
// toc
const toc = readFileSync(path.join(snapshots, NEW, 'resources/manualToc.js'), 'latin1').replace(/\\"/g, '"');
const tocLabels = [];
for (const m of toc.matchAll(/<a href="[^"]*?([\w-]+)\.html">([^<]+)<\/a>/g)) {
  if (slugs.has(m[1])) tocLabels.push([decode(m[2]), m[1]]);
}
for (const [label, slug] of tocLabels) add('toc', label, [slug]);
// link
const links = new Map();
for (const f of pages) {
  const body = raw(f);
  const at = body.indexOf('GeneralPageContent');
  for (const m of body.slice(at < 0 ? 0 : at).matchAll(/<a\s[^>]*href="([\w-]+)\.html"[^>]*>(.*?)<\/a>/gs)) {
    const text = decode(m[2]);
    const n = text.split(' ').length;
    if (!slugs.has(m[1]) || m[1] === f.slice(0, -5) || n > 5 || !/[a-z]/i.test(text) || /^(here|click here|this page)$/i.test(text)) continue;
    if (norm(text) === titleOf.get(m[1])) continue;
    const key = text.toLowerCase();
    const prev = links.get(key);
    links.set(key, [prev?.[0] ?? text, [...(prev?.[1] ?? []), m[1]]]);
  }
}
for (const [text, want] of links.values()) add('link', text, want);
// heading
const heads = new Map();
for (const f of pages) {
  for (const m of raw(f).matchAll(/<h2[^>]*>(.*?)<\/h2>/gs)) {
    const text = decode(m[1]);
    const n = text.split(' ').length;
    if (n < 2 || n > 5) continue;
    const key = norm(text);
    if (!heads.has(key)) heads.set(key, [text, new Set()]);
    heads.get(key)[1].add(f.slice(0, -5));
  }
}
for (const [text, set] of heads.values()) if (set.size === 1) add('heading', text, [...set]);
// typo
tocLabels.forEach(([label, slug], i) => {
  const ws = label.split(' ');
  if (i % 4 || ws.length < 2 || !ws.every((w) => /^[a-z]+$/i.test(w))) return;
  const long = ws.reduce((a, b) => (b.length > a.length ? b : a));
  if (long.length < 7) return;
  const h = long.length >> 1;
  add('typo', ws.map((w) => (w === long ? w.slice(0, h) + w.slice(h + 1) : w)).join(' '), [slug]);
});
// hand
for (const line of readFileSync(path.join(HERE, 'relevance_queries.tsv'), 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [q, want] = line.split('\t');
  const ok = want.split(/\s+/).filter((s) => slugs.has(s));
  if (ok.length) add('hand', q, ok);
  else log(`hand query "${q}": none of ${want} is a page of ${NEW}`);
}
const SOURCES = ['toc', 'link', 'heading', 'typo', 'hand'];
if (opt.list) {
  for (const j of judged) console.log(`${j.source}\t${j.q}\t${j.want.join(' ')}`);
  process.exit(0);
}
log(`${judged.length} judged queries: ${SOURCES.map((s) => `${s} ${judged.filter((j) => j.source === s).length}`).join(', ')}`);

// ------------------------------------------------------------------ running them

const browser = await launchBrowser();
const server = await startServer(site);

function score(ranks) {
  const n = ranks.length;
  const hit1 = ranks.filter((r) => r === 1).length / n;
  const hit10 = ranks.filter((r) => r >= 1 && r <= 10).length / n;
  const mrr = ranks.reduce((a, r) => a + (r >= 1 && r <= 10 ? 1 / r : 0), 0) / n;
  return { n, hit1, hit10, mrr };
}

async function folioRanks() {
  const s = await openContext(browser);
  try {
    await s.page.goto(`${server.url}/${NEW}/index.html`, { waitUntil: 'load' });
    await s.page.waitForFunction(() => window.__S?.test);
    const out = await s.page.evaluate(async (qs) => {
      const res = [];
      for (const q of qs) {
        const r = await window.__S.test.search(q);
        res.push({ ids: r.ranked.slice(0, 10), n: r.ranked.length });
      }
      return res;
    }, judged.map((j) => j.q));
    return out.map((r) => ({ top: r.ids.map((i) => docs[i].slug), n: r.n }));
  } finally {
    await s.close();
  }
}

function setupPagefind() {
  const npmDir = path.join(path.dirname(work), 'search', 'pagefind-npm');
  const bin = path.join(npmDir, 'node_modules/.bin/pagefind');
  if (!existsSync(bin)) {
    log(`npm install pagefind --prefix ${npmDir}`);
    mkdirSync(npmDir, { recursive: true });
    if (!existsSync(path.join(npmDir, 'package.json'))) writeFileSync(path.join(npmDir, 'package.json'), '{"private":true}\n');
    const r = spawnSync('npm', ['install', 'pagefind', '--prefix', npmDir, '--no-audit', '--no-fund'], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(bin)) return { error: `npm install pagefind failed (${r.status}): ${(r.stderr || '').trim().slice(-400)}` };
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^pagefind\s+/i, '');
  const root = path.join(work, 'pagefind-site');
  mkdirSync(root, { recursive: true });
  const args = ['--site', vdir, '--output-path', path.join(root, 'pagefind'), '--glob', '*.html', '--root-selector', 'main',
    '--exclude-selectors', 'main > nav, .children, .on-this-page, main > section', '--quiet'];
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status !== 0) return { error: `pagefind failed (${r.status}): ${(r.stderr || r.stdout).trim().slice(-400)}` };
  writeFileSync(path.join(root, 'bench.html'), '<!doctype html><meta charset="utf-8"><title>pagefind bench</title><p>bench</p>\n');
  return { version, root };
}

async function pagefindRanks(pf) {
  const pserver = await startServer(pf.root);
  const s = await openContext(browser);
  try {
    await s.page.goto(`${pserver.url}/bench.html`, { waitUntil: 'load' });
    const out = await s.page.evaluate(async (qs) => {
      const pf = await import('./pagefind/pagefind.js');
      const res = [];
      for (const q of qs) {
        const r = await pf.search(q);
        const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
        res.push({ urls: data.map((d) => d.url), n: r.results.length });
      }
      return res;
    }, judged.map((j) => j.q));
    return out.map((r) => ({ top: r.urls.map((u) => u.split('/').pop().replace(/\.html$/, '')), n: r.n }));
  } finally {
    await s.close();
    await pserver.close?.();
  }
}

function evaluate(results) {
  const ranks = judged.map((j, i) => {
    const r = results[i].top.findIndex((slug) => j.want.includes(slug));
    return r < 0 ? 0 : r + 1;
  });
  const table = {};
  for (const s of [...SOURCES, 'all']) {
    const idx = judged.map((j, i) => i).filter((i) => s === 'all' || judged[i].source === s);
    if (!idx.length) continue;
    table[s] = { ...score(idx.map((i) => ranks[i])), zero: idx.filter((i) => results[i].n === 0).length / idx.length };
  }
  return { ranks, table };
}

// ------------------------------------------------------------------ first-query bytes

async function measured(under, fn) {
  const s = await openContext(browser);
  const files = [];
  let recording = false;
  s.context.on('response', (r) => {
    if (recording && r.url().includes(under)) files.push(r.body().then((body) => body));
  });
  try {
    const ms = await fn(s.page, () => (recording = true));
    recording = false;
    const bodies = await Promise.all(files);
    return { ms, requests: bodies.length, raw: bodies.reduce((a, b) => a + b.length, 0), gz: bodies.reduce((a, b) => a + wire(b), 0) };
  } finally {
    await s.close();
  }
}

function folioQuery(q) {
  const input = document.querySelector('form[role=search] input[name=q]');
  const pop = document.querySelector('.search-pop');
  const want = q.trim();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const foot = pop.querySelector('.search-foot');
    // the box marks the query it has shown (data-q); before it did, its footer said so
    const done = () => pop.getAttribute('data-q') === want ||
      foot.querySelector('a.search-all')?.getAttribute('href').endsWith(`?q=${encodeURIComponent(want)}`) ||
      foot.textContent === `No results for “${want}”`;
    const ob = new MutationObserver(() => {
      if (!done()) return;
      ob.disconnect();
      resolve(performance.now() - t0);
    });
    ob.observe(pop, { attributes: true, childList: true, subtree: true, characterData: true });
    setTimeout(() => reject(new Error(`no results for ${q} after 20 s`)), 20_000);
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function firstQueryBytes(pf) {
  const n = Math.min(Number(opt.bytes), judged.length);
  const sample = Array.from({ length: n }, (_, i) => judged[Math.floor(((i + 0.5) * judged.length) / n)].q);
  const rows = [];
  for (const q of sample) {
    const f = await measured(`/${NEW}/search/`, async (page, start) => {
      await page.goto(`${server.url}/${NEW}/index.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('.search-pop'));
      start();
      return page.evaluate(folioQuery, q);
    });
    let p = null;
    if (pf && !pf.error) {
      const pserver = await startServer(pf.root);
      p = await measured('/pagefind/', async (page, start) => {
        await page.goto(`${pserver.url}/bench.html`, { waitUntil: 'load' });
        start();
        return page.evaluate(async (q) => {
          const t0 = performance.now();
          const pf = await import('./pagefind/pagefind.js');
          const r = await pf.search(q);
          await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
          return performance.now() - t0;
        }, q);
      });
      await pserver.close?.();
    }
    rows.push({ q, folio: f, pagefind: p });
  }
  return rows;
}

// ------------------------------------------------------------------ run and report

const t0 = performance.now();
const folioRes = await folioRanks();
const folioMs = performance.now() - t0;
const folioEval = evaluate(folioRes);
let pf = null, pfEval = null;
if (!opt['no-pagefind']) {
  pf = setupPagefind();
  if (pf.error) log(pf.error);
  else pfEval = evaluate(await pagefindRanks(pf));
}
const bytes = await firstQueryBytes(pf);
await browser.close();
await server.close?.();

const pct = (x) => (100 * x).toFixed(1).padStart(5);
console.log(`\nRelevance on ${NEW} (${docs.length} pages), ${judged.length} judged queries; folio ${path.relative(REPO, folio) || folio}${pf?.version ? `, Pagefind ${pf.version}` : ''}`);
console.log('source    queries | folio hit@1 hit@10   MRR  zero | Pagefind hit@1 hit@10   MRR  zero');
for (const s of Object.keys(folioEval.table)) {
  const a = folioEval.table[s], b = pfEval?.table[s];
  console.log(`${s.padEnd(9)} ${String(a.n).padStart(7)} |       ${pct(a.hit1)}  ${pct(a.hit10)} ${a.mrr.toFixed(3)} ${pct(a.zero)} |` +
    (b ? `          ${pct(b.hit1)}  ${pct(b.hit10)} ${b.mrr.toFixed(3)} ${pct(b.zero)}` : ' -'));
}
console.log(`(folio ran the ${judged.length} queries in ${(folioMs / 1000).toFixed(1)} s in one page)`);
console.log('\nFirst query in a fresh browser (http; gzip computed):');
console.log('query                          | folio req   raw KB  gz KB    ms | Pagefind req   raw KB  gz KB    ms');
for (const r of bytes) {
  const f = r.folio, p = r.pagefind;
  console.log(`${r.q.slice(0, 30).padEnd(30)} | ${String(f.requests).padStart(9)} ${KB(f.raw).padStart(8)} ${KB(f.gz).padStart(6)} ${f.ms.toFixed(0).padStart(5)} |` +
    (p ? ` ${String(p.requests).padStart(12)} ${KB(p.raw).padStart(8)} ${KB(p.gz).padStart(6)} ${p.ms.toFixed(0).padStart(5)}` : ' -'));
}
const med = (k, who) => median(bytes.map((r) => r[who]?.[k]).filter((x) => x != null));
console.log(`${'median'.padEnd(30)} | ${String(med('requests', 'folio')).padStart(9)} ${KB(med('raw', 'folio')).padStart(8)} ${KB(med('gz', 'folio')).padStart(6)} ${med('ms', 'folio').toFixed(0).padStart(5)} |` +
  (pf && !pf.error ? ` ${String(med('requests', 'pagefind')).padStart(12)} ${KB(med('raw', 'pagefind')).padStart(8)} ${KB(med('gz', 'pagefind')).padStart(6)} ${med('ms', 'pagefind').toFixed(0).padStart(5)}` : ''));
if (opt.misses) {
  console.log('\nQueries whose expected page is not first in folio (rank 0 = not in the top 10):');
  judged.forEach((j, i) => {
    if (folioEval.ranks[i] !== 1) {
      console.log(`${j.source}\t${j.q}\twant ${j.want.join('|')}\trank ${folioEval.ranks[i]}\tgot ${folioRes[i].top.slice(0, 3).join(' ')}${pfEval ? `\tpagefind ${pfEval.ranks[i]}` : ''}`);
    }
  });
}
if (opt.json) {
  writeFileSync(opt.json, JSON.stringify({ judged, folio: folioEval, pagefind: pfEval, bytes, folioTop: folioRes }, null, 1));
}
