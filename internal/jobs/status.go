package jobs

import (
	"context"
	"fmt"
	"time"
)

// Status is the queue at a glance, for the admin console.
type Status struct {
	// Available jobs wait for a free worker.
	Available int64
	// Running jobs are being worked now, on any replica.
	Running int64
	// Retrying jobs failed at least once and wait for another attempt.
	Retrying int64
	// FailedLastDay jobs gave up (every attempt failed, or a panic on the
	// last one) in the last 24 hours.
	FailedLastDay int64
}

// failedWindow is how far back Status counts jobs that gave up.
const failedWindow = 24 * time.Hour

// Status counts jobs by state.
func (q *Queue) Status(ctx context.Context) (Status, error) {
	c, err := q.store.CountJobs(ctx, time.Now().Add(-failedWindow))
	if err != nil {
		return Status{}, fmt.Errorf("job queue status: %w", err)
	}
	return Status{Available: c.Available, Running: c.Running, Retrying: c.Retrying, FailedLastDay: c.Discarded}, nil
}
