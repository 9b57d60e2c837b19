package notify_test

import (
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/notify"
)

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"new@example.com": "n***@example.com",
		"é@example.com":   "é***@example.com",
		"@example.com":    "***",
		"no-at-sign":      "***",
		"a@b@example.com": "a***@example.com",
	} {
		if got := notify.MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEmailChangeMessages: the confirmation names the new address and
// carries the link in both parts; the notice names the new address only
// masked and carries no confirmation link; a display name is escaped in
// HTML.
func TestEmailChangeMessages(t *testing.T) {
	m, err := notify.Render("email_change", "new@example.com", notify.EmailChange{
		Name: "<b>Ana</b>", Username: "ana", NewEmail: "new@example.com",
		Link: "https://r.example/email-change/TOKEN", Expires: "24 hours", SiteURL: "https://r.example"})
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "new@example.com" || m.Subject != "Confirm your new RecCollection email address" {
		t.Errorf("to %q subject %q", m.To, m.Subject)
	}
	for _, part := range []string{m.Text, m.HTML} {
		if !strings.Contains(part, "https://r.example/email-change/TOKEN") || !strings.Contains(part, "24 hours") {
			t.Errorf("a part lacks the link or its lifetime:\n%s", part)
		}
	}
	if strings.Contains(m.HTML, "<b>Ana</b>") {
		t.Error("the display name is not escaped in HTML")
	}

	n, err := notify.Render("email_change_notice", "old@example.com", notify.EmailChangeNotice{
		Name: "Ana", MaskedEmail: notify.MaskEmail("new@example.com"),
		SettingsURL: "https://r.example/settings", ForgotURL: "https://r.example/forgot-password", SiteURL: "https://r.example"})
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{n.Text, n.HTML} {
		if !strings.Contains(part, "n***@example.com") || strings.Contains(part, "new@example.com") ||
			strings.Contains(part, "/email-change/") || !strings.Contains(part, "https://r.example/settings") {
			t.Errorf("notice part:\n%s", part)
		}
	}
}
