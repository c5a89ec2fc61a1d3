/* folio page script: the full contents tree from nav-*.js, "On this page" with the
   current section marked, the version menu's filter and keys, the light/dark toggle,
   Copy buttons on code blocks and the address printed on each page. Everything here
   enhances a page that already works without JavaScript. (The theme joins search.js after this file into the one script pages load.) */
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
  // the article on wide screens and folded at its top on narrow ones (the stylesheet
  // shows one of the two). Built here rather than carried in every page's HTML;
  // without JavaScript the headings themselves are still in the page.
  function onThisPage() {
    var article = document.querySelector("main > article");
    if (!article) return;
    var hs = [], found = article.querySelectorAll("h2[id], h3[id]");
    for (var i = 0; i < found.length; i++) {
      if (!found[i].closest("section.children")) hs.push(found[i]); // the page's own "In this section"
    }
    if (!hs.length) return;
    function list() {
      var ul = el("ul");
      hs.forEach(function (h) {
        var text = h.textContent.trim(), li = el("li", "level-" + h.tagName.charAt(1)), a = el("a", null, text);
        a.setAttribute("href", "#" + h.id);
        a.title = text; // long headings show in two lines; the whole text on hover
        li.appendChild(a);
        ul.appendChild(li);
      });
      return ul;
    }
    var aside = el("aside", "on-this-page"), title = el("p", "otp-title", "On this page");
    aside.setAttribute("aria-labelledby", "otp-title");
    title.id = "otp-title";
    aside.appendChild(title);
    aside.appendChild(list());
    var fold = el("details", "otp-fold");
    fold.appendChild(el("summary", null, "On this page"));
    fold.appendChild(list());
    // A link in the folded list closes it, so the section shows.
    fold.addEventListener("click", function (e) { if (e.target.closest("a")) fold.open = false; });
    // The article and its aside side by side (one column on narrow screens).
    var grid = el("div", "article-grid");
    article.parentNode.insertBefore(grid, article);
    grid.appendChild(article);
    grid.appendChild(aside);
    article.insertBefore(fold, article.firstChild);
    scrollSpy(hs, aside);
  }

  // Marks the link of the section being read (the last heading above a line near the
  // top of the window) with aria-current, and keeps it in view in the aside.
  function scrollSpy(hs, aside) {
    var links = aside.querySelectorAll("a"), current = -1, queued = false;
    function update() {
      queued = false;
      var line = 90, at = -1;
      for (var i = 0; i < hs.length; i++) {
        if (hs[i].getBoundingClientRect().top <= line) at = i; else break;
      }
      // At the very bottom the last sections cannot reach the line: take the last one.
      var doc = document.documentElement;
      if (window.innerHeight + window.scrollY >= doc.scrollHeight - 2 && hs[hs.length - 1].getBoundingClientRect().top < window.innerHeight) at = hs.length - 1;
      if (at === current) return;
      if (current >= 0) links[current].removeAttribute("aria-current");
      current = at;
      if (at < 0) return;
      var a = links[at];
      a.setAttribute("aria-current", "true");
      var box = aside.getBoundingClientRect(), r = a.getBoundingClientRect();
      if (r.top < box.top || r.bottom > box.bottom) aside.scrollTop += r.top - box.top - box.height / 3;
    }
    function queue() { if (!queued) { queued = true; requestAnimationFrame(update); } }
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue);
    window.addEventListener("hashchange", queue);
    update();
  }

  // The version menu: a filter box and arrow keys over its links, grouped by status in
  // the HTML; it closes on Escape, on a click elsewhere and when focus leaves it.
  function versionMenu() {
    var menus = document.querySelectorAll("body > header details");
    Array.prototype.forEach.call(menus, function (d) {
      var box = d.querySelector(".vmenu"), summary = d.querySelector("summary");
      document.addEventListener("click", function (e) { if (d.open && !d.contains(e.target)) d.open = false; });
      d.addEventListener("focusout", function (e) {
        if (d.open && e.relatedTarget && !d.contains(e.relatedTarget)) d.open = false;
      });
      // Keep the reader's place: carry the #section over to the other version.
      d.addEventListener("click", function (e) {
        var a = e.target.closest && e.target.closest("a");
        var kind = a && a.parentNode.classList;
        if (a && location.hash && !kind.contains("missing") && !kind.contains("external") && !kind.contains("vcompare")) {
          a.href = a.href.split("#")[0] + location.hash;
        }
      });
      if (!box) return;
      var filter = el("input");
      filter.type = "search";
      filter.setAttribute("aria-label", "Filter versions");
      filter.placeholder = "Filter versions";
      filter.autocomplete = "off";
      var none = el("div", "vnone", "No version matches.");
      none.hidden = true;
      box.insertBefore(filter, box.firstChild);
      box.appendChild(none);
      function visibleLinks() {
        return Array.prototype.filter.call(box.querySelectorAll("a"), function (a) { return !a.closest("[hidden]"); });
      }
      filter.addEventListener("input", function () {
        var q = filter.value.trim().toLowerCase(), any = false;
        Array.prototype.forEach.call(box.querySelectorAll("li"), function (li) {
          li.hidden = q !== "" && li.textContent.toLowerCase().indexOf(q) < 0;
        });
        Array.prototype.forEach.call(box.querySelectorAll("ul"), function (ul) {
          var shown = !!ul.querySelector("li:not([hidden])");
          ul.hidden = !shown;
          var label = ul.previousElementSibling;
          if (label && label.tagName === "P") label.hidden = !shown;
          any = any || shown;
        });
        none.hidden = any;
        // the link to compare versions is not a version: hidden while filtering
        var cmp = box.querySelector(".vcompare");
        if (cmp) cmp.hidden = q !== "";
      });
      d.addEventListener("toggle", function () {
        if (!d.open) return;
        filter.value = "";
        filter.dispatchEvent(new Event("input"));
        // The filter box takes the keys; not on touch screens, where focusing it would
        // open the on-screen keyboard over the list (arrow keys start from the summary).
        if (!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches)) filter.focus();
      });
      d.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && d.open) {
          e.preventDefault();
          d.open = false;
          summary.focus();
          return;
        }
        if (!d.open || ["ArrowDown", "ArrowUp", "Home", "End"].indexOf(e.key) < 0) return;
        if ((e.key === "Home" || e.key === "End") && e.target === filter) return;
        var links = visibleLinks(), at = links.indexOf(document.activeElement);
        if (!links.length) return;
        e.preventDefault();
        var next = e.key === "Home" ? 0 : e.key === "End" ? links.length - 1
          : e.key === "ArrowDown" ? Math.min(at + 1, links.length - 1)
          : at <= 0 ? -1 : at - 1;
        if (next < 0) filter.focus(); else links[next].focus();
      });
      filter.addEventListener("keydown", function (e) {
        // Enter in the box follows the only match, or the first one.
        if (e.key === "Enter") {
          var links = visibleLinks();
          e.preventDefault();
          if (links.length) links[0].click();
        }
      });
    });
  }

  // Light or dark: the system's choice until the reader picks one with the toggle,
  // remembered in localStorage (also from file://). The page's head applies it before
  // the first paint; choosing what the system would show forgets the choice.
  function themeToggle() {
    var header = document.querySelector("body > header");
    if (!header) return;
    var root = document.documentElement, system = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
    var btn = el("button", "theme-toggle");
    btn.type = "button";
    btn.setAttribute("aria-label", "Dark mode");
    btn.title = "Dark mode";
    function isDark() { return root.dataset.theme ? root.dataset.theme === "dark" : !!(system && system.matches); }
    function show() { btn.setAttribute("aria-pressed", isDark() ? "true" : "false"); }
    btn.addEventListener("click", function () {
      var want = isDark() ? "light" : "dark", sys = system && system.matches ? "dark" : "light";
      root.dataset.theme = want === sys ? "" : want;
      try {
        if (root.dataset.theme) localStorage.folioTheme = want; else localStorage.removeItem("folioTheme");
      } catch (e) { /* storage off: the choice lasts for this page */ }
      show();
    });
    if (system && system.addEventListener) system.addEventListener("change", show);
    show();
    header.appendChild(btn);
  }

  // A Copy button on each code block: the clipboard where the browser offers it,
  // else the code is selected (and copied where the browser still allows it).
  function copyButtons() {
    var pres = document.querySelectorAll("main article pre"), status = null;
    function say(text) {
      if (!status) {
        status = el("p", "visually-hidden");
        status.setAttribute("role", "status");
        document.querySelector("main").appendChild(status);
      }
      status.textContent = text;
    }
    Array.prototype.forEach.call(pres, function (pre) {
      var wrap = el("div", "codeblock"), btn = el("button", "copy", "Copy");
      btn.type = "button";
      btn.setAttribute("aria-label", "Copy the code");
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      wrap.appendChild(btn);
      function done(text) {
        btn.textContent = text;
        say(text === "Copied" ? "Code copied" : "Code selected: press Ctrl+C to copy");
        setTimeout(function () { btn.textContent = "Copy"; }, 2000);
      }
      function select() {
        var range = document.createRange(), sel = window.getSelection();
        range.selectNodeContents(pre);
        sel.removeAllRanges();
        sel.addRange(range);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok ? "Copied" : "Selected");
      }
      btn.addEventListener("click", function () {
        var text = pre.textContent.replace(/\n$/, "");
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(function () { done("Copied"); }, select);
        } else select();
      });
    });
  }

  // Printed pages name the address the page was read at (the page's own fallback is
  // its canonical URL or its path in the site).
  function printLine() {
    var root = document.documentElement, line = root.style.getPropertyValue("--folio-print");
    var m = /^\s*"(.*) \u00b7 [^\u00b7]*"\s*$/.exec(line);
    if (!m) return;
    // m[1] is already a CSS string's content; only the address needs escaping.
    var url = location.href.split("#")[0].replace(/[\\"]/g, "\\$&").replace(/[\n\r\f]/g, " ");
    root.style.setProperty("--folio-print", '"' + m[1] + " \u00b7 " + url + '"');
  }

  function start() { themeToggle(); buildTree(); onThisPage(); versionMenu(); copyButtons(); printLine(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
