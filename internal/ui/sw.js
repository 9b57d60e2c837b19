// The service worker: what lets a phone open the shopping list, the
// week's plan and the planned recipes in a shop without signal.
//
// Pages the household takes shopping (/shopping, /plan, /recipes/...) are
// fetched from the network first and a copy is kept; without a network
// the copy is shown. Scripts, styles and fonts are kept on first use
// (their addresses change with their content, so a kept one is never
// stale). Nothing else is kept: not the API, not the live events, not
// settings or account pages. Signing out deletes every copy (app.js).
// Ticks made offline are not the worker's business: shopping.js keeps
// them and sends them when the phone is back online.
"use strict";

var PAGES = "recc-pages-v1";
var ASSETS = "recc-assets-v1";
var KEPT = /^\/(shopping(\/[^/]+)?|plan|recipes\/[^/]+)$/;

self.addEventListener("install", function () { self.skipWaiting(); });

// Navigation preload: the browser asks for a page itself while the
// worker starts, as a navigation (Sec-Fetch-Dest: document), so the
// server treats it as the page a person opened (it shows the message a
// form left, which a script's fetch never takes) and no time is lost
// starting the worker.
self.addEventListener("activate", function (event) {
  var preload = self.registration.navigationPreload ? self.registration.navigationPreload.enable() : Promise.resolve();
  event.waitUntil(preload.then(function () { return caches.keys(); }).then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("recc-") === 0 && n !== PAGES && n !== ASSETS;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage() {
  var body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Offline · RecCollection</title></head>" +
    "<body style=\"font-family: system-ui, sans-serif; margin: 2rem; line-height: 1.5\"><main>" +
    "<h1>You are offline</h1><p>This page was not saved on this device. Your shopping lists, " +
    "this week's plan and its recipes are, once you have opened a list while online.</p>" +
    "<p><a href=\"/shopping\">Shopping lists</a> · <a href=\"/plan\">Meal plan</a></p></main></body></html>";
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

// A kept page: the network's answer (and a fresh copy kept), else the
// copy, else the offline page.
function networkFirst(request, keep, preloaded) {
  return Promise.resolve(preloaded).then(function (response) {
    return response || fetch(request);
  }).then(function (response) {
    if (keep && response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (c) {
        return c.put(request.url.split("#")[0], copy).then(function () { return trim(c); });
      });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { cacheName: PAGES, ignoreVary: true }).then(function (hit) {
      if (hit) return hit;
      return caches.match(new URL(request.url).pathname, { cacheName: PAGES, ignoreVary: true }).then(function (again) {
        return again || offlinePage();
      });
    });
  });
}

// trim keeps a cache's newest MAX_KEPT entries: every recipe a member
// opens is kept, every release brings new script addresses, and a
// phone's storage is not the place for all of them. Keys come back in
// the order they were put, oldest first.
var MAX_KEPT = 60;
function trim(cache) {
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_KEPT)).map(function (k) { return cache.delete(k); }));
  });
}

function cacheFirst(request) {
  return caches.match(request, { cacheName: ASSETS }).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok || response.type === "opaque") {
        var copy = response.clone();
        caches.open(ASSETS).then(function (c) {
          return c.put(request, copy).then(function () { return trim(c); });
        });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  var same = url.origin === self.location.origin;
  if (same && (url.pathname.indexOf("/api/") === 0 || /\/events$/.test(url.pathname))) return;
  if (["script", "style", "font"].indexOf(request.destination) >= 0) {
    event.respondWith(cacheFirst(request));
    return;
  }
  var kept = same && KEPT.test(url.pathname) && url.pathname !== "/shopping/add";
  if (request.mode === "navigate" || kept) {
    event.respondWith(networkFirst(request, kept, request.mode === "navigate" ? event.preloadResponse : undefined));
  }
});
