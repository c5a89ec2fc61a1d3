// Browser tests of the built sample manual's pages: the contents tree, the version
// menu, the old-version banner, "On this page", and the same pages with JavaScript off. Every test
// runs over http (a local server) and from disk (file://), and fails on console
// errors, page errors, failed requests or any request that would leave the machine.
//
// Run by tests/browser.rs (`cargo test`), or by hand:
//   FOLIO_SITE=/tmp/site node --test tests/browser/

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import {
  DESKTOP,
  PHONE,
  buildManual,
  screenshotDir,
  siteDir,
  siteMode,
  startSuite,
  versions,
} from './harness.mjs';

const SITE = siteDir();
const LATEST = 'manual243';
const OLD = 'manual164';
/** The page the tests start from, in the latest version. */
const PAGE = `${LATEST}/portaltroubleshooting.html`;
/** An article that starts in 17.1, so v16.4 does not have it. */
const YOUNG = `${LATEST}/allowapplication.html`;
/** Per-test limit; every browser action has its own 10 s limit (openContext). */
const T = { timeout: 30_000 };
/** FOLIO_BIN: the folio binary, for the small manual built here (tests/browser.rs passes it). */
const BIN = process.env.FOLIO_BIN;

const { server, cleanups, inContext } = await startSuite(SITE);

/** The site-relative path of the page's current address. */
function here(mode, page) {
  return mode.rel(page.url());
}

async function goto(mode, page, rel) {
  const res = await page.goto(mode.url(rel));
  if (mode.name === 'http') assert.equal(res?.status(), 200, `GET ${rel}`);
  assert.equal(here(mode, page), rel);
}

/** Waits until folio.js has replaced the static tree with the full one. */
async function fullTree(page) {
  await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
}

/** Navigation to a site-relative path (after a click). */
async function landsOn(mode, page, rel) {
  await page.waitForURL((u) => mode.rel(u.href) === rel);
  await page.waitForLoadState('load');
}

/**
 * The contents tree's rows as the reader sees them, one string per visible link:
 * indentation by depth, then ▾ (open), ▸ (closed) or · (no toggle), the title and
 * "[current]" for the marked page (its link has aria-current="page").
 */
async function visibleTree(page) {
  return page.$$eval('#tree a', (links) =>
    links
      .filter((a) => a.checkVisibility())
      .map((a) => {
        const li = a.closest('li');
        let depth = 0;
        for (let e = li; e; e = e.parentElement.closest('li')) depth++;
        const toggle = li.querySelector(':scope > .row > button.toggle');
        const mark = toggle ? (toggle.getAttribute('aria-expanded') === 'true' ? '▾' : '▸') : '·';
        const current =
          a.getAttribute('aria-current') === 'page' ? ' [current]' : '';
        return `${'  '.repeat(depth - 1)}${mark} ${a.textContent.trim()}${current}`;
      }),
  );
}

/** The version's whole tree, read from the nav script the page loads: [slug, title, depth][]. */
async function navRows(mode, page) {
  const src = await page.locator('script[src*="nav."]').getAttribute('src');
  const rel = mode.rel(new URL(src, page.url()).href);
  assert.ok(rel, `nav script ${src} is inside the site`);
  const text = await readFile(path.join(SITE, rel), 'utf8');
  return JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, ''));
}

/**
 * What the tree should show on page `slug`. The script's tree (`toggles`: rows carry ▾/▸)
 * shows every top-level page and the children of each page on the path to `slug` (its
 * ancestors and itself), with those opened. The static tree in the HTML (no toggles, rows
 * marked ·) shows only `slug` and its siblings: the breadcrumb holds the path up and
 * "In this section" the children.
 */
function expectedTree(rows, slug, toggles) {
  const at = rows.findIndex((r) => r[0] === slug);
  assert.ok(at >= 0, `${slug} is in the tree`);
  const path = new Set([slug]);
  let parent = -1;
  for (let i = at, d = rows[at][2]; i >= 0; i--) {
    if (rows[i][2] < d) {
      if (parent < 0) parent = i;
      path.add(rows[i][0]);
      d = rows[i][2];
    }
  }
  const out = [];
  if (!toggles) {
    const depth = rows[at][2];
    for (let i = parent + 1; i < rows.length && rows[i][2] >= depth; i++) {
      const [s, title, d] = rows[i];
      if (d === depth) out.push(`· ${title}${s === slug ? ' [current]' : ''}`);
    }
    return out;
  }
  const parentOpen = [true]; // by depth: is the parent of this row shown open?
  rows.forEach(([s, title, depth], i) => {
    parentOpen.length = depth + 1;
    const hasKids = rows[i + 1]?.[2] > depth;
    const open = path.has(s);
    parentOpen[depth + 1] = open && parentOpen[depth];
    if (!parentOpen[depth]) return;
    const mark = hasKids ? (open ? '▾' : '▸') : '·';
    out.push(`${'  '.repeat(depth)}${mark} ${title}${s === slug ? ' [current]' : ''}`);
  });
  return out;
}

/** Breadcrumb, prev and next as rendered, as [title, site-relative target]. */
async function pageLinks(mode, page) {
  const abs = (a) => a.map(([t, h]) => [t, mode.rel(h)]);
  const crumbs = await page.$$eval('nav[aria-label="Breadcrumb"] a', (as) => as.map((a) => [a.textContent.trim(), a.href]));
  const last = await page.locator('nav[aria-label="Breadcrumb"] [aria-current="page"]').textContent();
  const pn = await page.$$eval('nav[aria-label="Previous and next"] a', (as) => as.map((a) => [a.rel, a.lastChild.textContent.trim(), a.href]));
  return {
    crumbs: abs(crumbs),
    last: last.trim(),
    prev: abs(pn.filter((x) => x[0] === 'prev').map((x) => x.slice(1)))[0],
    next: abs(pn.filter((x) => x[0] === 'next').map((x) => x.slice(1)))[0],
  };
}

function expectedLinks(rows, slug, dir) {
  const at = rows.findIndex((r) => r[0] === slug);
  const crumbs = [];
  for (let i = at, d = rows[at][2]; i >= 0; i--) {
    if (rows[i][2] < d) {
      crumbs.unshift([rows[i][1], `${dir}/${rows[i][0]}.html`]);
      d = rows[i][2];
    }
  }
  const link = (r) => r && [r[1], `${dir}/${r[0]}.html`];
  return { crumbs, last: rows[at][1], prev: link(rows[at - 1]), next: link(rows[at + 1]) };
}

/**
 * "On this page" as built: [class of the item, href, text] per entry; null when the page
 * has no list. Checks its markup on the way: an aside labelled by its "On this page" title.
 */
async function onThisPage(page) {
  const aside = page.locator('aside.on-this-page');
  if (!(await aside.count())) return null;
  assert.equal(await aside.getAttribute('aria-labelledby'), 'otp-title');
  assert.equal(await aside.locator(':scope > p#otp-title.otp-title').textContent(), 'On this page');
  return aside.locator(':scope > ul > li').evaluateAll((lis) =>
    lis.map((li) => [li.className, li.querySelector('a').getAttribute('href'), li.textContent]),
  );
}

/** Whether the element has class `name`. */
const hasClass = (locator, name) => locator.evaluate((e, n) => e.classList.contains(n), name);

const menu = (page) => page.locator('body > header details');
/** The version the page belongs to, as its version menu marks it. */
const shownVersion = async (page) => (await menu(page).locator('li[aria-current="true"]').textContent()).trim();
const menuEntry = (page, label) => menu(page).locator('li').filter({
  has: page.getByRole('link', { name: new RegExp(`^${label.replace(/[.+]/g, '\\$&')}(\\s|$)`) }),
});

async function openMenu(page) {
  const m = menu(page);
  assert.equal(await m.locator('.vmenu').isVisible(), false, 'the version menu starts closed');
  await m.locator('summary').click();
  assert.equal(await m.evaluate((d) => d.open), true, 'clicking the summary opens the version menu');
  await m.locator('.vmenu').waitFor({ state: 'visible' });
}

for (const name of ['http', 'file']) {
  const mode = siteMode(name, SITE, server);

  describe(`pages over ${name === 'http' ? 'http (127.0.0.1)' : 'file://'}`, () => {
    it('the contents tree is built in full, opened along the path, with the current page marked', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, PAGE);
        await fullTree(page);
        const rows = await navRows(mode, page);
        assert.equal(await page.locator('#tree ul.tree-root').count(), 1, 'one tree root');
        assert.ok((await page.locator('#tree .row').count()) > 0, 'the script replaced the static tree');
        assert.deepEqual(await visibleTree(page), expectedTree(rows, 'portaltroubleshooting', true));

        const current = page.locator('#tree [aria-current]');
        assert.equal(await current.count(), 1, 'exactly one current page in the tree');
        assert.deepEqual(await current.evaluate((a) => [a.tagName, a.getAttribute('aria-current')]), ['A', 'page']);
        assert.equal(await current.textContent(), 'Patient Portal Troubleshooting');
        assert.ok(await current.isVisible());

        // Breadcrumb and prev/next follow the tree order.
        assert.deepEqual(await pageLinks(mode, page), expectedLinks(rows, 'portaltroubleshooting', LATEST));
        // The links carry only the titles; the stylesheet labels them.
        const labels = await page.$$eval('nav[aria-label="Previous and next"] a', (as) =>
          as.map((a) => [a.rel, getComputedStyle(a, '::before').content]));
        assert.deepEqual(labels, [['prev', '"Previous"'], ['next', '"Next"']]);
      });
    });

    it('a collapsed node opens and closes with its toggle, and tree links navigate', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, PAGE);
        await fullTree(page);
        const tree = page.locator('#tree');
        const toggle = tree.getByRole('button', { name: /\beConnector$/ });
        const child = tree.getByRole('link', { name: 'eConnector Firewall', exact: true });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await child.isVisible(), false, 'children of a collapsed node are hidden');

        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        await child.waitFor({ state: 'visible' });

        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        await child.waitFor({ state: 'hidden' });

        await toggle.click();
        await child.click();
        await landsOn(mode, page, YOUNG);
        await fullTree(page);
        assert.deepEqual(
          await visibleTree(page),
          expectedTree(await navRows(mode, page), 'allowapplication', true),
          'the new page opens the tree along its own path',
        );
        assert.equal(await page.locator('h1').textContent(), 'eConnector Firewall');
      });
    });

    it('the version menu jumps to the same page in another version, and the banner leads back', T, async () => {
      await inContext({}, async ({ page }) => {
        const all = await versions(SITE);
        await goto(mode, page, PAGE);
        assert.equal(await page.getByRole('note').count(), 0, 'no banner in the latest version');
        await openMenu(page);

        const entries = menu(page).locator('li');
        assert.equal(await entries.count(), all.length, 'one entry per version in versions.json');
        const current = menu(page).locator('li[aria-current="true"]');
        assert.equal(await current.count(), 1);
        assert.equal((await current.textContent()).trim(), 'v24.3');
        assert.equal(await current.locator('a').count(), 0, 'this version is not a link to itself');

        // The external version links out; it is not followed (there is no network).
        const external = all.filter((v) => v.url);
        assert.ok(external.length > 0, 'the sample has an external version');
        for (const v of external) {
          const entry = menuEntry(page, v.label);
          assert.ok(await hasClass(entry, 'external'), `${v.label} is marked external`);
          assert.equal(await entry.locator('a').getAttribute('href'), v.url);
        }

        await menuEntry(page, 'v16.4').locator('a').click();
        await landsOn(mode, page, `${OLD}/portaltroubleshooting.html`);
        assert.equal(await shownVersion(page), 'v16.4');
        assert.equal(await page.locator('h1').textContent(), 'Patient Portal Troubleshooting');
        const banner = page.getByRole('note');
        await banner.waitFor({ state: 'visible' });
        assert.match(await banner.textContent(), /v16\.4/);

        await banner.locator('a').click();
        await landsOn(mode, page, PAGE);
        assert.equal(await page.getByRole('note').count(), 0);
      });
    });

    it('the permanent address manual/<slug>.html leads to the newest version that has the page, keeping the section', T, async () => {
      await inContext({}, async ({ page }) => {
        await page.goto(mode.url('manual/portaltroubleshooting.html'));
        await landsOn(mode, page, PAGE);
        await page.goto(mode.url('manual/portaltroubleshooting.html') + '#error-104');
        await landsOn(mode, page, PAGE);
        assert.equal(new URL(page.url()).hash, '#error-104');
        // an article that ended in 16.4 leads to 16.4
        await page.goto(mode.url('manual/firewall.html'));
        await landsOn(mode, page, `${OLD}/firewall.html`);
        await page.goto(mode.url('manual/index.html'));
        await landsOn(mode, page, `${LATEST}/index.html`);
      });
    });

    it("a menu entry for a version without the page leads to that version's home, marked missing", T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, YOUNG);
        await openMenu(page);
        const v164 = menuEntry(page, 'v16.4');
        const v171 = menuEntry(page, 'v17.1');
        assert.ok(await hasClass(v164, 'missing'), 'v16.4 is marked missing');
        assert.ok(!(await hasClass(v171, 'missing')), 'v17.1 has the page');
        assert.equal(mode.rel(await v171.locator('a').evaluate((a) => a.href)), 'manual171/allowapplication.html');

        await v164.locator('a').click();
        await landsOn(mode, page, `${OLD}/index.html`);
        assert.equal(await shownVersion(page), 'v16.4');
        await page.getByRole('note').waitFor({ state: 'visible' });
      });
    });

    it('the version menu closes on Escape and on a click elsewhere', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, PAGE);
        await fullTree(page);
        await openMenu(page);
        await page.keyboard.press('Escape');
        assert.equal(await menu(page).evaluate((d) => d.open), false, 'Escape closes the menu');
        await openMenu(page);
        await page.locator('h1').click();
        assert.equal(await menu(page).evaluate((d) => d.open), false, 'a click elsewhere closes the menu');
      });
    });

    it('with JavaScript off, the static tree shows the siblings, the breadcrumb the path, and the version menu still works', T, async () => {
      await inContext({ javaScriptEnabled: false }, async ({ page }) => {
        await goto(mode, page, PAGE);
        assert.equal(await page.locator('#tree').getAttribute('data-full-tree'), null, 'no script ran');
        const rows = await navRows(mode, page);
        assert.deepEqual(await visibleTree(page), expectedTree(rows, 'portaltroubleshooting', false));
        assert.deepEqual(await pageLinks(mode, page), expectedLinks(rows, 'portaltroubleshooting', LATEST));

        await openMenu(page);
        await menuEntry(page, 'v16.4').locator('a').click();
        await landsOn(mode, page, `${OLD}/portaltroubleshooting.html`);
        await page.getByRole('note').waitFor({ state: 'visible' });
        assert.deepEqual(
          await visibleTree(page),
          expectedTree(await navRows(mode, page), 'portaltroubleshooting', false),
        );

        // A tree link navigates too (titles differ between versions: take this one's).
        const [, title] = (await navRows(mode, page)).find((r) => r[0] === 'portalaccess');
        await page.locator('#tree').getByRole('link', { name: title, exact: true }).click();
        await landsOn(mode, page, `${OLD}/portalaccess.html`);
        assert.equal(await page.locator('#tree a[aria-current="page"]').textContent(), title);
      });
    });

    it('"On this page" is built from the headings, beside the article, and its links land on them', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, PAGE);
        await page.locator('aside.on-this-page').waitFor({ state: 'visible' });
        const items = await onThisPage(page);
        // The article's h2s (this page has no h3), in order, each linking to its id.
        const headings = await page.$$eval('article h2[id]:not(.children h2)', (hs) =>
          hs.map((h) => ['level-2', `#${h.id}`, h.textContent]),
        );
        assert.ok(headings.length >= 5, 'the page has headings');
        assert.deepEqual(items, headings);
        const article = await page.locator('main article').boundingBox();
        const aside = await page.locator('aside.on-this-page').boundingBox();
        assert.ok(aside.x >= article.x + article.width, 'beside the article, on its right');

        // A link lands on its heading, which shows below the sticky top bar.
        const [, href, text] = items[2];
        await page.locator('aside.on-this-page').getByRole('link', { name: text, exact: true }).click();
        await page.waitForFunction((h) => location.hash === h, href);
        assert.equal(here(mode, page), PAGE);
        const top = await page.locator(href).evaluate((h) => h.getBoundingClientRect().top);
        const bar = await page.locator('body > header').evaluate((h) => h.getBoundingClientRect().bottom);
        assert.ok(top >= bar && top < bar + 80, `heading at ${top}px, top bar ends at ${bar}px`);
      });
      await inContext({ javaScriptEnabled: false }, async ({ page }) => {
        await goto(mode, page, PAGE);
        assert.equal(await onThisPage(page), null, 'without JavaScript there is no list');
        assert.ok((await page.locator('article h2[id]').count()) >= 5, 'but the headings are in the page');
      });
    });

    it('a typed note is a callout that names its type in text, without the [!…] marker', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, `${LATEST}/eservicessetup.html`);
        const note = page.locator('article').getByRole('note');
        assert.equal(await note.count(), 1);
        assert.equal(await hasClass(note, 'callout-important'), true);
        const title = note.locator(':scope > p.callout-title');
        assert.equal(await title.textContent(), 'Important');
        assert.ok(await title.isVisible(), 'the type is shown, not only coloured');
        assert.match(await note.innerText(), /^Important\s+eServices stop working/);
        assert.doesNotMatch(await page.locator('article').textContent(), /\[!/);
        const style = await note.evaluate((e) => {
          const s = getComputedStyle(e);
          return [s.borderLeftWidth, s.borderLeftStyle, s.backgroundColor];
        });
        assert.deepEqual(style.slice(0, 2), ['4px', 'solid']);
        assert.notEqual(style[2], 'rgba(0, 0, 0, 0)', 'the callout has a background');
      });
    });

    it('the skip link is the first stop of the keyboard and moves it past the top bar and the tree', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, PAGE);
        await fullTree(page);
        await page.keyboard.press('Tab');
        const skip = page.getByRole('link', { name: 'Skip to content', exact: true });
        assert.equal(await skip.evaluate((a) => a === document.activeElement), true, 'the first Tab reaches it');
        assert.ok(await skip.evaluate((a) => a.getBoundingClientRect().left >= 0), 'shown while focused');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        // The next stop is the first link in <main> (the breadcrumb), not the top bar or the tree.
        const next = await page.evaluate(() => [!!document.activeElement.closest('main'), document.activeElement.textContent]);
        assert.deepEqual(next, [true, await page.locator('main nav[aria-label="Breadcrumb"] a').first().textContent()]);
      });
    });

    it('on a phone the tree folds behind a Contents button, and stays open without JavaScript', T, async () => {
      await inContext({ viewport: PHONE, isMobile: true, hasTouch: true }, async ({ page }) => {
        await goto(mode, page, PAGE);
        await fullTree(page);
        const current = page.locator('#tree a[aria-current="page"]');
        assert.equal(await current.isVisible(), false, 'the tree is folded');
        const button = page.getByRole('button', { name: 'Contents', exact: true });
        assert.equal(await button.getAttribute('aria-expanded'), 'false');
        await button.click();
        assert.equal(await button.getAttribute('aria-expanded'), 'true');
        await current.waitFor({ state: 'visible' });
      });
      await inContext({ viewport: PHONE, javaScriptEnabled: false }, async ({ page }) => {
        await goto(mode, page, PAGE);
        assert.ok(await page.locator('#tree a[aria-current="page"]').isVisible(), 'without JavaScript the tree is shown');
      });
    });
  });
}

describe('"On this page" on a small manual', { skip: BIN ? false : 'FOLIO_BIN is not set (tests/browser.rs sets it)' }, () => {
  let site, fixtureServer;

  /** Writes and builds a manual whose pages have headings of every kind, and none. */
  async function build() {
    const files = {
      'manual.yaml': 'title: Headings Test Manual\nhome: guide\n',
      'versions/1.0.yaml': 'label: v1.0\npath: v1.0\nstatus: current\n',
      'articles/guide.md':
        '---\ntitle: Guide\n---\n\nIntro.\n\n## First steps {#first}\n\nText.\n\n' +
        '### Install `folio` & more\n\nText.\n\n#### Too deep {#deep}\n\nText.\n\n' +
        '> ## Quoted {#quoted}\n\n## Last one {#last}\n\nEnd.\n',
      'articles/child.md': '---\ntitle: Child\nparent: guide\n---\n\nNo headings here.\n',
    };
    ({ site, server: fixtureServer } = await buildManual(BIN, 'folio-otp-', files, cleanups));
  }

  it('h2 and h3 are listed (h3 indented), h4 and "In this section" are not; no headings, no list', T, async () => {
    if (!site) await build();
    const mode = siteMode('http', site, fixtureServer);
    await inContext({}, async ({ page }) => {
      await goto(mode, page, 'v1.0/guide.html');
      await page.locator('aside.on-this-page').waitFor();
      const items = await onThisPage(page);
      assert.deepEqual(
        items.map(([cls, , text]) => [cls, text]),
        [['level-2', 'First steps'], ['level-3', 'Install folio & more'], ['level-2', 'Quoted'], ['level-2', 'Last one']],
      );
      assert.equal(items[0][1], '#first');
      for (const [, href, text] of items) {
        const target = page.locator(`[id="${href.slice(1)}"]`);
        assert.equal(await target.count(), 1, `${href} is on the page`);
        assert.equal(await target.textContent(), text, `${href} is the heading "${text}"`);
      }
      const indent = await page.$$eval('aside.on-this-page li', (lis) => lis.map((li) => getComputedStyle(li).paddingLeft));
      assert.equal(indent[0], '0px');
      assert.notEqual(indent[1], '0px', 'an h3 is indented under its h2');
      assert.ok(await page.locator('article section.children h2').count(), 'the page has "In this section"');

      await goto(mode, page, 'v1.0/child.html');
      await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
      assert.equal(await onThisPage(page), null, 'a page without headings has no list');
    });
  });
});

describe('screenshots', () => {
  const mode = siteMode('http', SITE, server);
  let dir;
  for (const [label, viewport, extra] of [
    ['desktop', DESKTOP, {}],
    ['phone', PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
  ]) {
    it(`${label} ${viewport.width}x${viewport.height}`, T, async (t) => {
      await inContext({ viewport, ...extra }, async ({ page }) => {
        await goto(mode, page, PAGE);
        await fullTree(page);
        dir ??= screenshotDir();
        const file = path.join(dir, `${label}.png`);
        await page.screenshot({ path: file });
        t.diagnostic(`screenshot: ${file}`);
      });
    });
  }
});

/** Site-relative targets of the contents tree's links that are not files of the site. */
async function brokenTreeLinks(mode, page) {
  const hrefs = await page.$$eval('#tree a', (as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 0, 'the tree has links');
  return hrefs.filter((h) => {
    const rel = mode.rel(h);
    return !rel || !existsSync(path.join(SITE, rel));
  });
}

describe('tree links on every kind of page', () => {
  const mode = siteMode('http', SITE, server);

  it('article, home and changes pages link only to pages that exist', T, async () => {
    await inContext({}, async ({ page }) => {
      for (const rel of [PAGE, `${LATEST}/index.html`, `${LATEST}/changes.html`, `${OLD}/changes.html`]) {
        await goto(mode, page, rel);
        await fullTree(page);
        assert.deepEqual(await brokenTreeLinks(mode, page), [], `tree links on ${rel}`);
      }
    });
  });

  // Tree links on pages one folder down (diff/<slug>.html) must climb to the version folder.
  it('diff pages link only to pages that exist, and the tree marks their article', T, async () => {
    await inContext({}, async ({ page }) => {
      await goto(mode, page, PAGE);
      const history = page.locator('main > section', { has: page.getByRole('heading', { name: 'Changed in' }) });
      const diff = await history.locator('a[href*="diff/"]').first().evaluate((a) => a.href);
      await goto(mode, page, mode.rel(diff));
      await fullTree(page);
      assert.deepEqual(await brokenTreeLinks(mode, page), [], `tree links on ${mode.rel(diff)}`);
      // The full tree marks the page's article, one folder up.
      const mark = page.locator('#tree a[aria-current="page"]');
      assert.equal(await mark.count(), 1, 'one page marked');
      assert.equal(mode.rel(await mark.evaluate((a) => a.href)), mode.rel(diff).replace('/diff/', '/'));
    });
  });
});

describe('phone layout', () => {
  const mode = siteMode('http', SITE, server);

  // A long unbreakable word in a heading (BlobFileSTs.DownloadDocument) must wrap.
  it('no page is wider than a phone screen', T, async () => {
    await inContext({ viewport: PHONE }, async ({ page }) => {
      for (const rel of [PAGE, `${OLD}/portaltroubleshooting.html`, `${LATEST}/index.html`]) {
        await goto(mode, page, rel);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= PHONE.width, `${rel} is ${width}px wide on a ${PHONE.width}px screen`);
      }
    });
  });
});
