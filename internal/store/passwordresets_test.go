package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// TestPasswordResetsContract: a reset token works while unused, unexpired
// and its user enabled; spending it sets the password, revokes every
// session and API token and spends the user's other tokens, and nobody
// else's; stale tokens are pruned.
func TestPasswordResetsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ana, ben := mkUser(t, s, "ana"), mkUser(t, s, "ben")
		now := time.Now().UTC()
		mk := func(u *auth.User, secret string, created time.Time) string {
			t.Helper()
			h := auth.HashSecret(secret)
			if err := s.CreatePasswordReset(ctx, u.ID, h, created, created.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			return h
		}
		first, second, bens := mk(ana, "first", now), mk(ana, "second", now), mk(ben, "bens", now)
		old := mk(ana, "old", now.Add(-3*time.Hour))

		if id, err := s.PasswordResetUser(ctx, first, now.Add(59*time.Minute)); err != nil || id != ana.ID {
			t.Errorf("valid token: %q %v", id, err)
		}
		for name, c := range map[string]struct {
			hash string
			at   time.Time
		}{"expired": {first, now.Add(time.Hour)}, "unknown": {auth.HashSecret("nope"), now}, "old": {old, now}} {
			if _, err := s.PasswordResetUser(ctx, c.hash, c.at); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s token: %v, want ErrNotFound", name, err)
			}
			if _, _, err := s.ResetPassword(ctx, c.hash, "new-hash", c.at); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("reset with the %s token: %v, want ErrNotFound", name, err)
			}
		}

		sess := auth.Session{ID: auth.HashSecret("cookie"), UserID: ana.ID, CreatedAt: now, LastSeenAt: now,
			ExpiresAt: now.Add(time.Hour), Epoch: ana.CredentialsEpoch}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		id, rev, err := s.ResetPassword(ctx, first, "new-hash", now.Add(time.Minute))
		if err != nil || id != ana.ID || rev.Sessions != 1 || rev.Epoch != ana.CredentialsEpoch+1 {
			t.Fatalf("reset: %q %+v %v", id, rev, err)
		}
		if u, _ := s.UserByID(ctx, ana.ID); u.PasswordHash != "new-hash" {
			t.Errorf("password hash %q", u.PasswordHash)
		}
		if _, _, err := s.UserBySession(ctx, sess.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session after the reset: %v", err)
		}
		for name, h := range map[string]string{"spent": first, "other": second} {
			if _, _, err := s.ResetPassword(ctx, h, "again", now.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s token after the reset: %v", name, err)
			}
		}
		if id, err := s.PasswordResetUser(ctx, bens, now); err != nil || id != ben.ID {
			t.Errorf("another user's token after the reset: %q %v", id, err)
		}

		// A disabled account's token does nothing.
		if _, err := s.SetUserDisabled(ctx, ben.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ResetPassword(ctx, bens, "new", now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("disabled user's token: %v", err)
		}

		n, err := s.DeleteStalePasswordResets(ctx, now.Add(-time.Hour))
		if err != nil || n != 1 {
			t.Errorf("pruned %d (%v), want the old token only", n, err)
		}
	})
}
