package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

type entry struct {
	name string
	typ  byte
	data []byte
}

// readEntries unpacks a stored archive.
func readEntries(t *testing.T, b []byte) []entry {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		out = append(out, entry{h.Name, h.Typeflag, data})
	}
}

func packEntries(t *testing.T, es []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range es {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o600, Size: int64(len(e.data)), ModTime: time.Unix(0, 0)}
		if typ == tar.TypeSymlink {
			h.Size, h.Linkname = 0, "/etc/passwd"
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := tw.Write(e.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	gz.Close()
	return buf.Bytes()
}

// editManifest applies fn to the decoded manifest (entry 0).
func editManifest(t *testing.T, es []entry, fn func(m map[string]any)) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(es[0].data, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, _ := json.Marshal(m)
	es[0].data = b
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// setTable replaces a table's rows and makes the manifest agree, as a
// careful attacker would.
func setTable(t *testing.T, es []entry, table string, rows []byte, lines int) {
	t.Helper()
	for i := range es {
		if es[i].name == "tables/"+table+".ndjson" {
			es[i].data = rows
		}
	}
	editManifest(t, es, func(m map[string]any) {
		for _, tb := range m["tables"].([]any) {
			tm := tb.(map[string]any)
			if tm["name"] == table {
				tm["rows"], tm["sha256"] = lines, sum(rows)
			}
		}
	})
}

func entryData(es []entry, name string) []byte {
	for _, e := range es {
		if e.name == name {
			return e.data
		}
	}
	return nil
}

// goodBackup makes a real backup of a seeded SQLite database with files.
func goodBackup(t *testing.T) (backups *memStore, name string) {
	t.Helper()
	ctx := context.Background()
	st := testutil.OpenStore(t, "sqlite")
	if _, _, err := seed.Demo(ctx, st); err != nil {
		t.Fatal(err)
	}
	files := newMemStore("files")
	files.Put(ctx, "images/a.jpg", strings.NewReader("jpeg bytes"), 10, "")
	files.Put(ctx, "images/b.jpg", strings.NewReader("more bytes"), 10, "")
	backups = newMemStore("backups")
	info, err := backup.New(st, files, backups, backup.Options{}).Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return backups, info.Name
}

func TestVerifyNamesTampering(t *testing.T) {
	ctx := context.Background()
	backups, name := goodBackup(t)
	svc := backup.New(testutil.OpenStore(t, "sqlite"), nil, backups, backup.Options{})
	if _, err := svc.Verify(ctx, name); err != nil {
		t.Fatalf("untouched backup: %v", err)
	}
	orig := readEntries(t, backups.get(name))
	for _, tc := range []struct {
		name   string
		tamper func([]entry) []entry
		want   string
	}{
		{"changed row", func(es []entry) []entry {
			for i := range es {
				if es[i].name == "tables/recipes.ndjson" {
					es[i].data = bytes.Replace(es[i].data, []byte("Risotto"), []byte("Rizotto"), 1)
				}
			}
			return es
		}, "table recipes: content checksum"},
		{"deleted row", func(es []entry) []entry {
			for i := range es {
				if es[i].name == "tables/users.ndjson" {
					_, rest, _ := bytes.Cut(es[i].data, []byte("\n"))
					es[i].data = rest
				}
			}
			return es
		}, "table users: 3 rows in the archive, the manifest says 4"},
		{"missing file", func(es []entry) []entry {
			return es[:len(es)-1]
		}, "files/images/b.jpg is missing"},
		{"changed file", func(es []entry) []entry {
			es[len(es)-1].data = []byte("MORE bytes")
			return es
		}, "file images/b.jpg: checksum"},
		{"row changed consistently but out of canonical form", func(es []entry) []entry {
			rows := entryData(es, "tables/tags.ndjson")
			rows = bytes.Replace(rows, []byte(`[1,`), []byte(`[ 1,`), 1)
			setTable(t, es, "tags", rows, bytes.Count(rows, []byte("\n")))
			return es
		}, "table tags: content checksum after restore"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := make([]entry, len(orig))
			for i, e := range orig {
				es[i] = entry{e.name, e.typ, bytes.Clone(e.data)}
			}
			bad := "reccollection-20200101T000000Z.tar.gz"
			backups.Put(ctx, bad, bytes.NewReader(packEntries(t, tc.tamper(es))), -1, "")
			defer backups.Delete(ctx, bad)
			_, err := svc.Verify(ctx, bad)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("verify: %v\nwant an error containing %q", err, tc.want)
			}
		})
	}
}

// TestHostileArchivesAreRefusedWithoutWriting: every malformed archive is
// refused with a clear error, and the target database and file store are
// left exactly as they were (empty).
func TestHostileArchivesAreRefusedWithoutWriting(t *testing.T) {
	ctx := context.Background()
	backups, name := goodBackup(t)
	orig := readEntries(t, backups.get(name))
	clone := func() []entry {
		es := make([]entry, len(orig))
		for i, e := range orig {
			es[i] = entry{e.name, e.typ, bytes.Clone(e.data)}
		}
		return es
	}
	target := testutil.OpenStore(t, "sqlite")
	files := newMemStore("target-files")
	svc := backup.New(target, files, backups, backup.Options{})

	oversizedManifest := func() []byte {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		tw.WriteHeader(&tar.Header{Name: "manifest.json", Typeflag: tar.TypeReg, Size: 1 << 40, Mode: 0o600})
		gz.Close() // the header alone: the reader must refuse before reading a byte
		return buf.Bytes()
	}

	for _, tc := range []struct {
		name    string
		archive func() []byte
		want    string
	}{
		{"not gzip", func() []byte { return []byte("PK\x03\x04 a zip file") }, "not a gzip archive"},
		{"path traversal entry", func() []byte {
			es := clone()
			es = append(es[:1], append([]entry{{name: "../../etc/cron.d/evil", data: []byte("x")}}, es[1:]...)...)
			return packEntries(t, es)
		}, `unexpected entry "../../etc/cron.d/evil"`},
		{"path traversal file key", func() []byte {
			es := clone()
			editManifest(t, es, func(m map[string]any) {
				fs := m["files"].([]any)
				fs[0].(map[string]any)["key"] = "../escape.jpg"
			})
			es[len(es)-2].name = "files/../escape.jpg"
			return packEntries(t, es)
		}, `file key "../escape.jpg" is not allowed`},
		{"symlink in place of a table", func() []byte {
			es := clone()
			es[1] = entry{name: es[1].name, typ: tar.TypeSymlink}
			return packEntries(t, es)
		}, "is not a regular file"},
		{"oversized manifest", oversizedManifest, "over the limit"},
		{"oversized row", func() []byte {
			es := clone()
			row := []byte(`["` + strings.Repeat("a", 33<<20) + `"]` + "\n")
			setTable(t, es, "search_terms", row, 1)
			return packEntries(t, es)
		}, "table search_terms, row 1 is longer than the limit"},
		{"file larger than the manifest says", func() []byte {
			es := clone()
			es[len(es)-1].data = []byte("more bytes and then some")
			return packEntries(t, es)
		}, "file images/b.jpg: 24 bytes in the archive, the manifest says 10"},
		{"unknown table", func() []byte {
			es := clone()
			rows := []byte(`["x"]` + "\n")
			editManifest(t, es, func(m map[string]any) {
				m["tables"] = append(m["tables"].([]any), map[string]any{"name": "bogus", "columns": []any{map[string]any{"name": "v", "kind": "text"}},
					"key": []any{"v"}, "rows": 1, "sha256": sum(rows)})
			})
			var out []entry
			for _, e := range es {
				if strings.HasPrefix(e.name, "files/") && entryData(out, "tables/bogus.ndjson") == nil {
					out = append(out, entry{name: "tables/bogus.ndjson", data: rows})
				}
				out = append(out, e)
			}
			return packEntries(t, out)
		}, "the backup has table bogus"},
		{"unknown column", func() []byte {
			es := clone()
			rows := entryData(es, "tables/search_terms.ndjson")
			rows = bytes.ReplaceAll(rows, []byte("\"]\n"), []byte("\",\"x\"]\n"))
			setTable(t, es, "search_terms", rows, bytes.Count(rows, []byte("\n")))
			editManifest(t, es, func(m map[string]any) {
				for _, tb := range m["tables"].([]any) {
					if tm := tb.(map[string]any); tm["name"] == "search_terms" {
						tm["columns"] = append(tm["columns"].([]any), map[string]any{"name": "evil", "kind": "text"})
					}
				}
			})
			return packEntries(t, es)
		}, "column search_terms.evil"},
		{"bad JSON row", func() []byte {
			es := clone()
			rows := append([]byte("{not json\n"), entryData(es, "tables/users.ndjson")...)
			setTable(t, es, "users", rows, bytes.Count(rows, []byte("\n")))
			return packEntries(t, es)
		}, "table users, row 1: not a JSON array"},
		{"wrong type in a row", func() []byte {
			es := clone()
			rows := entryData(es, "tables/tags.ndjson")
			rows = bytes.Replace(rows, []byte(`[1,`), []byte(`["1",`), 1)
			setTable(t, es, "tags", rows, bytes.Count(rows, []byte("\n")))
			return packEntries(t, es)
		}, "table tags, row 1: column id: want an integer"},
		{"unknown manifest field", func() []byte {
			es := clone()
			editManifest(t, es, func(m map[string]any) { m["run_this"] = "rm -rf /" })
			return packEntries(t, es)
		}, `unknown field "run_this"`},
		{"newer schema", func() []byte {
			es := clone()
			editManifest(t, es, func(m map[string]any) { m["schema_version"] = 9999 })
			return packEntries(t, es)
		}, "schema version 9999, newer than this build's"},
		{"trailing entry", func() []byte {
			return packEntries(t, append(clone(), entry{name: "extra", data: []byte("x")}))
		}, `unexpected entry "extra" after the last file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := "reccollection-20200101T000000Z.tar.gz"
			backups.Put(ctx, bad, bytes.NewReader(tc.archive()), -1, "")
			defer backups.Delete(ctx, bad)
			_, err := svc.Restore(ctx, bad, backup.RestoreOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("restore: %v\nwant an error containing %q", err, tc.want)
			}
			assertEmpty(t, target, files)
		})
	}
	// The same target then takes the good backup.
	if _, err := svc.Restore(ctx, name, backup.RestoreOptions{}); err != nil {
		t.Fatalf("good backup after the hostile ones: %v", err)
	}
	if n, _ := target.CountUsers(ctx); n != len(seed.DemoUsers()) {
		t.Errorf("%d users after restore, want %d", n, len(seed.DemoUsers()))
	}
	if _, err := svc.Restore(ctx, "../../etc/passwd", backup.RestoreOptions{}); err == nil || !strings.Contains(err.Error(), "not a backup name") {
		t.Errorf("restore of a path: %v", err)
	}
}

func assertEmpty(t *testing.T, st *store.Store, files *memStore) {
	t.Helper()
	watched := []string{"users", "recipes", "tags", "search_terms"}
	full, err := st.TablesWithRows(context.Background(), func(n string) bool { return !slices.Contains(watched, n) })
	if err != nil || len(full) != 0 {
		t.Errorf("tables %q have rows (%v) after a refused restore", full, err)
	}
	if ks := files.keys(); len(ks) != 0 {
		t.Errorf("files written by a refused restore: %q", ks)
	}
}

func TestRetentionPrunesOnlyOldBackups(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 20, 15, 0, 0, time.UTC)
	backups := newMemStore("backups")
	for _, age := range []time.Duration{40 * 24 * time.Hour, 8 * 24 * time.Hour, 7*24*time.Hour - time.Minute, time.Hour} {
		backups.Put(ctx, backup.Name(now.Add(-age)), strings.NewReader("x"), 1, "")
	}
	backups.Put(ctx, "notes.txt", strings.NewReader("not a backup"), 12, "")
	backups.Put(ctx, "reccollection-old.tar.gz", strings.NewReader("not ours"), 8, "")
	svc := backup.New(testutil.OpenStore(t, "sqlite"), nil, backups, backup.Options{Retention: 7 * 24 * time.Hour, Now: func() time.Time { return now }})
	deleted, err := svc.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{backup.Name(now.Add(-40 * 24 * time.Hour)), backup.Name(now.Add(-8 * 24 * time.Hour))}
	if strings.Join(deleted, ",") != strings.Join(want, ",") {
		t.Errorf("deleted %q, want %q", deleted, want)
	}
	left := backups.keys()
	if len(left) != 4 || !contains(left, "notes.txt") || !contains(left, "reccollection-old.tar.gz") {
		t.Errorf("left %q", left)
	}

	// Long after the last backup, the newest still stays.
	later := now.Add(365 * 24 * time.Hour)
	svc = backup.New(testutil.OpenStore(t, "sqlite"), nil, backups, backup.Options{Retention: 7 * 24 * time.Hour, Now: func() time.Time { return later }})
	if _, err := svc.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if left := backups.keys(); !contains(left, backup.Name(now.Add(-time.Hour))) || contains(left, backup.Name(now.Add(-7*24*time.Hour+time.Minute))) {
		t.Errorf("after a year: %q, want only the newest backup and the foreign keys", left)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
