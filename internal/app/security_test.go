package app_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/config"
)

// parseCSP splits a policy into directive → sources.
func parseCSP(t *testing.T, policy string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) == 0 {
			continue
		}
		name := strings.ToLower(f[0])
		if _, dup := out[name]; dup {
			t.Errorf("CSP repeats %s (browsers ignore the second): %s", name, policy)
		}
		out[name] = f[1:]
	}
	return out
}

// checkSecurityHeaders requires the site's headers and a strict policy:
// nothing inline, no eval, no wildcard or scheme-wide source anywhere (but
// data: and blob: images: icons, and the upload forms' previews), and
// the origins allowed are this site's (plus extra, the asset CDN).
func checkSecurityHeaders(t *testing.T, what string, h http.Header, extra ...string) {
	t.Helper()
	for k, v := range map[string]string{
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "strict-origin-when-cross-origin",
		"Cross-Origin-Opener-Policy": "same-origin",
	} {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
	pp := h.Get("Permissions-Policy")
	for _, want := range []string{"camera=()", "microphone=()", "geolocation=()", "payment=()", "screen-wake-lock=(self)"} {
		if !strings.Contains(pp, want) {
			t.Errorf("%s: Permissions-Policy %q lacks %s", what, pp, want)
		}
	}
	csp := parseCSP(t, h.Get("Content-Security-Policy"))
	self := append([]string{"'self'"}, extra...)
	want := map[string][]string{
		"default-src":     {"'self'"},
		"script-src":      self,
		"style-src":       self,
		"img-src":         append(slices.Clone(self), "data:", "blob:"),
		"connect-src":     {"'self'"},
		"form-action":     {"'self'"},
		"base-uri":        {"'none'"},
		"frame-ancestors": {"'none'"},
		"object-src":      {"'none'"},
	}
	for d, sources := range want {
		if got, ok := csp[d]; !ok || !slices.Equal(got, sources) {
			t.Errorf("%s: CSP %s = %v, want %v", what, d, got, sources)
		}
	}
	for d, sources := range csp {
		for _, s := range sources {
			ls := strings.ToLower(s)
			if strings.HasPrefix(ls, "'unsafe-") || strings.Contains(ls, "*") || ls == "http:" || ls == "https:" ||
				ls == "'strict-dynamic'" || ((ls == "data:" || ls == "blob:") && d != "img-src") {
				t.Errorf("%s: CSP %s allows %s", what, d, s)
			}
		}
	}
}

var stylesheetRE = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`)

// Every kind of answer carries the headers: pages, API JSON, problems,
// static files, not-found pages, health and version, refused methods.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	ts := rlStartApp(t, nil, nil)
	c := rlClientFrom("127.0.0.1")
	html := []string{"Accept", "text/html"}
	home := rlSend(t, c, "GET", ts.URL+"/", "", "", html...)
	m := stylesheetRE.FindStringSubmatch(home.body)
	if m == nil {
		t.Fatalf("no stylesheet link on the home page")
	}
	for _, tc := range []struct {
		what, method, path string
		status             int
		headers            []string
	}{
		{"page", "GET", "/", 200, html},
		{"about page", "GET", "/about", 200, html},
		{"login page", "GET", "/login", 200, html},
		{"API JSON", "GET", "/api/v1/recipes", 200, nil},
		{"OpenAPI", "GET", "/api/v1/openapi.json", 200, nil},
		{"API problem 401", "POST", "/api/v1/recipes", 401, nil},
		{"API problem 404", "GET", "/api/v1/nothing", 404, nil},
		{"API 405", "DELETE", "/api/v1/openapi.json", 405, nil},
		{"static asset", "GET", m[1], 200, nil},
		{"missing static file", "GET", "/static/nothing.css", 404, nil},
		{"not-found page", "GET", "/no/such/page", 404, html},
		{"healthz", "GET", "/healthz", 200, nil},
		{"readyz", "GET", "/readyz", 200, nil},
		{"version", "GET", "/version", 200, nil},
		{"favicon redirect", "GET", "/favicon.ico", 301, nil},
	} {
		a := rlSend(t, c, tc.method, ts.URL+tc.path, "", "", tc.headers...)
		if a.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.what, a.status, tc.status)
		}
		checkSecurityHeaders(t, tc.what, a.header)
	}
}

// With a CDN for static files, its origin (not its path) may serve
// scripts, styles and images, and nothing else changes.
func TestSecurityHeadersWithAssetCDN(t *testing.T) {
	ts := rlStartApp(t, nil, func(c *config.Config) { c.AssetBaseURL = "https://cdn.example.test/recc" })
	a := rlSend(t, rlClientFrom("127.0.0.1"), "GET", ts.URL+"/", "", "", "Accept", "text/html")
	checkSecurityHeaders(t, "page with CDN", a.header, "https://cdn.example.test")
	if !strings.Contains(a.body, `src="https://cdn.example.test/recc/static/app.`) {
		t.Errorf("page does not load app.js from the CDN")
	}
}

// The pages themselves hold nothing the policy would block: no inline
// script (JSON-LD data aside), no style attribute or element, no inline
// event handler.
func TestPagesHaveNothingInline(t *testing.T) {
	ts := rlStartApp(t, nil, nil)
	c := rlClientFrom("127.0.0.1")
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	for _, path := range []string{"/", "/about", "/login", "/register", "/recipes", "/recipes?q=soup", "/no/such/page"} {
		a := rlSend(t, c, "GET", ts.URL+path, "", "", "Accept", "text/html")
		for _, tag := range inlineScript.FindAllString(a.body, -1) {
			if !strings.Contains(tag, " src=") && !strings.Contains(tag, `type="application/ld+json"`) {
				t.Errorf("%s: inline script %s", path, tag)
			}
		}
		if regexp.MustCompile(`(?i)<style|\sstyle=|\son[a-z]+=`).MatchString(a.body) {
			t.Errorf("%s: inline style or event handler in the page", path)
		}
	}
}
