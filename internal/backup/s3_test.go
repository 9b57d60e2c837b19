package backup_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestS3Target: backups kept in S3 (through the real S3 client against
// an in-process S3 server) are listed, verified and restored, user files
// in S3 included, and pruning and listing never touch the user files
// that share the bucket.
func TestS3Target(t *testing.T) {
	ctx := context.Background()
	s3 := testutil.S3(t)
	files, err := media.Open(ctx, s3.URL, s3.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	backups, err := media.Open(ctx, strings.Replace(s3.URL, "/files?", "/backups?", 1), s3.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	st := testutil.OpenStore(t, "sqlite")
	if _, _, err := seed.Demo(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"images/one.jpg", "images/two.webp"} {
		if err := files.Put(ctx, k, strings.NewReader("content of "+k), -1, "image/jpeg"); err != nil {
			t.Fatal(err)
		}
	}
	svc := backup.New(st, files, backups, backup.Options{})
	info, err := svc.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.List(ctx)
	if err != nil || len(list) != 1 || list[0].Name != info.Name || list[0].Files != 2 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if !contains(s3.Keys(t), "backups/"+info.Name) {
		t.Errorf("bucket holds %q, want backups/%s", s3.Keys(t), info.Name)
	}
	if _, err := svc.Verify(ctx, info.Name); err != nil {
		t.Fatal(err)
	}

	restoredFiles, err := media.Open(ctx, strings.Replace(s3.URL, "/files?", "/restored?", 1), s3.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	target := testutil.OpenStore(t, "sqlite")
	if _, err := backup.New(target, restoredFiles, backups, backup.Options{}).Restore(ctx, "", backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := restoredFiles.Get(ctx, "images/two.webp")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "content of images/two.webp" {
		t.Errorf("restored file holds %q", b)
	}
	if n, _ := target.CountUsers(ctx); n != len(seed.DemoUsers()) {
		t.Errorf("%d users restored", n)
	}
}
