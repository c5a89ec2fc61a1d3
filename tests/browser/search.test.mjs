// Browser tests of search (SPEC.md section 7) on the built sample manual: the top-bar
// box says which version it searches and its shortcut, shows ranked, highlighted results
// as you type (debounced), is keyboard-operable and follows the ARIA combobox pattern
// (each option is its result's link: no interactive element nested in another), leads
// to the right page and heading, and hands over to search.html?q= for the full list;
// every version folder searches its own index, and when it has nothing for a word, the
// box and search.html offer the versions that have it (OpenDentCustListener is only in
// v15.4-v16.4), loading nothing of the other versions otherwise; typos are corrected and
// say so, quoted phrases work; titles and text are never parsed as HTML
// (checked on a small fixture manual built here); without JavaScript search.html says
// search needs it. Everything runs over http (a local server) and from file://, and
// fails on console errors, page errors, failed requests or requests leaving the machine.
//
// Run by tests/browser.rs (`cargo test`), or by hand:
//   FOLIO_SITE=/tmp/site FOLIO_BIN=target/debug/folio node --test tests/browser/search.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { buildManual, siteDir, siteMode, startSuite } from './harness.mjs';

const SITE = siteDir();
const LATEST = 'manual243';
const OLD = 'manual164';
/** Where the tests type their queries (any article page has the top-bar box). */
const START = `${LATEST}/setup.html`;
const T = { timeout: 30_000 };
/** FOLIO_BIN: the folio binary, for the fixture manual (tests/browser.rs passes it). */
const BIN = process.env.FOLIO_BIN;

const { server, cleanups, inContext } = await startSuite(SITE);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's violations inside the search form (the box, its dropdown and footer). */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector('form[role=search]'), { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  });
}

/** Opens a site-relative path, with an optional query string (`?q=…`). */
async function goto(mode, page, rel, query = '') {
  const res = await page.goto(mode.url(rel) + query);
  if (mode.name === 'http') assert.equal(res?.status(), 200, `GET ${rel}`);
}

/** The top bar's search box, found by its visible label as a reader finds it. */
const box = (page) => page.locator('header').getByLabel('Search', { exact: true });
const options = (page) => page.locator('[role="listbox"] [role="option"]');

/**
 * Types `q` into the top-bar box (after clearing it) and waits until the dropdown shows
 * the outcome for exactly this text: the dropdown names the query it shows (`data-q`),
 * and its footer links to search.html?q=<q> or says "No results for “<q>” in …"
 * (a stale rendering for an earlier text does not count).
 */
async function typeQuery(page, q) {
  const input = box(page);
  await input.fill('');
  await input.focus();
  await page.keyboard.type(q);
  const done = await page.waitForFunction((want) => {
    const pop = document.querySelector('.search-pop');
    const foot = pop?.querySelector('.search-foot');
    if (!pop || pop.hidden || !foot || pop.getAttribute('data-q') !== want) return false;
    if (/Search is unavailable/.test(foot.textContent)) return 'unavailable';
    const all = foot.querySelector('a.search-all')?.getAttribute('href') ?? '';
    return all.endsWith(`?q=${encodeURIComponent(want)}`) || foot.textContent.startsWith(`No results for “${want}”`);
  }, q.trim());
  assert.equal(await done.jsonValue(), true, `search for "${q}" ran`);
}

/** The dropdown's results: { rel (site-relative target), hash, title, head, text, marks }. */
async function dropdown(mode, page) {
  const rows = await options(page).evaluateAll((els) =>
    els.map((a) => {
      const text = (sel) => a.querySelector(sel)?.textContent ?? '';
      return {
        href: a.href,
        hash: new URL(a.href).hash,
        title: text('.sr-title'),
        head: text('.sr-head'),
        text: text('.sr-text'),
        marks: [...a.querySelectorAll('mark')].map((m) => m.textContent),
      };
    }),
  );
  return rows.map(({ href, ...r }) => ({ rel: mode.rel(href), ...r }));
}

const foot = (page) => page.locator('.search-foot').textContent();
/** The polite live region's current text. */
const live = (page) => page.locator('[role="status"][aria-live="polite"]').textContent();

async function landsOn(mode, page, rel) {
  await page.waitForURL((u) => mode.rel(u.href) === rel);
  await page.waitForLoadState('load');
}

for (const name of ['http', 'file']) {
  const mode = siteMode(name, SITE, server);

  describe(`search over ${name === 'http' ? 'http (127.0.0.1)' : 'file://'}`, () => {
    it('the box is an ARIA combobox; typing shows ranked results with <mark> highlights, debounced', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, START);
        const input = box(page);
        await page.waitForFunction(() => document.querySelector('form[role=search] input[name=q]').getAttribute('role') === 'combobox');
        assert.equal(await input.count(), 1, 'the box is named by its label');
        assert.equal((await page.locator('header form label').innerText()).trim(), 'Search', 'a visible label');
        assert.equal(await input.getAttribute('placeholder'), 'Search v24.3 (press /)', 'the version it searches, and the shortcut');
        assert.equal(await input.getAttribute('aria-expanded'), 'false');
        const listId = await input.getAttribute('aria-controls');
        assert.ok(listId, 'aria-controls names the list');
        const list = page.locator(`[id="${listId}"]`);
        assert.equal(await list.getAttribute('role'), 'listbox');
        assert.equal(await page.locator('[role="status"][aria-live="polite"]').count(), 1, 'one polite live region');

        await typeQuery(page, 'error 104');
        assert.equal(await input.getAttribute('aria-expanded'), 'true');
        assert.equal(await list.isVisible(), true);
        const rows = await dropdown(mode, page);
        assert.ok(rows.length >= 2 && rows.length <= 5, `2 to 5 results in the dropdown, got ${rows.length}`);
        // the page whose heading is the query leads, linked to that heading
        assert.equal(rows[0].title, 'Patient Portal Troubleshooting');
        assert.equal(rows[0].rel, `${LATEST}/portaltroubleshooting.html`);
        assert.equal(rows[0].hash, '#error-104');
        assert.match(rows[0].head, /error code 104/i);
        assert.ok(rows[0].marks.some((m) => /^error$/i.test(m)) && rows[0].marks.includes('104'), `marks: ${rows[0].marks}`);
        for (const r of rows) {
          assert.ok(r.marks.length > 0, `${r.title}: a highlighted word`);
          assert.ok(r.rel?.startsWith(`${LATEST}/`) && existsSync(path.join(SITE, r.rel)), `${r.rel} is a page of ${LATEST}`);
        }
        // every option has an id (for aria-activedescendant) and is a real link, out of
        // the tab order, with nothing focusable inside (axe's nested-interactive)
        const ids = await options(page).evaluateAll((els) =>
          els.map((e) => e.id && e.matches('a[href][tabindex="-1"]') && !e.querySelector('a, button, input, [tabindex]') && e.id));
        assert.ok(ids.every(Boolean), 'options have ids, are links, and hold nothing interactive');
        assert.equal(new Set(ids).size, ids.length, 'option ids are unique');
        assert.equal(await page.locator('[role="listbox"] > :not([role="none"])').count(), 0, 'list items are presentational');
        if (mode.name === 'http') assert.deepEqual(await axeViolations(page), [], 'axe-core: the open dropdown');

        // Debounce: quick typing (five input events at once) is searched and rendered
        // once, and not before the debounce delay even though everything is loaded.
        const [renders, delay] = await page.evaluate(async () => {
          const input = document.querySelector('form[role=search] input[name=q]');
          const list = document.querySelector('[role="listbox"]');
          let n = 0;
          let first = 0;
          const ob = new MutationObserver((ms) => {
            if (ms.some((m) => [...m.addedNodes].some((x) => x.querySelector?.('[role="option"]')))) {
              n++;
              first ||= performance.now();
            }
          });
          ob.observe(list, { childList: true });
          const t0 = performance.now();
          for (const v of ['e', 'er', 'err', 'error 1', 'error 104']) {
            input.value = v;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }
          await new Promise((ok) => {
            const wait = () => (first || performance.now() - t0 > 5000 ? setTimeout(ok, 300) : setTimeout(wait, 10));
            wait();
          });
          ob.disconnect();
          return [n, first - t0];
        });
        assert.equal(renders, 1, 'quick typing renders the list once');
        assert.ok(delay >= 30, `results wait for the debounce (35 ms): shown after ${delay.toFixed(1)} ms`);

        // the live region announces the count once typing settles
        await page.waitForFunction(() => /^\d+ results? in v24\.3$/.test(document.querySelector('[role="status"][aria-live="polite"]').textContent));
        const total = Number((await foot(page)).match(/^All (\d+) results$/)?.[1] ?? rows.length);
        assert.equal(await live(page), `${total} results in v24.3`);

        // "No results" is said at once (a count waits 700 ms for typing to settle)
        await typeQuery(page, 'zzqxv');
        assert.equal(await options(page).count(), 0);
        assert.equal(await foot(page), 'No results for “zzqxv”', 'in no version either');
        await page.waitForFunction(() => document.querySelector('[role="status"]').textContent === 'No results in v24.3', null, { timeout: 2000 });
      });
    });

    it('arrows move the selection, Enter opens the page at the heading, Escape closes, "/" focuses', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, START);
        await page.locator('h1').click();
        await page.keyboard.press('/');
        assert.equal(await box(page).evaluate((i) => i === document.activeElement), true, '"/" focuses the box');

        const input = box(page);
        await typeQuery(page, 'error 104');
        const ids = await options(page).evaluateAll((els) => els.map((e) => e.id));
        const active = () => input.getAttribute('aria-activedescendant');
        const selected = () => options(page).evaluateAll((els) => els.filter((e) => e.getAttribute('aria-selected') === 'true').map((e) => e.id));
        assert.equal(await active(), null, 'nothing selected before an arrow key');

        await page.keyboard.press('ArrowDown');
        assert.equal(await active(), ids[0]);
        assert.deepEqual(await selected(), [ids[0]]);
        await page.keyboard.press('ArrowDown');
        assert.equal(await active(), ids[1]);
        assert.deepEqual(await selected(), [ids[1]]);
        await page.keyboard.press('ArrowUp');
        assert.equal(await active(), ids[0]);
        assert.deepEqual(await selected(), [ids[0]]);
        await page.keyboard.press('ArrowUp');
        assert.equal(await active(), ids.at(-1), 'ArrowUp from the first wraps to the last');
        await page.keyboard.press('ArrowDown');
        assert.equal(await active(), ids[0], 'and ArrowDown wraps back');

        // Escape closes the list and keeps focus and text in the box
        await page.keyboard.press('Escape');
        assert.equal(await page.locator('.search-pop').isHidden(), true, 'Escape hides the dropdown');
        assert.equal(await input.getAttribute('aria-expanded'), 'false');
        assert.equal(await active(), null);
        assert.equal(await input.evaluate((i) => i === document.activeElement), true);
        assert.equal(await input.inputValue(), 'error 104');

        // open again, select the first result, Enter: the page, scrolled to the heading
        await typeQuery(page, 'error 104');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await landsOn(mode, page, `${LATEST}/portaltroubleshooting.html`);
        assert.ok(page.url().endsWith('portaltroubleshooting.html#error-104'), page.url());
        const heading = page.locator('[id="error-104"]');
        assert.match(await heading.textContent(), /error code 104/i);
        assert.equal(await heading.evaluate((h) => /^H[1-6]$/.test(h.tagName)), true, 'the target is a heading');
        await page.waitForFunction(() => {
          const r = document.getElementById('error-104').getBoundingClientRect();
          return r.top > -2 && r.top < innerHeight / 2; // scrolled to (subpixel rounding aside)
        });
      });
    });

    it('Enter without a selection opens search.html?q= with the full list', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, START);
        await typeQuery(page, 'patient');
        const all = page.locator('.search-all');
        const shownAll = Number((await all.textContent()).match(/All (\d+) results/)?.[1]);
        assert.ok(shownAll > 5, `the dropdown offers all ${shownAll} results`);

        await page.keyboard.press('Enter');
        await landsOn(mode, page, `${LATEST}/search.html`);
        assert.equal(new URL(page.url()).searchParams.get('q'), 'patient');
        const summary = page.locator('.search-summary');
        await page.waitForFunction(() => /results? for/.test(document.querySelector('.search-summary')?.textContent));
        assert.equal(await summary.textContent(), `${shownAll} results for “patient”`);
        assert.equal(await page.locator('.search-scope').textContent(), 'In v24.3 of the Open Dental Manual');
        assert.equal(await box(page).inputValue(), 'patient', 'the box holds the query');
        const items = page.locator('.search-results > li');
        await items.first().waitFor();
        const shown = await items.count();
        assert.equal(shown, Math.min(shownAll, 10), 'the first page of results');
        if (shownAll > shown) {
          await page.locator('.search-more').click();
          await page.waitForFunction((n) => document.querySelectorAll('.search-results > li').length > n, shown);
        }
        assert.ok((await items.count()) <= shownAll);
        assert.ok((await items.locator('mark').count()) >= shown, 'highlights on the results page');
        const targets = await items.locator('a').evaluateAll((as) => as.map((a) => a.href));
        for (const t of targets) {
          const rel = mode.rel(t);
          assert.ok(rel && existsSync(path.join(SITE, rel)), `${t} is a page of the site`);
        }
        // typing on the results page runs a new search
        await box(page).fill('error 104');
        await page.waitForFunction(() => /for “error 104”$/.test(document.querySelector('.search-summary').textContent));
        await page.locator('.search-results > li').first().waitFor();
        const first = page.locator('.search-results > li a').first();
        assert.ok((await first.getAttribute('href')).endsWith('portaltroubleshooting.html#error-104'));
      });
    });

    it("an old version's folder searches its own content", T, async () => {
      await inContext({}, async ({ page, requests }) => {
        await goto(mode, page, `${OLD}/setup.html`);
        await typeQuery(page, 'OpenDentCustListener');
        const rows = await dropdown(mode, page);
        const rels = rows.map((r) => r.rel);
        assert.ok(rels.includes(`${OLD}/portaltroubleshooting.html`), `the Listener-era troubleshooting page: ${rels}`);
        assert.ok(rels.includes(`${OLD}/econnector.html`), `and the eConnector page that names it: ${rels}`);
        assert.ok(rows.every((r) => r.marks.includes('OpenDentCustListener')), 'the word is highlighted in each');
        const searchFiles = requests.filter((u) => u.includes('/search/')).map((u) => mode.rel(u));
        assert.ok(searchFiles.length > 0);
        assert.deepEqual(searchFiles.filter((r) => !r.startsWith(`${OLD}/search/`)), [], 'only its own index is loaded');
      });
    });

    it('a word this version lacks: the box and search.html offer the versions that have it', T, async () => {
      await inContext({}, async ({ page, requests }) => {
        await goto(mode, page, START);
        await typeQuery(page, 'OpenDentCustListener');
        assert.equal(await options(page).count(), 0, `${LATEST} no longer mentions the Listener`);
        const text = await foot(page);
        assert.match(text, /^No results for “OpenDentCustListener” in v24\.3/);
        // the newest versions that have it, each with its count and links to its pages
        assert.match(text, /“OpenDentCustListener”: 2 results in v16\.4/);
        assert.match(text, /“OpenDentCustListener”: 2 results in v16\.3/);
        const links = await page.locator('.search-foot a.search-other-link').evaluateAll((as) => as.map((a) => [a.textContent, a.href]));
        const in164 = links.filter(([, h]) => mode.rel(h)?.startsWith('manual164/')).map(([t, h]) => [t, mode.rel(h)]);
        assert.deepEqual(in164.map(([, r]) => r).sort(), ['manual164/econnector.html', 'manual164/portaltroubleshooting.html']);
        for (const [, h] of links) assert.ok(existsSync(path.join(SITE, mode.rel(h))), `${h} is a page of the site`);
        assert.match(await live(page), /^No results in v24\.3; 2 results in v16\.4, 2 results in v16\.3$/);
        if (mode.name === 'http') assert.deepEqual(await axeViolations(page), [], 'axe-core: the suggestions');
        // only the table and the two versions it names were loaded, nothing of the others
        const loaded = requests.filter((u) => /\/search\//.test(u)).map((u) => mode.rel(u).split('/search/')[0]);
        assert.deepEqual([...new Set(loaded)].sort(), ['assets', 'manual163', 'manual164', LATEST]);

        // a word this version has: no table is loaded
        const before = requests.length;
        await typeQuery(page, 'eConnector');
        assert.equal(requests.slice(before).filter((u) => u.includes('assets/search/')).length, 0);

        // search.html says the same, under the (empty) list
        await goto(mode, page, `${LATEST}/search.html`, '?q=OpenDentCustListener');
        await page.waitForFunction(() => document.querySelector('.search-elsewhere:not([hidden]) a'));
        assert.equal(await page.locator('.search-summary').textContent(), 'No results for “OpenDentCustListener” in v24.3');
        assert.equal(await page.locator('.search-elsewhere h2').textContent(), 'In other versions');
        const other = await page.locator('.search-elsewhere a').evaluateAll((as) => as.map((a) => a.href));
        assert.ok(other.some((h) => mode.rel(h) === 'manual164/econnector.html'), `${other}`);
        await page.locator('.search-elsewhere a', { hasText: 'eConnector' }).first().click();
        await landsOn(mode, page, 'manual164/econnector.html');
      });
    });

    it('ranking: title words lead, a whole title leads, words match longer forms, compounds, typos and phrases work', T, async () => {
      await inContext({}, async ({ page }) => {
        await goto(mode, page, START);
        // a title match outranks pages that only mention the word
        await typeQuery(page, 'firewall');
        let rows = await dropdown(mode, page);
        assert.equal(rows[0].rel, `${LATEST}/allowapplication.html`, `"eConnector Firewall" first: ${rows.map((r) => r.title)}`);
        // the whole title of a page puts that page first, over pages sharing its words
        await typeQuery(page, 'patient portal setup');
        rows = await dropdown(mode, page);
        assert.equal(rows[0].title, 'Patient Portal Setup');
        // the word being typed matches longer words
        await typeQuery(page, 'econn');
        rows = await dropdown(mode, page);
        assert.ok(rows.length >= 3, `"econn" finds the eConnector pages: ${rows.length}`);
        assert.equal(rows[0].title, 'eConnector');
        assert.ok(rows.every((r) => r.marks.some((m) => /^econnector$/i.test(m))), 'and highlights eConnector');
        // and so does every other word, below the word itself
        await typeQuery(page, 'econn firewall');
        rows = await dropdown(mode, page);
        assert.equal(rows[0].rel, `${LATEST}/allowapplication.html`, `"eConnector Firewall" first: ${rows.map((r) => r.title)}`);
        // a name typed as one word finds the pages that write it as two, and marks both
        await typeQuery(page, 'patientportal');
        rows = await dropdown(mode, page);
        assert.match(rows[0]?.title ?? '', /Patient Portal/, `${rows.map((r) => r.title)}`);
        assert.ok(rows[0].marks.includes('Patient') && rows[0].marks.includes('Portal'), `marks: ${rows[0].marks}`);

        for (const [typo, word, rel] of [
          ['firewll', /^firewall/i, 'allowapplication.html'], // dropped letter; the "eConnector Firewall" page
          ['registraton', /^registration$/i, 'eservicessetup.html'], // dropped letter, body text only
          ['pasword', /^password$/i, 'portalaccess.html'], // the "Reset a password" heading
          ['patinet', /^patients?$/i, 'patients.html'], // transposed letters
        ]) {
          await typeQuery(page, typo);
          const rows = await dropdown(mode, page);
          assert.ok(rows.some((r) => r.rel === `${LATEST}/${rel}`), `"${typo}" finds ${rel}: ${rows.map((r) => r.rel)}`);
          assert.ok(rows[0].marks.some((m) => word.test(m)), `"${typo}" highlights the real word: ${rows[0].marks}`);
          // the box says what it searched for instead
          assert.match(await page.locator('.search-foot .search-fixed').textContent(), new RegExp(`^Showing results for “${word.source.slice(1, 6)}`, 'i'));
        }
        const titles = (await dropdown(mode, page)).map((r) => r.title);
        assert.ok(titles.every((t) => /\bpatients?\b/i.test(t)), `pages titled with the word rank first: ${titles}`);

        // unquoted, the words may be anywhere; quoted, only the phrase in order
        await typeQuery(page, 'key registration');
        const loose = await dropdown(mode, page);
        assert.ok(loose.length >= 3, `both words: ${loose.length} results`);
        await typeQuery(page, '"key registration"');
        assert.equal(await options(page).count(), 0, 'no page has "key registration" in that order');
        await typeQuery(page, '"registration key"');
        const phrase = await dropdown(mode, page);
        assert.deepEqual(
          phrase.map((r) => r.rel).sort(),
          ['eservicessetup.html', 'eservicestroubleshooting.html', 'portaltroubleshooting.html'].map((s) => `${LATEST}/${s}`),
        );
        for (const r of phrase) assert.match(r.text, /registration key/i, `${r.title}: the excerpt shows the phrase`);
      });
    });

    it('with JavaScript off, search.html says that search needs JavaScript', T, async () => {
      await inContext({ javaScriptEnabled: false }, async ({ page }) => {
        await goto(mode, page, `${LATEST}/search.html`, '?q=firewall');
        // (getByText skips <noscript> content, so the note is found by its class)
        const note = page.locator('noscript .search-noscript');
        assert.equal(await note.isVisible(), true);
        assert.match(await note.textContent(), /^Search needs JavaScript/);
        assert.equal(await box(page).getAttribute('role'), null, 'no script ran');
      });
    });
  });
}

describe('search escapes titles and text', { skip: BIN ? false : 'FOLIO_BIN is not set (tests/browser.rs sets it)' }, () => {
  const TITLE = '<img src=x onerror=alert(1)>';
  let site, fixtureServer;

  /** Writes and builds a two-page manual whose second page has a title made of HTML. */
  async function build() {
    const files = {
      'manual.yaml': 'title: Escaping Test Manual\nhome: welcome\n',
      'versions/1.0.yaml': 'label: v1.0\npath: v1.0\nstatus: current\n',
      'articles/welcome.md': '---\ntitle: Welcome\n---\n\nStart with the [tricky page](tricky.md).\n',
      'articles/tricky.md':
        `---\ntitle: ${JSON.stringify(TITLE)}\n---\n\n` +
        '## Code `<script>alert(2)</script>` here {#danger}\n\n' +
        'The onerror attribute runs script: `<img src=y onerror=alert(3)>` shows as text.\n',
    };
    ({ site, server: fixtureServer } = await buildManual(BIN, 'folio-search-xss-', files, cleanups));
  }

  for (const name of ['http', 'file']) {
    it(`over ${name}: an HTML title shows as text in the dropdown and on search.html, and nothing runs`, T, async () => {
      if (!site) await build();
      const mode = siteMode(name, site, fixtureServer);
      // a dialog would fail inContext; an <img src=x> made from text would request "x"
      await inContext({}, async ({ page, requests }) => {
        await goto(mode, page, 'v1.0/welcome.html');
        for (const q of ['onerror', TITLE]) {
          await typeQuery(page, q);
          const rows = await dropdown(mode, page);
          assert.equal(rows[0]?.title, TITLE, `"${q}": the title, literally`);
          assert.equal(rows[0].rel, 'v1.0/tricky.html');
          assert.equal(await page.locator('.search-pop img, .search-pop script').count(), 0, 'no elements made from text');
        }
        const [top] = await dropdown(mode, page);
        assert.match(`${top.head} ${top.text}`, /<script>alert\(2\)<\/script>|<img src=y onerror=alert\(3\)>/, 'code text shows literally');

        await goto(mode, page, 'v1.0/search.html', `?q=${encodeURIComponent(TITLE)}`);
        await page.locator('.search-results > li').first().waitFor();
        assert.equal(await page.locator('.search-summary').textContent(), `1 result for “${TITLE}”`);
        assert.equal(await page.locator('.search-results .sr-title').first().textContent(), TITLE);
        assert.equal(await page.locator('#search-page img, #search-page script').count(), 0);
        await page.waitForTimeout(100);
        const strays = requests.filter((u) => /\/(x|y)([?#]|$)/.test(u));
        assert.deepEqual(strays, [], 'no image was requested from the text');
      });
    });
  }
});
