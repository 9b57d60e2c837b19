package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// Revocation ends every session and token, sign-in and personal alike,
// and a credential issued afterwards with the epoch read before it (a
// sign-in that checked the old password just before) is dead on arrival.
func TestRevokeCredentialsContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ana, ben := mkUser(t, s, "ana"), mkUser(t, s, "ben")
		now := time.Now().UTC()
		session := func(u *auth.User, secret string) auth.Session {
			t.Helper()
			sess := auth.Session{ID: auth.HashSecret(secret), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
				ExpiresAt: now.Add(time.Hour), Epoch: u.CredentialsEpoch}
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			return sess
		}
		token := func(u *auth.User, secret, source string) *auth.APIToken {
			t.Helper()
			tok := &auth.APIToken{UserID: u.ID, Name: secret, Source: source, Hash: auth.HashSecret(secret), Epoch: u.CredentialsEpoch}
			if err := s.CreateAPIToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			return tok
		}
		sess := session(ana, "ana-browser")
		login, personal := token(ana, "ana-login", auth.TokenFromLogin), token(ana, "ana-script", auth.TokenFromUser)
		benSess, benTok := session(ben, "ben-browser"), token(ben, "ben-script", auth.TokenFromUser)

		rev, err := s.RevokeCredentials(ctx, ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rev.Sessions != 1 || rev.Tokens != 2 || rev.Epoch != ana.CredentialsEpoch+1 {
			t.Errorf("revoked %+v, want 1 session, 2 tokens, epoch %d", rev, ana.CredentialsEpoch+1)
		}
		if _, _, err := s.UserBySession(ctx, sess.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session after revocation: %v", err)
		}
		for _, tok := range []*auth.APIToken{login, personal} {
			if _, _, err := s.UserByAPIToken(ctx, tok.Hash); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s token after revocation: %v", tok.Source, err)
			}
		}
		// Another user's credentials are untouched.
		if _, _, err := s.UserBySession(ctx, benSess.ID); err != nil {
			t.Errorf("ben's session: %v", err)
		}
		if _, _, err := s.UserByAPIToken(ctx, benTok.Hash); err != nil {
			t.Errorf("ben's token: %v", err)
		}

		// ana as read before the revocation: what is issued with her old
		// epoch does not work; with the new one it does.
		late, lateTok := session(ana, "ana-late"), token(ana, "ana-late-token", auth.TokenFromLogin)
		if _, _, err := s.UserBySession(ctx, late.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session issued with a stale epoch works: %v", err)
		}
		if _, _, err := s.UserByAPIToken(ctx, lateTok.Hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token issued with a stale epoch works: %v", err)
		}
		fresh, err := s.UserByID(ctx, ana.ID)
		if err != nil || fresh.CredentialsEpoch != rev.Epoch {
			t.Fatalf("ana after revocation: %+v %v", fresh, err)
		}
		ok := session(fresh, "ana-new")
		if got, _, err := s.UserBySession(ctx, ok.ID); err != nil || got.Epoch != rev.Epoch {
			t.Errorf("session with the current epoch: %+v %v", got, err)
		}

		// A password change revokes the same way, the stale rows included.
		rev2, err := s.SetPassword(ctx, ana.ID, "new-hash")
		if err != nil || rev2.Sessions != 2 || rev2.Tokens != 1 || rev2.Epoch != rev.Epoch+1 {
			t.Errorf("password change revoked %+v %v", rev2, err)
		}
		if _, _, err := s.UserBySession(ctx, ok.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session after a password change: %v", err)
		}
		if _, err := s.RevokeCredentials(ctx, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking an unknown user: %v", err)
		}
		if _, err := s.SetPassword(ctx, "not-an-id", "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("setting the password of a bad id: %v", err)
		}
	})
}
