// Browser tests of the default theme's reading aids on the built sample manual: heading
// permalinks, "On this page" following the scroll position and folded on narrow screens,
// the phone's one-row top bar, the version menu's filter and keys, light and dark, the
// printed page's header line, the manual's identity (logo, favicon, footer, edit link),
// Copy buttons, focus rings, and axe-core finding no violation on every kind of page in
// light and dark. Runs over http and from file:// where the difference matters.
//
// Run by tests/browser.rs (`cargo test`), or by hand:
//   FOLIO_SITE=/tmp/site node --test tests/browser/

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { DESKTOP, PHONE, siteDir, siteMode, startSuite } from './harness.mjs';

const SITE = siteDir();
const LATEST = 'manual243';
const PAGE = `${LATEST}/portaltroubleshooting.html`;
const CODE = `${LATEST}/middletier.html`;
const ARCHIVED = 'manual164/portaltroubleshooting.html';
const T = { timeout: 60_000 };
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const { server, inContext } = await startSuite(SITE);
const http = siteMode('http', SITE, server);
const file = siteMode('file', SITE, server);

async function open(mode, page, rel) {
  await page.goto(mode.url(rel));
  await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
}

/** WCAG contrast ratio of two `rgb(...)` colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The focused element's outline colour and the opaque background behind it. */
function ringAndBackground() {
  const e = document.activeElement;
  const ring = getComputedStyle(e).outlineColor;
  let bg = 'rgb(255, 255, 255)';
  for (let p = e.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
      bg = c;
      break;
    }
  }
  return { ring, bg, style: getComputedStyle(e).outlineStyle, tag: e.tagName };
}

describe('headings', () => {
  it('every heading with an id links to itself, shows # on hover and focus, and works without JavaScript', T, async () => {
    await inContext({}, async ({ page }) => {
      await open(http, page, PAGE);
      const heads = await page.$$eval('article :is(h2, h3)[id]', (hs) =>
        hs.map((h) => {
          const a = h.querySelector('a.anchor');
          return [h.id, a?.getAttribute('href'), a?.textContent === h.textContent];
        }),
      );
      assert.ok(heads.length >= 10, 'the troubleshooting page has many headings');
      for (const [id, href, wraps] of heads) assert.deepEqual([href, wraps], [`#${id}`, true], id);
      const link = page.locator('#error-104 a.anchor');
      assert.equal(await link.getAttribute('href'), '#error-104');
      // Its name is the heading's text; the heading keeps its text too.
      assert.equal(await page.getByRole('link', { name: 'error code 104', exact: true }).count(), 2, 'the link and its "On this page" entry');
      const hash = () => link.evaluate((a) => getComputedStyle(a, '::after').opacity);
      assert.equal(await hash(), '0', 'the # is hidden at rest');
      await page.locator('#error-104').hover();
      await page.waitForFunction(() => getComputedStyle(document.querySelector('#error-104 a'), '::after').opacity === '1');
      await page.mouse.move(0, 0);
      await link.focus();
      assert.equal(await link.evaluate((a) => a.matches(':focus-visible')), true);
      assert.equal(await hash(), '1', 'the # shows on keyboard focus');
    });
    await inContext({ javaScriptEnabled: false }, async ({ page }) => {
      await page.goto(file.url(PAGE));
      await page.locator('#error-103 a.anchor').click();
      assert.match(page.url(), /portaltroubleshooting\.html#error-103$/, 'the address names the section');
    });
  });
});

describe('"On this page"', () => {
  it('follows the scroll position, shows long headings in two lines broken between words', T, async () => {
    await inContext({}, async ({ page }) => {
      await open(http, page, PAGE);
      const aside = page.locator('aside.on-this-page');
      await aside.waitFor({ state: 'visible' });
      const current = () => aside.locator('a[aria-current]').getAttribute('href');
      assert.equal(await aside.locator('a[aria-current]').count(), 0, 'at the top no section is current yet');
      for (const id of ['error-103', 'login-failed', 'file-not-found']) {
        await page.evaluate((i) => document.getElementById(i).scrollIntoView(), id);
        await page.waitForFunction((i) => document.querySelector(`aside.on-this-page a[aria-current]`)?.getAttribute('href') === `#${i}`, id);
        assert.equal(await current(), `#${id}`);
      }
      assert.equal(await aside.locator('a[aria-current]').count(), 1, 'one current section');
      // Long headings: clamped to two lines, and no word broken inside.
      const style = await aside.locator('a').first().evaluate((a) => {
        const s = getComputedStyle(a);
        return { wrap: s.overflowWrap, brk: s.wordBreak, lines: a.getBoundingClientRect().height / parseFloat(s.lineHeight), clamp: s.webkitLineClamp, title: a.title };
      });
      assert.equal(style.wrap, 'break-word');
      assert.equal(style.brk, 'normal');
      assert.equal(style.clamp, '2');
      assert.ok(style.lines <= 2.05, `at most two lines: ${style.lines}`);
      assert.match(style.title, /^Internal server error\. Please notify the dental office to call support or try again later\.$/);
    });
  });

  it('on a phone it is folded at the top of the article, and its links jump to the sections', T, async () => {
    await inContext({ viewport: PHONE, isMobile: true, hasTouch: true }, async ({ page }) => {
      await open(http, page, PAGE);
      assert.equal(await page.locator('aside.on-this-page').isVisible(), false);
      const fold = page.locator('article > details.otp-fold');
      assert.ok(await fold.isVisible(), 'the folded list is shown');
      assert.equal(await fold.evaluate((d) => d.open), false);
      await fold.locator('summary').click();
      await fold.getByRole('link', { name: 'File not found' }).click();
      await page.waitForFunction(() => location.hash === '#file-not-found');
      assert.equal(await fold.evaluate((d) => d.open), false, 'it folds again');
      const top = await page.locator('#file-not-found').evaluate((h) => h.getBoundingClientRect().top);
      const bar = await page.locator('body > header').evaluate((h) => h.getBoundingClientRect().bottom);
      assert.ok(top >= bar - 1 && top < bar + 80, `the heading (${top}px) shows below the top bar (${bar}px)`);
    });
  });
});

describe('phone', () => {
  it('the top bar is one sticky row with the version menu and search, and the title is near the top', T, async () => {
    await inContext({ viewport: PHONE, isMobile: true, hasTouch: true }, async ({ page }) => {
      await open(http, page, PAGE);
      const bar = page.locator('body > header');
      const box = await bar.boundingBox();
      assert.ok(box.height <= 56, `one row: ${box.height}px`);
      const h1 = await page.locator('main h1').boundingBox();
      assert.ok(h1.y < 200, `the title starts at ${h1.y}px`);
      await page.evaluate(() => window.scrollTo(0, 3000));
      await page.waitForFunction(() => window.scrollY > 2000);
      assert.equal((await bar.boundingBox()).y, 0, 'the bar stays at the top');
      for (const part of ['details > summary', 'input[name="q"]', 'button.theme-toggle']) {
        const b = await bar.locator(part).boundingBox();
        assert.ok(b && b.y >= 0 && b.y + b.height <= box.height + 1 && b.x + b.width <= PHONE.width, `${part} is in the bar`);
      }
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.width, 'nothing wider than the screen');
      // "What changed" is in the footer on a phone.
      assert.ok(await page.locator('body > footer').getByRole('link', { name: 'What changed' }).isVisible());
    });
    await inContext({ viewport: PHONE, isMobile: true, hasTouch: true, javaScriptEnabled: false }, async ({ page }) => {
      await page.goto(file.url(PAGE));
      const box = await page.locator('body > header').boundingBox();
      assert.ok(box.height <= 56, `one row without JavaScript too: ${box.height}px`);
      await page.locator('body > header summary').tap();
      const panel = await page.locator('.vmenu').boundingBox();
      assert.ok(panel.x >= 0 && panel.x + panel.width <= PHONE.width, 'the version list fits the screen');
    });
  });
});

describe('version menu', () => {
  const menu = (page) => page.locator('body > header details');
  const shown = (page) =>
    menu(page).locator('.vmenu li').evaluateAll((lis) => lis.filter((li) => li.checkVisibility()).map((li) => li.textContent.trim()));

  it('groups versions by status, filters as one types, moves with the arrow keys and closes when focus leaves', T, async () => {
    await inContext({}, async ({ page }) => {
      await open(http, page, PAGE);
      const groups = await menu(page).locator('.vmenu > p').allTextContents();
      assert.deepEqual(groups, ['Current', 'Supported', 'Archived']);
      await menu(page).locator('summary').click();
      const filter = menu(page).getByRole('searchbox', { name: 'Filter versions' });
      await page.waitForFunction(() => document.activeElement?.matches('.vmenu input'));
      await page.keyboard.type('22.');
      assert.deepEqual(await shown(page), ['v22.4', 'v22.3', 'v22.2', 'v22.1']);
      assert.ok(await menu(page).locator('.vcompare').isHidden(), 'the link to compare versions hides while filtering');
      assert.deepEqual(await menu(page).locator('.vmenu > p').evaluateAll((ps) => ps.filter((p) => p.checkVisibility()).map((p) => p.textContent)), ['Archived']);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'v22.3');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      assert.equal(await filter.evaluate((i) => i === document.activeElement), true, 'up from the first link is the filter');
      await filter.fill('nothing like it');
      assert.deepEqual(await shown(page), []);
      assert.ok(await menu(page).getByText('No version matches.').isVisible());
      await filter.fill('');
      assert.ok(await menu(page).locator('.vcompare a').isVisible(), 'and comes back');
      await filter.fill('16.4');
      await page.keyboard.press('Enter');
      await page.waitForURL(/manual164\/portaltroubleshooting\.html$/);
    });
    await inContext({}, async ({ page }) => {
      await open(http, page, PAGE);
      await menu(page).locator('summary').focus();
      await page.keyboard.press('Enter');
      assert.equal(await menu(page).evaluate((d) => d.open), true);
      await page.keyboard.press('Escape');
      assert.equal(await menu(page).evaluate((d) => d.open), false, 'Escape closes it');
      assert.equal(await menu(page).locator('summary').evaluate((s) => s === document.activeElement), true, 'and focus is back on it');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.matches('.vmenu input'));
      // Tabbing past the last link leaves the menu: it closes.
      const links = await menu(page).locator('.vmenu a').count();
      for (let i = 0; i <= links; i++) await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => !!document.activeElement.closest('body > header details')), false);
      assert.equal(await menu(page).evaluate((d) => d.open), false, 'focus left: the menu closed');
    });
  });

  it('on a touch screen opening it does not focus the filter box (no on-screen keyboard over the list)', T, async () => {
    await inContext({ viewport: PHONE, isMobile: true, hasTouch: true }, async ({ page }) => {
      await open(http, page, PAGE);
      await menu(page).locator('summary').tap();
      await menu(page).locator('.vmenu input').waitFor({ state: 'visible' });
      assert.equal(await page.evaluate(() => document.activeElement.matches('.vmenu input')), false);
      const panel = await menu(page).locator('.vmenu').boundingBox();
      assert.ok(panel.x >= 0 && panel.x + panel.width <= PHONE.width, 'the list fits the screen');
    });
  });

  it('without JavaScript it is the plain grouped list', T, async () => {
    await inContext({ javaScriptEnabled: false }, async ({ page }) => {
      await page.goto(file.url(PAGE));
      await menu(page).locator('summary').click();
      assert.equal(await menu(page).locator('input').count(), 0);
      assert.ok(await menu(page).getByText('Archived', { exact: true }).isVisible());
      await menu(page).getByRole('link', { name: 'v22.1', exact: true }).click();
      await page.waitForURL(/manual221\/portaltroubleshooting\.html$/);
    });
  });
});

describe('light and dark', () => {
  const bg = (page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

  it('follows the system, the toggle overrides it and is remembered, also from file://, without a flash', T, async () => {
    for (const mode of [http, file]) {
      await inContext({ colorScheme: 'dark' }, async ({ page }) => {
        await open(mode, page, PAGE);
        const dark = await bg(page);
        assert.ok(contrast(dark, 'rgb(0, 0, 0)') < 2, `dark background: ${dark}`);
        const toggle = page.getByRole('button', { name: 'Dark mode' });
        assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
        await toggle.click();
        assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
        assert.equal(await bg(page), 'rgb(255, 255, 255)');
        await open(mode, page, CODE);
        assert.equal(await bg(page), 'rgb(255, 255, 255)', 'the choice is remembered on the next page');
        await page.getByRole('button', { name: 'Dark mode' }).click();
        assert.equal(await page.evaluate(() => localStorage.getItem('folioTheme')), null, 'back to the system: nothing stored');
        assert.equal(await bg(page), dark);
      });
    }
    // No flash: the stored choice applies before the page script has run.
    await inContext({ colorScheme: 'light' }, async ({ page, context }) => {
      await open(http, page, PAGE);
      await page.evaluate(() => { localStorage.folioTheme = 'dark'; });
      let release;
      const held = new Promise((r) => { release = r; });
      await context.route(/folio\.[0-9a-f]+\.js$/, async (route) => { await held; await route.continue(); });
      await page.goto(http.url(CODE), { waitUntil: 'commit' });
      await page.waitForFunction(() => document.body && document.querySelector('main'));
      const early = await bg(page);
      release();
      await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
      assert.notEqual(early, 'rgb(255, 255, 255)', 'dark from the first paint');
      assert.equal(early, await bg(page));
    });
  });

  it('focus rings have at least 3:1 contrast in the top bar and the page, light and dark', T, async () => {
    for (const colorScheme of ['light', 'dark']) {
      await inContext({ colorScheme }, async ({ page }) => {
        await open(http, page, ARCHIVED);
        const seen = [];
        // Tab through the top bar, the banner, the tree and the article's first links.
        for (let i = 0; i < 14; i++) {
          await page.keyboard.press('Tab');
          const r = await page.evaluate(ringAndBackground);
          assert.equal(r.style, 'solid', `${r.tag} shows a ring`);
          const ratio = contrast(r.ring, r.bg);
          seen.push(`${r.tag} ${ratio.toFixed(1)}`);
          assert.ok(ratio >= 3, `${colorScheme}: ring ${r.ring} on ${r.bg} is ${ratio.toFixed(2)}:1 (${seen.join(', ')})`);
        }
      });
    }
  });
});

describe('print', () => {
  it('every printed page names the manual, version and address; the top bar, tree and footer are not printed', T, async () => {
    for (const [mode, js] of [[http, true], [file, true], [http, false]]) {
      await inContext({ javaScriptEnabled: js }, async ({ page }) => {
        await page.goto(mode.url(PAGE));
        if (js) await page.locator('#tree[data-full-tree="true"]').waitFor({ state: 'attached' });
        await page.emulateMedia({ media: 'print' });
        const line = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--folio-print'));
        const address = js ? mode.url(PAGE) : `${PAGE}`;
        assert.equal(line.trim(), `"Open Dental Manual \u00b7 v24.3 \u00b7 ${address}"`);
        // The page's margin boxes print it on every page.
        // (A file:// stylesheet's rules cannot be read from the page.)
        if (mode === http) {
          const rule = await page.evaluate(() => {
            for (const sheet of document.styleSheets) for (const r of sheet.cssRules) if (r instanceof CSSPageRule) return r.cssText;
            return '';
          });
          assert.match(rule, /@top-left\s*\{[^}]*content: var\(--folio-print\)/);
        }
        for (const sel of ['body > header', '#tree', 'body > footer', 'aside.on-this-page, details.otp-fold']) {
          const visible = await page.locator(sel).evaluateAll((es) => es.some((e) => e.checkVisibility()));
          assert.equal(visible, false, `${sel} is not printed`);
        }
        assert.ok(await page.locator('main h1').isVisible());
      });
    }
  });

  it('notes print black on white with their type named', T, async () => {
    await inContext({ colorScheme: 'dark' }, async ({ page }) => {
      await open(http, page, CODE);
      await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
      const styles = await page.locator('.callout').evaluateAll((cs) =>
        cs.map((c) => [c.querySelector('.callout-title').textContent, getComputedStyle(c).backgroundColor, getComputedStyle(c).borderLeftColor, getComputedStyle(c.querySelector('.callout-title')).color]),
      );
      assert.deepEqual(styles, [
        ['Tip', 'rgba(0, 0, 0, 0)', 'rgb(0, 0, 0)', 'rgb(0, 0, 0)'],
        ['Warning', 'rgba(0, 0, 0, 0)', 'rgb(0, 0, 0)', 'rgb(0, 0, 0)'],
      ]);
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(0, 0, 0)');
    });
  });
});

describe("the manual's identity", () => {
  it('logo, favicon, footer text and links, and an edit link to the source of the page', T, async () => {
    for (const mode of [http, file]) {
      await inContext({}, async ({ page }) => {
        await open(mode, page, PAGE);
        const logo = page.locator('body > header > a:first-child > img');
        assert.equal(await logo.getAttribute('alt'), '', 'the title beside it names the link');
        assert.ok(await logo.evaluate((i) => i.complete && i.naturalWidth > 0), 'the logo loads');
        const icon = await page.locator('link[rel="icon"]').getAttribute('href');
        assert.match(icon, /^\.\.\/assets\/favicon\.[0-9a-f]{10}\.svg$/);
        const footer = page.locator('body > footer');
        assert.match(await footer.textContent(), /Sample manual: a few pages of the Open Dental manual, built with folio\./);
        assert.equal(await footer.getByRole('link', { name: 'Support' }).getAttribute('href'), 'https://www.opendental.com/site/contact.html');
        assert.equal(
          await footer.getByRole('link', { name: 'Edit this page' }).getAttribute('href'),
          'https://git.example.com/manual/edit/main/articles/portaltroubleshooting@17.1.md',
        );
      });
    }
  });

  it('the footer stays at the bottom of a short page, with no strip below it', T, async () => {
    await inContext({}, async ({ page }) => {
      await open(http, page, `${LATEST}/search.html`);
      const { bottom, height, scroll, canvas } = await page.evaluate(() => ({
        bottom: document.querySelector('body > footer').getBoundingClientRect().bottom,
        height: innerHeight,
        scroll: document.documentElement.scrollHeight,
        canvas: getComputedStyle(document.documentElement).backgroundColor,
      }));
      assert.equal(scroll, height, 'the page fills the window exactly');
      assert.ok(Math.abs(bottom - height) <= 1, `the footer ends at ${bottom}px of ${height}px`);
      assert.equal(canvas, 'rgb(255, 255, 255)', 'below the body is the page colour, not the tree colour');
    });
  });
});

describe('code blocks', () => {
  it('a Copy button copies the code with the clipboard, or selects it where there is none', T, async () => {
    await inContext({ permissions: ['clipboard-read', 'clipboard-write'] }, async ({ page }) => {
      await open(http, page, CODE);
      const code = await page.locator('article pre').textContent();
      const button = page.getByRole('button', { name: 'Copy the code' });
      await button.click();
      await page.waitForFunction(() => document.querySelector('.copy').textContent === 'Copied');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code.replace(/\n$/, ''));
      assert.equal(await page.locator('main [role="status"]').textContent(), 'Code copied');
    });
    await inContext({}, async ({ page, context }) => {
      await context.addInitScript(() => { Object.defineProperty(navigator, 'clipboard', { value: undefined }); });
      await open(file, page, CODE);
      await page.getByRole('button', { name: 'Copy the code' }).click();
      assert.equal((await page.evaluate(() => getSelection().toString())).trim(), (await page.locator('article pre').textContent()).trim(), 'the code is selected');
      assert.match(await page.locator('.copy').textContent(), /^(Copied|Selected)$/);
    });
    await inContext({ javaScriptEnabled: false }, async ({ page }) => {
      await page.goto(file.url(CODE));
      assert.equal(await page.locator('.copy').count(), 0, 'no button without JavaScript; the code is there');
      assert.match(await page.locator('article pre').textContent(), /Test-NetConnection/);
    });
  });
});

describe('axe-core', () => {
  const pages = [
    ['an article', PAGE],
    ['notes and code', CODE],
    ['the search page', `${LATEST}/search.html`],
    ['what changed', `${LATEST}/changes.html`],
    ['two versions compared', `${LATEST}/changes.html?from=16.4&to=24.3`],
    ['one article compared', `${LATEST}/changes.html?article=portaltroubleshooting&from=15.4&to=24.3`],
    ['a diff page', 'manual171/diff/portaltroubleshooting.html'],
    ['an archived version', ARCHIVED],
  ];
  for (const colorScheme of ['light', 'dark']) {
    it(`finds no violation on every kind of page, ${colorScheme}`, T, async () => {
      await inContext({ colorScheme, viewport: DESKTOP }, async ({ page }) => {
        const found = [];
        for (const [what, rel] of pages) {
          await open(http, page, rel);
          if (rel.includes('from=')) await page.locator('#compare-result').waitFor();
          await page.addScriptTag({ path: AXE });
          const violations = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
          });
          for (const v of violations) found.push(`${what} (${rel}): ${v}`);
        }
        assert.deepEqual(found, []);
      });
    });
  }
});
