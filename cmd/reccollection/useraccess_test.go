package main_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// An operator revokes, disables and enables an account from the command
// line: every session and API token ends for good, re-enabling brings
// none of them back, and each action is in the audit log.
func TestUserRevokeDisableEnable(t *testing.T) {
	dir := t.TempDir()
	env := baseEnv(dir)
	ctx := context.Background()
	s, _ := createAdmin(t, env, dir, "boss")
	if r := runCLI(t, env, "a quiet kitchen garden\n", "user", "create", "--username", "cook", "--email", "cook@example.test"); r.code != 0 {
		t.Fatalf("user create: exit %d\n%s", r.code, r.stderr)
	}
	cook := func() *auth.User {
		t.Helper()
		u, err := s.UserByUsername(ctx, "cook")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	n := 0
	// signIn gives cook a browser session, a sign-in token and a personal
	// token, as the app would: in cook's current credentials epoch.
	signIn := func() (string, []string) {
		t.Helper()
		u, now := cook(), time.Now().UTC()
		n++
		sess := auth.Session{ID: auth.HashSecret("browser" + string(rune('a'+n))), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
			ExpiresAt: now.Add(time.Hour), Epoch: u.CredentialsEpoch}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		var hashes []string
		for _, src := range []string{auth.TokenFromLogin, auth.TokenFromUser} {
			tok := &auth.APIToken{UserID: u.ID, Name: src, Source: src, Hash: auth.HashSecret(src + string(rune('a'+n))), Epoch: u.CredentialsEpoch}
			if err := s.CreateAPIToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			hashes = append(hashes, tok.Hash)
		}
		return sess.ID, hashes
	}
	assertDead := func(when, sess string, toks []string) {
		t.Helper()
		if _, _, err := s.UserBySession(ctx, sess); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: the session still works (%v)", when, err)
		}
		for _, h := range toks {
			if _, _, err := s.UserByAPIToken(ctx, h); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s: a token still works (%v)", when, err)
			}
		}
	}
	audited := func(action string) {
		t.Helper()
		log, err := s.AuditLog(ctx, 20, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(log, func(e store.AuditEntry) bool {
			return e.Action == action && e.Target == "user:"+cook().ID && e.ActorID == "" && strings.Contains(e.Details, "command line")
		}) {
			t.Errorf("no %s by the command line in the audit log: %+v", action, log)
		}
	}

	sess, toks := signIn()
	if _, _, err := s.UserByAPIToken(ctx, toks[1]); err != nil {
		t.Fatalf("a fresh token does not work: %v", err)
	}
	r := runCLI(t, env, "", "user", "revoke", "--username", "cook")
	if r.code != 0 || !strings.Contains(r.stdout, "revoked 1 session and 2 API tokens of cook") {
		t.Fatalf("revoke: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertDead("after revoke", sess, toks)
	audited("user.revoke")

	sess, toks = signIn()
	r = runCLI(t, env, "", "user", "disable", "--username", "cook")
	if r.code != 0 || !strings.Contains(r.stdout, "disabled cook") || !strings.Contains(r.stdout, "revoked 1 session and 2 API tokens") {
		t.Fatalf("disable: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if cook().DisabledAt == nil {
		t.Error("cook is not disabled")
	}
	audited("user.disable")
	r = runCLI(t, env, "", "user", "enable", "--username", "cook")
	if r.code != 0 || !strings.Contains(r.stdout, "enabled cook") {
		t.Fatalf("enable: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if cook().DisabledAt != nil {
		t.Error("cook is still disabled")
	}
	audited("user.enable")
	// Enabled again, but what was issued before the disable stays dead.
	assertDead("after disable and enable", sess, toks)

	for _, verb := range []string{"revoke", "disable", "enable"} {
		if r := runCLI(t, env, "", "user", verb); r.code != 2 {
			t.Errorf("%s without --username: exit %d, want 2", verb, r.code)
		}
		if r := runCLI(t, env, "", "user", verb, "--username", "nobody"); r.code != 1 || !strings.Contains(r.stderr, "nobody") {
			t.Errorf("%s of an unknown user: exit %d, %q", verb, r.code, r.stderr)
		}
		if r := runCLI(t, env, "", "user", verb, "--help"); r.code != 0 || !strings.Contains(r.stdout, "user "+verb+" --username NAME") {
			t.Errorf("%s --help: exit %d, %q", verb, r.code, r.stdout)
		}
	}
}

// `user create` refuses a guessable password and says why.
func TestUserCreateSaysWhyAPasswordIsRefused(t *testing.T) {
	env := baseEnv(t.TempDir())
	for password, reason := range map[string]string{
		"12345678":     "simple pattern",
		"        ":     "only spaces",
		"password":     "most common passwords",
		"cook2024!":    "built from your username",
		"short":        "at least 8 characters",
		"iloveyou2024": "common password with a few characters added",
	} {
		r := runCLI(t, env, password+"\n", "user", "create", "--username", "cook", "--email", "cook@example.test")
		if r.code != 1 || !strings.Contains(r.stderr, "password: ") || !strings.Contains(r.stderr, reason) {
			t.Errorf("user create with %q: exit %d, %q; want exit 1 and %q", password, r.code, r.stderr, reason)
		}
	}
	if r := runCLI(t, env, "a quiet kitchen garden\n", "user", "create", "--username", "cook", "--email", "cook@example.test"); r.code != 0 {
		t.Errorf("user create with a good password: exit %d, %q", r.code, r.stderr)
	}
}
