package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations are embedded, one folder per dialect. Each change follows
// expand/contract: a migration only adds what the new release needs, and
// removes what the old release used only once no running release needs
// it, so a rollback of the application never meets a schema it cannot use.
// A migration written in Go (river.go) has a build-ignored .go file among
// the SQL files, so every version is visible in one listing.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql migrations/postgres/*.go migrations/sqlite/*.go
var migrationFiles embed.FS

// MigrationState is one migration as `migrate status` reports it.
type MigrationState struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

func (s *Store) migrator() (*goose.Provider, error) {
	sub, err := fs.Sub(migrationFiles, "migrations/"+s.d.name())
	if err != nil {
		return nil, fmt.Errorf("open embedded migrations: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithGoMigrations(s.goMigrations()...)}
	gooseDialect := goose.DialectSQLite3
	if s.d.name() == "postgres" {
		gooseDialect = goose.DialectPostgres
		// An advisory lock held on one session: a second replica or a
		// second `migrate up` started at the same moment waits for the
		// first to finish and then finds nothing left to do. It is held
		// across the Go migrations too (they run on other connections of
		// the pool while the lock's session waits).
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("create migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gooseDialect, s.db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// MigrateUp applies every pending migration and returns how many ran.
func (s *Store) MigrateUp(ctx context.Context) (int, error) {
	p, err := s.migrator()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// MigrateDown rolls back the most recent migration.
func (s *Store) MigrateDown(ctx context.Context) (MigrationState, error) {
	p, err := s.migrator()
	if err != nil {
		return MigrationState{}, err
	}
	res, err := p.Down(ctx)
	if err != nil {
		return MigrationState{}, fmt.Errorf("migrate down: %w", err)
	}
	return MigrationState{Version: res.Source.Version, Name: baseName(res.Source.Path)}, nil
}

// MigrationStatus lists every known migration and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, len(st))
	for i, m := range st {
		out[i] = MigrationState{
			Version:   m.Source.Version,
			Name:      baseName(m.Source.Path),
			Applied:   m.State == goose.StateApplied,
			AppliedAt: m.AppliedAt,
		}
	}
	return out, nil
}

// SchemaVersion reports the applied and the newest known migration
// versions; the schema is current when they are equal. It reads the
// version table directly, so /readyz can call it on every probe.
func (s *Store) SchemaVersion(ctx context.Context) (current, target int64, err error) {
	target, err = s.targetVersion()
	if err != nil {
		return 0, 0, err
	}
	var v sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&v); err != nil {
		// No version table yet: nothing is applied.
		if !s.tableExists(ctx, "goose_db_version") {
			return 0, target, nil
		}
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	return v.Int64, target, nil
}

// targetVersion is the newest embedded migration of this engine.
func (s *Store) targetVersion() (int64, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations/"+s.d.name())
	if err != nil {
		return 0, fmt.Errorf("read embedded migrations: %w", err)
	}
	var max int64
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err == nil && v > max {
			max = v
		}
	}
	return max, nil
}

func (s *Store) tableExists(ctx context.Context, name string) bool {
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if s.d.name() == "postgres" {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int
	return s.read().QueryRowContext(ctx, q, name).Scan(&n) == nil && n > 0
}

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
