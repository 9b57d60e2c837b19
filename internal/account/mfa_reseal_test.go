package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	. "github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

// Rotating the secret key: with the old key as previous, enrolled users
// still sign in and their secret moves to the new key as they do;
// ResealAll moves the rest; then the new key alone opens every secret.
func TestSecretKeyRotation(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := testutil.OpenStore(t, engine)
			oldKey := []byte("old secret key 0123456789abcdef0123")
			newKey := []byte("new secret key 0123456789abcdef0123")
			now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
			code := func(secret string, step int) string {
				c, err := totp.GenerateCodeCustom(secret, now.Add(time.Duration(step)*30*time.Second),
					totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			before, _ := NewMFA(s, oldKey, "RecCollection")
			SetMFAClock(before, func() time.Time { return now })
			secrets := map[string]string{}
			users := map[string]*auth.User{}
			for _, name := range []string{"ana", "ben", "cy"} {
				u := &auth.User{Username: name, Email: name + "@example.test", PasswordHash: "x"}
				if err := s.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				e, err := before.Start(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := before.Confirm(ctx, u, code(e.Secret, 0)); err != nil {
					t.Fatal(err)
				}
				secrets[name], users[name] = e.Secret, u
			}

			// Without the old key nobody's code works.
			newOnly, _ := NewMFA(s, newKey, "RecCollection")
			SetMFAClock(newOnly, func() time.Time { return now })
			if err := newOnly.Verify(ctx, users["ana"], nil, code(secrets["ana"], 1)); err == nil {
				t.Fatal("a secret sealed under the old key opened under the new key alone")
			}

			// With it, Ana signs in and her secret is resealed on the way.
			rotated, _ := NewMFA(s, newKey, "RecCollection", oldKey)
			SetMFAClock(rotated, func() time.Time { return now })
			if err := rotated.Verify(ctx, users["ana"], nil, code(secrets["ana"], 1)); err != nil {
				t.Fatalf("sign-in during the rotation: %v", err)
			}
			r, err := rotated.ResealAll(ctx)
			if err != nil || r.Resealed != 2 || r.Current != 1 || r.Conflicts != 0 {
				t.Fatalf("ResealAll = %+v, %v; want ben and cy resealed, ana current", r, err)
			}
			if r, err := rotated.ResealAll(ctx); err != nil || r.Resealed != 0 || r.Current != 3 {
				t.Errorf("a second ResealAll = %+v, %v; want nothing to do", r, err)
			}

			// Now the new key alone opens every secret.
			ResetMFAThrottle(newOnly)
			SetMFAClock(newOnly, func() time.Time { return now.Add(time.Minute) })
			for name, u := range users {
				if err := newOnly.Verify(ctx, u, nil, code(secrets[name], 2)); err != nil {
					t.Errorf("%s after resealing, new key only: %v", name, err)
				}
			}

			// A secret under a key nobody configured is reported, not changed.
			stranger, _ := NewMFA(s, []byte("some unrelated key 0123456789abcdef"), "RecCollection")
			r, err = stranger.ResealAll(ctx)
			if err == nil || len(r.Unopened) != 3 || !strings.Contains(err.Error(), "mfa-reset") {
				t.Errorf("ResealAll under a wrong key = %+v, %v; want 3 unopened and advice", r, err)
			}
			stored, _ := s.SealedTOTPSecrets(ctx)
			for _, st := range stored {
				if err := newOnly.Verify(ctx, &auth.User{ID: st.UserID}, nil, "000000"); err != ErrBadCode {
					t.Errorf("after a failed reseal the secret of %s no longer opens: %v", st.UserID, err)
				}
			}
		})
	}
}
