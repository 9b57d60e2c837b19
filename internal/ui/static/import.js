// The import pages' enhancements; both pages work without this file.
// - /import?go=1 (the bookmarklet) presses Import at once.
// - A running bulk or archive import's progress is fetched every two
//   seconds and swapped in, instead of the whole-page reload the page
//   falls back on.
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

  // A bulk import's page (#bulk-progress) or an archive import's
  // (#archive-progress): the section with data-refresh, its <progress>
  // bar, its status line (role=status) and its table.
  var progress = document.querySelector("[data-refresh]");
  if (!progress || !progress.id || !window.fetch || !window.DOMParser) return;
  var sectionId = progress.id;
  function poll() {
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById(sectionId);
        var cur = document.getElementById(sectionId);
        if (!next || !cur) return;
        // Replace the parts, not the section: the status line is a live
        // region, and keeping its element keeps screen readers told.
        var bar = cur.querySelector("progress"), nextBar = next.querySelector("progress");
        if (bar && nextBar) {
          bar.max = nextBar.max;
          bar.value = nextBar.value;
          bar.textContent = nextBar.textContent;
        }
        var status = cur.querySelector("[role=status]"), nextStatus = next.querySelector("[role=status]");
        if (status && nextStatus && status.innerHTML !== nextStatus.innerHTML) status.innerHTML = nextStatus.innerHTML;
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
