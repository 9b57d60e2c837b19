package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// receivedMail is a message from the test SMTP server, taken apart.
type receivedMail struct {
	header    mail.Header
	text      string
	html      string
	textTypes []string
}

// parseMail checks the message is multipart/alternative with a text and
// an HTML part, and decodes both.
func parseMail(t *testing.T, raw []byte) receivedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative (%v)", m.Header.Get("Content-Type"), err)
	}
	out := receivedMail{header: m.Header}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			r = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out.textTypes = append(out.textTypes, ct)
		switch ct {
		case "text/plain":
			out.text = string(b)
		case "text/html":
			out.html = string(b)
		}
	}
	if strings.Join(out.textTypes, ",") != "text/plain,text/html" {
		t.Fatalf("parts %q, want text/plain then text/html", out.textTypes)
	}
	return out
}

var resetLink = mailedLink("password-reset")

// mailedLink matches a link to /prefix/{token} in a message, capturing
// its path and the token.
func mailedLink(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`https?://[^/\s"<>]+(/` + prefix + `/([A-Za-z0-9_-]+))`)
}

// linkToken finds the link matching link in both parts of m and returns
// its path and token; the two parts must carry the same link.
func linkToken(t *testing.T, m receivedMail, link *regexp.Regexp) (path, token string) {
	t.Helper()
	tm := link.FindStringSubmatch(m.text)
	hm := link.FindStringSubmatch(m.html)
	if tm == nil || hm == nil || tm[0] != hm[0] {
		t.Fatalf("link %s in text %q and HTML %q", link, tm, hm)
	}
	return tm[1], tm[2]
}

// resetToken finds the reset link in m: its path and token.
func resetToken(t *testing.T, m receivedMail) (path, token string) {
	t.Helper()
	return linkToken(t, m, resetLink)
}

// TestPasswordResetThroughSMTP: a user who forgot their password asks for
// a link, receives it over SMTP, follows it and sets a new password; the
// old password, session and API token stop working, the link works once
// and not after its hour; an unknown address gets the same answer and no
// email.
func TestPasswordResetThroughSMTP(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			relay := testutil.StartSMTP(t)
			srv := testutil.StartServing(t, engine, func(c *config.Config) { c.SMTPURL = relay.URL() + "?from=Recipes%20%3Crecipes@example.test%3E" })
			clock := testutil.NewClock()
			srv.App.PasswordResets().SetClock(clock.Now)
			base := srv.URL
			c := &http.Client{Timeout: 30 * time.Second}

			const oldPassword, newPassword = "correct horse battery staple", "tomato basil oregano thyme"
			code, body, _ := call(t, c, "POST", base+"/api/v1/auth/register", "",
				fmt.Sprintf(`{"username":"forgetful","email":"forgetful@example.test","password":%q}`, oldPassword))
			if code != http.StatusCreated {
				t.Fatalf("register: %d %s", code, body)
			}
			oldToken := loginAs(t, c, base, "forgetful", oldPassword, http.StatusOK)

			// An unknown address: the same answer, and nothing is sent.
			code, unknownAnswer, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset", "", `{"email":"nobody@example.test"}`)
			if code != http.StatusAccepted {
				t.Fatalf("reset for an unknown address: %d %s", code, unknownAnswer)
			}
			code, knownAnswer, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset", "", `{"email":"Forgetful@Example.test"}`)
			if code != http.StatusAccepted || knownAnswer != unknownAnswer {
				t.Fatalf("reset for a known address: %d %q, the unknown one got %q", code, knownAnswer, unknownAnswer)
			}
			got := relay.WaitFor(t, 1, 30*time.Second)
			if len(got[0].To) != 1 || got[0].To[0] != "forgetful@example.test" || got[0].From != "recipes@example.test" {
				t.Fatalf("envelope from %q to %q", got[0].From, got[0].To)
			}
			m := parseMail(t, got[0].Data)
			if s := m.header.Get("Subject"); s != "Reset your RecCollection password" {
				t.Errorf("Subject %q", s)
			}
			if m.header.Get("List-Unsubscribe") != "" {
				t.Error("a password reset carries List-Unsubscribe; the user asked for it")
			}
			path, token := resetToken(t, m)

			// The link opens the page with the form.
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "new_password") {
				t.Fatalf("reset page: %d\n%s", resp.StatusCode, page)
			}
			if rp, cc := resp.Header.Get("Referrer-Policy"), resp.Header.Get("Cache-Control"); rp != "no-referrer" || cc != "no-store" {
				t.Errorf("the page with the token in its URL has Referrer-Policy %q and Cache-Control %q", rp, cc)
			}

			// Bad input is a clear 4xx.
			for _, bad := range []string{`{"token":"nonsense","new_password":"tomato basil oregano thyme"}`,
				`{"token":"` + strings.Repeat("A", 43) + `","new_password":"tomato basil oregano thyme"}`} {
				if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset/confirm", "", bad); code != http.StatusBadRequest {
					t.Errorf("confirm with a bad token: %d %s", code, body)
				}
			}
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset/confirm", "",
				`{"token":"`+token+`","new_password":"password"}`); code != http.StatusUnprocessableEntity || !strings.Contains(body, "new_password") {
				t.Errorf("confirm with a weak password: %d %s", code, body)
			}
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset", "", `{"email":`); code != http.StatusBadRequest {
				t.Errorf("malformed request: %d %s", code, body)
			}

			code, body, _ = call(t, c, "POST", base+"/api/v1/auth/password-reset/confirm", "",
				fmt.Sprintf(`{"token":%q,"new_password":%q}`, token, newPassword))
			if code != http.StatusNoContent {
				t.Fatalf("confirm: %d %s", code, body)
			}
			loginAs(t, c, base, "forgetful", newPassword, http.StatusOK)
			loginAs(t, c, base, "forgetful", oldPassword, http.StatusUnauthorized)
			if code, _, _ := call(t, c, "GET", base+"/api/v1/me", oldToken, ""); code != http.StatusUnauthorized {
				t.Errorf("the API token from before the reset answers %d, want 401", code)
			}
			// Single use.
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset/confirm", "",
				fmt.Sprintf(`{"token":%q,"new_password":"another long pass phrase"}`, token)); code != http.StatusBadRequest {
				t.Errorf("second use of a link: %d %s", code, body)
			}

			// A link older than an hour is refused.
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset", "", `{"email":"forgetful@example.test"}`); code != http.StatusAccepted {
				t.Fatalf("second request: %d %s", code, body)
			}
			got = relay.WaitFor(t, 2, 30*time.Second)
			_, late := resetToken(t, parseMail(t, got[1].Data))
			clock.Advance(time.Hour + time.Second)
			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/password-reset/confirm", "",
				fmt.Sprintf(`{"token":%q,"new_password":"another long pass phrase"}`, late)); code != http.StatusBadRequest {
				t.Errorf("expired link: %d %s", code, body)
			}
			if n := len(relay.Received()); n != 2 {
				t.Errorf("%d messages sent, want 2 (none for the unknown address)", n)
			}
			for _, m := range relay.Received() {
				if m.To[0] != "forgetful@example.test" {
					t.Errorf("a message went to %q", m.To)
				}
			}
		})
	}
}

// loginAs signs in through the API, wants status, and returns the token.
func loginAs(t *testing.T, c *http.Client, base, login, password string, want int) string {
	t.Helper()
	code, body, _ := call(t, c, "POST", base+"/api/v1/auth/login", "", fmt.Sprintf(`{"login":%q,"password":%q}`, login, password))
	if code != want {
		t.Fatalf("login %s: %d %s, want %d", login, code, body, want)
	}
	var res struct {
		Token string `json:"token"`
	}
	_ = json.Unmarshal([]byte(body), &res)
	return res.Token
}

// postForm posts a web form from c and returns the status, body and the
// redirect target (c follows no redirects).
func postForm(t *testing.T, c *http.Client, target string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(target, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// TestForgotPasswordPages: the pages do what the API does. The same page
// answers a known and an unknown address; the emailed link's form sets
// the password and sends the user to log in; the browser's old session
// has ended; a used link says so with a 400 page.
func TestForgotPasswordPages(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv, relay := testutil.StartServingWithMail(t, engine, nil)
			base := srv.URL
			browser := formBrowser()

			const oldPassword, newPassword = "correct horse battery staple", "tomato basil oregano thyme"
			if code, body, _ := postForm(t, browser, base+"/register", url.Values{"username": {"cook"}, "email": {"cook@example.test"},
				"password": {oldPassword}}); code != http.StatusSeeOther {
				t.Fatalf("register: %d %s", code, body)
			}
			signedIn := func() bool {
				resp, err := browser.Get(base + "/settings")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode == http.StatusOK
			}
			if !signedIn() {
				t.Fatal("not signed in after registering")
			}

			anon := &http.Client{Timeout: 30 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := anon.Get(base + "/login")
			if err != nil {
				t.Fatal(err)
			}
			login, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(login), `href="/forgot-password"`) {
				t.Error("the login page has no link to /forgot-password")
			}

			code, unknownPage, _ := postForm(t, anon, base+"/forgot-password", url.Values{"email": {"stranger@example.test"}})
			if code != http.StatusOK || !strings.Contains(unknownPage, "Check your email") {
				t.Fatalf("unknown address: %d\n%s", code, unknownPage)
			}
			code, knownPage, _ := postForm(t, anon, base+"/forgot-password", url.Values{"email": {"cook@example.test"}})
			if code != http.StatusOK || knownPage != unknownPage {
				t.Fatalf("known address: %d, and its page differs from the unknown address's:\n%s\n---\n%s", code, knownPage, unknownPage)
			}
			if code, body, _ := postForm(t, anon, base+"/forgot-password", url.Values{"email": {"not an address"}}); code != http.StatusUnprocessableEntity ||
				!strings.Contains(body, "must be an email address") {
				t.Errorf("malformed address: %d\n%s", code, body)
			}
			path, _ := resetToken(t, parseMail(t, relay.WaitFor(t, 1, 30*time.Second)[0].Data))

			if code, body, _ := postForm(t, anon, base+path, url.Values{"new_password": {"cook"}}); code != http.StatusUnprocessableEntity ||
				!strings.Contains(body, "New password") {
				t.Errorf("weak password: %d\n%s", code, body)
			}
			code, _, loc := postForm(t, anon, base+path, url.Values{"new_password": {newPassword}})
			if code != http.StatusSeeOther || loc != "/login" {
				t.Fatalf("reset: %d to %q", code, loc)
			}
			if signedIn() {
				t.Error("the browser's session from before the reset still works")
			}
			loginAs(t, anon, base, "cook", newPassword, http.StatusOK)
			resp, err = anon.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			used, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(used), "invalid, used or expired") {
				t.Errorf("used link: %d\n%s", resp.StatusCode, used)
			}
			if n := len(relay.Received()); n != 1 {
				t.Errorf("%d messages, want 1", n)
			}
		})
	}
}

// TestPasswordResetWithoutEmail: production without RECC_SMTP_URL says
// that reset by email is unavailable instead of pretending to send.
func TestPasswordResetWithoutEmail(t *testing.T) {
	srv := testutil.StartProductionServer(t, "sqlite")
	c := srv.Client()
	code, body, _ := call(t, c, "POST", srv.URL+"/api/v1/auth/password-reset", "", `{"email":"cook@example.test"}`)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "no email configured") {
		t.Errorf("API: %d %s", code, body)
	}
	resp, err := c.Get(srv.URL + "/forgot-password")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "cannot send email") || strings.Contains(string(page), `name="email"`) {
		t.Errorf("page: %d\n%s", resp.StatusCode, page)
	}
}

// TestResetEmailRetried: when the relay refuses a message, the job queue
// tries again with backoff, and the link that finally arrives works; the
// refused message's link, which nobody received, never does.
func TestResetEmailRetried(t *testing.T) {
	srv, relay := testutil.StartServingWithMail(t, "sqlite", testutil.StartSMTPWith(t, testutil.SMTPOptions{FailFirst: 1}))
	c := &http.Client{Timeout: 30 * time.Second}
	if code, body, _ := call(t, c, "POST", srv.URL+"/api/v1/auth/register", "",
		`{"username":"patient","email":"patient@example.test","password":"correct horse battery staple"}`); code != http.StatusCreated {
		t.Fatalf("register: %d %s", code, body)
	}
	if code, body, _ := call(t, c, "POST", srv.URL+"/api/v1/auth/password-reset", "", `{"email":"patient@example.test"}`); code != http.StatusAccepted {
		t.Fatalf("request: %d %s", code, body)
	}
	// River's first retry comes about a second after the failure.
	got := relay.WaitFor(t, 1, time.Minute)
	refused := relay.Refused()
	if len(refused) != 1 {
		t.Fatalf("the relay refused %d messages, want 1 before the one received", len(refused))
	}
	_, lost := resetToken(t, parseMail(t, refused[0].Data))
	if code, body, _ := call(t, c, "POST", srv.URL+"/api/v1/auth/password-reset/confirm", "",
		`{"token":"`+lost+`","new_password":"tomato basil oregano thyme"}`); code != http.StatusBadRequest {
		t.Errorf("the refused message's link: %d %s", code, body)
	}
	_, token := resetToken(t, parseMail(t, got[0].Data))
	if code, body, _ := call(t, c, "POST", srv.URL+"/api/v1/auth/password-reset/confirm", "",
		`{"token":"`+token+`","new_password":"tomato basil oregano thyme"}`); code != http.StatusNoContent {
		t.Fatalf("confirm with the retried message's link: %d %s", code, body)
	}
}

// formBrowser is a browser as the page tests need one: it keeps cookies
// and shows each redirect instead of following it.
func formBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
