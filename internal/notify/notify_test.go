package notify_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/testutil"
)

// parts reads a built message back: its header and each part's decoded
// text by media type, in order.
func parts(t *testing.T, raw []byte) (mail.Header, []string, map[string]string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q", m.Header.Get("Content-Type"))
	}
	var order []string
	body := map[string]string{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		order = append(order, ct)
		body[ct] = string(b)
	}
	return m.Header, order, body
}

func resetMessage(t *testing.T, name string) notify.Message {
	t.Helper()
	m, err := notify.Render("password_reset", "ann@example.test", notify.PasswordReset{
		Name: name, Link: "https://recipes.example/password-reset/abc_DEF-123", Expires: "one hour", SiteURL: "https://recipes.example"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMessageIsTextAndHTML: a message is multipart/alternative with the
// text first and the HTML second, both carrying the link; what a user
// typed is escaped in the HTML and not in the text; List-Unsubscribe
// appears only when the message has an unsubscribe URL.
func TestMessageIsTextAndHTML(t *testing.T) {
	m := resetMessage(t, `Ann <b>"the baker"</b>`)
	raw, err := m.Bytes("Recipes <noreply@recipes.example>", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	h, order, body := parts(t, raw)
	if strings.Join(order, ",") != "text/plain,text/html" {
		t.Fatalf("parts %q", order)
	}
	if h.Get("Subject") != "Reset your RecCollection password" || h.Get("To") != "ann@example.test" ||
		h.Get("From") != `"Recipes" <noreply@recipes.example>` || h.Get("MIME-Version") != "1.0" ||
		!strings.HasSuffix(h.Get("Message-ID"), "@recipes.example>") {
		t.Errorf("header %v", h)
	}
	if h.Get("List-Unsubscribe") != "" {
		t.Error("List-Unsubscribe without an unsubscribe URL")
	}
	for ct, b := range body {
		if !strings.Contains(b, "https://recipes.example/password-reset/abc_DEF-123") {
			t.Errorf("%s part lacks the link:\n%s", ct, b)
		}
	}
	if !strings.Contains(body["text/plain"], `Hello Ann <b>"the baker"</b>,`) {
		t.Errorf("text part:\n%s", body["text/plain"])
	}
	if strings.Contains(body["text/html"], "<b>") || !strings.Contains(body["text/html"], "Ann &lt;b&gt;") {
		t.Errorf("HTML part does not escape the name:\n%s", body["text/html"])
	}

	m.Unsubscribe = "https://recipes.example/unsubscribe/tok"
	m.Subject = "Neue Rezepte für dich"
	raw, err = m.Bytes("noreply@recipes.example", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ = parts(t, raw)
	if h.Get("List-Unsubscribe") != "<https://recipes.example/unsubscribe/tok>" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe %q, List-Unsubscribe-Post %q", h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"))
	}
	if got, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); got != "Neue Rezepte für dich" {
		t.Errorf("Subject decodes to %q (raw %q)", got, h.Get("Subject"))
	}

	m.To = "ann@example.test\r\nBcc: everyone@example.test"
	if _, err := m.Bytes("noreply@recipes.example", time.Now()); err == nil {
		t.Error("a recipient with a line break built a message")
	}
}

// testTLS returns a server certificate for 127.0.0.1 and a pool that
// trusts it, borrowed from httptest.
func testTLS(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	return &tls.Config{Certificates: ts.TLS.Certificates}, pool
}

func send(t *testing.T, rawURL string, roots *x509.CertPool) error {
	t.Helper()
	s, err := notify.NewSMTP(rawURL, "RecCollection <noreply@recipes.example>")
	if err != nil {
		t.Fatal(err)
	}
	s.RootCAs = roots
	s.Timeout = testutil.Scaled(10 * time.Second)
	return s.Send(context.Background(), resetMessage(t, "Ann"))
}

// TestSMTPUpgradesWithSTARTTLSAndAuthenticates: smtp:// upgrades to TLS
// when the relay offers it, checks its certificate, then authenticates.
func TestSMTPUpgradesWithSTARTTLSAndAuthenticates(t *testing.T) {
	cfg, roots := testTLS(t)
	relay := testutil.StartSMTPWith(t, testutil.SMTPOptions{TLS: cfg, User: "mailer", Password: "s3cret pass"})
	if err := send(t, "smtp://mailer:s3cret%20pass@"+relay.Addr, roots); err != nil {
		t.Fatal(err)
	}
	got := relay.Received()
	if len(got) != 1 || !got[0].TLS || got[0].User != "mailer" || got[0].From != "noreply@recipes.example" || got[0].To[0] != "ann@example.test" {
		t.Fatalf("received %+v", got)
	}
	// A relay whose certificate is not trusted is refused, not used.
	if err := send(t, "smtp://mailer:s3cret%20pass@"+relay.Addr, x509.NewCertPool()); err == nil || len(relay.Received()) != 1 {
		t.Errorf("untrusted certificate: err %v, %d messages", err, len(relay.Received()))
	}
}

// TestSMTPImplicitTLS: smtps:// speaks TLS from the first byte.
func TestSMTPImplicitTLS(t *testing.T) {
	cfg, roots := testTLS(t)
	relay := testutil.StartSMTPWith(t, testutil.SMTPOptions{TLS: cfg, Implicit: true, User: "mailer", Password: "pw"})
	if err := send(t, "smtps://mailer:pw@"+relay.Addr, roots); err != nil {
		t.Fatal(err)
	}
	if got := relay.Received(); len(got) != 1 || !got[0].TLS || got[0].User != "mailer" {
		t.Fatalf("received %+v", got)
	}
}

// TestSMTPKeepsPasswordsOffPlainConnections: without TLS the password is
// sent only to a relay named as the loopback interface; any other name
// (127.0.0.2 is loopback too, but not by name) gets no password and no
// message.
func TestSMTPKeepsPasswordsOffPlainConnections(t *testing.T) {
	remote := testutil.StartSMTPWith(t, testutil.SMTPOptions{User: "mailer", Password: "pw", Listen: "127.0.0.2:0"})
	err := send(t, "smtp://mailer:pw@"+remote.Addr, nil)
	if err == nil || !strings.Contains(err.Error(), "authenticate") || len(remote.Received()) != 0 {
		t.Fatalf("plain AUTH to %s: err %v, %d messages", remote.Addr, err, len(remote.Received()))
	}
	local := testutil.StartSMTPWith(t, testutil.SMTPOptions{User: "mailer", Password: "pw"})
	if err := send(t, "smtp://mailer:pw@"+local.Addr, nil); err != nil {
		t.Fatal(err)
	}
	if got := local.Received(); len(got) != 1 || got[0].TLS || got[0].User != "mailer" {
		t.Fatalf("received %+v", got)
	}
}

// TestNewSMTPReadsTheURL: default ports, the from parameter, and errors
// that never echo the password.
func TestNewSMTPReadsTheURL(t *testing.T) {
	s, err := notify.NewSMTP("smtp://relay.example?from=Recipes%20%3Chello@recipes.example%3E", "noreply@x.example")
	if err != nil || s.From() != "Recipes <hello@recipes.example>" {
		t.Errorf("from: %v %v", s, err)
	}
	for _, bad := range []string{"http://u:hunter2@relay", "smtp://u:hunter2@", "smtp://u:hunter2@relay?from=not-an-address"} {
		_, err := notify.NewSMTP(bad, "noreply@x.example")
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("NewSMTP(%q) = %v", bad, err)
		}
	}
}

// TestLogSenderWritesTheMessage: in development without a relay the
// message, link included, goes to the log.
func TestLogSenderWritesTheMessage(t *testing.T) {
	var buf bytes.Buffer
	l := notify.Log{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := l.Send(context.Background(), resetMessage(t, "Ann")); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "https://recipes.example/password-reset/abc_DEF-123") || !strings.Contains(out, "ann@example.test") {
		t.Errorf("log:\n%s", out)
	}
}

// TestNotificationEmailsShowUnsubscribe: a notification email and a
// digest carry their unsubscribe address in the text and the HTML, not
// only in the header that some mail programs hide.
func TestNotificationEmailsShowUnsubscribe(t *testing.T) {
	const unsubscribe = "https://recipes.example/unsubscribe/tok-123"
	for name, data := range map[string]any{
		"notification": notify.Notification{Name: "Ann", Sentence: "Bo liked your recipe", Link: "https://recipes.example/recipes/1",
			SettingsURL: "https://recipes.example/settings/notifications", UnsubscribeURL: unsubscribe, SiteURL: "https://recipes.example"},
		"notification_digest": notify.Digest{Name: "Ann", Items: []notify.DigestItem{{Sentence: "Bo liked your recipe", Link: "https://recipes.example/recipes/1"}},
			ListURL: "https://recipes.example/notifications", SettingsURL: "https://recipes.example/settings/notifications", UnsubscribeURL: unsubscribe, SiteURL: "https://recipes.example"},
	} {
		m, err := notify.Render(name, "ann@example.test", data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m.Unsubscribe = unsubscribe
		raw, err := m.Bytes("noreply@recipes.example", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, _, body := parts(t, raw)
		if !strings.Contains(body["text/plain"], unsubscribe) {
			t.Errorf("%s: the text part has no unsubscribe link:\n%s", name, body["text/plain"])
		}
		if !strings.Contains(body["text/html"], `href="`+unsubscribe+`"`) {
			t.Errorf("%s: the HTML part has no unsubscribe link:\n%s", name, body["text/html"])
		}
	}
}
