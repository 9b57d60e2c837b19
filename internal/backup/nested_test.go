package backup_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/testutil"
)

func TestNestedPrefix(t *testing.T) {
	for _, tc := range []struct{ storage, backups, want string }{
		{"file:///d/files", "file:///d/backups", ""},
		{"file:///d/files", "file:///d/files/backups", "backups/"},
		{"file:///d/files/", "file:///d/files/a/b/", "a/b/"},
		{"file:///d/files", "file:///d/filesx/b", ""},
		{"s3://bucket/files?region=x", "s3://bucket/files/bk?region=x", "bk/"},
		{"s3://bucket?endpoint=http://a", "s3://bucket/bk?endpoint=http://b", ""},
		{"s3://bucket", "s3://other/bk", ""},
		{"s3://bucket", "s3://bucket/bk", "bk/"},
		{"s3://bucket/files", "file:///files/bk", ""},
	} {
		if got := backup.NestedPrefix(tc.storage, tc.backups); got != tc.want {
			t.Errorf("NestedPrefix(%q, %q) = %q, want %q", tc.storage, tc.backups, got, tc.want)
		}
	}
}

// TestBackupsInsideTheFileStoreAreSkipped: with the backup store inside
// the file store, a backup holds the user files but not older backups.
func TestBackupsInsideTheFileStoreAreSkipped(t *testing.T) {
	ctx := context.Background()
	files := newMemStore("files")
	files.Put(ctx, "images/a.jpg", strings.NewReader("a"), 1, "")
	files.Put(ctx, "backups/"+backup.Name(time.Unix(0, 0)), strings.NewReader("an old backup"), 13, "")
	svc := backup.New(testutil.OpenStore(t, "sqlite"), files, newMemStore("backups"), backup.Options{SkipFilePrefix: "backups/"})
	info, err := svc.Create(ctx)
	if err != nil || info.Files != 1 {
		t.Errorf("backup holds %d files (%v), want 1", info.Files, err)
	}
	// A restore removes the files the backup lacks, but not the backups
	// kept among them.
	files.Put(ctx, "images/later.jpg", strings.NewReader("b"), 1, "")
	rep, err := svc.Restore(ctx, info.Name, backup.RestoreOptions{Force: true})
	if want := []string{"backups/" + backup.Name(time.Unix(0, 0)), "images/a.jpg"}; err != nil || rep.FilesRemoved != 1 || !slices.Equal(files.keys(), want) {
		t.Errorf("after restore (%v): %q, %d removed; want %q", err, files.keys(), rep.FilesRemoved, want)
	}
}
