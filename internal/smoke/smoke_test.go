package smoke_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/smoke"
	"github.com/reccollection/reccollection/internal/testutil"
)

const password = "smoke account password 2026"

// allSteps are the steps of a passing run, in order.
var allSteps = []string{"readiness", "version", "home page", "sign in", "create recipe", "read recipe",
	"private hidden", "search", "delete recipe", "sign out"}

// account creates the smoke user on the server's database.
func account(t *testing.T, s *testutil.Server, username string) *auth.User {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &auth.User{Username: username, Email: username + "@example.test", DisplayName: username, PasswordHash: hash, Role: auth.RoleUser}
	if err := s.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func options(t *testing.T, rawURL, login, pw string, out io.Writer) smoke.Options {
	t.Helper()
	u, err := smoke.ParseBaseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return smoke.Options{BaseURL: u, Login: login, Password: pw, Timeout: 10 * time.Second, Interval: time.Millisecond, Out: out}
}

// leftBehind reports what a run left on the server: the account's
// recipes, API tokens and sessions. A smoke test must leave none.
func leftBehind(t *testing.T, engine string, s *testutil.Server, u *auth.User) (recipes, tokens, sessions int) {
	t.Helper()
	ctx := context.Background()
	recipes, err := s.Store.CountVisibleRecipes(ctx, u.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	toks, err := s.Store.APITokens(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	ph := "?"
	if engine == "postgres" {
		ph = "$1"
	}
	if err := s.Store.DB().QueryRowContext(ctx, "SELECT count(*) FROM sessions WHERE user_id = "+ph, u.ID).Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	return recipes, len(toks), sessions
}

func wantNothingLeft(t *testing.T, engine string, s *testutil.Server, u *auth.User) {
	t.Helper()
	if r, tk, ss := leftBehind(t, engine, s, u); r+tk+ss != 0 {
		t.Errorf("left behind %d recipes, %d tokens, %d sessions", r, tk, ss)
	}
}

// failedStep returns the step a run failed at, or "" if it passed.
func failedStep(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var se *smoke.StepError
	if !errors.As(err, &se) {
		t.Fatalf("error is not a step failure: %v", err)
	}
	return se.Step
}

func TestPassesAgainstRunningServer(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			s := testutil.StartServer(t, engine)
			u := account(t, s, "smoker")
			var out bytes.Buffer
			opts := options(t, s.URL+"/", "smoker", password, &out)
			opts.ExpectCommit = buildinfo.Get().Commit
			if err := smoke.Run(context.Background(), opts); err != nil {
				t.Fatalf("smoke failed against a healthy server: %v\n%s", err, &out)
			}
			t.Logf("output:\n%s", &out)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != len(allSteps) {
				t.Fatalf("want one line per step (%d), got:\n%s", len(allSteps), &out)
			}
			for i, step := range allSteps {
				if !strings.HasPrefix(lines[i], "ok    "+step+" ") || !strings.Contains(lines[i], "ms") {
					t.Errorf("line %d = %q, want ok for %q with its duration", i, lines[i], step)
				}
			}
			wantNothingLeft(t, engine, s, u)
			if strings.Contains(out.String(), password) {
				t.Error("the output shows the password")
			}

			// Twice in a row: nothing from the first run is in the way.
			out.Reset()
			if err := smoke.Run(context.Background(), opts); err != nil {
				t.Fatalf("second run failed: %v\n%s", err, &out)
			}
		})
	}
}

func TestFailsAgainstAMisconfiguredServer(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			s := testutil.StartServer(t, engine)
			u := account(t, s, "smoker")
			cases := []struct {
				name     string
				change   func(*smoke.Options)
				wantStep string
				wantText string
			}{
				{"wrong commit", func(o *smoke.Options) { o.ExpectCommit = "0000000deadbeef" }, "version", "expected commit 0000000deadbeef, got "},
				{"wrong password", func(o *smoke.Options) { o.Password = "not the password" }, "sign in", "expected HTTP 200, got 401"},
				{"unknown account", func(o *smoke.Options) { o.Login = "nobody" }, "sign in", "expected HTTP 200, got 401"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					var out bytes.Buffer
					opts := options(t, s.URL, "smoker", password, &out)
					c.change(&opts)
					err := smoke.Run(context.Background(), opts)
					if got := failedStep(t, err); got != c.wantStep {
						t.Fatalf("failed at %q, want %q: %v\n%s", got, c.wantStep, err, &out)
					}
					if !strings.Contains(out.String(), "FAIL  "+c.wantStep) || !strings.Contains(out.String(), c.wantText) {
						t.Errorf("output does not show the failure of %q with %q:\n%s", c.wantStep, c.wantText, &out)
					}
					wantNothingLeft(t, engine, s, u)
				})
			}
		})
	}
}

// A second factor on the smoke account makes its token useless until
// verified: the run says so, and still revokes the token it was given.
func TestAccountWithSecondFactor(t *testing.T) {
	s := testutil.StartServer(t, "sqlite")
	u := account(t, s, "guarded")
	ctx := context.Background()
	if err := s.Store.StartTOTP(ctx, u.ID, "sealed"); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.EnableTOTP(ctx, u.ID, []string{"h1"}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := smoke.Run(ctx, options(t, s.URL, "guarded", password, &out))
	if got := failedStep(t, err); got != "sign in" || !strings.Contains(out.String(), "two-factor") {
		t.Fatalf("failed at %q, want sign in naming two-factor authentication:\n%s", got, &out)
	}
	if !strings.Contains(out.String(), "ok    cleanup: sign out") {
		t.Errorf("no sign-out cleanup:\n%s", &out)
	}
	wantNothingLeft(t, "sqlite", s, u)
}

// sharedCache stands in for a misconfigured CDN or proxy in front of a
// real server: it keeps successful GET answers by path whoever asked, so
// a private recipe fetched by its author is then served to anyone. Writes
// to a path purge it, as caches commonly do.
type sharedCache struct {
	next http.Handler
	mu   sync.Mutex
	keep map[string]*httptest.ResponseRecorder
}

func (c *sharedCache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	isRecipe := strings.HasPrefix(key, "/api/v1/recipes/")
	c.mu.Lock()
	if r.Method != http.MethodGet {
		delete(c.keep, key)
	} else if hit := c.keep[key]; hit != nil && isRecipe {
		c.mu.Unlock()
		for k, v := range hit.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(hit.Code)
		_, _ = w.Write(hit.Body.Bytes())
		return
	}
	c.mu.Unlock()
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	if r.Method == http.MethodGet && rec.Code == http.StatusOK && isRecipe {
		c.mu.Lock()
		c.keep[key] = rec
		c.mu.Unlock()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// The visibility check catches a private recipe served to a stranger, and
// the recipe is deleted all the same.
func TestPrivateRecipeLeakIsCaughtAndCleanedUp(t *testing.T) {
	s := testutil.StartServer(t, "sqlite")
	u := account(t, s, "smoker")
	front := httptest.NewServer(&sharedCache{next: s.App.Handler(), keep: map[string]*httptest.ResponseRecorder{}})
	t.Cleanup(front.Close)
	var out bytes.Buffer
	err := smoke.Run(context.Background(), options(t, front.URL, "smoker", password, &out))
	if got := failedStep(t, err); got != "private hidden" {
		t.Fatalf("failed at %q, want private hidden: %v\n%s", got, err, &out)
	}
	t.Logf("output:\n%s", &out)
	if !strings.Contains(out.String(), "expected HTTP 404 for an anonymous reader of a private recipe, got 200") {
		t.Errorf("output does not say what leaked:\n%s", &out)
	}
	for _, want := range []string{"ok    cleanup: recipe", "ok    cleanup: sign out"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
	wantNothingLeft(t, "sqlite", s, u)
}

// During a rollout /readyz fails for a while; with a wait the run keeps
// asking and then passes.
func TestWaitsForReadiness(t *testing.T) {
	s := testutil.StartServer(t, "sqlite")
	account(t, s, "smoker")
	var notYet atomic.Int32
	notYet.Store(3)
	h := s.App.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" && notYet.Add(-1) >= 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)

	var out bytes.Buffer
	opts := options(t, front.URL, "smoker", password, &out)
	if err := smoke.Run(context.Background(), opts); failedStep(t, err) != "readiness" {
		t.Fatalf("without --wait a 503 must fail the readiness step: %v\n%s", err, &out)
	}
	notYet.Store(3)
	out.Reset()
	opts.Wait = time.Hour
	if err := smoke.Run(context.Background(), opts); err != nil {
		t.Fatalf("with a wait: %v\n%s", err, &out)
	}
	if !strings.Contains(out.String(), "after 4 attempts") {
		t.Errorf("readiness line does not count the attempts:\n%s", &out)
	}
}

// stub answers the health endpoints as told and records any other request.
type stub struct {
	readyz, version, home http.HandlerFunc
	others                atomic.Int32
}

func (s *stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/readyz" && s.readyz != nil:
		s.readyz(w, r)
	case r.URL.Path == "/version" && s.version != nil:
		s.version(w, r)
	case r.URL.Path == "/" && s.home != nil:
		s.home(w, r)
	default:
		s.others.Add(1)
		http.NotFound(w, r)
	}
}

func jsonAnswer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

var (
	ready   = jsonAnswer(200, `{"status":"ready","database":"ok","schema_version":3,"schema_target":3}`)
	version = jsonAnswer(200, `{"version":"v1.0.0","commit":"abcdef0123456789"}`)
)

// Broken servers: each run stops at the step that shows the fault and
// goes no further.
func TestFailsAgainstABrokenServer(t *testing.T) {
	cases := []struct {
		name     string
		stub     *stub
		expect   string
		wantStep string
		wantText string
	}{
		{"schema behind", &stub{readyz: jsonAnswer(503, `{"status":"schema behind: run `+"`reccollection migrate up`"+`"}`)},
			"", "readiness", "expected HTTP 200, got 503 Service Unavailable: schema behind"},
		{"readyz not JSON", &stub{readyz: func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "<html>ok</html>") }},
			"", "readiness", "expected JSON"},
		{"no version", &stub{readyz: ready, version: jsonAnswer(200, `{"version":"v1"}`)}, "", "version", "expected a commit"},
		{"old commit", &stub{readyz: ready, version: version}, "1234567", "version", "expected commit 1234567, got abcdef0123456789"},
		{"home redirects away", &stub{readyz: ready, version: version, home: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
		}}, "abcdef0", "home page", "got 302 Found to https://elsewhere.example/"},
		{"home not HTML", &stub{readyz: ready, version: version, home: jsonAnswer(200, `{}`)}, "", "home page", "expected an HTML page"},
		{"home of another app", &stub{readyz: ready, version: version, home: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<title>Welcome to nginx!</title>")
		}}, "", "home page", "expected the page to name RecCollection"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.stub)
			t.Cleanup(srv.Close)
			var out bytes.Buffer
			opts := options(t, srv.URL, "smoker", password, &out)
			opts.ExpectCommit = c.expect
			err := smoke.Run(context.Background(), opts)
			if got := failedStep(t, err); got != c.wantStep {
				t.Fatalf("failed at %q, want %q: %v\n%s", got, c.wantStep, err, &out)
			}
			if !strings.Contains(out.String(), c.wantText) {
				t.Errorf("output lacks %q:\n%s", c.wantText, &out)
			}
			if n := c.stub.others.Load(); n != 0 {
				t.Errorf("%d requests after the failing step", n)
			}
		})
	}
}

func TestFailsWhenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var out bytes.Buffer
	err = smoke.Run(context.Background(), options(t, "http://"+addr, "smoker", password, &out))
	if got := failedStep(t, err); got != "readiness" || !strings.Contains(out.String(), "not reachable") {
		t.Fatalf("failed at %q, want readiness saying not reachable:\n%s", got, &out)
	}
}

// What a hostile server sends is cut short and stripped of control
// characters before it reaches a terminal or a CI log.
func TestHostileAnswersAreDefused(t *testing.T) {
	evil := strings.Repeat("\x1b[2J\r\nok    everything fine\n", 5000)
	srv := httptest.NewServer(&stub{readyz: func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, evil)
	}})
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	err := smoke.Run(context.Background(), options(t, srv.URL, "smoker", password, &out))
	if failedStep(t, err) != "readiness" {
		t.Fatalf("want a readiness failure, got %v", err)
	}
	if strings.ContainsAny(out.String(), "\x1b\r") || strings.Count(out.String(), "\n") != 2 || out.Len() > 2000 {
		t.Errorf("hostile body reached the output unfiltered (%d bytes):\n%q", out.Len(), out.String())
	}

	huge := httptest.NewServer(&stub{readyz: func(w http.ResponseWriter, _ *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for range 64 { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}})
	t.Cleanup(huge.Close)
	out.Reset()
	err = smoke.Run(context.Background(), options(t, huge.URL, "smoker", password, &out))
	if failedStep(t, err) != "readiness" || !strings.Contains(out.String(), "got more") {
		t.Errorf("an oversized answer was not refused: %v\n%s", err, &out)
	}
}

func TestParseBaseURL(t *testing.T) {
	good := map[string]string{
		"https://recipes.example.com":      "https://recipes.example.com",
		"https://recipes.example.com/":     "https://recipes.example.com",
		"http://127.0.0.1:8080/app/":       "http://127.0.0.1:8080/app",
		"  https://staging.example.test  ": "https://staging.example.test",
		"https://[::1]:8443/":              "https://[::1]:8443",
	}
	for in, want := range good {
		u, err := smoke.ParseBaseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"", "recipes.example.com", "ftp://example.com", "https://", "https://:8080",
		"https://user:pw@example.com", "https://example.com/?x=1", "https://example.com/#top", "https://example.com?",
		"javascript:alert(1)", "https://exa mple.com", "http://%zz"} {
		if u, err := smoke.ParseBaseURL(bad); err == nil {
			t.Errorf("ParseBaseURL(%q) = %v, want an error", bad, u)
		}
	}
}

func TestSameCommit(t *testing.T) {
	full := "3f2a9c1d4e5b6a7980c1d2e3f4a5b6c7d8e9f0a1"
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{full, full, true},
		{full[:7], full, true},
		{full, strings.ToUpper(full[:12]), true},
		{full[:6], full, false}, // too short to mean one commit
		{"", "", false},
		{"unknown", full, false},
		{full[:7], "3f2a9c2" + full[7:], false},
	} {
		if got := smoke.SameCommit(c.a, c.b); got != c.want {
			t.Errorf("SameCommit(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
