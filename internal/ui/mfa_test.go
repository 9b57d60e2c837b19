package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

func codeAt(t testing.TB, secret string, t0 time.Time, step int) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, t0.Add(time.Duration(step)*30*time.Second),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrolPages turns TOTP on through the settings page and returns the
// secret and the recovery codes it showed.
func enrolPages(t testing.TB, b *browser, t0 time.Time) (string, []string) {
	t.Helper()
	r := b.post(t, "/settings/mfa/start", url.Values{"password": {b.password}}).want(t, http.StatusOK)
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the secret may be cached: Cache-Control %q", r.header.Get("Cache-Control"))
	}
	d := assertDocument(t, r)
	if img := d.first("img.qr-code"); img == nil || !strings.HasPrefix(img.get("src"), "data:image/png;base64,") || img.get("alt") == "" {
		t.Fatalf("no QR code image with a data: URL and alt text")
	}
	secret := inputValue(t, d, "mfa-secret")
	r = b.post(t, "/settings/mfa/confirm", url.Values{"code": {codeAt(t, secret, t0, 0)}}).want(t, http.StatusOK)
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with recovery codes may be cached: Cache-Control %q", r.header.Get("Cache-Control"))
	}
	codes := assertDocument(t, r).texts(".recovery-codes li")
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	return secret, codes
}

func TestSecondFactorPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *site) {
		t0 := time.Now()
		ann := s.register(t, "ann")
		d := assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
		if h := d.first("#mfa-heading"); h == nil || h.textContent() != "Two-factor authentication" {
			t.Fatal("no two-factor card on the settings page")
		}
		if !strings.Contains(d.first("#mfa-heading").parent.textContent(), "Off") {
			t.Error("the card does not say two-factor authentication is off")
		}

		r := ann.post(t, "/settings/mfa/start", url.Values{"password": {"wrong password"}}).want(t, http.StatusUnprocessableEntity)
		d = assertDocument(t, r)
		assertFieldError(t, d, "mfa_password", "not your current password")
		if _, ok := summaryLinks(t, d)["mfa_password"]; !ok {
			t.Error("error summary has no link to #mfa_password")
		}
		r = ann.post(t, "/settings/mfa/start", url.Values{"password": {testPassword}}).want(t, http.StatusOK)
		secret := inputValue(t, assertDocument(t, r), "mfa-secret")
		d = assertDocument(t, ann.post(t, "/settings/mfa/confirm", url.Values{"code": {"000000"}}).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "mfa_code", "not valid")
		if d.first("img.qr-code") != nil {
			t.Error("a failed confirmation shows the secret again")
		}
		r = ann.post(t, "/settings/mfa/confirm", url.Values{"code": {codeAt(t, secret, t0, 0)}}).want(t, http.StatusOK)
		codes := assertDocument(t, r).texts(".recovery-codes li")
		if len(codes) != auth.RecoveryCodeCount {
			t.Fatalf("%d recovery codes shown", len(codes))
		}
		d = assertDocument(t, ann.get(t, "/settings").want(t, http.StatusOK))
		if card := d.first("#mfa-heading").parent.textContent(); !strings.Contains(card, "On since") || !strings.Contains(card, "10 recovery codes left") {
			t.Errorf("card after enrolment: %q", card)
		}
		if len(d.all(".recovery-codes li")) != 0 {
			t.Error("recovery codes shown a second time")
		}

		// Signing in again asks for the code before anything else.
		b := s.browser()
		r = b.post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}, "next": {"/recipes/new"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/login/verify?next=%2Frecipes%2Fnew" {
			t.Fatalf("after the password: redirected to %q", loc)
		}
		for _, p := range []string{"/", "/settings", "/recipes", "/u/ann"} {
			if loc := b.get(t, p).want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login/verify?next=") {
				t.Errorf("GET %s before the code: redirected to %q", p, loc)
			}
		}
		d = assertDocument(t, b.get(t, "/login/verify?next=/recipes/new").want(t, http.StatusOK))
		in := d.one(t, "input#code")
		if in.get("inputmode") != "numeric" || in.get("autocomplete") != "one-time-code" || d.first(`label[for="code"]`) == nil {
			t.Errorf("code field: inputmode %q autocomplete %q", in.get("inputmode"), in.get("autocomplete"))
		}
		if d.first(`label[for="recovery_code"]`) == nil {
			t.Error("no recovery code field")
		}
		d = assertDocument(t, b.post(t, "/login/verify", url.Values{"code": {"000000"}, "next": {"/recipes/new"}}).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "code", "not valid")
		if d.first("#error-summary[role=alert]") == nil {
			t.Error("no role=alert error summary")
		}
		d = assertDocument(t, b.post(t, "/login/verify", url.Values{"recovery_code": {"AAAAA-BBBBB"}, "next": {"/recipes/new"}}).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "recovery_code", "not valid")
		r = b.post(t, "/login/verify", url.Values{"recovery_code": {codes[0]}, "next": {"/recipes/new"}}).want(t, http.StatusSeeOther)
		if loc := r.location(t); loc != "/recipes/new" {
			t.Errorf("after the code: redirected to %q", loc)
		}
		b.get(t, "/recipes/new").want(t, http.StatusOK)
		b.get(t, "/login/verify").want(t, http.StatusSeeOther) // nothing left to verify

		// Logging out works before verifying.
		c := s.browser()
		c.post(t, "/login", url.Values{"login": {"ann"}, "password": {testPassword}, "next": {"/"}}).want(t, http.StatusSeeOther)
		c.post(t, "/logout", nil).want(t, http.StatusSeeOther)
		c.get(t, "/").want(t, http.StatusOK)

		// Turning it off needs a valid code.
		d = assertDocument(t, b.post(t, "/settings/mfa/disable", url.Values{"code": {"000000"}}).want(t, http.StatusUnprocessableEntity))
		assertFieldError(t, d, "mfa_disable_code", "not valid")
		r = b.post(t, "/settings/mfa/disable", url.Values{"code": {codes[1]}}).want(t, http.StatusSeeOther)
		if f := flash(t, b.follow(t, r)); f != "Two-factor authentication is off." {
			t.Errorf("flash %q", f)
		}
		s.login(t, "ann").get(t, "/settings").want(t, http.StatusOK)
	})
}

func TestAdminPageDevelopment(t *testing.T) {
	t.Parallel()
	s := newSite(t, "sqlite")
	d := assertDocument(t, s.register(t, "someone").get(t, "/admin").want(t, http.StatusForbidden))
	if h := d.one(t, "h1").textContent(); h != "Administrators only" {
		t.Errorf("non-admin sees %q", h)
	}
	boss := s.register(t, "boss")
	if err := s.Store.SetRole(context.Background(), s.userID(t, "boss"), auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	d = assertDocument(t, boss.get(t, "/admin").want(t, http.StatusOK))
	if !strings.Contains(d.first("main").textContent(), "sqlite") {
		t.Error("status page does not name the engine")
	}
	if loc := s.browser().get(t, "/admin").want(t, http.StatusSeeOther).location(t); !strings.HasPrefix(loc, "/login") {
		t.Errorf("anonymous: redirected to %q", loc)
	}
}

func TestAdminPageProduction(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartProductionServer(t, engine)
			s := wrapSite(t, srv, engine)
			s.tr.TLSClientConfig = srv.HTTP.Client().Transport.(*http.Transport).TLSClientConfig
			t0 := time.Now()
			boss := s.register(t, "boss")
			if err := s.Store.SetRole(context.Background(), s.userID(t, "boss"), auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			d := assertDocument(t, boss.get(t, "/admin").want(t, http.StatusForbidden))
			if h := d.one(t, "h1").textContent(); h != "Set up two-factor authentication first" || d.first(`a[href="/settings#mfa-heading"]`) == nil {
				t.Errorf("admin without TOTP sees %q, without a link to settings", h)
			}
			secret, _ := enrolPages(t, boss, t0)
			boss.get(t, "/admin").want(t, http.StatusOK)

			later := s.login(t, "boss")
			if loc := later.get(t, "/admin").want(t, http.StatusSeeOther).location(t); loc != "/login/verify?next=%2Fadmin" {
				t.Errorf("unverified session: redirected to %q", loc)
			}
			later.post(t, "/login/verify", url.Values{"code": {codeAt(t, secret, t0, 1)}, "next": {"/admin"}}).want(t, http.StatusSeeOther)
			later.get(t, "/admin").want(t, http.StatusOK)
		})
	}
}
