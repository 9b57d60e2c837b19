package backup

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// kind is the engine-neutral type of a column in the archive. The two
// engines declare the same column differently (uuid and TEXT, timestamptz
// and TIMESTAMP, jsonb and TEXT, boolean and an integer 0/1); the kind is
// what they have in common and decides the canonical encoding (value.go).
type kind string

const (
	kindText  kind = "text"
	kindInt   kind = "integer"
	kindFloat kind = "real"
	kindBool  kind = "boolean"
	kindTime  kind = "timestamp"
	kindBytes kind = "bytes"
	kindJSON  kind = "json"
)

func (k kind) valid() bool {
	switch k {
	case kindText, kindInt, kindFloat, kindBool, kindTime, kindBytes, kindJSON:
		return true
	}
	return false
}

// column is one column as the archive records it.
type column struct {
	Name string `json:"name"`
	Kind kind   `json:"kind"`

	// pgUUID asks for a ::text cast when reading, so PostgreSQL's uuid
	// arrives as the same lower-case text SQLite stores.
	pgUUID bool
	// pgText orders with COLLATE "C" (bytewise, like SQLite's BINARY), so
	// both engines list rows in the same order.
	pgText bool
}

// table is one application table: its columns in archive order, the key
// rows are ordered by, and the tables its foreign keys point to.
type table struct {
	Name    string
	Columns []column
	Key     []string
	parents []string
	// identity lists PostgreSQL columns backed by a sequence; always
	// marks GENERATED ALWAYS identities, which need OVERRIDING SYSTEM
	// VALUE to take the backup's values.
	identity []string
	always   bool
}

// excludedTable reports whether a table stays out of backups; the cases
// below say why.
func excludedTable(name string) bool {
	switch {
	case name == "goose_db_version":
		// The schema version is in the manifest; restore migrates the
		// target to it, which writes this table itself.
		return true
	case name == "backup_runs":
		// The history of backups of this database, not application data:
		// a restored database has not been backed up yet, and the
		// BackupTooOld alert should say so until it is.
		return true
	case strings.HasPrefix(name, "river_"):
		// The job queue's state (pending, running and finished jobs,
		// leader election). Restoring it would re-run or lose jobs
		// against data from another moment; the queue starts empty and
		// periodic jobs schedule themselves again.
		return true
	case strings.HasPrefix(name, "sqlite_"):
		return true
	}
	// Sessions, API tokens and the TLS certificate cache are kept on
	// purpose: users stay signed in across a restore or an engine move, and
	// replicas need not ask the CA for certificates again (its rate limits
	// could leave the site without HTTPS for days).
	return false
}

// engineOnlyColumns exist on one engine only and are not data:
// recipes.rid is SQLite's row key for the FTS5 index (the logical key is
// recipes.id, which both engines have). PostgreSQL's generated columns
// (the search tsvector) are skipped by their generated flag.
var engineOnlyColumns = map[string]bool{"recipes.rid": true}

// keyOverrides names the order key of tables whose primary key is an
// engine-only column.
var keyOverrides = map[string][]string{"recipes": {"id"}}

// sqliteJSONColumns are JSON documents that SQLite keeps as TEXT (its
// PostgreSQL twin is jsonb, which normalises spacing and key order), so
// both must be compared in one canonical form. A test checks this list
// against PostgreSQL's jsonb columns.
var sqliteJSONColumns = map[string]bool{
	"feature_flags.allow_users": true,
	"feature_flags.deny_users":  true,
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// introspect reads the application tables of the database behind q, in
// foreign-key order (parents first; ties by name).
func introspect(ctx context.Context, q queryer, engine string) ([]table, error) {
	names, err := tableNames(ctx, q, engine)
	if err != nil {
		return nil, err
	}
	var tables []table
	for _, n := range names {
		if excludedTable(n) {
			continue
		}
		var t table
		if engine == enginePostgres {
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

func tableNames(ctx context.Context, q queryer, engine string) ([]string, error) {
	query := `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name`
	if engine == enginePostgres {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	return strings1(ctx, q, query)
}

func strings1(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
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

func sqliteTable(ctx context.Context, q queryer, name string) (table, error) {
	t := table{Name: name}
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
		var k kind
		switch typ {
		case "TEXT":
			k = kindText
			if sqliteJSONColumns[name+"."+col] {
				k = kindJSON
			}
		case "INTEGER":
			k = kindInt
		case "REAL":
			k = kindFloat
		case "BOOLEAN":
			k = kindBool
		case "TIMESTAMP":
			k = kindTime
		case "BLOB":
			k = kindBytes
		default:
			return t, fmt.Errorf("column %s.%s has type %s, which the backup format does not know", name, col, typ)
		}
		t.Columns = append(t.Columns, column{Name: col, Kind: k})
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	rows.Close()
	slices.SortFunc(pk, func(a, b pkcol) int { return a.pos - b.pos })
	for _, p := range pk {
		t.Key = append(t.Key, p.name)
	}
	if t.parents, err = strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
		return t, err
	}
	return t, finishKey(&t)
}

func pgTable(ctx context.Context, q queryer, name string) (table, error) {
	t := table{Name: name}
	rows, err := q.QueryContext(ctx, `
		SELECT column_name, data_type, is_generated, is_identity, coalesce(identity_generation, ''),
		       pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1
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
		c := column{Name: col}
		switch typ {
		case "text", "character varying":
			c.Kind, c.pgText = kindText, true
		case "uuid":
			c.Kind, c.pgUUID = kindText, true
		case "integer", "bigint", "smallint":
			c.Kind = kindInt
		case "double precision", "real":
			c.Kind = kindFloat
		case "boolean":
			c.Kind = kindBool
		case "timestamp with time zone":
			c.Kind = kindTime
		case "bytea":
			c.Kind = kindBytes
		case "jsonb", "json":
			c.Kind = kindJSON
		default:
			return t, fmt.Errorf("column %s.%s has type %s, which the backup format does not know", name, col, typ)
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
		WHERE i.indrelid = quote_ident($1)::regclass AND i.indisprimary
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, name); err != nil {
		return t, err
	}
	if t.parents, err = strings1(ctx, q, `
		SELECT DISTINCT c.relname FROM pg_constraint f JOIN pg_class c ON c.oid = f.confrelid
		WHERE f.conrelid = quote_ident($1)::regclass AND f.contype = 'f'`, name); err != nil {
		return t, err
	}
	return t, finishKey(&t)
}

// finishKey applies keyOverrides and checks that rows can be ordered by
// columns the archive has.
func finishKey(t *table) error {
	if k, ok := keyOverrides[t.Name]; ok {
		t.Key = slices.Clone(k)
	}
	if len(t.Key) == 0 {
		return fmt.Errorf("table %s has no primary key; the backup cannot order its rows", t.Name)
	}
	for _, k := range t.Key {
		if t.column(k) == nil {
			return fmt.Errorf("table %s: key column %s is not backed up", t.Name, k)
		}
	}
	return nil
}

func (t *table) column(name string) *column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// fkOrder sorts tables so that every table comes after the tables it
// references (self-references aside), alphabetically among equals, so
// restore can insert them in this order with foreign keys enforced.
func fkOrder(tables []table) ([]table, error) {
	byName := map[string]table{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	done := map[string]bool{}
	var out []table
	for len(out) < len(tables) {
		progressed := false
		for _, t := range tables { // tables are sorted by name
			if done[t.Name] {
				continue
			}
			ready := true
			for _, p := range t.parents {
				if _, known := byName[p]; known && p != t.Name && !done[p] {
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
			return nil, fmt.Errorf("foreign keys form a cycle among the tables; cannot order them for restore")
		}
	}
	return out, nil
}

// quoteIdent quotes an identifier the same way on both engines. Names
// come from the schema or a validated manifest, never from elsewhere.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
