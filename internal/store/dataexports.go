package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Data exports: one row per zip a person asked for (migration 25). The
// row is made queued by CreateDataExport, marked running and then ready
// or failed by the job that builds the zip, and deleted with its blob by
// the expiry sweep or the account's deletion.

// DataExport is one export and where it stands.
type DataExport struct {
	ID         string
	UserID     string
	Status     string // queued, running, ready, failed
	CreatedAt  time.Time
	FinishedAt *time.Time
	ExpiresAt  *time.Time
	BlobKey    string
	Size       int64
	Error      string
}

// Export states.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportReady   = "ready"
	ExportFailed  = "failed"
)

// ErrExportInProgress refuses a new export while one is queued or being
// made; ErrExportDailyLimit one past the day's number.
var (
	ErrExportInProgress = errors.New("an export is already being prepared")
	ErrExportDailyLimit = errors.New("too many exports today")
)

const dataExportColumns = "id, user_id, status, created_at, finished_at, expires_at, blob_key, size, error"

// CreateDataExport records a new export for userID, refusing one while
// another made after staleBefore is queued or running, and more than
// perDay in 24 hours. The user row is locked so two requests at once
// cannot both pass.
func (s *Store) CreateDataExport(ctx context.Context, userID string, perDay int, staleBefore time.Time) (*DataExport, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	e := &DataExport{ID: newID(), UserID: userID, Status: ExportQueued, CreatedAt: now}
	err := s.inTx(ctx, func(tx conn) error {
		if err := s.lockUser(ctx, tx, userID); err != nil {
			return err
		}
		var active, today int
		err := tx.QueryRowContext(ctx, "SELECT"+
			" count(CASE WHEN status IN ('queued', 'running') AND created_at > ? THEN 1 END),"+
			" count(CASE WHEN created_at > ? THEN 1 END)"+
			" FROM data_exports WHERE user_id = ?", staleBefore.UTC(), now.Add(-24*time.Hour), userID).Scan(&active, &today)
		if err != nil {
			return fmt.Errorf("count exports of %s: %w", userID, err)
		}
		if active > 0 {
			return ErrExportInProgress
		}
		if today >= perDay {
			return ErrExportDailyLimit
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO data_exports (id, user_id, status, created_at) VALUES (?, ?, ?, ?)",
			e.ID, userID, e.Status, now)
		if err != nil {
			return fmt.Errorf("insert export: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// DataExport is export id of userID; ErrNotFound for another's or none.
func (s *Store) DataExport(ctx context.Context, userID, id string) (*DataExport, error) {
	if !validID(userID) || !validID(id) {
		return nil, ErrNotFound
	}
	e, err := scanDataExport(s.read().QueryRowContext(ctx, "SELECT "+dataExportColumns+" FROM data_exports WHERE id = ? AND user_id = ?", id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load export %s: %w", id, err)
	}
	return e, nil
}

// DataExports lists userID's exports, newest first (a person has a
// handful at most: the daily limit and the expiry bound them).
func (s *Store) DataExports(ctx context.Context, userID string) ([]*DataExport, error) {
	if !validID(userID) {
		return nil, ErrNotFound
	}
	rows, err := s.read().QueryContext(ctx, "SELECT "+dataExportColumns+" FROM data_exports WHERE user_id = ? ORDER BY created_at DESC, id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	defer rows.Close()
	out := []*DataExport{}
	for rows.Next() {
		e, err := scanDataExport(rows)
		if err != nil {
			return nil, fmt.Errorf("list exports: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanDataExport(row interface{ Scan(...any) error }) (*DataExport, error) {
	var e DataExport
	var finished, expires sql.NullTime
	if err := row.Scan(&e.ID, &e.UserID, &e.Status, &e.CreatedAt, &finished, &expires, &e.BlobKey, &e.Size, &e.Error); err != nil {
		return nil, err
	}
	e.FinishedAt, e.ExpiresAt = timePtr(finished), timePtr(expires)
	return &e, nil
}

// ExportToRun is the export a job is to build: its row (marked running)
// and its owner's id. ErrNotFound when the row is gone (the account was
// deleted) or already finished, so a job run twice builds nothing twice.
func (s *Store) ExportToRun(ctx context.Context, id string) (*DataExport, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	res, err := s.read().ExecContext(ctx, "UPDATE data_exports SET status = 'running' WHERE id = ? AND status IN ('queued', 'running')", id)
	if err != nil {
		return nil, fmt.Errorf("start export %s: %w", id, err)
	}
	if err := mustAffect(res, "export "+id); err != nil {
		return nil, err
	}
	e, err := scanDataExport(s.read().QueryRowContext(ctx, "SELECT "+dataExportColumns+" FROM data_exports WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load export %s: %w", id, err)
	}
	return e, nil
}

// FinishDataExport marks export id ready with its zip at key, size bytes,
// until expires. It answers false when the row is gone (the account was
// deleted while the zip was written): the caller deletes the blob.
func (s *Store) FinishDataExport(ctx context.Context, id, key string, size int64, expires time.Time) (bool, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	res, err := s.read().ExecContext(ctx, "UPDATE data_exports SET status = 'ready', blob_key = ?, size = ?, finished_at = ?, expires_at = ?, error = ''"+
		" WHERE id = ? AND status = 'running'", key, size, now, expires.UTC().Truncate(time.Microsecond), id)
	if err != nil {
		return false, fmt.Errorf("finish export %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FailDataExport marks export id failed, saying why in words for its
// owner; the row then expires at expires like a finished one.
func (s *Store) FailDataExport(ctx context.Context, id, why string, expires time.Time) error {
	now := s.now().UTC().Truncate(time.Microsecond)
	_, err := s.read().ExecContext(ctx, "UPDATE data_exports SET status = 'failed', error = ?, finished_at = ?, expires_at = ? WHERE id = ?",
		why, now, expires.UTC().Truncate(time.Microsecond), id)
	if err != nil {
		return fmt.Errorf("fail export %s: %w", id, err)
	}
	return nil
}

// DeleteExpiredDataExports deletes up to limit exports whose time ran out
// by now and answers their blobs' keys, for the caller to delete after.
func (s *Store) DeleteExpiredDataExports(ctx context.Context, now time.Time, limit int) ([]string, error) {
	var keys []string
	err := s.inTx(ctx, func(tx conn) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, blob_key FROM data_exports WHERE expires_at <= ? ORDER BY expires_at LIMIT ?", now.UTC(), limit)
		if err != nil {
			return fmt.Errorf("find expired exports: %w", err)
		}
		var ids []any
		for rows.Next() {
			var id, key string
			if err := rows.Scan(&id, &key); err != nil {
				rows.Close()
				return fmt.Errorf("find expired exports: %w", err)
			}
			ids = append(ids, id)
			if key != "" {
				keys = append(keys, key)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM data_exports WHERE id IN ("+placeholders(len(ids))+")", ids...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// exportKeysOf are the blobs of userID's exports, read before the
// account's rows go.
func exportKeysOf(ctx context.Context, tx conn, userID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT blob_key FROM data_exports WHERE user_id = ? AND blob_key <> ''", userID)
	if err != nil {
		return nil, fmt.Errorf("export keys of %s: %w", userID, err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// ExportKeysNamed answers which of keys an export row names.
func (s *Store) ExportKeysNamed(ctx context.Context, keys []string) (map[string]bool, error) {
	return s.blobKeysNamed(ctx, "data_exports", keys)
}

// blobKeysNamed answers which of keys a row of table (one with a blob_key
// column: data_exports, archive_imports) names, so a sweep of the blob
// store deletes only what no row holds.
func (s *Store) blobKeysNamed(ctx context.Context, table string, keys []string) (map[string]bool, error) {
	named := map[string]bool{}
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 500)]
		keys = keys[len(batch):]
		args := make([]any, len(batch))
		for i, k := range batch {
			args[i] = k
		}
		found, err := strings1(ctx, s.read(), "SELECT blob_key FROM "+table+" WHERE blob_key IN ("+placeholders(len(batch))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("%s keys: %w", table, err)
		}
		for _, k := range found {
			named[k] = true
		}
	}
	return named, nil
}
