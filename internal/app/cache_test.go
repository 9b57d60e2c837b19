package app_test

// Which answers a shared cache (a CDN) may keep, route by route: the
// public pages for anonymous visitors, and nothing that belongs to anyone.

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// cdnPublic is what an anonymous visitor's public page says with the
// default RECC_CACHE_SMAXAGE (60s).
const cdnPublic = "public, max-age=0, s-maxage=60, stale-while-revalidate=600"

// cdnPages are the routes a CDN serves to anonymous visitors; for a recipe
// only when the recipe is public. The Vary they need besides Cookie and
// Accept-Encoding: a recipe's measures follow the browser's language.
var cdnPages = map[string][]string{
	"GET /{$}":               nil,
	"GET /about":             nil,
	"GET /recipes":           nil,
	"GET /recipes/{id}":      {"Accept-Language"},
	"GET /recipes/{id}/cook": {"Accept-Language"},
	"GET /u/{username}":      nil,
	// A profile's followers and following lists, public as it is.
	"GET /u/{username}/followers": nil,
	"GET /u/{username}/following": nil,
	// A public recipe's comments, as its page.
	"GET /recipes/{id}/comments": nil,
}

// sameForEveryone may be shared-cacheable for anybody: content-hashed
// files and documents that hold nothing of any user. Static files are
// served before authentication and stay public even for a signed-in
// browser; the others are made private once a request has credentials.
var sameForEveryone = map[string]bool{
	"GET /static/{file...}":     true,
	"GET /favicon.ico":          true,
	"GET /manifest.webmanifest": false,
	"GET /sw.js":                false,
	"GET /api/v1/openapi.json":  false,
	"GET /media/{key...}":       false,
}

// sharedStorable says whether a shared cache may store an answer with
// these headers (RFC 9111 §3): unless it says private or no-store, a
// cache may keep it, explicitly or by heuristics.
func sharedStorable(h http.Header) bool {
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(d), "=")
		if n := strings.ToLower(name); n == "private" || n == "no-store" {
			return false
		}
	}
	return true
}

func varies(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

// routeRequest is one concrete request for a route pattern.
type routeRequest struct {
	pattern, method, path, variant string
}

var wildcardRE = regexp.MustCompile(`\{[^}]*\}`)

// requestsFor turns every pattern into requests: a recipe route once per
// visibility, other wildcards filled with what exists (ann, an asset) or
// with a name that does not, and a route without a method as GET and POST.
// Routes that sign out come last, so the signed-in browser stays signed in
// for the others.
func requestsFor(patterns []string, recipes map[string]string, asset string) []routeRequest {
	var out []routeRequest
	for _, pattern := range patterns {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			method, path = "", pattern
		}
		methods := []string{method}
		if method == "" {
			methods = []string{"GET", "POST"}
		}
		variants := map[string]string{"": "nope"}
		if strings.Contains(path, "/recipes/{id}") {
			variants = recipes
		}
		for _, m := range methods {
			for variant, id := range variants {
				p := strings.ReplaceAll(path, "{$}", "")
				p = strings.ReplaceAll(p, "{id}", id)
				p = strings.ReplaceAll(p, "{username}", "ann")
				p = strings.ReplaceAll(p, "{file...}", asset)
				p = wildcardRE.ReplaceAllString(p, "nope")
				if strings.HasSuffix(p, "/") && p != "/" {
					p += "no-such-page" // a catch-all such as "/api/"
				} else if p == "/" && pattern == "/" {
					p = "/no-such-page"
				}
				out = append(out, routeRequest{pattern: pattern, method: m, path: p, variant: variant})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b routeRequest) int {
		return boolInt(strings.Contains(a.path, "logout")) - boolInt(strings.Contains(b.path, "logout"))
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestEveryRouteCacheability walks every route the application serves, as
// an anonymous visitor and as a signed-in author: only the public pages
// (and files the same for everyone) may be kept by a shared cache, with
// the headers a CDN needs and 304 for a revalidation; nothing for a
// signed-in user, nothing unlisted or private, no error.
func TestEveryRouteCacheability(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, engine)
			routes := srv.App.Routes()
			if len(routes) < 50 {
				t.Fatalf("only %d routes listed: %q", len(routes), routes)
			}
			for p := range cdnPages {
				if !slices.Contains(routes, p) {
					t.Errorf("cdnPages names %q, which is no route", p)
				}
			}
			for p := range sameForEveryone {
				if !slices.Contains(routes, p) {
					t.Errorf("sameForEveryone names %q, which is no route", p)
				}
			}

			ann := formBrowser()
			registerAt(t, ann, srv.URL, "ann")
			recipes := map[string]string{}
			for _, vis := range []string{"public", "unlisted", "private"} {
				body := fmt.Sprintf(`{"title":"A %s pie","visibility":%q,"ingredients":["1 cup flour"],"steps":["Bake."]}`, vis, vis)
				a := rlSend(t, ann, "POST", srv.URL+"/api/v1/recipes", "application/json", body)
				id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(a.body)
				if a.status != http.StatusCreated || id == nil {
					t.Fatalf("create %s recipe: %d %s", vis, a.status, a.body)
				}
				recipes[vis] = id[1]
			}
			home := rlSend(t, http.DefaultClient, "GET", srv.URL+"/", "", "")
			asset := regexp.MustCompile(`/static/([^"?]+\.css)`).FindStringSubmatch(home.body)
			if asset == nil {
				t.Fatal("no stylesheet on the home page")
			}
			reqs := requestsFor(routes, recipes, asset[1])

			anon := &http.Client{CheckRedirect: formBrowser().CheckRedirect}
			shared := 0
			for _, rq := range reqs {
				a := rlSend(t, anon, rq.method, srv.URL+rq.path, "", "")
				name := fmt.Sprintf("anonymous %s %s (%s)", rq.method, rq.path, rq.pattern)
				vary, public := cdnPages[rq.pattern]
				public = public && rq.method == "GET" && (rq.variant == "" || rq.variant == "public")
				switch {
				case public:
					shared++
					checkCDNPage(t, anon, srv.URL+rq.path, name, a, vary)
				case hasKey(sameForEveryone, rq.pattern):
				case anonymousJSON(rq, a):
				case sharedStorable(a.header):
					t.Errorf("%s: %d with Cache-Control %q: a shared cache may keep it", name, a.status, a.header.Get("Cache-Control"))
				}
				if len(a.header.Values("Set-Cookie")) > 0 && sharedStorable(a.header) {
					t.Errorf("%s: sets a cookie on a shareable answer", name)
				}
			}
			if shared != len(cdnPages) {
				t.Errorf("%d public pages checked, want %d", shared, len(cdnPages))
			}

			signedIn := func() bool { return rlSend(t, ann, "GET", srv.URL+"/api/v1/me", "", "").status == http.StatusOK }
			if !signedIn() {
				t.Fatal("ann is not signed in")
			}
			checked := false
			for _, rq := range reqs {
				if strings.Contains(rq.path, "logout") && !checked {
					// Every other route was asked with a live session.
					if !signedIn() {
						t.Fatalf("signed out before %s %s", rq.method, rq.path)
					}
					checked = true
				}
				a := rlSend(t, ann, rq.method, srv.URL+rq.path, "", "")
				if sharedStorable(a.header) && !sameForEveryone[rq.pattern] {
					t.Errorf("signed-in %s %s (%s): %d with Cache-Control %q: a shared cache may keep it",
						rq.method, rq.path, rq.pattern, a.status, a.header.Get("Cache-Control"))
				}
			}
		})
	}
}

// anonymousJSON: an API read answered 200 to an anonymous client without
// a word on caching is the same for every anonymous client (public
// recipes, profiles); no cache keeps it without being told to, and none
// may hand it to a client with credentials (the CDN bypasses those).
func anonymousJSON(rq routeRequest, a rlAnswer) bool {
	return rq.method == "GET" && strings.HasPrefix(rq.path, "/api/") && a.status == http.StatusOK &&
		a.header.Get("Cache-Control") == ""
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// checkCDNPage checks a public page's answer a to an anonymous GET of url:
// the CDN policy, a strong ETag, the Vary it needs, no cookie, and 304 to
// a revalidation with the same headers.
func checkCDNPage(t *testing.T, c *http.Client, url, name string, a rlAnswer, vary []string) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Errorf("%s: status %d", name, a.status)
		return
	}
	if cc := a.header.Get("Cache-Control"); cc != cdnPublic {
		t.Errorf("%s: Cache-Control %q, want %q", name, cc, cdnPublic)
	}
	etag := a.header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{16,}(-gzip)?"$`).MatchString(etag) {
		t.Errorf("%s: ETag %q, want a strong one", name, etag)
	}
	for _, v := range append([]string{"Cookie", "Accept-Encoding"}, vary...) {
		if !varies(a.header, v) {
			t.Errorf("%s: Vary %q lacks %s", name, a.header.Values("Vary"), v)
		}
	}
	if n := len(a.header.Values("Vary")); n != 1 {
		t.Errorf("%s: %d Vary lines, want one (some caches read only the first)", name, n)
	}
	if varies(a.header, "Accept-Language") && len(vary) == 0 {
		t.Errorf("%s: Vary %q names Accept-Language, which the page does not depend on", name, a.header.Values("Vary"))
	}
	if len(a.header.Values("Set-Cookie")) > 0 {
		t.Errorf("%s: sets a cookie", name)
	}
	// Nothing per request: no nonce in the policy, no token in a form.
	// (The 304 below shows that a second request renders the same bytes.)
	if csp := a.header.Get("Content-Security-Policy"); strings.Contains(csp, "nonce-") {
		t.Errorf("%s: a per-request nonce in a cacheable page's policy: %s", name, csp)
	}
	if regexp.MustCompile(`(?i)name="(csrf|_csrf|csrf_token|authenticity_token)"`).MatchString(a.body) {
		t.Errorf("%s: a CSRF token in a cacheable page", name)
	}
	nm := rlSend(t, c, "GET", url, "", "", "If-None-Match", etag)
	if nm.status != http.StatusNotModified || nm.body != "" || nm.header.Get("ETag") != etag || nm.header.Get("Cache-Control") != cdnPublic {
		t.Errorf("%s: revalidation got %d, %d bytes, ETag %q, Cache-Control %q", name, nm.status, len(nm.body),
			nm.header.Get("ETag"), nm.header.Get("Cache-Control"))
	}
}
