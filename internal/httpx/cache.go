package httpx

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// StaleWhileRevalidate is how long past its s-maxage a shared cache may
// still serve a public page while it fetches a fresh copy in the
// background: visitors never wait for the origin, and an origin outage of
// up to ten minutes goes unnoticed on the public pages.
const StaleWhileRevalidate = 10 * time.Minute

// PublicCacheControl is the Cache-Control of a page that is the same for
// every anonymous visitor. A shared cache (CDN) keeps it for sMaxAge;
// browsers get max-age=0 and revalidate each time (a 304 from the CDN
// costs a round trip and no body), so a visitor who signs in, or the
// author who has just edited the recipe, never sees a copy the browser
// kept from before.
func PublicCacheControl(sMaxAge time.Duration) string {
	return "public, max-age=0, s-maxage=" + strconv.Itoa(int(sMaxAge/time.Second)) +
		", stale-while-revalidate=" + strconv.Itoa(int(StaleWhileRevalidate/time.Second))
}

// SharedCacheable reports whether a shared cache may store an answer
// with Cache-Control cc (RFC 9111): anything but private or no-store. An
// absent header counts as storable, since caches may apply heuristics.
func SharedCacheable(cc string) bool {
	for _, d := range strings.Split(cc, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(d), "=")
		switch strings.ToLower(name) {
		case "private", "no-store":
			return false
		}
	}
	return true
}

// Private turns Cache-Control cc into one no shared cache may store:
// "public" becomes "private", the shared-cache directives go, and what
// remains for the browser (max-age, immutable, no-cache) stays. An empty
// value becomes "private, no-cache".
func Private(cc string) string {
	if !SharedCacheable(cc) {
		return cc
	}
	out := []string{"private"}
	for _, d := range strings.Split(cc, ",") {
		d = strings.TrimSpace(d)
		name, _, _ := strings.Cut(d, "=")
		switch strings.ToLower(name) {
		case "", "public", "s-maxage", "proxy-revalidate", "stale-while-revalidate", "stale-if-error":
			continue
		}
		out = append(out, d)
	}
	if len(out) == 1 {
		out = append(out, "no-cache")
	}
	return strings.Join(out, ", ")
}

// AddVary adds request header names to the answer's Vary, as one header
// line: caches such as nginx before 1.23 read only the first Vary line,
// and would serve a page that varies by cookie to every cookie.
func AddVary(h http.Header, names ...string) {
	var all []string
	for _, v := range append(h.Values("Vary"), names...) {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name != "" && !slices.ContainsFunc(all, func(s string) bool { return strings.EqualFold(s, name) }) {
				all = append(all, name)
			}
		}
	}
	h.Set("Vary", strings.Join(all, ", "))
}
