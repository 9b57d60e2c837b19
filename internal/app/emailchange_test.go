package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

var emailChangeLink = mailedLink("email-change")

// emailChangeToken finds the confirmation link in m: its path and token.
func emailChangeToken(t *testing.T, m receivedMail) (path, token string) {
	t.Helper()
	return linkToken(t, m, emailChangeLink)
}

// mailsTo returns the messages relay received for addr, oldest first.
func mailsTo(relay *testutil.SMTPServer, addr string) []testutil.Mail {
	var out []testutil.Mail
	for _, m := range relay.Received() {
		for _, to := range m.To {
			if to == addr {
				out = append(out, m)
			}
		}
	}
	return out
}

// waitMailTo waits until relay has n messages for addr and returns the
// nth, taken apart.
func waitMailTo(t *testing.T, relay *testutil.SMTPServer, addr string, n int) receivedMail {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if got := mailsTo(relay, addr); len(got) >= n {
			return parseMail(t, got[n-1].Data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages for %s after 30s, want %d", len(mailsTo(relay, addr)), addr, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// me is GET /api/v1/me's email and pending_email.
func me(t *testing.T, c *http.Client, base, token string) (email string, pending *string) {
	t.Helper()
	code, body, _ := call(t, c, "GET", base+"/api/v1/me", token, "")
	if code != http.StatusOK {
		t.Fatalf("GET /me: %d %s", code, body)
	}
	var v struct {
		Email        string  `json:"email"`
		PendingEmail *string `json:"pending_email"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	return v.Email, v.PendingEmail
}

const moverPassword = "correct horse battery staple"

func registerAPI(t *testing.T, c *http.Client, base, username, email string) string {
	t.Helper()
	code, body, _ := call(t, c, "POST", base+"/api/v1/auth/register", "",
		fmt.Sprintf(`{"username":%q,"email":%q,"password":%q}`, username, email, moverPassword))
	if code != http.StatusCreated {
		t.Fatalf("register %s: %d %s", username, code, body)
	}
	return loginAs(t, c, base, username, moverPassword, http.StatusOK)
}

// TestEmailChangeThroughAPI: PATCH /api/v1/me with a new email changes
// nothing but sends a link to the new address (and a notice to the old);
// the link's page changes nothing either until its button is pressed;
// then sign-in and password reset use the new address only. Bad, equal,
// taken and oversized addresses are 4xx; the link works once; an expired,
// replaced or cancelled change's link is refused; an address another
// account took meanwhile is refused clearly.
func TestEmailChangeThroughAPI(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv, relay := testutil.StartServingWithMail(t, engine, nil)
			clock := testutil.NewClock()
			srv.App.EmailChanges().SetClock(clock.Now)
			base := srv.URL
			c := &http.Client{Timeout: 30 * time.Second}
			tok := registerAPI(t, c, base, "mover", "mover@example.test")
			registerAPI(t, c, base, "other", "other@example.test")
			patch := func(tok, body string) (int, string) {
				code, b, _ := call(t, c, "PATCH", base+"/api/v1/me", tok, body)
				return code, b
			}

			// Hostile input: nothing is stored or sent.
			for _, bad := range []struct {
				body, want string
				code       int
			}{
				{`{"email":"not an address"}`, "valid email address", http.StatusUnprocessableEntity},
				{`{"email":"` + strings.Repeat("a", 250) + `@example.test"}`, "at most", http.StatusUnprocessableEntity},
				{`{"email":"OTHER@example.test"}`, "already taken", http.StatusConflict},
				{`{"email":"new@example.test","display_name":""}`, "display_name", http.StatusUnprocessableEntity},
				{`{"email":42}`, "", http.StatusBadRequest},
			} {
				if code, body := patch(tok, bad.body); code != bad.code || !strings.Contains(body, bad.want) {
					t.Errorf("PATCH %s: %d %s, want %d with %q", bad.body, code, body, bad.code, bad.want)
				}
			}
			if _, pending := me(t, c, base, tok); pending != nil {
				t.Fatalf("a refused request left %q pending", *pending)
			}

			// Sending back one's own address (however written) is no
			// change: the PATCH succeeds and asks for nothing.
			if code, body := patch(tok, `{"email":" Mover@Example.TEST ","bio":"same address"}`); code != http.StatusOK || strings.Contains(body, `"pending_email":"`) || !strings.Contains(body, "same address") {
				t.Errorf("PATCH with the current address: %d %s, want 200 saving the bio with nothing pending", code, body)
			}
			if _, pending := me(t, c, base, tok); pending != nil {
				t.Fatalf("resending the current address left %q pending", *pending)
			}

			code, body := patch(tok, `{"email":"New@Example.test","display_name":"Mo Ver"}`)
			if code != http.StatusOK {
				t.Fatalf("PATCH email: %d %s", code, body)
			}
			var answer struct {
				Email        string  `json:"email"`
				DisplayName  string  `json:"display_name"`
				PendingEmail *string `json:"pending_email"`
			}
			_ = json.Unmarshal([]byte(body), &answer)
			if answer.Email != "mover@example.test" || answer.PendingEmail == nil || *answer.PendingEmail != "new@example.test" || answer.DisplayName != "Mo Ver" {
				t.Fatalf("PATCH answer %s", body)
			}
			if email, pending := me(t, c, base, tok); email != "mover@example.test" || pending == nil || *pending != "new@example.test" {
				t.Fatalf("GET /me: %q pending %v", email, pending)
			}

			confirm := waitMailTo(t, relay, "new@example.test", 1)
			if s := confirm.header.Get("Subject"); s != "Confirm your new RecCollection email address" {
				t.Errorf("Subject %q", s)
			}
			path, token := emailChangeToken(t, confirm)
			notice := waitMailTo(t, relay, "mover@example.test", 1)
			if !strings.Contains(notice.text, "n***@example.test") || strings.Contains(notice.text+notice.html, "new@example.test") ||
				emailChangeLink.MatchString(notice.text+notice.html) {
				t.Errorf("the notice to the old address should name n***@example.test only, and carry no link:\n%s", notice.text)
			}

			// Not yet confirmed: the new address signs nobody in and gets
			// no reset link.
			loginAs(t, c, base, "new@example.test", moverPassword, http.StatusUnauthorized)
			loginAs(t, c, base, "mover@example.test", moverPassword, http.StatusOK)
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset", "", `{"email":"new@example.test"}`); code != http.StatusAccepted {
				t.Fatalf("reset for the pending address: %d %s", code, body)
			}

			// Opening the link shows a button and changes nothing.
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "new@example.test") ||
				!strings.Contains(string(page), "Confirm the new address") || !strings.Contains(string(page), "mover") {
				t.Fatalf("confirmation page: %d\n%s", resp.StatusCode, page)
			}
			if rp, cc := resp.Header.Get("Referrer-Policy"), resp.Header.Get("Cache-Control"); rp != "no-referrer" || cc != "no-store" {
				t.Errorf("the page with the token in its URL has Referrer-Policy %q and Cache-Control %q", rp, cc)
			}
			if email, _ := me(t, c, base, tok); email != "mover@example.test" {
				t.Fatalf("opening the link changed the address to %q", email)
			}

			for _, bad := range []string{`{"token":"nonsense"}`, `{"token":"` + strings.Repeat("A", 43) + `"}`, `{}`} {
				if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", bad); code != http.StatusBadRequest {
					t.Errorf("confirm with %s: %d %s", bad, code, body)
				}
			}
			code, body, _ = call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", `{"token":"`+token+`"}`)
			if code != http.StatusOK || !strings.Contains(body, `"new@example.test"`) {
				t.Fatalf("confirm: %d %s", code, body)
			}
			if email, pending := me(t, c, base, tok); email != "new@example.test" || pending != nil {
				t.Errorf("after confirming: %q pending %v", email, pending)
			}
			code, body, _ = call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", `{"token":"`+token+`"}`)
			if code != http.StatusBadRequest || !strings.Contains(body, "invalid, used") {
				t.Errorf("second use of the link: %d %s", code, body)
			}
			loginAs(t, c, base, "new@example.test", moverPassword, http.StatusOK)
			loginAs(t, c, base, "mover@example.test", moverPassword, http.StatusUnauthorized)

			// Password reset: the new address gets the link, the old none.
			for _, addr := range []string{"mover@example.test", "new@example.test"} {
				if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset", "", `{"email":"`+addr+`"}`); code != http.StatusAccepted {
					t.Fatalf("reset for %s: %d %s", addr, code, body)
				}
			}
			resetMail := waitMailTo(t, relay, "new@example.test", 2)
			resetToken(t, resetMail)
			if n := len(mailsTo(relay, "mover@example.test")); n != 1 {
				t.Errorf("the old address received %d messages, want only the notice", n)
			}

			log, err := srv.App.Store().AuditLog(context.Background(), 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			var audited []string
			for _, e := range log {
				if strings.HasPrefix(e.Action, "email.") {
					audited = append(audited, e.Action+" "+e.TargetName+" "+e.Details)
				}
			}
			want := []string{"email.changed mover mover@example.test -> new@example.test", "email.change_requested mover to n***@example.test"}
			if strings.Join(audited, "|") != strings.Join(want, "|") {
				t.Errorf("audit log %q, want %q", audited, want)
			}

			// Expired: a day and a second later the link is refused.
			edgeTok := registerAPI(t, c, base, "edge", "edge@example.test")
			if code, body := patch(edgeTok, `{"email":"late@example.test"}`); code != http.StatusOK {
				t.Fatalf("request: %d %s", code, body)
			}
			_, late := emailChangeToken(t, waitMailTo(t, relay, "late@example.test", 1))
			clock.Advance(24*time.Hour + time.Second)
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", `{"token":"`+late+`"}`); code != http.StatusBadRequest ||
				!strings.Contains(body, "expired") {
				t.Errorf("expired link: %d %s", code, body)
			}
			if email, pending := me(t, c, base, edgeTok); email != "edge@example.test" || pending != nil {
				t.Errorf("after expiry: %q pending %v", email, pending)
			}

			// Replaced: only the newest request's link works.
			patch(edgeTok, `{"email":"first@example.test"}`)
			_, first := emailChangeToken(t, waitMailTo(t, relay, "first@example.test", 1))
			patch(edgeTok, `{"email":"race@example.test"}`)
			_, race := emailChangeToken(t, waitMailTo(t, relay, "race@example.test", 1))
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", `{"token":"`+first+`"}`); code != http.StatusBadRequest {
				t.Errorf("a replaced request's link: %d %s", code, body)
			}

			// Taken meanwhile: another account registered the address.
			registerAPI(t, c, base, "racer", "race@example.test")
			code, body, _ = call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", `{"token":"`+race+`"}`)
			if code != http.StatusConflict || !strings.Contains(body, "belongs to another account") {
				t.Errorf("confirm a taken address: %d %s", code, body)
			}
			if email, pending := me(t, c, base, edgeTok); email != "edge@example.test" || pending != nil {
				t.Errorf("after a taken address: %q pending %v", email, pending)
			}

			// Cancelled: the link stops working.
			patch(edgeTok, `{"email":"never@example.test"}`)
			_, never := emailChangeToken(t, waitMailTo(t, relay, "never@example.test", 1))
			if code, body, _ := call(t, c, "DELETE", base+"/api/v1/me/email-change", edgeTok, ""); code != http.StatusNoContent {
				t.Fatalf("cancel: %d %s", code, body)
			}
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/email-change/confirm", "", `{"token":"`+never+`"}`); code != http.StatusBadRequest {
				t.Errorf("a cancelled change's link: %d %s", code, body)
			}
			if code, body, _ := call(t, c, "POST", base+"/api/v1/me/email-change/resend", edgeTok, ""); code != http.StatusConflict {
				t.Errorf("resend with nothing pending: %d %s", code, body)
			}
			if email, pending := me(t, c, base, edgeTok); email != "edge@example.test" || pending != nil {
				t.Errorf("after cancelling: %q pending %v", email, pending)
			}
			// Every request told the old address, whatever became of it.
			waitMailTo(t, relay, "edge@example.test", 4)
		})
	}
}

// TestEmailChangeSettingsPages: the settings page asks for a new address
// and shows it waiting with resend and cancel; a resend's link replaces
// the first; the emailed link's page confirms with a button, after which
// settings shows the new address; form errors are shown on the form.
func TestEmailChangeSettingsPages(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv, relay := testutil.StartServingWithMail(t, engine, nil)
			base := srv.URL
			browser := formBrowser()
			anon := &http.Client{Timeout: 30 * time.Second}
			registerAPI(t, anon, base, "taken", "taken@example.test")
			if code, body, _ := postForm(t, browser, base+"/register", url.Values{"username": {"cook"}, "email": {"cook@example.test"},
				"password": {moverPassword}}); code != http.StatusSeeOther {
				t.Fatalf("register: %d %s", code, body)
			}
			settings := func() string {
				resp, err := browser.Get(base + "/settings")
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("settings: %d", resp.StatusCode)
				}
				return string(b)
			}

			for _, bad := range []struct{ email, want string }{
				{"nope", "valid email address"}, {"COOK@example.test", "is already your address"},
				{"taken@example.test", "is already taken"}, {strings.Repeat("x", 300) + "@example.test", "at most"},
			} {
				code, body, _ := postForm(t, browser, base+"/settings/email", url.Values{"email": {bad.email}})
				if code != http.StatusUnprocessableEntity || !strings.Contains(body, bad.want) || !strings.Contains(body, `id="email-error"`) {
					t.Errorf("settings email %q: %d, want 422 with %q", bad.email, code, bad.want)
				}
			}
			if strings.Contains(settings(), "Waiting for confirmation") {
				t.Fatal("a refused request shows as waiting")
			}

			code, _, loc := postForm(t, browser, base+"/settings/email", url.Values{"email": {"chef@example.test"}})
			if code != http.StatusSeeOther || loc != "/settings" {
				t.Fatalf("request: %d to %q", code, loc)
			}
			page := settings()
			if !strings.Contains(page, "Waiting for confirmation of <strong>chef@example.test</strong>") ||
				!strings.Contains(page, `action="/settings/email/resend"`) || !strings.Contains(page, `action="/settings/email/cancel"`) ||
				!strings.Contains(page, `<strong class="current-email">cook@example.test</strong>`) {
				t.Fatalf("settings while waiting:\n%s", page)
			}
			_, first := emailChangeToken(t, waitMailTo(t, relay, "chef@example.test", 1))
			waitMailTo(t, relay, "cook@example.test", 1) // the notice

			if code, _, loc := postForm(t, browser, base+"/settings/email/resend", nil); code != http.StatusSeeOther || loc != "/settings" {
				t.Fatalf("resend: %d to %q", code, loc)
			}
			path, _ := emailChangeToken(t, waitMailTo(t, relay, "chef@example.test", 2))
			if code, body, _ := postForm(t, anon, base+"/email-change/"+first, nil); code != http.StatusBadRequest || !strings.Contains(body, "This link does not work") {
				t.Errorf("the first link after a resend: %d", code)
			}

			// The link opened in another browser (say, the phone's mail app).
			resp, err := anon.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(settings(), "Waiting for confirmation") {
				t.Fatalf("opening the link: %d, and the change must still wait", resp.StatusCode)
			}
			code, body, _ := postForm(t, anon, base+path, nil)
			if code != http.StatusOK || !strings.Contains(body, "Your account's email address is now <strong>chef@example.test</strong>") {
				t.Fatalf("confirm: %d\n%s", code, body)
			}
			page = settings()
			if !strings.Contains(page, `<strong class="current-email">chef@example.test</strong>`) || strings.Contains(page, "Waiting for confirmation") {
				t.Errorf("settings after confirming:\n%s", page)
			}
			if code, body, _ := postForm(t, anon, base+path, nil); code != http.StatusBadRequest || !strings.Contains(body, "invalid, used") {
				t.Errorf("second use: %d", code)
			}
			loginAs(t, anon, base, "chef@example.test", moverPassword, http.StatusOK)

			// Cancel from the page.
			postForm(t, browser, base+"/settings/email", url.Values{"email": {"again@example.test"}})
			cpath, _ := emailChangeToken(t, waitMailTo(t, relay, "again@example.test", 1))
			if code, _, loc := postForm(t, browser, base+"/settings/email/cancel", nil); code != http.StatusSeeOther || loc != "/settings" {
				t.Fatalf("cancel: %d to %q", code, loc)
			}
			if strings.Contains(settings(), "Waiting for confirmation") {
				t.Error("still waiting after cancelling")
			}
			if code, _, _ := postForm(t, anon, base+cpath, nil); code != http.StatusBadRequest {
				t.Errorf("a cancelled change's link: %d", code)
			}
			if code, body, _ := postForm(t, browser, base+"/settings/email/resend", nil); code != http.StatusConflict || !strings.Contains(body, "no change of address waiting") {
				t.Errorf("resend with nothing pending: %d", code)
			}
		})
	}
}

// TestEmailChangeLimits: an account may ask for a handful of messages an
// hour, then gets 429 with Retry-After; without email the request is 503.
func TestEmailChangeLimits(t *testing.T) {
	srv, _ := testutil.StartServingWithMail(t, "sqlite", nil)
	c := &http.Client{Timeout: 30 * time.Second}
	tok := registerAPI(t, c, srv.URL, "eager", "eager@example.test")
	for i := range 5 {
		if code, body, _ := call(t, c, "PATCH", srv.URL+"/api/v1/me", tok, fmt.Sprintf(`{"email":"n%d@example.test"}`, i)); code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, code, body)
		}
	}
	code, body, resp := call(t, c, "POST", srv.URL+"/api/v1/me/email-change/resend", tok, "")
	if code != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many confirmation emails") {
		t.Errorf("sixth message: %d %s (Retry-After %q)", code, body, resp.Header.Get("Retry-After"))
	}

	prod := testutil.StartProductionServer(t, "sqlite")
	pc := prod.Client()
	ptok := registerAPI(t, pc, prod.URL, "stuck", "stuck@example.test")
	if code, body, _ := call(t, pc, "PATCH", prod.URL+"/api/v1/me", ptok, `{"email":"new@example.test"}`); code != http.StatusServiceUnavailable ||
		!strings.Contains(body, "no email configured") {
		t.Errorf("without email: %d %s", code, body)
	}
}
