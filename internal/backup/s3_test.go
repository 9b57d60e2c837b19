package backup_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"slices"
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
	// A stray object the backup does not have goes once the restore
	// has committed.
	if err := restoredFiles.Put(ctx, "images/stray.jpg", strings.NewReader("stray"), -1, "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	target := testutil.OpenStore(t, "sqlite")
	rep, err := backup.New(target, restoredFiles, backups, backup.Options{}).Restore(ctx, "", backup.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := fileKeys(t, restoredFiles); rep.FilesRemoved != 1 || !slices.Equal(got, []string{"images/one.jpg", "images/two.webp"}) {
		t.Errorf("restored files %q (%d removed), want exactly the backup's", got, rep.FilesRemoved)
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

// TestS3TargetLargeFiles: a user file and an archive too big for one PUT
// go to S3 as multipart uploads and survive the round trip: the backup
// verifies, and the file restored into S3 has its original content. Over
// TLS, because the test server corrupts multipart uploads over plain HTTP
// (see testutil.S3).
func TestS3TargetLargeFiles(t *testing.T) {
	ctx := context.Background()
	s3 := testutil.S3TLS(t)
	files, err := media.NewS3(s3.Config("files"))
	if err != nil {
		t.Fatal(err)
	}
	backups, err := media.NewS3(s3.Config("backups"))
	if err != nil {
		t.Fatal(err)
	}
	// Random, so the gzipped archive is no smaller than the file.
	const size = 20 << 20
	content := func() io.Reader { return io.LimitReader(rand.NewChaCha8([32]byte{7}), size) }
	want := sha256.New()
	if _, err := io.Copy(want, content()); err != nil {
		t.Fatal(err)
	}
	before := s3.Parts()
	if err := files.Put(ctx, "images/large.jpg", content(), -1, "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if s3.Parts() == before {
		t.Fatal("the file went in one PUT; the test needs it in parts")
	}

	svc := backup.New(testutil.OpenStore(t, "sqlite"), files, backups, backup.Options{})
	before = s3.Parts()
	info, err := svc.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s3.Parts() == before {
		t.Fatal("the archive went in one PUT; the test needs it in parts")
	}
	rep, err := svc.Verify(ctx, info.Name)
	if err != nil {
		t.Fatalf("verify: %v (%+v)", err, rep)
	}
	if rep.Files != 1 {
		t.Errorf("verified %d files, want 1", rep.Files)
	}

	// Restoring puts the file with its size known, the other way the
	// client splits a blob.
	restored, err := media.NewS3(s3.Config("restored"))
	if err != nil {
		t.Fatal(err)
	}
	before = s3.Parts()
	if _, err := backup.New(testutil.OpenStore(t, "sqlite"), restored, backups, backup.Options{}).Restore(ctx, info.Name, backup.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	if s3.Parts() == before {
		t.Error("the restored file went in one PUT")
	}
	r, err := restored.Get(ctx, "images/large.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := sha256.New()
	n, err := io.Copy(got, r)
	if err != nil {
		t.Fatal(err)
	}
	if match := bytes.Equal(got.Sum(nil), want.Sum(nil)); n != size || !match {
		t.Errorf("restored file: %d bytes, digest match %v", n, match)
	}
}
