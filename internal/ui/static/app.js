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

  // ---- Comments: a refused comment (422, or 429 over the daily
  // allowance) comes back as the comments section with the text kept and
  // the reason, so it is swapped in like a success.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    if ((status === 422 || status === 429) && elt && elt.matches && elt.matches("form.comment-form")) {
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

  // ---- Cook mode. Every step is in the page, the one asked for shown;
  // the script moves between them in place (buttons, arrow keys, swipes),
  // so the timers it runs go on across steps. The address follows
  // (?step=N), and without the script the same links load each step.
  function initCook() {
    var cook = document.querySelector("[data-cook]");
    if (!cook) return;
    initCookSteps(cook);
    initTicks(cook);
    initTimers(cook);
    initWakeLock(cook);
  }

  function initCookSteps(cook) {
    var steps = [].slice.call(cook.querySelectorAll("[data-step]"));
    var prev = cook.querySelector("[data-cook-prev]");
    var next = cook.querySelector("[data-cook-next]");
    var number = cook.querySelector("[data-step-number]");
    if (!steps.length || !prev || !next) return;
    var total = steps.length;
    var current = 1;
    steps.forEach(function (s, i) { if (!s.hidden) current = i + 1; });

    function stepURL(n) {
      var u = new URL(window.location.href);
      u.searchParams.set("step", String(n));
      return u.pathname + u.search;
    }
    function show(n) {
      if (n < 1 || n > total || n === current) return;
      var old = steps[current - 1];
      var focusLost = old.contains(document.activeElement);
      old.hidden = true;
      steps[n - 1].hidden = false;
      current = n;
      number.textContent = String(n);
      history.replaceState(null, "", stepURL(n));
      // Like "Done" at the end, the way back from the first step is to
      // the recipe.
      if (n > 1) {
        prev.href = stepURL(n - 1);
        prev.textContent = "Previous step";
      } else {
        prev.href = cook.getAttribute("data-recipe-url");
        prev.textContent = "Recipe";
      }
      if (n < total) {
        next.href = stepURL(n + 1);
        next.textContent = "Next step";
      } else {
        next.href = cook.getAttribute("data-recipe-url");
        next.textContent = "Done";
      }
      // Focus stays on the button pressed; where it was on something
      // that is now hidden or disabled, it moves to the new step, whose
      // text is then read. The counter (aria-live) says where we are.
      if (focusLost) steps[n - 1].focus();
      var top = cook.getBoundingClientRect().top;
      if (top < 0) cook.scrollIntoView({ block: "start" });
    }
    function plainClick(e) { return !(e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button); }
    prev.addEventListener("click", function (e) {
      if (current === 1 || !plainClick(e)) return; // "Recipe" leaves
      e.preventDefault();
      show(current - 1);
    });
    next.addEventListener("click", function (e) {
      if (current === total || !plainClick(e)) return; // "Done" leaves
      e.preventDefault();
      show(current + 1);
    });
    document.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
      var t = e.target;
      if (t && t.matches && t.matches("input:not([type=checkbox]), textarea, select, [contenteditable]")) return;
      if (e.key === "ArrowLeft") { e.preventDefault(); show(current - 1); }
      else if (e.key === "ArrowRight") { e.preventDefault(); show(current + 1); }
    });
    // A swipe: a mostly sideways move of one finger, quickly enough not
    // to be a slow scroll or a drag.
    var start = null;
    cook.addEventListener("touchstart", function (e) {
      start = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY, t: Date.now() } : null;
    }, { passive: true });
    cook.addEventListener("touchend", function (e) {
      if (!start || e.changedTouches.length !== 1) return;
      var dx = e.changedTouches[0].clientX - start.x, dy = e.changedTouches[0].clientY - start.y;
      var quick = Date.now() - start.t < 1000;
      start = null;
      if (quick && Math.abs(dx) > 50 && Math.abs(dx) > 2 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    }, { passive: true });

    var hint = cook.querySelector("[data-cook-hint]");
    if (hint) {
      var touch = window.matchMedia("(any-pointer: coarse)").matches;
      var keys = window.matchMedia("(any-pointer: fine)").matches || !touch;
      hint.textContent = touch && keys ? "Swipe left or right, or use the ← and → keys, to move between steps."
        : touch ? "Swipe left or right to move between steps." : "Use the ← and → keys to move between steps.";
      hint.hidden = false;
    }
  }

  // Ticked ingredients and steps are kept per recipe in this browser, so
  // a reload (or a phone that dropped the tab) keeps them. A step's
  // ingredient and the same one in the full list are one tick.
  function initTicks(cook) {
    var key = "reccollection:cook-ticks:" + cook.getAttribute("data-recipe");
    var boxes = [].slice.call(cook.querySelectorAll("[data-tick]"));
    var ticked = {};
    try {
      (JSON.parse(window.localStorage.getItem(key) || "[]") || []).forEach(function (k) { ticked[k] = true; });
    } catch (e) { /* storage off or unreadable: start afresh */ }
    function save() {
      try { window.localStorage.setItem(key, JSON.stringify(Object.keys(ticked))); } catch (e) { /* kept for this visit only */ }
    }
    // Ticks outlast the cooking; the next time starts from nothing.
    var clear = cook.querySelector("[data-ticks-clear]");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        ticked = {};
        boxes.forEach(function (o) { o.checked = false; });
        try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
      });
    }
    boxes.forEach(function (b) {
      b.checked = !!ticked[b.getAttribute("data-tick")];
      b.addEventListener("change", function () {
        var k = b.getAttribute("data-tick");
        if (b.checked) ticked[k] = true; else delete ticked[k];
        boxes.forEach(function (o) { if (o.getAttribute("data-tick") === k) o.checked = b.checked; });
        save();
      });
    });
  }

  // Timers run in a tray outside the steps: several at once, each with
  // pause and cancel. A timer's end is a sound (Web Audio, made here, no
  // file), a vibration where the device has one, and an alert naming
  // the step. Times are kept as end moments, not counted down, so a
  // throttled background tab still ends them on time when it wakes.
  function initTimers(cook) {
    var tray = cook.querySelector("[data-timer-tray]");
    var list = cook.querySelector("[data-timer-list]");
    var alerts = cook.querySelector("[data-timer-alerts]");
    if (!tray || !list || !alerts) return;
    var timers = [];
    var ticker = null;
    var audio = null;

    function clock(ms) {
      var s = Math.max(0, Math.ceil(ms / 1000));
      var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(sec);
    }
    function name(t) { return "step " + t.step + (t.label ? " " + t.label : "") + " timer"; }
    function left(t) { return t.paused ? t.left : t.end - Date.now(); }
    function button(text, label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button-secondary button-small";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.addEventListener("click", onClick);
      return b;
    }
    function focusStep() {
      var s = cook.querySelector("[data-step]:not([hidden])");
      if (s) s.focus();
    }
    function remove(t) {
      timers.splice(timers.indexOf(t), 1);
      var had = t.el.contains(document.activeElement);
      t.el.remove();
      tray.hidden = timers.length === 0;
      if (!timers.length) { clearInterval(ticker); ticker = null; }
      if (had) focusStep();
    }
    function beep() {
      if (!audio) return;
      try {
        if (audio.state === "suspended") audio.resume();
        var t0 = audio.currentTime + 0.05;
        for (var i = 0; i < 3; i++) {
          var osc = audio.createOscillator(), gain = audio.createGain();
          osc.frequency.value = 880;
          gain.gain.value = 0.25;
          osc.connect(gain);
          gain.connect(audio.destination);
          osc.start(t0 + i * 0.4);
          osc.stop(t0 + i * 0.4 + 0.25);
        }
      } catch (e) { /* no sound: the alert and vibration remain */ }
    }
    function finish(t) {
      remove(t);
      beep();
      if (navigator.vibrate) navigator.vibrate([300, 150, 300, 150, 300]);
      var box = document.createElement("div");
      box.className = "timer-alert";
      box.setAttribute("role", "alert");
      var p = document.createElement("p");
      p.textContent = "Step " + t.step + " timer done" + (t.label ? ": " + t.label : "") +
        (t.range ? " (check it: the step says " + t.range + ")" : "");
      box.appendChild(p);
      box.appendChild(button("Dismiss", "Dismiss: " + p.textContent, function () {
        box.remove();
        focusStep();
      }));
      alerts.appendChild(box);
    }
    function tick() {
      timers.slice().forEach(function (t) {
        var ms = left(t);
        if (ms <= 0) finish(t);
        else t.clock.textContent = clock(ms);
      });
    }
    function start(b) {
      // The sound's context must be made in answer to a tap, or the
      // browser keeps it silent.
      if (!audio) {
        var Ctx = window.AudioContext || window.webkitAudioContext;
        try { if (Ctx) audio = new Ctx(); } catch (e) { audio = null; }
      }
      var secs = parseInt(b.getAttribute("data-timer-seconds"), 10);
      var t = {
        step: b.getAttribute("data-timer-step"), label: b.getAttribute("data-timer-label"),
        end: Date.now() + secs * 1000, left: 0, paused: false,
        range: b.getAttribute("data-timer-range") || ""
      };
      t.el = document.createElement("li");
      t.el.className = "timer";
      var title = document.createElement("span");
      title.className = "timer-name";
      title.textContent = "Step " + t.step + (t.label ? ": " + t.label : "");
      t.clock = document.createElement("span");
      t.clock.className = "timer-clock";
      t.clock.setAttribute("role", "timer");
      t.clock.textContent = clock(secs * 1000);
      var pause = button("Pause", "Pause " + name(t), function () {
        t.paused = !t.paused;
        if (t.paused) t.left = t.end - Date.now(); else t.end = Date.now() + t.left;
        pause.textContent = t.paused ? "Resume" : "Pause";
        pause.setAttribute("aria-label", (t.paused ? "Resume " : "Pause ") + name(t));
        t.el.classList.toggle("is-paused", t.paused);
      });
      t.el.appendChild(title);
      t.el.appendChild(t.clock);
      t.el.appendChild(pause);
      t.el.appendChild(button("Cancel", "Cancel " + name(t), function () { remove(t); }));
      list.appendChild(t.el);
      timers.push(t);
      tray.hidden = false;
      if (!ticker) ticker = setInterval(tick, 250);
    }
    cook.querySelectorAll("[data-timer-buttons]").forEach(function (p) {
      p.hidden = false;
      p.querySelectorAll("[data-timer-seconds]").forEach(function (b) {
        b.addEventListener("click", function () { start(b); });
      });
    });
  }

  // The screen stays awake where the Wake Lock API exists; the browser
  // drops the lock when the page is hidden, so it is asked for again on
  // return.
  function initWakeLock(cook) {
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

  // A region marked data-poll shows work in progress (a data export being
  // made): its page is fetched again every few seconds and the region's
  // content replaced, until the fresh page's region no longer asks to be
  // polled. The region is a live region, so the change is announced.
  // Without JavaScript the page says to reload it.
  function initPoll() {
    var region = document.querySelector("[data-poll]");
    if (!region || !region.id || !window.fetch || !window.DOMParser) return;
    function poll() {
      fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
        .then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
          if (!next) return;
          if (region.innerHTML !== next.innerHTML) region.innerHTML = next.innerHTML;
          if (next.hasAttribute("data-poll")) setTimeout(poll, 3000);
          else region.removeAttribute("data-poll");
        })
        .catch(function () { setTimeout(poll, 10000); });
    }
    setTimeout(poll, 3000);
  }

  // ---- Meal plan: drag an entry onto another day to move it there (the
  // same meal). The drop fills in and sends the entry's own "Move or
  // copy" form, which stays the way by keyboard; hold Ctrl (or Alt) to
  // copy instead.
  function initPlanDrag() {
    var days = document.querySelectorAll(".plan-day[id^='day-']");
    if (!days.length) return;
    document.querySelectorAll(".plan-entry").forEach(function (entry) {
      entry.setAttribute("draggable", "true");
      entry.addEventListener("dragstart", function (e) {
        e.dataTransfer.setData("text/plain", entry.id);
        e.dataTransfer.effectAllowed = "copyMove";
        entry.classList.add("plan-dragging");
      });
      entry.addEventListener("dragend", function () { entry.classList.remove("plan-dragging"); });
    });
    days.forEach(function (day) {
      day.addEventListener("dragover", function (e) {
        e.preventDefault();
        day.classList.add("plan-drop");
      });
      day.addEventListener("dragleave", function () { day.classList.remove("plan-drop"); });
      day.addEventListener("drop", function (e) {
        e.preventDefault();
        day.classList.remove("plan-drop");
        var entry = document.getElementById(e.dataTransfer.getData("text/plain"));
        var form = entry && entry.querySelector(".plan-move form");
        var select = form && form.querySelector("select[name=day]");
        var target = day.id.slice(4);
        if (!select || ![].some.call(select.options, function (o) { return o.value === target; })) return;
        if (entry.closest(".plan-day") === day) return;
        select.value = target;
        var button = form.querySelector("button[value=" + (e.ctrlKey || e.altKey ? "copy" : "move") + "]");
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      });
    });
  }

  // Move focus to an error summary so screen readers announce it.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  // ---- Offline. For a member of a household the service worker
  // (/sw.js) keeps the shopping lists, the week's plan and its recipes
  // for a shop without signal; a banner says when the device is offline.
  // A page drawn for nobody signed in (as after signing out) deletes
  // those copies and any ticks still waiting, so the next person on this
  // device finds none of them.
  function initOffline() {
    var banner = document.getElementById("offline-banner");
    function update() { if (banner) banner.hidden = navigator.onLine !== false; }
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
    var member = document.body.hasAttribute("data-offline");
    if (member && navigator.serviceWorker) {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* no worker: no offline copies */ });
    }
    if (!member && !document.body.hasAttribute("data-signed-in")) {
      if (window.caches) {
        caches.keys().then(function (names) {
          names.forEach(function (n) { if (n.indexOf("recc-") === 0) caches.delete(n); });
        }).catch(function () {});
      }
      try {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var k = localStorage.key(i);
          if (k && k.indexOf("recc-ticks:") === 0) localStorage.removeItem(k);
        }
      } catch (e) { /* storage refused */ }
    }
  }

  // ---- A recipe's video. The page holds a link to the video on
  // YouTube; with scripts it becomes a button that puts the player (from
  // youtube-nocookie.com, the one frame source this page's policy
  // allows) in its place. Nothing is loaded from YouTube before the press.
  function initVideo() {
    document.querySelectorAll("[data-video]").forEach(function (box) {
      var link = box.querySelector("[data-video-play]");
      var hint = box.querySelector("[data-video-hint]");
      if (!link) return;
      var id = box.getAttribute("data-video");
      var play = document.createElement("button");
      play.type = "button";
      play.className = link.className;
      play.textContent = "Play the video";
      play.setAttribute("aria-describedby", "video-hint");
      link.className = "video-away";
      link.textContent = "Open it on YouTube";
      link.parentNode.insertBefore(play, link);
      link.parentNode.insertBefore(document.createTextNode(" "), link);
      if (hint) { hint.hidden = false; hint.id = "video-hint"; }
      play.addEventListener("click", function () {
        var frame = document.createElement("iframe");
        frame.src = "https://www.youtube-nocookie.com/embed/" + encodeURIComponent(id) + "?autoplay=1";
        frame.title = "Video: " + (box.getAttribute("data-video-title") || "the recipe");
        frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
        frame.setAttribute("allowfullscreen", "");
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        frame.className = "video-player";
        play.remove();
        if (hint) hint.remove();
        box.insertBefore(frame, box.firstChild);
        frame.focus();
      });
    });
  }

  function init() {
    initOffline();
    initVideo();
    initServings();
    initCook();
    initPrint();
    initSelectOnFocus();
    initCopy();
    initPoll();
    initPlanDrag();
    focusErrors();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
