package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// BackupRun is one run of `backup create` (scheduled or by hand). The
// table records every run, so "when did a backup last succeed" has one
// answer for all replicas.
type BackupRun struct {
	Name                  string
	StartedAt, FinishedAt time.Time
	Succeeded             bool
	SizeBytes             int64
	Error                 string
}

// RecordBackupRun writes one row of backup_runs.
func (s *Store) RecordBackupRun(ctx context.Context, r BackupRun) error {
	_, err := s.read().ExecContext(ctx,
		"INSERT INTO backup_runs (name, started_at, finished_at, succeeded, size_bytes, error) VALUES (?, ?, ?, ?, ?, ?)",
		r.Name, r.StartedAt.UTC(), r.FinishedAt.UTC(), r.Succeeded, r.SizeBytes, r.Error)
	if err != nil {
		return fmt.Errorf("record backup run: %w", err)
	}
	return nil
}

// LastBackupSuccess returns when the newest successful backup finished,
// and false when none has.
func (s *Store) LastBackupSuccess(ctx context.Context) (time.Time, bool, error) {
	var t time.Time
	err := s.read().QueryRowContext(ctx,
		"SELECT finished_at FROM backup_runs WHERE succeeded = ? ORDER BY finished_at DESC LIMIT 1", true).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read last backup: %w", err)
	}
	return t.UTC(), true, nil
}
