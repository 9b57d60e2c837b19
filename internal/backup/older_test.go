package backup_test

import (
	"context"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestRestoreOlderSchema: a backup taken by an older release (schema 6)
// restores into an empty database that is already at this build's
// schema: the target goes down to 6, takes the data, and then up again.
func TestRestoreOlderSchema(t *testing.T) {
	ctx := context.Background()
	src, err := store.Open(ctx, testutil.Options(t, "sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := src.MigrateTo(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if _, _, err := seed.Demo(ctx, src); err != nil {
		t.Fatal(err)
	}
	backups := newMemStore("backups")
	// Schema 6 has no backup_runs table, so the run cannot be recorded;
	// the archive is made all the same.
	info, err := backup.New(src, nil, backups, backup.Options{}).Create(ctx)
	if err == nil || !strings.Contains(err.Error(), "could not be recorded") {
		t.Fatalf("create on schema 6: %v", err)
	}
	if info.SchemaVersion != 6 {
		t.Fatalf("backup schema %d, want 6", info.SchemaVersion)
	}

	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			target := testutil.OpenStore(t, engine) // current schema, empty
			svc := backup.New(target, nil, backups, backup.Options{})
			if _, err := svc.Restore(ctx, info.Name, backup.RestoreOptions{}); err != nil {
				t.Fatal(err)
			}
			if cur, _, _ := target.SchemaVersion(ctx); cur != 6 {
				t.Errorf("schema %d after restore, want the backup's 6", cur)
			}
			if _, err := target.MigrateUp(ctx); err != nil {
				t.Fatalf("migrate up after restore: %v", err)
			}
			if n, _ := target.CountUsers(ctx); n != len(seed.DemoUsers()) {
				t.Errorf("%d users", n)
			}
			// With data in it, the database no longer goes down for an
			// older backup, even with --force.
			_, err := svc.Restore(ctx, info.Name, backup.RestoreOptions{Force: true})
			if err == nil || !strings.Contains(err.Error(), "newer than the backup's 6") {
				t.Errorf("forced restore of an older backup over data: %v", err)
			}
		})
	}
}
