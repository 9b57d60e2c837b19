package app_test

// A real nginx with proxy_cache in front of the application, standing in
// for a CDN: the public pages shield the application, an edit shows
// within s-maxage, and a signed-in visitor never gets a cached page.

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/testutil"
)

// cdnSMaxAge is the test's RECC_CACHE_SMAXAGE: short, so that an edit
// shows within seconds instead of the default minute.
const cdnSMaxAge = time.Second

// originCounter counts the GET requests that reach the application, per
// path.
type originCounter struct {
	mu   sync.Mutex
	hits map[string]int
}

func (c *originCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			c.mu.Lock()
			c.hits[r.URL.Path]++
			c.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (c *originCounter) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits[path]
}

// cdnGet fetches url through c and returns the status, the cache's
// verdict (X-Cache-Status) and the body.
func cdnGet(t *testing.T, c *http.Client, url string, headers ...string) (int, string, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, resp.Header.Get("X-Cache-Status"), string(b), resp.Header
}

func TestCDNShieldsTheApplication(t *testing.T) {
	testutil.NginxBinary(t)
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			// Not parallel: 10 000 requests each, on a shared machine.
			cfg := testutil.Config(t, engine)
			cfg.CacheSMaxAge = cdnSMaxAge
			a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			origin := &originCounter{hits: map[string]int{}}
			ts := httptest.NewServer(origin.wrap(a.Handler()))
			t.Cleanup(func() { ts.Close(); a.Close() })
			cdn := testutil.StartNginx(t, "testdata/nginx-cdn.conf.tmpl", []string{ts.Listener.Addr().String()})

			ann := formBrowser()
			registerAt(t, ann, ts.URL, "ann")
			create := func(title, vis string) string {
				body := fmt.Sprintf(`{"title":%q,"visibility":%q,"ingredients":["200 g flour","2 eggs"],"steps":["Whisk.","Fry."]}`, title, vis)
				a := rlSend(t, ann, "POST", ts.URL+"/api/v1/recipes", "application/json", body)
				id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(a.body)
				if a.status != http.StatusCreated || id == nil {
					t.Fatalf("create %s: %d %s", title, a.status, a.body)
				}
				return id[1]
			}
			id := create("Popular omelette", "public")
			path := "/recipes/" + id

			visitors := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}
			t.Cleanup(visitors.CloseIdleConnections)
			hits, elapsed := popularRecipe(t, visitors, cdn.URL+path, "Popular omelette", 10000, 32)
			got := origin.count(path)
			// One fetch when first asked, then at most one per s-maxage
			// period (a revalidation when the copy expires), whatever the
			// number of visitors.
			limit := 2 + int(elapsed/cdnSMaxAge)
			t.Logf("%s: 10000 requests in %s through nginx (%d cache hits); the application saw %d (limit %d)",
				engine, elapsed.Round(time.Millisecond), hits, got, limit)
			if got < 1 || got > limit {
				t.Errorf("the application answered %d of 10000 requests for the recipe, want 1 to %d", got, limit)
			}

			editVisible(t, ann, visitors, ts.URL, cdn.URL, id)
			signedInNeverCached(t, ann, visitors, cdn.URL, path)
			variantsKeptApart(t, visitors, cdn.URL+path)

			// An unlisted recipe is never kept: each visit reaches the
			// application.
			unlisted := "/recipes/" + create("Secret soufflé", "unlisted")
			for range 3 {
				if status, verdict, _, _ := cdnGet(t, visitors, cdn.URL+unlisted); status != http.StatusOK || verdict == "HIT" {
					t.Errorf("unlisted recipe through the CDN: %d %s", status, verdict)
				}
			}
			if n := origin.count(unlisted); n != 3 {
				t.Errorf("the application saw %d of 3 visits to an unlisted recipe", n)
			}
		})
	}
}

// popularRecipe sends n anonymous GETs of url from workers goroutines and
// checks each answer; it returns the cache hits and the time taken.
func popularRecipe(t *testing.T, c *http.Client, url, title string, n, workers int) (int64, time.Duration) {
	t.Helper()
	var next, hits, bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				resp, err := c.Get(url)
				if err != nil {
					bad.Add(1)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), title) {
					bad.Add(1)
				}
				if resp.Header.Get("X-Cache-Status") == "HIT" {
					hits.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if bad.Load() > 0 {
		t.Fatalf("%d of %d requests failed or showed another page", bad.Load(), n)
	}
	return hits.Load(), elapsed
}

// editVisible edits the recipe and waits for the CDN to show the new
// title: within s-maxage, plus the one request that finds the copy
// expired and is answered stale while nginx fetches the new page.
func editVisible(t *testing.T, ann, visitors *http.Client, origin, cdn, id string) {
	t.Helper()
	if _, _, body, _ := cdnGet(t, visitors, cdn+"/recipes/"+id); !strings.Contains(body, "Popular omelette") {
		t.Fatal("the recipe is not in the cache before the edit")
	}
	edited := time.Now()
	a := rlSend(t, ann, "PATCH", origin+"/api/v1/recipes/"+id, "application/json", `{"title":"Famous omelette"}`)
	if a.status != http.StatusOK {
		t.Fatalf("edit: %d %s", a.status, a.body)
	}
	deadline := edited.Add(cdnSMaxAge + 3*time.Second)
	for {
		_, _, body, _ := cdnGet(t, visitors, cdn+"/recipes/"+id)
		if strings.Contains(body, "Famous omelette") {
			t.Logf("the edit showed through the CDN after %s (s-maxage %s)", time.Since(edited).Round(time.Millisecond), cdnSMaxAge)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edit did not show through the CDN within %s", cdnSMaxAge+3*time.Second)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signedInNeverCached: the signed-in author gets her own page through the
// CDN every time, never a stored one, and her page is never stored for
// anyone else.
func signedInNeverCached(t *testing.T, ann, visitors *http.Client, cdn, path string) {
	t.Helper()
	const signedIn = `action="/logout"`
	for range 3 {
		status, verdict, body, h := cdnGet(t, ann, cdn+path)
		if status != http.StatusOK || verdict == "HIT" || verdict == "STALE" || verdict == "UPDATING" || !strings.Contains(body, signedIn) {
			t.Errorf("signed-in through the CDN: %d, cache %q, signed-in page %v", status, verdict, strings.Contains(body, signedIn))
		}
		if cc := h.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
			t.Errorf("signed-in page: Cache-Control %q", cc)
		}
	}
	if _, _, body, _ := cdnGet(t, visitors, cdn+path); strings.Contains(body, signedIn) {
		t.Error("an anonymous visitor got the signed-in page from the CDN")
	}
}

// variantsKeptApart: a reader whose measures come from a cookie or the
// browser's language gets them through the cache (Vary), and the plain
// page stays as it was for everyone else.
func variantsKeptApart(t *testing.T, visitors *http.Client, url string) {
	t.Helper()
	const metric, us = "200 g", "oz"
	for _, h := range [][]string{{"Cookie", "units=us"}, {"Accept-Language", "en-US,en;q=0.8"}} {
		for range 2 {
			if _, verdict, body, _ := cdnGet(t, visitors, url, h...); !strings.Contains(body, us) {
				t.Errorf("%s: %s: %q through the cache (%s), want US measures", h[0], h[1], metric, verdict)
			}
			if _, verdict, body, _ := cdnGet(t, visitors, url); !strings.Contains(body, metric) {
				t.Errorf("after %s: %s, a plain visitor lost the written measures (%s)", h[0], h[1], verdict)
			}
		}
	}
}

// TestCDNSnippetMatchesTest: the cache rules the README gives operators are
// the ones the CDN test runs.
func TestCDNSnippetMatchesTest(t *testing.T) {
	tmpl, err := os.ReadFile("testdata/nginx-cdn.conf.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := fs.ReadFile(os.DirFS("../.."), "README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(tmpl), "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "proxy_cache") && !strings.HasPrefix(line, "proxy_no_cache") {
			continue
		}
		n++
		if strings.HasPrefix(line, "proxy_cache_path") {
			line = line[strings.Index(line, " levels="):] // the test's directory differs
		}
		if !strings.Contains(string(readme), line) {
			t.Errorf("README.md lacks the CDN rule %q", line)
		}
	}
	if n < 8 {
		t.Errorf("only %d cache rules found in the template", n)
	}
}
