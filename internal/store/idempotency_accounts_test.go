package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

// countingFingerprint matches equal fingerprints and counts Record calls.
type countingFingerprint struct {
	value   string
	records *int
}

func (f countingFingerprint) Matches(recorded string) bool { return recorded == f.value }
func (f countingFingerprint) Record() (string, error) {
	*f.records++
	return f.value, nil
}

// The writes of registration, sign-in and token creation join the key's
// transaction: a request that fails after making them leaves none behind,
// and its reads see what it wrote. Without joining, PostgreSQL would keep
// the user and token (committed on their own connections) and SQLite
// would wait for the transaction's lock until busy_timeout.
func TestIdempotentJoinsAccountWrites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		boom := errors.New("answer lost")
		var username string
		_, _, err := s.Idempotent(ctx, store.IdempotencyRequest{Key: "k", Fingerprint: store.ExactFingerprint("f")},
			func(ctx context.Context) (*store.IdempotentResponse, error) {
				u := &auth.User{Username: "joined", Email: "joined@example.test", PasswordHash: "x"}
				if err := s.CreateUser(ctx, u); err != nil {
					return nil, err
				}
				username = u.Username
				if err := s.TouchLogin(ctx, u.ID); err != nil {
					return nil, err
				}
				if again, err := s.UserByID(ctx, u.ID); err != nil || again.LastLoginAt == nil {
					t.Errorf("the user read back in the transaction: %+v, %v; want it with its sign-in", again, err)
				}
				now := time.Now().UTC()
				if err := s.CreateSession(ctx, auth.Session{ID: "session-hash", UserID: u.ID, CreatedAt: now, LastSeenAt: now,
					ExpiresAt: now.Add(time.Hour), Epoch: u.CredentialsEpoch}); err != nil {
					return nil, err
				}
				if err := s.PruneAPITokens(ctx, u.ID, 10); err != nil {
					return nil, err
				}
				if err := s.CreateAPIToken(ctx, &auth.APIToken{UserID: u.ID, Name: "t", Hash: "token-hash", Source: auth.TokenFromUser}); err != nil {
					return nil, err
				}
				if n, err := s.CountAPITokens(ctx, u.ID, auth.TokenFromUser); err != nil || n != 1 {
					t.Errorf("tokens counted in the transaction: %d, %v; want 1", n, err)
				}
				if err := s.Audit(ctx, store.AuditEntry{Action: "login.succeeded", Target: "user:" + u.ID}); err != nil {
					return nil, err
				}
				return nil, boom
			})
		if !errors.Is(err, boom) {
			t.Fatalf("Idempotent: %v, want the write's error", err)
		}
		if _, err := s.UserByUsername(ctx, username); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failed request's user: %v, want it rolled back", err)
		}
		if _, _, err := s.UserBySession(ctx, "session-hash"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failed request's session: %v, want it rolled back", err)
		}
		if _, _, err := s.UserByAPIToken(ctx, "token-hash"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the failed request's token: %v, want it rolled back", err)
		}
		// The audit entry records an attempt, which happened: it is
		// written once the transaction has ended, rolled back or not.
		log, err := s.AuditLog(ctx, 10, 0)
		if err != nil || len(log) != 1 || log[0].Action != "login.succeeded" {
			t.Errorf("audit log after the rollback: %+v, %v; want the one entry", log, err)
		}
	})
}

// Anonymous requests (UserID "") have a scope of their own, apart from
// every user's, and a fingerprint is computed (Record) only for a request
// that succeeded.
func TestIdempotentAnonymousScope(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "scoped")
		var records, writes int
		run := func(userID, fingerprint string, fail bool) (*store.IdempotentResponse, bool, error) {
			req := store.IdempotencyRequest{UserID: userID, Key: "shared-key", Fingerprint: countingFingerprint{fingerprint, &records}}
			return s.Idempotent(ctx, req, func(context.Context) (*store.IdempotentResponse, error) {
				writes++
				if fail {
					return nil, nil
				}
				return &store.IdempotentResponse{Status: 201, Body: []byte(userID + fingerprint)}, nil
			})
		}
		if _, _, err := run("", "f", true); err != nil || records != 0 {
			t.Fatalf("failed request: err %v, %d fingerprints recorded; want none", err, records)
		}
		if _, replayed, err := run("", "f", false); err != nil || replayed || records != 1 {
			t.Fatalf("anonymous: replayed=%v err=%v records=%d", replayed, err, records)
		}
		// A user's identical key is another key.
		if _, replayed, err := run(u.ID, "f", false); err != nil || replayed {
			t.Fatalf("user's key: replayed=%v err=%v, want a fresh request", replayed, err)
		}
		resp, replayed, err := run("", "f", false)
		if err != nil || !replayed || string(resp.Body) != "f" || writes != 3 {
			t.Errorf("anonymous retry: %+v replayed=%v err=%v writes=%d; want the first answer without a write", resp, replayed, err, writes)
		}
		if _, _, err := run("", "g", false); !errors.Is(err, store.ErrIdempotencyKeyReused) {
			t.Errorf("anonymous key, other request: %v, want ErrIdempotencyKeyReused", err)
		}
		if records != 2 {
			t.Errorf("%d fingerprints recorded, want 2 (one per recorded request)", records)
		}

		now := time.Now().Add(store.IdempotencyTTL + time.Minute)
		store.SetClock(s, func() time.Time { return now })
		if n, err := s.DeleteExpiredIdempotencyKeys(ctx); err != nil || n != 2 {
			t.Errorf("pruned %d (%v), want both scopes' records", n, err)
		}
	})
}
