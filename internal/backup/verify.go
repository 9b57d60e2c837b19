package backup

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/reccollection/reccollection/internal/store"
)

// Verify proves a backup restorable: it checks the archive in full, then
// restores it into a scratch SQLite database in a temporary directory and
// checks that database: schema version, SQLite's integrity and foreign-key
// checks, and every table's row count and content checksum recomputed
// from the restored rows against the manifest. "" verifies the newest.
//
// The scratch database is SQLite whatever the backup's engine: it needs
// no server or privilege to create databases (verify runs from a CronJob
// beside production), and restoring a PostgreSQL backup into the other
// engine proves on every run that the format carries everything either
// engine needs. The checksums compare engine-neutral encodings, so a
// value that did not survive the trip shows up as a difference.
func (s *Service) Verify(ctx context.Context, name string) (Report, error) {
	rep := Report{Name: name}
	name, f, err := s.fetch(ctx, name)
	if name != "" {
		rep.Name = name
	}
	if err != nil {
		return rep, err
	}
	defer f.Close()

	dir, err := os.MkdirTemp(s.opt.TempDir, "reccollection-verify-")
	if err != nil {
		return rep, fmt.Errorf("create temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	scratch, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(dir, "scratch.db")})
	if err != nil {
		return rep, fmt.Errorf("open scratch database: %w", err)
	}
	defer scratch.Close()
	_, newest, err := scratch.SchemaVersion(ctx)
	if err != nil {
		return rep, err
	}

	m, problems, err := check(f, newest)
	if err != nil {
		return rep, fmt.Errorf("backup %s is not usable: %w", name, err)
	}
	fillReport(&rep, m)
	s.progress("read %s: %d tables, %d rows, %d files; checksums %s", name, rep.Tables, rep.Rows, rep.Files, okOr(problems))
	if len(problems) > 0 {
		rep.Problems = problems
		return rep, verifyFailed(rep)
	}

	if err := s.load(ctx, scratch, f, m, false, nil); err != nil {
		rep.Problems = append(rep.Problems, "restore into a scratch database failed: "+err.Error())
		return rep, verifyFailed(rep)
	}
	rep.Problems = append(rep.Problems, checkScratch(ctx, scratch, m)...)
	if len(rep.Problems) > 0 {
		return rep, verifyFailed(rep)
	}
	s.progress("restored %s into a scratch database: schema, integrity, foreign keys, row counts and checksums match", name)
	return rep, nil
}

func okOr(problems []string) string {
	if len(problems) == 0 {
		return "match"
	}
	return fmt.Sprintf("%d differences", len(problems))
}

func verifyFailed(rep Report) error {
	return fmt.Errorf("backup %s failed verification:\n  %s", rep.Name, strings.Join(rep.Problems, "\n  "))
}

// checkScratch compares the restored scratch database with the manifest.
func checkScratch(ctx context.Context, st *store.Store, m *Manifest) []string {
	var problems []string
	if cur, _, err := st.SchemaVersion(ctx); err != nil || cur != m.SchemaVersion {
		problems = append(problems, fmt.Sprintf("schema version %d after restore, the manifest says %d (%v)", cur, m.SchemaVersion, err))
	}
	problems = append(problems, st.CheckIntegrity(ctx)...)
	live, err := st.Tables(ctx, excludedTable)
	if err != nil {
		return append(problems, err.Error())
	}
	byName := map[string]store.Table{}
	for _, t := range live {
		byName[t.Name] = t
	}
	for _, e := range m.Tables {
		n, sum, err := dumpTable(ctx, st.ScanRows, tableFromEntry(e, byName[e.Name]), io.Discard)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("table %s: %v", e.Name, err))
		case n != e.Rows:
			problems = append(problems, fmt.Sprintf("table %s: %d rows after restore, the manifest says %d", e.Name, n, e.Rows))
		case sum != e.SHA256:
			problems = append(problems, fmt.Sprintf("table %s: content checksum after restore %s, the manifest says %s", e.Name, sum[:12], e.SHA256[:12]))
		}
	}
	return problems
}
