// Reader search (nianbao). Replaces the header's link to the contents with
// a search field; loads search/<lang>/index.json, then only the shards a
// query's terms fall in, then the texts of the results shown (for
// snippets). Terms are cut as src/search/mod.rs cuts them: lower-cased
// words; CJK runs as pairs of characters (a lone character as itself).
(function () {
  "use strict";
  var box = document.querySelector(".site-search");
  if (!box || !window.fetch) return;
  var d = box.dataset;
  var root = new URL(d.root || "./", document.baseURI);
  var langs = (d.langs || "").split("|").filter(Boolean).map(function (p) {
    var i = p.indexOf("=");
    return { code: p.slice(0, i), name: p.slice(i + 1) };
  });
  var MAX = 20, SNIPPETS = 10;

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xac00 && n <= 0xd7af) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2fa1f);
  }
  var wordChar = /[\p{L}\p{N}]/u;

  function queryTerms(q) {
    var out = [], run = [], word = "";
    function add(t) { if (t && out.indexOf(t) < 0) out.push(t); }
    function endRun() {
      if (run.length === 1) add(run[0]);
      for (var i = 0; i + 1 < run.length; i++) add(run[i] + run[i + 1]);
      run = [];
    }
    for (var c of q) {
      if (isCjk(c)) { add(word); word = ""; run.push(c); }
      else {
        endRun();
        if (wordChar.test(c)) word += c.toLowerCase();
        else { add(word); word = ""; }
      }
    }
    endRun(); add(word);
    return out;
  }

  function fnv(term, shards) {
    var bytes = new TextEncoder().encode(term), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % Math.max(1, shards);
  }

  var cache = {};
  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL("search/" + path, root)).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  // The pages of `lang` holding every term, best first.
  function search(lang, terms) {
    return load(lang + "/index.json").then(function (index) {
      var shards = terms.map(function (t) {
        return load(lang + "/s" + fnv(t, index.shards) + ".json");
      });
      return Promise.all(shards).then(function (maps) {
        var scores = null;
        terms.forEach(function (t, i) {
          var next = {};
          (maps[i][t] || []).forEach(function (p) {
            if (!scores || p[0] in scores) next[p[0]] = (scores ? scores[p[0]] : 0) + p[1];
          });
          scores = next;
        });
        return Object.keys(scores || {}).map(function (id) {
          var page = index.pages[id];
          return { lang: lang, id: +id, url: page[0], title: page[1], chapter: page[2], year: page[3], score: scores[id] };
        });
      });
    });
  }

  function el(name, attrs, text) {
    var e = document.createElement(name);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // Where the query (or else its first term) is in `text`, with the words
  // around it; the match marked.
  function snippet(text, query, terms) {
    var lower = text.toLowerCase(), q = query.trim().toLowerCase();
    var at = lower.indexOf(q), len = q.length;
    if (at < 0) {
      for (var i = 0; i < terms.length && at < 0; i++) { at = lower.indexOf(terms[i]); len = terms[i].length; }
    }
    var p = el("p", { "class": "search-snippet" });
    if (at < 0) { p.textContent = text.slice(0, 160) + (text.length > 160 ? "…" : ""); return p; }
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + len + 100);
    p.append((start > 0 ? "…" : "") + text.slice(start, at));
    p.append(el("mark", null, text.slice(at, at + len)));
    p.append(text.slice(at + len, end) + (end < text.length ? "…" : ""));
    return p;
  }

  // The form.
  var form = el("form", { role: "search", "class": "site-search-form", action: box.querySelector("a").href });
  var id = "site-search-q";
  var label = el("label", { "for": id, "class": "visually-hidden" }, d.label);
  var input = el("input", { id: id, type: "search", name: "q", autocomplete: "off", placeholder: d.button, "aria-describedby": "site-search-status", "aria-controls": "site-search-results" });
  var langSelect = el("select", { "aria-label": d.language, name: "lang" });
  langSelect.append(el("option", { value: "" }, d.allLanguages));
  langs.forEach(function (l) {
    var o = el("option", { value: l.code, lang: l.code }, l.name);
    if (l.code === d.lang) o.selected = true;
    langSelect.append(o);
  });
  var yearSelect = el("select", { "aria-label": d.years, name: "year", hidden: "" });
  yearSelect.append(el("option", { value: "" }, d.allYears));
  var button = el("button", { type: "submit" }, d.button);
  var status = el("p", { id: "site-search-status", "class": "search-status", role: "status", "aria-live": "polite" });
  var list = el("ol", { id: "site-search-results", "class": "search-results", "aria-label": d.results });
  var panel = el("div", { "class": "search-panel", hidden: "" });
  panel.append(status, list);
  form.append(label, input);
  if (langs.length > 1) form.append(langSelect);
  form.append(yearSelect, button);
  box.replaceChildren(form, panel);

  // Years: from the current language's index (a series covers every year).
  load(d.lang + "/index.json").then(function (index) {
    if ((index.years || []).length < 2) return;
    index.years.slice().reverse().forEach(function (y) { yearSelect.append(el("option", { value: y }, y)); });
    yearSelect.hidden = false;
  }, function () {});

  var seq = 0;
  function run() {
    var q = input.value, terms = queryTerms(q), mine = ++seq;
    if (!terms.length) { panel.hidden = true; list.replaceChildren(); status.textContent = ""; return; }
    var chosen = langSelect.value ? [langSelect.value] : langs.map(function (l) { return l.code; });
    if (!chosen.length) chosen = [d.lang];
    Promise.all(chosen.map(function (l) { return search(l, terms).catch(function () { return []; }); }))
      .then(function (all) {
        var hits = [].concat.apply([], all).filter(function (h) {
          return !yearSelect.value || h.year === yearSelect.value;
        });
        hits.sort(function (a, b) { return b.score - a.score || a.url.localeCompare(b.url); });
        hits = hits.slice(0, MAX);
        return Promise.all(hits.map(function (h, i) {
          if (i >= SNIPPETS) return h;
          return load(h.lang + "/t" + h.id + ".json").then(function (t) { h.text = t.text; return h; }, function () { return h; });
        }));
      })
      .then(function (hits) {
        if (mine !== seq) return;
        // A phrase of several terms: pages holding it as written come first.
        var phrase = q.trim().toLowerCase();
        hits.forEach(function (h) { h.exact = h.text != null && h.text.toLowerCase().indexOf(phrase) >= 0; });
        hits.sort(function (a, b) { return (b.exact - a.exact) || 0; });
        list.replaceChildren.apply(list, hits.map(function (h) {
          var li = el("li", { lang: h.lang });
          var a = el("a", { href: new URL(h.url, root).href }, h.title);
          li.append(a);
          var meta = [h.chapter && h.chapter !== h.title ? h.chapter : "", h.year].filter(Boolean).join(" · ");
          if (meta) li.append(el("span", { "class": "search-meta" }, meta));
          if (h.text != null) li.append(snippet(h.text, q, terms));
          return li;
        }));
        status.textContent = hits.length ? d.count.replace("{n}", hits.length) : d.none;
        panel.hidden = false;
      });
  }

  var timer;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
  langSelect.addEventListener("change", run);
  yearSelect.addEventListener("change", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  form.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(); input.focus(); }
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(); input.focus(); }
  });
})();
