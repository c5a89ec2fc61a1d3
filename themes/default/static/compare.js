/* folio compare: on a version's "What changed" page, compares any two built versions
   (changes.html?from=NAME&to=NAME) or one article across them (&article=SLUG). It reads
   the manual's timeline (timeline.<hash>.js: each article's slug, title, parent and text
   at the versions where one of them changed), loaded by a script element so that it
   works from file:// as over http; no page exists per pair of versions. Without
   JavaScript the page still lists what changed since the version before. */
(function () {
  "use strict";
  var box = document.getElementById("compare");
  if (!box) return;
  var siteRoot = box.getAttribute("data-site-root") || "";
  var here = box.getAttribute("data-version");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }
  function quoted(t) { return "\u201c" + t + "\u201d"; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function load(src) {
    return new Promise(function (ok, fail) {
      if (window.__folioTimeline) return ok(window.__folioTimeline);
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { window.__folioTimeline ? ok(window.__folioTimeline) : fail(); };
      s.onerror = function () { fail(); };
      document.head.appendChild(s);
    });
  }

  /* The timeline, expanded: per article, its entries with every field filled in. */
  function expand(data) {
    var versions = data.v.map(function (v, i) { return { i: i, name: v[0], label: v[1], path: v[2] }; });
    var articles = data.a.map(function (entries) {
      var slug = null, title = null;
      return entries.map(function (e) {
        if (e.length === 1) return { vi: e[0], gone: true };
        if (e[1] !== 0) slug = e[1];
        if (e[2] !== 0) title = e[2];
        return { vi: e[0], slug: slug, title: title, parent: e[3], text: e[4], added: e[5], removed: e[6], diff: e[7] === 1 };
      });
    });
    return { versions: versions, articles: articles };
  }

  /* An article's entry in force at version vi (null: not in the manual there). */
  function at(entries, vi) {
    var found = null;
    for (var i = 0; i < entries.length && entries[i].vi <= vi; i++) found = entries[i];
    return found && !found.gone ? found : null;
  }

  function page(v, slug) { return siteRoot + v.path + "/" + slug + ".html"; }
  function diffPage(v, slug) { return siteRoot + v.path + "/diff/" + slug + ".html"; }

  /* Every article added, removed, renamed, moved, retitled or changed from version a to
     b (a older), as a direct comparison of the two groups them; each with the versions
     between whose diff pages show its changes. */
  function compare(T, a, b) {
    var groups = { added: [], removed: [], renamed: [], moved: [], retitled: [], changed: [] };
    var touched = 0;
    T.articles.forEach(function (entries, n) {
      var x = at(entries, a), y = at(entries, b);
      if (!x && !y) return;
      var diffs = entries.filter(function (e) { return e.vi > a && e.vi <= b && e.diff; });
      var item = { n: n, entry: y || x, diffs: diffs };
      var any = false;
      function put(group, note) {
        groups[group].push({ n: n, entry: item.entry, from: x, diffs: diffs, note: note, v: item.v });
        any = true;
      }
      if (!x) { item.v = b; put("added"); }
      else if (!y) {
        // the last version before b it was in
        var last = a;
        for (var k = b - 1; k > a; k--) if (at(entries, k)) { last = k; break; }
        item.v = last;
        item.entry = at(entries, last);
        put("removed", "(last in " + T.versions[last].label + ")");
      } else {
        item.v = b;
        if (x.slug !== y.slug) put("renamed", x.title !== y.title ? "(formerly " + quoted(x.title) + ", at " + x.slug + ".html)" : "(formerly at " + x.slug + ".html)");
        if (x.parent !== y.parent) {
          var under = function (p, vi) { var e = p < 0 ? null : at(T.articles[p], vi); return e ? quoted(e.title) : "the top level"; };
          put("moved", "(from under " + under(x.parent, a) + " to under " + under(y.parent, b) + ")");
        }
        if (x.title !== y.title) put("retitled", "(formerly " + quoted(x.title) + ")");
        if (x.text !== y.text) put("changed");
      }
      if (any) touched++;
    });
    return { groups: groups, total: touched };
  }

  var GROUPS = [["added", "Added"], ["removed", "Removed"], ["renamed", "Renamed"],
    ["moved", "Moved in the contents"], ["retitled", "Retitled"], ["changed", "Changed"]];

  function diffLinks(T, li, diffs, title) {
    if (!diffs.length) return;
    var span = el("span", "diff-links");
    span.appendChild(document.createTextNode(" see what changed in "));
    diffs.forEach(function (d, i) {
      if (i) span.appendChild(document.createTextNode(i === diffs.length - 1 ? " and " : ", "));
      var a = link(diffPage(T.versions[d.vi], d.slug), T.versions[d.vi].label);
      a.setAttribute("aria-label", T.versions[d.vi].label + " (" + title + ")");
      span.appendChild(a);
    });
    li.appendChild(span);
  }

  function showVersions(T, a, b, out) {
    var r = compare(T, a, b), va = T.versions[a], vb = T.versions[b];
    var summary = [];
    GROUPS.forEach(function (g) { if (r.groups[g[0]].length) summary.push(r.groups[g[0]].length + " " + g[0]); });
    out.appendChild(el("h3", null, "From " + va.label + " to " + vb.label));
    out.appendChild(el("p", "changes-summary", r.total
      ? plural(r.total, "article", "articles") + " changed: " + summary.join(", ") + "."
      : "No article changed from " + va.label + " to " + vb.label + "."));
    GROUPS.forEach(function (g) {
      var items = r.groups[g[0]];
      if (!items.length) return;
      var sec = el("section", "compare-group");
      sec.setAttribute("data-group", g[0]);
      var h = el("h4", null, g[1] + " ");
      h.appendChild(el("span", "count", "(" + items.length + ")"));
      sec.appendChild(h);
      var ul = el("ul");
      items.sort(function (x, y) { return x.n - y.n; }).forEach(function (it) {
        var li = el("li");
        li.appendChild(link(page(T.versions[it.v], it.entry.slug), it.entry.title));
        if (it.note) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("span", "note", it.note)); }
        diffLinks(T, li, it.diffs, it.entry.title);
        ul.appendChild(li);
      });
      sec.appendChild(ul);
      out.appendChild(sec);
    });
  }

  /* One article from a to b: each version between that changed it, and what. */
  function showArticle(T, n, a, b, out) {
    var entries = T.articles[n], x = at(entries, a), y = at(entries, b), va = T.versions[a], vb = T.versions[b];
    var name = (y || x || entries.filter(function (e) { return !e.gone; }).pop()).title;
    out.appendChild(el("h3", null, name + ": from " + va.label + " to " + vb.label));
    var reads = el("p", "compare-read");
    if (x) reads.appendChild(link(page(va, x.slug), "Read it in " + va.label));
    if (x && y) reads.appendChild(document.createTextNode(" \u00b7 "));
    if (y) reads.appendChild(link(page(vb, y.slug), "Read it in " + vb.label));
    if (reads.firstChild) out.appendChild(reads);
    var steps = entries.filter(function (e) { return e.vi > a && e.vi <= b; });
    if (!steps.length) {
      out.appendChild(el("p", "changes-summary", x
        ? "It is the same in " + va.label + " and " + vb.label + "."
        : "It is in neither " + va.label + " nor " + vb.label + "."));
      return;
    }
    out.appendChild(el("p", "changes-summary", "It changed in " + plural(steps.length, "version", "versions") + " between them."));
    var ul = el("ul", "compare-steps"), prev = at(entries, a);
    steps.forEach(function (e) {
      var v = T.versions[e.vi], li = el("li"), what = [];
      li.appendChild(el("strong", null, v.label + ": "));
      if (e.gone) what.push("removed");
      else if (!prev) what.push("added");
      else {
        if (prev.slug !== e.slug) what.push("address " + prev.slug + ".html became " + e.slug + ".html");
        if (prev.title !== e.title) what.push("retitled from " + quoted(prev.title));
        if (prev.parent !== e.parent) what.push("moved in the contents");
        if (prev.text !== e.text) what.push("text changed (" + e.added + " " + (e.added === 1 ? "line" : "lines") + " added, " + e.removed + " removed)");
      }
      li.appendChild(document.createTextNode(what.join("; ") + ". "));
      if (e.diff) li.appendChild(link(diffPage(v, e.slug), "See what changed in " + v.label));
      else if (!e.gone) li.appendChild(link(page(v, e.slug), "Read it in " + v.label));
      ul.appendChild(li);
      prev = e.gone ? null : e;
    });
    out.appendChild(ul);
  }

  /* The article whose slug is `slug` in version vi, else the last that had that slug. */
  function findArticle(T, slug, vi) {
    var found = -1;
    for (var n = 0; n < T.articles.length; n++) {
      var e = at(T.articles[n], vi);
      if (e && e.slug === slug) return n;
      if (found < 0 && T.articles[n].some(function (e) { return !e.gone && e.slug === slug; })) found = n;
    }
    return found;
  }

  function start(T) {
    if (T.versions.length < 2) {
      box.appendChild(el("p", "changes-summary", "This manual has one version: there is nothing to compare."));
      return;
    }
    var q = new URLSearchParams(location.search);
    var byName = {};
    T.versions.forEach(function (v) { byName[v.name] = v.i; });
    var self = byName[here] != null ? byName[here] : T.versions.length - 1;
    var to = byName[q.get("to")], from = byName[q.get("from")];
    if (to == null) to = from != null && from >= self ? T.versions.length - 1 : self;
    var slug = q.get("article"), asked = q.has("from") || q.has("to") || !!slug;
    var n = slug ? findArticle(T, slug, to) : -1;
    // One article: by default, from the version before its last change up to `to`.
    if (from == null && n >= 0) {
      T.articles[n].forEach(function (e) { if (e.vi > 0 && e.vi <= to) from = e.vi - 1; });
    }
    if (from == null) from = Math.max(0, to - 1);

    var form = el("form", "compare-form");
    form.method = "get";
    form.action = "";
    function picker(name, label, value) {
      var lab = el("label", null, label + " "), sel = el("select");
      sel.name = name;
      T.versions.slice().reverse().forEach(function (v) {
        var o = el("option", null, v.label);
        o.value = v.name;
        if (v.i === value) o.selected = true;
        sel.appendChild(o);
      });
      lab.appendChild(sel);
      return lab;
    }
    if (n >= 0) {
      var hidden = el("input");
      hidden.type = "hidden";
      hidden.name = "article";
      hidden.value = slug;
      form.appendChild(hidden);
    }
    form.appendChild(picker("from", "From", from));
    form.appendChild(document.createTextNode(" "));
    form.appendChild(picker("to", "to", to));
    form.appendChild(document.createTextNode(" "));
    var go = el("button", null, "Compare");
    go.type = "submit";
    form.appendChild(go);
    box.appendChild(form);

    var out = el("div", "compare-result");
    out.id = "compare-result";
    out.setAttribute("role", "region");
    out.setAttribute("aria-label", "Comparison");
    if (!asked) return;
    if (slug && n < 0) {
      out.appendChild(el("p", "changes-summary", "No article " + quoted(slug) + " is in any version of this manual."));
    } else if (from === to) {
      out.appendChild(el("p", "changes-summary", "Pick two different versions to compare."));
    } else {
      var a = Math.min(from, to), b = Math.max(from, to);
      if (n >= 0) showArticle(T, n, a, b, out); else showVersions(T, a, b, out);
    }
    var back = el("p", "compare-back");
    back.appendChild(link(location.pathname.split("/").pop() || "changes.html",
      "Back to what changed in " + T.versions[self].label));
    out.appendChild(back);
    box.appendChild(out);
    // The comparison replaces the list of what changed since the version before.
    var list = document.querySelector("main .changes");
    if (list) list.hidden = true;
    box.classList.add("active");
  }

  load(box.getAttribute("data-timeline")).then(function (data) {
    var T = expand(data);
    // for tests and tools: the comparison the page shows, as data
    window.__folioCompare = { versions: T.versions, compare: function (a, b) { return compare(T, a, b); } };
    start(T);
  }, function () {
    box.appendChild(el("p", "changes-summary", "The data to compare versions could not be loaded."));
  });
})();
