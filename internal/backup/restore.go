package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

// RestoreOptions change how Restore treats the target.
type RestoreOptions struct {
	// Force replaces a database that has data: its rows are deleted in
	// the same transaction as the restore, so a failed restore leaves it
	// as it was.
	Force bool
}

// Report says what a restore or a verification found.
type Report struct {
	Name          string
	Engine        string // of the backup
	SchemaVersion int64
	Tables        int
	Rows          int64
	Files         int
	// FilesRemoved counts stored files a restore deleted because the
	// backup does not have them.
	FilesRemoved int
	// Problems are the differences a verification found; empty when the
	// backup is good.
	Problems []string
}

// Restore loads backup name into the Service's database and file store.
// The archive is checked in full first (layout, limits, every value,
// counts and checksums). Then one transaction empties the tables (with
// Force), migrates the database to the backup's schema version and
// inserts every row; the backup's files are written before it commits.
// Any failure, a killed process included, leaves the database exactly as
// it was, and a failed restore removes the files it added. Once the
// transaction has committed, stored files the backup does not have are
// deleted, so the file store matches the backup too.
func (s *Service) Restore(ctx context.Context, name string, opt RestoreOptions) (Report, error) {
	rep := Report{Name: name}
	name, f, err := s.fetch(ctx, name)
	if name != "" {
		rep.Name = name
	}
	if err != nil {
		return rep, err
	}
	defer f.Close()
	_, newest, err := s.db.SchemaVersion(ctx)
	if err != nil {
		return rep, err
	}
	m, problems, err := check(f, newest)
	if err != nil {
		return rep, fmt.Errorf("backup %s is not usable: %w", name, err)
	}
	fillReport(&rep, m)
	if len(problems) > 0 {
		return rep, fmt.Errorf("backup %s is damaged:\n  %s", name, strings.Join(problems, "\n  "))
	}
	s.progress("checked %s: %d tables, %d rows, %d files", name, rep.Tables, rep.Rows, rep.Files)
	if err := checkTarget(ctx, s.db, m, opt.Force); err != nil {
		return rep, err
	}
	if err := s.load(ctx, s.db, f, m, opt.Force, s.files); err != nil {
		return rep, err
	}
	if s.files != nil {
		rep.FilesRemoved, err = s.removeOthers(ctx, m)
		if err != nil {
			return rep, fmt.Errorf("backup %s restored, but removing the stored files it does not have failed (run the restore again): %w", name, err)
		}
	}
	return rep, nil
}

func fillReport(rep *Report, m *Manifest) {
	rep.Engine, rep.SchemaVersion, rep.Tables, rep.Files = m.Engine, m.SchemaVersion, len(m.Tables), len(m.Files)
	rep.Rows = 0
	for _, t := range m.Tables {
		rep.Rows += t.Rows
	}
}

// checkTarget refuses a database with data (unless force), and one whose
// data is at a newer schema than the backup's.
func checkTarget(ctx context.Context, st *store.Store, m *Manifest, force bool) error {
	cur, _, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	full, err := st.TablesWithRows(ctx, excludedTable)
	if err != nil {
		return err
	}
	if len(full) > 0 && !force {
		return fmt.Errorf("%w: %s hold rows; restore into an empty database, or pass --force to replace everything in it",
			ErrNotEmpty, strings.Join(full, ", "))
	}
	if len(full) > 0 && cur > m.SchemaVersion {
		// Taking the schema down means running down migrations written
		// for an empty database's sake, not for data someone may want.
		return fmt.Errorf("the database has data at schema version %d, newer than the backup's %d; restore into an empty database", cur, m.SchemaVersion)
	}
	return nil
}

// matchSchema checks the archive against the target's tables at the
// backup's schema version: every table and column of the archive must
// exist with the same kind, every target table must be in the archive,
// and the archive's table order must satisfy the target's foreign keys.
func matchSchema(m *Manifest, live []store.Table) (map[string]store.Table, error) {
	byName := map[string]store.Table{}
	for _, t := range live {
		byName[t.Name] = t
	}
	inArchive := map[string]bool{}
	for _, e := range m.Tables {
		t, ok := byName[e.Name]
		if !ok {
			return nil, fmt.Errorf("the backup has table %s, which schema version %d does not have", e.Name, m.SchemaVersion)
		}
		for _, c := range e.Columns {
			lc, ok := t.Column(c.Name)
			if !ok {
				return nil, fmt.Errorf("the backup has column %s.%s, which schema version %d does not have", e.Name, c.Name, m.SchemaVersion)
			}
			if lc.Kind != c.Kind {
				return nil, fmt.Errorf("column %s.%s is %s in the backup but %s in the database", e.Name, c.Name, c.Kind, lc.Kind)
			}
		}
		for _, p := range t.Parents {
			if _, known := byName[p]; known && p != e.Name && !inArchive[p] {
				return nil, fmt.Errorf("the backup lists table %s before %s, which it references", e.Name, p)
			}
		}
		inArchive[e.Name] = true
	}
	for _, t := range live {
		if !inArchive[t.Name] {
			return nil, fmt.Errorf("the backup lacks table %s of schema version %d", t.Name, m.SchemaVersion)
		}
	}
	return byName, nil
}

// load reloads st from the archive in one transaction (store.Reload):
// every row deleted first when replace is set, the schema brought to the
// backup's version, the archive's rows inserted and, when files is not
// nil, the archive's files written before it commits.
func (s *Service) load(ctx context.Context, st *store.Store, f *os.File, m *Manifest, replace bool, files media.Store) (err error) {
	var added []string
	defer func() {
		if err == nil {
			return
		}
		// Files this restore created go again; files it replaced cannot
		// be put back, which only --force can lead to.
		for _, k := range added {
			_ = files.Delete(context.WithoutCancel(ctx), k)
		}
	}()
	return st.Reload(ctx, m.SchemaVersion, store.ReloadOptions{Skip: excludedTable, Empty: replace}, func(ctx context.Context, l *store.Load) error {
		byName, err := matchSchema(m, l.Tables())
		if err != nil {
			return err
		}
		a, err := openArchive(f, 0)
		if err != nil {
			return err
		}
		var ins *store.Inserter
		var insTable string
		fileCount := 0
		_, err = a.walk(visitor{
			row: func(e TableEntry, n int64, line []byte) error {
				if ins == nil || insTable != e.Name {
					if err := s.finishTable(ctx, insTable, ins); err != nil {
						return err
					}
					ins, insTable = l.Inserter(tableFromEntry(e, byName[e.Name])), e.Name
				}
				vals, err := decodeRow(line, e.Columns)
				if err != nil {
					return err
				}
				return ins.Add(ctx, vals)
			},
			file: func(e FileEntry, r io.Reader) error {
				if ins != nil {
					if err := s.finishTable(ctx, insTable, ins); err != nil {
						return err
					}
					ins = nil
				}
				if files == nil {
					return nil
				}
				_, statErr := files.Stat(ctx, e.Key)
				if err := files.Put(ctx, e.Key, r, e.Size, ""); err != nil {
					return fmt.Errorf("write to %s: %w", files.Describe(), err)
				}
				if errors.Is(statErr, media.ErrNotFound) {
					added = append(added, e.Key)
				}
				fileCount++
				if fileCount%500 == 0 || fileCount == len(m.Files) {
					s.progress("files: %d of %d restored", fileCount, len(m.Files))
				}
				return nil
			},
		})
		if err == nil {
			err = s.finishTable(ctx, insTable, ins)
		}
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		return nil
	})
}

func (s *Service) finishTable(ctx context.Context, name string, ins *store.Inserter) error {
	if ins == nil {
		return nil
	}
	if err := ins.Flush(ctx); err != nil {
		return err
	}
	s.progress("table %s: %d rows restored", name, ins.Total())
	return nil
}

// removeOthers deletes the stored files that the backup does not have,
// after the database has committed: never before, so a failed restore
// loses no file the database still refers to. Keys under SkipFilePrefix
// (backups kept inside the file store) are not the backup's to judge.
func (s *Service) removeOthers(ctx context.Context, m *Manifest) (int, error) {
	keep := make(map[string]bool, len(m.Files))
	for _, e := range m.Files {
		keep[e.Key] = true
	}
	var extra []string
	err := s.files.List(ctx, "", func(o media.Object) error {
		if keep[o.Key] || (s.opt.SkipFilePrefix != "" && strings.HasPrefix(o.Key, s.opt.SkipFilePrefix)) {
			return nil
		}
		extra = append(extra, o.Key)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("list files in %s: %w", s.files.Describe(), err)
	}
	for i, k := range extra {
		if err := s.files.Delete(ctx, k); err != nil && !errors.Is(err, media.ErrNotFound) {
			return i, fmt.Errorf("delete %s: %w", k, err)
		}
	}
	if len(extra) > 0 {
		s.progress("removed %d stored files the backup does not have", len(extra))
	}
	return len(extra), nil
}
