package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
)

func countRecipes(t *testing.T, s *store.Store, authorID string) int {
	t.Helper()
	n, err := s.CountVisibleRecipes(context.Background(), authorID, authorID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// createKeyed runs one keyed create through Idempotent, as the API does.
func createKeyed(t *testing.T, s *store.Store, req store.IdempotencyRequest, title string) (*store.IdempotentResponse, bool, error) {
	t.Helper()
	return s.Idempotent(context.Background(), req, func(ctx context.Context) (*store.IdempotentResponse, error) {
		r, err := s.CreateRecipe(ctx, req.UserID, input(title, recipe.Public))
		if err != nil {
			return nil, err
		}
		return &store.IdempotentResponse{Status: 201, ContentType: "application/json",
			Location: "/api/v1/recipes/" + r.ID, Body: []byte(r.ID)}, nil
	})
}

func TestIdempotentReplaysTheFirstAnswer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		u := mkUser(t, s, "keyed")
		req := store.IdempotencyRequest{UserID: u.ID, Key: "k-1", Fingerprint: store.ExactFingerprint("f-1")}
		first, replayed, err := createKeyed(t, s, req, "Soup")
		if err != nil || replayed {
			t.Fatalf("first: replayed=%v err=%v", replayed, err)
		}
		again, replayed, err := createKeyed(t, s, req, "Soup")
		if err != nil || !replayed {
			t.Fatalf("retry: replayed=%v err=%v", replayed, err)
		}
		if again.Status != 201 || again.Location != first.Location || string(again.Body) != string(first.Body) ||
			again.ContentType != "application/json" {
			t.Errorf("retry answered %+v, want the first answer %+v", again, first)
		}
		if n := countRecipes(t, s, u.ID); n != 1 {
			t.Errorf("%d recipes after a retry, want 1", n)
		}

		// Another user's identical key is another key.
		other := mkUser(t, s, "other")
		if _, replayed, err := createKeyed(t, s, store.IdempotencyRequest{UserID: other.ID, Key: "k-1", Fingerprint: store.ExactFingerprint("f-1")}, "Soup"); err != nil || replayed {
			t.Errorf("same key, other user: replayed=%v err=%v, want a fresh create", replayed, err)
		}

		req.Fingerprint = store.ExactFingerprint("f-2")
		if _, _, err := createKeyed(t, s, req, "Stew"); !errors.Is(err, store.ErrIdempotencyKeyReused) {
			t.Errorf("same key, other request: err = %v, want ErrIdempotencyKeyReused", err)
		}
		if n := countRecipes(t, s, u.ID); n != 1 {
			t.Errorf("%d recipes after a reused key, want 1", n)
		}
	})
}

// A failed keyed request leaves nothing behind, neither what it wrote
// (the write joined the key's transaction) nor the key.
func TestIdempotentFailureRollsBackTheWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		u := mkUser(t, s, "failing")
		req := store.IdempotencyRequest{UserID: u.ID, Key: "k", Fingerprint: store.ExactFingerprint("f")}
		boom := errors.New("boom")
		_, _, err := s.Idempotent(context.Background(), req, func(ctx context.Context) (*store.IdempotentResponse, error) {
			if _, err := s.CreateRecipe(ctx, u.ID, input("Doomed", recipe.Public)); err != nil {
				return nil, err
			}
			return nil, boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the write's error", err)
		}
		resp, _, err := s.Idempotent(context.Background(), req, func(ctx context.Context) (*store.IdempotentResponse, error) {
			if _, err := s.CreateRecipe(ctx, u.ID, input("Rejected", recipe.Public)); err != nil {
				return nil, err
			}
			return nil, nil // a 4xx: not recorded
		})
		if err != nil || resp != nil {
			t.Fatalf("unrecorded request: resp=%v err=%v", resp, err)
		}
		if n := countRecipes(t, s, u.ID); n != 0 {
			t.Errorf("%d recipes after failed keyed requests, want 0", n)
		}
		if _, replayed, err := createKeyed(t, s, req, "Soup"); err != nil || replayed {
			t.Errorf("key after failures: replayed=%v err=%v, want a fresh create", replayed, err)
		}
	})
}

// AfterCommit's work runs once the key's transaction has committed, sees
// what it wrote from another connection, and never runs for a request
// that rolled back; outside a transaction it runs at once.
func TestAfterCommit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := mkUser(t, s, "after")
		ran := 0
		s.AfterCommit(ctx, func(context.Context) { ran++ })
		if ran != 1 {
			t.Fatalf("outside a transaction: ran %d times, want at once", ran)
		}

		var seen int
		keyed := func(key string, commit bool) {
			t.Helper()
			req := store.IdempotencyRequest{UserID: u.ID, Key: key, Fingerprint: store.ExactFingerprint(key)}
			_, _, err := s.Idempotent(ctx, req, func(ctx context.Context) (*store.IdempotentResponse, error) {
				if _, err := s.CreateRecipe(ctx, u.ID, input("Kept "+key, recipe.Public)); err != nil {
					return nil, err
				}
				s.AfterCommit(ctx, func(ctx context.Context) {
					ran++
					// A plain context: another connection, as a job
					// queue's would be.
					seen = countRecipes(t, s, u.ID)
				})
				if ran != 1 {
					t.Errorf("ran inside the transaction")
				}
				if !commit {
					return nil, nil
				}
				return &store.IdempotentResponse{Status: 201}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		keyed("rolled-back", false)
		if ran != 1 {
			t.Errorf("after a rollback: ran %d times, want no more than before", ran)
		}
		keyed("committed", true)
		if ran != 2 || seen != 1 {
			t.Errorf("after a commit: ran %d times and saw %d recipes, want 2 and 1", ran, seen)
		}
	})
}

func TestIdempotencyKeysExpire(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		now := time.Now()
		store.SetClock(s, func() time.Time { return now })
		u := mkUser(t, s, "expiring")
		req := store.IdempotencyRequest{UserID: u.ID, Key: "k", Fingerprint: store.ExactFingerprint("f")}
		if _, _, err := createKeyed(t, s, req, "Soup"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(store.IdempotencyTTL - time.Minute)
		if n, err := s.DeleteExpiredIdempotencyKeys(context.Background()); err != nil || n != 0 {
			t.Fatalf("prune before expiry: %d, %v; want 0", n, err)
		}
		if _, replayed, _ := createKeyed(t, s, req, "Soup"); !replayed {
			t.Fatal("a key within its lifetime was not replayed")
		}
		now = now.Add(2 * time.Minute)
		if _, replayed, err := createKeyed(t, s, req, "Soup"); err != nil || replayed {
			t.Fatalf("expired key: replayed=%v err=%v, want a fresh create", replayed, err)
		}
		if n := countRecipes(t, s, u.ID); n != 2 {
			t.Errorf("%d recipes, want 2 (the expired key no longer binds)", n)
		}
		now = now.Add(store.IdempotencyTTL)
		if n, err := s.DeleteExpiredIdempotencyKeys(context.Background()); err != nil || n != 1 {
			t.Errorf("prune after expiry: %d, %v; want 1", n, err)
		}
	})
}

// A second request with a key whose first request is still running must
// not run too: PostgreSQL refuses it at once (the client retries), SQLite
// queues it behind the first writer and then replays the first answer.
func TestIdempotencyKeyInFlight(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		u := mkUser(t, s, "racing")
		req := store.IdempotencyRequest{UserID: u.ID, Key: "k", Fingerprint: store.ExactFingerprint("f")}
		started, release := make(chan struct{}), make(chan struct{})
		firstDone := make(chan error, 1)
		go func() {
			_, _, err := s.Idempotent(context.Background(), req, func(ctx context.Context) (*store.IdempotentResponse, error) {
				r, err := s.CreateRecipe(ctx, u.ID, input("Slow", recipe.Public))
				close(started)
				<-release
				if err != nil {
					return nil, err
				}
				return &store.IdempotentResponse{Status: 201, Body: []byte(r.ID)}, nil
			})
			firstDone <- err
		}()
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			t.Fatal("the first request did not start")
		}
		if s.Engine() == "postgres" {
			_, _, err := createKeyed(t, s, req, "Slow")
			close(release)
			if !errors.Is(err, store.ErrIdempotencyKeyInFlight) {
				t.Errorf("second request while the first runs: %v, want ErrIdempotencyKeyInFlight", err)
			}
			if err := <-firstDone; err != nil {
				t.Fatal(err)
			}
		} else {
			type result struct {
				replayed bool
				err      error
			}
			second := make(chan result, 1)
			go func() {
				_, replayed, err := createKeyed(t, s, req, "Slow")
				second <- result{replayed, err}
			}()
			close(release)
			if err := <-firstDone; err != nil {
				t.Fatal(err)
			}
			if r := <-second; r.err != nil || !r.replayed {
				t.Errorf("second request: replayed=%v err=%v, want the first answer", r.replayed, r.err)
			}
		}
		if n := countRecipes(t, s, u.ID); n != 1 {
			t.Errorf("%d recipes, want 1", n)
		}
	})
}
