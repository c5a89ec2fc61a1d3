// The search runtime's tokenizer and stemmer outside a browser: runs the theme's
// terms.js, search.js and search-ui.js in a node:vm context with a document that has no search form (so it sets up
// nothing but `__S.test`), for checking it against the index's Rust side.

import { readFileSync } from 'node:fs';
import vm from 'node:vm';

/** search.js's `__S.test` (words, whole, parts, stem, indexTerms, pairTerm, parse). */
export function runtime(searchJs) {
  const document = { readyState: 'complete', querySelector: () => null, addEventListener() {} };
  const context = { document };
  context.window = context;
  vm.createContext(context);
  // terms.js (the tokenizer and stemmer) comes before search.js and search-ui.js, as in
  // the page's script.
  const termsJs = searchJs.replace(/search\.js$/, 'terms.js');
  vm.runInContext(readFileSync(termsJs, 'utf8'), context, { filename: termsJs });
  vm.runInContext(readFileSync(searchJs, 'utf8'), context, { filename: searchJs });
  const uiJs = searchJs.replace(/search\.js$/, 'search-ui.js');
  vm.runInContext(readFileSync(uiJs, 'utf8'), context, { filename: uiJs });
  return context.__S.test;
}

/** Each word's index terms as `folio debug-terms` prints them: space-separated. */
export function jsTerms(searchJs, words) {
  const t = runtime(searchJs);
  return words.map((w) => t.indexTerms(w).join(' '));
}
