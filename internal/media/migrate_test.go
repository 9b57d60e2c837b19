package media_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/testutil"
)

func fileStore(t *testing.T) media.Store {
	s, err := media.NewFile(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func s3Store(t *testing.T) media.Store {
	srv := testutil.S3(t)
	s, err := media.Open(context.Background(), srv.URL, srv.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// library fills s with nested keys, one of them empty and one larger than
// a copy buffer, and returns what it wrote.
func library(t *testing.T, s media.Store) map[string]string {
	blobs := map[string]string{
		"a.txt":                  "alpha",
		"empty":                  "",
		"recipes/1/photo.jpg":    strings.Repeat("jpeg bytes ", 20_000),
		"recipes/1/thumb/s.webp": "small",
		"recipes/22/photo.jpg":   "another",
		"z/y/x/w/deep":           "deep down",
	}
	for k, v := range blobs {
		put(t, s, k, v)
	}
	return blobs
}

func assertHolds(t *testing.T, s media.Store, want map[string]string) {
	t.Helper()
	keys := list(t, s, "")
	wantKeys := make([]string, 0, len(want))
	for k := range want {
		wantKeys = append(wantKeys, k)
	}
	slices.Sort(wantKeys)
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("target holds %q, want %q", keys, wantKeys)
	}
	for k, v := range want {
		if got := get(t, s, k); got != v {
			t.Errorf("%s: %d bytes differ from the source's %d", k, len(got), len(v))
		}
	}
}

func TestMigrateBothDirections(t *testing.T) {
	t.Parallel()
	for _, dir := range []struct {
		name     string
		from, to func(*testing.T) media.Store
	}{{"file-to-s3", fileStore, s3Store}, {"s3-to-file", s3Store, fileStore}} {
		t.Run(dir.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			from, to := dir.from(t), dir.to(t)
			blobs := library(t, from)
			var progress []media.Report
			rep, err := media.Migrate(ctx, from, to, media.MigrateOptions{
				ProgressEvery: 2, Progress: func(r media.Report) { progress = append(progress, r) },
			})
			if err != nil || rep.Copied != len(blobs) || rep.Skipped != 0 || len(rep.Failures) != 0 {
				t.Fatalf("first run: %+v, %v", rep, err)
			}
			var total int64
			for _, v := range blobs {
				total += int64(len(v))
			}
			if rep.Bytes != total {
				t.Errorf("copied %d bytes, want %d", rep.Bytes, total)
			}
			if len(progress) < 3 || progress[len(progress)-1].Copied != len(blobs) {
				t.Errorf("progress reports %+v", progress)
			}
			assertHolds(t, to, blobs)

			// A second run finds everything in place.
			rep, err = media.Migrate(ctx, from, to, media.MigrateOptions{})
			if err != nil || rep.Copied != 0 || rep.Skipped != len(blobs) || rep.Bytes != 0 {
				t.Fatalf("second run: %+v, %v", rep, err)
			}
			// A changed blob of the same size is copied again.
			put(t, to, "a.txt", "ALPHA")
			rep, err = media.Migrate(ctx, from, to, media.MigrateOptions{})
			if err != nil || rep.Copied != 1 || rep.Skipped != len(blobs)-1 {
				t.Fatalf("after a change: %+v, %v", rep, err)
			}
			assertHolds(t, to, blobs)
		})
	}
}

func TestMigrateEmptyAndDryRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	from, to := fileStore(t), s3Store(t)
	rep, err := media.Migrate(ctx, from, to, media.MigrateOptions{})
	if err != nil || rep.Copied+rep.Skipped+len(rep.Failures) != 0 {
		t.Fatalf("empty store: %+v, %v", rep, err)
	}
	blobs := library(t, from)
	put(t, to, "a.txt", "alpha")
	var would []string
	rep, err = media.Migrate(ctx, from, to, media.MigrateOptions{DryRun: true, Copying: func(k string) { would = append(would, k) }})
	if err != nil || rep.Copied != len(blobs)-1 || rep.Skipped != 1 || rep.Bytes != 0 {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	if len(would) != len(blobs)-1 || slices.Contains(would, "a.txt") {
		t.Errorf("dry run would copy %q", would)
	}
	if keys := list(t, to, ""); !slices.Equal(keys, []string{"a.txt"}) {
		t.Errorf("a dry run wrote %q", keys)
	}
}

// cancelling cancels a context after its n-th Put.
type cancelling struct {
	media.Store
	n      int64
	puts   atomic.Int64
	cancel context.CancelFunc
}

func (c *cancelling) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	err := c.Store.Put(ctx, key, r, size, ct)
	if c.puts.Add(1) == c.n {
		c.cancel()
	}
	return err
}

func TestMigrateResumesAfterInterruption(t *testing.T) {
	t.Parallel()
	from, s3 := fileStore(t), s3Store(t)
	blobs := library(t, from)
	ctx, cancel := context.WithCancel(context.Background())
	to := &cancelling{Store: s3, n: 2, cancel: cancel}
	rep, err := media.Migrate(ctx, from, to, media.MigrateOptions{Workers: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %+v, %v; want context.Canceled", rep, err)
	}
	first := list(t, s3, "")
	if len(first) == 0 || len(first) >= len(blobs) {
		t.Fatalf("after the interruption the target holds %q", first)
	}

	rep, err = media.Migrate(context.Background(), from, s3, media.MigrateOptions{})
	if err != nil || rep.Skipped != len(first) || rep.Copied != len(blobs)-len(first) {
		t.Fatalf("resumed run: %+v, %v; %d were there already", rep, err, len(first))
	}
	assertHolds(t, s3, blobs)
}

// corrupting flips the first byte of every blob written.
type corrupting struct{ media.Store }

func (c corrupting) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(b) > 0 {
		b[0] ^= 0xff
	}
	return c.Store.Put(ctx, key, strings.NewReader(string(b)), size, ct)
}

func TestMigrateReportsMismatch(t *testing.T) {
	t.Parallel()
	from, to := s3Store(t), fileStore(t)
	blobs := library(t, from)
	rep, err := media.Migrate(context.Background(), from, corrupting{to}, media.MigrateOptions{})
	if err == nil {
		t.Fatal("a corrupt target migrated without error")
	}
	// The empty blob cannot be corrupted; every other one is reported.
	if rep.Copied != 1 || len(rep.Failures) != len(blobs)-1 {
		t.Fatalf("report %+v", rep)
	}
	for _, f := range rep.Failures {
		if !errors.Is(f.Err, media.ErrMismatch) || !strings.Contains(f.Err.Error(), f.Key) {
			t.Errorf("failure %q: %v", f.Key, f.Err)
		}
		if !strings.Contains(err.Error(), f.Key) {
			t.Errorf("the error does not name %q: %v", f.Key, err)
		}
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("%d keys failed", len(blobs)-1)) {
		t.Errorf("error %v", err)
	}
}
