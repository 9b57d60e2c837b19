package backup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestForcedRestoreIsAllOrNothing: a forced restore that fails at its very
// end (the last rows it inserts break a unique key) leaves an older
// installation exactly as it was: its schema version (the restore had
// migrated it up inside the same transaction), its rows and its files.
// The good backup then replaces everything, and the file store ends up
// holding exactly the backup's files.
func TestForcedRestoreIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			src := testutil.OpenStore(t, engine)
			if _, _, err := seed.Demo(ctx, src); err != nil {
				t.Fatal(err)
			}
			srcFiles := newMemStore("files")
			srcFiles.Put(ctx, "images/a.jpg", strings.NewReader("jpeg bytes"), 10, "")
			srcFiles.Put(ctx, "images/b.jpg", strings.NewReader("more bytes"), 10, "")
			backups := newMemStore("backups")
			info, err := backup.New(src, srcFiles, backups, backup.Options{}).Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			bad := "reccollection-20200101T000000.000000Z.tar.gz"
			backups.Put(ctx, bad, bytes.NewReader(duplicateLastRow(t, backups.get(info.Name))), -1, "")

			// The target: an installation at schema 6 with rows and a
			// file of its own.
			target, err := store.Open(ctx, testutil.Options(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			if err := target.MigrateTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			if _, _, err := seed.Demo(ctx, target); err != nil {
				t.Fatal(err)
			}
			if err := target.CreateUser(ctx, &auth.User{Username: "onlyhere", Email: "onlyhere@example.com", DisplayName: "Only Here"}); err != nil {
				t.Fatal(err)
			}
			files, err := media.Open(ctx, "file://"+t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := files.Put(ctx, "images/onlyhere.jpg", strings.NewReader("mine"), 4, ""); err != nil {
				t.Fatal(err)
			}
			svc := backup.New(target, files, backups, backup.Options{})

			_, err = svc.Restore(ctx, bad, backup.RestoreOptions{Force: true})
			if err == nil || !strings.Contains(err.Error(), "restore: ") {
				t.Fatalf("restore of a backup whose last rows clash: %v", err)
			}
			if cur, _, err := target.SchemaVersion(ctx); err != nil || cur != 6 {
				t.Errorf("schema %d (%v) after the failed restore, want 6 as before", cur, err)
			}
			// Read with plain SQL: the store's own queries expect the
			// newest schema, and this one is older.
			var name string
			if err := target.DB().QueryRowContext(ctx, "SELECT display_name FROM users WHERE username = 'onlyhere'").Scan(&name); err != nil || name != "Only Here" {
				t.Errorf("the target's own user after the failed restore: %q %v", name, err)
			}
			if n, _ := target.CountUsers(ctx); n != len(seed.DemoUsers())+1 {
				t.Errorf("%d users after the failed restore, want %d", n, len(seed.DemoUsers())+1)
			}
			if got := fileKeys(t, files); !slices.Equal(got, []string{"images/onlyhere.jpg"}) {
				t.Errorf("files after the failed restore: %q, want only the target's own", got)
			}

			rep, err := svc.Restore(ctx, info.Name, backup.RestoreOptions{Force: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, newest, _ := target.SchemaVersion(ctx); rep.SchemaVersion != newest {
				t.Errorf("restored schema %d", rep.SchemaVersion)
			}
			if _, err := target.UserByUsername(ctx, "onlyhere"); err == nil {
				t.Error("the target's own user survived a forced restore")
			}
			if got := fileKeys(t, files); !slices.Equal(got, []string{"images/a.jpg", "images/b.jpg"}) || rep.FilesRemoved != 1 {
				t.Errorf("files after the restore: %q (%d removed), want exactly the backup's", got, rep.FilesRemoved)
			}
			r, err := files.Get(ctx, "images/b.jpg")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			r.Close()
			if string(b) != "more bytes" {
				t.Errorf("images/b.jpg holds %q", b)
			}
		})
	}
}

// duplicateLastRow returns the archive with the first row of the last
// table that has rows repeated at that table's end, counts and checksums
// made to agree: the archive checks out, and the restore fails only when
// it inserts the very last rows.
func duplicateLastRow(t *testing.T, archive []byte) []byte {
	t.Helper()
	es := readEntries(t, archive)
	var m struct {
		Tables []struct {
			Name string `json:"name"`
			Rows int    `json:"rows"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(es[0].data, &m); err != nil {
		t.Fatal(err)
	}
	for i := len(m.Tables) - 1; i >= 0; i-- {
		if tb := m.Tables[i]; tb.Rows > 0 {
			rows := entryData(es, "tables/"+tb.Name+".ndjson")
			first, _, _ := bytes.Cut(rows, []byte("\n"))
			rows = append(bytes.Clone(rows), append(first, '\n')...)
			setTable(t, es, tb.Name, rows, tb.Rows+1)
			return packEntries(t, es)
		}
	}
	t.Fatal("no table has rows")
	return nil
}

func fileKeys(t *testing.T, s media.Store) []string {
	t.Helper()
	var keys []string
	if err := s.List(context.Background(), "", func(o media.Object) error { keys = append(keys, o.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	return keys
}
