/* folio search: the tokenizer and Snowball English stemmer, the twin of
 * src/index/tokenize.rs rule for rule (change both). The theme joins this file before
 * search.js into the script pages load; it hands its functions to search.js as
 * window.__folioTerms. */
(function () {
  'use strict';
  var WORD = /[\p{Alphabetic}\p{N}]+(?:[-_.'\u2019][\p{Alphabetic}\p{N}]+)*/gu;
  var CONN = /[-_.'\u2019]/, NUM = /\p{N}/u, UP = /\p{Uppercase}/u, LOW = /\p{Lowercase}/u;
  var STOP = {};
  ('a an and are as at be but by for if in into is it its no not of on or such that the ' +
    'their then there these they this to was were will with').split(' ').forEach(function (w) { STOP[w] = 1; });

  function words(text) { return text.match(WORD) || []; }
  function ends(w, s) { return w.slice(-s.length) === s; }
  function whole(word) {
    var cs = Array.from(word.toLowerCase()), out = '';
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i];
      if (!CONN.test(c)) out += c;
      else if (c === '.' && i > 0 && NUM.test(cs[i - 1]) && i + 1 < cs.length && NUM.test(cs[i + 1])) out += c;
    }
    return out;
  }
  function parts(word) {
    var out = [];
    word.split(CONN).forEach(function (run) {
      var cs = Array.from(run), s = 0;
      if (!cs.length) return;
      for (var i = 1; i < cs.length; i++) {
        var a = cs[i - 1], b = cs[i];
        if ((LOW.test(a) && UP.test(b)) || (UP.test(a) && UP.test(b) && i + 1 < cs.length && LOW.test(cs[i + 1]))) {
          out.push(cs.slice(s, i).join('').toLowerCase());
          s = i;
        }
      }
      out.push(cs.slice(s).join('').toLowerCase());
    });
    return out;
  }
  /* ---- Snowball English (Porter2) stemmer: a port of the algorithm as the Rust crate
   * rust-stemmers 1.2 runs it (tokenize.rs calls that crate). Only for words of ASCII
   * lowercase letters; 'Y' marks a consonant y while stemming. ---- */
  var SB = (function () {
    function isV(c) { return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y'; }
    // v plus w, x and the consonant mark Y
    function isVWXY(c) { return isV(c) || c === 'w' || c === 'x' || c === 'Y'; }
    function longest(w, list) {
      for (var i = 0; i < list.length; i++) if (w.slice(-list[i].length) === list[i]) return list[i];
      return null;
    }
    // ends in a short syllable (the part of the word before `end`)
    function shortv(w, end) {
      var a = w[end - 3], b = w[end - 2], c = w[end - 1];
      if (end >= 3 && !isVWXY(c) && isV(b) && !isV(a)) return true;
      return end === 2 && !isV(c) && isV(b);
    }
    var EXC1 = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
      ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe',
      atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
    var EXC2 = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
    // longest suffix first
    var S2 = [['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
      ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'],
      ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'],
      ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'], ['ogi', 'og'], ['li', '']];
    var S2K = S2.map(function (r) { return r[0]; });
    var S3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''],
      ['ical', 'ic'], ['ness', ''], ['ful', '']];
    var S3K = S3.map(function (r) { return r[0]; });
    var S4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ate', 'ive', 'ize', 'iti', 'ism', 'ion', 'ous',
      'ant', 'ent', 'al', 'er', 'ic'];
    return function (w) {
      if (EXC1.hasOwnProperty(w)) return EXC1[w];
      if (w.length < 3) return w;
      var i, s, n;
      if (w[0] === "'") w = w.slice(1);
      // prelude: y as a consonant
      var Y = false, cs = w.split('');
      for (i = 0; i < cs.length; i++) if (cs[i] === 'y' && (i === 0 || isV(cs[i - 1]))) { cs[i] = 'Y'; Y = true; }
      w = cs.join('');
      // regions
      var p1 = w.length, p2 = w.length, m = /^(gener|commun|arsen)/.exec(w);
      function after(from) {
        for (var j = from; j < w.length - 1; j++) if (isV(w[j]) && !isV(w[j + 1])) return j + 2;
        return w.length;
      }
      p1 = m ? m[0].length : after(0);
      p2 = after(p1);
      // step 1a
      s = longest(w, ["'s'", "'s", "'"]);
      if (s) w = w.slice(0, -s.length);
      s = longest(w, ['sses', 'ied', 'ies', 'ss', 'us', 's']);
      if (s === 'sses') w = w.slice(0, -2);
      else if (s === 'ied' || s === 'ies') w = w.slice(0, -3) + (w.length - 3 >= 2 ? 'i' : 'ie');
      else if (s === 's') {
        n = w.length - 1;
        for (i = n - 2; i >= 0; i--) if (isV(w[i])) break;
        if (i >= 0) w = w.slice(0, -1);
      }
      if (EXC2.hasOwnProperty(w)) return w;
      // step 1b
      s = longest(w, ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed']);
      if (s === 'eed' || s === 'eedly') {
        if (w.length - s.length >= p1) w = w.slice(0, -s.length) + 'ee';
      } else if (s) {
        n = w.length - s.length;
        for (i = n - 1; i >= 0; i--) if (isV(w[i])) break;
        if (i >= 0) {
          w = w.slice(0, n);
          if (/(at|bl|iz)$/.test(w)) w += 'e';
          else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
          else if (w.length === p1 && shortv(w, w.length)) w += 'e';
        }
      }
      // step 1c
      n = w.length;
      if (n > 2 && (w[n - 1] === 'y' || w[n - 1] === 'Y') && !isV(w[n - 2])) w = w.slice(0, -1) + 'i';
      // step 2
      s = longest(w, S2K);
      if (s && w.length - s.length >= p1) {
        var r = S2[S2K.indexOf(s)][1], pre = w[w.length - s.length - 1];
        if (s === 'ogi') { if (pre === 'l') w = w.slice(0, -3) + 'og'; }
        else if (s === 'li') { if (pre && 'cdeghkmnrt'.indexOf(pre) >= 0) w = w.slice(0, -2); }
        else w = w.slice(0, -s.length) + r;
      }
      // step 3
      s = longest(w, S3K);
      if (s && w.length - s.length >= p1) {
        if (s === 'ative') { if (w.length - 5 >= p2) w = w.slice(0, -5); }
        else w = w.slice(0, -s.length) + S3[S3K.indexOf(s)][1];
      }
      // step 4
      s = longest(w, S4);
      if (s && w.length - s.length >= p2) {
        if (s !== 'ion') w = w.slice(0, -s.length);
        else if (/[st]ion$/.test(w)) w = w.slice(0, -3);
      }
      // step 5
      n = w.length;
      if (w[n - 1] === 'e') {
        if (n - 1 >= p2 || (n - 1 >= p1 && !shortv(w, n - 1))) w = w.slice(0, -1);
      } else if (w[n - 1] === 'l' && n - 1 >= p2 && w[n - 2] === 'l') w = w.slice(0, -1);
      return Y ? w.replace(/Y/g, 'y') : w;
    };
  })();
  // only words of ASCII lowercase letters are stemmed, as in tokenize.rs
  function stem(w) { return w.length >= 3 && /^[a-z]+$/.test(w) ? SB(w) : w; }
  function term(s) { return Array.from(s).length > 1 && !STOP[s] ? stem(s) : null; }
  // two words in a row joined (whole forms), as tokenize.rs pair_term
  function pairTerm(a, b) { return term(a) && term(b) ? stem(a + b) : null; }
  var memo = new Map();
  function indexTerms(word) {
    var out = memo.get(word);
    if (!out) {
      if (memo.size > 20000) memo.clear();
      memo.set(word, (out = termsOf(word)));
    }
    return out;
  }
  function termsOf(word) {
    var w = whole(word), out = [];
    if (STOP[w]) return out;
    var t = term(w), ps = parts(word);
    if (t) out.push(t);
    if (ps.length > 1) ps.forEach(function (p) { if ((p = term(p))) out.push(p); });
    return out;
  }

  window.__folioTerms = {
    WORD: WORD, STOP: STOP, words: words, whole: whole, parts: parts, stem: stem, term: term,
    pairTerm: pairTerm, indexTerms: indexTerms
  };
})();
