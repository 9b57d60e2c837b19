package ui_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/testutil"
)

// cachingSite is a site with a few recipes and two signed-in people, for
// the transport tests.
func cachingSite(t *testing.T) (s *site, ann *browser, recipeID string) {
	t.Helper()
	s = newSite(t, "sqlite")
	ann = s.register(t, "ann")
	recipeID = ann.createRecipe(t, simpleRecipe("Caching casserole", "public"))
	ann.createRecipe(t, simpleRecipe("Second supper", "public"))
	ann.follow(t, ann.get(t, "/")) // use up the flash
	return s, ann, recipeID
}

func TestPagesRevalidateWithETags(t *testing.T) {
	t.Parallel()
	s, ann, id := cachingSite(t)
	anon := s.browser()
	const public = "public, max-age=0, s-maxage=60, stale-while-revalidate=600"
	pages := []struct {
		who  *browser
		path string
		cc   string
	}{
		{anon, "/", public}, {anon, "/about", public}, {anon, "/recipes", public}, {anon, "/recipes?q=casserole", public},
		{anon, "/recipes/" + id, public}, {anon, "/recipes/" + id + "/cook?step=2", public},
		{anon, "/login", "private, no-cache"}, {anon, "/register", "private, no-cache"}, {anon, "/u/ann", public},
		{ann, "/", "private, no-cache"}, {ann, "/settings", "private, no-cache"}, {ann, "/recipes/new", "private, no-cache"},
		{ann, "/recipes/" + id, "private, no-cache"}, {ann, "/recipes/" + id + "/edit", "private, no-cache"},
	}
	for _, p := range pages {
		r := p.who.get(t, p.path).want(t, http.StatusOK)
		etag := r.header.Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]+"$`).MatchString(etag) {
			t.Errorf("%s: ETag %q, want a strong quoted tag", p.path, etag)
			continue
		}
		if cc := r.header.Get("Cache-Control"); cc != p.cc {
			t.Errorf("%s: Cache-Control %q, want %s", p.path, cc, p.cc)
		}
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			nm := p.who.get(t, p.path, withHeader("If-None-Match", inm))
			if nm.status != http.StatusNotModified {
				t.Errorf("%s with If-None-Match %s: status %d, want 304", p.path, inm, nm.status)
				continue
			}
			if len(nm.body) != 0 {
				t.Errorf("%s: 304 with a %d-byte body", p.path, len(nm.body))
			}
			if nm.header.Get("ETag") != etag {
				t.Errorf("%s: 304 carries ETag %q, want %q", p.path, nm.header.Get("ETag"), etag)
			}
		}
		if r2 := p.who.get(t, p.path, withHeader("If-None-Match", `"something-else"`)); r2.status != http.StatusOK || !bytes.Equal(r2.body, r.body) {
			t.Errorf("%s: a stale ETag got %d", p.path, r2.status)
		}
	}
	// The same URL is a different page for someone else, with another tag.
	a, b := anon.get(t, "/"), ann.get(t, "/")
	if a.header.Get("ETag") == b.header.Get("ETag") {
		t.Error("anonymous and signed-in home pages share an ETag")
	}
	ann.get(t, "/", withHeader("If-None-Match", a.header.Get("ETag"))).want(t, http.StatusOK)

	// Error pages are never "not modified".
	nf := anon.get(t, "/nowhere").want(t, http.StatusNotFound)
	anon.get(t, "/nowhere", withHeader("If-None-Match", nf.header.Get("ETag"))).want(t, http.StatusNotFound)
	bad := anon.get(t, "/recipes?max_minutes=x").want(t, http.StatusBadRequest)
	anon.get(t, "/recipes?max_minutes=x", withHeader("If-None-Match", bad.header.Get("ETag"))).want(t, http.StatusBadRequest)

	// A page that changes gets a new tag.
	before := anon.get(t, "/recipes/"+id).header.Get("ETag")
	f := simpleRecipe("Caching casserole, revised", "public")
	ann.post(t, "/recipes/"+id+"/edit", f.values()).want(t, http.StatusSeeOther)
	ann.follow(t, ann.get(t, "/")) // use up the flash
	anon.get(t, "/recipes/"+id, withHeader("If-None-Match", before)).want(t, http.StatusOK)
}

func TestPagesAreGzipped(t *testing.T) {
	t.Parallel()
	s, ann, id := cachingSite(t)
	anon := s.browser()
	for _, p := range []struct {
		who  *browser
		path string
	}{{anon, "/"}, {anon, "/recipes"}, {anon, "/recipes/" + id}, {anon, "/about"}, {anon, "/nope"}, {ann, "/settings"}} {
		plain := p.who.get(t, p.path)
		if plain.header.Get("Content-Encoding") != "" {
			t.Errorf("%s: encoded without Accept-Encoding", p.path)
		}
		if len(plain.body) <= 1024 {
			t.Fatalf("%s: only %d bytes; pick a larger page", p.path, len(plain.body))
		}
		gz := p.who.get(t, p.path, withHeader("Accept-Encoding", "gzip, deflate, br"))
		if gz.status != plain.status || gz.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: status %d, Content-Encoding %q", p.path, gz.status, gz.header.Get("Content-Encoding"))
			continue
		}
		if !varyHas(gz.header, "Accept-Encoding") || !varyHas(plain.header, "Accept-Encoding") {
			t.Errorf("%s: Vary %q / %q", p.path, gz.header.Values("Vary"), plain.header.Values("Vary"))
		}
		if got := gunzip(t, gz.body); !bytes.Equal(got, plain.body) {
			t.Errorf("%s: the gzip body decompresses to something else (%d vs %d bytes)", p.path, len(got), len(plain.body))
		}
		if len(gz.body) >= len(plain.body)/2 {
			t.Errorf("%s: gzip %d bytes of %d", p.path, len(gz.body), len(plain.body))
		}
		if plain.status == http.StatusOK {
			etag := gz.header.Get("ETag")
			// A strong tag of its own: the bytes differ.
			if etag != strings.TrimSuffix(plain.header.Get("ETag"), `"`)+`-gzip"` {
				t.Errorf("%s: gzip ETag %q, identity %q", p.path, etag, plain.header.Get("ETag"))
			}
			nm := p.who.get(t, p.path, withHeader("Accept-Encoding", "gzip"), withHeader("If-None-Match", etag))
			if nm.status != http.StatusNotModified || len(nm.body) != 0 {
				t.Errorf("%s: revalidating the gzip page: %d, %d bytes", p.path, nm.status, len(nm.body))
			}
		}
		// q=0 refuses gzip.
		if r := p.who.get(t, p.path, withHeader("Accept-Encoding", "gzip;q=0")); r.header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip sent although refused", p.path)
		}
	}
	// A bodiless redirect stays as it is.
	r := ann.post(t, "/settings/profile", url.Values{"display_name": {"Ann"}, "email": {"ann@example.test"}}, withHeader("Accept-Encoding", "gzip"))
	r.want(t, http.StatusSeeOther)
}

func varyHas(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

// pageAssets lists the static files a page loads: stylesheets, icons,
// scripts and images.
func pageAssets(t testing.TB, r *resp) []string {
	t.Helper()
	var out []string
	d := r.doc(t)
	for _, l := range d.all("link[href]") {
		rel := " " + strings.ToLower(l.get("rel")) + " "
		// The web app manifest is the site's own (manifest.go): its
		// scope and share target are paths of this origin.
		if l.get("href") == "/manifest.webmanifest" {
			continue
		}
		for _, fetched := range []string{" stylesheet ", " icon ", " preload ", " modulepreload ", " manifest ", " apple-touch-icon ", " mask-icon "} {
			if strings.Contains(rel, fetched) {
				out = append(out, l.get("href"))
				break
			}
		}
	}
	for _, sel := range []string{"script[src]", "img[src]", "source[src]", "audio[src]", "video[src]", "iframe[src]", "embed[src]", "input[src]"} {
		for _, e := range d.all(sel) {
			out = append(out, e.get("src"))
		}
	}
	for _, e := range d.all("img[srcset]") {
		for _, part := range strings.Split(e.get("srcset"), ",") {
			if f := strings.Fields(part); len(f) > 0 {
				out = append(out, f[0])
			}
		}
	}
	return out
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	s, ann, id := cachingSite(t)
	anon := s.browser()
	assets := map[string]bool{}
	for _, p := range []struct {
		who  *browser
		path string
	}{{anon, "/"}, {anon, "/recipes"}, {anon, "/recipes/" + id}, {anon, "/recipes/" + id + "/cook"}, {anon, "/login"},
		{anon, "/nope"}, {ann, "/recipes/new"}, {ann, "/settings"}} {
		r := p.who.get(t, p.path)
		found := pageAssets(t, r)
		if len(found) < 3 {
			t.Errorf("%s references only %q", p.path, found)
		}
		for _, a := range found {
			assets[a] = true
		}
		// The stylesheet and the scripts are there on every page.
		d := r.doc(t)
		if len(d.all(`link[rel="stylesheet"]`)) != 1 || len(d.all("script[src]")) < 1 {
			t.Errorf("%s: stylesheet or scripts missing", p.path)
		}
		for _, sc := range d.all("script[src]") {
			if !sc.has("defer") && !sc.has("async") && sc.get("type") != "module" {
				t.Errorf("%s: script %s blocks rendering", p.path, sc.get("src"))
			}
		}
	}
	wantType := map[string]string{"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"}
	var urls []string
	for a := range assets {
		urls = append(urls, a)
	}
	sort.Strings(urls)
	for _, a := range urls {
		m := assetURL.FindStringSubmatch(a)
		if m == nil {
			t.Errorf("asset URL %q is not /static/<name>.<16 hex>.<ext>", a)
			continue
		}
		r := anon.get(t, a)
		if r.status != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", a, r.status)
			continue
		}
		if cc := r.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", a, cc)
		}
		if ct := r.header.Get("Content-Type"); ct != wantType[m[3]] {
			t.Errorf("%s: Content-Type %q, want %q", a, ct, wantType[m[3]])
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", a)
		}
		gz := anon.get(t, a, withHeader("Accept-Encoding", "gzip"))
		// Text is sent compressed; a PNG is compressed already.
		if m[3] != "png" && (m[3] != "svg" || len(r.body) > 1024) {
			if gz.header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: not gzip-encoded when accepted", a)
				continue
			}
		}
		if gz.header.Get("Content-Encoding") == "gzip" {
			if !bytes.Equal(gunzip(t, gz.body), r.body) {
				t.Errorf("%s: gzip body differs", a)
			}
			if !varyHas(gz.header, "Accept-Encoding") {
				t.Errorf("%s: gzip answer without Vary: Accept-Encoding", a)
			}
		}
		if head := anon.do(t, http.MethodHead, a, nil); head.status != http.StatusOK || len(head.body) != 0 {
			t.Errorf("HEAD %s: %d with %d bytes", a, head.status, len(head.body))
		}
	}

	for _, bad := range []string{"/static/nope.css", "/static/app.css", "/static/app.0000000000000000.css", "/static/", "/static/../go.mod",
		"/static/vendor/nope.js", "/static/%2e%2e/ui.go"} {
		// 404, or the router's redirect to the cleaned path (which then
		// is not a static file).
		r := anon.get(t, bad)
		if r.status >= 300 && r.status < 400 {
			r = anon.follow(t, r)
		}
		if r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, r.status)
		}
	}
}

// TestNoThirdPartyHosts: pages load nothing from other sites.
func TestNoThirdPartyHosts(t *testing.T) {
	t.Parallel()
	s, ann, id := cachingSite(t)
	anon := s.browser()
	base, _ := url.Parse(s.URL)
	for _, p := range []struct {
		who  *browser
		path string
	}{{anon, "/"}, {anon, "/about"}, {anon, "/recipes"}, {anon, "/recipes/" + id}, {anon, "/recipes/" + id + "/cook"},
		{anon, "/login"}, {anon, "/register"}, {anon, "/u/ann"}, {anon, "/nope"}, {ann, "/"}, {ann, "/settings"}, {ann, "/recipes/new"},
		{ann, "/recipes/" + id + "/edit"}} {
		r := p.who.get(t, p.path)
		for _, a := range pageAssets(t, r) {
			u, err := url.Parse(a)
			if err != nil || (u.Host != "" && u.Host != base.Host) || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
				t.Errorf("%s loads %q from elsewhere", p.path, a)
			}
		}
		// Forms post to this site.
		for _, f := range r.doc(t).all("form") {
			if u, err := url.Parse(f.get("action")); err != nil || u.Host != "" {
				t.Errorf("%s: form posts to %q", p.path, f.get("action"))
			}
		}
		// No inline style or script URLs reach out either.
		for _, m := range regexp.MustCompile(`(?i)(?:url\(|@import\s+)["']?(?:https?:)?//[^)"'\s]+`).FindAllString(r.String(), -1) {
			t.Errorf("%s: %s", p.path, m)
		}
	}
	// Nor do the stylesheet and scripts.
	for _, a := range pageAssets(t, anon.get(t, "/")) {
		if !strings.HasSuffix(a, ".css") && !strings.HasSuffix(a, ".js") {
			continue
		}
		body := anon.get(t, a).String()
		for _, m := range regexp.MustCompile(`(?i)(?:url\(|@import\s+)["']?(?:https?:)?//[^)"'\s]+`).FindAllString(body, -1) {
			t.Errorf("%s refers to %s", a, m)
		}
	}
}

// TestAssetBaseURL: with RECC_ASSET_BASE_URL, pages load static files from
// the CDN, which fetches them from this server's /static/.
func TestAssetBaseURL(t *testing.T) {
	t.Parallel()
	cfg := testutil.Config(t, "sqlite")
	cfg.AssetBaseURL = "https://cdn.example.test"
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	s := wrapSite(t, &testutil.Server{URL: ts.URL, App: a, Store: a.Store(), HTTP: ts}, "sqlite")
	anon := s.browser()
	r := anon.get(t, "/").want(t, http.StatusOK)
	found := pageAssets(t, r)
	if len(found) < 3 {
		t.Fatalf("assets %q", found)
	}
	for _, u := range found {
		path, ok := strings.CutPrefix(u, cfg.AssetBaseURL)
		if !ok || !assetURL.MatchString(path) {
			t.Errorf("asset %q does not start with %s/static/", u, cfg.AssetBaseURL)
			continue
		}
		anon.get(t, path).want(t, http.StatusOK)
	}
	// The favicon redirect points there too.
	if loc := anon.get(t, "/favicon.ico").want(t, http.StatusMovedPermanently).location(t); !strings.HasPrefix(loc, cfg.AssetBaseURL+"/static/") {
		t.Errorf("favicon.ico redirects to %q", loc)
	}
	// Another origin may use the files (fonts and module scripts need CORS).
	css := found[0]
	for _, u := range found {
		if strings.HasSuffix(u, ".css") {
			css = u
		}
	}
	if h := anon.get(t, strings.TrimPrefix(css, cfg.AssetBaseURL)).header.Get("Access-Control-Allow-Origin"); h != "*" {
		t.Errorf("Access-Control-Allow-Origin %q", h)
	}
}

// TestPageWeight: the landing page, the browse page and a recipe page,
// with their stylesheet and scripts, stay under 100 KB as sent (gzip).
func TestPageWeight(t *testing.T) {
	t.Parallel()
	s, ann, id := cachingSite(t)
	for i := range 10 {
		ann.createRecipe(t, simpleRecipe("Weighty recipe number "+string(rune('A'+i)), "public"))
	}
	anon := s.browser()
	total := 0
	assets := map[string]bool{}
	for _, path := range []string{"/", "/recipes", "/recipes/" + id} {
		r := anon.get(t, path, withHeader("Accept-Encoding", "gzip")).want(t, http.StatusOK)
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s not gzip-encoded", path)
		}
		t.Logf("%-40s %6d bytes gzip", path, len(r.body))
		total += len(r.body)
		r.tree = parseHTML(t, gunzip(t, r.body), path)
		for _, a := range pageAssets(t, r) {
			if strings.HasSuffix(a, ".css") || strings.HasSuffix(a, ".js") {
				assets[a] = true
			}
		}
	}
	if len(assets) < 2 {
		t.Errorf("found only %d stylesheets and scripts", len(assets))
	}
	for a := range assets {
		r := anon.get(t, a, withHeader("Accept-Encoding", "gzip"))
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", a, r.status)
			continue
		}
		t.Logf("%-40s %6d bytes %s", a, len(r.body), r.header.Get("Content-Encoding"))
		total += len(r.body)
	}
	t.Logf("total %d bytes", total)
	if total >= 100_000 {
		t.Errorf("three pages with their CSS and JS weigh %d bytes gzip, want under 100 KB", total)
	}
}
