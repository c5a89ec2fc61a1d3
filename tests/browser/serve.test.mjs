// folio serve in the browser: an open page reloads by itself after its article is
// edited (and a page the edit does not touch stays as it is); a broken edit shows the
// errors over the last good page, and fixing it clears them and reloads.
//
// Starts the binary named by FOLIO_BIN (tests/browser.rs passes the one cargo built) on
// a temp copy of tests/fixtures/serve-basic, with its own TMPDIR, and kills it after.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { launchBrowser, openContext } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, '..', 'fixtures', 'serve-basic');
const bin = process.env.FOLIO_BIN;
/** Rebuilds take milliseconds; this allows for a busy machine and a debug build. */
const WAIT = 30_000;

describe('folio serve', { skip: bin ? false : 'FOLIO_BIN is not set (tests/browser.rs sets it)' }, () => {
  let dir, manual, child, url, browser;
  let stderr = '';

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'folio-serve-browser-'));
    manual = path.join(dir, 'manual');
    cpSync(fixture, manual, { recursive: true });
    mkdirSync(path.join(dir, 'tmp'));
    child = spawn(bin, ['serve', '--port', '0', '--root', manual], {
      env: { ...process.env, TMPDIR: path.join(dir, 'tmp'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`folio serve printed no URL:\n${stderr}`)), 60_000);
      child.once('exit', (code) => reject(new Error(`folio serve exited (${code}):\n${stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /^serving at (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line.trim());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    child?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reloads the edited page, shows errors over it, and recovers', async () => {
    const ctx = await openContext(browser);
    const other = await ctx.context.newPage();
    try {
      const { page } = ctx;
      const install = path.join(manual, 'articles', 'install.md');
      await page.goto(`${url}v2.0/install.html`);
      await other.goto(`${url}v1.0/welcome.html`);
      assert.match(await page.textContent('main'), /4 GB of memory/);
      // Marks that a reload would wipe.
      await page.evaluate(() => {
        window.folioTestMark = 'before';
      });
      await other.evaluate(() => {
        window.folioTestMark = 'before';
      });

      appendFileSync(install, '\nWritten while the browser watched.\n');
      await page.waitForFunction(
        () => document.querySelector('main')?.textContent.includes('Written while the browser watched.'),
        null,
        { timeout: WAIT },
      );
      assert.equal(await page.evaluate(() => window.folioTestMark), undefined, 'the page reloaded');

      appendFileSync(install, '\nSee [the gone page](nowhere.md).\n');
      const overlay = page.locator('#folio-problems');
      await overlay.waitFor({ timeout: WAIT });
      assert.match(await overlay.textContent(), /articles\/install\.md:\d+: version 1\.0\.\.2\.0: link target 'nowhere' does not exist/);
      assert.doesNotMatch(await page.textContent('main'), /the gone page/, 'the last good page stays');
      assert.match(stderr, /link target 'nowhere' does not exist/);

      writeFileSync(install, readFileSync(install, 'utf8').replace('nowhere.md', 'welcome.md'));
      await page.waitForFunction(
        () => !document.getElementById('folio-problems') && document.querySelector('main')?.textContent.includes('the gone page'),
        null,
        { timeout: WAIT },
      );
      assert.equal(await page.getAttribute('main a[href="welcome.html"]', 'href'), 'welcome.html');
      assert.equal(await other.evaluate(() => window.folioTestMark), 'before', 'an untouched page did not reload');
      ctx.assertClean();
    } finally {
      await ctx.close();
    }
  });
});
