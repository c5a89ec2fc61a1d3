// Browser tests of the print page (print.html): the whole manual of a version on one
// page, over http and from file://; what print media shows (no chrome, each top-level
// article on a new page, the manual and version named); one section alone with
// #section:<slug> (no script needed), reached from an article's "Print this section";
// links within the page; unique ids; axe-core in light and dark; a phone's width.
//
// Run by tests/browser.rs (`cargo test`), or by hand:
//   FOLIO_SITE=/tmp/site node --test tests/browser/print.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { DESKTOP, PHONE, siteDir, siteMode, startSuite } from './harness.mjs';

const SITE = siteDir();
const LATEST = 'manual243';
const PRINT = `${LATEST}/print.html`;
// An article with children, and one of its descendants two levels down.
const SECTION = 'eservicessetup';
const AT_SECTION = `#section:${SECTION}`;
const T = { timeout: 60_000 };
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const { server, inContext } = await startSuite(SITE);
const http = siteMode('http', SITE, server);
const file = siteMode('file', SITE, server);

/** The slugs of the articles the page shows (their titles are visible), in order. */
function shownArticles(page) {
  return page.locator('.print-title').evaluateAll((hs) => hs.filter((h) => h.checkVisibility()).map((h) => h.id));
}

/** The slugs of `slug` and its descendants, from the version's nav data, in order. */
function sectionSlugs(page, slug) {
  return page.evaluate((slug) => {
    const rows = window.__folioNavData;
    const at = rows.findIndex((r) => r[0] === slug);
    const out = [slug];
    for (let i = at + 1; i < rows.length && rows[i][2] > rows[at][2]; i++) out.push(rows[i][0]);
    return out;
  }, slug);
}

async function ready(page) {
  await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
}

describe('print.html', () => {
  it('holds the whole manual in reading order, over http and from file://', T, async () => {
    for (const mode of [http, file]) {
      await inContext({}, async ({ page }) => {
        await page.goto(mode.url(PRINT));
        await ready(page);
        assert.equal(await page.locator('.print-cover h1').textContent(), 'Open Dental Manual');
        assert.match(await page.locator('.print-cover p').textContent(), /^v24\.3 · released \d{4}-\d\d-\d\d$/);
        const order = await page.evaluate(() => window.__folioNavData.map((r) => r[0]));
        assert.ok(order.length > 10, 'the sample has a tree');
        assert.deepEqual(await shownArticles(page), order, 'every article, in reading order');
        const toc = await page.locator('.print-toc a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(toc, order.map((s) => `#${s}`), 'the contents list every article');
        // Nested as the tree nests them: a child's <article> is inside its parent's.
        const nested = await page.locator('#econnector').evaluate((h) =>
          h.closest('article').parentElement.closest('article').id);
        assert.equal(nested, `section:${SECTION}`);
        // Bodies are there, with their images and notes.
        assert.ok(await page.locator('.print-manual .callout').count() > 0);
        // Print button with JavaScript.
        assert.ok(await page.locator('.print-button').isVisible());
      });
    }
  });

  it('has no duplicate ids, and every link within the page reaches its target', T, async () => {
    await inContext({}, async ({ page }) => {
      await page.goto(http.url(PRINT));
      await ready(page);
      const { dupes, missing, inPage } = await page.evaluate(() => {
        const seen = new Map();
        for (const e of document.querySelectorAll('[id]')) seen.set(e.id, (seen.get(e.id) || 0) + 1);
        const dupes = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
        const links = [...document.querySelectorAll('.print-manual a[href^="#"]')];
        const missing = links.map((a) => decodeURIComponent(a.getAttribute('href').slice(1)))
          .filter((id) => !document.getElementById(id));
        return { dupes, missing, inPage: links.length };
      });
      assert.deepEqual(dupes, []);
      assert.deepEqual(missing, []);
      assert.ok(inPage > 50, `${inPage} links within the page`);
      // No link leads to another article page of this version: they are all on this page.
      const pages = await page.evaluate(() => window.__folioNavData.map((r) => `${r[0]}.html`));
      const hrefs = await page.locator('.print-manual a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs.filter((h) => pages.includes(h.split('#')[0])), []);
    });
  });

  it('a link to another article jumps within the page and keeps the whole manual', T, async () => {
    for (const mode of [http, file]) {
      await inContext({}, async ({ page }) => {
        await page.goto(mode.url(PRINT));
        await ready(page);
        const all = (await shownArticles(page)).length;
        const link = page.locator('#manual ~ ul a[href="#portaltroubleshooting"], #manual ~ p a[href="#portaltroubleshooting"]').first();
        await link.click();
        await page.waitForFunction(() => location.hash === '#portaltroubleshooting');
        assert.equal(mode.rel(page.url()), PRINT, 'still on print.html');
        assert.ok(await page.locator('#portaltroubleshooting').evaluate((h) => {
          const r = h.getBoundingClientRect();
          return r.top >= 0 && r.top < innerHeight;
        }), 'the article title is in view');
        assert.equal((await shownArticles(page)).length, all, 'the whole manual stays shown');
        // A heading link within an article.
        const heading = page.locator('.print-manual a.anchor[href^="#portaltroubleshooting--"]').first();
        const href = await heading.getAttribute('href');
        await heading.click();
        await page.waitForFunction((h) => location.hash === h, href);
        assert.equal(mode.rel(page.url()), PRINT);
      });
    }
  });

  it('in print: no chrome, each top-level article on a new page, the manual and version named', T, async () => {
    for (const js of [true, false]) {
      await inContext({ javaScriptEnabled: js }, async ({ page }) => {
        await page.goto(http.url(PRINT));
        if (js) await ready(page);
        await page.emulateMedia({ media: 'print' });
        for (const sel of ['body > header', '#tree', 'body > footer', '.print-bar', '.print-scope']) {
          const visible = await page.locator(sel).evaluateAll((es) => es.some((e) => e.checkVisibility()));
          assert.equal(visible, false, `${sel} is not printed`);
        }
        const breaks = await page.locator('.print-manual article').evaluateAll((as) =>
          as.map((a) => [a.parentElement.classList.contains('print-manual'), getComputedStyle(a).breakBefore]));
        assert.ok(breaks.some(([top]) => top));
        for (const [top, brk] of breaks) assert.equal(brk, top ? 'page' : 'auto');
        const line = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--folio-print'));
        assert.match(line, /^\s*"Open Dental Manual · v24\.3 · /);
        assert.ok(await page.locator('.print-cover h1').isVisible());
        assert.ok(await page.locator('.print-toc').isVisible());
      });
    }
  });

  it('a PDF of it is made', T, async () => {
    await inContext({}, async ({ page }) => {
      await page.goto(http.url(PRINT));
      await ready(page);
      const whole = await page.pdf({ format: 'A4' });
      assert.equal(whole.subarray(0, 5).toString(), '%PDF-');
      await page.goto(http.url(PRINT) + AT_SECTION);
      const one = await page.pdf({ format: 'A4' });
      const pages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages(one) >= 1 && pages(one) < pages(whole), `section ${pages(one)} pages, manual ${pages(whole)}`);
    });
  });
});

describe('one section', () => {
  it('#section:<slug> shows that article and its descendants only, on screen and in print, with or without JavaScript', T, async () => {
    for (const [mode, js] of [[http, true], [file, true], [http, false]]) {
      await inContext({ javaScriptEnabled: js }, async ({ page }) => {
        await page.goto(mode.url(PRINT) + AT_SECTION);
        const want = js ? await sectionSlugs(page, SECTION) : null;
        for (const media of ['screen', 'print']) {
          await page.emulateMedia({ media });
          const shown = await shownArticles(page);
          assert.equal(shown[0], SECTION, media);
          if (want) assert.deepEqual(shown, want, media);
          assert.ok(shown.includes('econnector') && shown.includes('allowapplication'), 'children and grandchildren');
          assert.ok(!shown.includes('manual') && !shown.includes('mainmenu'), 'not its ancestors');
          // The cover stays, to name the manual and version; the contents go.
          assert.ok(await page.locator('.print-cover h1').isVisible());
          assert.equal(await page.locator('.print-toc').isVisible(), false);
          // Only the section's own text: its ancestors' bodies are hidden.
          assert.equal(await page.locator('#manual--where-to-start').isVisible(), false);
        }
        await page.emulateMedia({ media: 'screen' });
        const scope = page.locator('.print-scope').filter({ visible: true });
        assert.equal(await scope.count(), 1);
        assert.equal(await scope.textContent(), 'Showing one section: eServices Setup · Show the whole manual');
        await scope.locator('a').click();
        await page.waitForURL((u) => !u.hash);
        assert.equal(mode.rel(page.url()), PRINT);
        assert.ok((await shownArticles(page)).length > 10, 'the whole manual again');
      });
    }
  });

  it('"Print this section" on an article with children leads there; articles without children have none', T, async () => {
    for (const mode of [http, file]) {
      await inContext({}, async ({ page }) => {
        await page.goto(mode.url(`${LATEST}/allowapplication.html`));
        assert.equal(await page.getByRole('link', { name: 'Print this section' }).count(), 0);
        assert.equal(await page.locator('body > footer a', { hasText: 'Print the manual' }).getAttribute('href'), 'print.html');
        await page.goto(mode.url(`${LATEST}/${SECTION}.html`));
        await page.getByRole('link', { name: 'Print this section' }).click();
        await page.waitForURL((u) => u.hash === AT_SECTION);
        assert.equal(mode.rel(page.url()), PRINT);
        const shown = await shownArticles(page);
        assert.equal(shown[0], SECTION);
        assert.ok(!shown.includes('manual'));
      });
    }
  });
});

describe('print.html for every reader', () => {
  for (const colorScheme of ['light', 'dark']) {
    it(`axe-core finds no violation, ${colorScheme}`, T, async () => {
      await inContext({ colorScheme, viewport: DESKTOP }, async ({ page }) => {
        const found = [];
        for (const rel of [PRINT, PRINT + AT_SECTION]) {
          await page.goto(http.url(PRINT) + rel.slice(PRINT.length));
          await ready(page);
          await page.addScriptTag({ path: AXE });
          const violations = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
          });
          for (const v of violations) found.push(`${rel}: ${v}`);
        }
        assert.deepEqual(found, []);
      });
    });
  }

  it('reads on a phone: nothing wider than the screen, text at a readable size', T, async () => {
    await inContext({ viewport: PHONE, isMobile: true, hasTouch: true }, async ({ page }) => {
      await page.goto(http.url(PRINT));
      await ready(page);
      const { scroll, width, font } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: innerWidth,
        font: parseFloat(getComputedStyle(document.querySelector('.print-manual p')).fontSize),
      }));
      assert.ok(scroll <= width, `page ${scroll}px wide on a ${width}px screen`);
      assert.ok(font >= 15, `body text ${font}px`);
      assert.ok(await page.locator('.print-button').isVisible());
    });
  });

  it('without JavaScript there is no Print button, and the page still reads', T, async () => {
    await inContext({ javaScriptEnabled: false }, async ({ page }) => {
      await page.goto(file.url(PRINT));
      assert.equal(await page.locator('.print-button').isVisible(), false);
      assert.ok((await shownArticles(page)).length > 10);
    });
  });

  it('the Print button prints', T, async () => {
    await inContext({}, async ({ page }) => {
      await page.goto(http.url(PRINT));
      await ready(page);
      await page.evaluate(() => { window.print = () => { window.__printed = true; }; });
      await page.locator('.print-button').click();
      assert.equal(await page.evaluate(() => window.__printed), true);
    });
  });
});
