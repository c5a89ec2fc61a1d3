/* folio search: the runtime (its UI is search-ui.js). One classic script, no fetch, modules, WASM or
 * workers: index files arrive as <script> elements calling __S.meta / __S.t / __S.f
 * (formats in src/index/mod.rs), so search works from file:// and any server.
 * The tokenizer and stemmer are in terms.js, joined before this file.
 * All page text is inserted with text nodes, never as HTML. */
(function () {
  'use strict';
  var doc = document, win = window;

  /* ---- tokenizer: terms.js (twin of tokenize.rs) ---- */
  var T = win.__folioTerms;
  var WORD = T.WORD, STOP = T.STOP, words = T.words, whole = T.whole, parts = T.parts, stem = T.stem,
    term = T.term, pairTerm = T.pairTerm, indexTerms = T.indexTerms;

  /* ---- loading: every index file is a script that hands its data to __S ---- */
  var ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', DIGIT = {};
  for (var i = 0; i < 64; i++) DIGIT[ALPHA.charCodeAt(i)] = i;
  // A script's load event follows its execution at once, so what the script handed
  // over is still in `handed` when its load event runs.
  var handed = null;
  function take(v) { handed = v; }
  var S = win.__S = {
    meta: take,
    t: function (v, k, terms, posts) { take({ v: v, k: k, terms: terms.split('\n'), posts: posts.split('\n'), memo: {} }); },
    f: take,
    x: take,
    xt: function (v, k, terms, sets) { take({ v: v, k: k, terms: terms.split('\n'), sets: sets.split('\n') }); }
  };
  function script(url) {
    return new Promise(function (ok, fail) {
      var s = doc.createElement('script');
      s.src = url;
      s.onload = s.onerror = function (e) {
        var got = handed;
        handed = null;
        s.remove();
        if (e.type === 'load' && got) ok(got); else fail(new Error('cannot load ' + url));
      };
      doc.head.appendChild(s);
    });
  }

  /* One version's index (meta.js, t/<k>.js, f/<n>.js under `base`), or with `cross`,
   * the manual's table of the versions each term is in (x.js, x<k>.js). */
  function Index(base, cross) {
    this.base = base;
    this.cross = cross;
    this.meta = null;
    this.waitMeta = null;
    this.files = {};
  }
  Index.prototype.load = function (v) {
    var ix = this;
    if (ix.meta && !v) return Promise.resolve(ix.meta);
    if (!ix.waitMeta || v) {
      ix.waitMeta = script(ix.base + (ix.cross ? 'x.js' : 'meta.js') + (v ? '?v=' + encodeURIComponent(v) : '')).then(function (m) {
        // a new build: drop what came from the old one
        if (ix.meta && ix.meta.v !== m.v) ix.files = {};
        ix.meta = m;
        return m;
      }, function (e) { ix.waitMeta = null; throw e; });
    }
    return ix.waitMeta;
  };
  // a term shard, or fragment `f<n>`; a shard of another build says so ({stale: id})
  Index.prototype.file = function (key) {
    var ix = this, files = ix.files, v = ix.meta.v;
    if (!files[key]) {
      var url = key[0] === 'f' ? 'f/' + key.slice(1) + '.js' : ix.cross ? 'x' + key + '.js' : 't/' + key + '.js';
      files[key] = script(ix.base + url + '?v=' + encodeURIComponent(v)).then(function (d) {
        if (key[0] === 'f') return { id: Number(key.slice(1)), u: d[0], t: d[1], s: d[2] };
        if (d.v !== v) throw { stale: d.v };
        return d;
      });
      files[key].catch(function () { if (files[key]) delete files[key]; });
    }
    return files[key];
  };
  Index.prototype.shard = function (k) { return this.file(String(k)); };
  Index.prototype.frag = function (id) { return this.file('f' + id); };
  // runs fn(meta) with the index loaded; once more with a fresh meta.js when a shard
  // says the index was rebuilt
  Index.prototype.use = function (fn) {
    var ix = this;
    return ix.load().then(fn).catch(function (e) {
      if (!e || !e.stale) throw e;
      return ix.load(e.stale).then(fn);
    });
  };
  Index.prototype.shardOf = function (t) {
    var b = this.meta.b, lo = 0, hi = b.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (b[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  /* ---- query ---- */
  // Words that name no feature: they count less in how much of a query a page covers.
  var GENERIC = {};
  ('setup set up add adding new edit list delete remove create use using open window tab option options setting ' +
    'settings button manage view change update enable disable page screen select enter click field').split(' ')
    .forEach(function (w) { var t = term(w); if (t) GENERIC[t] = 1; });
  function parse(q) {
    var qs = [], seen = {}, phrases = [], m, re = /"([^"]*)("?)/g;
    while ((m = re.exec(q))) {
      var pw = words(m[1]).map(whole);
      if (pw.length > 1) phrases.push(pw);
    }
    WORD.lastIndex = 0;
    var open = !/[\s"]$/.test(q), list = [];
    while ((m = WORD.exec(q))) list.push(m);
    list.forEach(function (m, n) {
      var raw = whole(m[0]), t = term(raw), prefix = open && n === list.length - 1 && m.index + m[0].length === q.length;
      if (t && !seen[t]) { seen[t] = 1; qs.push({ t: t, raw: raw, prefix: prefix, word: m[0] }); }
      else if (t && prefix) qs.forEach(function (x) { if (x.t === t) x.prefix = true; });
    });
    // two query words in a row may be one name in the text, and a word typed as one
    // may be two there: the pair term covers both
    var pairs = [];
    for (var k = 0; k + 1 < qs.length; k++) {
      var pt = pairTerm(qs[k].raw, qs[k + 1].raw);
      if (pt) pairs.push({ t: pt, raw: qs[k].raw + qs[k + 1].raw, prefix: qs[k + 1].prefix, of: [k, k + 1] });
    }
    return { words: qs, pairs: pairs, phrases: phrases };
  }
  // the shards a word's matches are in: its term, and its longer forms (at most two
  // shards: typing more narrows it)
  function shardsFor(ix, w) {
    var a = w.t < w.raw ? w.t : w.raw, b = w.t > w.raw ? w.t : w.raw;
    var lo = ix.shardOf(a), hi = Math.min(ix.shardOf(b + '\uffff'), lo + 1), ks = [];
    for (var k = lo; k <= hi; k++) ks.push(k);
    return ks;
  }
  function postings(sh, n) {
    var memo = sh.memo[n];
    if (memo) return memo;
    var p = sh.posts[n], ids = [], ws = [], id = 0, acc = 0, i = 0;
    while (i < p.length) {
      var d = DIGIT[p.charCodeAt(i++)];
      if (d >= 32) { acc = acc * 32 + d - 32; continue; }
      id = ids.length ? id + acc * 32 + d : acc * 32 + d;
      acc = 0;
      ids.push(id);
      ws.push(DIGIT[p.charCodeAt(i++)]);
    }
    return (sh.memo[n] = { ids: ids, ws: ws });
  }
  // edit distance (with transpositions) at most 1
  function near(a, b) {
    var la = a.length, lb = b.length, i = 0;
    if (la - lb > 1 || lb - la > 1) return false;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) return i === la || a.slice(i + 1) === b.slice(i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }
  // what the stemmer may have taken off the word a typo stands for
  var ENDINGS = ['', 'e', 's', 'es', 'ed', 'ing', 'ion', 'ions', 'er', 'y', 'al', 'ly', 'ate', 'ated', 'ating', 'ation', 'ic', 'ical', 'ment', 'ness', 'ity'];
  function fuzzy(w, term) {
    if (near(w.t, term)) return true;
    for (var i = 0; i < ENDINGS.length; i++) {
      var d = w.raw.length - term.length - ENDINGS[i].length;
      if (d <= 1 && d >= -1 && near(w.raw, term + ENDINGS[i])) return true;
    }
    return false;
  }
  // first index in the sorted terms of a shard that is >= t
  function lower(terms, t) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  var EXACT = 1, TYPED = 0.7, LONGER = 0.5, TYPO = 0.5, SPLIT = 0.8;
  /* The dictionary terms a query word matches, [shard, index, quality, term]: the word
   * (quality 1), its longer forms (0.7 for the word being typed, 0.5 for the others:
   * "misc" finds "miscellaneous"), a stem the typed word runs past ("configura" →
   * "configur"), and only when none of these, the terms one typo away (0.5; words of 4
   * letters or more). Pairs
   * match exactly, or as the word being typed. */
  function matches(w, shs, pair) {
    var out = [], seen = new Set();
    function add(sh, i, q, how) {
      var key = sh.terms[i];
      if (!seen.has(key)) { seen.add(key); out.push([sh, i, q, key, how]); }
    }
    var longer = w.prefix || (!pair && Array.from(w.raw).length >= 3);
    shs.forEach(function (sh) {
      var T = sh.terms, i = lower(T, w.t);
      if (T[i] === w.t) add(sh, i, EXACT);
      if (longer) [w.t, w.raw].forEach(function (p) {
        for (var j = lower(T, p), n = 0; j < T.length && n < 400 && T[j].indexOf(p) === 0; j++, n++) add(sh, j, w.prefix ? TYPED : LONGER);
      });
    });
    if (pair) return out;
    var direct = out.length;
    if (!direct && w.prefix) shs.forEach(function (sh) {
      for (var k = Math.max(4, w.raw.length - 3); k < w.raw.length; k++) {
        var p = w.raw.slice(0, k), i = lower(sh.terms, p);
        if (sh.terms[i] === p) add(sh, i, TYPED);
      }
    });
    if (!direct && Array.from(w.raw).length >= 4) shs.forEach(function (sh) {
      for (var i = 0; i < sh.terms.length; i++) if (fuzzy(w, sh.terms[i])) add(sh, i, TYPO, 'typo');
    });
    return out;
  }
  function idf(n, df) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }
  // what a posting's weight is worth: body (BM25, 0-15 of k1+1), heading or keyword, title
  function field(x) { return (x & 15) * 2.2 / 15 + (x & 32 ? 5 : 0) + (x & 16 ? 2.5 : 0); }

  /* Runs a query on one index: {ranked: [doc ids], hit: {term: 1}, phrases, words:
   * [{word, t, found (matched other than by a typo), fixed (the term a typo matched)}]}.
   * Score: for each query word, its importance (idf; less for generic words) times its
   * best match's field weight and quality; for each pair found, its idf times its
   * weight; times the square of the share of the query's importance the page covers,
   * so pages missing an important word fall behind pages missing a generic one;
   * times 1 + half the share of its title the query covers. A query that is exactly a
   * page's title puts that page first. Ties go to the lower doc id. */
  function run(ix, q) {
    var pq = parse(q);
    var empty = { ranked: [], hit: {}, phrases: [], words: [] };
    if (!pq.words.length) return ix.load().then(function () { return empty; });
    return ix.use(function (meta) {
      if (!meta.b.length) return empty;
      // a pair is looked up only in the shards its words need (no request of its own)
      var ks = pq.words.map(function (w) { return shardsFor(ix, w); }), need = {};
      ks.forEach(function (list) { list.forEach(function (k) { need[k] = 1; }); });
      pq.pairs.forEach(function (w) { ks.push(shardsFor(ix, w).filter(function (k) { return need[k]; })); });
      function shards(list) { return Promise.all(list.map(function (k) { return ix.shard(k); })); }
      return Promise.all(ks.map(shards)).then(function (shs) {
        // a word typed as one that is two in the text, and that no term matches:
        // "webschedasap" → "websched" (a pair term) + "asap"; costs the second part's shard
        var loaded = {};
        shs.forEach(function (list) { list.forEach(function (sh) { loaded[sh.k] = sh; }); });
        var splits = pq.words.map(function (w) { return splitOf(ix, w, loaded); });
        return shards(splits.filter(Boolean).map(function (sp) { return sp.k; }).filter(function (k) { return !loaded[k]; })).then(function (more) {
          more.forEach(function (sh) { loaded[sh.k] = sh; });
          splits.forEach(function (sp) { if (sp) sp.r = find(ix, loaded, sp.rt); });
          return scoreAll(shs, splits);
        });
      });
      function scoreAll(shs, splits) {
        var n = meta.n, nw = pq.words.length, score = new Float64Array(n), cov = new Float64Array(n);
        var inTitle = new Uint8Array(n), titleQ = new Float64Array(n), best = new Float64Array(n), qual = new Float64Array(n), title = new Float64Array(n);
        var touched = [], seen = new Uint8Array(n), hit = {}, imps = [], info = [], total = 0;
        var covs = pq.words.map(function () { return new Float64Array(0); });
        function gather(w, ms, pair) {
          var docs = [];
          ms.forEach(function (m) {
            var p = postings(m[0], m[1]);
            // (2: a pair term, whose two words the results mark)
            hit[m[3]] = pair || (m[3] === w.t && w.raw.length > 5) ? 2 : hit[m[3]] || 1;
            for (var j = 0; j < p.ids.length; j++) {
              var x = p.ws[j], d = p.ids[j], s = m[2] * field(x);
              if (!qual[d]) docs.push(d);
              if (s > best[d]) best[d] = s;
              if (m[2] > qual[d]) qual[d] = m[2];
              if (x & 32 && m[2] > LONGER && m[2] > title[d]) title[d] = m[2];
            }
          });
          return docs;
        }
        function touch(d) { if (!seen[d]) { seen[d] = 1; touched.push(d); } }
        pq.words.forEach(function (w, wi) {
          var ms = matches(w, shs[wi]), docs = gather(w, ms), typo = ms.length && ms.every(function (m) { return m[4]; });
          var sp = splits[wi];
          if (sp && sp.r) {
            // pages with both parts: as good as a pair
            var pl = postings(sp.l[0], sp.l[1]), pr = postings(sp.r[0], sp.r[1]), j = 0, both = 0;
            for (var i = 0; i < pl.ids.length; i++) {
              var d = pl.ids[i];
              while (j < pr.ids.length && pr.ids[j] < d) j++;
              if (pr.ids[j] !== d) continue;
              both++;
              var s = SPLIT * (field(pl.ws[i]) + field(pr.ws[j])) / 2;
              if (!qual[d]) docs.push(d);
              if (s > best[d]) best[d] = s;
              if (SPLIT > qual[d]) qual[d] = SPLIT;
              if (pl.ws[i] & pr.ws[j] & 32 && SPLIT > title[d]) title[d] = SPLIT;
            }
            if (both) { hit[sp.l[0].terms[sp.l[1]]] = hit[sp.rt] = 1; typo = false; ms.push(sp.l); }
          }
          var imp = idf(n, docs.length) * (GENERIC[w.t] ? 0.35 : 1), c = covs[wi] = new Float64Array(n);
          var fixed = null;
          if (typo) {
            var most = -1;
            ms.forEach(function (m) { var df = postings(m[0], m[1]).ids.length; if (df > most) { most = df; fixed = m[3]; } });
          }
          // found: the word itself (or its two parts) is here, or, for the word being
          // typed, a longer form; none: nothing matched it, not even by a typo
          var exact = ms.some(function (m) { return m[2] === EXACT || (w.prefix && !m[4]); });
          info.push({ word: w.word, t: w.t, found: !!(exact || (sp && sp.r && !typo)), none: !ms.length, fixed: fixed });
          imps.push(imp);
          total += imp;
          docs.forEach(function (d) {
            touch(d);
            score[d] += imp * best[d];
            c[d] = qual[d];
            if (title[d]) { inTitle[d]++; titleQ[d] += title[d]; }
            best[d] = qual[d] = title[d] = 0;
          });
        });
        pq.pairs.forEach(function (w, pi) {
          var ms = matches(w, shs[nw + pi], true), docs = gather(w, ms, true), imp = idf(n, docs.length);
          docs.forEach(function (d) {
            touch(d);
            score[d] += imp * best[d];
            w.of.forEach(function (wi) { if (qual[d] > covs[wi][d]) covs[wi][d] = qual[d]; });
            best[d] = qual[d] = title[d] = 0;
          });
        });
        touched.forEach(function (d) {
          var c = 0;
          for (var wi = 0; wi < nw; wi++) c += imps[wi] * covs[wi][d];
          c = total ? c / total : 0;
          cov[d] = c;
          var L = DIGIT[meta.l.charCodeAt(d)] || nw;
          score[d] *= c * c * (1 + 0.5 * Math.min(1, inTitle[d] / L));
          // the query is the whole title: that page first (the exact words before a
          // longer form of the word being typed)
          if (inTitle[d] === nw && L === nw) score[d] += 1e4 * titleQ[d] / nw;
        });
        if (pq.phrases.length) touched = touched.filter(function (d) { return cov[d] > 0.999; });
        touched.sort(function (a, b) { return score[b] - score[a] || a - b; });
        var res = { ranked: touched, hit: hit, phrases: pq.phrases, words: info };
        if (!pq.phrases.length) return res;
        // positions are not indexed: check the best candidates' text for the phrase
        var top = touched.slice(0, 30);
        return Promise.all(top.map(function (d) { return ix.frag(d); })).then(function (fs) {
          res.ranked = top.filter(function (d, i) { return hasPhrases(fs[i], pq.phrases); });
          return res;
        });
      }
    });
  }
  // [shard, index] of term t among the loaded shards
  function find(ix, loaded, t) {
    var sh = loaded[ix.shardOf(t)];
    if (!sh) return null;
    var i = lower(sh.terms, t);
    return sh.terms[i] === t ? [sh, i] : null;
  }
  // the longest start of an unknown word that is a term, and the rest's term
  function splitOf(ix, w, loaded) {
    if (find(ix, loaded, w.t) || !/^[a-z]{6,}$/.test(w.raw)) return null;
    for (var i = w.raw.length - 2; i >= 3; i--) {
      var lt = term(w.raw.slice(0, i)), rt = term(w.raw.slice(i)), l = lt && rt && find(ix, loaded, lt);
      if (l) return { l: l, rt: rt, k: ix.shardOf(rt) };
    }
    return null;
  }
  function hasPhrases(f, phrases) {
    if (!f.norm) {
      var texts = [f.t].concat(f.s.map(function (s) { return s[1] + ' \u0001 ' + s[2]; }));
      f.norm = texts.map(function (t) { return ' ' + words(t).map(whole).join(' ') + ' '; }).join('\u0001');
    }
    return phrases.every(function (p) { return f.norm.indexOf(' ' + p.join(' ') + ' ') >= 0; });
  }

  /* ---- other versions: the manual's table of the versions each term is in ---- */
  // What the page's search box says about where it is; set by search-ui.js at start.
  var st = { root: '', here: null, cross: null, siteRoot: '', thisPath: '', thisLabel: '' }, others = {};
  // When this version has no result, or nothing (or only a typo) for a word, or few
  // results and lacks a word itself: the other versions that have most of the words it
  // lacks (all words when it has no result), newest first, searched there: [{label,
  // path, n (results), fs (first fragments)}]. Loads the table and those versions'
  // indexes only then.
  var FEW = 5;
  function elsewhere(q, res, want) {
    var lack = res.words.filter(function (w) { return !w.found; });
    var ask = !res.ranked.length || res.words.some(function (w) { return w.none || w.fixed; }) ||
      (lack.length && res.ranked.length < FEW);
    if (!st.cross || !res.words.length || !ask) return Promise.resolve([]);
    if (!lack.length) lack = res.words;
    return st.cross.use(function (xm) {
      if (!xm.b.length) return [];
      var ks = {};
      lack.forEach(function (w) { ks[st.cross.shardOf(w.t)] = 1; });
      return Promise.all(Object.keys(ks).map(function (k) { return st.cross.shard(k); })).then(function (shs) {
        var count = {};
        lack.forEach(function (w) {
          shs.forEach(function (sh) {
            var i = lower(sh.terms, w.t);
            if (sh.terms[i] !== w.t) return;
            // (first version, number of versions) pairs
            var nums = [], acc = 0, p = sh.sets[i];
            for (var j = 0; j < p.length; j++) {
              var d = DIGIT[p.charCodeAt(j)];
              if (d >= 32) acc = acc * 32 + d - 32; else { nums.push(acc * 32 + d); acc = 0; }
            }
            for (var k = 0, at = 0; k + 1 < nums.length; k += 2) {
              at += nums[k];
              for (var v = at; v < at + nums[k + 1]; v++) count[v] = (count[v] || 0) + 1;
              at += nums[k + 1];
            }
          });
        });
        var vs = Object.keys(count).map(Number).filter(function (v) { return xm.versions[v] && xm.versions[v][0] !== st.thisPath; });
        vs.sort(function (a, b) { return count[b] - count[a] || b - a; });
        return Promise.all(vs.slice(0, 2).map(function (v) {
          var path = xm.versions[v][0], ix = others[path] || (others[path] = new Index(st.siteRoot + path + '/search/'));
          return run(ix, q).then(function (r) {
            return Promise.all(r.ranked.slice(0, want).map(function (d) { return ix.frag(d); })).then(function (fs) {
              return { label: xm.versions[v][1], path: path, n: r.ranked.length, fs: fs, hit: r.hit };
            });
          }, function () { return null; });
        }));
      }).then(function (list) { return list.filter(function (x) { return x && x.n; }); });
    }).catch(function () { return []; });
  }

  // "showing results for": the query with each word that only a typo matched replaced
  // by the word the best result has for that term
  function corrected(q, res, f) {
    var fixes = res.words.filter(function (w) { return w.fixed; });
    if (!fixes.length || !f) return null;
    var texts = [f.t].concat(f.s.map(function (s) { return s[1] + ' ' + s[2]; })).join(' ');
    var out = q;
    fixes.forEach(function (w) {
      var m, word = null;
      WORD.lastIndex = 0;
      while (!word && (m = WORD.exec(texts))) if (indexTerms(m[0]).indexOf(w.fixed) >= 0) word = m[0];
      out = out.split(w.word).join((word || w.fixed).toLowerCase());
    });
    return out === q ? null : out;
  }

  win.__folioSearch = {
    S: S, script: script, Index: Index, parse: parse, matches: matches, run: run, elsewhere: elsewhere,
    corrected: corrected, st: st
  };
})();
