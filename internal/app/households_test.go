package app_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

var invitationLink = mailedLink("household/join")

// TestHouseholdInvitationEmailThroughSMTP: an owner's invitation by email
// reaches a real SMTP listener through the job queue with a working,
// single-use link; a display name cannot add a header; addresses that
// would inject one are refused before anything is queued; and sending is
// rate limited per user.
func TestHouseholdInvitationEmailThroughSMTP(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			relay := testutil.StartSMTP(t)
			srv := testutil.StartServing(t, engine, func(c *config.Config) {
				c.SMTPURL = relay.URL() + "?from=Recipes%20%3Crecipes@example.test%3E"
				c.RateLimits = true
			})
			base := srv.URL
			c := &http.Client{Timeout: 30 * time.Second}
			register := func(name string) string {
				t.Helper()
				if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/register", "",
					`{"username":"`+name+`","email":"`+name+`@example.test","password":"correct horse battery staple"}`); code != http.StatusCreated {
					t.Fatalf("register %s: %d %s", name, code, body)
				}
				return loginAs(t, c, base, name, "correct horse battery staple", http.StatusOK)
			}
			owner, friend := register("owner"), register("friend")
			// A display name with a line break stays on the subject's line.
			if code, body, _ := call(t, c, "PATCH", base+"/api/v1/me", owner, `{"display_name":"Olga\r\nBcc: victim@example.test"}`); code != http.StatusOK && code != http.StatusUnprocessableEntity {
				t.Fatalf("display name: %d %s", code, body)
			}
			invite := base + "/api/v1/households/current/invitations"
			sends := 0
			send := func(body string) (int, string) {
				t.Helper()
				sends++
				code, answer, _ := call(t, c, "POST", invite, owner, body)
				return code, answer
			}
			for _, to := range []string{"friend@example.test\r\nBcc: victim@example.test", "Friend <friend@example.test>", "a@example.test, b@example.test", ""} {
				b, _ := json.Marshal(map[string]string{"email": to})
				if code, answer := send(string(b)); code != http.StatusUnprocessableEntity {
					t.Errorf("email %q: %d %s", to, code, answer)
				}
			}
			if code, answer := send(`{"email":"friend@example.test"}`); code != http.StatusAccepted {
				t.Fatalf("send: %d %s", code, answer)
			}
			got := relay.WaitFor(t, 1, 30*time.Second)
			if len(got[0].To) != 1 || got[0].To[0] != "friend@example.test" {
				t.Fatalf("envelope to %q", got[0].To)
			}
			m := parseMail(t, got[0].Data)
			if v := m.header.Get("Bcc"); v != "" {
				t.Errorf("Bcc: %q", v)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(m.header.Get("Subject"))
			if err != nil || !strings.HasSuffix(subject, "invites you to plan meals together on RecCollection") || strings.ContainsAny(subject, "\r\n") {
				t.Errorf("Subject %q (%v)", subject, err)
			}
			_, token := linkToken(t, m, invitationLink)

			// The owner sees it pending, to that address; the friend joins
			// with the link, once.
			code, body, _ := call(t, c, "GET", base+"/api/v1/households/current", owner, "")
			if code != http.StatusOK || !strings.Contains(body, `"email":"friend@example.test"`) {
				t.Fatalf("pending: %d %s", code, body)
			}
			accept := base + "/api/v1/households/invitations/" + token + "/accept"
			if code, body, _ := call(t, c, "POST", accept, friend, ""); code != http.StatusOK || !strings.Contains(body, `"username":"owner"`) {
				t.Fatalf("accept: %d %s", code, body)
			}
			if code, _, _ := call(t, c, "POST", accept, friend, ""); code != http.StatusNotFound {
				t.Fatalf("second accept: %d, want 404", code)
			}

			// Twenty invitations an hour per user, refused ones included.
			for sends < 20 {
				if code, answer := send(`{"email":"nobody"}`); code != http.StatusUnprocessableEntity {
					t.Fatalf("send %d: %d %s", sends, code, answer)
				}
			}
			if code, answer := send(`{"email":"friend@example.test"}`); code != http.StatusTooManyRequests {
				t.Fatalf("send 21: %d %s, want 429", code, answer)
			}
		})
	}
}
