package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Disabling revokes for good: after an admin disables and re-enables a
// user, none of the user's old sessions or tokens works, and the user
// signs in afresh.
func TestDisableThenEnableEndsOldCredentials(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		admin := s.admin(t, "chief")
		browser := s.register(t, "dora")
		script := browser.withToken(browser.createToken(t, "script").Token)
		app, lg := s.login(t, "dora", testPassword)
		bearer := app.withToken(lg.Token)
		for _, c := range []*client{browser, script, app, bearer} {
			c.me(t)
		}

		admin.do(t, "POST", "/api/v1/admin/users/"+browser.user.ID+"/disable", nil).want(t, http.StatusOK)
		admin.do(t, "POST", "/api/v1/admin/users/"+browser.user.ID+"/enable", nil).want(t, http.StatusOK)

		for name, c := range map[string]*client{"personal token": script, "sign-in token": bearer} {
			res := c.do(t, "GET", "/api/v1/me", nil)
			if res.status != http.StatusUnauthorized {
				t.Errorf("%s after disable and enable: %s, want 401", name, res)
			}
		}
		for name, c := range map[string]*client{"registration cookie": browser, "sign-in cookie": app} {
			res := c.do(t, "GET", "/api/v1/me", nil)
			if res.status != http.StatusUnauthorized {
				t.Errorf("%s after disable and enable: %s, want 401", name, res)
			}
			// The stale cookie is cleared, so the browser is signed out.
			if !slices.ContainsFunc(res.header.Values("Set-Cookie"), func(c string) bool {
				return strings.HasPrefix(c, "recc_session=;") && strings.Contains(c, "Max-Age=0")
			}) {
				t.Errorf("%s: the stale cookie is not cleared: %v", name, res.header.Values("Set-Cookie"))
			}
		}
		fresh, _ := s.login(t, "dora", testPassword)
		fresh.me(t)
	})
}

// The console's revoke action ends every session and token of a user,
// answers what it ended, and is audited; it leaves other users alone.
func TestAdminRevoke(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		admin := s.admin(t, "chief")
		browser := s.register(t, "eve")
		script := browser.withToken(browser.createToken(t, "script").Token)
		app, lg := s.login(t, "eve", testPassword)
		bearer := app.withToken(lg.Token)
		bystander := s.apiClient(t, "frank")

		var out struct {
			Sessions int `json:"sessions_revoked"`
			Tokens   int `json:"tokens_revoked"`
		}
		res := admin.do(t, "POST", "/api/v1/admin/users/"+browser.user.ID+"/revoke", nil).want(t, http.StatusOK)
		res.decode(t, &out)
		if out.Sessions != 2 || out.Tokens != 2 {
			t.Errorf("revoke answered %+v, want 2 sessions (registration, sign-in) and 2 tokens (personal, sign-in)", out)
		}
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		for _, c := range []*client{browser, script, app, bearer} {
			c.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		}
		bystander.me(t)
		if a := auditActions(t, s); !slices.Contains(a, "user.revoke") {
			t.Errorf("audit log %v has no user.revoke", a)
		}
		admin.do(t, "POST", "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/revoke", nil).wantProblem(t, http.StatusNotFound)
		bystander.do(t, "POST", "/api/v1/admin/users/"+browser.user.ID+"/revoke", nil).wantProblem(t, http.StatusForbidden)
		// The old one stays, and now ends tokens as well.
		again, lg2 := s.login(t, "eve", testPassword)
		admin.do(t, "POST", "/api/v1/admin/users/"+browser.user.ID+"/sessions/reset", nil).want(t, http.StatusNoContent)
		again.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		again.withToken(lg2.Token).do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
	})
}

// A password change ends every session and every token, personal ones
// included, except that the browser that made the change gets a new
// session, as verified as the one it replaces. A bearer client that
// changes it loses its token too.
func TestPasswordChangeEndsEveryCredential(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		changer := s.register(t, "gina")
		script := changer.withToken(changer.createToken(t, "script").Token)
		other, lg := s.login(t, "gina", testPassword)
		bearer := other.withToken(lg.Token)

		const next = "a fresh pot of tea"
		res := changer.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": next}).
			want(t, http.StatusNoContent)
		if !slices.ContainsFunc(res.header.Values("Set-Cookie"), func(c string) bool {
			return strings.HasPrefix(c, "recc_session=") && !strings.HasPrefix(c, "recc_session=;")
		}) {
			t.Errorf("no new session cookie: %v", res.header.Values("Set-Cookie"))
		}
		changer.me(t)
		for name, c := range map[string]*client{"personal token": script, "sign-in token": bearer, "other browser": other} {
			if res := c.do(t, "GET", "/api/v1/me", nil); res.status != http.StatusUnauthorized {
				t.Errorf("%s after the change: %s, want 401", name, res)
			}
		}
		var list struct {
			Items []tokenJSON `json:"items"`
		}
		changer.do(t, "GET", "/api/v1/auth/tokens", nil).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("tokens left after the change: %+v", list.Items)
		}

		// Changed with a bearer token: that token ends too, and no cookie
		// is handed out.
		_, lg2 := s.login(t, "gina", next)
		api := s.anon().withToken(lg2.Token)
		res = api.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": next, "new_password": "another pot of tea"}).
			want(t, http.StatusNoContent)
		if len(res.header.Values("Set-Cookie")) != 0 {
			t.Errorf("a bearer client got cookies: %v", res.header.Values("Set-Cookie"))
		}
		api.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		s.login(t, "gina", "another pot of tea")
	})
}

// With a second factor, the browser's new session after a password
// change is verified if the one it replaces was, so the user is not sent
// back to enter a code; a token it creates afterwards inherits that.
func TestPasswordChangeKeepsSecondFactorVerification(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		b := s.register(t, "hana")
		enrolTOTP(t, b, time.Now()) // confirming verifies this session
		b.me(t)
		b.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "a long walk home"}).
			want(t, http.StatusNoContent)
		b.password = "a long walk home"
		var st map[string]any
		b.do(t, "GET", "/api/v1/me/mfa", nil).want(t, http.StatusOK).decode(t, &st)
		if st["verified"] != true {
			t.Errorf("the new session is not verified: %v", st)
		}
		script := b.withToken(b.createToken(t, "script").Token)
		script.me(t) // inherited verification: no code needed
	})
}

// Passwords are checked against the policy on registration and on change,
// and the API says why in errors[].
func TestPasswordPolicyHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		changer := s.register(t, "ivan")
		for _, tc := range []struct {
			password string
			reason   string // a part of errors[].message; "" = accepted
		}{
			{"12345678", "simple pattern"},
			{"        ", "only spaces"},
			{"password", "most common passwords"},
			{"aaaaaaaa", "simple pattern"},
			{"abcdefgh", "simple pattern"},
			{"Password1", "most common passwords"},
			{"iloveyou2024!", "common password with a few characters added"},
			{"USERNAME-2024", "built from your username"},
			{"reccollection!", "built from the site's name"},
			{"short", "at least 8 characters"},
			{"a quiet kitchen garden", ""},
			{"plum-jam-on-toast", ""},
		} {
			name := "u" + strings.ToLower(strings.NewReplacer(" ", "", "!", "", "-", "").Replace(tc.password))
			if len(name) > 20 {
				name = name[:20]
			}
			name = strings.TrimSpace(name) + "x"
			pw := strings.ReplaceAll(tc.password, "USERNAME", name)
			res := s.anon().do(t, "POST", "/api/v1/auth/register", map[string]any{"username": name, "email": name + "@example.test", "password": pw})
			if tc.reason == "" {
				res.want(t, http.StatusCreated)
			} else {
				p := res.wantProblem(t, http.StatusUnprocessableEntity, "password")
				if !slices.ContainsFunc(p.Errors, func(e fieldError) bool { return e.Field == "password" && strings.Contains(e.Message, tc.reason) }) {
					t.Errorf("register with %q: errors %+v, want the reason %q", pw, p.Errors, tc.reason)
				}
			}
			pw = strings.ReplaceAll(tc.password, "USERNAME", "ivan")
			res = changer.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": pw})
			if tc.reason == "" {
				res.want(t, http.StatusNoContent)
				changer.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": pw, "new_password": testPassword}).
					want(t, http.StatusNoContent)
			} else {
				p := res.wantProblem(t, http.StatusUnprocessableEntity, "new_password")
				if !slices.ContainsFunc(p.Errors, func(e fieldError) bool { return e.Field == "new_password" && strings.Contains(e.Message, tc.reason) }) {
					t.Errorf("change to %q: errors %+v, want the reason %q", pw, p.Errors, tc.reason)
				}
			}
		}
	})
}
