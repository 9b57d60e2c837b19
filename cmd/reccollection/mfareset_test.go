package main_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// An operator removes the second factor of a locked-out user.
func TestUserMFAReset(t *testing.T) {
	dir := t.TempDir()
	env := baseEnv(dir)
	ctx := context.Background()
	s, u := createAdmin(t, env, dir, "boss")
	if err := s.StartTOTP(ctx, u.ID, "sealed"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableTOTP(ctx, u.ID, []string{"h1", "h2"}); err != nil {
		t.Fatal(err)
	}

	// A token that proved only the password would pass without the
	// second factor once it is gone: the reset revokes it.
	tok := &auth.APIToken{UserID: u.ID, Name: "script", Hash: auth.HashSecret("boss-script"), Epoch: u.CredentialsEpoch}
	if err := s.CreateAPIToken(ctx, tok); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, env, "", "user", "mfa-reset", "--username", "boss")
	if r.code != 0 || !strings.Contains(r.stdout, "removed the second factor of boss") || !strings.Contains(r.stdout, "1 API token") {
		t.Fatalf("mfa-reset: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if _, _, err := s.UserByAPIToken(ctx, tok.Hash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the token still works after the reset: %v", err)
	}
	if _, err := s.UserTOTP(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second factor still there: %v", err)
	}
	log, _ := s.AuditLog(ctx, 10, 0)
	if !slices.ContainsFunc(log, func(e store.AuditEntry) bool { return e.Action == "mfa.reset" && e.Target == "user:"+u.ID }) {
		t.Errorf("no mfa.reset in the audit log: %+v", log)
	}
	if r := runCLI(t, env, "", "user", "mfa-reset", "--username", "nobody"); r.code == 0 {
		t.Error("reset of an unknown user succeeded")
	}
	if r := runCLI(t, env, "", "user", "mfa-reset"); r.code != 2 {
		t.Errorf("mfa-reset without --username: exit %d, want 2", r.code)
	}
}

// createAdmin makes an admin with `user create` in the SQLite database of
// dataDir and opens that database for the test to look into.
func createAdmin(t *testing.T, env []string, dataDir, username string) (*store.Store, *auth.User) {
	t.Helper()
	if r := runCLI(t, env, "correct horse battery\n", "user", "create", "--username", username, "--email", username+"@example.test", "--admin"); r.code != 0 {
		t.Fatalf("user create: exit %d\n%s", r.code, r.stderr)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(dataDir, "reccollection.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	u, err := s.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	return s, u
}
