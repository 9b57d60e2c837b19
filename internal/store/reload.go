package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/riverqueue/river/rivermigrate"
)

// ReloadOptions say what Reload does besides migrating.
type ReloadOptions struct {
	// Skip names the tables that are not the data being reloaded (the
	// schema version, the job queue, …): never emptied, never listed to
	// the callback. nil skips none.
	Skip func(table string) bool
	// Empty deletes every row of every table Skip leaves in before
	// anything else.
	Empty bool
}

// Reload replaces the database's data in one transaction: it optionally
// empties the tables, brings the schema to exactly version (up or down),
// lets fill insert rows, moves PostgreSQL's sequences past the inserted
// keys, and commits. Everything, the migrations included, commits
// together or not at all: a failure anywhere, a cancelled context or a
// killed process leaves the database exactly as it was (on PostgreSQL
// with one exception, see riverAhead). Both engines' DDL is
// transactional; the migrations run inside the transaction under the same
// lock `migrate` takes, so a replica starting meanwhile waits.
func (s *Store) Reload(ctx context.Context, version int64, opt ReloadOptions, fill func(ctx context.Context, l *Load) error) (err error) {
	target, err := s.targetVersion()
	if err != nil {
		return err
	}
	if version < 0 || version > target {
		return fmt.Errorf("schema version %d is unknown to this build (newest %d)", version, target)
	}
	if err := s.riverAhead(ctx, version); err != nil {
		return err
	}
	tx, err := s.beginWhole(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.rollback(ctx)
		}
	}()
	if opt.Empty {
		tables, err := catalog(ctx, tx.q, opt.Skip)
		if err != nil {
			return err
		}
		for _, t := range slices.Backward(tables) {
			if _, err := tx.q.ExecContext(ctx, "DELETE FROM "+quoteIdent(t.Name)); err != nil {
				return fmt.Errorf("empty table %s: %w", t.Name, err)
			}
		}
	}
	if err := s.migrateWithin(ctx, tx, version); err != nil {
		return fmt.Errorf("bring the database to schema version %d: %w", version, err)
	}
	tables, err := catalog(ctx, tx.q, opt.Skip)
	if err != nil {
		return err
	}
	if err := fill(ctx, &Load{q: tx.q, tables: tables}); err != nil {
		return err
	}
	if s.d.name() == "postgres" {
		if err := resetSequences(ctx, tx.q, tables); err != nil {
			return err
		}
	}
	return tx.commit(ctx)
}

// riverAhead creates river's tables before the transaction on PostgreSQL
// when the reload migrates past the job-queue migration. PostgreSQL (up to
// 16 at least) refuses to use an enum value in the transaction that added
// it, and river's migrations add one to its job-state type and use it, so
// they cannot run inside Reload's transaction. They run first, in river's
// own transactions: the tables hold no reloaded data, a failed reload
// leaves them there empty, and the next `migrate up` or reload finds river
// current and only records the migration.
func (s *Store) riverAhead(ctx context.Context, version int64) error {
	if s.d.name() != "postgres" || version < riverQueueMigration {
		return nil
	}
	cur, _, err := s.SchemaVersion(ctx)
	if err != nil || cur >= riverQueueMigration {
		return err
	}
	return s.migrateRiver(ctx, rivermigrate.DirectionUp, RiverSchemaVersion)
}

// resetSequences moves every identity and serial sequence past the
// inserted keys, so the next insert does not collide with a reloaded row.
func resetSequences(ctx context.Context, q conn, tables []Table) error {
	for _, t := range tables {
		for _, c := range t.identity {
			query := "SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(" + quoteIdent(c) + "), 0) + 1, false) FROM " + quoteIdent(t.Name)
			if _, err := q.ExecContext(ctx, query, quoteIdent(t.Name), c); err != nil {
				return fmt.Errorf("reset the sequence of %s.%s: %w", t.Name, c, err)
			}
		}
	}
	return nil
}

// Load is the transaction Reload hands to its fill function.
type Load struct {
	q      conn
	tables []Table
}

// Tables describes the tables at the reloaded schema version, in
// foreign-key order, without those ReloadOptions.Skip names.
func (l *Load) Tables() []Table { return l.tables }

// Inserter batches rows into t (whose Columns say which columns the
// values fill, in order; see Table.WithColumns).
func (l *Load) Inserter(t Table) *Inserter {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c.Name)
	}
	prefix := "INSERT INTO " + quoteIdent(t.Name) + " (" + strings.Join(cols, ", ") + ") "
	if l.q.d.name() == "postgres" && t.always {
		// The given ids are the ids; GENERATED ALWAYS would refuse them.
		prefix += "OVERRIDING SYSTEM VALUE "
	}
	// Both engines allow tens of thousands of parameters per statement;
	// stay well below.
	per := max(1, min(500, 20000/max(1, len(cols))))
	return &Inserter{q: l.q, t: t, prefix: prefix + "VALUES ", per: per}
}

// Inserter writes rows of one table in multi-row INSERTs.
type Inserter struct {
	q      conn
	t      Table
	prefix string
	per    int
	batch  []any
	rows   int
	total  int64
}

// Add queues one row: engine-neutral Go values (string, int64, float64,
// bool, time.Time, []byte, nil) in the Inserter's column order.
func (in *Inserter) Add(ctx context.Context, vals []any) error {
	if len(vals) != len(in.t.Columns) {
		return fmt.Errorf("insert into %s: %d values for %d columns", in.t.Name, len(vals), len(in.t.Columns))
	}
	in.batch = append(in.batch, vals...)
	in.rows++
	if in.rows >= in.per {
		return in.Flush(ctx)
	}
	return nil
}

// Flush writes the queued rows.
func (in *Inserter) Flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	row := "(" + strings.Repeat("?,", len(in.t.Columns)-1) + "?)"
	var b strings.Builder
	b.WriteString(in.prefix)
	for r := range in.rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	if _, err := in.q.ExecContext(ctx, b.String(), in.batch...); err != nil {
		return fmt.Errorf("insert into %s (rows %d to %d): %w", in.t.Name, in.total+1, in.total+int64(in.rows), err)
	}
	in.total += int64(in.rows)
	in.batch, in.rows = in.batch[:0], 0
	return nil
}

// Total is how many rows were written so far.
func (in *Inserter) Total() int64 { return in.total }
