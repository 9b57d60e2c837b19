package flags_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// syntheticUsers are n user ids shaped like the store's (UUIDs), but
// reproducible, so a failure can be replayed.
func syntheticUsers(n int) []string {
	ns := uuid.MustParse("6f1c2d9a-6d0e-4c57-9a53-0b6f3b0d2a11")
	ids := make([]string, n)
	for i := range ids {
		ids[i] = uuid.NewSHA1(ns, fmt.Appendf(nil, "user-%d", i)).String()
	}
	return ids
}

var testFlags = []flags.Flag{
	{Key: "ten-percent", Description: "test", Owner: "tests"},
	{Key: "quarter", Description: "test", Owner: "tests"},
	{Key: "default-on", Description: "test", Default: true, Owner: "tests"},
	{Key: "lists", Description: "test", Owner: "tests"},
}

func setOverride(t *testing.T, s *store.Store, o flags.Override) {
	t.Helper()
	if o.Environment == "" {
		o.Environment = "production"
	}
	if err := s.SetFlagOverride(context.Background(), &o); err != nil {
		t.Fatalf("set override %s: %v", o.Key, err)
	}
}

// share evaluates key for every user and returns the fraction that is on.
func share(t *testing.T, e *flags.Evaluator, key string, users []string) (float64, []bool) {
	t.Helper()
	ctx := context.Background()
	answers := make([]bool, len(users))
	on := 0
	for i, id := range users {
		r := e.Evaluate(ctx, key, id)
		if r.Err != nil || r.Reason != flags.ReasonSplit {
			t.Fatalf("evaluate %s for %s: %+v, want a SPLIT answer", key, id, r)
		}
		answers[i] = r.Value
		if r.Value {
			on++
		}
	}
	return float64(on) / float64(len(users)), answers
}

func TestRolloutShares(t *testing.T) {
	users := syntheticUsers(10000)
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			opts := testutil.Options(t, engine)
			s1 := openMigrated(t, opts)
			setOverride(t, s1, flags.Override{Key: "ten-percent", Enabled: true, RolloutPercent: 10})
			setOverride(t, s1, flags.Override{Key: "quarter", Enabled: true, RolloutPercent: 25})

			// Two "processes": two stores on the same database, each with
			// its own evaluator and cache.
			s2 := openStore(t, opts)
			e1 := flags.New(s1, "production", flags.Options{Flags: testFlags})
			e2 := flags.New(s2, "production", flags.Options{Flags: testFlags})

			ten, tenAnswers := share(t, e1, "ten-percent", users)
			t.Logf("%s: 10%% rollout is on for %.2f%% of %d users", engine, ten*100, len(users))
			if math.Abs(ten-0.10) > 0.01 {
				t.Errorf("10%% rollout on for %.2f%%, want 10 ± 1", ten*100)
			}
			q1, a1 := share(t, e1, "quarter", users)
			q2, a2 := share(t, e2, "quarter", users)
			t.Logf("%s: 25%% rollout is on for %.2f%% (process 1) and %.2f%% (process 2)", engine, q1*100, q2*100)
			if math.Abs(q1-0.25) > 0.015 {
				t.Errorf("25%% rollout on for %.2f%%, want 25 ± 1.5", q1*100)
			}
			for i := range a1 {
				if a1[i] != a2[i] {
					t.Fatalf("user %s: process 1 says %v, process 2 says %v", users[i], a1[i], a2[i])
				}
			}
			// The same user always gets the same answer.
			_, again := share(t, e1, "quarter", users)
			for i := range a1 {
				if a1[i] != again[i] {
					t.Fatalf("user %s changed answer between evaluations", users[i])
				}
			}

			// Raising a rollout only adds users.
			setOverride(t, s2, flags.Override{Key: "ten-percent", Enabled: true, RolloutPercent: 25})
			e1.Invalidate()
			raised, raisedAnswers := share(t, e1, "ten-percent", users)
			for i := range tenAnswers {
				if tenAnswers[i] && !raisedAnswers[i] {
					t.Fatalf("user %s lost the feature when the rollout went from 10%% to 25%%", users[i])
				}
			}
			t.Logf("%s: raised to 25%%, on for %.2f%%", engine, raised*100)
		})
	}
}

func openStore(t *testing.T, opts store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openMigrated(t *testing.T, opts store.Options) *store.Store {
	t.Helper()
	s := openStore(t, opts)
	if _, err := s.MigrateUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBucketIsStable pins the hash (values computed independently with
// Python's hashlib): a change here would move users in or
// out of every running rollout on the next deploy.
func TestBucketIsStable(t *testing.T) {
	for _, c := range []struct {
		key, user string
		want      int
	}{
		{"recipe-share-link", "0190d8c4-6c9a-7b3e-9d6f-2a4b8c1e5f70", 4403},
		{"recipe-share-link", "0190d8c4-6c9a-7b3e-9d6f-2a4b8c1e5f71", 7079},
		{"quarter", "0190d8c4-6c9a-7b3e-9d6f-2a4b8c1e5f70", 9404},
	} {
		if got := flags.Bucket(c.key, c.user); got != c.want {
			t.Errorf("Bucket(%q, %q) = %d, want %d", c.key, c.user, got, c.want)
		}
	}
}

// TestFlagsPickDifferentUsers: the key is part of the hash, so one flag's
// 10 % is not every flag's 10 %.
func TestFlagsPickDifferentUsers(t *testing.T) {
	both := 0
	for _, id := range syntheticUsers(10000) {
		if flags.Bucket("ten-percent", id) < 1000 && flags.Bucket("quarter", id) < 1000 {
			both++
		}
	}
	// Independent 10 % populations share about 1 % of users; identical
	// ones would share 10 %.
	if both > 200 {
		t.Errorf("%d of 10000 users are in the first 10 %% of both flags; the populations are not independent", both)
	}
}

// BenchmarkEvaluate is the per-request cost of a flag question once the
// snapshot is loaded: no database access.
func BenchmarkEvaluate(b *testing.B) {
	s := testutil.OpenStore(b, "sqlite")
	o := flags.Override{Environment: "production", Key: "quarter", Enabled: true, RolloutPercent: 25, AllowUsers: []string{"a", "b"}}
	if err := s.SetFlagOverride(context.Background(), &o); err != nil {
		b.Fatal(err)
	}
	e := flags.New(s, "production", flags.Options{Flags: testFlags, TTL: time.Hour})
	users := syntheticUsers(1024)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.Enabled(ctx, "quarter", users[i%len(users)])
	}
}
