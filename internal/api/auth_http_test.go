package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
)

// sessionCookie returns the recc_session cookie a response sets, or nil.
func sessionCookie(t testing.TB, r *response) *http.Cookie {
	t.Helper()
	for _, line := range r.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("parse Set-Cookie %q: %v", line, err)
		}
		if c.Name == authhttp.SessionCookie {
			return c
		}
	}
	return nil
}

// jarSession returns the session cookie value a browser holds.
func (c *client) jarSession(t testing.TB) string {
	t.Helper()
	u, _ := url.Parse(c.base)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == authhttp.SessionCookie {
			return ck.Value
		}
	}
	return ""
}

func (c *client) me(t testing.TB) userJSON {
	t.Helper()
	var u userJSON
	c.do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK).decode(t, &u)
	return u
}

// wantUnauthorized checks a 401 that tells an API client how to sign in.
func (r *response) wantUnauthorized(t testing.TB) {
	t.Helper()
	r.wantProblem(t, http.StatusUnauthorized)
	if h := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
		t.Errorf("401 without a Bearer WWW-Authenticate challenge (got %q): %s", h, r)
	}
}

func TestAccountsHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		// Password hashing dominates this test's time, so one account that
		// no subtest changes serves as the "someone else" of many of them.
		// All subtests share the server's per-IP login limit (20 failures):
		// together they fail fewer than 15 logins.
		shared := s.register(t, "shared")
		sharedAPI := shared.withToken(shared.createToken(t, "shared").Token)
		t.Run("register signs in with a safe cookie", func(t *testing.T) {
			t.Parallel()
			b := s.browser()
			res := b.do(t, "POST", "/api/v1/auth/register", map[string]any{
				"username": "  Alice ", "email": "Alice@Example.TEST", "password": testPassword,
			}).want(t, http.StatusCreated)
			if loc := res.header.Get("Location"); loc != "/api/v1/me" {
				t.Errorf("Location %q, want /api/v1/me", loc)
			}
			var out struct {
				User userJSON `json:"user"`
			}
			res.decode(t, &out)
			u := out.User
			if u.ID == "" || u.Username != "alice" || u.Email != "alice@example.test" || u.DisplayName != "alice" || u.Role != "user" {
				t.Errorf("registered user %+v: want normalised alice, alice@example.test, display name alice, role user", u)
			}
			if strings.Contains(string(res.body), "argon2") || strings.Contains(string(res.body), "password") {
				t.Errorf("register answer mentions the password or its hash: %s", res)
			}
			c := sessionCookie(t, res)
			if c == nil {
				t.Fatalf("register set no %s cookie: %v", authhttp.SessionCookie, res.header.Values("Set-Cookie"))
			}
			if c.Value == "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" || c.MaxAge <= 0 {
				t.Errorf("session cookie %+v: want a value, HttpOnly, SameSite=Lax, not Secure in development, Path=/, MaxAge>0", c)
			}
			if got := b.me(t); got.ID != u.ID {
				t.Errorf("GET /me with the new session is %q, want %q", got.ID, u.ID)
			}
			s.anon().do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
		})

		t.Run("duplicate username or email is 409 naming the field", func(t *testing.T) {
			t.Parallel()
			for _, tc := range []struct {
				username, email, field string
			}{
				{"SHARED", "other@example.test", "username"},
				{"dupe2", "Shared@EXAMPLE.test", "email"},
			} {
				res := s.browser().do(t, "POST", "/api/v1/auth/register", map[string]any{
					"username": tc.username, "email": tc.email, "password": testPassword,
				})
				p := res.wantProblem(t, http.StatusConflict, tc.field)
				if len(p.Errors) != 1 {
					t.Errorf("conflict on %s names %v, want only %s", tc.field, p.fields(), tc.field)
				}
				if sessionCookie(t, res) != nil {
					t.Errorf("a refused registration set a session cookie")
				}
			}
			s.anon().do(t, "GET", "/api/v1/users/dupe2", nil).wantProblem(t, http.StatusNotFound)
		})

		t.Run("every registration rule is 422 and all fields are listed at once", func(t *testing.T) {
			t.Parallel()
			long := func(n int) string { return strings.Repeat("a", n) }
			cases := []struct {
				name                            string
				username, email, password, disp string
				fields                          []string
			}{
				{"password of 7", "rules1", "rules1@example.test", "1234567", "", []string{"password"}},
				{"password of 257", "rules2", "rules2@example.test", strings.Repeat("p", 257), "", []string{"password"}},
				{"password is the username in other case", "longusername", "rules3@example.test", "LongUserName", "", []string{"password"}},
				{"password is the email in other case", "rules4", "mail.me@example.test", "MAIL.ME@Example.Test", "", []string{"password"}},
				{"password missing", "rules5", "rules5@example.test", "", "", []string{"password"}},
				{"username of 2", "ab", "rules6@example.test", testPassword, "", []string{"username"}},
				{"username of 33", long(33), "rules7@example.test", testPassword, "", []string{"username"}},
				{"username with a space", "bad name", "rules8@example.test", testPassword, "", []string{"username"}},
				{"username with an accent", "café", "rules9@example.test", testPassword, "", []string{"username"}},
				{"username with a symbol", "bob!", "rules10@example.test", testPassword, "", []string{"username"}},
				{"username starting with a dot", ".dotty", "rules11@example.test", testPassword, "", []string{"username"}},
				{"username starting with an underscore", "_under", "rules12@example.test", testPassword, "", []string{"username"}},
				{"reserved username in capitals", "Admin", "rules13@example.test", testPassword, "", []string{"username"}},
				{"reserved username api", "api", "rules14@example.test", testPassword, "", []string{"username"}},
				{"username missing", "", "rules15@example.test", testPassword, "", []string{"username"}},
				{"email without @", "rules16", "not-an-email", testPassword, "", []string{"email"}},
				{"email without a dot in the domain", "rules17", "cook@localhost", testPassword, "", []string{"email"}},
				{"email with a display name", "rules18", "Cook <cook@example.test>", testPassword, "", []string{"email"}},
				{"email missing", "rules19", "", testPassword, "", []string{"email"}},
				{"display name of 81", "rules20", "rules20@example.test", testPassword, long(81), []string{"display_name"}},
				{"everything at once", "x!", "nope", "short", long(81), []string{"username", "email", "password", "display_name"}},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					res := s.browser().do(t, "POST", "/api/v1/auth/register", map[string]any{
						"username": tc.username, "email": tc.email, "password": tc.password, "display_name": tc.disp,
					})
					p := res.wantProblem(t, http.StatusUnprocessableEntity, tc.fields...)
					if len(p.Errors) != len(tc.fields) {
						t.Errorf("errors %v, want exactly %v", p.fields(), tc.fields)
					}
					if sessionCookie(t, res) != nil {
						t.Errorf("a refused registration set a session cookie")
					}
				})
			}
			// Nothing was created for the cases whose username was valid.
			for _, name := range []string{"rules1", "rules5", "longusername", "rules16", "rules20"} {
				s.anon().do(t, "GET", "/api/v1/users/"+name, nil).wantProblem(t, http.StatusNotFound)
			}
			// The limits themselves are allowed: 8 and 256 characters
			// (counted as characters, not bytes), of no simple pattern.
			var longest []rune
			for i := 0; len(longest) < 256; i++ {
				longest = append(longest, []rune("é"+strconv.Itoa(i*7919))...)
			}
			for _, ok := range []struct{ username, password string }{
				{"abc", "jam tart"},
				{strings.Repeat("z", 32), string(longest[:256])},
			} {
				s.browser().do(t, "POST", "/api/v1/auth/register", map[string]any{
					"username": ok.username, "email": ok.username + "@example.test", "password": ok.password,
				}).want(t, http.StatusCreated)
			}
		})

		t.Run("login by username or email returns a working bearer token", func(t *testing.T) {
			t.Parallel()
			reg := shared
			_, byName := s.login(t, "shared", testPassword)
			_, byEmail := s.login(t, "  SHARED@example.TEST ", testPassword)
			if byName.Token == byEmail.Token || !strings.HasPrefix(byName.Token, auth.TokenPrefix) {
				t.Errorf("login tokens %q and %q: want two distinct %s… tokens", byName.Token, byEmail.Token, auth.TokenPrefix)
			}
			for _, lg := range []loginJSON{byName, byEmail} {
				if lg.User.ID != reg.user.ID || lg.User.LastLoginAt == nil {
					t.Errorf("login answered user %+v, want %s with last_login_at", lg.User, reg.user.ID)
				}
				if got := s.anon().withToken(lg.Token).me(t); got.ID != reg.user.ID {
					t.Errorf("GET /me with the login token is user %q, want %q", got.ID, reg.user.ID)
				}
			}
		})

		t.Run("wrong password or unknown account is the same 401", func(t *testing.T) {
			t.Parallel()
			wrong := s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "shared", "password": "not the password"})
			pw := wrong.wantProblem(t, http.StatusUnauthorized)
			unknown := s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "nobody-here", "password": "not the password"})
			pu := unknown.wantProblem(t, http.StatusUnauthorized)
			if pw.Detail != pu.Detail {
				t.Errorf("the answers tell a wrong password (%q) from an unknown account (%q)", pw.Detail, pu.Detail)
			}
			if strings.Contains(string(wrong.body), auth.TokenPrefix) || sessionCookie(t, wrong) != nil {
				t.Errorf("a failed login handed out credentials: %s", wrong)
			}
			s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{}).
				wantProblem(t, http.StatusUnprocessableEntity, "login", "password")
		})

		t.Run("five failures lock the account with Retry-After", func(t *testing.T) {
			t.Parallel()
			s.register(t, "victim")
			for i := range 5 {
				s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "victim", "password": "guess " + strconv.Itoa(i)}).
					wantProblem(t, http.StatusUnauthorized)
			}
			res := s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "victim", "password": testPassword})
			res.wantProblem(t, http.StatusTooManyRequests)
			secs, err := strconv.Atoi(res.header.Get("Retry-After"))
			if err != nil || secs <= 0 || secs > 15*60 {
				t.Errorf("Retry-After %q: want a whole number of seconds in (0, 900]", res.header.Get("Retry-After"))
			}
			// Only that account is locked.
			s.login(t, "shared", testPassword)
		})

		// The lock is meant to bound guesses per account, but it is keyed
		// by the login as typed: the same account by email is a fresh key.
		t.Run("the lock holds whether the account is named by username or email", func(t *testing.T) {
			t.Parallel()
			s.register(t, "victim2")
			for i := range 5 {
				s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "victim2", "password": "guess " + strconv.Itoa(i)}).
					wantProblem(t, http.StatusUnauthorized)
			}
			s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "victim2@example.test", "password": testPassword}).
				wantProblem(t, http.StatusTooManyRequests)
		})

		t.Run("logout ends a cookie session", func(t *testing.T) {
			t.Parallel()
			b := s.register(t, "leaver")
			old := b.jarSession(t)
			if old == "" {
				t.Fatal("the browser holds no session cookie after registering")
			}
			res := b.do(t, "POST", "/api/v1/auth/logout", nil).want(t, http.StatusNoContent)
			if c := sessionCookie(t, res); c == nil || c.MaxAge >= 0 {
				t.Errorf("logout did not clear the session cookie: %v", res.header.Values("Set-Cookie"))
			}
			b.do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
			// The server forgot the session: replaying the old cookie is anonymous.
			s.anon().do(t, "GET", "/api/v1/me", nil, header("Cookie", authhttp.SessionCookie+"="+old)).wantUnauthorized(t)
		})

		t.Run("logout with a bearer token revokes the token", func(t *testing.T) {
			t.Parallel()
			reg := s.register(t, "apileaver")
			_, lg := s.login(t, "apileaver", testPassword)
			api := s.anon().withToken(lg.Token)
			api.me(t)
			api.do(t, "POST", "/api/v1/auth/logout", nil).want(t, http.StatusNoContent)
			api.do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
			var list struct {
				Items []tokenJSON `json:"items"`
			}
			reg.do(t, "GET", "/api/v1/auth/tokens", nil).want(t, http.StatusOK).decode(t, &list)
			for _, tok := range list.Items {
				if tok.ID == lg.TokenID {
					t.Errorf("the logged-out token %s is still listed", lg.TokenID)
				}
			}
			// The browser session of the same user is untouched.
			reg.me(t)
		})

		t.Run("tokens are shown once, listed without secrets, revocable by their owner only", func(t *testing.T) {
			t.Parallel()
			owner := s.register(t, "tokenowner")
			res := owner.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "ci"}).want(t, http.StatusCreated)
			var tok tokenJSON
			res.decode(t, &tok)
			if tok.ID == "" || tok.Name != "ci" || !strings.HasPrefix(tok.Token, auth.TokenPrefix) || tok.ExpiresAt != nil {
				t.Errorf("created token %+v: want id, name ci, a %s secret, no expiry", tok, auth.TokenPrefix)
			}
			var short tokenJSON
			owner.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "short", "expires_in_days": 7}).
				want(t, http.StatusCreated).decode(t, &short)
			if short.ExpiresAt == nil || time.Until(*short.ExpiresAt) < 6*24*time.Hour || time.Until(*short.ExpiresAt) > 8*24*time.Hour {
				t.Errorf("a 7-day token expires at %v", short.ExpiresAt)
			}
			owner.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "", "expires_in_days": 0}).
				wantProblem(t, http.StatusUnprocessableEntity, "name", "expires_in_days")

			list := owner.do(t, "GET", "/api/v1/auth/tokens", nil).want(t, http.StatusOK)
			if strings.Contains(string(list.body), tok.Token) || strings.Contains(string(list.body), short.Token) {
				t.Errorf("the token list shows a secret: %s", list)
			}
			var items struct {
				Items []map[string]any `json:"items"`
			}
			list.decode(t, &items)
			var names []string
			for _, it := range items.Items {
				for _, secret := range []string{"token", "hash", "token_hash"} {
					if _, ok := it[secret]; ok {
						t.Errorf("a listed token has a %q field: %v", secret, it)
					}
				}
				names = append(names, it["name"].(string))
			}
			if !slices.Contains(names, "ci") || !slices.Contains(names, "short") {
				t.Errorf("token list names %v, want ci and short", names)
			}

			api := owner.withToken(tok.Token)
			api.me(t)
			thief := sharedAPI
			thief.do(t, "DELETE", "/api/v1/auth/tokens/"+tok.ID, nil).wantProblem(t, http.StatusNotFound)
			api.me(t)
			owner.do(t, "DELETE", "/api/v1/auth/tokens/"+tok.ID, nil).want(t, http.StatusNoContent)
			api.do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
			owner.do(t, "DELETE", "/api/v1/auth/tokens/"+tok.ID, nil).wantProblem(t, http.StatusNotFound)
			owner.do(t, "DELETE", "/api/v1/auth/tokens/not-a-uuid", nil).wantProblem(t, http.StatusNotFound)
			var after struct {
				Items []tokenJSON `json:"items"`
			}
			owner.do(t, "GET", "/api/v1/auth/tokens", nil).want(t, http.StatusOK).decode(t, &after)
			if len(after.Items) != 1 || after.Items[0].ID != short.ID {
				t.Errorf("after revoking ci the list is %+v, want only short", after.Items)
			}
			s.anon().do(t, "GET", "/api/v1/auth/tokens", nil).wantUnauthorized(t)
			s.anon().do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "x"}).wantUnauthorized(t)
		})

		// Personal tokens are capped per user; the cap must not lock the
		// user out of signing in, which issues a token of its own.
		t.Run("the token limit is 409 and does not block signing in", func(t *testing.T) {
			t.Parallel()
			b := s.register(t, "hoarder")
			for i := range 100 {
				b.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": fmt.Sprintf("t%d", i)}).want(t, http.StatusCreated)
			}
			b.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "one too many"}).wantProblem(t, http.StatusConflict)
			s.login(t, "hoarder", testPassword)
		})

		t.Run("a malformed Authorization header is 401 with a challenge", func(t *testing.T) {
			t.Parallel()
			b := shared
			tok := sharedAPI.token
			for _, h := range []string{
				"Basic dXNlcjpwYXNz",
				"Bearer",
				"Bearer    ",
				"Token " + tok,
				"Bearer " + strings.Repeat("x", 201),
				"Bearer recc_never-issued",
				"Bearer " + tok + "x",
			} {
				// Even with a valid session cookie, a bad header is refused.
				b.do(t, "GET", "/api/v1/me", nil, header("Authorization", h)).wantUnauthorized(t)
			}
			// The scheme is case-insensitive.
			var u userJSON
			s.anon().do(t, "GET", "/api/v1/me", nil, header("Authorization", "bearer "+tok)).want(t, http.StatusOK).decode(t, &u)
			if u.ID != b.user.ID {
				t.Errorf("lower-case bearer scheme authenticated %q, want %q", u.ID, b.user.ID)
			}
		})

		t.Run("PATCH /me changes only the given fields", func(t *testing.T) {
			t.Parallel()
			taken := shared
			me := s.apiClient(t, "patcher")
			var u userJSON
			me.do(t, "PATCH", "/api/v1/me", map[string]any{"display_name": "  Pat  ", "bio": "Line one\nLine two"}).
				want(t, http.StatusOK).decode(t, &u)
			if u.DisplayName != "Pat" || u.Bio != "Line one\nLine two" || u.Email != "patcher@example.test" {
				t.Errorf("after PATCH: %+v", u)
			}
			// A new email is asked for, not saved (it waits for the link
			// sent to it: internal/app's emailchange_test.go).
			var pending struct {
				Email        string  `json:"email"`
				PendingEmail *string `json:"pending_email"`
			}
			me.do(t, "PATCH", "/api/v1/me", map[string]any{"email": "New.Patcher@Example.test"}).want(t, http.StatusOK).decode(t, &pending)
			if pending.Email != "patcher@example.test" || pending.PendingEmail == nil || *pending.PendingEmail != "new.patcher@example.test" {
				t.Errorf("PATCH email answered %+v", pending)
			}
			if got := me.me(t); got.Email != "patcher@example.test" || got.DisplayName != "Pat" || got.Bio != "Line one\nLine two" || got.UnitSystem != "" {
				t.Errorf("GET /me after PATCH: %+v", got)
			}
			me.do(t, "PATCH", "/api/v1/me", map[string]any{"unit_system": "metric"}).want(t, http.StatusOK)
			if got := me.me(t); got.UnitSystem != "metric" || got.DisplayName != "Pat" {
				t.Errorf("GET /me after choosing metric: %+v", got)
			}
			before := me.me(t)
			me.do(t, "PATCH", "/api/v1/me", map[string]any{"display_name": "", "email": "bad", "bio": strings.Repeat("b", auth.MaxBio+1), "unit_system": "imperial"}).
				wantProblem(t, http.StatusUnprocessableEntity, "display_name", "email", "bio", "unit_system")
			me.do(t, "PATCH", "/api/v1/me", map[string]any{"email": taken.user.Email}).
				wantProblem(t, http.StatusConflict, "email")
			me.do(t, "PATCH", "/api/v1/me", map[string]any{"role": "admin", "username": "root"}).
				wantProblem(t, http.StatusUnprocessableEntity, "role", "username")
			if after := me.me(t); !sameAccount(after, before) {
				t.Errorf("refused PATCHes changed the account: %+v, was %+v", after, before)
			}
			s.anon().do(t, "PATCH", "/api/v1/me", map[string]any{"bio": "x"}).wantUnauthorized(t)
		})

		t.Run("changing the password ends other sessions", func(t *testing.T) {
			t.Parallel()
			b1 := s.register(t, "changer")
			b2, _ := s.login(t, "changer", testPassword)
			const newPassword = "a brand new secret phrase"
			b1.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": "not my password", "new_password": newPassword}).
				wantProblem(t, http.StatusUnprocessableEntity, "current_password")
			b1.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "short"}).
				wantProblem(t, http.StatusUnprocessableEntity, "new_password")
			b1.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "CHANGER@example.test"}).
				wantProblem(t, http.StatusUnprocessableEntity, "new_password")
			b1.do(t, "POST", "/api/v1/me/password", map[string]any{}).
				wantProblem(t, http.StatusUnprocessableEntity, "current_password", "new_password")
			b2.me(t) // refused changes end nothing

			b1.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": newPassword}).
				want(t, http.StatusNoContent)
			b1.me(t) // the browser that changed it stays signed in
			b2.do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
			s.anon().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "changer", "password": testPassword}).
				wantProblem(t, http.StatusUnauthorized)
			s.login(t, "changer", newPassword)
			s.anon().do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": "x", "new_password": newPassword}).
				wantUnauthorized(t)
		})

		// A bearer token from POST /auth/login is a sign-in like a cookie
		// session; whoever signed in with the old password keeps access
		// through it unless the change revokes it.
		t.Run("changing the password revokes tokens issued by login", func(t *testing.T) {
			t.Parallel()
			b := s.register(t, "changer2")
			_, lg := s.login(t, "changer2", testPassword)
			other := s.anon().withToken(lg.Token)
			other.me(t)
			b.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "another new secret"}).
				want(t, http.StatusNoContent)
			other.do(t, "GET", "/api/v1/me", nil).wantUnauthorized(t)
		})

		t.Run("wrong current passwords are throttled too", func(t *testing.T) {
			t.Parallel()
			b := s.register(t, "guesser")
			for i := range 5 {
				b.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": "guess " + strconv.Itoa(i), "new_password": "whatever it is now"}).
					wantProblem(t, http.StatusUnprocessableEntity, "current_password")
			}
			res := b.do(t, "POST", "/api/v1/me/password", map[string]any{"current_password": testPassword, "new_password": "whatever it is now"})
			res.wantProblem(t, http.StatusTooManyRequests)
			if secs, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || secs <= 0 {
				t.Errorf("Retry-After %q: want a positive whole number", res.header.Get("Retry-After"))
			}
		})

		t.Run("profile recipe_count counts only what the caller may list", func(t *testing.T) {
			t.Parallel()
			author := s.apiClient(t, "counter")
			viewer := sharedAPI
			for _, vis := range []string{"public", "public", "unlisted", "private"} {
				author.createRecipe(t, recipeBody("Counted "+vis, vis))
			}
			for _, tc := range []struct {
				name string
				c    *client
				want int
			}{{"anonymous", s.anon(), 2}, {"another user", viewer, 2}, {"the author", author, 4}} {
				res := tc.c.do(t, "GET", "/api/v1/users/COUNTER", nil).want(t, http.StatusOK)
				var p map[string]any
				res.decode(t, &p)
				if p["username"] != "counter" || p["recipe_count"] != float64(tc.want) {
					t.Errorf("%s sees profile %v, want username counter and recipe_count %d", tc.name, p, tc.want)
				}
				if _, ok := p["email"]; ok {
					t.Errorf("the public profile shows the email: %s", res)
				}
			}
			s.anon().do(t, "GET", "/api/v1/users/nobody-at-all", nil).wantProblem(t, http.StatusNotFound)
		})
	})
}
