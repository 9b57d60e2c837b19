package browsertest

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

var emailChangeLink = regexp.MustCompile(`https?://\S+?(/email-change/[A-Za-z0-9_-]+)`)

// TestChangeEmail is a person changing their email address, at a phone
// and a desktop viewport: a refused address shown beside the field, the
// new address typed into Settings, the card saying it waits for
// confirmation while the current address stays, the link from the
// message the in-process SMTP server received for the new address, the
// page that asks before confirming, and Settings with the new address.
// Every page is checked with axe-core and photographed.
func TestChangeEmail(t *testing.T) {
	needBrowser(t)
	t.Parallel()
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel()
			srv, relay := testutil.StartServingWithMail(t, "sqlite", nil)
			b := newTab(t, srv.URL, vp)
			changeEmailFlow(b, relay)
		})
	}
}

func changeEmailFlow(b *tab, relay *testutil.SMTPServer) {
	a := newAccount("Mover", b.vp)
	b.open("/register", 200)
	register(b, a)
	newEmail := "moved-" + b.vp.name + "@example.org"

	b.open("/settings", 200)
	b.fill(css(`input#email`), a.email)
	b.follow(button("Send confirmation link"), 422)
	if msg := b.text(css("#email-error")); msg != "Email is already your address" {
		b.errorf("beside the field: %q", msg)
	}
	b.checkPage("settings, same address")

	b.fill(css(`input#email`), newEmail)
	b.follow(button("Send confirmation link"), 200)
	checkFlash(b, "Check the inbox of your new address")
	if txt := b.text(css(".pending-email")); !strings.Contains(txt, "Waiting for confirmation of "+newEmail) {
		b.errorf("the pending card says %q", txt)
	}
	if cur := b.text(css(".current-email")); cur != a.email {
		b.errorf("current address %q before confirming", cur)
	}
	b.checkPage("settings, waiting for confirmation")
	b.shot("settings-waiting")

	var path string
	deadline := time.Now().Add(30 * time.Second)
	for path == "" {
		for _, m := range relay.Received() {
			if m.To[0] == newEmail {
				path = emailedPath(b, m.Data, emailChangeLink)
			}
		}
		if path == "" && time.Now().After(deadline) {
			b.fatalf("no message for %s", newEmail)
		}
		time.Sleep(50 * time.Millisecond)
	}

	b.open(path, 200)
	if txt := b.text(css("main")); !strings.Contains(txt, "Use "+newEmail+" as the email address of the account "+a.username) {
		b.errorf("the confirmation page says %q", txt)
	}
	b.checkPage("confirm new address")
	b.shot("confirm-new-address")
	b.follow(button("Confirm the new address"), 200)
	if txt := b.text(css("main")); !strings.Contains(txt, "Your account's email address is now "+newEmail) {
		b.errorf("after confirming: %q", txt)
	}
	b.checkPage("address changed")
	b.shot("address-changed")

	b.open("/settings", 200)
	if cur := b.text(css(".current-email")); cur != newEmail {
		b.errorf("settings shows %q after confirming", cur)
	}
}
