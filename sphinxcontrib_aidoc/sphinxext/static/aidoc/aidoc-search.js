/* sphinxcontrib-aidoc: the API search page (aidoc-search.html).
 *
 * Hand-written, no dependencies, no build step. The index is
 * window.AIDOC_INDEX, loaded from the <script> path in this script's
 * data-index attribute, so the page works offline and from file:// (see
 * docs/api-search.rst for its format). Text from the index reaches the page
 * only through textContent.
 *
 * Ranking: exact name, name prefix, prefix of a part of the qualified name,
 * misspelled name (bounded Damerau-Levenshtein), then summary words.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var MAX_SHOWN = 50;
  var CAMEL = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g;
  var SCHEME = /^[a-z][a-z0-9+.-]*:|^\/\//i;

  var items = [];
  var shown = [];
  var active = -1;
  var ui = {};

  /* -- text ---------------------------------------------------------- */
  function tokens(text) {
    var found = [];
    text.split(/[^0-9A-Za-z\u00C0-\uFFFF]+/).forEach(function (chunk) {
      var parts = /^[\x00-\x7F]*$/.test(chunk) ? chunk.match(CAMEL) : [chunk];
      (parts || []).forEach(function (part) {
        var lower = part.toLowerCase();
        if (lower && found.indexOf(lower) < 0) found.push(lower);
      });
    });
    return found;
  }

  function words(text) {
    return text.toLowerCase().split(/[^0-9a-z_\u00C0-\uFFFF]+/).filter(Boolean);
  }

  /* Optimal string alignment distance, or max + 1 once it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null;
    var prev = [];
    var i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function typoBudget(word) {
    return word.length < 4 ? 0 : word.length < 8 ? 1 : 2;
  }

  /* -- the index ------------------------------------------------------- */
  function valid(index) {
    return !!index && index.format === "aidoc-search-index" && index.version === 1 &&
      Array.isArray(index.fields) && Array.isArray(index.records);
  }

  function prepare(index) {
    var f = {};
    index.fields.forEach(function (name, i) { f[name] = i; });
    return index.records.map(function (row) {
      var qual = String(row[f.qualname]);
      var module = index.modules[row[f.module]] || "";
      var local = module && qual.indexOf(module + ".") === 0 ? qual.slice(module.length + 1) : qual;
      var name = qual.slice(qual.lastIndexOf(".") + 1);
      var lqual = qual.toLowerCase();
      return {
        qual: qual,
        name: name.toLowerCase(),
        local: local.toLowerCase(),
        lqual: lqual,
        parts: lqual.split("."),
        toks: row[f.tokens] ? String(row[f.tokens]).split(" ") : [],
        kind: index.kinds[row[f.kind]] || "",
        module: module,
        url: String(index.pages[row[f.page]] || "") + "#" + qual,
        signature: String(row[f.signature] || ""),
        summary: String(row[f.summary] || ""),
        quality: typeof row[f.quality] === "number" ? row[f.quality] : null,
        complexity: f.complexity !== undefined && typeof row[f.complexity] === "number" ? row[f.complexity] : null,
        generated: row[f.generated] === 1,
        words: null
      };
    });
  }

  /* -- ranking: [tier, order within the tier], or null ----------------- */
  function rank(item, query) {
    var q = query.text;
    if (item.name === q || item.local === q || item.lqual === q) {
      return [0, item.lqual === q ? 0 : item.local.length];
    }
    if (item.name.indexOf(q) === 0) return [1, item.name.length * 1000 + item.local.length];
    if (item.lqual.indexOf(q) === 0 || item.local.indexOf(q) === 0 ||
        item.parts.some(function (p) { return p.indexOf(q) === 0; })) {
      return [2, item.local.length];
    }
    if (query.toks.length && query.toks.every(function (t) {
      return item.toks.some(function (k) { return k.indexOf(t) === 0; });
    })) {
      return [2, 1000 + item.local.length];
    }
    var typos = fuzzy(item, query);
    if (typos >= 0) return [3, typos * 1000 + item.name.length];
    if (query.words.length && summaryMatch(item, query.words)) return [4, item.local.length];
    return null;
  }

  function fuzzy(item, query) {
    var q = query.text.replace(/\s+/g, "_");
    var budget = typoBudget(q);
    if (budget) {
      var d = distance(q, item.name, budget);
      if (d <= budget) return d;
    }
    if (!query.toks.length) return -1;
    var total = 0;
    for (var i = 0; i < query.toks.length; i++) {
      var t = query.toks[i];
      var allowed = typoBudget(t);
      var best = allowed + 1;
      for (var k = 0; k < item.toks.length && best > 0; k++) {
        var tok = item.toks[k];
        var dd = tok.indexOf(t) === 0 ? 0 : distance(t, tok, allowed);
        if (dd < best) best = dd;
      }
      if (best > allowed) return -1;
      total += best;
    }
    return total;
  }

  function summaryMatch(item, qwords) {
    if (item.words === null) item.words = words(item.summary);
    return qwords.every(function (w) {
      return item.words.some(function (s) { return s === w || (w.length > 2 && s.indexOf(w) === 0); });
    });
  }

  function search(text, filters) {
    var query = { text: text.trim().toLowerCase(), toks: tokens(text), words: words(text) };
    var found = [];
    items.forEach(function (item) {
      if (filters.kind && item.kind !== filters.kind) return;
      if (filters.module && item.module !== filters.module) return;
      if (filters.origin && item.generated !== (filters.origin === "generated")) return;
      var score = query.text ? rank(item, query) : [5, 0];
      if (score) found.push({ item: item, tier: score[0], order: score[1] });
    });
    found.sort(function (a, b) {
      return a.tier - b.tier || a.order - b.order ||
        (a.item.qual < b.item.qual ? -1 : a.item.qual > b.item.qual ? 1 : 0);
    });
    return found;
  }

  /* -- the page ---------------------------------------------------------- */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function href(url) {
    return SCHEME.test(url) ? "#" : (script.dataset.root || "") + url;
  }

  function resultItem(item, n) {
    var li = el("li", "aidoc-result");
    li.id = "aidoc-result-" + n;
    li.setAttribute("role", "option");
    var link = el("a", "aidoc-result-link");
    link.href = href(item.url);
    link.appendChild(el("code", "aidoc-result-name", item.qual));
    if (item.signature) link.appendChild(el("code", "aidoc-result-signature", item.signature));
    li.appendChild(link);
    var meta = el("span", "aidoc-result-meta");
    meta.appendChild(el("span", "aidoc-result-kind", item.kind));
    if (item.quality !== null) meta.appendChild(el("span", "aidoc-result-quality", "quality " + item.quality));
    if (item.complexity !== null) meta.appendChild(el("span", "aidoc-result-complexity", "complexity " + item.complexity));
    if (item.generated) meta.appendChild(el("span", "aidoc-result-generated", "generated"));
    li.appendChild(meta);
    if (item.summary) li.appendChild(el("p", "aidoc-result-summary", item.summary));
    return li;
  }

  function filters() {
    return { kind: ui.kind.value, module: ui.module.value, origin: ui.origin.value };
  }

  function update() {
    var text = ui.input.value;
    var chosen = filters();
    ui.results.textContent = "";
    shown = [];
    if (!text.trim() && !chosen.kind && !chosen.module && !chosen.origin) {
      ui.status.textContent = "Type to search " + items.length + " API objects.";
    } else {
      var found = search(text, chosen);
      shown = found.slice(0, MAX_SHOWN);
      shown.forEach(function (r, n) { ui.results.appendChild(resultItem(r.item, n)); });
      ui.status.textContent = found.length === 0 ? "No results." :
        found.length + (found.length === 1 ? " result" : " results") +
        (found.length > MAX_SHOWN ? ", showing the first " + MAX_SHOWN + "." : ".");
    }
    select(shown.length ? 0 : -1);
    remember(text, chosen);
    ui.results.setAttribute("data-query", text); /* what the list shows now */
  }

  function select(n) {
    var old = document.getElementById("aidoc-result-" + active);
    if (old) { old.classList.remove("aidoc-active"); old.removeAttribute("aria-selected"); }
    active = n;
    var now = document.getElementById("aidoc-result-" + n);
    ui.input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    if (now) {
      now.classList.add("aidoc-active");
      now.setAttribute("aria-selected", "true");
      ui.input.setAttribute("aria-activedescendant", now.id);
      if (now.scrollIntoView) now.scrollIntoView({ block: "nearest" });
    } else {
      ui.input.removeAttribute("aria-activedescendant");
    }
  }

  function onKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!shown.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      select((active + step + shown.length) % shown.length);
    } else if (event.key === "Enter") {
      var link = document.querySelector("#aidoc-result-" + active + " a");
      event.preventDefault();
      if (link) window.location.href = link.href;
    } else if (event.key === "Escape") {
      ui.input.value = "";
      update();
    }
  }

  /* Keep the query in the address, so Back returns to the same results. */
  function remember(text, chosen) {
    var params = new URLSearchParams();
    if (text) params.set("q", text);
    Object.keys(chosen).forEach(function (key) { if (chosen[key]) params.set(key, chosen[key]); });
    var query = params.toString();
    try {
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    } catch (e) { /* some browsers refuse it on file:// pages */ }
  }

  function fillSelect(select, values) {
    values.forEach(function (value) {
      var option = el("option", "", value);
      option.value = value;
      select.appendChild(option);
    });
  }

  function start() {
    var index = window.AIDOC_INDEX;
    if (!valid(index)) {
      ui.status.textContent = "The API index could not be read.";
      return;
    }
    items = prepare(index);
    fillSelect(ui.kind, index.kinds);
    fillSelect(ui.module, index.modules);
    var params = new URLSearchParams(window.location.search);
    ui.input.value = params.get("q") || "";
    ["kind", "module", "origin"].forEach(function (key) {
      var value = params.get(key);
      if (value && Array.prototype.some.call(ui[key].options, function (o) { return o.value === value; })) {
        ui[key].value = value;
      }
    });
    ui.input.addEventListener("input", update);
    ui.input.addEventListener("keydown", onKey);
    [ui.kind, ui.module, ui.origin].forEach(function (s) { s.addEventListener("change", update); });
    update();
    ui.input.focus();
  }

  function load() {
    ["input", "kind", "module", "origin", "status", "results"].forEach(function (key) {
      ui[key] = document.getElementById("aidoc-search-" + key);
    });
    if (!ui.input || !ui.results) return;
    if (window.AIDOC_INDEX || !script.dataset.index) {
      start();
      return;
    }
    var tag = document.createElement("script");
    tag.src = script.dataset.index;
    tag.onload = start;
    tag.onerror = function () { ui.status.textContent = "The API index could not be loaded."; };
    document.head.appendChild(tag);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", load);
  } else {
    load();
  }
})();
