package main_test

import (
	"database/sql"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestScheduledBackupOnceAcrossInstances runs two `serve` processes on one
// PostgreSQL database with the in-app schedule on: the job queue's leader
// makes the period's backup, the other instance makes none, every instance
// exports its time, and the archive verifies.
func TestScheduledBackupOnceAcrossInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	pg := testutil.PostgresURL(t)
	dir := t.TempDir()
	backups := filepath.Join(dir, "backups")
	env := baseEnv(dir, "DATABASE_URL="+pg, "RECC_BACKUP_URL=file://"+filepath.ToSlash(backups), "RECC_BACKUP_INTERVAL=1h")
	if r := runCLI(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %s%s", r.stdout, r.stderr)
	}
	metricsAddr := freeAddr(t)
	a, _, logsA := startServe(t, append(env[:len(env):len(env)], "RECC_METRICS_ADDR="+metricsAddr))
	b, _, logsB := startServe(t, env)

	db, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// The backup is done when its run is recorded and the periodic job
	// that made it has finished.
	deadline := time.Now().Add(2 * time.Minute)
	for count("SELECT count(*) FROM backup_runs") == 0 ||
		count("SELECT count(*) FROM river_job WHERE kind = 'periodic' AND state NOT IN ('completed', 'cancelled', 'discarded')") > 0 {
		if time.Now().After(deadline) {
			stopAll(a, b)
			t.Fatalf("no scheduled backup within 2 minutes\nA:\n%s\nB:\n%s", logsA, logsB)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n := count("SELECT count(*) FROM backup_runs WHERE succeeded"); n != 1 {
		t.Errorf("%d successful backup runs, want exactly 1", n)
	}
	if n := count("SELECT count(*) FROM backup_runs"); n != 1 {
		t.Errorf("%d backup runs in all, want 1", n)
	}
	files, _ := filepath.Glob(filepath.Join(backups, "reccollection-*.tar.gz"))
	if len(files) != 1 {
		t.Errorf("backup files %q, want exactly one", files)
	}

	// Instance A exports the time the run finished, whichever instance
	// made it.
	var finished time.Time
	if err := db.QueryRow("SELECT finished_at FROM backup_runs").Scan(&finished); err != nil {
		t.Fatal(err)
	}
	f := testutil.ScrapeMetrics(t, "http://"+metricsAddr+"/metrics")[observe.MetricBackupLastSuccess]
	if f == nil || len(f.GetMetric()) != 1 {
		t.Fatalf("instance A exports no %s", observe.MetricBackupLastSuccess)
	}
	got := f.GetMetric()[0].GetGauge().GetValue()
	if d := got - float64(finished.UnixNano())/1e9; d < -0.001 || d > 0.001 {
		t.Errorf("metric says %f, backup_runs says %s", got, finished)
	}

	stopAll(a, b)
	if r := runCLI(t, env, "", "backup", "verify"); r.code != 0 {
		t.Errorf("backup verify of the scheduled backup: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// stopAll ends serve processes with SIGTERM and waits for them to exit.
func stopAll(procs ...*exec.Cmd) {
	for _, p := range procs {
		_ = p.Process.Signal(syscall.SIGTERM)
	}
	for _, p := range procs {
		_ = p.Wait()
	}
}
