// Screenshots of the default theme on the sample manual, for docs/screenshots/: the
// troubleshooting page at desktop (1280 px) and phone (390 px) width, light and dark,
// the version menu being filtered, notes and a code block, an archived version's page,
// two versions and one article compared, the print page (its first sheet, and one
// section on screen), and the first printed page (print media; the PDF page is turned into a PNG with
// pdftoppm from Debian's poppler-utils).
//
// Run by hand from the repository's root, after `cargo build --release`:
//
//   node tests/browser/screenshots.mjs [--out docs/screenshots] [--site DIR]
//
// Without --site it builds the sample manual with target/release/folio (or FOLIO_BIN)
// into a temporary folder. Needs tests/browser/node_modules (npm ci --prefix
// tests/browser) and Debian's chromium, like the browser tests; nothing is downloaded.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DESKTOP, PHONE, launchBrowser, startServer } from './harness.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const OUT = path.resolve(opt('--out', path.join(REPO, 'docs/screenshots')));
let site = opt('--site', null);
let tmp = null;
if (!site) {
  const bin = process.env.FOLIO_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'release/folio');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: cargo build --release, or set FOLIO_BIN`);
  tmp = mkdtempSync(path.join(tmpdir(), 'folio-shots-'));
  site = path.join(tmp, 'site');
  execFileSync(bin, ['build', '--quiet', '--root', REPO, '--out', site], { stdio: 'inherit' });
}
mkdirSync(OUT, { recursive: true });

const server = await startServer(site);
const browser = await launchBrowser();
const PAGE = 'manual243/portaltroubleshooting.html';
const phone = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const written = [];

async function shot(name, options, fn) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  const page = await context.newPage();
  try {
    const file = path.join(OUT, `${name}.png`);
    const go = async (rel) => {
      await page.goto(`${server.url}/${rel}`);
      await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
    };
    const custom = await fn(page, go, file);
    if (!custom) await page.screenshot({ path: file });
    written.push(file);
  } finally {
    await context.close();
  }
}

// 1, 2: a long troubleshooting page, scrolled to a section: compact headings, the
// permalink shown on a hovered heading, "On this page" following the scroll position.
for (const scheme of ['light', 'dark']) {
  await shot(`desktop-article-${scheme}`, { colorScheme: scheme }, async (page, go) => {
    await go(`${PAGE}#error-103`);
    await page.locator('#error-103').hover();
    await page.waitForTimeout(200);
  });
}
// 3: the phone: one sticky row at the top, the title high up, "On this page" unfolded.
await shot('phone-article', phone, async (page, go) => {
  await go(PAGE);
  await page.locator('details.otp-fold > summary').click();
});
// 4: the phone, dark, scrolled: the top bar stays, with search and the version menu.
await shot('phone-dark-scrolled', { ...phone, colorScheme: 'dark' }, async (page, go) => {
  await go(`${PAGE}#login-failed`);
  await page.waitForTimeout(200);
});
// 5: the version menu, grouped by status and filtered by typing.
await shot('desktop-version-menu', {}, async (page, go) => {
  await go(PAGE);
  await page.locator('body > header summary').click();
  await page.keyboard.type('2');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
});
// 6, 7: typed notes and a code block with its Copy button, light and dark.
for (const scheme of ['light', 'dark']) {
  await shot(`desktop-notes-code-${scheme}`, { colorScheme: scheme }, async (page, go) => {
    await go('manual243/middletier.html#check-connection');
    await page.locator('.copy').first().focus();
  });
}
// 8: an archived version's page: the banner, the logo, the footer's text and links.
await shot('desktop-archived', { viewport: { width: 1280, height: 700 } }, async (page, go, file) => {
  await go('manual164/patients.html');
  await page.screenshot({ path: file, fullPage: true });
  return true;
});
// 9: the first printed page of the troubleshooting page: the manual, version and
// address on top, the page number at the bottom, no top bar, tree or footer.
await shot('print-article', {}, async (page, go, file) => {
  await go(PAGE);
  const pdf = path.join(tmp ?? mkdtempSync(path.join(tmpdir(), 'folio-shots-')), 'print.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, file.replace(/\.png$/, '')]);
  return true;
});

// 10, 11: comparing two versions on the what-changed page, reached from the version
// menu of a v16.4 page: everything that changed up to v24.3, light and dark.
for (const scheme of ['light', 'dark']) {
  await shot(`desktop-compare-${scheme}`, { colorScheme: scheme, viewport: { width: 1280, height: 900 } }, async (page, go) => {
    await go('manual164/changes.html?from=16.4&to=24.3');
    await page.locator('#compare-result').waitFor();
  });
}
// 12: one article compared across versions, on a phone.
await shot('phone-compare-article', phone, async (page, go) => {
  await go('manual243/changes.html?article=portaltroubleshooting&from=15.4&to=24.3');
  await page.locator('#compare-result').waitFor();
});

// 13, 14: the version's print page: its first printed sheet (cover and contents), and
// on screen one section of it (print.html#section:<slug>), as "Print this section" shows.
await shot('print-manual', {}, async (page, go, file) => {
  await go('manual243/print.html');
  const pdf = path.join(tmp ?? mkdtempSync(path.join(tmpdir(), 'folio-shots-')), 'manual.pdf');
  await page.pdf({ path: pdf, format: 'A4' });
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, file.replace(/\.png$/, '')]);
  return true;
});
await shot('desktop-print-section', {}, async (page, go) => {
  await go('manual243/print.html#section:eservicessetup');
});

await browser.close();
await server.close();
if (tmp) rmSync(tmp, { recursive: true, force: true });
for (const f of written) console.log(`${f} (${Math.round(statSync(f).size / 1024)} KiB)`);
