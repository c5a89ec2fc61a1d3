// Shared helpers for the browser tests of a built folio site.
//
// The site folder comes from FOLIO_SITE (tests/browser.rs builds the sample manual
// and sets it). The browser is Debian's chromium at /usr/bin/chromium, driven by
// playwright-core; nothing here downloads a browser or reaches the network: every
// request that would leave 127.0.0.1 or file:// is recorded and aborted.
//
//   import { siteDir, launchBrowser, startServer, fileUrl, openPage } from './harness.mjs';

import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

/** Debian's chromium (apt-get install chromium). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, headless chromium running as root. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Belt and braces for "offline": no host name resolves, so nothing can leave even if
  // a request slipped past the routing in openContext.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Viewports used by the tests and screenshots. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** The built site folder (env FOLIO_SITE), checked to be a folio output. */
export function siteDir() {
  const dir = process.env.FOLIO_SITE;
  if (!dir) {
    throw new Error('FOLIO_SITE is not set: build a site (folio build --out DIR) and set FOLIO_SITE=DIR, or run `cargo test --test browser`');
  }
  const abs = path.resolve(dir);
  if (!existsSync(path.join(abs, 'versions.json'))) {
    throw new Error(`FOLIO_SITE=${dir} is not a folio site (no versions.json)`);
  }
  return abs;
}

/** The site's versions.json. */
export async function versions(dir = siteDir()) {
  return JSON.parse(await readFile(path.join(dir, 'versions.json'), 'utf8'));
}

/**
 * Launches headless chromium. Playwright gives the browser a fresh temporary profile
 * (user-data dir) and removes it on close.
 */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium: apt-get install chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

/** Runs `fn(browser)` and closes the browser afterwards, whatever happens. */
export async function withBrowser(fn) {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

/** The content type served for a file name. */
export function contentType(name) {
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves `dir` as static files on 127.0.0.1 at a free port. Directories serve their
 * index.html (a directory URL without a trailing slash is redirected to one, so
 * relative links resolve as on a real server). Returns { url, port, requests, close },
 * where `url` has no trailing slash and `requests` lists "METHOD path status" lines.
 */
export async function startServer(dir) {
  const root = path.resolve(dir);
  const requests = [];
  const server = createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      requests.push(`${req.method} ${req.url} ${status}`);
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', { allow: 'GET, HEAD' });
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    const file = path.join(root, path.normalize(rel));
    if (rel.includes('\0') || (file !== root && !file.startsWith(root + path.sep))) return send(403, 'forbidden\n');
    let target = file;
    let info = await stat(target).catch(() => null);
    if (info?.isDirectory()) {
      if (!rel.endsWith('/')) {
        const q = new URL(req.url, 'http://127.0.0.1').search;
        return send(301, 'moved\n', { location: `${rel}/${q}` });
      }
      target = path.join(target, 'index.html');
      info = await stat(target).catch(() => null);
    }
    if (!info?.isFile()) return send(404, `not found: ${rel}\n`);
    requests.push(`${req.method} ${req.url} 200`);
    res.writeHead(200, {
      'content-type': contentType(target),
      'content-length': info.size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(target).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The file:// URL of `rel` (a `/`-separated path) under `dir`. */
export function fileUrl(dir, rel = '') {
  const url = pathToFileURL(path.join(path.resolve(dir), ...rel.split('/'))).href;
  return rel.endsWith('/') && !url.endsWith('/') ? `${url}/` : url;
}

/**
 * How to reach the site: over http from `server`, or from disk. `mode.url(rel)` gives
 * the address of a site-relative path; `mode.rel(url)` the reverse (or null).
 */
export function siteMode(name, dir, server) {
  const base = name === 'http' ? `${server.url}/` : fileUrl(dir, '/');
  return {
    name,
    base,
    url: (rel) => (name === 'http' ? new URL(rel, base).href : fileUrl(dir, rel)),
    rel: (url) => (url.startsWith(base) ? decodeURIComponent(url.slice(base.length).split(/[?#]/)[0]) : null),
  };
}

/** True for URLs that stay on this machine: file://, 127.0.0.1 and in-page schemes. */
export function isLocal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['file:', 'data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname === '127.0.0.1';
}

/**
 * A browser context that records what goes wrong: console errors and warnings, page
 * errors, failed requests, HTTP errors and any request that would leave the machine
 * (those are aborted, never sent). Returns { context, page, problems, requests,
 * assertClean(), close() }.
 */
export async function openContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  // Fail fast: the site is local and small, nothing should take seconds.
  context.setDefaultTimeout(10_000);
  const problems = [];
  const requests = [];
  // Anything not local is blocked here, so a bug can never reach the network.
  await context.route((url) => !isLocal(url.href), (route) => {
    problems.push(`blocked request off 127.0.0.1/file://: ${route.request().method()} ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    requests.push(r.url());
    if (!isLocal(r.url())) problems.push(`non-local request: ${r.url()}`);
  });
  context.on('requestfailed', (r) => {
    // Leaving a page aborts what it still loads; that is not a fault of the page.
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} (${why})`);
  });
  context.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      const loc = m.location();
      problems.push(`console ${m.type()}: ${m.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  context.on('weberror', (e) => problems.push(`page error: ${e.error()?.stack ?? e.error()}`));
  const page = await context.newPage();
  return {
    context,
    page,
    problems,
    requests,
    assertClean() {
      if (problems.length) throw new Error(`the pages reported problems:\n  ${problems.join('\n  ')}`);
      const away = requests.filter((u) => !isLocal(u));
      if (away.length) throw new Error(`requests left the machine:\n  ${away.join('\n  ')}`);
    },
    close: () => context.close(),
  };
}

/**
 * Runs `fn(session)` in a fresh context from `openContext`, then asserts that nothing
 * went wrong there (console errors, page errors, failed or off-machine requests) and
 * that no dialog opened (nothing from the site's content ran as script).
 */
export async function runInContext(browser, options, fn) {
  const s = await openContext(browser, options);
  const dialogs = [];
  s.context.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  try {
    await fn(s);
  } catch (e) {
    if (s.problems.length) e.message += `\n(the pages also reported:\n  ${s.problems.join('\n  ')})`;
    throw e;
  } finally {
    await s.close();
  }
  if (dialogs.length) throw new Error(`a dialog opened: ${dialogs.join('; ')}`);
  s.assertClean();
}

/** A folder for screenshots: env FOLIO_SCREENSHOTS, else a new temporary folder. */
export function screenshotDir() {
  const dir = process.env.FOLIO_SCREENSHOTS;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    return path.resolve(dir);
  }
  return mkdtempSync(path.join(tmpdir(), 'folio-screenshots-'));
}

/**
 * What a test file shares: a static server on `dir`, one browser, a list of cleanups,
 * and `inContext(options, fn)` (see `runInContext`). Browser, server and cleanups are
 * closed after the file's tests.
 */
export async function startSuite(dir) {
  const server = await startServer(dir);
  const browser = await launchBrowser().catch(async (e) => {
    await server.close(); // or the open server keeps the test file running
    throw e;
  });
  const cleanups = [];
  after(async () => {
    await browser.close();
    await server.close();
    for (const c of cleanups) await c();
  });
  return { server, browser, cleanups, inContext: (options, fn) => runInContext(browser, options, fn) };
}

/**
 * Writes `files` (path under the manual's root -> text) into a new temporary folder,
 * builds them with the folio binary `bin` and serves the site; the folder and the server
 * go into `cleanups`. Returns the site's folder and its server.
 */
export async function buildManual(bin, prefix, files, cleanups) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const src = path.join(dir, 'src');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
    writeFileSync(path.join(src, rel), text);
  }
  const site = path.join(dir, 'site');
  execFileSync(bin, ['build', '--quiet', '--root', src, '--out', site], { stdio: ['ignore', 'ignore', 'pipe'] });
  const server = await startServer(site);
  cleanups.push(() => server.close());
  return { site, server };
}
