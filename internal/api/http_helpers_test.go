package api_test

// Helpers shared by the HTTP test suite: a server per engine, a client per
// caller (anonymous, cookie session or bearer token) whose every request
// fails the test on a 5xx, and small decoders for recipes, lists and
// problems.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// server is the whole application on one engine.
type server struct {
	*testutil.Server
	engine string
}

// forEachEngine runs fn in a parallel subtest per engine, each against its
// own server and fresh database.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *server)) {
	t.Helper()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, &server{Server: testutil.StartServer(t, engine), engine: engine})
		})
	}
}

// client is one caller. Anonymous clients have neither jar nor token;
// browser clients keep cookies; API clients send a bearer token.
type client struct {
	base     string
	hc       *http.Client
	token    string
	user     userJSON // zero for anonymous
	password string
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (s *server) anon() *client {
	return &client{base: s.URL, hc: &http.Client{Transport: s.transport(), Timeout: 30 * time.Second, CheckRedirect: noRedirects}}
}

func (s *server) browser() *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: s.URL, hc: &http.Client{Transport: s.transport(), Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirects}}
}

// transport trusts the test certificate of an HTTPS server; nil (the
// default transport) for plain HTTP.
func (s *server) transport() http.RoundTripper {
	if s.HTTP != nil && s.HTTP.TLS != nil {
		return s.HTTP.Client().Transport
	}
	return nil
}

// withToken is an API client for the same user authenticating with token.
func (c *client) withToken(token string) *client {
	return &client{base: c.base, hc: &http.Client{Transport: c.hc.Transport, Timeout: 30 * time.Second, CheckRedirect: noRedirects},
		token: token, user: c.user, password: c.password}
}

const testPassword = "correct horse battery staple"

// register creates an account through the API and returns the browser
// that is now signed in with it.
func (s *server) register(t testing.TB, username string) *client {
	t.Helper()
	b := s.browser()
	res := b.do(t, "POST", "/api/v1/auth/register", map[string]any{
		"username": username, "email": username + "@example.test", "password": testPassword,
	})
	res.want(t, http.StatusCreated)
	var out struct {
		User userJSON `json:"user"`
	}
	res.decode(t, &out)
	b.user, b.password = out.User, testPassword
	return b
}

// apiClient registers an account and returns an API client with a bearer
// token created from the browser session (no second password hash).
func (s *server) apiClient(t testing.TB, username string) *client {
	t.Helper()
	b := s.register(t, username)
	return b.withToken(b.createToken(t, "tests").Token)
}

// admin is an API client whose account has the admin role.
func (s *server) admin(t testing.TB, username string) *client {
	t.Helper()
	c := s.apiClient(t, username)
	if err := s.Store.SetRole(context.Background(), c.user.ID, auth.RoleAdmin); err != nil {
		t.Fatalf("make %s an admin: %v", username, err)
	}
	c.user.Role = string(auth.RoleAdmin)
	return c
}

// reqOpt adjusts a request before it is sent.
type reqOpt func(*http.Request)

func header(key, value string) reqOpt {
	return func(r *http.Request) { r.Header.Set(key, value) }
}

// raw is a body sent exactly as given.
type raw []byte

// response is a fully read answer.
type response struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

func (r *response) String() string {
	b := string(r.body)
	if len(b) > 2000 {
		b = b[:2000] + "…"
	}
	return fmt.Sprintf("%s %s → %d %s", r.method, shorten(r.path), r.status, b)
}

func shorten(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// do sends one request. body is nil (none), raw (as is) or anything else
// (encoded as JSON). Any 5xx answer fails the test: no input, however bad,
// may make the server fail.
func (c *client) do(t testing.TB, method, path string, body any, opts ...reqOpt) *response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case raw:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode request body: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		t.Fatalf("build request %s %s: %v", method, shorten(path), err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, shorten(path), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, shorten(path), err)
	}
	res := &response{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: data}
	if res.status >= 500 && (req.Header.Get(upstreamHeader) == "" || res.status == http.StatusInternalServerError) {
		t.Errorf("server error: %s", res)
	}
	return res
}

// upstreamHeader marks a request (upstreamFailure) whose answer may be a
// 502, 503 or 504 the test expects: another service failing, not this one.
const upstreamHeader = "X-Test-Upstream-Failure"

func upstreamFailure(r *http.Request) { r.Header.Set(upstreamHeader, "1") }

// want fails the test unless the status is the expected one.
func (r *response) want(t testing.TB, status int) *response {
	t.Helper()
	if r.status != status {
		t.Fatalf("want %d, got %s", status, r)
	}
	return r
}

func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r, err)
	}
}

// problem is an RFC 9457 answer.
type problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	RequestID string       `json:"request_id"`
	Errors    []fieldError `json:"errors"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p problem) fields() []string {
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}

func (p problem) has(field string) bool { return slices.Contains(p.fields(), field) }

// wantProblem checks that r is a complete problem+json answer with status
// and that errors[] names every one of fields.
func (r *response) wantProblem(t testing.TB, status int, fields ...string) problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("want %d problem, got %s", status, r)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s %s: Content-Type %q, want application/problem+json", r.method, shorten(r.path), ct)
	}
	var keys map[string]json.RawMessage
	r.decode(t, &keys)
	for _, k := range []string{"type", "title", "status", "detail", "request_id"} {
		if len(keys[k]) == 0 {
			t.Errorf("problem lacks %q: %s", k, r)
		}
	}
	var p problem
	r.decode(t, &p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Errorf("incomplete problem: %s", r)
	}
	if id := r.header.Get("X-Request-Id"); p.RequestID == "" || p.RequestID != id {
		t.Errorf("problem request_id %q does not match X-Request-Id %q", p.RequestID, id)
	}
	for _, f := range fields {
		if !p.has(f) {
			t.Errorf("problem errors lack field %q; got %v: %s", f, p.fields(), r)
		}
	}
	return p
}

type userJSON struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	Email       string     `json:"email"`
	DisplayName string     `json:"display_name"`
	Bio         string     `json:"bio"`
	Role        string     `json:"role"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
	UnitSystem  string     `json:"unit_system"`
}

// sameAccount compares what a PATCH could change, and when it last did.
func sameAccount(a, b userJSON) bool {
	a.LastLoginAt, b.LastLoginAt = nil, nil
	return a == b
}

type tokenJSON struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Token     string     `json:"token"`
	ExpiresAt *time.Time `json:"expires_at"`
}

func (c *client) createToken(t testing.TB, name string) tokenJSON {
	t.Helper()
	var tok tokenJSON
	c.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": name}).want(t, http.StatusCreated).decode(t, &tok)
	if !strings.HasPrefix(tok.Token, auth.TokenPrefix) {
		t.Fatalf("created token %q lacks prefix %q", tok.Token, auth.TokenPrefix)
	}
	return tok
}

type loginJSON struct {
	User    userJSON `json:"user"`
	Token   string   `json:"token"`
	TokenID string   `json:"token_id"`
}

// login signs in with a fresh browser and returns it, with the bearer
// token from the answer.
func (s *server) login(t testing.TB, login, password string) (*client, loginJSON) {
	t.Helper()
	b := s.browser()
	var out loginJSON
	b.do(t, "POST", "/api/v1/auth/login", map[string]any{"login": login, "password": password}).
		want(t, http.StatusOK).decode(t, &out)
	if out.Token == "" {
		t.Fatalf("login answered no token")
	}
	b.user, b.password = out.User, password
	return b, out
}

type ingredientJSON struct {
	Quantity    *float64 `json:"quantity"`
	QuantityMax *float64 `json:"quantity_max"`
	Unit        string   `json:"unit"`
	Name        string   `json:"name"`
	Note        string   `json:"note"`
	Original    string   `json:"original"`
}

type recipeJSON struct {
	ID     string `json:"id"`
	Author struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"author"`
	Title            string           `json:"title"`
	Description      string           `json:"description"`
	PrepMinutes      *int             `json:"prep_minutes"`
	CookMinutes      *int             `json:"cook_minutes"`
	TotalMinutes     *int             `json:"total_minutes"`
	Servings         *int             `json:"servings"`
	Difficulty       string           `json:"difficulty"`
	Visibility       string           `json:"visibility"`
	SourceURL        string           `json:"source_url"`
	Ingredients      []ingredientJSON `json:"ingredients"`
	Steps            []string         `json:"steps"`
	IngredientGroups []groupJSON      `json:"ingredient_groups"`
	StepGroups       []groupJSON      `json:"step_groups"`
	Tags             []string         `json:"tags"`
	Categories       []string         `json:"categories"`
	CreatedAt        time.Time        `json:"created_at"`
	UpdatedAt        time.Time        `json:"updated_at"`
}

type groupJSON struct {
	Title string `json:"title"`
	Start int    `json:"start"`
}

type listJSON struct {
	Items      []recipeJSON `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

// recipeBody is a small valid recipe; extra fields are merged in.
func recipeBody(title, visibility string, extra ...map[string]any) map[string]any {
	b := map[string]any{
		"title":       title,
		"visibility":  visibility,
		"ingredients": []any{"1 cup water"},
		"steps":       []string{"Boil it."},
	}
	for _, e := range extra {
		for k, v := range e {
			b[k] = v
		}
	}
	return b
}

func (c *client) createRecipe(t testing.TB, body map[string]any) recipeJSON {
	t.Helper()
	var r recipeJSON
	c.do(t, "POST", "/api/v1/recipes", body).want(t, http.StatusCreated).decode(t, &r)
	return r
}

func (c *client) getRecipe(t testing.TB, id string) recipeJSON {
	t.Helper()
	var r recipeJSON
	c.do(t, "GET", "/api/v1/recipes/"+id, nil).want(t, http.StatusOK).decode(t, &r)
	return r
}

// list fetches one page of GET /api/v1/recipes?query.
func (c *client) list(t testing.TB, query string) listJSON {
	t.Helper()
	var l listJSON
	c.do(t, "GET", "/api/v1/recipes?"+query, nil).want(t, http.StatusOK).decode(t, &l)
	return l
}

// listAll walks every page of a listing.
func (c *client) listAll(t testing.TB, query string) []recipeJSON {
	t.Helper()
	var all []recipeJSON
	cursor := ""
	for page := 0; ; page++ {
		if page > 100 {
			t.Fatalf("listing %q does not end", query)
		}
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		l := c.list(t, q)
		all = append(all, l.Items...)
		if l.NextCursor == "" {
			return all
		}
		cursor = l.NextCursor
	}
}

func titles(items []recipeJSON) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Title
	}
	return out
}

func ids(items []recipeJSON) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// recordingTB captures failures instead of failing, so a test can check
// that a helper flags what it must.
type recordingTB struct {
	testing.TB
	errors []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
