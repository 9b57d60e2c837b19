// A shopping list on a phone: ticks answer at once, the others' ticks
// appear as they happen, and the list keeps working without signal.
//
// Every tick goes through a queue kept in localStorage (line id → ticked
// or not, the last press winning) and is sent to the API as a PATCH; a
// tick is idempotent, so one sent twice or late does no harm, and the
// server merges it into whatever others did meanwhile. Without a
// network the queue waits and the status line says how many ticks it
// holds; back online, it is sent and the list redrawn from the server.
// The others' changes arrive as server-sent events carrying the list's
// version; where those cannot work the script polls the API instead.
// The lines are redrawn from the server's own page, so the script never
// builds markup of its own.
(function () {
  "use strict";
  var root = document.getElementById("shopping");
  if (!root || !window.fetch || !window.localStorage) return;
  var listID = root.getAttribute("data-list");
  var version = Number(root.getAttribute("data-version"));
  var status = document.getElementById("live-status");
  var queueKey = "recc-ticks:" + listID;
  var offline = navigator.onLine === false;

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeQueue(q) {
    try {
      if (Object.keys(q).length) localStorage.setItem(queueKey, JSON.stringify(q));
      else localStorage.removeItem(queueKey);
    } catch (e) { /* storage full or refused: the tick is sent or lost with the page */ }
  }

  var said = "";
  function updateStatus() {
    var n = Object.keys(readQueue()).length;
    var text = "";
    if (offline) {
      text = "You are offline. " + (n ? n + (n === 1 ? " tick is" : " ticks are") + " kept on this device and sent when you are back online." :
        "Ticks you make are kept on this device until you are back online.");
    } else if (n) {
      text = "Sending " + n + (n === 1 ? " tick…" : " ticks…");
    }
    if (text !== said) { said = text; status.textContent = text; }
    root.classList.toggle("is-offline", offline);
  }

  function show(li, ticked) {
    li.classList.toggle("is-checked", ticked);
    var b = li.querySelector("button.tick");
    if (!b) return;
    b.setAttribute("aria-pressed", ticked ? "true" : "false");
    b.value = ticked ? "untick" : "tick";
  }

  // The queue's ticks drawn over the server's lines, so a redraw never
  // shows a tick undone that is still on its way.
  function applyQueue() {
    var q = readQueue();
    Object.keys(q).forEach(function (id) {
      var li = document.getElementById("line-" + id);
      if (li) show(li, q[id]);
    });
  }

  // What the others changed is said aloud (a screen reader hears
  // "butter ticked by Ben"), never what this device did: its own ticks
  // are in the queue or were sent in the last half minute.
  var myTicks = {};
  function lineStates(root) {
    var out = {};
    root.querySelectorAll("[data-line]").forEach(function (li) {
      var name = li.querySelector(".line-name");
      var by = li.querySelector(".line-ticked-by");
      out[li.getAttribute("data-line")] = {
        ticked: li.classList.contains("is-checked"),
        name: name ? name.textContent : "",
        by: by ? by.textContent : ""
      };
    });
    return out;
  }
  function announce(before, after) {
    var q = readQueue(), now = Date.now(), said = [];
    Object.keys(after).forEach(function (id) {
      var a = after[id], b = before[id];
      if (id in q || (myTicks[id] && now - myTicks[id] < 30000)) return;
      if (!b) said.push(a.name + " added");
      else if (a.ticked && !b.ticked) said.push(a.name + " " + (a.by || "ticked"));
      else if (!a.ticked && b.ticked) said.push(a.name + " back on the list");
    });
    if (said.length) document.getElementById("live-changes").textContent = said.slice(0, 5).join(". ") + ".";
  }

  var refreshing = false, again = false;
  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("status " + res.status);
        return res.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("shopping-lines");
        var mine = document.getElementById("shopping-lines");
        var page = doc.getElementById("shopping");
        if (!fresh || !mine) return;
        // Keep the keyboard where it was: on the same line's tick.
        var at = document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-line]");
        var focusID = at && at.getAttribute("data-line");
        var open = [];
        var before = lineStates(mine);
        mine.querySelectorAll("details[open]").forEach(function (d) {
          var li = d.closest("[data-line]");
          if (li) open.push(li.getAttribute("data-line"));
        });
        mine.replaceWith(fresh);
        open.forEach(function (id) {
          var d = document.querySelector("#line-" + id + " details");
          if (d) d.open = true;
        });
        applyQueue();
        announce(before, lineStates(fresh));
        if (focusID) {
          var b = document.querySelector("#line-" + focusID + " button.tick");
          if (b) b.focus();
        }
        if (page) version = Number(page.getAttribute("data-version"));
      })
      .catch(function () { /* offline or the server away: the next event or tick tries again */ })
      .then(function () {
        refreshing = false;
        if (again) { again = false; refresh(); }
      });
  }

  var sending = false, retry = null;
  function send() {
    if (sending) return;
    var q = readQueue();
    var ids = Object.keys(q);
    updateStatus();
    if (!ids.length || offline) return;
    sending = true;
    var id = ids[0], ticked = q[id];
    fetch("/api/v1/shopping-lists/" + encodeURIComponent(listID) + "/items/" + encodeURIComponent(id), {
      method: "PATCH", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ checked: ticked })
    }).then(function (res) {
      // Busy or down: keep the tick and try again. Anything else (sent;
      // or the line is gone, cleared by someone) is done with.
      if (res.status >= 500 || res.status === 429) throw new Error("status " + res.status);
      var now = readQueue();
      if (now[id] === ticked) { delete now[id]; writeQueue(now); }
      sending = false;
      if (Object.keys(readQueue()).length) send(); else { updateStatus(); refresh(); }
    }).catch(function () {
      sending = false;
      updateStatus();
      clearTimeout(retry);
      retry = setTimeout(send, 3000);
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("tick-form")) return;
    var li = form.closest("[data-line]");
    if (!li) return;
    e.preventDefault();
    var ticked = li.querySelector("button.tick").getAttribute("aria-pressed") !== "true";
    show(li, ticked);
    var q = readQueue();
    q[li.getAttribute("data-line")] = ticked;
    myTicks[li.getAttribute("data-line")] = Date.now();
    writeQueue(q);
    send();
  });

  window.addEventListener("offline", function () { offline = true; updateStatus(); });
  window.addEventListener("online", function () { offline = false; updateStatus(); send(); refresh(); });

  // Live: a "version" event when the list changed. Where events cannot
  // be had (an old browser, a proxy that buffers them), poll instead.
  var polling = null;
  function poll() {
    if (polling) return;
    var etag = "";
    polling = setInterval(function () {
      if (document.hidden || offline) return;
      fetch("/api/v1/shopping-lists/" + encodeURIComponent(listID), {
        credentials: "same-origin", headers: etag ? { "If-None-Match": etag } : {}
      }).then(function (res) {
        if (res.status !== 200) return;
        var tag = res.headers.get("ETag") || "";
        if (etag && tag !== etag) refresh();
        etag = tag;
      }).catch(function () {});
    }, 2000);
  }
  function live() {
    if (!window.EventSource) { poll(); return; }
    var events = new EventSource(window.location.pathname + "/events");
    var failures = 0;
    events.addEventListener("version", function (e) {
      failures = 0;
      if (Number(e.data) !== version) refresh();
    });
    events.addEventListener("gone", function () {
      events.close();
      status.textContent = "This list was deleted.";
    });
    events.onerror = function () {
      // Refused (the server has as many live lists open as it keeps):
      // the browser gives up on its own, so poll.
      if (events.readyState === EventSource.CLOSED) { poll(); return; }
      if (offline) return;
      if (++failures >= 5) { events.close(); poll(); }
    };
  }

  // Keep this page, the week's plan and the recipes on the list for the
  // shop (the service worker answers from these copies offline), with
  // the scripts and styles they need.
  function keepForOffline() {
    if (!window.caches || offline) return;
    var pages = [window.location.pathname, "/shopping"].concat((root.getAttribute("data-offline") || "").split(" ").filter(Boolean));
    caches.open("recc-pages-v1").then(function (c) {
      pages.forEach(function (p) {
        fetch(p, { credentials: "same-origin" }).then(function (res) { if (res.ok) c.put(p, res); }).catch(function () {});
      });
    });
    caches.open("recc-assets-v1").then(function (c) {
      document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (el) {
        var u = el.src || el.href;
        c.match(u).then(function (hit) { if (!hit) c.add(u).catch(function () {}); });
      });
    });
  }

  applyQueue();
  updateStatus();
  send();
  live();
  keepForOffline();
})();
