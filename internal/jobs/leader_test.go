package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestPeriodicRunsOnceAcrossReplicas: two processes on one PostgreSQL
// database, both registering the same periodic task. Only the elected
// leader enqueues it, so it runs once; when the leader stops and the
// other takes over mid-period, the new leader's start-of-term enqueue
// finds this period's run and adds none. The period is a century, so no
// period boundary can fall inside the test: everything here is one
// period, whatever the machine's speed.
func TestPeriodicRunsOnceAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	url := testutil.PostgresURL(t)
	open := func() *store.Store {
		s, err := store.Open(ctx, store.Options{DatabaseURL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	sa, sb := open(), open()
	if _, err := sa.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	const period = 100 * 365 * 24 * time.Hour
	var ticks atomic.Int32
	terms := make(chan struct{}, 8)
	replica := func(s *store.Store) *jobs.Queue {
		q, _ := newQueue(t, s, jobs.Options{})
		q.Periodic("tick", period, func(context.Context) error { ticks.Add(1); return nil })
		q.Witness(func() { terms <- struct{}{} })
		return q
	}
	qa, qb := replica(sa), replica(sb)
	termStarted := func(who string) {
		t.Helper()
		select {
		case <-terms:
		case <-time.After(deadline):
			t.Fatalf("%s's term as leader did not start", who)
		}
	}

	start(t, qa)
	termStarted("the first replica")
	waitFor(t, "the first run", func() bool { return ticks.Load() >= 1 })
	start(t, qb)
	if l := leader(t, sa); l != qa.ClientID() {
		t.Fatalf("leader is %q, want the first replica %q", l, qa.ClientID())
	}

	stopCtx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	if err := qa.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second replica to be elected", func() bool { return leader(t, sb) == qb.ClientID() })
	// The new leader's first enqueue (the task, refused as this period's
	// duplicate, and the witness) is one transaction: once the witness
	// has run, the task's second insert has been tried.
	termStarted("the second replica")

	var n int
	if err := sb.DB().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE kind = 'periodic'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d runs of the periodic task enqueued in one period, want 1", n)
	}
	if n := ticks.Load(); n != 1 {
		t.Errorf("periodic task ran %d times in one period, want 1", n)
	}
}

func leader(t *testing.T, s *store.Store) string {
	t.Helper()
	var id string
	err := s.DB().QueryRowContext(context.Background(), "SELECT leader_id FROM river_leader").Scan(&id)
	if err != nil {
		return ""
	}
	return id
}
