// The recipe form's tools. The form works without this file (the server
// renders blank rows to type into and reads every field on submit); with
// it, rows are added, removed, moved by button or by dragging, pasted
// lists split into rows, step boxes grow with their text, and each
// ingredient line shows how the server reads it.
(function () {
  "use strict";

  var FIELD = "input, textarea";
  var formatQuantity = (window.RecCollection && window.RecCollection.formatQuantity) ||
    function (q) { return String(q); };

  // ---- Rows: tools, numbering, new rows.
  function rowControls(li) {
    if (li.querySelector(".row-tools")) return;
    var tools = document.createElement("div");
    tools.className = "row-tools";
    // The drag handle is for pointers only: keyboard and screen reader
    // users have the move buttons beside it, so it is hidden from them.
    var handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.title = "Drag to reorder";
    handle.textContent = "⠿";
    tools.appendChild(handle);
    [["up", "Move up", "↑"], ["down", "Move down", "↓"], ["remove", "Remove", "✕"]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "icon-button";
      btn.setAttribute("data-row-action", b[0]);
      btn.setAttribute("aria-label", b[1]);
      btn.title = b[1];
      btn.textContent = b[2];
      tools.appendChild(btn);
    });
    li.appendChild(tools);
  }

  function renumber(list, kind) {
    var label = kind === "ingredient" ? "Ingredient " : "Step ";
    Array.prototype.forEach.call(list.children, function (li, i) {
      var field = li.querySelector(FIELD);
      var lab = li.querySelector("label");
      var id = kind + "-" + i;
      if (field) field.id = id;
      if (lab) { lab.htmlFor = id; lab.textContent = label + (i + 1); }
      var preview = li.querySelector(".parse-preview");
      if (preview && field) {
        preview.id = id + "-parse";
        var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (t) {
          return t && !/-parse$/.test(t);
        });
        ids.push(preview.id);
        field.setAttribute("aria-describedby", ids.join(" "));
      }
      li.querySelectorAll("[data-row-action]").forEach(function (b) {
        b.setAttribute("aria-label", b.title + " " + label.toLowerCase() + (i + 1));
      });
    });
  }

  function newRow(list, kind, value) {
    var template = list.querySelector("li");
    var li = template.cloneNode(true);
    li.classList.remove("is-dragging");
    li.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    var field = li.querySelector(FIELD);
    field.value = value || "";
    field.removeAttribute("aria-invalid");
    field.setAttribute("aria-describedby", kind === "ingredient" ? "ingredients-hint" : "steps-hint");
    field.removeAttribute("style");
    var preview = li.querySelector(".parse-preview");
    if (preview) { preview.textContent = ""; preview.hidden = true; }
    rowControls(li);
    return li;
  }

  // dropBlankRows removes the empty rows the server adds for browsers
  // without scripts; the Add button makes rows here. A list with no filled
  // row keeps one blank row to start typing in (and to clone).
  function dropBlankRows(list) {
    var blanks = Array.prototype.filter.call(list.children, function (li) {
      var f = li.querySelector(FIELD);
      return f && f.value.trim() === "" && !li.querySelector(".field-error");
    });
    if (blanks.length === list.children.length) blanks.shift();
    blanks.forEach(function (li) { li.remove(); });
  }

  // ---- Step boxes grow with their text. Setting element.style from a
  // script file is allowed by the Content-Security-Policy (it forbids
  // style attributes in markup, not the CSS object model).
  function fit(ta) {
    if (ta.tagName !== "TEXTAREA") return;
    ta.style.height = "auto";
    var border = ta.offsetHeight - ta.clientHeight;
    ta.style.height = (ta.scrollHeight + border) + "px";
  }

  // ---- Drag to reorder, with pointer events so mouse, pen and touch
  // work alike. The row follows the pointer's position among its
  // siblings; the move buttons remain for keyboards.
  function initDrag(list, kind, onMoved) {
    var dragging = null;
    function move(e) {
      if (!dragging) return;
      e.preventDefault();
      var before = null;
      var rows = list.children;
      for (var i = 0; i < rows.length; i++) {
        if (rows[i] === dragging) continue;
        var r = rows[i].getBoundingClientRect();
        if (e.clientY < r.top + r.height / 2) { before = rows[i]; break; }
      }
      if (before !== dragging && before !== dragging.nextElementSibling) list.insertBefore(dragging, before);
    }
    function end() {
      if (!dragging) return;
      var li = dragging;
      dragging = null;
      li.classList.remove("is-dragging");
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", end);
      document.removeEventListener("pointercancel", end);
      renumber(list, kind);
      onMoved(li);
    }
    list.addEventListener("pointerdown", function (e) {
      var handle = e.target.closest(".drag-handle");
      if (!handle || e.button !== 0) return;
      e.preventDefault();
      dragging = handle.closest("li");
      dragging.classList.add("is-dragging");
      // On the document, not captured by the handle: moving the row in
      // the DOM would release a capture.
      document.addEventListener("pointermove", move);
      document.addEventListener("pointerup", end);
      document.addEventListener("pointercancel", end);
    });
  }

  // ---- Ingredient preview: beside each line, how the server reads it,
  // from POST /api/v1/ingredients/parse (the parser a save uses). Lines
  // are asked for after a pause in typing, once each; the reading of the
  // line being typed is announced politely.
  function describe(p) {
    var parts = [];
    if (p.quantity !== null) {
      parts.push(formatQuantity(p.quantity) + (p.quantity_max !== null ? "–" + formatQuantity(p.quantity_max) : ""));
    }
    if (p.unit) parts.push(p.unit);
    parts.push(p.name || "(no name)");
    if (p.note) parts.push(p.note);
    return "Read as: " + parts.join(" · ");
  }

  // A row that starts with "#" heads a section of the list, as the server
  // reads it (headingTitle in internal/ui/sections.go): "#10 can" is an
  // ingredient. It is not sent to the parser. Returns the title, or null.
  function headingOf(line) {
    var m = /^#(?![0-9])[#\s]*(.*)$/.exec(line);
    return m ? m[1].trim() : null;
  }

  function spoken(p) {
    var parts = [];
    if (p.quantity !== null) {
      parts.push("quantity " + formatQuantity(p.quantity) + (p.quantity_max !== null ? " to " + formatQuantity(p.quantity_max) : ""));
    }
    if (p.unit) parts.push("unit " + p.unit);
    parts.push(p.name ? "name " + p.name : "no name");
    if (p.note) parts.push("note " + p.note);
    return parts.join(", ");
  }

  function initPreview(fieldset, list) {
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.id = "ingredient-parse-status";
    status.setAttribute("aria-live", "polite");
    fieldset.appendChild(status);

    var cache = {};
    var cached = 0;
    var timer = null;
    var typed = null; // the row whose reading to announce
    var busy = false;

    function previewOf(li) {
      var p = li.querySelector(".parse-preview");
      if (!p) {
        p = document.createElement("p");
        p.className = "parse-preview";
        p.hidden = true;
        li.appendChild(p);
      }
      return p;
    }

    function show(li) {
      var field = li.querySelector(FIELD);
      var p = previewOf(li);
      var line = field.value.trim();
      var heading = headingOf(line);
      if (heading !== null) {
        p.hidden = false;
        p.textContent = heading ? "Section heading: " + heading : "Section heading (type its title after #)";
        return { heading: heading };
      }
      var parse = line ? cache[line] : null;
      p.hidden = !parse;
      p.textContent = parse ? describe(parse) : "";
      return parse;
    }

    function showAll(announce) {
      Array.prototype.forEach.call(list.children, function (li) {
        var parse = show(li);
        if (announce && li === announce && parse) {
          var n = Array.prototype.indexOf.call(list.children, li) + 1;
          status.textContent = parse.heading !== undefined ?
            "Row " + n + " is a section heading" + (parse.heading ? ": " + parse.heading : "") + "." :
            "Ingredient " + n + " read as: " + spoken(parse) + ".";
        }
      });
    }

    function refresh() {
      timer = null;
      if (busy) { schedule(); return; }
      var wanted = [];
      Array.prototype.forEach.call(list.children, function (li) {
        var line = li.querySelector(FIELD).value.trim();
        if (line && headingOf(line) === null && !(line in cache) && wanted.indexOf(line) < 0 && line.length <= 500) wanted.push(line);
      });
      var announce = typed;
      typed = null;
      if (!wanted.length) { showAll(announce); return; }
      busy = true;
      fetch("/api/v1/ingredients/parse", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ lines: wanted.slice(0, 100) })
      }).then(function (res) {
        if (!res.ok) throw new Error("parse: " + res.status);
        return res.json();
      }).then(function (body) {
        // A long session must not grow the cache without end.
        if (cached > 1000) { cache = {}; cached = 0; }
        body.ingredients.forEach(function (p, i) { cache[wanted[i]] = p; cached++; });
        showAll(announce);
      }).catch(function () {
        // Signed out, rate limited or offline: the preview is a help,
        // not part of the form, so it quietly stays as it was.
      }).then(function () { busy = false; });
    }

    function schedule(li) {
      if (li) typed = li;
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, 350);
    }

    list.addEventListener("input", function (e) {
      if (e.target.matches(FIELD)) schedule(e.target.closest("li"));
    });
    Array.prototype.forEach.call(list.children, previewOf);
    refresh();
    return { schedule: schedule, previewOf: previewOf };
  }

  function initRows() {
    document.querySelectorAll("[data-rows]").forEach(function (fieldset) {
      var kind = fieldset.getAttribute("data-rows");
      var list = fieldset.querySelector(".row-list");
      var add = fieldset.querySelector("[data-add-row]");
      if (!list || !list.firstElementChild) return;
      dropBlankRows(list);
      Array.prototype.forEach.call(list.children, rowControls);
      var preview = kind === "ingredient" ? initPreview(fieldset, list) : null;
      renumber(list, kind);
      if (kind === "step") {
        list.classList.add("auto-grow");
        Array.prototype.forEach.call(list.querySelectorAll("textarea"), fit);
        list.addEventListener("input", function (e) { fit(e.target); });
        var width = window.innerWidth;
        window.addEventListener("resize", function () {
          if (window.innerWidth === width) return;
          width = window.innerWidth;
          Array.prototype.forEach.call(list.querySelectorAll("textarea"), fit);
        });
      }
      function added(li) {
        if (preview) { preview.previewOf(li); preview.schedule(); }
        renumber(list, kind);
        fit(li.querySelector(FIELD));
      }
      if (add) {
        add.hidden = false;
        add.addEventListener("click", function () {
          var li = newRow(list, kind, "");
          list.appendChild(li);
          added(li);
          li.querySelector(FIELD).focus();
        });
      }
      initDrag(list, kind, function (li) {
        var field = li.querySelector(FIELD);
        if (field) field.focus();
      });
      list.addEventListener("click", function (e) {
        var btn = e.target.closest("[data-row-action]");
        if (!btn) return;
        var li = btn.closest("li");
        var action = btn.getAttribute("data-row-action");
        if (action === "remove") {
          var next = li.nextElementSibling || li.previousElementSibling;
          if (list.children.length === 1) {
            var only = li.querySelector(FIELD);
            only.value = "";
            fit(only);
            if (preview) preview.schedule();
            return;
          }
          li.remove();
          renumber(list, kind);
          if (next) next.querySelector(FIELD).focus();
          return;
        }
        if (action === "up" && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
        if (action === "down" && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
        renumber(list, kind);
        btn.focus();
      });
      list.addEventListener("paste", function (e) {
        var field = e.target;
        if (!field.matches(FIELD)) return;
        var text = (e.clipboardData || window.clipboardData).getData("text");
        var parts = kind === "ingredient"
          ? text.split(/\r?\n/)
          : text.split(/\r?\n\s*\r?\n|\r?\n(?=\s*\d+[.)]\s)/);
        parts = parts.map(function (p) {
          return p.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").trim();
        }).filter(Boolean);
        if (parts.length < 2) return;
        e.preventDefault();
        var li = field.closest("li");
        field.value = parts[0];
        fit(field);
        var after = li;
        parts.slice(1).forEach(function (p) {
          var next = after.nextElementSibling;
          var nextField = next && next.querySelector(FIELD);
          if (nextField && !nextField.value) {
            nextField.value = p;
            fit(nextField);
            after = next;
          } else {
            var row = newRow(list, kind, p);
            list.insertBefore(row, after.nextElementSibling);
            added(row);
            after = row;
          }
        });
        renumber(list, kind);
        if (preview) preview.schedule();
        after.querySelector(FIELD).focus();
      });
    });
  }

  // photo-upload.js shows the form again in place after a refused upload
  // and sets its rows up through this.
  (window.RecCollection = window.RecCollection || {}).initEditor = initRows;

  // ---- Suggestions: a title, a description and tags from what is
  // written (POST /api/v1/recipes/suggestions), each offered with a
  // button that puts it in its field; nothing typed is replaced unasked.
  function initSuggest() {
    var box = document.querySelector("[data-suggest]");
    var form = document.getElementById("recipe-form");
    if (!box || !form || !window.fetch) return;
    var button = box.querySelector("[data-suggest-button]");
    var out = box.querySelector("[data-suggest-result]");
    box.hidden = false;
    function values(name) {
      var list = [];
      form.querySelectorAll('[name="' + name + '"]').forEach(function (f) {
        var v = f.value.trim();
        if (v && !/^#(?![0-9])/.test(v)) list.push(v);
      });
      return list;
    }
    function number(id) {
      var f = document.getElementById(id);
      var n = f ? parseInt(f.value, 10) : NaN;
      return isNaN(n) ? null : n;
    }
    function say(text) {
      out.textContent = "";
      var p = document.createElement("p");
      p.textContent = text;
      out.appendChild(p);
    }
    function offer(label, value, fieldID, use) {
      var row = document.createElement("p");
      row.className = "suggestion";
      var strong = document.createElement("strong");
      strong.textContent = label + ": ";
      row.appendChild(strong);
      row.appendChild(document.createTextNode(value + " "));
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button-secondary button-small";
      b.textContent = use;
      b.addEventListener("click", function () {
        var f = document.getElementById(fieldID);
        if (!f) return;
        if (fieldID === "tags") {
          var have = f.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
          value.split(", ").forEach(function (t) { if (have.indexOf(t) < 0) have.push(t); });
          f.value = have.join(", ");
        } else {
          f.value = value;
        }
        b.disabled = true;
        b.textContent = "Used";
        f.focus();
      });
      row.appendChild(b);
      out.appendChild(row);
    }
    button.addEventListener("click", function () {
      var tags = (document.getElementById("tags") || { value: "" }).value.split(",")
        .map(function (t) { return t.trim(); }).filter(Boolean);
      var body = { title: (document.getElementById("title") || { value: "" }).value, ingredients: values("ingredient"),
        steps: values("step"), tags: tags, prep_minutes: number("prep_minutes"), cook_minutes: number("cook_minutes"),
        servings: number("servings") };
      button.disabled = true;
      say("Thinking of suggestions…");
      fetch("/api/v1/recipes/suggestions", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body)
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (j) { return { status: res.status, body: j }; });
      }).then(function (r) {
        if (r.status === 429) { say("Too many suggestions asked for just now; try again in a minute."); return; }
        if (r.status === 422) { say("Some fields need fixing before suggestions can be made: " + ((r.body.errors || []).map(function (e) { return e.field + " " + e.message; }).join("; ") || r.body.detail || "") ); return; }
        if (r.status !== 200) { say("No suggestions right now (" + (r.body.detail || "the server answered " + r.status) + "). Your recipe is unaffected."); return; }
        var s = r.body;
        out.textContent = "";
        if (!s.title && !s.description && !(s.tags && s.tags.length)) {
          say("Write some ingredients or steps first: suggestions come from them.");
          return;
        }
        var from = document.createElement("p");
        from.className = "hint";
        from.textContent = (s.source === "ai" ? "Suggested by the AI service." : "Suggested by the built-in generator.") +
          (s.ai_error ? " " + s.ai_error : "");
        out.appendChild(from);
        if (s.title) offer("Title", s.title, "title", "Use this title");
        if (s.description) offer("Description", s.description, "description", "Use this description");
        if (s.tags && s.tags.length) offer("Tags", s.tags.join(", "), "tags", "Add these tags");
      }).catch(function () {
        say("Suggestions could not be fetched (offline?). Your recipe is unaffected.");
      }).then(function () { button.disabled = false; });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initSuggest);
  else initSuggest();

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initRows);
  else initRows();
})();
