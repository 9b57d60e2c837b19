package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// The catalog describes the database's tables engine-neutrally, for work
// on the database as a whole (backup, restore, verification) that must not
// branch on the engine itself.

// ColumnKind is the engine-neutral type of a column. The two engines
// declare the same column differently (uuid and TEXT, timestamptz and
// TIMESTAMP, jsonb and TEXT, boolean and an integer 0/1); the kind is what
// they have in common.
type ColumnKind string

// The column kinds. Their names are written into backup manifests: never
// rename one.
const (
	KindText      ColumnKind = "text"
	KindInteger   ColumnKind = "integer"
	KindReal      ColumnKind = "real"
	KindBoolean   ColumnKind = "boolean"
	KindTimestamp ColumnKind = "timestamp"
	KindBytes     ColumnKind = "bytes"
	KindJSON      ColumnKind = "json"
)

// Valid reports whether k is one of the kinds above.
func (k ColumnKind) Valid() bool {
	switch k {
	case KindText, KindInteger, KindReal, KindBoolean, KindTimestamp, KindBytes, KindJSON:
		return true
	}
	return false
}

// Column is one data column of a table.
type Column struct {
	Name string
	Kind ColumnKind

	// uuid asks for a ::text cast when reading, so PostgreSQL's uuid
	// arrives as the same lower-case text SQLite stores.
	uuid bool
	// text orders with COLLATE "C" on PostgreSQL (bytewise, like SQLite's
	// BINARY), so both engines list rows in the same order.
	text bool
}

// Table is one table: its data columns in the database's order, the key
// its rows are listed by, and the tables its foreign keys point to.
type Table struct {
	Name    string
	Columns []Column
	Key     []string
	Parents []string

	// identity lists PostgreSQL columns backed by a sequence; always marks
	// GENERATED ALWAYS identities, which need OVERRIDING SYSTEM VALUE to
	// take given values.
	identity []string
	always   bool
}

// Column returns the column called name.
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// WithColumns returns t listing exactly cols (by name, in that order, with
// this database's reading details for each) and ordered by key: the shape
// of the same table recorded elsewhere, such as in a backup. A name t does
// not have keeps the kind given.
func (t Table) WithColumns(cols []Column, key []string) Table {
	out := t
	out.Columns = make([]Column, len(cols))
	for i, c := range cols {
		if lc, ok := t.Column(c.Name); ok {
			c.uuid, c.text = lc.uuid, lc.text
		}
		out.Columns[i] = c
	}
	out.Key = slices.Clone(key)
	return out
}

// engineOnlyColumns exist on one engine only and are not data:
// recipes.rid is SQLite's row key for the FTS5 index (the logical key is
// recipes.id, which both engines have). PostgreSQL's generated columns
// (the search tsvector) are left out by their generated flag.
var engineOnlyColumns = map[string]bool{"recipes.rid": true}

// keyOverrides names the listing key of tables whose primary key is an
// engine-only column.
var keyOverrides = map[string][]string{"recipes": {"id"}}

// sqliteJSONColumns are JSON documents that SQLite keeps as TEXT (the
// PostgreSQL twin is jsonb). A backup test checks this list against
// PostgreSQL's jsonb columns.
var sqliteJSONColumns = map[string]bool{
	"feature_flags.allow_users": true,
	"feature_flags.deny_users":  true,
}

// internalTable reports whether a table is bookkeeping rather than the
// application's data: the engine's own (SQLite's sqlite_*), the schema
// version (goose_db_version), the job queue's (river_*, whose types
// have no engine-neutral kind) and PostgreSQL's search window
// (search_window*, migration 28: derived from recipes by a trigger as
// they are written or restored, and trimmed by the server). The catalog
// never lists them.
func internalTable(name string) bool {
	return strings.HasPrefix(name, "sqlite_") || strings.HasPrefix(name, "river_") || name == "goose_db_version" ||
		strings.HasPrefix(name, "search_window")
}

// Tables describes the application's tables in foreign-key order (parents
// first, ties by name), leaving out those skip names (nil skips none) and
// the bookkeeping tables (internalTable).
func (s *Store) Tables(ctx context.Context, skip func(table string) bool) ([]Table, error) {
	return catalog(ctx, s.read(), skip)
}

// catalog reads the tables of the database behind q.
func catalog(ctx context.Context, q conn, skip func(string) bool) ([]Table, error) {
	names, err := tableNames(ctx, q)
	if err != nil {
		return nil, err
	}
	var tables []Table
	for _, n := range names {
		if internalTable(n) || (skip != nil && skip(n)) {
			continue
		}
		var t Table
		if q.d.name() == "postgres" {
			t, err = pgTable(ctx, q, n)
		} else {
			t, err = sqliteTable(ctx, q, n)
		}
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return fkOrder(tables)
}

func tableNames(ctx context.Context, q conn) ([]string, error) {
	query := `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name`
	if q.d.name() == "postgres" {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	return strings1(ctx, q, query)
}

func strings1(ctx context.Context, q conn, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read schema: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func sqliteTable(ctx context.Context, q conn, name string) (Table, error) {
	t := Table{Name: name}
	rows, err := q.QueryContext(ctx, `SELECT name, upper(type), pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid`, name)
	if err != nil {
		return t, fmt.Errorf("read columns of %s: %w", name, err)
	}
	defer rows.Close()
	type pkcol struct {
		name string
		pos  int
	}
	var pk []pkcol
	for rows.Next() {
		var col, typ string
		var pkPos, hidden int
		if err := rows.Scan(&col, &typ, &pkPos, &hidden); err != nil {
			return t, fmt.Errorf("read columns of %s: %w", name, err)
		}
		if pkPos > 0 {
			pk = append(pk, pkcol{col, pkPos})
		}
		if hidden != 0 || engineOnlyColumns[name+"."+col] {
			continue
		}
		var k ColumnKind
		switch typ {
		case "TEXT":
			k = KindText
			if sqliteJSONColumns[name+"."+col] {
				k = KindJSON
			}
		case "INTEGER":
			k = KindInteger
		case "REAL":
			k = KindReal
		case "BOOLEAN":
			k = KindBoolean
		case "TIMESTAMP":
			k = KindTimestamp
		case "BLOB":
			k = KindBytes
		default:
			return t, fmt.Errorf("column %s.%s has type %s, which has no engine-neutral kind", name, col, typ)
		}
		t.Columns = append(t.Columns, Column{Name: col, Kind: k})
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	rows.Close()
	slices.SortFunc(pk, func(a, b pkcol) int { return a.pos - b.pos })
	for _, p := range pk {
		t.Key = append(t.Key, p.name)
	}
	if t.Parents, err = strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
		return t, err
	}
	return t, finishKey(&t)
}

func pgTable(ctx context.Context, q conn, name string) (Table, error) {
	t := Table{Name: name}
	rows, err := q.QueryContext(ctx, `
		SELECT column_name, data_type, is_generated, is_identity, coalesce(identity_generation, ''),
		       pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ?
		ORDER BY ordinal_position`, name)
	if err != nil {
		return t, fmt.Errorf("read columns of %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var col, typ, generated, isIdentity, identityGen string
		var hasSeq bool
		if err := rows.Scan(&col, &typ, &generated, &isIdentity, &identityGen, &hasSeq); err != nil {
			return t, fmt.Errorf("read columns of %s: %w", name, err)
		}
		if generated == "ALWAYS" || engineOnlyColumns[name+"."+col] {
			continue
		}
		c := Column{Name: col}
		switch typ {
		case "text", "character varying":
			c.Kind, c.text = KindText, true
		case "uuid":
			c.Kind, c.uuid = KindText, true
		case "integer", "bigint", "smallint":
			c.Kind = KindInteger
		case "double precision", "real":
			c.Kind = KindReal
		case "boolean":
			c.Kind = KindBoolean
		case "timestamp with time zone":
			c.Kind = KindTimestamp
		case "bytea":
			c.Kind = KindBytes
		case "jsonb", "json":
			c.Kind = KindJSON
		default:
			return t, fmt.Errorf("column %s.%s has type %s, which has no engine-neutral kind", name, col, typ)
		}
		if hasSeq {
			t.identity = append(t.identity, col)
		}
		if identityGen == "ALWAYS" {
			t.always = true
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	rows.Close()
	if t.Key, err = strings1(ctx, q, `
		SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		WHERE i.indrelid = quote_ident(?)::regclass AND i.indisprimary
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, name); err != nil {
		return t, err
	}
	if t.Parents, err = strings1(ctx, q, `
		SELECT DISTINCT c.relname FROM pg_constraint f JOIN pg_class c ON c.oid = f.confrelid
		WHERE f.conrelid = quote_ident(?)::regclass AND f.contype = 'f'`, name); err != nil {
		return t, err
	}
	return t, finishKey(&t)
}

// finishKey applies keyOverrides and checks that rows can be listed by
// data columns.
func finishKey(t *Table) error {
	if k, ok := keyOverrides[t.Name]; ok {
		t.Key = slices.Clone(k)
	}
	if len(t.Key) == 0 {
		return fmt.Errorf("table %s has no primary key; its rows have no order", t.Name)
	}
	for _, k := range t.Key {
		if _, ok := t.Column(k); !ok {
			return fmt.Errorf("table %s: key column %s is not a data column", t.Name, k)
		}
	}
	return nil
}

// fkOrder sorts tables so that every table comes after the tables it
// references (self-references aside), alphabetically among equals, so
// they can be filled in this order with foreign keys enforced.
func fkOrder(tables []Table) ([]Table, error) {
	byName := map[string]bool{}
	for _, t := range tables {
		byName[t.Name] = true
	}
	done := map[string]bool{}
	var out []Table
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables { // tables are sorted by name
			if done[t.Name] {
				continue
			}
			ready := true
			for _, p := range t.Parents {
				if byName[p] && p != t.Name && !done[p] {
					ready = false
				}
			}
			if ready {
				done[t.Name] = true
				out = append(out, t)
				progressed = true
				break
			}
		}
		if !progressed {
			return nil, fmt.Errorf("foreign keys form a cycle among the tables; they cannot be ordered")
		}
	}
	return out, nil
}

// quoteIdent quotes an identifier the same way on both engines. Names
// come from the schema or a validated manifest, never from elsewhere.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
