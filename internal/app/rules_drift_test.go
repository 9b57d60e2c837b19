package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestAccountRulesSameThroughAPIAndPages sends the same profile edits,
// token requests and password changes through the JSON API and through
// the settings page, and requires the same outcome: the same fields
// refused with the same messages, or the same values stored. Both front
// ends call package account for these rules; this catches a front end
// that grows a rule of its own. The rules do not depend on the engine, so
// SQLite is enough.
func TestAccountRulesSameThroughAPIAndPages(t *testing.T) {
	srv := testutil.StartServer(t, "sqlite")
	ctx := context.Background()
	api, form := newDriftClient(t, srv.URL), newDriftClient(t, srv.URL)
	api.apiRegister(t, "apiuser")
	form.formRegister(t, "formuser")
	newDriftClient(t, srv.URL).apiRegister(t, "taken")

	profiles := []struct{ display, bio string }{
		{"  Pat Cook  ", "Line one\nLine two"},
		{"", ""},
		{"Pat", strings.Repeat("b", 2001)},
		{strings.Repeat("d", 81), ""},
		{"Tab\there", ""},
	}
	for _, p := range profiles {
		a := api.json(t, "PATCH", "/api/v1/me", map[string]any{"display_name": p.display, "bio": p.bio})
		f := form.form(t, "/settings/profile", url.Values{"display_name": {p.display}, "bio": {p.bio}})
		compareOutcomes(t, "profile "+strings.ReplaceAll(p.display, "\n", `\n`), a, f)
		if a.ok && f.ok {
			ua, _ := srv.Store.UserByUsername(ctx, api.username)
			uf, _ := srv.Store.UserByUsername(ctx, form.username)
			if ua.DisplayName != uf.DisplayName || ua.Bio != uf.Bio {
				t.Errorf("profile %q stored differently: API %q %q, page %q %q", p.display, ua.DisplayName, ua.Bio, uf.DisplayName, uf.Bio)
			}
		}
	}

	// A new email address is asked for, not saved: USER stands for each
	// account's own username, so that valid addresses differ.
	for _, email := range []string{"new-USER@Example.TEST", "USER@example.test", "not-an-email", "Pat <new-USER@example.test>",
		"taken@example.test", "  USER@EXAMPLE.test  ", strings.Repeat("e", 250) + "@example.test", "  other-USER@example.test "} {
		sub := func(c *driftClient) string { return strings.ReplaceAll(email, "USER", c.username) }
		a := api.json(t, "PATCH", "/api/v1/me", map[string]any{"email": sub(api)})
		f := form.form(t, "/settings/email", url.Values{"email": {sub(form)}})
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(email)), "user@") {
			// One's own address differs on purpose: the PATCH of a whole
			// profile leaves it alone; the form that asks only for a new
			// address says it already is one's own.
			if !a.ok || f.ok || f.fields["email"] != "Email is already your address" {
				t.Errorf("email %q (one's own): API ok=%v, page ok=%v %v", email, a.ok, f.ok, f.fields)
			}
		} else {
			compareOutcomes(t, "email "+email, a, f)
		}
		ua, _ := srv.Store.UserByUsername(ctx, api.username)
		uf, _ := srv.Store.UserByUsername(ctx, form.username)
		pa, _ := srv.Store.PendingEmailChange(ctx, ua.ID, time.Now())
		pf, _ := srv.Store.PendingEmailChange(ctx, uf.ID, time.Now())
		if ua.Email != api.username+"@example.test" || uf.Email != form.username+"@example.test" {
			t.Errorf("email %q applied without confirmation: %q, %q", email, ua.Email, uf.Email)
		}
		if a.ok && f.ok && (pa == nil || pf == nil ||
			strings.ReplaceAll(pa.NewEmail, api.username, "USER") != strings.ReplaceAll(pf.NewEmail, form.username, "USER")) {
			t.Errorf("email %q pending differently: API %+v, page %+v", email, pa, pf)
		}
	}

	tokens := []struct {
		name string
		days *int
	}{
		{"  shopping list  ", nil},
		{"weekly", ptr(7)},
		{"", nil},
		{strings.Repeat("n", 101), nil},
		{"zero", ptr(0)},
		{"too long", ptr(3651)},
		{"", ptr(-1)},
		{"line\nbreak", nil},
	}
	for _, tk := range tokens {
		body := map[string]any{"name": tk.name}
		days := ""
		if tk.days != nil {
			body["expires_in_days"] = *tk.days
			days = strconv.Itoa(*tk.days)
		}
		a := api.json(t, "POST", "/api/v1/auth/tokens", body)
		f := form.form(t, "/settings/tokens", url.Values{"name": {tk.name}, "expires_in_days": {days}})
		compareOutcomes(t, "token "+tk.name, a, f)
	}
	// The tokens both made are named and expire alike.
	describe := func(c *driftClient) []string {
		list, err := srv.Store.APITokens(ctx, c.user(t, srv).ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tk := range list {
			exp := "never"
			if tk.ExpiresAt != nil {
				exp = strconv.Itoa(int(time.Until(*tk.ExpiresAt).Round(time.Hour).Hours()/24)) + " days"
			}
			out = append(out, tk.Name+" / "+exp)
		}
		return out
	}
	if da, df := describe(api), describe(form); !slices.Equal(da, df) || len(da) != 2 {
		t.Errorf("tokens made through the API %q and the page %q differ (want 2 each)", da, df)
	}

	passwords := []struct{ current, next string }{
		{"", "a brand new phrase"},
		{"not my password", "a brand new phrase"},
		{driftPassword, "12345678"},
		{driftPassword, "password"},
		{driftPassword, "        "},
		{driftPassword, "USER2024!"},
		{driftPassword, "short"},
	}
	for _, pw := range passwords {
		a := api.json(t, "POST", "/api/v1/me/password", map[string]any{"current_password": pw.current,
			"new_password": strings.ReplaceAll(pw.next, "USER", api.username)})
		f := form.form(t, "/settings/password", url.Values{"current_password": {pw.current},
			"new_password": {strings.ReplaceAll(pw.next, "USER", form.username)}})
		compareOutcomes(t, "password "+pw.next, a, f)
	}
	// A change that succeeds: both browsers get a new session and stay
	// signed in.
	a := api.json(t, "POST", "/api/v1/me/password", map[string]any{"current_password": driftPassword, "new_password": "a brand new phrase"})
	f := form.form(t, "/settings/password", url.Values{"current_password": {driftPassword}, "new_password": {"a brand new phrase"}})
	compareOutcomes(t, "password change", a, f)
	if !a.newSession || !f.newSession {
		t.Errorf("new session after a password change: API %v, page %v", a.newSession, f.newSession)
	}
	for _, c := range []*driftClient{api, form} {
		if code := c.json(t, "GET", "/api/v1/me", nil).status; code != http.StatusOK {
			t.Errorf("%s is signed out after changing the password (%d)", c.username, code)
		}
	}
}

const driftPassword = "correct horse battery staple"

type driftClient struct {
	base     string
	hc       *http.Client
	username string
}

func newDriftClient(t *testing.T, base string) *driftClient {
	jar, _ := cookiejar.New(nil)
	return &driftClient{base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *driftClient) apiRegister(t *testing.T, username string) {
	t.Helper()
	c.username = username
	if o := c.json(t, "POST", "/api/v1/auth/register", map[string]any{"username": username, "email": username + "@example.test",
		"password": driftPassword}); o.status != http.StatusCreated {
		t.Fatalf("register %s: %d", username, o.status)
	}
}

func (c *driftClient) formRegister(t *testing.T, username string) {
	t.Helper()
	c.username = username
	if o := c.form(t, "/register", url.Values{"username": {username}, "email": {username + "@example.test"},
		"password": {driftPassword}}); !o.ok {
		t.Fatalf("register %s: %d", username, o.status)
	}
}

func (c *driftClient) user(t *testing.T, srv *testutil.Server) *auth.User {
	t.Helper()
	u, err := srv.Store.UserByUsername(context.Background(), c.username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// outcome is what a front end answered: success, or the field errors.
type outcome struct {
	status     int
	ok         bool
	fields     map[string]string // field -> message
	newSession bool              // a session cookie was set
}

func (c *driftClient) json(t *testing.T, method, path string, body any) outcome {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return c.send(t, req, func(raw []byte) map[string]string {
		var p struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		}
		_ = json.Unmarshal(raw, &p)
		out := map[string]string{}
		for _, e := range p.Errors {
			out[e.Field] = e.Message
		}
		return out
	})
}

// fieldErrorRE finds a form's field messages: <p class="field-error"
// id="FIELD-error">Label message</p>.
var fieldErrorRE = regexp.MustCompile(`<p class="field-error" id="([a-z_]+)-error">([^<]*)</p>`)

func (c *driftClient) form(t *testing.T, path string, form url.Values) outcome {
	t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	return c.send(t, req, func(raw []byte) map[string]string {
		out := map[string]string{}
		for _, m := range fieldErrorRE.FindAllSubmatch(raw, -1) {
			out[string(m[1])] = html.UnescapeString(string(m[2]))
		}
		return out
	})
}

func (c *driftClient) send(t *testing.T, req *http.Request, errs func([]byte) map[string]string) outcome {
	t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, raw)
	}
	o := outcome{status: resp.StatusCode, ok: resp.StatusCode < 300 || resp.StatusCode == http.StatusSeeOther}
	if !o.ok {
		o.fields = errs(raw)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "recc_session" && ck.Value != "" {
			o.newSession = true
		}
	}
	return o
}

// compareOutcomes requires the same success, or the same fields refused
// with the same reasons (the page prefixes each with the field's label).
func compareOutcomes(t *testing.T, what string, api, page outcome) {
	t.Helper()
	if api.ok != page.ok {
		t.Errorf("%s: API ok=%v (%d %v), page ok=%v (%d %v)", what, api.ok, api.status, api.fields, page.ok, page.status, page.fields)
		return
	}
	if api.ok {
		return
	}
	if len(api.fields) == 0 {
		t.Errorf("%s: the API refused (%d) without naming a field", what, api.status)
	}
	for field, msg := range api.fields {
		got, ok := page.fields[field]
		if !ok || !strings.HasSuffix(got, " "+msg) {
			t.Errorf("%s: field %s: API says %q, page says %q", what, field, msg, got)
		}
	}
	for field := range page.fields {
		if _, ok := api.fields[field]; !ok {
			t.Errorf("%s: the page refuses %s (%q), the API does not", what, field, page.fields[field])
		}
	}
}

func ptr[T any](v T) *T { return &v }
