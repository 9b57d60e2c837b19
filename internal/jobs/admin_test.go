package jobs_test

import (
	"context"
	"testing"

	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/store"
)

// TestQueueStatusForTheConsole: the console's status line gets the same
// counts as Status.
func TestQueueStatusForTheConsole(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		q, _ := newQueue(t, s, jobs.Options{})
		jobs.Register(q, func(context.Context, echoArgs) error { return nil })
		for range 2 {
			if _, err := q.Enqueue(ctx, echoArgs{}, nil); err != nil {
				t.Fatal(err)
			}
		}
		id, err := q.Enqueue(ctx, echoArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		markRetryable(t, s, id)
		var reporter admin.QueueReporter = q
		got, err := reporter.QueueStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != (admin.QueueStatus{Available: 2, Retrying: 1}) {
			t.Errorf("queue status = %+v, want 2 available and 1 retrying", got)
		}
	})
}
