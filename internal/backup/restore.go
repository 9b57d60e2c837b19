package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

// RestoreOptions change how Restore treats the target.
type RestoreOptions struct {
	// Force empties a database that has data (in the same transaction as
	// the restore, so a failed restore leaves it as it was).
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
	// Problems are the differences a verification found; empty when the
	// backup is good.
	Problems []string
}

// Restore loads backup name into the Service's database and file store.
// The archive is checked in full first (layout, limits, every value,
// counts and checksums); then the database is migrated to the backup's
// schema version and every table is inserted in one transaction, the
// files written before it commits. Any failure leaves the database as it
// was and removes the files this restore added.
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
	engine := storeEngine(s.db)
	_, newest, err := s.db.SchemaVersion(ctx)
	if err != nil {
		return rep, err
	}
	m, problems, err := check(f, newest, engine)
	if err != nil {
		return rep, fmt.Errorf("backup %s is not usable: %w", name, err)
	}
	fillReport(&rep, m)
	if len(problems) > 0 {
		return rep, fmt.Errorf("backup %s is damaged:\n  %s", name, strings.Join(problems, "\n  "))
	}
	s.progress("checked %s: %d tables, %d rows, %d files", name, rep.Tables, rep.Rows, rep.Files)
	if err := prepareTarget(ctx, s.db, m, opt.Force); err != nil {
		return rep, err
	}
	if err := s.load(ctx, s.db, f, m, opt.Force, s.files); err != nil {
		return rep, err
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

// prepareTarget refuses a database with data (unless force) and brings its
// schema to the backup's version.
func prepareTarget(ctx context.Context, st *store.Store, m *Manifest, force bool) error {
	cur, _, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	full, err := nonEmptyTables(ctx, st)
	if err != nil {
		return err
	}
	if len(full) > 0 && !force {
		return fmt.Errorf("%w: %s hold rows; restore into an empty database, or pass --force to replace everything in it",
			ErrNotEmpty, strings.Join(full, ", "))
	}
	if len(full) > 0 && cur > m.SchemaVersion {
		// Going down would run down migrations over live data before the
		// restore could still fail; refuse instead.
		return fmt.Errorf("the database has data at schema version %d, newer than the backup's %d; restore into an empty database", cur, m.SchemaVersion)
	}
	if err := st.MigrateTo(ctx, m.SchemaVersion); err != nil {
		return fmt.Errorf("bring the database to the backup's schema version %d: %w", m.SchemaVersion, err)
	}
	return nil
}

// nonEmptyTables names the application tables that hold rows.
func nonEmptyTables(ctx context.Context, st *store.Store) ([]string, error) {
	tables, err := introspect(ctx, st.DB(), storeEngine(st))
	if err != nil {
		return nil, err
	}
	var full []string
	for _, t := range tables {
		var one int
		err := st.DB().QueryRowContext(ctx, "SELECT 1 FROM "+quoteIdent(t.Name)+" LIMIT 1").Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("look into table %s: %w", t.Name, err)
		}
		full = append(full, t.Name)
	}
	return full, nil
}

// matchSchema checks the archive against the target's tables at the
// backup's schema version: every table and column of the archive must
// exist with the same kind, every target table must be in the archive,
// and the archive's table order must satisfy the target's foreign keys.
func matchSchema(m *Manifest, live []table) (map[string]table, error) {
	byName := map[string]table{}
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
			lc := t.column(c.Name)
			if lc == nil {
				return nil, fmt.Errorf("the backup has column %s.%s, which schema version %d does not have", e.Name, c.Name, m.SchemaVersion)
			}
			if lc.Kind != c.Kind {
				return nil, fmt.Errorf("column %s.%s is %s in the backup but %s in the database", e.Name, c.Name, c.Kind, lc.Kind)
			}
		}
		for _, p := range t.parents {
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

// load inserts the archive's rows into st in one transaction, after
// deleting every row first when replace is set, and, when files is not
// nil, writes the archive's files before committing.
func (s *Service) load(ctx context.Context, st *store.Store, f *os.File, m *Manifest, replace bool, files media.Store) (err error) {
	engine := storeEngine(st)
	live, err := introspect(ctx, st.DB(), engine)
	if err != nil {
		return err
	}
	byName, err := matchSchema(m, live)
	if err != nil {
		return err
	}
	a, err := openArchive(f, 0)
	if err != nil {
		return err
	}
	tx, err := st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin restore transaction: %w", err)
	}
	var added []string
	defer func() {
		if err == nil {
			return
		}
		_ = tx.Rollback()
		// Files this restore created go again; files it replaced cannot
		// be put back, which only --force can lead to.
		for _, k := range added {
			_ = files.Delete(context.WithoutCancel(ctx), k)
		}
	}()
	if replace {
		for _, t := range slices.Backward(live) {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(t.Name)); err != nil {
				return fmt.Errorf("empty table %s: %w", t.Name, err)
			}
		}
	}
	var ins *inserter
	fileCount := 0
	_, err = a.walk(visitor{
		row: func(e TableEntry, n int64, line []byte) error {
			if ins == nil || ins.e.Name != e.Name {
				if err := s.finishTable(ctx, ins); err != nil {
					return err
				}
				ins = newInserter(tx, engine, e, byName[e.Name])
			}
			vals, err := decodeRow(line, e.Columns, engine)
			if err != nil {
				return err
			}
			return ins.add(ctx, vals)
		},
		file: func(e FileEntry, r io.Reader) error {
			if ins != nil {
				if err := s.finishTable(ctx, ins); err != nil {
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
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := s.finishTable(ctx, ins); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if engine == enginePostgres {
		if err := resetSequences(ctx, tx, live); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit restore: %w", err)
	}
	return nil
}

func (s *Service) finishTable(ctx context.Context, ins *inserter) error {
	if ins == nil {
		return nil
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	s.progress("table %s: %d rows restored", ins.e.Name, ins.total)
	return nil
}

// resetSequences moves every identity and serial sequence past the
// restored keys, so the next insert does not collide with a restored row.
func resetSequences(ctx context.Context, tx *sql.Tx, live []table) error {
	for _, t := range live {
		for _, c := range t.identity {
			q := "SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(" + quoteIdent(c) + "), 0) + 1, false) FROM " + quoteIdent(t.Name)
			if _, err := tx.ExecContext(ctx, q, quoteIdent(t.Name), c); err != nil {
				return fmt.Errorf("reset the sequence of %s.%s: %w", t.Name, c, err)
			}
		}
	}
	return nil
}

// inserter batches rows of one table into multi-row INSERTs.
type inserter struct {
	tx     *sql.Tx
	engine string
	e      TableEntry
	prefix string
	per    int
	batch  []any
	rows   int
	total  int64
}

func newInserter(tx *sql.Tx, engine string, e TableEntry, live table) *inserter {
	cols := make([]string, len(e.Columns))
	for i, c := range e.Columns {
		cols[i] = quoteIdent(c.Name)
	}
	prefix := "INSERT INTO " + quoteIdent(e.Name) + " (" + strings.Join(cols, ", ") + ") "
	if engine == enginePostgres && live.always {
		// The backup's ids are the ids; GENERATED ALWAYS would refuse them.
		prefix += "OVERRIDING SYSTEM VALUE "
	}
	// Both engines allow tens of thousands of parameters per statement;
	// stay well below.
	per := max(1, min(500, 20000/len(cols)))
	return &inserter{tx: tx, engine: engine, e: e, prefix: prefix + "VALUES ", per: per}
}

func (in *inserter) add(ctx context.Context, vals []any) error {
	in.batch = append(in.batch, vals...)
	in.rows++
	if in.rows >= in.per {
		return in.flush(ctx)
	}
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(in.prefix)
	n := 0
	for r := 0; r < in.rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range in.e.Columns {
			if c > 0 {
				b.WriteByte(',')
			}
			n++
			if in.engine == enginePostgres {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	if _, err := in.tx.ExecContext(ctx, b.String(), in.batch...); err != nil {
		return fmt.Errorf("insert into %s (rows %d to %d): %w", in.e.Name, in.total+1, in.total+int64(in.rows), err)
	}
	in.total += int64(in.rows)
	in.batch, in.rows = in.batch[:0], 0
	return nil
}
