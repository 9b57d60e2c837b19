package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Snapshot is a consistent, read-only view of the whole database, for
// reading every table as of one moment (a backup).
type Snapshot struct {
	q       conn
	release func()
}

// Snapshot opens a view of the database as it is now. On PostgreSQL it is
// a REPEATABLE READ READ ONLY transaction; on SQLite a VACUUM INTO copy in
// dir, which writes a consistent, compact copy while writers carry on
// (WAL), so reading it holds no lock on the live database however long
// the reader takes. Close ends it.
func (s *Store) Snapshot(ctx context.Context, dir string) (*Snapshot, error) {
	if s.d.name() == "postgres" {
		tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("start snapshot: %w", err)
		}
		return &Snapshot{q: conn{q: tx, d: s.d}, release: func() { _ = tx.Rollback() }}, nil
	}
	path := filepath.Join(dir, "snapshot.db")
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return nil, fmt.Errorf("snapshot the SQLite database (VACUUM INTO): %w", err)
	}
	snap, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("open snapshot: %w", err)
	}
	snap.SetMaxOpenConns(1)
	return &Snapshot{q: conn{q: snap, d: s.d}, release: func() { snap.Close() }}, nil
}

// Close ends the snapshot.
func (s *Snapshot) Close() { s.release() }

// SchemaVersion is the newest migration applied in the snapshot.
func (s *Snapshot) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.q.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version (is the database migrated?): %w", err)
	}
	return v, nil
}

// Tables describes the snapshot's tables (see Store.Tables).
func (s *Snapshot) Tables(ctx context.Context, skip func(string) bool) ([]Table, error) {
	return catalog(ctx, s.q, skip)
}

// ScanRows passes every row of t to fn, ordered by t's key (see
// Store.ScanRows).
func (s *Snapshot) ScanRows(ctx context.Context, t Table, fn func(vals []any) error) error {
	return scanRows(ctx, s.q, t, fn)
}

// ScanRows passes every row of t to fn, the values in t.Columns' order as
// the driver returns them, ordered by t's key with text compared bytewise
// on both engines, so both list a table's rows in the same sequence. fn
// must not keep vals, which is reused.
func (s *Store) ScanRows(ctx context.Context, t Table, fn func(vals []any) error) error {
	return scanRows(ctx, s.read(), t, fn)
}

func scanRows(ctx context.Context, q conn, t Table, fn func([]any) error) error {
	pg := q.d.name() == "postgres"
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c.Name)
		if pg && c.uuid {
			cols[i] += "::text"
		}
	}
	keys := make([]string, len(t.Key))
	for i, k := range t.Key {
		keys[i] = quoteIdent(k)
		if c, ok := t.Column(k); pg && ok && c.text {
			keys[i] += ` COLLATE "C"`
		}
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+quoteIdent(t.Name)+" ORDER BY "+strings.Join(keys, ", "))
	if err != nil {
		return fmt.Errorf("read table %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read table %s: %w", t.Name, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read table %s: %w", t.Name, err)
	}
	return nil
}

// TablesWithRows names the tables (those skip leaves in) that hold at
// least one row.
func (s *Store) TablesWithRows(ctx context.Context, skip func(string) bool) ([]string, error) {
	tables, err := s.Tables(ctx, skip)
	if err != nil {
		return nil, err
	}
	var full []string
	for _, t := range tables {
		var one int
		err := s.read().QueryRowContext(ctx, "SELECT 1 FROM "+quoteIdent(t.Name)+" LIMIT 1").Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("look into table %s: %w", t.Name, err)
		}
		full = append(full, t.Name)
	}
	return full, nil
}

// CheckIntegrity returns what the engine's own checks find wrong with the
// database file and its foreign keys: SQLite's integrity and foreign-key
// checks (foreign keys can be left dangling there, for instance by rows
// written while they were off). PostgreSQL enforces both at every write
// and reports nothing.
func (s *Store) CheckIntegrity(ctx context.Context) []string {
	if s.d.name() != "sqlite" {
		return nil
	}
	var problems []string
	var integrity string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		problems = append(problems, fmt.Sprintf("integrity check: %s %v", integrity, err))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT "table", parent FROM pragma_foreign_key_check`)
	if err != nil {
		return append(problems, fmt.Sprintf("foreign key check: %v", err))
	}
	defer rows.Close()
	for rows.Next() {
		var t, parent string
		if err := rows.Scan(&t, &parent); err == nil {
			problems = append(problems, fmt.Sprintf("table %s: rows reference missing rows of %s", t, parent))
		}
	}
	return problems
}
