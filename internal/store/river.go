package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// The job queue (internal/jobs, on river) keeps its jobs in river's own
// tables. They are created by one of our migrations rather than by river at
// start-up, so `migrate up|down|status`, the advisory lock that keeps two
// replicas from migrating at once, and /readyz's "schema behind" cover them
// like every other table.
//
// The migration is written in Go because river ships its schema as a
// sequence of its own versioned migrations (one set per engine) and records
// them in its river_migration table; running river's migrator keeps that
// record right, so river's own tools agree with ours. The build-ignored
// 00007_river_queue.go beside the SQL files holds the number and names the
// migration in `migrate status`.
//
// RiverSchemaVersion pins the river schema this migration installs. A river
// upgrade that brings a new river migration needs a new goose migration
// that takes river from this version to the next (and back on down), so
// that a deployed schema never changes without a migration of ours; the
// jobs tests fail until that is done.
const RiverSchemaVersion = 8

// riverQueueMigration is the goose version of the migration above.
const riverQueueMigration = 7

// goMigrations are the migrations written in Go, registered beside the
// embedded SQL files.
func (s *Store) goMigrations() []*goose.Migration {
	// Each river step runs in its own transaction (river needs that: on
	// PostgreSQL an enum value must be committed before it is used), so
	// goose runs this migration outside one. A failure part-way leaves river
	// at an intermediate version that the next `migrate up` continues from.
	up := func(ctx context.Context, _ *sql.DB) error {
		return s.migrateRiver(ctx, rivermigrate.DirectionUp, RiverSchemaVersion)
	}
	down := func(ctx context.Context, _ *sql.DB) error {
		// -1 removes every river migration, river_migration included.
		return s.migrateRiver(ctx, rivermigrate.DirectionDown, -1)
	}
	return []*goose.Migration{
		goose.NewGoMigration(riverQueueMigration, &goose.GoFunc{RunDB: up}, &goose.GoFunc{RunDB: down}),
	}
}

func (s *Store) migrateRiver(ctx context.Context, dir rivermigrate.Direction, target int) error {
	var err error
	if s.pool != nil {
		err = runRiverMigrator(ctx, riverpgxv5.New(s.pool), dir, target)
	} else {
		err = runRiverMigrator(ctx, riversqlite.New(s.db), dir, target)
	}
	if err != nil {
		return fmt.Errorf("river job queue schema %s: %w", dir, err)
	}
	return nil
}

func runRiverMigrator[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], dir rivermigrate.Direction, target int) error {
	// River logs every step at info; goose already reports the migration.
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, dir, &rivermigrate.MigrateOpts{TargetVersion: target})
	return err
}
