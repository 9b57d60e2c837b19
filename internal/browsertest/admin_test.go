package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestAdminWithSecondFactor is an administrator's first day in production
// mode, over HTTPS, at a phone and a desktop viewport: the admin console
// refuses them until they turn on two-factor authentication in settings
// (QR code, code from the app, recovery codes shown once); a later sign-in
// asks for a code (a wrong one is refused beside the field), then for a
// recovery code; the console lets them find a user with the keyboard,
// disable the account and roll a feature flag out, and the audit log shows
// it all. Every page is checked with axe-core and photographed.
func TestAdminWithSecondFactor(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartProductionServer(t, "sqlite")
			b := newTab(t, srv.URL, vp)
			adminFlow(b, srv)
		})
	}
}

func adminFlow(b *tab, srv *testutil.Server) {
	boss, cook := newAccount("Boss", b.vp), newAccount("Cook", b.vp)
	ctx := context.Background()

	b.open("/register", 200)
	register(b, cook)
	logout(b)
	b.open("/register", 200)
	register(b, boss)
	u, err := srv.Store.UserByUsername(ctx, boss.username)
	if err != nil {
		b.fatalf("find %s: %v", boss.username, err)
	}
	if err := srv.Store.SetRole(ctx, u.ID, auth.RoleAdmin); err != nil {
		b.fatalf("make %s an admin: %v", boss.username, err)
	}

	// Without a second factor the console sends the admin to settings.
	b.open("/admin", 403)
	if h := b.text(css("h1")); h != "Set up two-factor authentication first" {
		b.fatalf("admin without TOTP sees %q", h)
	}
	b.shot("admin-needs-mfa")
	b.checkPage("admin refused")
	b.follow(link("Go to settings"), 200)

	// Enrol: password, QR code, a code from the "app", recovery codes.
	b.fill(css("#mfa_password"), boss.password)
	b.follow(button("Set up two-factor authentication"), 200)
	b.waitVisible(css("img.qr-code"))
	if alt, _ := b.attr("img.qr-code", "alt"); alt == "" {
		b.errorf("the QR code has no text alternative")
	}
	secret := b.text(css("#mfa-secret"))
	if secret == "" {
		b.fatalf("no set-up key shown beside the QR code")
	}
	b.shot("mfa-setup")
	b.checkPage("settings: two-factor set-up")
	app := &authenticator{secret: secret}
	b.fill(css("#mfa_code"), app.code(b))
	b.follow(button("Turn on"), 200)
	b.waitVisible(css(".recovery-codes"))
	codes := b.texts(".recovery-codes li")
	if len(codes) != auth.RecoveryCodeCount {
		b.fatalf("%d recovery codes shown, want %d", len(codes), auth.RecoveryCodeCount)
	}
	b.shot("mfa-recovery-codes")
	b.checkPage("settings: recovery codes")

	// Enrolling verified this session: the console opens.
	b.open("/admin", 200)
	if s := b.text(css(".status-list")); !strings.Contains(s, "sqlite") {
		b.errorf("the system status does not name the engine: %q", s)
	}
	b.shot("admin-console")
	b.checkPage("admin console")

	// A new sign-in needs the second factor before the console: a wrong
	// code is refused beside the field, the next code from the app works.
	logout(b)
	b.open("/login?next=/admin", 200)
	b.fill(css(`input[name="login"]`), boss.username)
	b.fill(css(`input[name="password"]`), boss.password)
	b.follow(byText(`form button[type=submit]`, "Log in"), 200)
	if p := b.path(); !strings.HasPrefix(p, "/login/verify") {
		b.fatalf("after the password, an admin with TOTP is at %s, want /login/verify", p)
	}
	b.shot("verify")
	b.checkPage("sign-in: second factor")
	b.fill(css("#code"), "000000")
	b.follow(button("Verify"), 422)
	if inv, _ := b.attr("#code", "aria-invalid"); inv != "true" {
		b.errorf("a wrong code is not marked invalid on the field")
	}
	b.waitVisible(css("#code-error"))
	b.shot("verify-wrong-code")
	b.checkPage("sign-in: wrong code")
	b.fill(css("#code"), app.code(b))
	b.follow(button("Verify"), 200)
	if p := b.path(); p != "/admin" {
		b.fatalf("after the code the admin is at %s, want /admin", p)
	}

	// Once more with a recovery code, opened from its disclosure by
	// keyboard.
	logout(b)
	b.open("/login?next=/admin", 200)
	b.fill(css(`input[name="login"]`), boss.username)
	b.fill(css(`input[name="password"]`), boss.password)
	b.follow(byText(`form button[type=submit]`, "Log in"), 200)
	evalJS[bool](b, `(document.querySelector('details.recovery summary').focus(), true)`)
	b.press(kb.Enter)
	b.fill(css("#recovery_code"), codes[0])
	b.follow(button("Use recovery code"), 200)
	if p := b.path(); p != "/admin" {
		b.fatalf("after a recovery code the admin is at %s, want /admin", p)
	}

	// Find the cook by keyboard and disable the account.
	b.fill(css("#user-q"), cook.username)
	b.followKey(kb.Enter, 200)
	row := `#user-results tbody tr`
	if n := b.count(row); n != 1 {
		b.fatalf("searching %q found %d users, want 1", cook.username, n)
	}
	b.follow(css(`a[aria-label="Disable `+cook.username+`"]`), 200)
	if h := b.text(css("h1")); h != "Disable "+cook.username+"?" {
		b.errorf("disabling asks %q, want %q", h, "Disable "+cook.username+"?")
	}
	b.shot("admin-confirm-disable")
	b.checkPage("admin: confirm disabling")
	b.follow(button("Disable "+cook.username), 200)
	checkFlash(b, "Account disabled")
	b.waitVisible(css(`button[aria-label="Enable ` + cook.username + `"]`))
	b.shot("admin-user-disabled")
	b.checkPage("admin console: user disabled")

	// Roll the share link out to a quarter of users.
	flag := "#flag-" + flags.RecipeShareLink
	b.open("/admin"+flag, 200)
	evalJS[bool](b, `(e => (e.checked = true))(document.querySelector('`+flag+`-enabled'))`)
	b.fill(css(flag+"-rollout"), "25")
	b.follow(css(`button[aria-label="Save flag `+flags.RecipeShareLink+`"]`), 200)
	checkFlash(b, "Feature flag saved")
	if v := b.text(css(flag + "-rollout")); v != "25" {
		b.errorf("the rollout field shows %q after saving 25", v)
	}

	// An out-of-range rollout is refused beside its field.
	b.fill(css(flag+"-rollout"), "150")
	b.follow(css(`button[aria-label="Save flag `+flags.RecipeShareLink+`"]`), 422)
	if inv, _ := b.attr(flag+"-rollout", "aria-invalid"); inv != "true" {
		b.errorf("a rollout of 150%% is not marked invalid")
	}
	b.shot("admin-flag-invalid")
	b.checkPage("admin console: invalid rollout")

	// The audit log has the sign-ins, the second factor and both actions.
	b.open("/admin#audit-heading", 200)
	audit := b.text(css("#audit-log"))
	for _, action := range []string{"user.disable", "flag.set", "mfa.enrol", "mfa.verify_failed", "login.succeeded"} {
		if !strings.Contains(audit, action) {
			b.errorf("the audit log does not list %s:\n%s", action, audit)
		}
	}
}

// authenticator is the admin's authenticator app. Each code is for the
// current 30-second step, or the step after the last code used when that
// one is still current: the server takes a step only once, and accepts one
// step of clock skew. Codes follow the clock, not the test's progress, so
// a slow run between enrolment and sign-in cannot make them stale.
type authenticator struct {
	secret string
	last   int64 // the step of the last code given
}

func (a *authenticator) code(b *tab) string {
	b.t.Helper()
	step := max(time.Now().Unix()/30, a.last+1)
	a.last = step
	c, err := totp.GenerateCodeCustom(a.secret, time.Unix(step*30, 0),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		b.fatalf("TOTP code: %v", err)
	}
	return c
}
