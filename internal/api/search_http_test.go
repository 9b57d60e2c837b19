package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// startServerWith is testutil.StartServer with the configuration adjusted
// first.
func startServerWith(t *testing.T, engine string, configure func(*config.Config)) *server {
	t.Helper()
	return &server{Server: testutil.StartServerWith(t, engine, configure), engine: engine}
}

// getRaw is a GET that may answer 5xx, for the tests of 503 answers.
func getRaw(t *testing.T, base, path, accept string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", accept)
	res, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(body)
}

func TestSearchLimits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		cook := s.apiClient(t, "cook")
		for _, title := range []string{"Apple Pie", "Beef Stew"} {
			cook.createRecipe(t, map[string]any{"title": title, "visibility": "public", "ingredients": []string{"1 apple"}})
		}
		anon := s.anon()

		t.Run("26 one-letter words search for nothing and say so", func(t *testing.T) {
			letters := strings.Join(strings.Split("abcdefghijklmnopqrstuvwxyz", ""), " ")
			res := anon.do(t, "GET", "/api/v1/recipes?q="+url.QueryEscape(letters), nil).want(t, http.StatusOK)
			var out struct {
				Items []struct {
					Title string `json:"title"`
				} `json:"items"`
				IgnoredTerms []string `json:"ignored_terms"`
			}
			res.decode(t, &out)
			if len(out.IgnoredTerms) != 26 || out.IgnoredTerms[0] != "a" || out.IgnoredTerms[25] != "z" {
				t.Errorf("ignored_terms = %q, want the 26 letters", out.IgnoredTerms)
			}
			if len(out.Items) != 2 {
				t.Errorf("items = %v, want both recipes (nothing was searched)", out.Items)
			}
			// A search with nothing ignored does not carry the field.
			res = anon.do(t, "GET", "/api/v1/recipes?q=stew", nil).want(t, http.StatusOK)
			var keys map[string]json.RawMessage
			res.decode(t, &keys)
			if _, ok := keys["ignored_terms"]; ok {
				t.Errorf("ignored_terms present without ignored words: %s", res)
			}
		})

		t.Run("a corrected typo is reported, and exact=true searches as typed", func(t *testing.T) {
			var out struct {
				Items []struct {
					Title string `json:"title"`
				} `json:"items"`
				Corrections []struct{ Term, Word string } `json:"corrections"`
			}
			anon.do(t, "GET", "/api/v1/recipes?q=appple", nil).want(t, http.StatusOK).decode(t, &out)
			if len(out.Items) != 2 || len(out.Corrections) != 1 || out.Corrections[0].Term != "appple" || out.Corrections[0].Word != "apple" {
				t.Errorf("q=appple: %+v, want both recipes (their apple) and the correction appple → apple", out)
			}
			out.Items, out.Corrections = nil, nil
			anon.do(t, "GET", "/api/v1/recipes?q=appple&exact=true", nil).want(t, http.StatusOK).decode(t, &out)
			if len(out.Items) != 0 || len(out.Corrections) != 0 {
				t.Errorf("exact: %+v, want nothing", out)
			}
			anon.do(t, "GET", "/api/v1/recipes?q=appple&exact=yes", nil).want(t, http.StatusBadRequest)
		})

		t.Run("a search over the limits is 400 naming q", func(t *testing.T) {
			for name, q := range map[string]string{
				"eleven words":     "one two three four five six seven eight nine ten eleven",
				"26 two-letter":    "aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq rr ss tt uu vv ww xx yy zz",
				"a 41-letter word": strings.Repeat("x", 41),
				"201 characters":   strings.Repeat("stew ", 40) + "x",
			} {
				t.Run(name, func(t *testing.T) {
					p := anon.do(t, "GET", "/api/v1/recipes?q="+url.QueryEscape(q), nil).wantProblem(t, http.StatusBadRequest, "q")
					if len(p.Errors) != 1 || p.Errors[0].Message == "" {
						t.Errorf("errors = %v, want one message for q", p.Errors)
					}
				})
			}
			// Repeated words count once: ten different words pass.
			anon.list(t, "q="+url.QueryEscape("one two three four five six seven eight nine ten one two three"))
		})
	})
}

// A search past its time budget answers 503 with Retry-After, as a
// problem for the API and as the search page for browsers; nothing else
// is refused.
func TestSearchOverBudget(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			// A budget so small that every search has spent it before it
			// starts.
			s := startServerWith(t, engine, func(c *config.Config) { c.SearchTimeout = time.Nanosecond })
			cook := s.apiClient(t, "cook")
			cook.createRecipe(t, map[string]any{"title": "Beef Stew", "visibility": "public"})

			status, h, body := getRaw(t, s.URL, "/api/v1/recipes?q=stew", "application/json")
			if status != http.StatusServiceUnavailable || h.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("API search: %d %s %s", status, h.Get("Content-Type"), body)
			}
			if secs, err := strconv.Atoi(h.Get("Retry-After")); err != nil || secs < 1 {
				t.Errorf("API search: Retry-After %q", h.Get("Retry-After"))
			}
			if !strings.Contains(body, "took too long") {
				t.Errorf("API search: detail does not say why: %s", body)
			}

			status, h, body = getRaw(t, s.URL, "/recipes?q=stew", "text/html")
			if status != http.StatusServiceUnavailable || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("Retry-After") == "" {
				t.Fatalf("search page: %d %s Retry-After %q", status, h.Get("Content-Type"), h.Get("Retry-After"))
			}
			if !strings.Contains(body, "This search took too long") || !strings.Contains(body, `value="stew"`) {
				t.Errorf("search page does not explain the stop or lost the search box: %s", body)
			}

			// Lists without a search have no budget to run out of.
			if got := s.anon().list(t, "sort=title").Items; len(got) != 1 {
				t.Errorf("plain list: %d items", len(got))
			}
		})
	}
}

// On PostgreSQL a search that waits (here on a lock held by another
// transaction) is stopped at its budget, in the database too, while the
// server goes on answering everything else.
func TestSearchOverBudgetWhileWaiting(t *testing.T) {
	s := startServerWith(t, "postgres", func(c *config.Config) { c.SearchTimeout = 2 * time.Second })
	cook := s.apiClient(t, "cook")
	r := cook.createRecipe(t, map[string]any{"title": "Roast Chicken", "visibility": "public"})
	ctx := context.Background()

	// Typo correction reads search_terms, which this transaction locks.
	tx, err := s.Store.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE search_terms IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	type answer struct {
		status int
		header http.Header
		body   string
	}
	done := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/recipes?q=chiken", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- answer{status: -1, body: err.Error()}
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		done <- answer{res.StatusCode, res.Header, string(b)}
	}()

	// Once the search is seen waiting on the lock, other requests are
	// served beside it.
	waiting := false
	for range 200 {
		var n int
		if err := s.Store.DB().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%search_terms%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			waiting = true
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if waiting {
		anon := s.anon()
		anon.do(t, "GET", "/healthz", nil).want(t, http.StatusOK)
		anon.getRecipe(t, r.ID)
		if got := anon.list(t, "sort=newest").Items; len(got) != 1 {
			t.Errorf("plain list beside a waiting search: %d items", len(got))
		}
	} else {
		t.Log("the search was never seen waiting (a very slow machine?); checking its answer only")
	}

	a := <-done
	if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
		t.Fatalf("waiting search: %d Retry-After %q %s", a.status, a.header.Get("Retry-After"), a.body)
	}
	// The database stops too (the cancel request and statement_timeout
	// may land a moment after the answer).
	var n int
	for range 100 {
		if err := s.Store.DB().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%search_terms%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n != 0 {
		t.Errorf("%d statements still wait after the search was answered", n)
	}
	if !slices.Contains([]string{"application/problem+json"}, a.header.Get("Content-Type")) {
		t.Errorf("Content-Type %q", a.header.Get("Content-Type"))
	}
}
