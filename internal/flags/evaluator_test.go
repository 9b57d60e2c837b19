package flags_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

func forEachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, testutil.OpenStore(t, engine))
		})
	}
}

// usersOnAndOff finds a user inside and one outside a rollout of percent
// for key, so a test can name them.
func usersOnAndOff(t *testing.T, key string, percent int) (in, out string) {
	for _, id := range syntheticUsers(1000) {
		if flags.Bucket(key, id) < percent*100 {
			if in == "" {
				in = id
			}
		} else if out == "" {
			out = id
		}
	}
	if in == "" || out == "" {
		t.Fatal("no users on both sides of the rollout")
	}
	return in, out
}

func TestEvaluationRule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		in, out := usersOnAndOff(t, "lists", 30)
		setOverride(t, s, flags.Override{Key: "lists", Enabled: true, RolloutPercent: 30,
			AllowUsers: []string{out}, DenyUsers: []string{in}})
		e := flags.New(s, "production", flags.Options{Flags: testFlags})
		// A third user, not on a list, decided by the rollout.
		var inOther string
		for _, id := range syntheticUsers(1000) {
			if id != in && id != out && flags.Bucket("lists", id) < 3000 {
				inOther = id
				break
			}
		}
		cases := []struct {
			name, key, user string
			want            bool
			reason          flags.Reason
		}{
			{"deny beats the rollout", "lists", in, false, flags.ReasonTargetingMatch},
			{"allow beats the rollout", "lists", out, true, flags.ReasonTargetingMatch},
			{"rollout decides the rest", "lists", inOther, true, flags.ReasonSplit},
			{"anonymous during a partial rollout gets the default", "lists", "", false, flags.ReasonDefault},
			{"no override: default off", "ten-percent", in, false, flags.ReasonDefault},
			{"no override: default on", "default-on", in, true, flags.ReasonDefault},
			{"no override, anonymous: default on", "default-on", "", true, flags.ReasonDefault},
		}
		for _, c := range cases {
			r := e.Evaluate(ctx, c.key, c.user)
			if r.Value != c.want || r.Reason != c.reason || r.Err != nil {
				t.Errorf("%s: got %+v, want %v %s", c.name, r, c.want, c.reason)
			}
		}

		// A user on both lists cannot be stored; deny is checked first
		// anyway, so the order is documented by the rule rather than by
		// the data.
		if err := s.SetFlagOverride(ctx, &flags.Override{Environment: "production", Key: "lists", Enabled: true,
			AllowUsers: []string{in}, DenyUsers: []string{in}}); !errors.Is(err, flags.ErrInvalid) {
			t.Errorf("user on both lists: %v, want ErrInvalid", err)
		}

		// The kill switch turns the flag off for everyone, lists included.
		setOverride(t, s, flags.Override{Key: "lists", Enabled: false, RolloutPercent: 100, AllowUsers: []string{out}})
		setOverride(t, s, flags.Override{Key: "default-on", Enabled: false})
		// 100 % is on for everyone not denied, anonymous visitors too; 0 %
		// is off for everyone not allowed.
		setOverride(t, s, flags.Override{Key: "ten-percent", Enabled: true, RolloutPercent: 100, DenyUsers: []string{in}})
		setOverride(t, s, flags.Override{Key: "quarter", Enabled: true, RolloutPercent: 0, AllowUsers: []string{in}})
		e.Invalidate()
		cases = []struct {
			name, key, user string
			want            bool
			reason          flags.Reason
		}{
			{"kill switch beats allow", "lists", out, false, flags.ReasonStatic},
			{"kill switch, anonymous", "lists", "", false, flags.ReasonStatic},
			{"kill switch beats default on", "default-on", "", false, flags.ReasonStatic},
			{"100%", "ten-percent", out, true, flags.ReasonStatic},
			{"100%, anonymous", "ten-percent", "", true, flags.ReasonStatic},
			{"100% but denied", "ten-percent", in, false, flags.ReasonTargetingMatch},
			{"0%", "quarter", out, false, flags.ReasonStatic},
			{"0%, anonymous", "quarter", "", false, flags.ReasonStatic},
			{"0% but allowed", "quarter", in, true, flags.ReasonTargetingMatch},
		}
		for _, c := range cases {
			r := e.Evaluate(ctx, c.key, c.user)
			if r.Value != c.want || r.Reason != c.reason || r.Err != nil {
				t.Errorf("%s: got %+v, want %v %s", c.name, r, c.want, c.reason)
			}
		}

		r := e.Evaluate(ctx, "no-such-flag", in)
		if r.Value || r.Reason != flags.ReasonError || !errors.Is(r.Err, flags.ErrUnknownFlag) {
			t.Errorf("unknown flag: %+v", r)
		}

		// Overrides of another environment do not apply.
		staging := flags.New(s, "staging", flags.Options{Flags: testFlags})
		if r := staging.Evaluate(ctx, "default-on", ""); !r.Value || r.Reason != flags.ReasonDefault {
			t.Errorf("production override leaked into staging: %+v", r)
		}
	})
}

// countingSource counts the queries the evaluator makes of the real store.
type countingSource struct {
	*store.Store
	loads atomic.Int64
}

func (c *countingSource) FlagOverrides(ctx context.Context, env string) ([]flags.Override, error) {
	c.loads.Add(1)
	return c.Store.FlagOverrides(ctx, env)
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func TestCacheRefreshesAfterTTL(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		src := &countingSource{Store: s}
		clk := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		e := flags.New(src, "production", flags.Options{Flags: testFlags, TTL: 5 * time.Second, Now: clk.Now})
		user := syntheticUsers(1)[0]

		if e.Enabled(ctx, "quarter", user) {
			t.Fatal("on before any override")
		}
		// Many evaluations, of several flags, within the TTL: one query.
		for range 1000 {
			e.Enabled(ctx, "quarter", user)
			e.Enabled(ctx, "default-on", "")
		}
		if n := src.loads.Load(); n != 1 {
			t.Errorf("%d loads within one TTL, want 1", n)
		}

		// Another replica turns the flag on.
		other := flags.New(s, "production", flags.Options{Flags: testFlags})
		setOverride(t, s, flags.Override{Key: "quarter", Enabled: true, RolloutPercent: 100})
		if !other.Enabled(ctx, "quarter", user) {
			t.Fatal("a fresh evaluator does not see the override")
		}
		clk.Advance(4 * time.Second)
		if e.Enabled(ctx, "quarter", user) {
			t.Error("the cached answer changed before the TTL ran out")
		}
		clk.Advance(2 * time.Second)
		if !e.Enabled(ctx, "quarter", user) {
			t.Error("the override is not seen after the TTL")
		}
		if n := src.loads.Load(); n != 2 {
			t.Errorf("%d loads after one refresh, want 2", n)
		}

		// When the database goes away the last snapshot keeps serving.
		s.Close()
		clk.Advance(10 * time.Second)
		if r := e.Evaluate(ctx, "quarter", user); !r.Value || r.Err != nil {
			t.Errorf("with the database gone: %+v, want the last known answer", r)
		}
		// An evaluator that never loaded answers the default, with an error.
		fresh := flags.New(s, "production", flags.Options{Flags: testFlags})
		if r := fresh.Evaluate(ctx, "default-on", user); !r.Value || r.Reason != flags.ReasonError || r.Err == nil {
			t.Errorf("first load failing: %+v, want the default with ERROR", r)
		}
	})
}

// TestConcurrentEvaluations runs under -race: many goroutines evaluate
// while the snapshot expires and reloads.
func TestConcurrentEvaluations(t *testing.T) {
	s := testutil.OpenStore(t, "sqlite")
	setOverride(t, s, flags.Override{Key: "quarter", Enabled: true, RolloutPercent: 25})
	clk := &clock{now: time.Now()}
	e := flags.New(s, "production", flags.Options{Flags: testFlags, TTL: time.Millisecond, Now: clk.Now})
	users := syntheticUsers(200)
	want := make([]bool, len(users))
	for i, id := range users {
		want[i] = flags.Bucket("quarter", id) < 2500
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range users {
				if g == 0 {
					clk.Advance(time.Millisecond)
				}
				if got := e.Enabled(context.Background(), "quarter", users[i]); got != want[i] {
					t.Errorf("user %s: %v, want %v", users[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}
