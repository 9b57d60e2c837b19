package api_test

// Idempotency-Key on the account routes that create something: personal
// API tokens (per user), registration and sign-in (anonymous scope). The
// answers hold secrets (a token, a session cookie), so they are kept
// sealed: the tests read the table and find none of them in it.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
)

// recordedAnswers returns every fingerprint and stored body of table.
func (s *server) recordedAnswers(t *testing.T, table string) (fingerprints []string, bodies [][]byte) {
	t.Helper()
	rows, err := s.Store.DB().QueryContext(context.Background(), "SELECT fingerprint, body FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		var b []byte
		if err := rows.Scan(&f, &b); err != nil {
			t.Fatal(err)
		}
		fingerprints, bodies = append(fingerprints, f), append(bodies, b)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fingerprints, bodies
}

// wantNotStored fails if any stored answer of table contains one of the
// secrets in clear.
func (s *server) wantNotStored(t *testing.T, table string, secrets ...string) {
	t.Helper()
	_, bodies := s.recordedAnswers(t, table)
	if len(bodies) == 0 {
		t.Fatalf("nothing recorded in %s", table)
	}
	for _, b := range bodies {
		for _, secret := range secrets {
			if secret != "" && bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s keeps %q in clear", table, secret)
			}
		}
	}
}

func (s *server) tokenCount(t *testing.T, userID, source string) int {
	t.Helper()
	n, err := s.Store.CountAPITokens(context.Background(), userID, source)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func wantReplay(t *testing.T, first, again *response) {
	t.Helper()
	if first.header.Get("Idempotent-Replayed") != "" || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("Idempotent-Replayed: first %q, retry %q; want \"\" then \"true\"",
			first.header.Get("Idempotent-Replayed"), again.header.Get("Idempotent-Replayed"))
	}
	if string(first.body) != string(again.body) {
		t.Errorf("the retry's body differs:\n%s\n%s", first.body, again.body)
	}
	if again.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Errorf("Content-Type: first %q, retry %q", first.header.Get("Content-Type"), again.header.Get("Content-Type"))
	}
}

func TestIdempotencyKeyReplaysTokenCreation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "tokenkeys")
		before := s.tokenCount(t, c.user.ID, auth.TokenFromUser)
		key := header("Idempotency-Key", "6f1d1c3e-tokens")
		body := map[string]any{"name": "deploy script", "expires_in_days": 30}

		first := c.do(t, "POST", "/api/v1/auth/tokens", body, key).want(t, http.StatusCreated)
		again := c.do(t, "POST", "/api/v1/auth/tokens", body, key).want(t, http.StatusCreated)
		wantReplay(t, first, again)
		var a, b tokenJSON
		first.decode(t, &a)
		again.decode(t, &b)
		if !strings.HasPrefix(a.Token, auth.TokenPrefix) || a.Token != b.Token || a.ID != b.ID {
			t.Errorf("retry answered token %q (%s), first %q (%s): want the same token", b.Token, b.ID, a.Token, a.ID)
		}
		if n := s.tokenCount(t, c.user.ID, auth.TokenFromUser); n != before+1 {
			t.Errorf("%d tokens after a retry, want %d", n, before+1)
		}
		// The replayed secret is a working token.
		c.withToken(b.Token).do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)

		// The table holds the answer sealed: neither the secret nor the
		// token's id is readable there.
		s.wantNotStored(t, "idempotency_keys", a.Token, a.ID, "deploy script")
		if fps, _ := s.recordedAnswers(t, "idempotency_keys"); len(fps) != 1 || !strings.HasPrefix(fps[0], "sealed:") {
			t.Errorf("recorded fingerprints %q, want one marked sealed", fps)
		}

		// The same key with another body creates nothing.
		c.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "other script"}, key).
			wantProblem(t, http.StatusUnprocessableEntity)
		if n := s.tokenCount(t, c.user.ID, auth.TokenFromUser); n != before+1 {
			t.Errorf("%d tokens after a reused key, want %d", n, before+1)
		}

		// Without a key each request creates, as before.
		c.createToken(t, "twice")
		c.createToken(t, "twice")
		if n := s.tokenCount(t, c.user.ID, auth.TokenFromUser); n != before+3 {
			t.Errorf("%d tokens after two unkeyed requests, want %d", n, before+3)
		}

		// A refused request records nothing: the key then serves the
		// corrected one.
		fix := header("Idempotency-Key", "fix-token")
		c.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": ""}, fix).wantProblem(t, http.StatusUnprocessableEntity, "name")
		c.do(t, "POST", "/api/v1/auth/tokens", map[string]any{"name": "fixed"}, fix).want(t, http.StatusCreated)

		// Anonymous: the key does not matter, the answer is 401.
		s.anon().do(t, "POST", "/api/v1/auth/tokens", body, key).wantProblem(t, http.StatusUnauthorized)

		// An answer sealed under a key the server no longer holds (a
		// secret key rotated without keeping the old one) cannot be
		// replayed: a 409 that says the work was done, never a 500 and
		// never a second token.
		update := "UPDATE idempotency_keys SET body = ?"
		if s.engine == "postgres" {
			update = "UPDATE idempotency_keys SET body = $1"
		}
		if _, err := s.Store.DB().ExecContext(context.Background(), update, []byte("sealed:v1:not-readable")); err != nil {
			t.Fatal(err)
		}
		c.do(t, "POST", "/api/v1/auth/tokens", body, key).wantProblem(t, http.StatusConflict)
		if n := s.tokenCount(t, c.user.ID, auth.TokenFromUser); n != before+4 {
			t.Errorf("%d tokens after an unreadable replay, want %d", n, before+4)
		}
	})
}

func TestIdempotencyKeyReplaysRegistration(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		anon := s.anon()
		key := header("Idempotency-Key", "b7c9-register")
		body := map[string]any{"username": "keyedsignup", "email": "keyedsignup@example.test", "password": testPassword}

		first := anon.do(t, "POST", "/api/v1/auth/register", body, key).want(t, http.StatusCreated)
		again := anon.do(t, "POST", "/api/v1/auth/register", body, key).want(t, http.StatusCreated)
		wantReplay(t, first, again)
		if again.header.Get("Location") != "/api/v1/me" {
			t.Errorf("retry Location %q", again.header.Get("Location"))
		}
		if n, err := s.Store.CountUsers(context.Background()); err != nil || n != 1 {
			t.Errorf("%d users after a retry (%v), want 1", n, err)
		}
		// The retry signs the client in like the first answer did: the
		// same session and device cookies.
		session := cookieValue(first.header, authhttp.SessionCookie)
		if session == "" || cookieValue(again.header, authhttp.SessionCookie) != session {
			t.Errorf("session cookie: first %q, retry %q", session, cookieValue(again.header, authhttp.SessionCookie))
		}
		if len(again.header.Values("Set-Cookie")) != len(first.header.Values("Set-Cookie")) {
			t.Errorf("retry set %q, first %q", again.header.Values("Set-Cookie"), first.header.Values("Set-Cookie"))
		}
		anon.do(t, "GET", "/api/v1/me", nil, header("Cookie", authhttp.SessionCookie+"="+session)).want(t, http.StatusOK)

		// Sealed: the session secret and the account are not in clear;
		// the fingerprint of a body with a password is a slow salted hash.
		s.wantNotStored(t, "anonymous_idempotency_keys", session, "keyedsignup", testPassword)
		if fps, _ := s.recordedAnswers(t, "anonymous_idempotency_keys"); len(fps) != 1 || !strings.HasPrefix(fps[0], "$argon2id$") {
			t.Errorf("recorded fingerprints %q, want one argon2id hash", fps)
		}

		// The same key with another body, even one differing only in the
		// password, is refused and creates nothing.
		other := map[string]any{"username": "keyedsignup", "email": "keyedsignup@example.test", "password": testPassword + "!"}
		anon.do(t, "POST", "/api/v1/auth/register", other, key).wantProblem(t, http.StatusUnprocessableEntity)
		anon.do(t, "POST", "/api/v1/auth/register", map[string]any{"username": "second", "email": "second@example.test", "password": testPassword}, key).
			wantProblem(t, http.StatusUnprocessableEntity)
		if n, _ := s.Store.CountUsers(context.Background()); n != 1 {
			t.Errorf("%d users after a reused key, want 1", n)
		}

		// Without a key a repeated registration is the usual conflict.
		anon.do(t, "POST", "/api/v1/auth/register", body).wantProblem(t, http.StatusConflict, "username")

		// A conflict is not recorded, and leaves the key free: on
		// PostgreSQL the unique violation aborted the transaction, and the
		// field is still named right.
		taken := header("Idempotency-Key", "taken-then-fixed")
		anon.do(t, "POST", "/api/v1/auth/register", map[string]any{"username": "fresh", "email": "keyedsignup@example.test", "password": testPassword}, taken).
			wantProblem(t, http.StatusConflict, "email")
		anon.do(t, "POST", "/api/v1/auth/register", map[string]any{"username": "fresh", "email": "fresh@example.test", "password": testPassword}, taken).
			want(t, http.StatusCreated)

		// A signed-in user's key is another scope than the anonymous one.
		b := s.register(t, "signedin")
		b.do(t, "POST", "/api/v1/auth/register", body, key).want(t, http.StatusCreated).decode(t, new(map[string]any))
	})
}

func TestIdempotencyKeyReplaysLogin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		owner := s.register(t, "keyedlogin")
		anon := s.anon()
		key := header("Idempotency-Key", "c0ffee-login")
		body := map[string]any{"login": "keyedlogin", "password": testPassword, "token_name": "phone"}
		before := s.tokenCount(t, owner.user.ID, auth.TokenFromLogin)

		first := anon.do(t, "POST", "/api/v1/auth/login", body, key).want(t, http.StatusOK)
		again := anon.do(t, "POST", "/api/v1/auth/login", body, key).want(t, http.StatusOK)
		wantReplay(t, first, again)
		var a, b loginJSON
		first.decode(t, &a)
		again.decode(t, &b)
		if a.Token == "" || a.Token != b.Token || a.TokenID != b.TokenID {
			t.Errorf("retry answered token %q, first %q: want the same token", b.Token, a.Token)
		}
		if n := s.tokenCount(t, owner.user.ID, auth.TokenFromLogin); n != before+1 {
			t.Errorf("%d login tokens after a retry, want %d", n, before+1)
		}
		anon.withToken(b.Token).do(t, "GET", "/api/v1/me", nil).want(t, http.StatusOK)
		session := cookieValue(first.header, authhttp.SessionCookie)
		if session == "" || cookieValue(again.header, authhttp.SessionCookie) != session {
			t.Errorf("session cookie: first %q, retry %q", session, cookieValue(again.header, authhttp.SessionCookie))
		}
		s.wantNotStored(t, "anonymous_idempotency_keys", a.Token, session, testPassword)

		// Only the very same body gets the answer: a wrong password under
		// the key is refused, and so is another token name.
		for _, other := range []map[string]any{
			{"login": "keyedlogin", "password": "not the password", "token_name": "phone"},
			{"login": "keyedlogin", "password": testPassword, "token_name": "tablet"},
		} {
			res := anon.do(t, "POST", "/api/v1/auth/login", other, key)
			res.wantProblem(t, http.StatusUnprocessableEntity)
			if strings.Contains(string(res.body), a.Token) {
				t.Error("a refused request got the token")
			}
		}
		if n := s.tokenCount(t, owner.user.ID, auth.TokenFromLogin); n != before+1 {
			t.Errorf("%d login tokens after a reused key, want %d", n, before+1)
		}

		// A refused sign-in under a fresh key records nothing but is
		// audited: the entry is written after the key's transaction has
		// rolled back (on SQLite it would otherwise wait for its lock).
		wrong := header("Idempotency-Key", "wrong-password")
		anon.do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "keyedlogin", "password": "guess"}, wrong).
			wantProblem(t, http.StatusUnauthorized)
		log, err := s.Store.AuditLog(context.Background(), 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		var failed, succeeded int
		for _, e := range log {
			switch {
			case e.Action == "login.failed" && e.Target == "user:"+owner.user.ID:
				failed++
			case e.Action == "login.succeeded" && e.Target == "user:"+owner.user.ID:
				succeeded++
			}
		}
		if failed != 1 || succeeded != 1 {
			t.Errorf("audit log: %d failed and %d successful sign-ins, want 1 and 1 (the replay is no sign-in)", failed, succeeded)
		}
		// The key stays free for the right password.
		anon.do(t, "POST", "/api/v1/auth/login", map[string]any{"login": "keyedlogin", "password": testPassword}, wrong).want(t, http.StatusOK)
	})
}

// cookieValue is the value of the named cookie among h's Set-Cookie.
func cookieValue(h http.Header, name string) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// A record the previous release wrote (a bare SHA-256 fingerprint, the
// answer in clear) still replays after an upgrade.
func TestIdempotencyKeyReplaysRecordsOfThePreviousRelease(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		c := s.apiClient(t, "upgraded")
		body := []byte(`{"name":"from before"}`)
		sum := sha256.Sum256(append([]byte("POST\n/api/v1/auth/tokens\n"), body...))
		answer := `{"id":"earlier","name":"from before","token":"recc_earlier"}`
		q := "INSERT INTO idempotency_keys (user_id, key, fingerprint, status, content_type, location, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		if s.engine == "postgres" {
			q = "INSERT INTO idempotency_keys (user_id, key, fingerprint, status, content_type, location, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		}
		if _, err := s.Store.DB().ExecContext(context.Background(), q, c.user.ID, "old-key", hex.EncodeToString(sum[:]),
			201, "application/json", "", []byte(answer), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		before := s.tokenCount(t, c.user.ID, auth.TokenFromUser)
		res := c.do(t, "POST", "/api/v1/auth/tokens", raw(body), header("Idempotency-Key", "old-key")).want(t, http.StatusCreated)
		if string(res.body) != answer || res.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry of an earlier release's record: %s", res)
		}
		if n := s.tokenCount(t, c.user.ID, auth.TokenFromUser); n != before {
			t.Errorf("%d tokens after the retry, want %d", n, before)
		}
	})
}
