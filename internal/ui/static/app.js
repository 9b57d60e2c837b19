// RecCollection's page enhancements. Every page works without this file;
// it only makes common tasks quicker: rescaling quantities, stepping
// through cook mode with the screen kept awake, and printing. The recipe
// form's tools are in editor.js, loaded by that page alone.
(function () {
  "use strict";

  // ---- Quantities, written the way cooks write them: a port of
  // recipe.FormatQuantity on the server, tested against the same table of
  // expected outputs (internal/recipe/testdata/format_quantity.json).
  // format-quantity:begin
  var FRACTIONS = [
    [0, ""], [1 / 8, "⅛"], [1 / 4, "¼"], [1 / 3, "⅓"], [3 / 8, "⅜"], [1 / 2, "½"],
    [5 / 8, "⅝"], [2 / 3, "⅔"], [3 / 4, "¾"], [7 / 8, "⅞"], [1, ""]
  ];

  function formatQuantity(q) {
    if (!isFinite(q)) return "";
    if (q === 0) return "0";
    if (q < 0) return "-" + formatQuantity(-q);
    var whole = Math.floor(q);
    var frac = q - whole;
    var best = 0, bestD = Infinity, nextD = Infinity;
    FRACTIONS.forEach(function (f, i) {
      var d = Math.abs(frac - f[0]);
      if (d < bestD) { nextD = bestD; bestD = d; best = i; }
      else if (d < nextD) { nextD = d; }
    });
    // Between ⅓ and ⅜ (and ⅝ and ⅔) only a clear winner gets a glyph.
    if (bestD <= 0.02 + 1e-9 && nextD >= 2 * bestD) {
      var f = FRACTIONS[best];
      if (f[1] === "") {
        var n = whole + f[0];
        // A tiny positive amount must not read as "0".
        if (n > 0) return n.toFixed(0);
      } else {
        return (whole === 0 ? "" : whole.toFixed(0)) + f[1];
      }
    }
    // toFixed rounds the exact binary value, as Go's FormatFloat does
    // (Math.round(q * 100) would turn 0.215 into 0.22).
    for (var places = 2; places <= 3; places++) {
      var s = q.toFixed(places).replace(/0+$/, "").replace(/\.$/, "");
      if (s !== "0") return s;
    }
    return "<0.001";
  }
  // format-quantity:end

  // ---- Whole things (eggs, onions) round to what a cook can count out:
  // a port of recipe.RoundCount, tested against the same table
  // (internal/recipe/testdata/round_count.json).
  // round-count:begin
  function roundCount(q) {
    if (!isFinite(q) || q <= 0) return q;
    if (q < 1) return Math.max(Math.round(q * 4) / 4, 0.25);
    if (q < 10) return Math.round(q * 2) / 2;
    return Math.round(q);
  }
  // round-count:end

  // ---- Measures: a port of recipe.ShowMeasure, RoundIn, ShowAsWritten
  // and FormatAmount, tested against the same table
  // (internal/recipe/testdata/measure.json). A converted amount arrives in
  // ml or g; the unit a cook measures it with is picked after scaling.
  // measure:begin
  var SIZES = { ml: 1, l: 1000, g: 1, kg: 1000, tsp: 4.92892, tbsp: 14.7868, cup: 236.588, oz: 28.3495, lb: 453.592 };
  var METRIC = { g: true, kg: true, ml: true, l: true };

  function roundIn(unit, q) {
    if (!isFinite(q) || q <= 0) return q;
    function step(s) {
      return Math.max(s < 1 ? Math.round(q / s) / Math.round(1 / s) : Math.round(q / s) * s, s);
    }
    switch (unit) {
      case "g": case "ml":
        if (q < 1) return step(0.1);
        if (q < 10) return step(0.5);
        if (q < 100) return step(unit === "g" ? 1 : 5);
        return step(unit === "g" ? 5 : 10);
      case "kg": case "l": return step(0.05);
      case "tsp": return step(0.125);
      case "tbsp": return step(0.5);
      case "oz": case "lb": return step(0.25);
      case "cup":
        var whole = Math.floor(q), best = whole;
        [1 / 4, 1 / 3, 1 / 2, 2 / 3, 3 / 4, 1].forEach(function (f) {
          if (Math.abs(q - (whole + f)) < Math.abs(q - best)) best = whole + f;
        });
        return Math.max(best, 0.25);
    }
    return q;
  }

  function pickUnit(sys, kind, base) {
    if (sys === "metric") {
      var small = kind === "mass" ? "g" : "ml", large = kind === "mass" ? "kg" : "l";
      return roundIn(small, base) < 1000 ? small : large;
    }
    if (kind === "mass") return roundIn("oz", base / SIZES.oz) < 16 ? "oz" : "lb";
    if (roundIn("tsp", base / SIZES.tsp) < 3) return "tsp";
    if (roundIn("tbsp", base / SIZES.tbsp) < 4) return "tbsp";
    return "cup";
  }

  // [qty, top, unit] for a scaled amount (and range top) in ml or g.
  function measure(sys, kind, q, top) {
    var unit = pickUnit(sys, kind, q);
    return [roundIn(unit, q / SIZES[unit]), roundIn(unit, top / SIZES[unit]), unit];
  }

  function showAsWritten(unit, q) { return METRIC[unit] && q !== Math.round(q) ? roundIn(unit, q) : q; }

  function formatAmount(unit, q) {
    if (METRIC[unit] && isFinite(q) && q > 0) return String(Math.round(q * 100) / 100);
    return formatQuantity(q);
  }
  // measure:end

  // Shared with the page scripts loaded after this one (editor.js), so
  // there is one port of the server's formatting.
  window.RecCollection = { formatQuantity: formatQuantity };

  // ---- Search: htmx leaves error answers unswapped, but the search
  // page's 400 (a refused search) and 503 (a search out of time) carry the
  // message to show, so they are swapped in like results.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    if ((status === 400 || status === 503) && elt && elt.matches && elt.matches("form.search-form")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // ---- Servings: rescale in place, keep the no-JS form as a fallback.
  function initServings() {
    var form = document.querySelector("[data-servings-form]");
    var article = document.querySelector("[data-base-servings]");
    if (!form || !article) return;
    var input = form.querySelector("#servings");
    var note = form.querySelector("#servings-note");
    var submit = form.querySelector("[data-servings-submit]");
    var base = parseFloat(article.getAttribute("data-base-servings")) || 1;
    if (submit) submit.hidden = true;

    function apply() {
      var n = parseInt(input.value, 10);
      if (!(n >= 1 && n <= 1000)) return;
      var factor = n / base;
      // Every amount (an ingredient's, and those in its note) carries the
      // amount before scaling; its words carry both their numbers. A
      // converted amount (data-system) is in ml or g and takes the unit
      // its scaled size needs; others keep theirs.
      document.querySelectorAll("#ingredients [data-qty]").forEach(function (el) {
        var unit = el.querySelector(":scope > .unit");
        var unitName = unit ? unit.getAttribute("data-unit-singular") : "";
        var maxAttr = el.getAttribute("data-qty-max");
        var q = parseFloat(el.getAttribute("data-qty")) * factor;
        var top = maxAttr ? parseFloat(maxAttr) * factor : q;
        var sys = el.getAttribute("data-system");
        if (sys) {
          var m = measure(sys, el.getAttribute("data-kind"), q, top);
          q = m[0]; top = m[1]; unitName = m[2];
        } else if (el.hasAttribute("data-counted")) {
          q = roundCount(q); top = roundCount(top);
        } else if (factor !== 1) {
          q = showAsWritten(unitName, q); top = showAsWritten(unitName, top);
        }
        var text = formatAmount(unitName, q);
        if (maxAttr) text += "–" + formatAmount(unitName, top);
        var many = top > 1;
        var qty = el.querySelector(":scope > .qty");
        if (qty) qty.textContent = text;
        if (unit && sys) unit.textContent = many && unitName === "cup" ? "cups" : unitName;
        else if (unit) unit.textContent = unit.getAttribute(many ? "data-unit-plural" : "data-unit-singular");
        var name = el.querySelector(":scope > .name[data-name-singular]");
        if (name) name.textContent = name.getAttribute(many ? "data-name-plural" : "data-name-singular");
      });
      note.textContent = factor === 1 ? "As written." : "Written for " + base + ".";
      // The yield, the "scaled" note (printed too) and the links that
      // must keep the scale, as the server writes them for ?servings=.
      var yieldEl = document.querySelector("[data-yield]");
      if (yieldEl) yieldEl.textContent = String(n);
      var scaled = document.querySelector("[data-scaled-note]");
      if (scaled) {
        scaled.hidden = factor === 1;
        scaled.querySelector("[data-scale-factor]").textContent = "scaled ×" + formatQuantity(factor);
      }
      document.querySelectorAll("a[data-keep-servings]").forEach(function (a) {
        var u = new URL(a.href);
        if (factor === 1) u.searchParams.delete("servings"); else u.searchParams.set("servings", String(n));
        a.href = u.pathname + u.search;
      });
      document.querySelectorAll("[data-keep-servings-field]").forEach(function (f) { f.value = factor === 1 ? "" : String(n); });
      var url = new URL(window.location.href);
      if (factor === 1) url.searchParams.delete("servings"); else url.searchParams.set("servings", String(n));
      history.replaceState(null, "", url);
    }
    input.addEventListener("input", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  }

  // ---- Cook mode: arrow keys step through, and the screen stays awake
  // where the Wake Lock API exists.
  function initCook() {
    var cook = document.querySelector("[data-cook]");
    if (!cook) return;
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var link = cook.querySelector('[data-key="' + e.key + '"]');
      if (link) { e.preventDefault(); link.click(); }
    });
    var status = cook.querySelector("[data-wakelock-status]");
    var lock = null;
    function acquire() {
      if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
      navigator.wakeLock.request("screen").then(function (l) {
        lock = l;
        if (status) status.textContent = "Your screen will stay on while you cook.";
      }).catch(function () { /* refused, e.g. low battery: nothing to do */ });
    }
    acquire();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && (!lock || lock.released)) acquire();
    });
  }

  function initPrint() {
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  function initSelectOnFocus() {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
  }

  // Copy buttons copy their target field's value; without the Clipboard
  // API they stay hidden and the field remains, selectable by hand.
  function initCopy() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("[data-copy]").forEach(function (b) {
      var field = document.getElementById(b.getAttribute("data-copy"));
      if (!field) return;
      var box = b.closest("[data-share-link]");
      var status = box && box.querySelector("[data-copy-status]");
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) status.textContent = "Link copied.";
        }, function () {
          field.select();
          if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
        });
      });
    });
  }

  // Move focus to an error summary so screen readers announce it.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function init() {
    initServings();
    initCook();
    initPrint();
    initSelectOnFocus();
    initCopy();
    focusErrors();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
