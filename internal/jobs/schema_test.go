package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/store"
)

var riverTables = []string{"river_job", "river_leader", "river_migration", "river_queue"}

func tableExists(t *testing.T, s *store.Store, name string) bool {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if s.Engine() == "postgres" {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	}
	var n int
	if err := s.DB().QueryRowContext(context.Background(), q, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// queueMigration is the migration that creates river's tables, found by
// its name so the test follows renumbering.
func queueMigration(t *testing.T, s *store.Store) store.MigrationState {
	t.Helper()
	st, err := s.MigrationStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st {
		if m.Name == "00007_river_queue.go" {
			return m
		}
	}
	t.Fatalf("no river_queue migration in %+v", st)
	return store.MigrationState{}
}

// TestMigrateDownAndUpRiverTables: `migrate down` past the queue's
// migration removes river's tables, /readyz's check then reports the
// schema behind, a server started meanwhile waits, and `migrate up`
// restores them and lets it work.
func TestMigrateDownAndUpRiverTables(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, tbl := range riverTables {
			if !tableExists(t, s, tbl) {
				t.Fatalf("%s missing after migrate up", tbl)
			}
		}
		for queueMigration(t, s).Applied {
			if _, err := s.MigrateDown(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, tbl := range riverTables {
			if tableExists(t, s, tbl) {
				t.Errorf("%s still there after migrating below the queue's migration", tbl)
			}
		}
		if cur, target, err := s.SchemaVersion(ctx); err != nil || cur >= target {
			t.Errorf("schema version %d of %d (%v): not behind", cur, target, err)
		}

		q, _ := newQueue(t, s, jobs.Options{})
		got := make(chan string, 1)
		jobs.Register(q, func(ctx context.Context, a echoArgs) error { got <- a.Text; return nil })
		if _, err := q.Enqueue(ctx, echoArgs{Text: "too early"}, nil); err == nil {
			t.Error("enqueue without river's tables succeeded")
		}
		start(t, q) // waits for the tables rather than failing

		if _, err := s.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tbl := range riverTables {
			if !tableExists(t, s, tbl) {
				t.Errorf("%s missing after migrating up again", tbl)
			}
		}
		if cur, target, err := s.SchemaVersion(ctx); err != nil || cur != target {
			t.Errorf("schema version %d of %d (%v) after up", cur, target, err)
		}
		if _, err := q.Enqueue(ctx, echoArgs{Text: "on time"}, nil); err != nil {
			t.Fatal(err)
		}
		select {
		case text := <-got:
			if text != "on time" {
				t.Errorf("worked %q", text)
			}
		case <-time.After(deadline):
			t.Fatal("the waiting queue did not start working after migrate up")
		}
	})
}

// TestRiverSchemaIsPinnedToRiversNewest fails when a river upgrade brings
// a migration that ours do not install: add a goose migration that takes
// river from store.RiverSchemaVersion to the new version (and back), then
// raise the constant.
func TestRiverSchemaIsPinnedToRiversNewest(t *testing.T) {
	pg, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := rivermigrate.New(riversqlite.New(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	for engine, all := range map[string][]rivermigrate.Migration{"postgres": pg.AllVersions(), "sqlite": lite.AllVersions()} {
		if newest := all[len(all)-1].Version; newest != store.RiverSchemaVersion {
			t.Errorf("river's newest %s migration is %d, ours install %d", engine, newest, store.RiverSchemaVersion)
		}
	}
}
