package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// TestEmailChangesContract: one pending change per user, a new request
// replacing the old; a token works while its change is unexpired and its
// user enabled, once; applying sets the address, spends the user's unused
// reset links and nobody else's; an address taken meanwhile is a conflict
// that drops the change and changes nothing; cancel and pruning remove
// changes.
func TestEmailChangesContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ana, ben := mkUser(t, s, "ana"), mkUser(t, s, "ben")
		now := time.Now().UTC()
		day := 24 * time.Hour
		request := func(u *auth.User, email, secret string) (*store.EmailChange, string) {
			t.Helper()
			ch, err := s.RequestEmailChange(ctx, u.ID, email, now, now.Add(day))
			if err != nil {
				t.Fatal(err)
			}
			h := auth.HashSecret(secret)
			if err := s.SetEmailChangeToken(ctx, ch.ID, h, now, now.Add(day)); err != nil {
				t.Fatal(err)
			}
			return ch, h
		}

		first, firstHash := request(ana, "first@example.test", "first")
		second, secondHash := request(ana, "second@example.test", "second")
		if p, err := s.PendingEmailChange(ctx, ana.ID, now); err != nil || p.ID != second.ID || p.NewEmail != "second@example.test" {
			t.Fatalf("pending after a second request: %+v %v", p, err)
		}
		if _, err := s.EmailChangeByID(ctx, first.ID, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the replaced change: %v, want ErrNotFound", err)
		}
		if err := s.SetEmailChangeToken(ctx, first.ID, auth.HashSecret("late"), now, now.Add(day)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a token for the replaced change: %v, want ErrNotFound", err)
		}
		if _, err := s.ApplyEmailChange(ctx, firstHash, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the replaced change's token: %v, want ErrNotFound", err)
		}
		if c, err := s.EmailChangeByToken(ctx, secondHash, now.Add(day-time.Second)); err != nil || c.UserID != ana.ID {
			t.Errorf("valid token: %+v %v", c, err)
		}
		if _, err := s.ApplyEmailChange(ctx, secondHash, now.Add(day)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired token: %v, want ErrNotFound", err)
		}

		// Applying spends ana's reset links, not ben's.
		if err := s.CreatePasswordReset(ctx, ana.ID, auth.HashSecret("ana-reset"), now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePasswordReset(ctx, ben.ID, auth.HashSecret("ben-reset"), now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		done, err := s.ApplyEmailChange(ctx, secondHash, now)
		if err != nil || done.UserID != ana.ID || done.OldEmail != "ana@example.test" || done.NewEmail != "second@example.test" {
			t.Fatalf("apply: %+v %v", done, err)
		}
		if u, _ := s.UserByID(ctx, ana.ID); u.Email != "second@example.test" {
			t.Errorf("email after applying: %q", u.Email)
		}
		if _, err := s.ApplyEmailChange(ctx, secondHash, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("second use: %v, want ErrNotFound", err)
		}
		if _, err := s.PasswordResetUser(ctx, auth.HashSecret("ana-reset"), now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ana's reset link after the change: %v, want ErrNotFound", err)
		}
		if id, err := s.PasswordResetUser(ctx, auth.HashSecret("ben-reset"), now); err != nil || id != ben.ID {
			t.Errorf("ben's reset link: %q %v", id, err)
		}

		// Taken meanwhile: ben asks for ana's address.
		_, taken := request(ben, "second@example.test", "taken")
		var ce *store.ConflictError
		if _, err := s.ApplyEmailChange(ctx, taken, now); !errors.As(err, &ce) || ce.Field != "email" {
			t.Errorf("a taken address: %v, want a conflict on email", err)
		}
		if u, _ := s.UserByID(ctx, ben.ID); u.Email != "ben@example.test" {
			t.Errorf("ben's email after a refused change: %q", u.Email)
		}
		if _, err := s.PendingEmailChange(ctx, ben.ID, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the refused change is still pending: %v", err)
		}

		// A disabled user's token does not work.
		_, disabledHash := request(ben, "elsewhere@example.test", "disabled")
		if _, err := s.SetUserDisabled(ctx, ben.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyEmailChange(ctx, disabledHash, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a disabled user's token: %v, want ErrNotFound", err)
		}

		// Cancel, a token forgotten after a failed send, and pruning.
		_, h := request(ana, "third@example.test", "third")
		if err := s.ClearEmailChangeToken(ctx, h); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EmailChangeByToken(ctx, h, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a cleared token: %v, want ErrNotFound", err)
		}
		if ok, err := s.CancelEmailChange(ctx, ana.ID); !ok || err != nil {
			t.Errorf("cancel: %v %v", ok, err)
		}
		if ok, err := s.CancelEmailChange(ctx, ana.ID); ok || err != nil {
			t.Errorf("cancel with nothing pending: %v %v", ok, err)
		}
		request(ana, "fourth@example.test", "fourth")
		if n, err := s.DeleteStaleEmailChanges(ctx, now.Add(day+time.Second)); err != nil || n != 2 {
			t.Errorf("pruned %d (%v), want ana's and disabled ben's", n, err)
		}
	})
}
