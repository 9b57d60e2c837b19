package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// The job queue (internal/jobs) runs on river in this database. River
// needs the connection pool itself, so its client is built here, on the
// driver for this engine; the queue's own reports (counts by state, the
// queue depth, whether river's tables are in place) are queries like any
// other, behind the dialect seam.

// RiverClient is what the job queue uses of river.Client, whatever the
// driver's transaction type.
type RiverClient interface {
	ID() string
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// NewRiverClient builds a river client on this database: PostgreSQL
// through the pgx driver on the store's pool (LISTEN/NOTIFY wakes workers
// at once), SQLite through river's SQLite driver.
func (s *Store) NewRiverClient(cfg *river.Config) (RiverClient, error) {
	if s.pool != nil {
		return newRiverClient[pgx.Tx](riverpgxv5.New(s.pool), cfg)
	}
	return newRiverClient(riversqlite.New(s.db), cfg)
}

func newRiverClient[TTx any](driver riverdriver.Driver[TTx], cfg *river.Config) (RiverClient, error) {
	return river.NewClient(driver, cfg)
}

// RiverSchemaCurrent reports whether river's tables are at the version
// this build's migrations install (RiverSchemaVersion). An error most
// likely means there are none yet: the database is not migrated.
func (s *Store) RiverSchemaCurrent(ctx context.Context) (bool, error) {
	var v int
	err := s.read().QueryRowContext(ctx,
		"SELECT coalesce(max(version), 0) FROM river_migration WHERE line = 'main'").Scan(&v)
	if err != nil {
		return false, err
	}
	return v >= RiverSchemaVersion, nil
}

// JobCounts are the queue's jobs by state.
type JobCounts struct {
	Available, Running, Retrying int64
	// Discarded counts jobs that gave up since the time asked about.
	Discarded int64
}

// CountJobs counts jobs by state with one query over river's state index;
// discarded jobs only when they were finalized at or after since.
func (s *Store) CountJobs(ctx context.Context, since time.Time) (JobCounts, error) {
	var cutoff any = since.UTC()
	if s.d.name() == "sqlite" {
		// River's SQLite driver keeps times as this text, which compares
		// correctly only with the same format (not the store's own).
		cutoff = since.UTC().Format("2006-01-02 15:04:05.000")
	}
	var c JobCounts
	// The cutoff goes to the engine as is: the conn's dialect would
	// rewrite a time into the store's format.
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT
		coalesce(sum(CASE WHEN state = 'available' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN state = 'retryable' THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN state = 'discarded' AND finalized_at >= ? THEN 1 ELSE 0 END), 0)
		FROM river_job WHERE state IN ('available', 'running', 'retryable', 'discarded')`), cutoff).
		Scan(&c.Available, &c.Running, &c.Retrying, &c.Discarded)
	if err != nil {
		return JobCounts{}, fmt.Errorf("count jobs: %w", err)
	}
	return c, nil
}

// AvailableJobs counts the jobs waiting for a worker, by queue.
func (s *Store) AvailableJobs(ctx context.Context) (map[string]int64, error) {
	rows, err := s.read().QueryContext(ctx,
		"SELECT queue, count(*) FROM river_job WHERE state = 'available' GROUP BY queue")
	if err != nil {
		return nil, fmt.Errorf("count available jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var (
			queue string
			n     int64
		)
		if err := rows.Scan(&queue, &n); err != nil {
			return nil, fmt.Errorf("count available jobs: %w", err)
		}
		out[queue] += n
	}
	return out, rows.Err()
}
