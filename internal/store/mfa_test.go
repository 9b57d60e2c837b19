package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

func TestSecondFactorContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "mfa")
		if _, err := s.UserTOTP(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("before enrolment: %v, want ErrNotFound", err)
		}
		if err := s.EnableTOTP(ctx, u.ID, nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("enabling without a pending secret: %v, want ErrNotFound", err)
		}
		if err := s.StartTOTP(ctx, u.ID, "sealed-1"); err != nil {
			t.Fatal(err)
		}
		tt, err := s.UserTOTP(ctx, u.ID)
		if err != nil || tt.SecretSealed != "sealed-1" || tt.EnabledAt != nil || tt.LastUsedStep != 0 {
			t.Fatalf("pending TOTP = %+v, %v", tt, err)
		}
		_, hashes := auth.NewRecoveryCodes(3)
		if err := s.EnableTOTP(ctx, u.ID, hashes); err != nil {
			t.Fatal(err)
		}
		if tt, _ := s.UserTOTP(ctx, u.ID); tt.EnabledAt == nil {
			t.Error("not enabled")
		}
		if err := s.EnableTOTP(ctx, u.ID, hashes); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("enabling twice: %v, want ErrNotFound", err)
		}

		// A step is accepted once; an older one never; concurrent uses of
		// one step succeed exactly once.
		if ok, err := s.UseTOTPStep(ctx, u.ID, 100); !ok || err != nil {
			t.Fatalf("first use of step 100: %v %v", ok, err)
		}
		if ok, _ := s.UseTOTPStep(ctx, u.ID, 100); ok {
			t.Error("step 100 accepted twice")
		}
		if ok, _ := s.UseTOTPStep(ctx, u.ID, 99); ok {
			t.Error("an older step accepted")
		}
		var wg sync.WaitGroup
		wins := make(chan bool, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.UseTOTPStep(ctx, u.ID, 101)
				if err != nil {
					t.Error(err)
				}
				wins <- ok
			}()
		}
		wg.Wait()
		close(wins)
		n := 0
		for ok := range wins {
			if ok {
				n++
			}
		}
		if n != 1 {
			t.Errorf("step 101 accepted %d times by concurrent checks, want once", n)
		}

		if left, _ := s.RecoveryCodesLeft(ctx, u.ID); left != 3 {
			t.Errorf("recovery codes left = %d, want 3", left)
		}
		if ok, _ := s.UseRecoveryCode(ctx, u.ID, hashes[1]); !ok {
			t.Error("a fresh recovery code refused")
		}
		if ok, _ := s.UseRecoveryCode(ctx, u.ID, hashes[1]); ok {
			t.Error("a recovery code worked twice")
		}
		other := mkUser(t, s, "other")
		if ok, _ := s.UseRecoveryCode(ctx, other.ID, hashes[0]); ok {
			t.Error("a recovery code worked for another user")
		}
		if left, _ := s.RecoveryCodesLeft(ctx, u.ID); left != 2 {
			t.Errorf("recovery codes left = %d, want 2", left)
		}

		// Re-enrolment replaces secret and codes.
		if err := s.StartTOTP(ctx, u.ID, "sealed-2"); err != nil {
			t.Fatal(err)
		}
		if tt, _ := s.UserTOTP(ctx, u.ID); tt.SecretSealed != "sealed-2" || tt.EnabledAt != nil {
			t.Errorf("after re-enrolment: %+v", tt)
		}
		if left, _ := s.RecoveryCodesLeft(ctx, u.ID); left != 0 {
			t.Errorf("old recovery codes survive re-enrolment: %d", left)
		}
		if err := s.DisableTOTP(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserTOTP(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after disabling: %v", err)
		}

		// Sessions remember when they proved the second factor.
		now := time.Now().UTC()
		sess := auth.Session{ID: auth.HashSecret("mfa-session"), UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.UserBySession(ctx, sess.ID)
		if err != nil || got.MFAVerifiedAt != nil {
			t.Fatalf("new session: %+v %v", got, err)
		}
		if err := s.MarkSessionMFA(ctx, sess.ID); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := s.UserBySession(ctx, sess.ID); got.MFAVerifiedAt == nil {
			t.Error("session not marked verified")
		}
		if err := s.MarkSessionMFA(ctx, auth.HashSecret("nope")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("marking an unknown session: %v", err)
		}
	})
}
