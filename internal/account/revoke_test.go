package account_test

import (
	"context"
	"errors"
	"testing"

	. "github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// A sign-in whose password was checked before a revocation (a password
// change or a disable elsewhere) issues credentials that are dead on
// arrival, even though they are written after the revocation deleted
// everything: they carry the epoch the password was checked in.
func TestSignInRacingARevocationIssuesNothingThatWorks(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := testutil.OpenStore(t, engine)
			svc := New(s)
			reg := auth.Registration{Username: "ana", Email: "ana@example.test", Password: "a quiet kitchen garden"}
			if _, err := svc.Register(ctx, reg); err != nil {
				t.Fatal(err)
			}
			u, err := svc.Authenticate(ctx, "ana", "a quiet kitchen garden", Client{IP: "192.0.2.1"})
			if err != nil {
				t.Fatal(err)
			}
			// The revocation lands between the check and the issue.
			if _, err := s.RevokeCredentials(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			cookie, err := svc.StartSession(ctx, u, Client{IP: "192.0.2.1"})
			if err != nil {
				t.Fatal(err)
			}
			token, _, err := svc.IssueLoginToken(ctx, u, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.UserBySession(ctx, auth.HashSecret(cookie)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the session issued after the revocation works: %v", err)
			}
			if _, _, err := s.UserByAPIToken(ctx, auth.HashSecret(token)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the token issued after the revocation works: %v", err)
			}
			// A sign-in after the revocation works as usual.
			u, err = svc.Authenticate(ctx, "ana", "a quiet kitchen garden", Client{IP: "192.0.2.1"})
			if err != nil {
				t.Fatal(err)
			}
			cookie, _ = svc.StartSession(ctx, u, Client{IP: "192.0.2.1"})
			if _, _, err := s.UserBySession(ctx, auth.HashSecret(cookie)); err != nil {
				t.Errorf("a fresh sign-in does not work: %v", err)
			}
		})
	}
}
