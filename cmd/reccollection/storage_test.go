package main_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// An operator moves the library from the data directory to S3: a dry run
// lists the files, the copy reports its summary, a second run copies
// nothing, and a missing --to is a usage error.
func TestStorageMigrateToS3(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.txt": "alpha", "recipes/7/photo.jpg": "jpeg", "recipes/7/thumb/s.jpg": "small"}
	for k, v := range files {
		p := filepath.Join(dir, "files", filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	srv := testutil.S3(t)
	env := baseEnv(dir, srv.Env...)

	r := runCLI(t, env, "", "storage", "migrate", "--to", srv.URL, "--dry-run")
	listed := strings.Fields(r.stdout)
	slices.Sort(listed)
	if r.code != 0 || !slices.Equal(listed, []string{"a.txt", "recipes/7/photo.jpg", "recipes/7/thumb/s.jpg"}) ||
		!strings.Contains(r.stderr, "3 would be copied, 0 already in place, 0 failed") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if keys := srv.Keys(t); len(keys) != 0 {
		t.Fatalf("a dry run wrote %q", keys)
	}

	r = runCLI(t, env, "", "storage", "migrate", "--to", srv.URL)
	if r.code != 0 || !strings.Contains(r.stderr, "3 copied (14 bytes), 0 already in place, 0 failed") {
		t.Fatalf("migrate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := []string{"files/a.txt", "files/recipes/7/photo.jpg", "files/recipes/7/thumb/s.jpg"}
	if keys := srv.Keys(t); !slices.Equal(keys, want) {
		t.Errorf("bucket holds %q, want %q", keys, want)
	}

	r = runCLI(t, env, "", "storage", "migrate", "--to", srv.URL)
	if r.code != 0 || !strings.Contains(r.stderr, "0 copied (0 bytes), 3 already in place, 0 failed") {
		t.Errorf("second run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	for _, args := range [][]string{{"storage", "migrate"}, {"storage", "copy"}, {"storage", "migrate", "--to", srv.URL, "--workers", "0"}} {
		if r := runCLI(t, env, "", args...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
	same := "file://" + filepath.ToSlash(filepath.Join(dir, "files"))
	if r := runCLI(t, env, "", "storage", "migrate", "--to", same); r.code != 2 || !strings.Contains(r.stderr, "configured store itself") {
		t.Errorf("--to the source: exit %d\n%s", r.code, r.stderr)
	}
}
