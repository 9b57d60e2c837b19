package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoRawHandleOutsideTheStore: application code reaches the database
// only through Store methods, so every engine difference stays behind the
// dialect seam. Tests may inspect tables through Store.DB, and so may
// internal/testutil, which exists only for tests (it makes a replica
// read-only and aligns ids between databases, which no Store method
// should offer).
func TestNoRawHandleOutsideTheStore(t *testing.T) {
	raw := regexp.MustCompile(`\.(DB|PgxPool)\(\)`)
	root := filepath.Join("..", "..")
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if rel == "internal/store" || rel == "internal/testutil" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(b), "\n") {
				if raw.MatchString(line) {
					t.Errorf("%s:%d uses the raw database handle: %s", rel, i+1, strings.TrimSpace(line))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
