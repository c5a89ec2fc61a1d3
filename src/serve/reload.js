// folio serve: live reload. Added to pages only while previewing with `folio serve`.
// Listens for server-sent events: "reload" (the pages a rebuild changed), "problems"
// (the errors of a failed rebuild, shown over the last good page) and "hello" (sent on
// every connect, so a page that missed a rebuild while disconnected reloads).
(function () {
  "use strict";
  var script = document.currentScript;
  var attr = script && script.getAttribute("data-folio-generation");
  var generation = attr === null || attr === undefined ? null : Number(attr);
  var box = null;

  function here() {
    var p = location.pathname;
    try {
      p = decodeURIComponent(p);
    } catch (e) {
      // keep it encoded
    }
    return p.charAt(p.length - 1) === "/" ? p + "index.html" : p;
  }

  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "folio-problems";
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:12px 16px;background:#2b1011;color:#ffe4e4;border-top:3px solid #e5484d;" +
        "font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.35)";
      var title = document.createElement("strong");
      title.textContent = "folio: the last change does not build. You are looking at the last good version.";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "float:right;font:inherit;cursor:pointer";
      close.addEventListener("click", hide);
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:8px 0 0;white-space:pre-wrap;font:inherit";
      box.appendChild(close);
      box.appendChild(title);
      box.appendChild(pre);
      (document.body || document.documentElement).appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  if (typeof EventSource === "undefined") {
    return;
  }
  var source = new EventSource("/__folio/events");
  source.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (generation !== null && d.generation !== generation) {
      location.reload();
      return;
    }
    generation = d.generation;
    if (d.problems) {
      show(d.problems);
    } else {
      hide();
    }
  });
  source.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    generation = d.generation;
    hide();
    if (d.paths === "*" || d.paths.indexOf(here()) !== -1) {
      location.reload();
    }
  });
  source.addEventListener("problems", function (e) {
    show(JSON.parse(e.data).text);
  });
})();
