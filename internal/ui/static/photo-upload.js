// Photo uploads on the recipe form and the settings page. The forms work
// without this file: a plain multipart post, which the server answers by
// showing the recipe, or the form again with a message by each refused
// photo. With it, a photo can be dropped onto its field, shows at once
// (a blob: URL, which the CSP allows for images), can be replaced or
// removed before sending, is checked for type and size on the spot, and
// the form is sent in the background with a progress bar. The server
// stays the judge of every file; these checks only save a wasted upload.
(function () {
  "use strict";

  var TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
  var MB = 1024 * 1024;

  function sizeText(n) {
    if (n >= 10 * MB) return Math.round(n / MB) + " MB";
    if (n >= MB) return (Math.round(n / MB * 10) / 10) + " MB";
    return Math.max(1, Math.round(n / 1024)) + " KB";
  }

  // problem is why a chosen file would be refused, or "" when the server
  // should see it. An unknown type ("") is left to the server, which
  // reads the bytes anyway.
  function problem(file, maxFile) {
    var type = (file.type || "").toLowerCase();
    if (/^image\/hei[cf]/.test(type)) {
      return file.name + ": HEIC photos are not supported yet; export as JPEG.";
    }
    if (type && TYPES.indexOf(type) < 0) {
      return file.name + " is not a JPEG, PNG, WebP or GIF image.";
    }
    if (maxFile && file.size > maxFile) {
      return file.name + " is " + sizeText(file.size) + "; a photo can be at most " + sizeText(maxFile) + ".";
    }
    return "";
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function button(text, className) {
    var b = el("button", "button button-secondary button-small " + (className || ""), text);
    b.type = "button";
    return b;
  }

  // describedBy adds or removes an id in a field's aria-describedby.
  function describedBy(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (t) {
      return t && t !== id;
    });
    if (on) ids.push(id);
    input.setAttribute("aria-describedby", ids.join(" "));
  }

  // ---- One file field: drop zone, preview, replace and remove.
  function initField(field, form) {
    var input = field.querySelector("[data-photo-input]");
    if (!input || field.hasAttribute("data-photo-ready")) return;
    field.setAttribute("data-photo-ready", "");
    var maxFile = Number(form.getAttribute("data-max-file")) || 0;
    var several = input.multiple;
    var urls = [];

    var check = el("p", "field-error photo-check");
    check.id = input.id + "-check";
    check.hidden = true;
    var dropHint = el("p", "hint photo-drop-hint", several ? "Or drop photos here." : "Or drop a photo here.");
    dropHint.setAttribute("aria-hidden", "true");
    var preview = el("ul", "photo-preview");
    preview.setAttribute("aria-label", several ? "Chosen photos" : "Chosen photo");
    preview.hidden = true;
    var tools = el("div", "photo-tools");
    tools.hidden = true;
    var replace = button(several ? "Choose other photos" : "Choose another photo");
    var remove = button(several ? "Remove the chosen photos" : "Remove the chosen photo");
    tools.appendChild(replace);
    tools.appendChild(remove);
    input.insertAdjacentElement("afterend", check);
    input.insertAdjacentElement("beforebegin", dropHint);
    check.insertAdjacentElement("afterend", preview);
    preview.insertAdjacentElement("afterend", tools);
    field.classList.add("is-enhanced");

    function say(message) {
      check.textContent = message;
      check.hidden = !message;
      describedBy(input, check.id, !!message);
    }

    function render() {
      urls.forEach(URL.revokeObjectURL);
      urls = [];
      preview.textContent = "";
      var files = Array.prototype.slice.call(input.files || []);
      files.forEach(function (f) {
        var li = el("li", "photo-preview-item");
        var img = el("img", "upload-thumb");
        var url = URL.createObjectURL(f);
        urls.push(url);
        img.src = url;
        img.alt = "";
        li.appendChild(img);
        li.appendChild(el("span", "photo-preview-name", f.name + " · " + sizeText(f.size)));
        preview.appendChild(li);
      });
      preview.hidden = tools.hidden = files.length === 0;
      field.classList.toggle("has-files", files.length > 0);
    }

    // take keeps the files that pass the checks and says why the others
    // were left out.
    function take(files) {
      var kept = [], refused = [];
      Array.prototype.forEach.call(files, function (f) {
        var p = problem(f, maxFile);
        if (p) refused.push(p);
        else kept.push(f);
      });
      if (!several) kept = kept.slice(0, 1);
      var dt;
      try { dt = new DataTransfer(); } catch (e) { dt = null; }
      if (dt) {
        kept.forEach(function (f) { dt.items.add(f); });
        input.files = dt.files;
      } else if (refused.length) {
        input.value = "";
      }
      say(refused.join(" "));
      render();
    }

    input.addEventListener("change", function () { take(input.files); });
    replace.addEventListener("click", function () { input.click(); });
    remove.addEventListener("click", function () {
      input.value = "";
      say("");
      render();
      input.focus();
    });

    // Dropping files onto the field.
    var depth = 0;
    field.addEventListener("dragenter", function (e) {
      if (!e.dataTransfer || Array.prototype.indexOf.call(e.dataTransfer.types, "Files") < 0) return;
      e.preventDefault();
      depth++;
      field.classList.add("is-dragover");
    });
    field.addEventListener("dragover", function (e) {
      if (!e.dataTransfer || Array.prototype.indexOf.call(e.dataTransfer.types, "Files") < 0) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    });
    field.addEventListener("dragleave", function () {
      depth = Math.max(0, depth - 1);
      if (depth === 0) field.classList.remove("is-dragover");
    });
    field.addEventListener("drop", function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      depth = 0;
      field.classList.remove("is-dragover");
      take(e.dataTransfer.files);
    });

    render();
    return { take: take };
  }

  // ---- The stored main photo: a Remove button in place of the checkbox.
  function initRemove(box) {
    if (box.hasAttribute("data-photo-ready")) return;
    box.setAttribute("data-photo-ready", "");
    var current = box.closest(".photo-current");
    var wrap = box.closest(".checkbox-field");
    if (!current || !wrap) return;
    var toggle = button("Remove photo");
    var note = el("p", "hint photo-remove-note", "The photo will be removed when you save.");
    note.setAttribute("role", "status");
    wrap.hidden = true;
    wrap.insertAdjacentElement("afterend", toggle);
    toggle.insertAdjacentElement("afterend", note);
    function show() {
      toggle.textContent = box.checked ? "Keep photo" : "Remove photo";
      toggle.setAttribute("aria-pressed", box.checked ? "true" : "false");
      note.hidden = !box.checked;
      current.classList.toggle("is-removed", box.checked);
    }
    toggle.addEventListener("click", function () {
      box.checked = !box.checked;
      show();
    });
    show();
  }

  // ---- Alt text: its placeholder follows the recipe's title, which is
  // what an empty description means.
  function initAltDefaults(root) {
    var title = document.getElementById("title");
    if (!title) return;
    var alts = root.querySelectorAll("[data-alt-default]");
    function follow() {
      var t = title.value.trim() || "What the photo shows";
      Array.prototype.forEach.call(alts, function (a) { a.placeholder = t; });
    }
    title.addEventListener("input", follow);
    follow();
  }

  // ---- Sending: in the background, with progress.
  function chosenFiles(form) {
    var files = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (i) {
      Array.prototype.forEach.call(i.files || [], function (f) { files.push(f); });
    });
    return files;
  }

  function initForm(form) {
    if (form.hasAttribute("data-upload-ready")) return;
    form.setAttribute("data-upload-ready", "");
    var box = form.querySelector("[data-upload-progress]");
    var bar = box && box.querySelector("progress");
    var status = box && box.querySelector(".upload-status");
    var maxBody = Number(form.getAttribute("data-max-body")) || 0;
    var sending = false;

    form.addEventListener("submit", function (e) {
      var files = chosenFiles(form);
      if (sending) { e.preventDefault(); return; }
      if (!files.length || !box || !window.FormData || !window.DOMParser) return; // a plain post
      e.preventDefault();
      function refuse(message) {
        box.hidden = false;
        bar.hidden = true;
        status.textContent = message;
      }
      var step = form.querySelector("select[name=gallery_step]");
      var gallery = form.querySelector("input[name=gallery]");
      if (step && gallery && step.value !== "0" && gallery.files.length > 1) {
        refuse("A step shows one photo: choose a single file to show with step " + step.value + ".");
        return;
      }
      var total = files.reduce(function (n, f) { return n + f.size; }, 0);
      // The form's text is at most 1 MB of the allowance.
      if (maxBody && total > maxBody - MB) {
        refuse("The chosen photos come to " + sizeText(total) + "; at most " +
          sizeText(maxBody - MB) + " can be sent at once. Choose fewer now and add the rest later.");
        return;
      }
      send(form, box, bar, status, function (on) { sending = on; });
    });
  }

  function send(form, box, bar, status, setSending) {
    var submit = form.querySelectorAll("button[type=submit], button:not([type])");
    function busy(on) {
      setSending(on);
      Array.prototype.forEach.call(submit, function (b) { b.disabled = on; });
      form.classList.toggle("is-sending", on);
    }
    var shown = -1;
    function progress(percent) {
      bar.value = percent;
      // Announced in steps of ten, so a screen reader is not flooded.
      var step = Math.floor(percent / 10);
      if (step !== shown) {
        shown = step;
        status.textContent = "Uploading… " + percent + " %";
      }
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "text/html");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable && e.total > 0) progress(Math.floor(e.loaded * 100 / e.total));
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      status.textContent = "Uploaded. Saving…";
    });
    xhr.addEventListener("load", function () {
      var action = new URL(form.action, location.href);
      var landed = new URL(xhr.responseURL || form.action, location.href);
      // A save is answered with a redirect, which the request has
      // followed: open that page (it shows "Recipe saved.").
      if (xhr.status >= 200 && xhr.status < 300 && landed.pathname !== action.pathname) {
        location.assign(landed.href);
        return;
      }
      busy(false);
      if (!showAnswer(xhr.responseText, form)) {
        var h1 = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector("main h1, h1");
        status.textContent = "Not saved: " + (h1 ? h1.textContent.trim() : "the server answered " + xhr.status) +
          ". Nothing was lost here; try again in a moment.";
      }
    });
    xhr.addEventListener("error", function () {
      busy(false);
      status.textContent = "Sending failed: check the connection and try again. Nothing was lost here.";
    });
    box.hidden = false;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading… 0 %";
    busy(true);
    xhr.send(new FormData(form));
  }

  // showAnswer puts the page the server answered with (the form again,
  // with its messages) in place of this one's main content, as a plain
  // post would have shown it. When nothing was saved (the form had
  // errors), the chosen files are kept so they need not be chosen again.
  function showAnswer(html, oldForm) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var next = doc.querySelector("main");
    var main = document.querySelector("main");
    // Only a form shown again replaces this one; any other answer (the
    // site busy, the post refused whole) leaves what was typed here.
    if (!next || !main || !next.querySelector("form[data-upload]")) return false;
    var unsent = next.querySelector("[data-photo-unsent]");
    if (unsent) {
      Array.prototype.forEach.call(oldForm.querySelectorAll("input[type=file]"), function (old) {
        var same = next.querySelector("input[type=file][name='" + old.name + "']");
        if (same && old.files && old.files.length) {
          try { same.files = old.files; } catch (e) { return; }
        }
      });
      Array.prototype.forEach.call(next.querySelectorAll("[data-photo-unsent]"), function (n) {
        n.textContent = "Your photos are still chosen; they are saved with the recipe once it is corrected.";
      });
    }
    var fresh = document.importNode(next, true);
    main.replaceWith(fresh);
    if (doc.title) document.title = doc.title;
    // The recipe may now exist: a reload should open it, not post again.
    var form = fresh.querySelector("form[data-upload]");
    var action = form && new URL(form.action, location.href);
    if (action && action.pathname !== location.pathname && /\/edit$/.test(action.pathname)) {
      history.replaceState(null, "", action.pathname);
    }
    var rc = window.RecCollection || {};
    if (typeof rc.initEditor === "function") rc.initEditor();
    init(fresh);
    var summary = fresh.querySelector("#error-summary");
    (summary || fresh).focus();
    return true;
  }

  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-upload]"), function (form) {
      Array.prototype.forEach.call(form.querySelectorAll("[data-photo-drop]"), function (f) { initField(f, form); });
      Array.prototype.forEach.call(form.querySelectorAll("[data-photo-remove]"), initRemove);
      initForm(form);
    });
    initAltDefaults(root);
  }

  function start() { init(document); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
