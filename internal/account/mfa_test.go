package account_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	. "github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/testutil"
)

func TestSecondFactorFlow(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := testutil.OpenStore(t, engine)
			u := &auth.User{Username: "ana", Email: "ana@example.test", PasswordHash: "x"}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			m, err := NewMFA(s, []byte("0123456789abcdef0123456789abcdef"), "RecCollection")
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
			SetMFAClock(m, func() time.Time { return now })
			code := func(secret string) string {
				c, err := totp.GenerateCodeCustom(secret, now, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
				if err != nil {
					t.Fatal(err)
				}
				return c
			}

			if on, _ := m.Enabled(ctx, u); on {
				t.Fatal("enabled before enrolment")
			}
			if err := m.Verify(ctx, u, nil, "123456"); !errors.Is(err, ErrNoSecondFactor) {
				t.Errorf("verify without enrolment: %v", err)
			}
			e, err := m.Start(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := s.UserTOTP(ctx, u.ID)
			if stored.SecretSealed == e.Secret || len(e.QRCode) < 100 {
				t.Error("the secret is stored in clear, or no QR code was drawn")
			}
			if parsed, _ := url.Parse(e.URL); parsed.Query().Get("issuer") != "RecCollection" {
				t.Errorf("otpauth URL %q lacks the issuer", e.URL)
			}
			if err := m.Verify(ctx, u, nil, code(e.Secret)); !errors.Is(err, ErrNoSecondFactor) {
				t.Errorf("a pending enrolment verified a sign-in: %v", err)
			}
			if _, err := m.Confirm(ctx, u, "000000"); !errors.Is(err, ErrBadCode) {
				t.Errorf("confirm with a wrong code: %v", err)
			}
			recovery, err := m.Confirm(ctx, u, code(e.Secret))
			if err != nil || len(recovery) != auth.RecoveryCodeCount {
				t.Fatalf("confirm: %d codes, %v", len(recovery), err)
			}
			if on, _ := m.Enabled(ctx, u); !on {
				t.Fatal("not enabled after confirming")
			}

			// The confirming code cannot be used again; the next step's can.
			if err := m.Verify(ctx, u, nil, code(e.Secret)); !errors.Is(err, ErrBadCode) {
				t.Errorf("replayed code: %v", err)
			}
			now = now.Add(30 * time.Second)
			// The store checks expiry against the real clock.
			real := time.Now().UTC()
			sess := auth.Session{ID: auth.HashSecret("s1"), UserID: u.ID, CreatedAt: real, LastSeenAt: real, ExpiresAt: real.Add(time.Hour)}
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			if err := m.Verify(ctx, u, &sess, code(e.Secret)); err != nil {
				t.Fatalf("next step's code: %v", err)
			}
			if got, _, err := s.UserBySession(ctx, sess.ID); err != nil || got.MFAVerifiedAt == nil {
				t.Fatalf("the session was not marked verified (%v)", err)
			}
			// A recovery code works once.
			now = now.Add(30 * time.Second)
			if err := m.Verify(ctx, u, nil, recovery[0]); err != nil {
				t.Errorf("recovery code: %v", err)
			}
			if err := m.Verify(ctx, u, nil, recovery[0]); !errors.Is(err, ErrBadCode) {
				t.Errorf("recovery code reused: %v", err)
			}

			// Guessing is throttled: after 5 failures even a right code waits.
			for range FailuresPerAccountMFA {
				_ = m.Verify(ctx, u, nil, "000000")
			}
			var te *ThrottledError
			if err := m.Verify(ctx, u, nil, code(e.Secret)); !errors.As(err, &te) {
				t.Errorf("after 5 failures: %v, want throttled", err)
			}
			ResetMFAThrottle(m)

			now = now.Add(30 * time.Second)
			if err := m.Disable(ctx, u, code(e.Secret)); err != nil {
				t.Fatal(err)
			}
			if on, _ := m.Enabled(ctx, u); on {
				t.Error("still enabled after Disable")
			}
		})
	}
}
