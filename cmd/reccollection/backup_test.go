package main_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBackupCommands runs the real binary as an operator would: seed,
// back up (database and user files), list, verify, find a tampered
// archive, and restore.
func TestBackupCommands(t *testing.T) {
	dir := t.TempDir()
	env := baseEnv(dir)
	if r := runCLI(t, env, "", "backup", "--help"); r.code != 0 || !strings.Contains(r.stdout, "Usage: reccollection backup create") {
		t.Errorf("backup --help: exit %d\n%s", r.code, r.stdout)
	}
	if r := runCLI(t, env, "", "seed"); r.code != 0 {
		t.Fatalf("seed: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.MkdirAll(filepath.Join(dir, "files", "images"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "files", "images", "cover.jpg"), []byte("not really a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, env, "", "backup", "create")
	name := regexp.MustCompile(`created backup (reccollection-\d{8}T\d{6}\.\d{6}Z\.tar\.gz)`).FindStringSubmatch(r.stdout)
	if r.code != 0 || name == nil || !strings.Contains(r.stdout, "table recipes: 50 rows") || !strings.Contains(r.stdout, "1 files") {
		t.Fatalf("backup create: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	archive := filepath.Join(dir, "backups", name[1])
	if _, err := os.Stat(archive); err != nil {
		t.Fatalf("archive not in RECC_DATA_DIR/backups: %v", err)
	}

	r = runCLI(t, env, "", "backup", "list")
	if r.code != 0 || !regexp.MustCompile(regexp.QuoteMeta(name[1])+`\s+\S+Z\s+\d+\s+sqlite\s+\d+`).MatchString(r.stdout) {
		t.Errorf("backup list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "", "backup", "verify")
	if r.code != 0 || !strings.Contains(r.stdout, "backup "+name[1]+" is good") {
		t.Errorf("backup verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The archive as a careless or hostile hand left it: one recipe
	// title changed.
	tampered := filepath.Join(dir, "backups", "reccollection-20200101T000000Z.tar.gz")
	if err := os.WriteFile(tampered, rewrite(t, archive, "tables/recipes.ndjson", "Risotto", "Rizotto"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, "", "backup", "verify", filepath.Base(tampered))
	if r.code != 1 || !strings.Contains(r.stderr, "table recipes: content checksum") {
		t.Errorf("verify of a tampered archive: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = runCLI(t, env, "", "backup", "restore", name[1])
	if r.code != 1 || !strings.Contains(r.stderr, "not empty") || !strings.Contains(r.stderr, "--force") {
		t.Errorf("restore into a database with data: exit %d\n%s", r.code, r.stderr)
	}
	// A file stored after the backup is not in it: the forced restore
	// removes it, and keeps the backup's.
	stray := filepath.Join(dir, "files", "images", "later.jpg")
	if err := os.WriteFile(stray, []byte("stored after the backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, "", "backup", "restore", name[1], "--force")
	if r.code != 0 || !strings.Contains(r.stdout, "restored "+name[1]) || !strings.Contains(r.stdout, "(1 stored files the backup lacks removed)") {
		t.Errorf("restore --force: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Errorf("a file the backup lacks survived restore --force: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "files", "images", "cover.jpg")); err != nil {
		t.Errorf("the backup's file after restore --force: %v", err)
	}
	if r := runCLI(t, env, "", "backup", "restore"); r.code != 2 {
		t.Errorf("restore without a name: exit %d, want 2", r.code)
	}

	// The CronJob's form: create, then verify what was made.
	cron := append(env[:len(env):len(env)], "RECC_BACKUP_URL=file://"+filepath.ToSlash(filepath.Join(dir, "cron-backups")))
	r = runCLI(t, cron, "", "backup", "create", "--verify")
	made := regexp.MustCompile(`created backup (\S+):`).FindStringSubmatch(r.stdout)
	if r.code != 0 || made == nil || !strings.Contains(r.stdout, "backup "+made[1]+" is good") {
		t.Errorf("backup create --verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, cron, "", "backup", "list", "--verify"); r.code != 2 {
		t.Errorf("list --verify: exit %d, want 2", r.code)
	}
}

// rewrite returns the archive at path with old replaced by new in entry.
func rewrite(t *testing.T, path, entry, old, new string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		if h.Name == entry {
			data = bytes.Replace(data, []byte(old), []byte(new), 1)
		}
		h.Size = int64(len(data))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	return out.Bytes()
}
