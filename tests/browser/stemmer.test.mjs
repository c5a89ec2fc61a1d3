// The runtime's tokenizer and stemmer (themes/default/static/terms.js, a port of the
// Snowball English stemmer) against the index's (src/index/tokenize.rs, the
// rust-stemmers crate), word for word: every word of the built sample manual, every
// version, and a list of the algorithm's special cases, through `folio debug-terms`.
// A word the two sides turn into different terms could never be found. (The relevance
// bench runs the same check on a real manual: `node benches/relevance_bench.mjs --stems`.)
//
// Run by tests/browser.rs (`cargo test`), or by hand:
//   FOLIO_SITE=/tmp/site FOLIO_BIN=target/debug/folio node --test tests/browser/stemmer.test.mjs

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { jsTerms, runtime } from './stemmer.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SEARCH_JS = path.join(HERE, '../../themes/default/static/search.js');
const BIN = process.env.FOLIO_BIN;
const SITE = process.env.FOLIO_SITE;

/** Every word of every fragment (title, headings, text) of every version of the site. */
function siteWords(site) {
  const words = new Set();
  for (const v of readdirSync(site)) {
    const dir = path.join(site, v, 'search/f');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const [, title, sections] = JSON.parse(text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')));
      for (const t of [title, ...sections.flatMap((s) => [s[1], s[2]])]) {
        for (const w of t.match(/[\p{Alphabetic}\p{N}]+(?:[-_.'\u2019][\p{Alphabetic}\p{N}]+)*/gu) ?? []) words.add(w);
      }
    }
  }
  return [...words].sort();
}

// Porter2's exceptions and each step's rules, and forms this manual's readers type
const SPECIAL = `skis skies sky dying lying tying idly gently ugly early only singly news howe atlas cosmos bias andes
inning innings outing canning herring earring proceed exceed succeed proceeding generously generate communism
communication arsenal caresses ponies ties cries cats gas this its hopping hoping filing falling agreed feed
feedly needed happy yellow sayer enjoying conditional rational valency hesitancy digitizer conformabli radically
differently vilely analogously vietnamization predication operator feudalism decisiveness hopefulness callousness
formality sensitivity sensibility triplicate formative formalize electricity electrical hopeful goodness revival
allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption
homologou communism activate angulariti homologous effective bowdlerize controll rolls roll automatically automatic
monthly month autocodes timeclock quicklinks eClipboard X-Charge OpenDentImages eConnector's 13.1 v24.3 Y'all yes
yyy ayy eyed dyed lied ied ies sses ss us's 'quoted' e-mail email emails emailing`.split(/\s+/);

describe('the runtime stems as the index does', { skip: BIN ? false : 'FOLIO_BIN is not set (tests/browser.rs sets it)' }, () => {
  function compare(words) {
    const rust = execFileSync(BIN, ['debug-terms'], { input: `${words.join('\n')}\n`, maxBuffer: 1 << 28 }).toString().split('\n');
    const js = jsTerms(SEARCH_JS, words);
    const differ = words.map((w, i) => [w, rust[i], js[i]]).filter(([, r, j]) => r !== j);
    assert.deepEqual(differ.slice(0, 20), [], `${differ.length} of ${words.length} words differ: [word, rust, js]`);
    return words.length;
  }

  it("Porter2's special cases", () => {
    compare(SPECIAL);
  });

  it('every word of the built sample manual', { skip: SITE ? false : 'FOLIO_SITE is not set' }, () => {
    const n = compare(siteWords(SITE));
    assert.ok(n > 500, `the sample manual has many words (${n})`);
  });

  it('pair terms: two words in a row joined, as the index builds them', () => {
    const t = runtime(SEARCH_JS);
    assert.equal(t.pairTerm('auto', 'codes'), 'autocod');
    assert.equal(t.pairTerm('auto', 'codes'), t.indexTerms('Autocodes')[0]);
    assert.equal(t.pairTerm('terms', 'of'), null);
    assert.deepEqual(Array.from(t.parse('Routing Slips Setup').pairs, (p) => p.t), ['routingslip', 'slipssetup']);
  });
});
