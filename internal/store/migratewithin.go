package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// goose runs each migration in a transaction of its own (and river each
// of its steps), so a migration that fails leaves the earlier ones
// applied. Reload needs all of them inside its one transaction instead;
// this file runs the same migrations that way: the SQL files' sections
// as goose would, river's migrator in the caller's transaction, and the
// version rows through goose's own version-table store.

// wholeTx is one transaction on one connection, usable both through
// database/sql (q) and by river's migrator, which on PostgreSQL wants a
// pgx transaction.
type wholeTx struct {
	q conn
	// river runs river's migrator in the transaction.
	river    func(ctx context.Context, dir rivermigrate.Direction, target int) error
	commit   func(ctx context.Context) error
	rollback func(ctx context.Context)
}

func (s *Store) beginWhole(ctx context.Context) (*wholeTx, error) {
	if s.d.name() != "postgres" {
		// BEGIN IMMEDIATE (the pool's _txlock): the write lock from the
		// start, so no writer slips in between the checks and the load.
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("begin transaction: %w", err)
		}
		return &wholeTx{
			q: conn{q: tx, d: s.d},
			river: func(ctx context.Context, dir rivermigrate.Direction, target int) error {
				return riverMigrateTx(ctx, riversqlite.New(s.db), tx, dir, target)
			},
			commit:   func(context.Context) error { return tx.Commit() },
			rollback: func(context.Context) { _ = tx.Rollback() },
		}, nil
	}
	// The transaction is begun by pgx on a connection held apart from the
	// pool, so that database/sql statements on that connection and river's
	// pgx transaction are one and the same transaction.
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	var ptx pgx.Tx
	err = c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected PostgreSQL driver connection %T", dc)
		}
		var err error
		ptx, err = sc.Conn().Begin(ctx)
		return err
	})
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	tx := &wholeTx{
		q: conn{q: c, d: s.d},
		river: func(ctx context.Context, dir rivermigrate.Direction, target int) error {
			return c.Raw(func(any) error { return riverMigrateTx(ctx, riverpgxv5.New(nil), ptx, dir, target) })
		},
		commit: func(ctx context.Context) error {
			defer c.Close()
			if err := c.Raw(func(any) error { return ptx.Commit(ctx) }); err != nil {
				return fmt.Errorf("commit: %w", err)
			}
			return nil
		},
		rollback: func(ctx context.Context) {
			_ = c.Raw(func(any) error { return ptx.Rollback(context.WithoutCancel(ctx)) })
			c.Close()
		},
	}
	// The lock goose's session locker takes for `migrate`: advisory locks
	// of either kind share one key space, so a replica migrating at start-up
	// waits for this transaction, and this one for it.
	if _, err := tx.q.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", lock.DefaultLockID); err != nil {
		tx.rollback(ctx)
		return nil, fmt.Errorf("take the migration lock: %w", err)
	}
	return tx, nil
}

func riverMigrateTx[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], tx TTx, dir rivermigrate.Direction, target int) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	// MigrateTx is deprecated because some of river's migrations cannot
	// share one transaction; the restore needs exactly one, and runs the
	// migrations that cannot (PostgreSQL's new enum values) ahead of it
	// (see Reload), so the transactional form is the right one here.
	//lint:ignore SA1019 the restore's all-or-nothing guarantee needs the transaction
	_, err = m.MigrateTx(ctx, tx, dir, &rivermigrate.MigrateOpts{TargetVersion: target})
	return err
}

// migrateWithin brings the schema to exactly version inside tx.
func (s *Store) migrateWithin(ctx context.Context, tx *wholeTx, version int64) error {
	dialect := database.DialectSQLite3
	if s.d.name() == "postgres" {
		dialect = database.DialectPostgres
	}
	versions, err := database.NewStore(dialect, "goose_db_version")
	if err != nil {
		return err
	}
	var cur int64
	if tableExistsIn(ctx, tx.q, "goose_db_version") {
		var v sql.NullInt64
		if err := tx.q.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&v); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		cur = v.Int64
	} else {
		if err := versions.CreateVersionTable(ctx, tx.q.q); err != nil {
			return fmt.Errorf("create version table: %w", err)
		}
		if err := versions.Insert(ctx, tx.q.q, database.InsertRequest{Version: 0}); err != nil {
			return fmt.Errorf("create version table: %w", err)
		}
	}
	migs, err := s.migrationSources()
	if err != nil {
		return err
	}
	if cur < version {
		for _, m := range migs {
			if m.version <= cur || m.version > version {
				continue
			}
			if err := s.applyWithin(ctx, tx, m, true); err != nil {
				return fmt.Errorf("migration %s up: %w", m.name, err)
			}
			if err := versions.Insert(ctx, tx.q.q, database.InsertRequest{Version: m.version}); err != nil {
				return err
			}
		}
	}
	if cur > version {
		for _, m := range slices.Backward(migs) {
			if m.version <= version || m.version > cur {
				continue
			}
			if err := s.applyWithin(ctx, tx, m, false); err != nil {
				return fmt.Errorf("migration %s down: %w", m.name, err)
			}
			if err := versions.Delete(ctx, tx.q.q, m.version); err != nil {
				return err
			}
		}
	}
	return nil
}

func tableExistsIn(ctx context.Context, q conn, name string) bool {
	query := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if q.d.name() == "postgres" {
		query = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int
	return q.QueryRowContext(ctx, query, name).Scan(&n) == nil && n > 0
}

// migrationSource is one embedded migration of this engine.
type migrationSource struct {
	version  int64
	name     string
	up, down string // SQL; empty for the Go migration
	goRiver  bool
}

// applyWithinHook lets a test fail a migration on purpose.
var applyWithinHook func(version int64, up bool) error

func (s *Store) applyWithin(ctx context.Context, tx *wholeTx, m migrationSource, up bool) error {
	if applyWithinHook != nil {
		if err := applyWithinHook(m.version, up); err != nil {
			return err
		}
	}
	if m.goRiver {
		if up {
			return tx.river(ctx, rivermigrate.DirectionUp, RiverSchemaVersion)
		}
		return tx.river(ctx, rivermigrate.DirectionDown, -1)
	}
	body := m.down
	if up {
		body = m.up
	}
	if !hasStatements(body) {
		return nil
	}
	// One Exec for the whole section: without arguments both drivers run
	// every statement in it (pgx by the simple protocol, SQLite statement
	// by statement), triggers' inner semicolons included.
	_, err := tx.q.q.ExecContext(ctx, body)
	return err
}

// migrationSources lists the embedded migrations in version order.
func (s *Store) migrationSources() ([]migrationSource, error) {
	dir := "migrations/" + s.d.name()
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []migrationSource
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			continue
		}
		m := migrationSource{version: v, name: e.Name()}
		switch {
		case strings.HasSuffix(e.Name(), ".go") && v == riverQueueMigration:
			m.goRiver = true
		case strings.HasSuffix(e.Name(), ".sql"):
			b, err := fs.ReadFile(migrationFiles, dir+"/"+e.Name())
			if err != nil {
				return nil, err
			}
			if m.up, m.down, err = sqlSections(string(b)); err != nil {
				return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
			}
		default:
			return nil, fmt.Errorf("migration %s: only migration %d is written in Go", e.Name(), riverQueueMigration)
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b migrationSource) int { return int(a.version - b.version) })
	return out, nil
}

// sqlSections splits a goose SQL file into its Up and Down sections. A
// migration goose would run outside a transaction cannot run inside
// Reload's and is refused.
func sqlSections(body string) (up, down string, err error) {
	var cur *strings.Builder
	var u, d strings.Builder
	for line := range strings.Lines(body) {
		trimmed := strings.TrimSpace(line)
		if a, ok := strings.CutPrefix(trimmed, "-- +goose "); ok {
			switch strings.ToLower(strings.TrimSpace(a)) {
			case "up":
				cur = &u
			case "down":
				cur = &d
			case "statementbegin", "statementend":
			default:
				return "", "", fmt.Errorf("annotation %q cannot run inside one transaction", trimmed)
			}
			continue
		}
		if cur != nil {
			cur.WriteString(line)
		}
	}
	if u.Len() == 0 && d.Len() == 0 {
		return "", "", errors.New("no -- +goose Up section")
	}
	return u.String(), d.String(), nil
}

// hasStatements reports whether a section holds more than comments.
func hasStatements(section string) bool {
	for line := range strings.Lines(section) {
		t := strings.TrimSpace(line)
		if t != "" && !strings.HasPrefix(t, "--") {
			return true
		}
	}
	return false
}
