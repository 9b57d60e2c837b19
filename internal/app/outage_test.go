package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// outageRequest is one request the outage test sends, and what kind of
// answer it must get.
type outageRequest struct {
	name, method, path, body string
	html                     bool // a browser asking for a page; else an API client
	form                     bool // body is a form post
	token                    bool // send the bearer token
	session                  bool // send the browser's session cookie
}

type outageClient struct {
	t       *testing.T
	base    string
	token   string
	browser *http.Client // keeps the signed-in session cookie
	plain   *http.Client // no cookies
}

func (c *outageClient) send(r outageRequest, header ...string) (int, http.Header, string, error) {
	req, err := http.NewRequest(r.method, c.base+r.path, strings.NewReader(r.body))
	if err != nil {
		c.t.Fatal(err)
	}
	switch {
	case r.form:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case r.body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	if r.html {
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
	}
	if r.token {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	hc := c.plain
	if r.session {
		hc = c.browser
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b), nil
}

// startOnCluster serves the whole app (app.Serve, jobs and housekeeping
// included) against a throwaway PostgreSQL cluster that the test may stop
// and restart.
func startOnCluster(t *testing.T) (*testutil.Cluster, *testutil.Serving) {
	t.Helper()
	cluster := testutil.StartCluster(t)
	// "sqlite" only keeps Config from making a database on the shared
	// server; DatabaseURL then points the app at the cluster.
	srv := testutil.StartServing(t, "sqlite", func(cfg *config.Config) {
		cfg.DatabaseURL = cluster.URL()
		cfg.MetricsAddr = ""
	})
	return cluster, srv
}

// newOutageClient registers a user, takes an API token, signs a browser in
// and creates a public recipe, so every route has something to show.
func newOutageClient(t *testing.T, base string) (*outageClient, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &outageClient{t: t, base: base,
		browser: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirect},
		plain:   &http.Client{Timeout: 30 * time.Second, CheckRedirect: noRedirect}}
	const password = "outage drill password 1"
	must := func(want int, r outageRequest) string {
		t.Helper()
		code, _, body, err := c.send(r)
		if err != nil || code != want {
			t.Fatalf("%s %s: %d %v %s, want %d", r.method, r.path, code, err, body, want)
		}
		return body
	}
	must(http.StatusCreated, outageRequest{method: "POST", path: "/api/v1/auth/register",
		body: `{"username":"cook","email":"cook@example.test","password":"` + password + `"}`})
	var login struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(must(http.StatusOK, outageRequest{method: "POST", path: "/api/v1/auth/login",
		body: `{"login":"cook","password":"` + password + `"}`})), &login); err != nil || login.Token == "" {
		t.Fatalf("login token: %v", err)
	}
	c.token = login.Token
	must(http.StatusSeeOther, outageRequest{method: "POST", path: "/login", form: true, html: true, session: true,
		body: url.Values{"login": {"cook"}, "password": {password}}.Encode()})
	var rec struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(must(http.StatusCreated, outageRequest{method: "POST", path: "/api/v1/recipes", token: true,
		body: `{"title":"Outage soup","visibility":"public","ingredients":["1 onion"],"steps":["Simmer."]}`})), &rec); err != nil {
		t.Fatal(err)
	}
	return c, rec.ID
}

// TestDatabaseOutageAnswers503 stops PostgreSQL under a running app: every
// route that needs the database must answer 503 with Retry-After, as a
// problem for API clients and a page for browsers, never 500; and once the
// database is back, the same app answers normally again without a restart.
func TestDatabaseOutageAnswers503(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and stops a PostgreSQL cluster; skipped with -short")
	}
	cluster, srv := startOnCluster(t)
	c, recipeID := newOutageClient(t, srv.URL)
	newUser := func(name string) string {
		return `{"username":"` + name + `","email":"` + name + `@example.test","password":"a fine long password 2"}`
	}
	requests := []outageRequest{
		{name: "API list", method: "GET", path: "/api/v1/recipes"},
		{name: "API list with token", method: "GET", path: "/api/v1/recipes", token: true},
		{name: "API recipe", method: "GET", path: "/api/v1/recipes/" + recipeID},
		{name: "API profile", method: "GET", path: "/api/v1/users/cook"},
		{name: "API me", method: "GET", path: "/api/v1/me", token: true},
		{name: "API create", method: "POST", path: "/api/v1/recipes", token: true,
			body: `{"title":"Not now","ingredients":["1 egg"],"steps":["Wait."]}`},
		{name: "API login", method: "POST", path: "/api/v1/auth/login", body: `{"login":"cook","password":"outage drill password 1"}`},
		{name: "API register", method: "POST", path: "/api/v1/auth/register", body: newUser("late")},
		{name: "home", method: "GET", path: "/", html: true},
		{name: "home signed in", method: "GET", path: "/", html: true, session: true},
		{name: "browse", method: "GET", path: "/recipes", html: true},
		{name: "browse signed in", method: "GET", path: "/recipes", html: true, session: true},
		{name: "recipe page", method: "GET", path: "/recipes/" + recipeID, html: true},
		{name: "profile page", method: "GET", path: "/u/cook", html: true},
		{name: "sign-in form post", method: "POST", path: "/login", html: true, form: true,
			body: url.Values{"login": {"cook"}, "password": {"outage drill password 1"}}.Encode()},
		{name: "registration form post", method: "POST", path: "/register", html: true, form: true,
			body: url.Values{"username": {"later"}, "email": {"later@example.test"}, "password": {"a fine long password 2"}}.Encode()},
		{name: "new recipe form post signed in", method: "POST", path: "/recipes/new", html: true, form: true, session: true,
			body: url.Values{"title": {"Not now"}}.Encode()},
	}

	cluster.Stop()
	for _, r := range requests {
		code, h, body, err := c.send(r)
		if err != nil {
			t.Errorf("%s: %v", r.name, err)
			continue
		}
		if code != http.StatusServiceUnavailable {
			t.Errorf("%s (%s %s) with the database down: %d, want 503\n%.300s", r.name, r.method, r.path, code, body)
			continue
		}
		if h.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", r.name)
		}
		ct := h.Get("Content-Type")
		if r.html && (!strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "Back in a moment")) {
			t.Errorf("%s: 503 as %q, want the outage page\n%.300s", r.name, ct, body)
		}
		if !r.html && ct != "application/problem+json" {
			t.Errorf("%s: 503 as %q, want application/problem+json", r.name, ct)
		}
	}
	// Static files need no database, so the outage page keeps its style,
	// even for a browser whose session cannot be checked.
	code, h, _, err := c.send(outageRequest{method: "GET", path: "/favicon.ico", session: true})
	if err != nil || code != http.StatusMovedPermanently {
		t.Errorf("favicon during the outage: %d %v", code, err)
	} else if code, _, _, err := c.send(outageRequest{method: "GET", path: h.Get("Location"), session: true}); err != nil || code != http.StatusOK {
		t.Errorf("static file %s during the outage: %d %v", h.Get("Location"), code, err)
	}

	cluster.Start()
	back := time.Now()
	deadline := back.Add(5 * time.Second)
	for {
		code, _, _, err := c.send(outageRequest{method: "GET", path: "/api/v1/recipes"})
		if err == nil && code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app still answers %d (%v) 5 s after the database came back", code, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("answering again %v after the database accepted connections", time.Since(back).Round(time.Millisecond))
	for _, r := range requests {
		if r.method != "GET" {
			continue
		}
		code, _, body, err := c.send(r)
		if err != nil || code != http.StatusOK {
			t.Errorf("%s after recovery: %d %v\n%.300s", r.name, code, err, body)
		}
	}
	// The signed-in browser is still signed in: the outage did not end
	// its session.
	if code, _, body, _ := c.send(outageRequest{method: "GET", path: "/settings", html: true, session: true}); code != http.StatusOK {
		t.Errorf("settings after recovery: %d, want 200 (still signed in)\n%.300s", code, body)
	}
}
