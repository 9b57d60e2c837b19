// The import pages' enhancements; both pages work without this file.
// - /import?go=1 (the bookmarklet) presses Import at once.
// - A running bulk import's progress is fetched every two seconds and
//   swapped in, instead of the whole-page reload the page falls back on.
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosubmit]");
  if (form) {
    var status = form.querySelector("[data-autosubmit-status]");
    if (status) status.textContent = "Importing…";
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    // The address bar keeps ?go=1 out of history: going back to this
    // page must not import again.
    if (window.history && history.replaceState) {
      history.replaceState(null, "", location.pathname + location.search.replace(/([?&])go=1(&|$)/, "$1").replace(/[?&]$/, ""));
    }
    form.submit();
  }

  var bookmarklet = document.querySelector("[data-bookmarklet]");
  if (bookmarklet) {
    bookmarklet.addEventListener("click", function (e) {
      e.preventDefault();
      var hint = bookmarklet.parentNode.nextElementSibling;
      if (hint) hint.setAttribute("role", "status");
    });
  }

  var progress = document.querySelector("[data-refresh]");
  if (!progress || !window.fetch || !window.DOMParser) return;
  function poll() {
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("bulk-progress");
        var cur = document.getElementById("bulk-progress");
        if (!next || !cur) return;
        // Replace the parts, not the section: the status line is a live
        // region, and keeping its element keeps screen readers told.
        ["bulk-bar", "bulk-status"].forEach(function (id) {
          var a = cur.querySelector("#" + id), b = next.querySelector("#" + id);
          if (a && b) {
            if (id === "bulk-bar") a.value = b.value; else if (a.innerHTML !== b.innerHTML) a.innerHTML = b.innerHTML;
          }
        });
        var table = cur.querySelector(".table-scroll"), nextTable = next.querySelector(".table-scroll");
        if (table && nextTable) table.innerHTML = nextTable.innerHTML;
        if (next.hasAttribute("data-refresh")) {
          setTimeout(poll, 2000);
          return;
        }
        // Finished: the rest of the page (heading, retry button) changes too.
        cur.replaceWith(next);
        document.title = doc.title;
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
