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

// Status counts jobs by state with one query over river's state index.
func (q *Queue) Status(ctx context.Context) (Status, error) {
	since := time.Now().Add(-failedWindow).UTC()
	var cutoff any = since
	query := `SELECT
		coalesce(sum(CASE WHEN state = 'available' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN state = 'retryable' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN state = 'discarded' AND finalized_at >= %s THEN 1 ELSE 0 END), 0)
		FROM river_job WHERE state IN ('available', 'running', 'retryable', 'discarded')`
	if q.store.Engine() == "postgres" {
		query = fmt.Sprintf(query, "$1")
	} else {
		// river's SQLite driver stores times as this text, which sorts
		// correctly only against the same format.
		query = fmt.Sprintf(query, "?")
		cutoff = since.Format("2006-01-02 15:04:05.000")
	}
	var st Status
	err := q.store.DB().QueryRowContext(ctx, query, cutoff).Scan(&st.Available, &st.Running, &st.Retrying, &st.FailedLastDay)
	if err != nil {
		return Status{}, fmt.Errorf("job queue status: %w", err)
	}
	return st, nil
}
