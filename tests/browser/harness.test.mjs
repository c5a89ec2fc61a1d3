// Tests of the harness itself: the static server, file:// URLs, and that a context
// really reports page errors, console errors and requests that would leave the machine
// (so a clean run of the site tests means something). Uses its own small pages.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { fileUrl, isLocal, launchBrowser, openContext, siteMode, startServer } from './harness.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'folio-harness-'));
const files = {
  'index.html': '<!DOCTYPE html><title>root</title><p>root',
  'sub dir/index.html': '<!DOCTYPE html><title>sub</title><p>sub',
  'a.css': 'p { color: red }',
  'a.js': 'window.a = 1;',
  'a.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'clean.html': '<!DOCTYPE html><title>clean</title><link rel="stylesheet" href="a.css"><script src="a.js"></script><p>ok',
  'throws.html': '<!DOCTYPE html><title>throws</title><script>throw new Error("boom")</script>',
  'logs.html': '<!DOCTYPE html><title>logs</title><script>console.error("bad thing")</script>',
  // Another loopback address: off the site's host, yet nothing leaves the machine.
  'leaks.html': '<!DOCTYPE html><title>leaks</title><img src="http://127.0.0.2:9/pixel.png">',
  'missing.html': '<!DOCTYPE html><title>missing</title><script src="nope.js"></script>',
};
for (const [rel, text] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

let server, browser;
before(async () => {
  server = await startServer(dir);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startServer', () => {
  it('serves files with their content type on 127.0.0.1', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const [rel, type] of [
      ['a.css', 'text/css'],
      ['a.js', 'text/javascript'],
      ['a.svg', 'image/svg+xml'],
      ['clean.html', 'text/html'],
    ]) {
      const res = await fetch(`${server.url}/${rel}`);
      assert.equal(res.status, 200, rel);
      assert.ok(res.headers.get('content-type').startsWith(type), `${rel}: ${res.headers.get('content-type')}`);
      assert.equal(await res.text(), files[rel]);
    }
  });

  it('serves index.html for folders, redirecting to the trailing slash', async () => {
    assert.equal(await (await fetch(`${server.url}/`)).text(), files['index.html']);
    assert.equal(await (await fetch(`${server.url}/sub%20dir/`)).text(), files['sub dir/index.html']);
    const res = await fetch(`${server.url}/sub%20dir?x=1`, { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/sub dir/?x=1');
  });

  it('answers 404 for missing files and never serves outside its folder', async () => {
    assert.equal((await fetch(`${server.url}/nope.html`)).status, 404);
    for (const p of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await fetch(`${server.url}${p}`);
      assert.ok([403, 404].includes(res.status), `${p}: ${res.status}`);
    }
    assert.equal((await fetch(`${server.url}/a.css`, { method: 'POST' })).status, 405);
  });
});

describe('URLs', () => {
  it('fileUrl and siteMode map site paths both ways', () => {
    assert.equal(fileUrl('/tmp/x y', 'a/b.html'), 'file:///tmp/x%20y/a/b.html');
    const file = siteMode('file', dir, server);
    assert.equal(file.rel(file.url('sub dir/index.html')), 'sub dir/index.html');
    const http = siteMode('http', dir, server);
    assert.equal(http.url('a/b.html'), `${server.url}/a/b.html`);
    assert.equal(http.rel(`${server.url}/a/b.html#x`), 'a/b.html');
    assert.equal(http.rel('https://example.org/a/b.html'), null);
  });

  it('isLocal accepts only this machine', () => {
    for (const u of ['file:///tmp/a.html', 'http://127.0.0.1:8080/a', 'data:text/plain,x', 'about:blank']) {
      assert.equal(isLocal(u), true, u);
    }
    for (const u of ['https://example.org/', 'http://localhost.example/', 'http://10.0.0.1/', 'not a url']) {
      assert.equal(isLocal(u), false, u);
    }
  });
});

describe('openContext', () => {
  for (const name of ['http', 'file']) {
    const url = (rel) => siteMode(name, dir, server).url(rel);

    it(`a clean page over ${name} reports nothing`, async () => {
      const s = await openContext(browser);
      try {
        await s.page.goto(url('clean.html'));
        assert.equal(await s.page.evaluate(() => window.a), 1);
      } finally {
        await s.close();
      }
      s.assertClean();
      assert.equal(s.requests.length, 3);
    });

    for (const [page, expected] of [
      ['throws.html', /page error: .*boom/],
      ['logs.html', /console error: bad thing/],
      ['leaks.html', /blocked request off 127\.0\.0\.1\/file:\/\/: GET http:\/\/127\.0\.0\.2:9\/pixel\.png/],
      ['missing.html', name === 'http' ? /HTTP 404: .*nope\.js/ : /request failed: .*nope\.js/],
    ]) {
      it(`${page} over ${name} is reported`, async () => {
        const s = await openContext(browser);
        try {
          await s.page.goto(url(page));
          await s.page.waitForLoadState('load');
        } finally {
          await s.close();
        }
        assert.ok(
          s.problems.some((p) => expected.test(p)),
          `expected ${expected} among:\n  ${s.problems.join('\n  ')}`,
        );
        assert.throws(() => s.assertClean());
      });
    }
  }
});
