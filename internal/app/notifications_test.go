package app_test

import (
	"context"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

var unsubscribeLink = regexp.MustCompile(`^<(https?://[^/\s"<>]+(/unsubscribe/([A-Za-z0-9_.-]+)))>$`)

// TestNotificationEmailsThroughSMTP: notifications whose kind the
// recipient wants by email reach a real SMTP listener through the job
// queue, each with a List-Unsubscribe link (RFC 8058 one-click) that
// works signed out, stops that kind's emails and nothing else, and
// refuses a token that was tampered with; a new recipe reaches the
// author's followers through the fan-out job; the daily digest gathers
// what is owed in one email and is not sent twice.
func TestNotificationEmailsThroughSMTP(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv, relay := testutil.StartServingWithMail(t, engine, nil)
			base := srv.URL
			c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			register := func(name string) (string, string) {
				t.Helper()
				if code, body, _ := call(t, c, "POST", base+"/api/v1/auth/register", "",
					`{"username":"`+name+`","email":"`+name+`@example.test","password":"correct horse battery staple"}`); code != http.StatusCreated {
					t.Fatalf("register %s: %d %s", name, code, body)
				}
				token := loginAs(t, c, base, name, "correct horse battery staple", http.StatusOK)
				u, err := srv.App.Store().UserByUsername(ctx, name)
				if err != nil {
					t.Fatal(err)
				}
				return token, u.ID
			}
			cook, cookID := register("cook")
			fan, _ := register("fan")
			if code, body, _ := call(t, c, "PUT", base+"/api/v1/me/notification-preferences", cook,
				`{"follow":"email","comment":"email","like":"digest","new_recipe":"digest"}`); code != http.StatusOK {
				t.Fatalf("cook's prefs: %d %s", code, body)
			}
			if code, body, _ := call(t, c, "PUT", base+"/api/v1/me/notification-preferences", fan, `{"new_recipe":"email"}`); code != http.StatusOK {
				t.Fatalf("fan's prefs: %d %s", code, body)
			}

			// A follow: one email, to the cook, with its unsubscribe link.
			if code, _, _ := call(t, c, "PUT", base+"/api/v1/users/cook/follow", fan, ""); code != http.StatusOK {
				t.Fatal("follow")
			}
			got := relay.WaitFor(t, 1, 30*time.Second)
			m := parseMail(t, got[0].Data)
			if got[0].To[0] != "cook@example.test" || !strings.Contains(subject(m), "started following you") ||
				!strings.Contains(m.text, "/u/fan") || !strings.Contains(m.html, `/u/fan"`) {
				t.Fatalf("follow email to %v: %q\n%s", got[0].To, subject(m), m.text)
			}
			if m.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Fatalf("List-Unsubscribe-Post %q", m.header.Get("List-Unsubscribe-Post"))
			}
			link := unsubscribeLink.FindStringSubmatch(m.header.Get("List-Unsubscribe"))
			if link == nil {
				t.Fatalf("List-Unsubscribe %q", m.header.Get("List-Unsubscribe"))
			}
			path, token := link[2], link[3]

			// Tampered tokens: 404 on both methods, nothing changed.
			payload, mac, _ := strings.Cut(token, ".")
			for _, bad := range []string{token + "x", payload + ".AAAA" + mac[4:], "bm90LWEtdG9rZW4", strings.Repeat("a", 300)} {
				for _, method := range []string{"GET", "POST"} {
					if code, _, _ := call(t, c, method, base+"/unsubscribe/"+bad, "", ""); code != http.StatusNotFound {
						t.Errorf("%s tampered token %q: %d", method, bad, code)
					}
				}
			}
			// Signed out: GET shows a button and changes nothing; the
			// one-click POST turns the follow emails off.
			code, body, _ := call(t, c, "GET", base+path, "", "")
			if code != http.StatusOK || !strings.Contains(body, `<form method="post" action="`+path+`">`) ||
				!strings.Contains(body, "new followers") {
				t.Fatalf("unsubscribe page: %d %s", code, body)
			}
			if prefs := prefsOf(t, srv, cookID); prefs[store.KindFollow] != store.ChannelEmail {
				t.Fatalf("a GET unsubscribed: %v", prefs)
			}
			req, _ := http.NewRequest("POST", base+path, strings.NewReader("List-Unsubscribe=One-Click"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
			}
			prefs := prefsOf(t, srv, cookID)
			if prefs[store.KindFollow] != store.ChannelApp || prefs[store.KindComment] != store.ChannelEmail {
				t.Fatalf("after unsubscribing: %v", prefs)
			}

			// A comment still emails; a like waits for the digest.
			code, body, _ = call(t, c, "POST", base+"/api/v1/recipes", cook,
				`{"title":"Plum cake","visibility":"public","ingredients":[{"name":"plums"}],"steps":["Bake."]}`)
			if code != http.StatusCreated {
				t.Fatalf("create: %d %s", code, body)
			}
			var rec struct{ ID string }
			_ = json.Unmarshal([]byte(body), &rec)
			// The new recipe reaches its follower by the fan-out job.
			got = relay.WaitFor(t, 2, 30*time.Second)
			m = parseMail(t, got[1].Data)
			if got[1].To[0] != "fan@example.test" || !strings.Contains(m.text, "posted a new recipe: “Plum cake”") ||
				!strings.Contains(m.text, "/recipes/"+rec.ID) {
				t.Fatalf("new recipe email to %v:\n%s", got[1].To, m.text)
			}
			if code, _, _ := call(t, c, "PUT", base+"/api/v1/recipes/"+rec.ID+"/like", fan, ""); code != http.StatusOK {
				t.Fatal("like")
			}
			if code, _, _ := call(t, c, "POST", base+"/api/v1/recipes/"+rec.ID+"/comments", fan, `{"body":"<b>Yum</b>"}`); code != http.StatusCreated {
				t.Fatal("comment")
			}
			got = relay.WaitFor(t, 3, 30*time.Second)
			m = parseMail(t, got[2].Data)
			if !strings.Contains(subject(m), "commented on your recipe") || !strings.Contains(m.text, "/recipes/"+rec.ID+"/comments") {
				t.Fatalf("comment email: %q\n%s", subject(m), m.text)
			}

			// A comment posted with an Idempotency-Key runs in the
			// idempotency record's transaction: its email is queued only
			// once that has committed, and arrives.
			guest, _ := register("guest")
			req, _ = http.NewRequest("POST", base+"/api/v1/recipes/"+rec.ID+"/comments", strings.NewReader(`{"body":"Again"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+guest)
			req.Header.Set("Idempotency-Key", "comment-once-0001")
			resp, err = c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("comment with an Idempotency-Key: %d", resp.StatusCode)
			}
			got = relay.WaitFor(t, 4, 30*time.Second)
			if m = parseMail(t, got[3].Data); !strings.Contains(subject(m), "guest commented") {
				t.Fatalf("the idempotent comment's email: %q", subject(m))
			}

			// The digest, a day later: the like, in one email; then none.
			notes := srv.App.Notifications()
			notes.SetClock(func() time.Time { return time.Now().Add(24 * time.Hour) })
			if err := notes.DigestSweep(ctx); err != nil {
				t.Fatal(err)
			}
			got = relay.WaitFor(t, 5, 30*time.Second)
			m = parseMail(t, got[4].Data)
			if got[4].To[0] != "cook@example.test" || !strings.Contains(m.text, "liked your recipe “Plum cake”") ||
				strings.Contains(m.text, "commented") || strings.Contains(m.text, "following") {
				t.Fatalf("digest to %v:\n%s", got[4].To, m.text)
			}
			digestLink := unsubscribeLink.FindStringSubmatch(m.header.Get("List-Unsubscribe"))
			if digestLink == nil {
				t.Fatalf("digest List-Unsubscribe %q", m.header.Get("List-Unsubscribe"))
			}
			if err := notes.DigestSweep(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			if n := len(relay.Received()); n != 5 {
				t.Fatalf("%d emails after a second sweep, want 5", n)
			}
			// The digest's link, from the page's button: every digest off.
			code, body, _ = postForm(t, c, base+digestLink[2], url.Values{})
			if code != http.StatusOK || !strings.Contains(body, "the daily digest") {
				t.Fatalf("digest unsubscribe: %d %s", code, body)
			}
			prefs = prefsOf(t, srv, cookID)
			if prefs[store.KindLike] != store.ChannelApp || prefs[store.KindNewRecipe] != store.ChannelApp || prefs[store.KindComment] != store.ChannelEmail {
				t.Fatalf("after leaving the digest: %v", prefs)
			}
		})
	}
}

// subject is m's subject, decoded.
func subject(m receivedMail) string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.header.Get("Subject"))
	if err != nil {
		return m.header.Get("Subject")
	}
	return s
}

func prefsOf(t *testing.T, srv *testutil.Serving, userID string) store.NotificationPrefs {
	t.Helper()
	p, err := srv.App.Store().NotificationPrefs(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
