package browsertest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestForgotPassword is a person who forgot their password, at a phone
// and a desktop viewport: from the log-in page to "Forgot your
// password?", the address typed, the same "Check your email" page that a
// stranger's address gets, the link from the message the in-process SMTP
// server received, a refused weak password, the new one, and a sign-in
// with it. Every page is checked with axe-core and photographed.
func TestForgotPassword(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv, relay := testutil.StartServingWithMail(t, "sqlite", nil)
			b := newTab(t, srv.URL, vp)
			forgotPasswordFlow(b, relay)
		})
	}
}

var emailedLink = regexp.MustCompile(`https?://\S+?(/password-reset/[A-Za-z0-9_-]+)`)

func forgotPasswordFlow(b *tab, relay *testutil.SMTPServer) {
	a := newAccount("Forgetful", b.vp)
	b.open("/register", 200)
	register(b, a)
	logout(b)

	b.open("/login", 200)
	b.follow(link("Forgot your password?"), 200)
	b.checkPage("forgot password")
	b.shot("forgot-password")

	// A stranger's address and the account's own get the same page.
	b.fill(css(`input[name="email"]`), "stranger-"+b.vp.name+"@example.com")
	b.follow(button("Send the link"), 200)
	stranger := b.text(css("main"))
	b.open("/forgot-password", 200)
	b.fill(css(`input[name="email"]`), a.email)
	b.follow(button("Send the link"), 200)
	if got := b.text(css("main")); got != stranger || !strings.Contains(got, "Check your email") {
		b.errorf("the page after asking says %q; for a stranger's address it said %q", got, stranger)
	}
	b.checkPage("check your email")
	b.shot("check-your-email")

	got := relay.WaitFor(b.t, 1, 30*time.Second)
	if len(got) != 1 || got[0].To[0] != a.email {
		b.fatalf("messages received: %+v", got)
	}
	path := emailedPath(b, got[0].Data, emailedLink)

	b.open(path, 200)
	b.checkPage("choose a new password")
	b.shot("choose-a-new-password")
	b.fill(css(`input[name="new_password"]`), a.username)
	b.follow(button("Set the new password"), 422)
	if msg := b.text(css("#new_password-error")); !strings.Contains(msg, "New password") {
		b.errorf("beside the field: %q", msg)
	}
	b.checkPage("weak new password")
	b.shot("weak-new-password")

	a.password = "tomato basil oregano " + b.vp.name
	b.fill(css(`input[name="new_password"]`), a.password)
	b.follow(button("Set the new password"), 200)
	if b.path() != "/login" {
		b.errorf("after the reset the browser is at %s, want /login", b.path())
	}
	checkFlash(b, "Password changed")
	b.shot("password-changed")
	login(b, a)

	// The link worked once.
	b.open(path, 400)
	if txt := b.text(css("main")); !strings.Contains(txt, "invalid, used or expired") {
		b.errorf("a used link's page says %q", txt)
	}
	b.checkPage("used link")
	b.shot("used-link")
}

// emailedPath is the path of the link that re finds (its first group) in
// the message's text part.
func emailedPath(b *tab, raw []byte, re *regexp.Regexp) string {
	b.t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		b.fatalf("read the message: %v", err)
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			b.fatalf("no text part with a link like %s: %v", re, err)
		}
		body, _ := io.ReadAll(p)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			if l := re.FindSubmatch(body); l != nil {
				return string(l[1])
			}
		}
	}
}
