/* folio page script: the full contents tree from nav-*.js, "On this page", and
   version-menu niceties. Everything here enhances a page that already works without
   JavaScript. (The theme joins search.js after this file into the one script pages load.) */
(function () {
  "use strict";
  document.documentElement.className += " js";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function buildTree() {
    // nav-*.js (loaded before this script) holds the version's whole tree in reading
    // order: [[slug, title, depth], ...].
    var navData = window.__folioNavData;
    var tree = document.getElementById("tree");
    if (!tree || !navData) return;
    // Prefix from this page to its version folder ("" or "../" on diff pages).
    var prefix = document.body.getAttribute("data-root") || "";
    // The page's own slug: the static tree marks its link (pages outside the tree,
    // such as search, have none).
    var mark = tree.querySelector('a[aria-current="page"]'), current = null;
    if (mark) current = mark.getAttribute("href").slice(prefix.length).replace(/\.html$/, "");
    // Rebuild the hierarchy from the pre-order rows.
    var root = { children: [] }, stack = [root], bySlug = {};
    for (var i = 0; i < navData.length; i++) {
      var r = navData[i], node = { slug: r[0], title: r[1], children: [], parent: null };
      while (stack.length > r[2] + 1) stack.pop();
      node.parent = stack[stack.length - 1];
      node.parent.children.push(node);
      stack.push(node);
      bySlug[node.slug] = node;
    }
    var open = {};
    for (var n = bySlug[current]; n && n.slug; n = n.parent) open[n.slug] = true;

    function renderList(nodes) {
      var ul = el("ul");
      for (var i = 0; i < nodes.length; i++) ul.appendChild(renderNode(nodes[i]));
      return ul;
    }
    function renderNode(node) {
      var li = el("li"), row = el("span", "row");
      li.appendChild(row);
      var a = el("a", null, node.title);
      a.href = prefix + node.slug + ".html";
      if (node.slug === current) a.setAttribute("aria-current", "page");
      if (node.children.length) {
        var btn = el("button", "toggle");
        btn.type = "button";
        btn.setAttribute("aria-label", "Show or hide pages under " + node.title);
        var isOpen = !!open[node.slug];
        btn.setAttribute("aria-expanded", isOpen ? "true" : "false");
        btn.addEventListener("click", function () {
          var expanded = btn.getAttribute("aria-expanded") === "true";
          btn.setAttribute("aria-expanded", expanded ? "false" : "true");
          var sub = li.querySelector(":scope > ul");
          if (!sub) { sub = renderList(node.children); li.appendChild(sub); }
          sub.hidden = expanded;
        });
        row.appendChild(btn);
        row.appendChild(a);
        if (isOpen) li.appendChild(renderList(node.children));
      } else {
        row.appendChild(el("span", "spacer"));
        row.appendChild(a);
      }
      return li;
    }
    var old = tree.querySelector(":scope > ul");
    var fresh = renderList(root.children);
    fresh.className = "tree-root";
    if (old) tree.replaceChild(fresh, old); else tree.appendChild(fresh);
    tree.setAttribute("data-full-tree", "true");

    // On a phone the tree folds away behind a button.
    var toggle = el("button", "tree-toggle", "Contents");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var on = tree.classList.toggle("expanded");
      toggle.setAttribute("aria-expanded", on ? "true" : "false");
    });
    tree.insertBefore(toggle, tree.firstChild);
    var cur = tree.querySelector('[aria-current="page"]');
    if (cur && cur.scrollIntoView && window.matchMedia && window.matchMedia("(min-width: 761px)").matches) {
      var box = tree.getBoundingClientRect(), r = cur.getBoundingClientRect();
      if (r.bottom > box.bottom) tree.scrollTop += r.top - box.top - box.height / 3;
    }
  }

  // "On this page": links to the article's h2 and h3 headings (they carry ids), beside
  // the article on wide screens. Built here rather than carried in every page's HTML;
  // without JavaScript the headings themselves are still in the page.
  function onThisPage() {
    var article = document.querySelector("main > article");
    if (!article) return;
    var ul = el("ul");
    var hs = article.querySelectorAll("h2[id], h3[id]");
    for (var i = 0; i < hs.length; i++) {
      var h = hs[i];
      if (h.closest("section.children")) continue; // the page's own "In this section"
      var li = el("li", "level-" + h.tagName.charAt(1)), a = el("a", null, h.textContent.trim());
      a.setAttribute("href", "#" + h.id);
      li.appendChild(a);
      ul.appendChild(li);
    }
    if (!ul.firstChild) return;
    var aside = el("aside", "on-this-page"), title = el("p", "otp-title", "On this page");
    aside.setAttribute("aria-labelledby", "otp-title");
    title.id = "otp-title";
    aside.appendChild(title);
    aside.appendChild(ul);
    // The article and its aside side by side (one column on narrow screens).
    var grid = el("div", "article-grid");
    article.parentNode.insertBefore(grid, article);
    grid.appendChild(article);
    grid.appendChild(aside);
  }

  function versionMenu() {
    var menus = document.querySelectorAll("body > header details");
    Array.prototype.forEach.call(menus, function (d) {
      document.addEventListener("click", function (e) { if (d.open && !d.contains(e.target)) d.open = false; });
      d.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && d.open) { d.open = false; d.querySelector("summary").focus(); }
      });
      // Keep the reader's place: carry the #section over to the other version.
      d.addEventListener("click", function (e) {
        var a = e.target.closest && e.target.closest("a");
        if (a && location.hash && !a.parentNode.classList.contains("missing") && !a.parentNode.classList.contains("external")) {
          a.href = a.href.split("#")[0] + location.hash;
        }
      });
    });
  }

  function start() { buildTree(); onThisPage(); versionMenu(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
