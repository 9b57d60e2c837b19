package main_test

import (
	"context"
	"database/sql"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestRestoreKilledMidwayChangesNothing: `backup restore --force` killed
// (SIGKILL) in the middle of its transaction leaves PostgreSQL as it was:
// an installation two migrations behind the backup keeps its schema
// version (the restore had migrated it up inside the transaction) and its
// rows. The restore is held mid-way without timing
// guesses: a second session holds the users table in SHARE mode, which
// lets the restore read and check everything but makes it wait on its
// DELETE FROM users, after it has taken the migration lock and emptied
// every table that references users.
func TestRestoreKilledMidwayChangesNothing(t *testing.T) {
	ctx := context.Background()
	dbURL := testutil.PostgresURL(t)
	env := baseEnv(t.TempDir(), "DATABASE_URL="+dbURL)
	if r := runCLI(t, env, "", "seed"); r.code != 0 {
		t.Fatalf("seed: exit %d\n%s", r.code, r.stderr)
	}
	r := runCLI(t, env, "", "backup", "create")
	name := regexp.MustCompile(`created backup (\S+\.tar\.gz)`).FindStringSubmatch(r.stdout)
	if r.code != 0 || name == nil {
		t.Fatalf("backup create: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var latest int64
	if err := db.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if r := runCLI(t, env, "", "migrate", "down"); r.code != 0 {
			t.Fatalf("migrate down: exit %d\n%s", r.code, r.stderr)
		}
	}
	// A change after the backup, which the killed restore must not undo.
	if _, err := db.ExecContext(ctx, `UPDATE recipes SET title = 'Changed after the backup'`); err != nil {
		t.Fatal(err)
	}
	state := func() (recipes, changed int, version int64) {
		t.Helper()
		err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM recipes),
			(SELECT count(*) FROM recipes WHERE title = 'Changed after the backup'),
			(SELECT max(version_id) FROM goose_db_version)`).Scan(&recipes, &changed, &version)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	recipes, _, version := state()
	if version != latest-2 {
		t.Fatalf("schema %d after two migrations down, want %d", version, latest-2)
	}

	locker, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Rollback()
	if _, err := locker.ExecContext(ctx, "LOCK TABLE users IN SHARE MODE"); err != nil {
		t.Fatal(err)
	}
	restore := exec.Command(binary, "backup", "restore", name[1], "--force")
	restore.Env = env
	if err := restore.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if restore.ProcessState == nil {
			_ = restore.Process.Kill()
			_ = restore.Wait()
		}
	}()
	deadline := time.Now().Add(time.Minute)
	for {
		var waiting int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM "users"%'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the restore never reached DELETE FROM users")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := restore.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = restore.Wait()
	if err := locker.Rollback(); err != nil {
		t.Fatal(err)
	}

	if n, changed, v := state(); n != recipes || changed != recipes || v != version {
		t.Errorf("after the killed restore: %d recipes (%d changed), schema %d; want %d, all changed, schema %d", n, changed, v, recipes, version)
	}
	// The same restore, left to finish, replaces everything.
	if r := runCLI(t, env, "", "backup", "restore", name[1], "--force"); r.code != 0 {
		t.Fatalf("restore --force: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n, changed, _ := state(); n != recipes || changed != 0 {
		t.Errorf("after the restore: %d recipes, %d still changed", n, changed)
	}
}
