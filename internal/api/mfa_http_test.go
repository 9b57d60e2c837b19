package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/api"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// totpAt is the code of secret for the 30-second step step steps after t0.
func totpAt(t testing.TB, secret string, t0 time.Time, step int) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, t0.Add(time.Duration(step)*30*time.Second),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type enrolmentJSON struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
	QRPNG      string `json:"qr_png"`
}

// enrolTOTP turns TOTP on for c's account through the API, with the code
// of the step of t0, and returns the secret and the recovery codes.
func enrolTOTP(t testing.TB, c *client, t0 time.Time) (string, []string) {
	t.Helper()
	var e enrolmentJSON
	res := c.do(t, "POST", "/api/v1/me/mfa/totp", map[string]any{"password": c.password}).want(t, http.StatusCreated)
	res.decode(t, &e)
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("enrolment answer Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
	}
	var out struct {
		RecoveryCodes []string `json:"recovery_codes"`
	}
	c.do(t, "POST", "/api/v1/me/mfa/totp/confirm", map[string]any{"code": totpAt(t, e.Secret, t0, 0)}).want(t, http.StatusOK).decode(t, &out)
	return e.Secret, out.RecoveryCodes
}

func auditActions(t testing.TB, s *server) []string {
	t.Helper()
	log, err := s.Store.AuditLog(context.Background(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range log {
		out = append(out, e.Action)
	}
	return out
}

func TestSecondFactorHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		t0 := time.Now()
		b := s.register(t, "ana")
		script := b.withToken(b.createToken(t, "script").Token) // made before enrolment: unverified

		var st map[string]any
		b.do(t, "GET", "/api/v1/me/mfa", nil).want(t, http.StatusOK).decode(t, &st)
		if st["enabled"] != false || st["pending"] != false {
			t.Errorf("status before enrolment: %v", st)
		}
		b.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": "123456"}).wantProblem(t, http.StatusConflict)
		b.do(t, "POST", "/api/v1/me/mfa/totp/confirm", map[string]any{"code": "123456"}).wantProblem(t, http.StatusConflict)
		b.do(t, "DELETE", "/api/v1/me/mfa/totp", map[string]any{"code": "123456"}).wantProblem(t, http.StatusConflict)
		b.do(t, "POST", "/api/v1/me/mfa/totp", map[string]any{"password": "not it"}).wantProblem(t, http.StatusUnprocessableEntity, "password")
		b.do(t, "POST", "/api/v1/me/mfa/totp", map[string]any{}).wantProblem(t, http.StatusUnprocessableEntity, "password")
		s.anon().do(t, "POST", "/api/v1/me/mfa/totp", map[string]any{"password": "x"}).wantProblem(t, http.StatusUnauthorized)

		var e enrolmentJSON
		b.do(t, "POST", "/api/v1/me/mfa/totp", map[string]any{"password": testPassword}).want(t, http.StatusCreated).decode(t, &e)
		png, err := base64.StdEncoding.DecodeString(e.QRPNG)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("qr_png is not a base64 PNG (%v)", err)
		}
		if !strings.HasPrefix(e.OTPAuthURL, "otpauth://totp/") || !strings.Contains(e.OTPAuthURL, "issuer=RecCollection") || e.Secret == "" {
			t.Errorf("enrolment: %+v", e)
		}
		b.do(t, "POST", "/api/v1/me/mfa/totp/confirm", map[string]any{"code": "000000"}).wantProblem(t, http.StatusUnprocessableEntity, "code")
		b.do(t, "POST", "/api/v1/me/mfa/totp/confirm", map[string]any{"code": ""}).wantProblem(t, http.StatusUnprocessableEntity, "code")
		var rc struct {
			RecoveryCodes []string `json:"recovery_codes"`
		}
		res := b.do(t, "POST", "/api/v1/me/mfa/totp/confirm", map[string]any{"code": totpAt(t, e.Secret, t0, 0)}).want(t, http.StatusOK)
		res.decode(t, &rc)
		if len(rc.RecoveryCodes) != auth.RecoveryCodeCount || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("confirm: %d recovery codes, Cache-Control %q", len(rc.RecoveryCodes), res.header.Get("Cache-Control"))
		}
		b.do(t, "POST", "/api/v1/me/mfa/totp", map[string]any{"password": testPassword}).wantProblem(t, http.StatusConflict)

		// The session that confirmed is verified; the older token is not.
		b.do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		b.do(t, "GET", "/api/v1/me/mfa", nil).want(t, http.StatusOK).decode(t, &st)
		if st["enabled"] != true || st["verified"] != true || st["recovery_codes_left"] != float64(10) {
			t.Errorf("status after enrolment: %v", st)
		}
		p := script.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "POST a current code") || !strings.Contains(p.Detail, "/api/v1/me/mfa/verify") {
			t.Errorf("401 detail does not say how to verify: %q", p.Detail)
		}
		script.do(t, "GET", "/api/v1/recipes", nil).wantProblem(t, http.StatusUnauthorized)
		script.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": "000000"}).wantProblem(t, http.StatusUnprocessableEntity, "code")
		script.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": strings.ToLower(rc.RecoveryCodes[0])}).want(t, http.StatusNoContent)
		script.do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		// A token made by a verified credential starts verified.
		b.withToken(b.createToken(t, "after").Token).do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)

		// A new sign-in starts unverified: token and session alike.
		fresh, login := s.login(t, "ana", testPassword)
		var lj map[string]any
		s.browser().do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "ana", "password": testPassword}).want(t, http.StatusOK).decode(t, &lj)
		if lj["mfa_required"] != true {
			t.Errorf("login answer mfa_required = %v, want true", lj["mfa_required"])
		}
		tok := fresh.withToken(login.Token)
		tok.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		fresh.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized)
		fresh.do(t, "PATCH", "/api/v1/me", map[string]any{"bio": "x"}).wantProblem(t, http.StatusUnauthorized)
		fresh.do(t, "GET", "/api/v1/openapi.json", nil).want(t, http.StatusOK)
		// The reused confirming code is refused; the next step's works.
		tok.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": totpAt(t, e.Secret, t0, 0)}).wantProblem(t, http.StatusUnprocessableEntity, "code")
		tok.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": totpAt(t, e.Secret, t0, 1)}).want(t, http.StatusNoContent)
		tok.do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		fresh.do(t, "GET", "/api/v1/me", nil).wantProblem(t, http.StatusUnauthorized) // the session is another credential
		fresh.do(t, "POST", "/api/v1/auth/logout", nil).want(t, http.StatusNoContent)

		// Guessing is throttled per account, with Retry-After. The wrong
		// codes above still count (a right code gives back only its own
		// attempt), so the budget runs out within FailuresPerAccountMFA.
		guesser, _ := s.login(t, "ana", testPassword)
		for i := 0; ; i++ {
			res = guesser.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": "000000"})
			if res.status == http.StatusTooManyRequests {
				break
			}
			res.wantProblem(t, http.StatusUnprocessableEntity, "code")
			if i == account.FailuresPerAccountMFA {
				t.Fatalf("%d wrong codes in a row were checked; the budget is %d", i+1, account.FailuresPerAccountMFA)
			}
		}
		res = guesser.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": rc.RecoveryCodes[1]})
		res.wantProblem(t, http.StatusTooManyRequests)
		if res.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}

		actions := auditActions(t, s)
		for _, want := range []string{"mfa.enrol", "mfa.verify", "mfa.verify_failed"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit log lacks %s: %v", want, actions)
			}
		}

		// Turning it off (another account, unthrottled) needs a valid code.
		bo := s.register(t, "bob")
		_, codes := enrolTOTP(t, bo, t0)
		bo.do(t, "DELETE", "/api/v1/me/mfa/totp", map[string]any{"code": "000000"}).wantProblem(t, http.StatusUnprocessableEntity, "code")
		bo.do(t, "DELETE", "/api/v1/me/mfa/totp", map[string]any{"code": codes[0]}).want(t, http.StatusNoContent)
		bo.do(t, "GET", "/api/v1/me/mfa", nil).want(t, http.StatusOK).decode(t, &st)
		if st["enabled"] != false {
			t.Errorf("still enabled after DELETE: %v", st)
		}
		again, _ := s.login(t, "bob", testPassword)
		again.do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		if !slices.Contains(auditActions(t, s), "mfa.disable") {
			t.Error("audit log lacks mfa.disable")
		}
	})
}

// In development the admin gate lets admins in without a second factor.
func TestAdminStatusDevelopmentHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		s.anon().do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusUnauthorized)
		s.apiClient(t, "someone").do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusForbidden)
		var st map[string]any
		s.admin(t, "boss").do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK).decode(t, &st)
		if st["engine"] != s.engine || st["database"] != "ok" || st["schema_version"] != st["schema_target"] || st["schema_target"] == float64(0) {
			t.Errorf("status: %v", st)
		}
		if st["storage"] != "ok" || st["storage_description"] != s.App.Media().Describe() {
			t.Errorf("storage in status: %v %v", st["storage"], st["storage_description"])
		}
		if q, ok := st["queue"].(map[string]any); !ok || q["health"] != "ok" || q["available"] == nil || q["failed_last_day"] == nil {
			t.Errorf("queue in status: %v", st["queue"])
		}
		for _, k := range []string{"version", "commit"} {
			if _, ok := st[k]; !ok {
				t.Errorf("status lacks %s", k)
			}
		}
	})
}

// In production an admin needs an enrolled and verified second factor, per
// session and per token.
func TestAdminGateProductionHTTP(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			s := &server{Server: testutil.StartProductionServer(t, engine), engine: engine}
			t0 := time.Now()
			s.anon().do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusUnauthorized)
			s.register(t, "someone").do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusForbidden)

			boss := s.register(t, "boss")
			if err := s.Store.SetRole(context.Background(), boss.user.ID, auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			p := boss.do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusForbidden)
			if !strings.Contains(p.Detail, "enrol your second factor") {
				t.Errorf("403 without enrolment: %q", p.Detail)
			}
			secret, codes := enrolTOTP(t, boss, t0)
			var st map[string]any
			boss.do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK).decode(t, &st)
			if st["engine"] != engine || st["database"] != "ok" {
				t.Errorf("status: %v", st)
			}

			// A new session of the same admin starts unverified.
			later, login := s.login(t, "boss", testPassword)
			p = later.do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusForbidden)
			if !strings.Contains(p.Detail, "verify your second factor") {
				t.Errorf("403 before verifying: %q", p.Detail)
			}
			tok := later.withToken(login.Token)
			tok.do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusForbidden)
			later.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": totpAt(t, secret, t0, 1)}).want(t, http.StatusNoContent)
			later.do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK)
			tok.do(t, "GET", "/api/v1/admin/status", nil).wantProblem(t, http.StatusForbidden) // its own proof
			tok.do(t, "POST", "/api/v1/me/mfa/verify", map[string]any{"code": codes[0]}).want(t, http.StatusNoContent)
			tok.do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK)
		})
	}
}

// TestEveryAdminEndpointNeedsMFAInProduction walks every /api/v1/admin
// route the API registers: in production an admin who has not enrolled a
// second factor is refused each one with 403, and after enrolling (which
// verifies the session) none of them is refused for that reason.
func TestEveryAdminEndpointNeedsMFAInProduction(t *testing.T) {
	s := &server{Server: testutil.StartProductionServer(t, "sqlite"), engine: "sqlite"}
	boss := s.register(t, "chief")
	if err := s.Store.SetRole(context.Background(), boss.user.ID, auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	other := s.register(t, "cook")
	var routes [][2]string
	for _, p := range api.New(nil, nil, nil, false).Patterns() {
		method, path, _ := strings.Cut(p, " ")
		if !strings.HasPrefix(path, "/api/v1/admin") {
			continue
		}
		path = strings.NewReplacer("{id}", other.user.ID, "{key}", "recipe-share-link").Replace(path)
		routes = append(routes, [2]string{method, path})
	}
	if len(routes) < 8 {
		t.Fatalf("found only %d admin routes: %v", len(routes), routes)
	}
	body := func(method string) any {
		if method == "GET" {
			return nil
		}
		return map[string]any{}
	}
	for _, r := range routes {
		p := boss.do(t, r[0], r[1], body(r[0])).wantProblem(t, http.StatusForbidden)
		if !strings.Contains(p.Detail, "second factor") {
			t.Errorf("%s %s without MFA: 403 %q, want the second-factor reason", r[0], r[1], p.Detail)
		}
	}
	enrolTOTP(t, boss, time.Now())
	for _, r := range routes {
		res := boss.do(t, r[0], r[1], body(r[0]))
		if res.status == http.StatusForbidden || res.status == http.StatusUnauthorized {
			t.Errorf("%s %s after enrolling: %d", r[0], r[1], res.status)
		}
	}
}
