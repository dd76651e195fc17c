// bulletin embed: renders bulletin search results into every
// <div data-bulletin-q="…"> of the page, from the JSON API (CORS).
//   <div data-bulletin-q="digital inclusion" data-bulletin-limit="5"
//        data-bulletin-source="lga-cdt"></div>
//   <script src="https://bulletins.example/embed.js" defer></script>
// Text is inserted with textContent only: nothing from a bulletin can run.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var base = script.src.replace(/\/embed\.js(\?.*)?$/, "");

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    for (var k in attrs || {}) { e.setAttribute(k, attrs[k]); }
    return e;
  }

  function render(div) {
    var q = div.getAttribute("data-bulletin-q") || "";
    var limit = parseInt(div.getAttribute("data-bulletin-limit") || "10", 10);
    if (!(limit >= 1 && limit <= 50)) { limit = 10; }
    var params = new URLSearchParams({ q: q, sort: "date", size: String(limit) });
    var source = div.getAttribute("data-bulletin-source");
    if (source) { params.set("source", source); }
    div.setAttribute("aria-busy", "true");
    fetch(base + "/api/search?" + params.toString(), { credentials: "omit" })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
          return body;
        });
      })
      .then(function (res) {
        div.textContent = "";
        var list = el("ul", "", { "class": "bulletin-results" });
        res.hits.forEach(function (h) {
          var li = el("li");
          li.appendChild(el("a", h.title, { href: h.url }));
          var meta = (h.edition.number ? "No. " + h.edition.number + ", " : "") +
            new Date(h.published).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("span", "(" + meta + ")", { "class": "bulletin-meta" }));
          list.appendChild(li);
        });
        if (!res.hits.length) { div.appendChild(el("p", "No articles found.")); }
        div.appendChild(list);
        div.appendChild(el("a", "More results", { href: base + "/search?" + new URLSearchParams({ q: q }).toString(), "class": "bulletin-more" }));
      })
      .catch(function (err) {
        div.textContent = "";
        div.appendChild(el("p", "Bulletin results could not be loaded: " + err.message, { role: "alert" }));
      })
      .finally(function () { div.removeAttribute("aria-busy"); });
  }

  function start() {
    var divs = document.querySelectorAll("div[data-bulletin-q]");
    for (var i = 0; i < divs.length; i++) { render(divs[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
