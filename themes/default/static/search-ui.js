/* folio search: the box and the results page (the UI of search.js, which the theme
 * joins before this file). All page text is inserted with text nodes, never as HTML. */
(function () {
  'use strict';
  var doc = document, win = window;
  var T = win.__folioTerms, F = win.__folioSearch, st = F.st;
  var WORD = T.WORD, words = T.words, whole = T.whole, parts = T.parts, stem = T.stem,
    indexTerms = T.indexTerms, pairTerm = T.pairTerm;
  var S = F.S, script = F.script, Index = F.Index, parse = F.parse, matches = F.matches, run = F.run,
    elsewhere = F.elsewhere, corrected = F.corrected;

  /* ---- results: best section, excerpt, DOM ---- */
  // the pair terms among the hits, for marking the two words of a pair ("Auto Codes")
  function pairHits(hit) {
    if (!hit.__pairs) {
      var ps = Object.keys(hit).filter(function (t) { return t.length > 3 && hit[t] === 2; });
      Object.defineProperty(hit, '__pairs', { value: ps.map(function (p) { return p.slice(0, 3); }) });
    }
    return hit.__pairs;
  }
  function marks(text, hit) {
    var out = [], m, prev = null, ps = pairHits(hit);
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var cur = { at: [m.index, m.index + m[0].length], w: whole(m[0]), on: false };
      if (indexTerms(m[0]).some(function (t) { return hit[t]; })) { out.push(cur.at); cur.on = true; }
      else if (prev && ps.length && ps.indexOf(prev.w.slice(0, 3)) >= 0 && /^\s+$/.test(text.slice(prev.at[1], cur.at[0])) &&
        hit[pairTerm(prev.w, cur.w)] === 2) {
        // two words that a pair term matched ("Auto Codes" for "autocodes")
        if (!prev.on) out.push(prev.at);
        out.push(cur.at);
        cur.on = true;
      }
      prev = cur;
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
  // a result's address inside its version folder
  function hrefIn(f, anchor) {
    var u = f.u;
    if (/^\s*javascript:/i.test(u)) u = '';
    if (!u || /\/$/.test(u)) u += 'index.html';
    return u + (anchor ? '#' + encodeURIComponent(anchor) : '');
  }
  // <a><span.t>title</span><span.h>section</span><span.x>…excerpt…</span></a>
  function resultLink(f, hit, size, prefix) {
    var s = pick(f, hit), a = el('a', 'sr-link'), t = el('span', 'sr-title');
    a.href = prefix + hrefIn(f, s[0]);
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
  function quoted(q) { return '\u201c' + q + '\u201d'; }
  function inHere() { return st.thisLabel ? ' in ' + st.thisLabel : ''; }
  // One search as the box and the page show it: this version's results, their first
  // fragments, the corrected query, and the matches in other versions when this one
  // has none or lacks a word.
  function searchAll(raw, want) {
    return run(st.here, raw).then(function (res) {
      return Promise.all(res.ranked.slice(0, want).map(function (d) { return st.here.frag(d); })).then(function (fs) {
        return elsewhere(raw, res, 3).then(function (other) {
          return { res: res, fs: fs, fixed: corrected(raw.trim(), res, fs[0]), other: other };
        });
      });
    });
  }
  // "OTK: 3 results in v16.4" and links to those pages
  function otherVersions(box, q, other, tag) {
    other.forEach(function (o) {
      var p = el(tag || 'p', 'search-other');
      p.appendChild(doc.createTextNode(quoted(q) + ': ' + plural(o.n) + ' in ' + o.label));
      var ul = el('ul', 'search-other-list');
      o.fs.forEach(function (f) {
        var li = el('li'), a = el('a', 'search-other-link', f.t);
        a.href = st.siteRoot + o.path + '/' + hrefIn(f, '');
        li.appendChild(a);
        ul.appendChild(li);
      });
      if (o.n > o.fs.length) {
        var li = el('li'), a = el('a', 'search-other-link', 'All ' + plural(o.n) + ' in ' + o.label);
        a.href = st.siteRoot + o.path + '/' + (form.getAttribute('action') || '').split('/').pop() + '?q=' + encodeURIComponent(q);
        li.appendChild(a);
        ul.appendChild(li);
      }
      box.appendChild(p);
      box.appendChild(ul);
    });
  }

  function dropdown() {
    var pop = el('div', 'search-pop'), list = el('ul', 'search-list'), foot = el('div', 'search-foot');
    var live = el('div', 'search-vh');
    var active = -1, announce = 0;
    pop.hidden = true;
    list.id = 'search-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Search results' + inHere());
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

    function options() { return list.querySelectorAll('[role=option]'); }
    function open(on) {
      pop.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
      if (!on) setActive(-1);
    }
    function setActive(i) {
      var opts = options();
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
    function show(q, out, failed) {
      list.textContent = '';
      foot.textContent = '';
      setActive(-1);
      if (failed) {
        foot.appendChild(el('p', 'search-note', 'Search is unavailable: the index could not be loaded.'));
        pop.setAttribute('data-q', q);
        return open(true);
      }
      var res = out.res, n = res.ranked.length;
      // each option is the result's link itself (a link inside an option would be
      // interactive content nested in an interactive element)
      out.fs.forEach(function (f, i) {
        var li = el('li', 'sr'), a = resultLink(f, res.hit, 16, st.root);
        li.setAttribute('role', 'none');
        a.id = 'search-opt-' + i;
        a.setAttribute('role', 'option');
        a.setAttribute('aria-selected', 'false');
        a.tabIndex = -1;
        li.appendChild(a);
        list.appendChild(li);
      });
      if (out.fixed) foot.appendChild(el('p', 'search-fixed', 'Showing results for ' + quoted(out.fixed)));
      if (n) {
        var all = el('a', 'search-all', n > out.fs.length ? 'All ' + plural(n) : 'Open results page');
        all.href = resultsUrl(q);
        foot.appendChild(all);
        if (out.other.length) foot.appendChild(el('p', 'search-note', 'Some words are not' + inHere() + '.'));
      } else foot.appendChild(el('p', 'search-note', 'No results for ' + quoted(q) + (out.other.length ? inHere() : '')));
      otherVersions(foot, q, out.other);
      say((n ? plural(n) : 'No results') + inHere() + (out.other.length ? '; ' + out.other.map(function (o) { return plural(o.n) + ' in ' + o.label; }).join(', ') : ''), !n);
      pop.setAttribute('data-q', q);
      open(true);
    }
    var run = debounce(function () {
      var raw = input.value, q = raw.trim(), my = ++seq;
      if (!q) { open(false); live.textContent = ''; return; }
      searchAll(raw, DROP).then(function (out) {
        if (my === seq) show(q, out);
      }).catch(function () { if (my === seq) show(q, null, true); });
    }, DEBOUNCE_MS);

    input.addEventListener('input', run);
    input.addEventListener('focus', function () {
      st.here.load().catch(function () {});
      if (input.value.trim() && (list.children.length || foot.children.length)) open(true);
    });
    input.addEventListener('keydown', function (e) {
      var n = options().length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (pop.hidden) { if (input.value.trim()) { open(true); run(); } return; }
        e.preventDefault();
        if (n) setActive(e.key === 'ArrowDown' ? (active + 1) % n : (active <= 0 ? n : active) - 1);
      } else if (e.key === 'Enter' && active >= 0 && !pop.hidden) {
        e.preventDefault();
        win.location.href = options()[active].href;
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
    var summary = el('p', 'search-summary'), fixed = el('p', 'search-fixed'), list = el('ol', 'search-results');
    var other = el('div', 'search-elsewhere'), more = el('button', 'search-more', 'More results');
    var shown = 0, res = null, q = '', my = 0;
    summary.setAttribute('role', 'status');
    more.type = 'button';
    more.hidden = true;
    fixed.hidden = true;
    other.hidden = true;
    box.textContent = '';
    box.appendChild(summary);
    box.appendChild(fixed);
    box.appendChild(list);
    box.appendChild(more);
    box.appendChild(other);
    function page() {
      var mine = my, ids = res.ranked.slice(shown, shown + PAGE);
      more.disabled = true;
      return Promise.all(ids.map(function (d) { return st.here.frag(d); })).then(function (fs) {
        if (mine !== my) return;
        fs.forEach(function (f) {
          var li = el('li', 'sr');
          li.appendChild(resultLink(f, res.hit, 36, st.root));
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
      other.textContent = '';
      other.hidden = fixed.hidden = true;
      shown = 0;
      more.hidden = true;
      try { win.history.replaceState(null, '', '?q=' + encodeURIComponent(q)); } catch (e) { /* some file:// pages refuse */ }
      if (!q) { summary.textContent = 'Type words to search for' + inHere() + '.'; return; }
      summary.textContent = 'Searching\u2026';
      searchAll(raw, 1).then(function (out) {
        if (mine !== my) return;
        res = out.res;
        var n = res.ranked.length;
        summary.textContent = (n ? plural(n) : 'No results') + ' for ' + quoted(q) + (out.other.length ? inHere() : '');
        if (out.fixed) {
          fixed.textContent = 'Showing results for ' + quoted(out.fixed);
          fixed.hidden = false;
        }
        if (out.other.length) {
          other.appendChild(el('h2', 'search-other-title', 'In other versions'));
          otherVersions(other, q, out.other);
          other.hidden = false;
        }
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
    st.root = doc.body.getAttribute('data-root') || '';
    st.here = new Index(st.root + 'search/');
    st.thisLabel = form.getAttribute('data-version') || '';
    st.thisPath = form.getAttribute('data-path') || '';
    var x = form.getAttribute('data-cross');
    if (x != null) {
      st.siteRoot = form.getAttribute('data-site-root') || '';
      st.cross = new Index(x, true);
    }
    // only meaningful with this script: set here, not carried in every page's HTML
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('spellcheck', 'false');
    input.setAttribute('enterkeyhint', 'search');
    input.setAttribute('aria-keyshortcuts', '/ Control+K');
    input.setAttribute('placeholder', (st.thisLabel ? 'Search ' + st.thisLabel : 'Search') + ' (press /)');
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
  S.test = {
    words: words, whole: whole, parts: parts, stem: stem, indexTerms: indexTerms, pairTerm: pairTerm, parse: parse,
    search: function (q) { return run(st.here, q); },
    searchAll: function (q) { return searchAll(q, 5); }
  };
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init); else init();
})();
