// Reader search (nianbao). Replaces the header's link to the contents with
// a search field; loads search/<lang>/index.json, then only the shards a
// query's terms fall in (shards hold terms in order; index.json lists the
// first term of each), then the pages of the results shown, to cut their
// snippets from (the browser keeps them: a result followed opens at once).
// Terms are cut as src/search/mod.rs cuts them: lower-cased words; CJK
// runs as pairs of characters (a lone character as itself).
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

  // Terms are ordered by code point (the index's order: UTF-8 bytes).
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  }

  // The shards that may hold `term` (and, for a prefix, the words it
  // starts): the last starting at or before it, and those after it that
  // start with it.
  function shardsOf(term, starts, prefix) {
    var lo = 0, hi = starts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(starts[mid], term) <= 0) lo = mid + 1; else hi = mid;
    }
    var out = [Math.max(0, lo - 1)];
    while (prefix && lo < starts.length && starts[lo].indexOf(term) === 0) out.push(lo++);
    return starts.length ? out : [];
  }

  // A word of three letters or more also finds the words it starts
  // ("volunteer" finds "volunteers"); CJK pairs and short words are exact.
  function isPrefix(term) {
    return !isCjk(term) && Array.from(term).length >= 3;
  }

  // What the index read of a page: the text of its <main> (or body)
  // without navigation, scripts, styles or charts, words joined by single
  // spaces, and its headings with an id as [offset, id, title].
  var SKIPPED = { script: 1, style: 1, template: 1, svg: 1, nav: 1 };
  function readPage(doc) {
    var text = "", sections = [];
    function words(s) {
      s.split(/\s+/).forEach(function (w) { if (w) text += (text ? " " : "") + w; });
    }
    (function walk(node) {
      for (var n = node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) { words(n.data); continue; }
        if (n.nodeType !== 1 || SKIPPED[n.localName]) continue;
        if ((n.localName === "h2" || n.localName === "h3") && n.id) {
          sections.push([text.length + (text ? 1 : 0), n.id, n.textContent.trim().replace(/\s+/g, " ")]);
        }
        walk(n);
      }
    })(doc.querySelector("main") || doc.body);
    return { text: text, sections: sections };
  }

  // Each file fetched once, read by `read` (a Response to a promise).
  var cache = {};
  function fetched(url, read) {
    var key = url.href;
    if (!cache[key]) {
      cache[key] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return read(r);
      });
    }
    return cache[key];
  }
  function load(path) {
    return fetched(new URL("search/" + path, root), function (r) { return r.json(); });
  }
  function loadPage(url) {
    return fetched(new URL(url, root), function (r) {
      return r.text().then(function (html) {
        return readPage(new DOMParser().parseFromString(html, "text/html"));
      });
    });
  }

  // The pages of `lang` holding every term (or a word it starts), with a
  // score: how often they hold them, a word as typed counting double.
  function search(lang, terms) {
    return load(lang + "/index.json").then(function (index) {
      var wanted = terms.map(function (t) {
        return Promise.all(shardsOf(t, index.shards, isPrefix(t)).map(function (k) {
          return load(lang + "/s" + k + ".json");
        }));
      });
      return Promise.all(wanted).then(function (shardsByTerm) {
        var scores = null;
        terms.forEach(function (t, i) {
          var prefix = isPrefix(t), next = {};
          shardsByTerm[i].forEach(function (map) {
            for (var key in map) {
              var weight = key === t ? 2 : prefix && key.indexOf(t) === 0 ? 1 : 0;
              if (!weight) continue;
              map[key].forEach(function (p) {
                if (!scores || p[0] in scores) next[p[0]] = (next[p[0]] || 0) + weight * p[1];
              });
            }
          });
          if (scores) for (var id in next) next[id] += scores[id];
          scores = next;
        });
        return Object.keys(scores || {}).map(function (id) {
          var page = index.pages[id];
          return { lang: lang, url: page[0], title: page[1], chapter: page[2], year: page[3], score: scores[id] };
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

  // Where the query (or else its first term held) is in `text`.
  function matchIn(text, query, terms) {
    var lower = text.toLowerCase(), q = query.trim().toLowerCase();
    var at = lower.indexOf(q), len = q.length;
    for (var i = 0; i < terms.length && at < 0; i++) { at = lower.indexOf(terms[i]); len = terms[i].length; }
    return { at: at, len: len };
  }

  // The heading the match is under: [offset, id, title], or null.
  function sectionAt(sections, at) {
    var found = null;
    (sections || []).forEach(function (s) { if (s[0] <= at) found = s; });
    return found;
  }

  // The words around the match, the match marked.
  function snippet(text, m) {
    var p = el("p", { "class": "search-snippet" });
    if (m.at < 0) { p.textContent = text.slice(0, 160) + (text.length > 160 ? "…" : ""); return p; }
    var start = Math.max(0, m.at - 60), end = Math.min(text.length, m.at + m.len + 100);
    p.append((start > 0 ? "…" : "") + text.slice(start, m.at));
    p.append(el("mark", null, text.slice(m.at, m.at + m.len)));
    p.append(text.slice(m.at + m.len, end) + (end < text.length ? "…" : ""));
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
          return loadPage(h.url).then(function (t) {
            h.text = t.text; h.sections = t.sections; return h;
          }, function () { return h; });
        }));
      })
      .then(function (hits) {
        if (mine !== seq) return;
        // A CJK run of three characters or more is found as its pairs, which
        // a page may hold apart: a page whose text is loaded and lacks the
        // run is no result.
        var runs = q.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{3,}/g) || [];
        hits = hits.filter(function (h) {
          return h.text == null || runs.every(function (r) { return h.text.indexOf(r) >= 0; });
        });
        // A phrase of several terms: pages holding it as written come first.
        var phrase = q.trim().toLowerCase();
        hits.forEach(function (h) { h.exact = h.text != null && h.text.toLowerCase().indexOf(phrase) >= 0; });
        hits.sort(function (a, b) { return (b.exact - a.exact) || 0; });
        // A result names the heading the match is under, its page's title
        // (the chapter) and the year, and links to that heading.
        list.replaceChildren.apply(list, hits.map(function (h) {
          var m = h.text != null ? matchIn(h.text, q, terms) : { at: -1 };
          var section = m.at >= 0 ? sectionAt(h.sections, m.at) : null;
          var href = new URL(h.url, root).href + (section ? "#" + encodeURIComponent(section[1]) : "");
          var li = el("li", { lang: h.lang });
          li.append(el("a", { href: href }, section ? section[2] : h.title));
          var chapter = section ? h.title : (h.chapter !== h.title ? h.chapter : "");
          var meta = [chapter, h.year].filter(Boolean).join(" · ");
          if (meta) li.append(el("span", { "class": "search-meta" }, meta));
          if (h.text != null) li.append(snippet(h.text, m));
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
