// Browser tests of comparing any two versions: the what-changed page's form
// (changes.html?from=A&to=B, and &article=SLUG for one article), reached from the version
// menu and from an article's "Changed in"; what it lists is checked against
// `folio diff A B --format json` for every pair of versions, on the sample manual and on
// a small manual whose articles are renamed twice, moved and moved back, removed and
// brought back, and changed and changed back. Over http and from file://, phone width,
// and without JavaScript.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DESKTOP, PHONE, buildManual, fileUrl, siteDir, siteMode, startSuite } from './harness.mjs';

const SITE = siteDir();
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.FOLIO_BIN;
const LATEST = 'manual243';
const OLD = 'manual164';
const T = { timeout: 60_000 };

const { server, cleanups, inContext } = await startSuite(SITE);
const modes = [siteMode('http', SITE, server), siteMode('file', SITE, server)];

/** The address of `rel` with a query (file:// URLs cannot take one through fileUrl). */
function withQuery(mode, dir, rel, query) {
  return (mode.name === 'http' ? mode.url(rel) : fileUrl(dir, rel)) + query;
}

/** What `folio diff a b --format json` lists, as the page's groups of slugs. */
function cliGroups(root, a, b) {
  const out = execFileSync(BIN, ['diff', a, b, '--format', 'json', '--root', root], { encoding: 'utf8' });
  const doc = JSON.parse(out);
  const g = {};
  for (const k of ['added', 'removed', 'renamed', 'moved', 'retitled', 'changed']) {
    g[k] = doc[k].map((e) => e.slug).sort();
  }
  g.total = doc.counts.total;
  return g;
}

/** Every pair of versions compared in the page (window.__folioCompare) and by the CLI. */
async function checkEveryPair(page, root) {
  await page.waitForFunction(() => window.__folioCompare);
  const names = await page.evaluate(() => window.__folioCompare.versions.map((v) => v.name));
  // every pair in one call: [[a, b, groups], ...]
  const all = await page.evaluate(() => {
    const C = window.__folioCompare, out = [];
    for (let a = 0; a < C.versions.length; a++) {
      for (let b = a + 1; b < C.versions.length; b++) {
        const r = C.compare(a, b), g = {};
        for (const [k, items] of Object.entries(r.groups)) {
          // a removed article by its slug in the older version, as the CLI names it
          g[k] = items.map((it) => (k === 'removed' ? it.from.slug : it.entry.slug)).sort();
        }
        g.total = r.total;
        out.push([a, b, g]);
      }
    }
    return out;
  });
  const mismatches = [];
  let pairs = 0;
  for (const [a, b, shown] of all) {
    const want = cliGroups(root, names[a], names[b]);
    pairs++;
    try {
      assert.deepEqual(shown, want);
    } catch {
      mismatches.push(`${names[a]} -> ${names[b]}: page ${JSON.stringify(shown)}, folio diff ${JSON.stringify(want)}`);
    }
  }
  assert.deepEqual(mismatches, []);
  return pairs;
}

/** The result's groups as the reader sees them: { group: [link text, ...] }. */
async function shownGroups(page) {
  return page.$$eval('#compare-result .compare-group', (secs) =>
    Object.fromEntries(secs.map((s) => [s.dataset.group, [...s.querySelectorAll('li > a:first-child')].map((a) => a.textContent)])),
  );
}

/** Every link of the comparison leads to a file of the site. */
async function linksExist(page, mode, dir) {
  const hrefs = await page.$$eval('#compare-result a', (as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 0, 'the comparison has links');
  for (const h of hrefs) {
    const rel = mode.rel(h);
    assert.ok(rel, `${h} stays in the site`);
    assert.ok(existsSync(path.join(dir, rel)), `${h} leads to a file`);
  }
}

/** A manual of five versions whose articles do everything a comparison must follow. */
const LIFECYCLE = {
  'manual.yaml': 'title: Lifecycles\nhome: home\n',
  ...Object.fromEntries(['1.0', '2.0', '3.0', '4.0', '5.0'].map((v) => [`versions/${v}.yaml`, `label: "v${v}"\npath: v${v}\n`])),
  'articles/home.md': '---\ntitle: Home\n---\n\nWelcome.\n',
  'articles/guide.md': '---\ntitle: Guide\norder: 1\nuntil: "2.0"\n---\n\nThe guide.\n',
  // the guide is renamed in 3.0: its children do not move
  'articles/guides.md': '---\ntitle: Guide\norder: 1\nsince: "3.0"\naliases: [guide]\n---\n\nThe guide.\n',
  'articles/reference.md': '---\ntitle: Reference\norder: 2\n---\n\nThe reference.\n',
  'articles/child.md': '---\ntitle: Child\nparent: guide\n---\n\nUnder the guide.\n',
  'articles/child@3.0.md': '---\ntitle: Child\nparent: guides\n---\n\nUnder the guide.\n',
  // moved to the reference in 2.0 and back under the guide in 4.0
  'articles/hopper.md': '---\ntitle: Hopper\nparent: guide\n---\n\nHops.\n',
  'articles/hopper@2.0.md': '---\ntitle: Hopper\nparent: reference\n---\n\nHops.\n',
  'articles/hopper@4.0.md': '---\ntitle: Hopper\nparent: guides\n---\n\nHops.\n',
  // text A, then B in 2.0, then A again in 3.0
  'articles/flip.md': '---\ntitle: Flip\nparent: reference\n---\n\nFirst text.\n',
  'articles/flip@2.0.md': '---\ntitle: Flip\nparent: reference\n---\n\nSecond text.\n',
  'articles/flip@3.0.md': '---\ntitle: Flip\nparent: reference\n---\n\nFirst text.\n',
  // renamed in 2.0 and again in 4.0
  'articles/chain1.md': '---\ntitle: Chain\nparent: reference\nuntil: "1.0"\n---\n\nA chain.\n',
  'articles/chain2.md': '---\ntitle: Chain\nparent: reference\nsince: "2.0"\nuntil: "3.0"\naliases: [chain1]\n---\n\nA chain.\n',
  'articles/chain3.md': '---\ntitle: Chain Three\nparent: reference\nsince: "4.0"\naliases: [chain2]\n---\n\nA chain, longer.\n',
  // gone in 3.0, back in 4.0 under a new name
  'articles/back.md': '---\ntitle: Back\nparent: reference\nuntil: "2.0"\n---\n\nAway and back.\n',
  'articles/back2.md': '---\ntitle: Back Again\nparent: reference\nsince: "4.0"\naliases: [back]\n---\n\nAway and back.\n',
  'articles/late.md': '---\ntitle: Late\nsince: "3.0"\n---\n\nNew in 3.0.\n',
  'articles/gone.md': '---\ntitle: Gone\nuntil: "3.0"\n---\n\nLast in 3.0.\n',
  'articles/retitle.md': '---\ntitle: Old Title\n---\n\nSame text.\n',
  'articles/retitle@3.0.md': '---\ntitle: New Title\n---\n\nSame text.\n',
};

describe('comparing two versions', () => {
  it('lists what `folio diff` lists, for every pair of the sample manual\'s versions', T, async () => {
    assert.ok(BIN, 'FOLIO_BIN is set (tests/browser.rs sets it)');
    await inContext({}, async ({ page }) => {
      await page.goto(fileUrl(SITE, `${LATEST}/changes.html`));
      const pairs = await checkEveryPair(page, REPO);
      assert.equal(pairs, 36 * 35 / 2);
    });
  });

  it('follows renames, moves back, returns and reverted text as `folio diff` does', T, async () => {
    const { site } = await buildManual(BIN, 'folio-compare-', LIFECYCLE, cleanups);
    const src = path.join(path.dirname(site), 'src');
    await inContext({}, async ({ page }) => {
      await page.goto(fileUrl(site, 'v5.0/changes.html'));
      assert.equal(await checkEveryPair(page, src), 10);
      // what the reader sees from 1.0 to 5.0: the renamed guide's child stayed put, the
      // hopper is back where it was, and flip's text is the same again
      await page.goto(fileUrl(site, 'v5.0/changes.html') + '?from=1.0&to=5.0');
      const groups = await shownGroups(page);
      assert.deepEqual(groups, {
        added: ['Late'],
        removed: ['Gone'],
        renamed: ['Guide', 'Back Again', 'Chain Three'],
        retitled: ['Back Again', 'Chain Three', 'New Title'],
        changed: ['Chain Three'],
      });
      // from 1.0 to 2.0 the hopper moved and flip changed; from 1.0 to 3.0 flip is back
      await page.goto(fileUrl(site, 'v5.0/changes.html') + '?from=1.0&to=2.0');
      assert.deepEqual((await shownGroups(page)).moved, ['Hopper']);
      assert.deepEqual((await shownGroups(page)).changed, ['Flip']);
      await page.goto(fileUrl(site, 'v5.0/changes.html') + '?from=1.0&to=3.0');
      assert.equal((await shownGroups(page)).changed, undefined);
      // one article across the span: each version that changed it, with its diff page
      await page.goto(fileUrl(site, 'v5.0/changes.html') + '?article=flip&from=1.0&to=5.0');
      const steps = await page.locator('#compare-result .compare-steps li').allTextContents();
      assert.deepEqual(steps.map((s) => s.split(':')[0]), ['v2.0', 'v3.0']);
      assert.match(await page.locator('#compare-result .changes-summary').textContent(), /changed in 2 versions/);
      await linksExist(page, siteMode('file', site, null), site);
    });
  });

  for (const mode of modes) {
    it(`is reached from the version menu and the form, ${mode.name}`, T, async () => {
      await inContext({ viewport: DESKTOP }, async ({ page }) => {
        await page.goto(mode.url(`${OLD}/portaltroubleshooting.html`));
        await page.locator('header details summary').click();
        await page.locator('.vmenu .vcompare a').click();
        await page.waitForURL(/manual164\/changes\.html\?from=16\.4$/);
        await page.locator('#compare-result').waitFor();
        assert.equal(await page.locator('#compare-result h3').textContent(), 'From v16.4 to v24.3');
        assert.ok(await page.locator('main .changes').isHidden(), 'the comparison replaces the list since the version before');
        const groups = await shownGroups(page);
        const want = cliGroups(REPO, '16.4', '24.3');
        for (const [k, slugs] of Object.entries(want)) {
          if (k !== 'total') assert.equal(groups[k]?.length ?? 0, slugs.length, `${k}: ${JSON.stringify(groups[k])}`);
        }
        await linksExist(page, mode, SITE);
        // pick another span: the form reloads the page with it
        await page.locator('.compare-form select[name=from]').selectOption('22.4');
        await page.locator('.compare-form select[name=to]').selectOption('23.1');
        await page.locator('.compare-form button').click();
        await page.waitForURL(/from=22\.4&to=23\.1/);
        assert.equal(await page.locator('#compare-result h3').textContent(), 'From v22.4 to v23.1');
        // versions picked the wrong way round are compared oldest first
        await page.goto(withQuery(mode, SITE, `${LATEST}/changes.html`, '?from=24.3&to=16.4'));
        assert.equal(await page.locator('#compare-result h3').textContent(), 'From v16.4 to v24.3');
        await page.goto(withQuery(mode, SITE, `${LATEST}/changes.html`, '?from=24.3&to=24.3'));
        assert.match(await page.locator('#compare-result').textContent(), /Pick two different versions/);
      });
    });

    it(`compares one article from its page, ${mode.name}`, T, async () => {
      await inContext({ viewport: DESKTOP }, async ({ page }) => {
        await page.goto(mode.url(`${LATEST}/portaltroubleshooting.html`));
        await page.locator('.compare-link a').click();
        await page.waitForURL(/manual243\/changes\.html\?article=portaltroubleshooting$/);
        assert.equal(await page.locator('#compare-result h3').textContent(), 'Patient Portal Troubleshooting: from v19.4 to v24.3');
        // by default from the version before its last change: v20.1
        assert.deepEqual(await page.locator('#compare-result .compare-steps li strong').allTextContents(), ['v20.1: ']);
        await page.locator('.compare-form select[name=from]').selectOption('15.4');
        await page.locator('.compare-form button').click();
        await page.waitForURL(/article=portaltroubleshooting&from=15\.4&to=24\.3$/);
        const h = await page.locator('#compare-result h3').textContent();
        assert.equal(h, 'Patient Portal Troubleshooting: from v15.4 to v24.3');
        // every version whose diff page shows a change to it, and nothing else
        const diffs = readdirSync(SITE).filter((d) => existsSync(path.join(SITE, d, 'diff', 'portaltroubleshooting.html')));
        const steps = await page.locator('#compare-result .compare-steps li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(
          steps.map((h) => h.split('/').slice(-3, -2)[0]).sort(),
          diffs.sort(),
        );
        await linksExist(page, mode, SITE);
      });
    });
  }

  it('fits a phone and says what it needs without JavaScript', T, async () => {
    await inContext({ viewport: PHONE }, async ({ page }) => {
      await page.goto(withQuery(modes[0], SITE, `${LATEST}/changes.html`, '?from=15.4&to=24.3'));
      await page.locator('#compare-result').waitFor();
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(over <= 0, `no sideways scrolling (${over}px too wide)`);
    });
    await inContext({ javaScriptEnabled: false }, async ({ page }) => {
      await page.goto(withQuery(modes[1], SITE, `${LATEST}/changes.html`, '?from=15.4&to=24.3'));
      assert.ok(await page.locator('main .changes').isVisible(), 'the list since the version before is there');
      assert.match(await page.locator('#compare').textContent(), /needs JavaScript/);
    });
  });
});
