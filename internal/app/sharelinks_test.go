package app_test

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/testutil"
)

var shareLink = mailedLink("s")

// TestShareLinkEmailThroughSMTP: "send by email" reaches a real SMTP
// listener through the job queue, with a fresh link that opens the
// private recipe; what the sender types can neither add a header or a
// recipient nor inject HTML; sending and creating links are rate limited
// per user.
func TestShareLinkEmailThroughSMTP(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			relay := testutil.StartSMTP(t)
			srv := testutil.StartServing(t, engine, func(c *config.Config) {
				c.SMTPURL = relay.URL() + "?from=Recipes%20%3Crecipes@example.test%3E"
				c.RateLimits = true
			})
			o := flags.Override{Environment: "development", Key: flags.RecipeShareLink, Enabled: true, RolloutPercent: 100}
			if err := srv.App.Store().SetFlagOverride(context.Background(), &o); err != nil {
				t.Fatal(err)
			}
			srv.App.Flags().Invalidate()
			base := srv.URL
			c := &http.Client{Timeout: 30 * time.Second}

			if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/register", "",
				`{"username":"sharer","email":"sharer@example.test","password":"correct horse battery staple"}`); code != http.StatusCreated {
				t.Fatalf("register: %d %s", code, body)
			}
			token := loginAs(t, c, base, "sharer", "correct horse battery staple", http.StatusOK)
			code, body, _ := call(t, c, "POST", base+"/api/v1/recipes", token,
				`{"title":"Stew & dumplings","visibility":"private","ingredients":[{"name":"stock"}],"steps":["Simmer."]}`)
			if code != http.StatusCreated {
				t.Fatalf("create recipe: %d %s", code, body)
			}
			var rec struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal([]byte(body), &rec)
			links := base + "/api/v1/recipes/" + rec.ID + "/share-links"
			sends := 0
			send := func(body string) (int, string) {
				t.Helper()
				sends++
				code, answer, _ := call(t, c, "POST", links+"/email", token, body)
				return code, answer
			}

			// Injection attempts in the address are refused before anything
			// is queued.
			for _, to := range []string{"friend@example.test\r\nBcc: victim@example.test", "friend@example.test\nSubject: hi",
				"Friend <friend@example.test>", "friend@example.test, victim@example.test"} {
				b, _ := json.Marshal(map[string]string{"to": to})
				if code, answer := send(string(b)); code != http.StatusUnprocessableEntity {
					t.Errorf("to %q: %d %s", to, code, answer)
				}
			}
			const message = "Hi!\r\nBcc: victim@example.test\r\n\r\n<script>alert(1)</script> <b>try</b> & enjoy"
			b, _ := json.Marshal(map[string]string{"to": "friend@example.test", "message": message, "expires": "7d"})
			if code, answer := send(string(b)); code != http.StatusAccepted {
				t.Fatalf("send: %d %s", code, answer)
			}

			got := relay.WaitFor(t, 1, 30*time.Second)
			if len(got[0].To) != 1 || got[0].To[0] != "friend@example.test" || got[0].From != "recipes@example.test" {
				t.Fatalf("envelope from %q to %q", got[0].From, got[0].To)
			}
			m := parseMail(t, got[0].Data)
			for _, h := range []string{"Bcc", "Cc", "Reply-To"} {
				if v := m.header.Get(h); v != "" {
					t.Errorf("header %s: %q", h, v)
				}
			}
			if to := m.header.Get("To"); to != "friend@example.test" {
				t.Errorf("To: %q", to)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(m.header.Get("Subject"))
			if err != nil || subject != "sharer shared a recipe with you: Stew & dumplings" {
				t.Errorf("Subject %q (%v)", subject, err)
			}
			if strings.Contains(m.html, "<script>") || strings.Contains(m.html, "<b>try</b>") || !strings.Contains(m.html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("the HTML part does not escape the message:\n%s", m.html)
			}
			if !strings.Contains(m.text, "<script>alert(1)</script> <b>try</b> & enjoy") || !strings.Contains(m.text, "Bcc: victim@example.test") {
				t.Errorf("the text part does not carry the message as typed:\n%s", m.text)
			}
			path, _ := linkToken(t, m, shareLink)
			resp, err := c.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Stew &amp; dumplings") {
				t.Fatalf("the emailed link: %d\n%.500s", resp.StatusCode, page)
			}
			code, body, _ = call(t, c, "GET", links, token, "")
			if code != http.StatusOK || !strings.Contains(body, `"label":"Sent to friend@example.test"`) || !strings.Contains(body, `"uses":1`) {
				t.Errorf("the emailed link is not listed: %d %s", code, body)
			}

			// Ten sends an hour per user, refused ones included; then 429.
			for sends < 10 {
				if code, answer := send(`{"to":"nobody"}`); code != http.StatusUnprocessableEntity {
					t.Fatalf("send %d: %d %s", sends, code, answer)
				}
			}
			if code, answer := send(`{"to":"friend@example.test"}`); code != http.StatusTooManyRequests {
				t.Fatalf("send 11: %d %s, want 429", code, answer)
			}
			// Sixty new links an hour per user (past the cap of live links
			// they are 409, and still count).
			for i := 1; i <= 60; i++ {
				if code, answer, _ := call(t, c, "POST", links, token, `{}`); code != http.StatusCreated && code != http.StatusConflict {
					t.Fatalf("link %d: %d %s", i, code, answer)
				}
			}
			if code, answer, _ := call(t, c, "POST", links, token, `{}`); code != http.StatusTooManyRequests {
				t.Fatalf("link 61: %d %s, want 429", code, answer)
			}
			time.Sleep(testutil.Scaled(500 * time.Millisecond))
			if n := len(relay.Received()); n != 1 {
				t.Errorf("%d messages sent, want 1", n)
			}
		})
	}
}
