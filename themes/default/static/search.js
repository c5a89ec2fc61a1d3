/* folio search: runtime and UI. One classic script, no fetch, modules, WASM or
 * workers: index files arrive as <script> elements calling __S.meta / __S.t / __S.f
 * (formats in src/index/mod.rs), so search works from file:// and any server.
 * The tokenizer below mirrors src/index/tokenize.rs rule for rule; change both.
 * All page text is inserted with text nodes, never as HTML. */
(function () {
  'use strict';
  var doc = document, win = window;

  /* ---- tokenizer (twin of tokenize.rs) ---- */
  var WORD = /[\p{Alphabetic}\p{N}]+(?:[-_.'\u2019][\p{Alphabetic}\p{N}]+)*/gu;
  var CONN = /[-_.'\u2019]/, NUM = /\p{N}/u, UP = /\p{Uppercase}/u, LOW = /\p{Lowercase}/u;
  var STOP = {};
  ('a an and are as at be but by for if in into is it its no not of on or such that the ' +
    'their then there these they this to was were will with').split(' ').forEach(function (w) { STOP[w] = 1; });
  var ATION = [['ization', 'ize'], ['uration', 'ure'], ['allation', 'all'], ['rmation', 'rm'], ['ation', 'ate']];

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
  function keeps(s) { return s.length >= 3 && /[aeiouy]/.test(s); }
  function undouble(w) { return /([bdgmnprt])\1$/.test(w) && w.length >= 3 ? w.slice(0, -1) : w; }
  function stem(w) {
    if (w.length < 4 || !/^[a-z]+$/.test(w)) return w;
    if ((ends(w, 'ies') || ends(w, 'ied')) && w.length > 4) w = w.slice(0, -3) + 'y';
    else if (ends(w, 'sses')) w = w.slice(0, -2);
    else if (ends(w, 's') && !ends(w, 'ss') && !ends(w, 'us') && !ends(w, 'is')) w = w.slice(0, -1);
    var rule = ATION.filter(function (r) { return ends(w, r[0]); })[0];
    if (rule) {
      var b = w.slice(0, -rule[0].length);
      if (keeps(b)) w = b + rule[1];
    } else if (ends(w, 'ing') && keeps(w.slice(0, -3))) w = undouble(w.slice(0, -3));
    else if (ends(w, 'ed') && !ends(w, 'eed') && keeps(w.slice(0, -2))) w = undouble(w.slice(0, -2));
    if (w.length >= 4 && ends(w, 'e') && !ends(w, 'ee')) w = w.slice(0, -1);
    return w;
  }
  function term(s) { return Array.from(s).length > 1 && !STOP[s] ? stem(s) : null; }
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

  /* ---- loading ---- */
  var ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', DIGIT = {};
  for (var i = 0; i < 64; i++) DIGIT[ALPHA.charCodeAt(i)] = i;
  var base = '', root = '', meta = null, store = {}, waits = {}, stale = null;
  var S = win.__S = {
    meta: function (m) {
      // a new build: drop what came from the old one
      if (meta && meta.v !== m.v) { store = {}; waits = { m: waits.m }; }
      meta = m;
    },
    t: function (v, k, terms, posts) { got(v, 't' + k, { terms: terms.split('\n'), posts: posts.split('\n'), memo: {} }); },
    // a fragment names no version or document, so identical articles share one file
    // across versions; its script's load event (which follows its execution at once)
    // says which document it was
    f: function (d) { lastFrag = d; }
  };
  var lastFrag = null;
  function got(v, key, data) { if (meta && v === meta.v) store[key] = data; else stale = v; }

  function load(key, url) {
    if (store[key]) return Promise.resolve(store[key]);
    if (!waits[key]) {
      waits[key] = new Promise(function (ok, fail) {
        var s = doc.createElement('script');
        s.src = url;
        s.onload = s.onerror = function (e) {
          s.remove();
          delete waits[key];
          if (store[key]) ok(store[key]);
          else fail(e.type === 'load' && stale ? { stale: stale } : new Error('cannot load ' + url));
        };
        doc.head.appendChild(s);
      });
    }
    return waits[key];
  }
  function loadMeta(v) {
    if (meta && !v) return Promise.resolve(meta);
    if (!waits.m) {
      waits.m = new Promise(function (ok, fail) {
        var s = doc.createElement('script');
        s.src = base + 'meta.js' + (v ? '?v=' + encodeURIComponent(v) : '');
        s.onload = s.onerror = function () {
          s.remove();
          waits.m = null;
          stale = null;
          if (meta) ok(meta); else fail(new Error('cannot load the search index'));
        };
        doc.head.appendChild(s);
      });
    }
    return waits.m;
  }
  function shard(k) { return load('t' + k, base + 't/' + k + '.js?v=' + meta.v); }
  function frag(id) {
    var key = 'f' + id;
    if (store[key]) return Promise.resolve(store[key]);
    if (!waits[key]) {
      waits[key] = new Promise(function (ok, fail) {
        var s = doc.createElement('script');
        s.src = base + 'f/' + id + '.js?v=' + meta.v;
        s.onload = s.onerror = function (e) {
          var d = lastFrag;
          lastFrag = null;
          s.remove();
          delete waits[key];
          if (e.type === 'load' && d) ok((store[key] = { id: id, u: d[0], t: d[1], s: d[2] }));
          else fail(new Error('cannot load ' + s.src));
        };
        doc.head.appendChild(s);
      });
    }
    return waits[key];
  }
  // retries once with a fresh meta.js when a shard says the index was rebuilt
  function withIndex(fn) {
    return loadMeta().then(fn).catch(function (e) {
      if (!e || !e.stale) throw e;
      return loadMeta(e.stale).then(fn);
    });
  }

  /* ---- query ---- */
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
      if (t && !seen[t]) { seen[t] = 1; qs.push({ t: t, raw: raw, prefix: prefix }); }
      else if (t && prefix) qs.forEach(function (x) { if (x.t === t) x.prefix = true; });
    });
    return { words: qs, phrases: phrases };
  }
  function shardOf(t) {
    var b = meta.b, lo = 0, hi = b.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (b[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // the shard of the term; for the word being typed, the shards its longer forms are
  // in too, at most two (typing more narrows it)
  function shardsFor(w) {
    if (!w.prefix) return [shardOf(w.t)];
    var lo = shardOf(w.t < w.raw ? w.t : w.raw), hi = Math.min(shardOf((w.t > w.raw ? w.t : w.raw) + '\uffff'), lo + 1);
    var ks = [];
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
  var ENDINGS = ['', 'e', 's', 'es', 'ed', 'ing', 'ion', 'ions', 'er', 'y'];
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
  // matching dictionary terms of one query word: [shard, index, weight, term]
  function matches(w, shs) {
    var out = [], seen = new Set();
    function add(sh, i, weight) {
      var key = sh.terms[i];
      if (!seen.has(key)) { seen.add(key); out.push([sh, i, weight, key]); }
    }
    shs.forEach(function (sh) {
      var T = sh.terms, i = lower(T, w.t);
      if (T[i] === w.t) add(sh, i, 1);
      // the word being typed: its longer forms
      if (w.prefix) [w.t, w.raw].forEach(function (p) {
        for (var j = lower(T, p); j < T.length && T[j].indexOf(p) === 0; j++) add(sh, j, T[j] === w.t ? 1 : 0.7);
      });
    });
    // the typed word runs past a stem: "configura" → "configur"
    if (!out.length && w.prefix) shs.forEach(function (sh) {
      for (var k = Math.max(4, w.raw.length - 3); k < w.raw.length; k++) {
        var p = w.raw.slice(0, k), i = lower(sh.terms, p);
        if (sh.terms[i] === p) add(sh, i, 0.7);
      }
    });
    if (!out.length && Array.from(w.raw).length >= 5) shs.forEach(function (sh) {
      for (var i = 0; i < sh.terms.length; i++) if (fuzzy(w, sh.terms[i])) add(sh, i, 0.5);
    });
    return out;
  }

  /* Runs a query: {ranked: [doc ids], hit: {term: 1}, nwords, phrases}. */
  function search(q) {
    var pq = parse(q);
    if (!pq.words.length || (meta && !meta.b.length)) return loadMeta().then(function () { return { ranked: [], hit: {}, phrases: [] }; });
    return withIndex(function () {
      if (!meta.b.length) return { ranked: [], hit: {}, phrases: [] };
      var need = pq.words.map(shardsFor);
      return Promise.all(need.map(function (ks) { return Promise.all(ks.map(shard)); })).then(function (shs) {
        var n = meta.n, nw = pq.words.length, score = new Float64Array(n), count = new Uint8Array(n);
        var inTitle = new Uint8Array(n), best = new Float64Array(n), title = new Uint8Array(n), touched = [], hit = {};
        pq.words.forEach(function (w, wi) {
          var ms = matches(w, shs[wi]), cap = Infinity, docs = [];
          function idf(m) {
            var df = postings(m[0], m[1]).ids.length;
            return Math.log(1 + (n - df + 0.5) / (df + 0.5));
          }
          // a longer form of the word never outweighs the word itself
          ms.forEach(function (m) { if (m[3] === w.t) cap = idf(m); });
          ms.forEach(function (m) {
            var p = postings(m[0], m[1]), f = m[2] * Math.min(idf(m), cap);
            hit[m[3]] = 1;
            for (var j = 0; j < p.ids.length; j++) {
              var x = p.ws[j], d = p.ids[j], s = f * ((x & 15) * 2.2 / 15 + (x & 32 ? 5 : 0) + (x & 16 ? 2.5 : 0));
              if (!best[d]) docs.push(d);
              if (s > best[d]) best[d] = s;
              if (x & 32 && m[2] > 0.5) title[d] = 1;
            }
          });
          docs.forEach(function (d) {
            if (!count[d]++) touched.push(d);
            score[d] += best[d];
            inTitle[d] += title[d];
            best[d] = title[d] = 0;
          });
        });
        // the query is the whole title: that page first
        touched.forEach(function (d) { if (inTitle[d] === nw && DIGIT[meta.l.charCodeAt(d)] === nw) score[d] += 100; });
        if (pq.phrases.length) touched = touched.filter(function (d) { return count[d] === nw; });
        touched.sort(function (a, b) { return count[b] - count[a] || score[b] - score[a] || a - b; });
        if (!pq.phrases.length) return { ranked: touched, hit: hit, phrases: [] };
        // positions are not indexed: check the best candidates' text for the phrase
        var top = touched.slice(0, 30);
        return Promise.all(top.map(frag)).then(function (fs) {
          return { ranked: top.filter(function (d, i) { return hasPhrases(fs[i], pq.phrases); }), hit: hit, phrases: pq.phrases };
        });
      });
    });
  }
  function hasPhrases(f, phrases) {
    if (!f.norm) {
      var texts = [f.t].concat(f.s.map(function (s) { return s[1] + ' \u0001 ' + s[2]; }));
      f.norm = texts.map(function (t) { return ' ' + words(t).map(whole).join(' ') + ' '; }).join('\u0001');
    }
    return phrases.every(function (p) { return f.norm.indexOf(' ' + p.join(' ') + ' ') >= 0; });
  }

  /* ---- results: best section, excerpt, DOM ---- */
  function marks(text, hit) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (indexTerms(m[0]).some(function (t) { return hit[t]; })) out.push([m.index, m.index + m[0].length]);
    }
    return out;
  }
  function pick(f, hit) {
    var best = null;
    f.s.forEach(function (s, i) {
      var h = marks(s[1], hit).length * 3 + marks(s[2], hit).length;
      if (!best || h > best.h) best = { h: h, s: s, i: i };
    });
    return best ? best.s : ['', '', ''];
  }
  // about `size` words of text around the densest run of hits
  function excerpt(text, hit, size) {
    var ws = [], m, start = 0, most = 0;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) ws.push(m.index);
    var hs = marks(text, hit), at = hs.map(function (h) { return ws.indexOf(h[0]); });
    at.forEach(function (w) {
      var from = Math.max(0, w - 4), n = at.filter(function (x) { return x >= from && x < from + size; }).length;
      if (n > most) { most = n; start = from; }
    });
    var end = start + size;
    var to = end < ws.length ? text.slice(0, ws[end]).replace(/\s+$/, '').length : text.length;
    return { from: start ? ws[start] : 0, to: to, hs: hs, pre: start > 0, post: end < ws.length };
  }
  function textWithMarks(parent, text, hs, from, to) {
    var pos = from;
    hs.forEach(function (h) {
      if (h[0] < from || h[1] > to) return;
      if (h[0] > pos) parent.appendChild(doc.createTextNode(text.slice(pos, h[0])));
      var mk = doc.createElement('mark');
      mk.textContent = text.slice(h[0], h[1]);
      parent.appendChild(mk);
      pos = h[1];
    });
    if (to > pos) parent.appendChild(doc.createTextNode(text.slice(pos, to)));
  }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function href(f, anchor) {
    var u = f.u;
    if (/^\s*javascript:/i.test(u)) u = '';
    if (!u || /\/$/.test(u)) u += 'index.html';
    return root + u + (anchor ? '#' + encodeURIComponent(anchor) : '');
  }
  // <a><span.t>title</span><span.h>section</span><span.x>…excerpt…</span></a>
  function resultLink(f, hit, size) {
    var s = pick(f, hit), a = el('a', 'sr-link'), t = el('span', 'sr-title');
    a.href = href(f, s[0]);
    textWithMarks(t, f.t, marks(f.t, hit), 0, f.t.length);
    a.appendChild(t);
    if (s[1] && s[1] !== f.t) {
      var h = el('span', 'sr-head');
      textWithMarks(h, s[1], marks(s[1], hit), 0, s[1].length);
      a.appendChild(h);
    }
    var text = s[2] || (f.s[0] && f.s[0][2]) || '', x = el('span', 'sr-text'), e = excerpt(text, hit, size);
    if (e.pre) x.appendChild(doc.createTextNode('\u2026 '));
    textWithMarks(x, text, e.hs, e.from, e.to);
    if (e.post) x.appendChild(doc.createTextNode(' \u2026'));
    a.appendChild(x);
    return a;
  }
  function plural(n) { return n === 1 ? '1 result' : n + ' results'; }

  /* ---- UI ---- */
  var DROP = 5, PAGE = 10, form, input, seq = 0;
  // Long enough to coalesce a burst of keystrokes or a paste, short enough that a
  // warm query (under 1 ms in the engine) shows within 50 ms of the keystroke.
  var DEBOUNCE_MS = 35;
  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function resultsUrl(q) { return form.getAttribute('action') + '?q=' + encodeURIComponent(q); }

  function dropdown() {
    var pop = el('div', 'search-pop'), list = el('ul', 'search-list'), foot = el('div', 'search-foot');
    var live = el('div', 'search-vh');
    var active = -1, announce = 0;
    pop.hidden = true;
    list.id = 'search-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Search results');
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    pop.appendChild(list);
    pop.appendChild(foot);
    form.appendChild(pop);
    form.appendChild(live);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');

    function open(on) {
      pop.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
      if (!on) setActive(-1);
    }
    function setActive(i) {
      var opts = list.children;
      if (active >= 0 && opts[active]) opts[active].setAttribute('aria-selected', 'false');
      active = i;
      if (i >= 0 && opts[i]) {
        opts[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', opts[i].id);
        opts[i].scrollIntoView({ block: 'nearest' });
      } else input.removeAttribute('aria-activedescendant');
    }
    function say(msg, now) {
      clearTimeout(announce);
      announce = setTimeout(function () { live.textContent = msg; }, now ? 0 : 700);
    }
    function show(q, res, fs, failed) {
      list.textContent = '';
      foot.textContent = '';
      setActive(-1);
      if (failed) {
        foot.appendChild(el('p', 'search-note', 'Search is unavailable: the index could not be loaded.'));
        return open(true);
      }
      fs.forEach(function (f, i) {
        var li = el('li', 'sr');
        li.id = 'search-opt-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.appendChild(resultLink(f, res.hit, 16));
        list.appendChild(li);
      });
      var n = res.ranked.length;
      if (n) {
        var all = el('a', 'search-all', n > fs.length ? 'All ' + plural(n) : 'Open results page');
        all.href = resultsUrl(q);
        foot.appendChild(all);
      } else foot.appendChild(el('p', 'search-note', 'No results for \u201c' + q + '\u201d'));
      say(n ? plural(n) : 'No results', !n);
      open(true);
    }
    var run = debounce(function () {
      var raw = input.value, q = raw.trim(), my = ++seq;
      if (!q) { open(false); live.textContent = ''; return; }
      search(raw).then(function (res) {
        return Promise.all(res.ranked.slice(0, DROP).map(frag)).then(function (fs) {
          if (my === seq) show(q, res, fs);
        });
      }).catch(function () { if (my === seq) show(q, null, [], true); });
    }, DEBOUNCE_MS);

    input.addEventListener('input', run);
    input.addEventListener('focus', function () {
      loadMeta().catch(function () {});
      if (input.value.trim() && list.children.length) open(true);
    });
    input.addEventListener('keydown', function (e) {
      var n = list.children.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (pop.hidden) { if (input.value.trim()) { open(true); run(); } return; }
        e.preventDefault();
        if (n) setActive(e.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n : active) - 1);
      } else if (e.key === 'Enter' && active >= 0 && !pop.hidden) {
        e.preventDefault();
        win.location.href = list.children[active].querySelector('a').href;
      } else if (e.key === 'Escape') {
        if (!pop.hidden) open(false); else input.value = '';
        e.preventDefault();
      }
    });
    doc.addEventListener('click', function (e) { if (!form.contains(e.target)) open(false); });
    form.addEventListener('focusout', function (e) {
      if (e.relatedTarget && !form.contains(e.relatedTarget)) open(false);
    });
  }

  function resultsPage(box) {
    var summary = el('p', 'search-summary'), list = el('ol', 'search-results'), more = el('button', 'search-more', 'More results');
    var shown = 0, res = null, q = '', my = 0;
    summary.setAttribute('role', 'status');
    more.type = 'button';
    more.hidden = true;
    box.textContent = '';
    box.appendChild(summary);
    box.appendChild(list);
    box.appendChild(more);
    function page() {
      var mine = my, ids = res.ranked.slice(shown, shown + PAGE);
      more.disabled = true;
      return Promise.all(ids.map(frag)).then(function (fs) {
        if (mine !== my) return;
        fs.forEach(function (f) {
          var li = el('li', 'sr');
          li.appendChild(resultLink(f, res.hit, 36));
          list.appendChild(li);
        });
        shown += fs.length;
        more.disabled = false;
        more.hidden = shown >= res.ranked.length;
      });
    }
    function run() {
      var raw = input.value, mine = ++my;
      q = raw.trim();
      list.textContent = '';
      shown = 0;
      more.hidden = true;
      try { win.history.replaceState(null, '', '?q=' + encodeURIComponent(q)); } catch (e) { /* some file:// pages refuse */ }
      if (!q) { summary.textContent = 'Type words to search for.'; return; }
      summary.textContent = 'Searching\u2026';
      search(raw).then(function (r) {
        if (mine !== my) return;
        res = r;
        var n = r.ranked.length;
        summary.textContent = (n ? plural(n) : 'No results') + ' for \u201c' + q + '\u201d';
        return page();
      }).catch(function () {
        if (mine === my) summary.textContent = 'Search is unavailable: the index could not be loaded.';
      });
    }
    more.addEventListener('click', function () {
      var first = list.children.length;
      page().then(function () {
        var a = list.children[first] && list.children[first].querySelector('a');
        if (a) a.focus();
      });
    });
    input.addEventListener('input', debounce(run, DEBOUNCE_MS));
    form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
    input.value = new URLSearchParams(win.location.search).get('q') || '';
    run();
  }

  function init() {
    form = doc.querySelector('form[role=search]');
    input = form && form.querySelector('input[name=q]');
    if (!input) return;
    // the page's prefix to its version folder, which holds search/
    root = doc.body.getAttribute('data-root') || '';
    base = root + 'search/';
    // only meaningful with this script: set here, not carried in every page's HTML
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('spellcheck', 'false');
    input.setAttribute('enterkeyhint', 'search');
    input.setAttribute('aria-keyshortcuts', '/ Control+K');
    var box = doc.getElementById('search-page');
    if (box) resultsPage(box); else dropdown();
    doc.addEventListener('keydown', function (e) {
      var t = e.target, typing = /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable;
      if ((e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) ||
        (e.key === 'k' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        input.focus();
        input.select();
      }
    });
  }
  S.test = { words: words, whole: whole, parts: parts, stem: stem, indexTerms: indexTerms, parse: parse, search: search };
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init); else init();
})();
