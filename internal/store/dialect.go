package store

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the seam between the one set of queries the store writes and
// the two engines it runs on. Queries are written once with '?'
// placeholders in the SQL both engines share; the dialect covers only what
// genuinely differs: placeholders, how times are stored, full-text search,
// and how errors are reported.
type dialect interface {
	name() string
	// rebind rewrites '?' placeholders into the engine's form.
	rebind(query string) string
	// arg converts a Go value into the engine's representation.
	arg(v any) any
	// isUniqueViolation reports whether err is a unique-constraint failure.
	isUniqueViolation(err error) bool
	// isForeignKeyViolation reports whether err is a row pointing at a
	// missing parent.
	isForeignKeyViolation(err error) bool
	// isBusy reports whether err is a transient lock/serialisation failure
	// worth retrying.
	isBusy(err error) bool
	// jsonArray aggregates expr, in the order of order, into a JSON array,
	// "[]" when there are no rows: how a recipe's parts and a page's
	// labels and photos come back with the row they belong to, in one
	// statement instead of one per part.
	jsonArray(expr, order string) string
	// jsonObject builds a JSON object from alternating key names (plain
	// words, written into the SQL) and SQL expressions.
	jsonObject(pairs ...string) string
	// jsonColumn reads a text column that holds JSON as JSON, so that it
	// nests in jsonObject as a value rather than as a string.
	jsonColumn(expr string) string
	// eachRowOf joins to every row before it the rows of table (as alias)
	// that cond, which refers to that row, matches: an index probe per
	// row, where a plain join may let PostgreSQL scan all of table.
	eachRowOf(table, alias, cond string) string
	// columnsAfterLimit reports whether a sorted, limited query must
	// compute its costly columns (correlated subselects) in an outer
	// query over the limited rows to compute them for those rows only.
	columnsAfterLimit() bool
	search
}

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

// rebind turns each '?' into $1, $2, …. The store's SQL never contains a
// literal question mark, so no quoting rules are needed.
func (postgresDialect) rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (postgresDialect) arg(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.UTC()
	}
	return v
}

func (postgresDialect) isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

func (postgresDialect) isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

func (postgresDialect) isBusy(err error) bool {
	var pgErr *pgconn.PgError
	// serialization_failure and deadlock_detected
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

func (postgresDialect) jsonArray(expr, order string) string {
	return "COALESCE(json_agg(" + expr + " ORDER BY " + order + "), '[]'::json)"
}

func (postgresDialect) jsonObject(pairs ...string) string {
	return "json_build_object(" + jsonPairs(pairs) + ")"
}

func (postgresDialect) jsonColumn(expr string) string { return "(" + expr + ")::json" }

// eachRowOf is a LATERAL subquery that OFFSET 0 keeps the planner from
// flattening into a join: joined to the facets' sample of 1 000 recipes,
// a join of recipe_categories was estimated cheaper as a hash join over
// the whole table (82 000 rows at 100 000 recipes) than as 1 000 index
// probes, and took several times longer (docs/architecture.md, "Counts,
// facets and snippets").
func (postgresDialect) eachRowOf(table, alias, cond string) string {
	return "CROSS JOIN LATERAL (SELECT * FROM " + table + " " + alias + " WHERE " + cond + " OFFSET 0) " + alias
}

// columnsAfterLimit is false: PostgreSQL itself postpones costly output
// columns past the sort of a query with a LIMIT (the plan's SubPlans run
// once per returned row), and an outer query would make the page's order
// rest on the subquery's, which SQL does not promise.
func (postgresDialect) columnsAfterLimit() bool { return false }

type sqliteDialect struct{}

// columnsAfterLimit is true: SQLite's sorter computes a row's columns as
// the row enters the top-N, which with an unindexed order (a search's
// rank) is many more rows than the page. A subquery with LIMIT and OFFSET
// is never flattened into its outer query and runs as a co-routine, so the
// outer query sees the rows in the page's order.
func (sqliteDialect) columnsAfterLimit() bool { return true }

// json_group_array takes an ORDER BY since SQLite 3.44; without one the
// order of an aggregate's input is unspecified.
func (sqliteDialect) jsonArray(expr, order string) string {
	return "json_group_array(" + expr + " ORDER BY " + order + ")"
}

func (sqliteDialect) jsonObject(pairs ...string) string {
	return "json_object(" + jsonPairs(pairs) + ")"
}

func (sqliteDialect) jsonColumn(expr string) string { return "json(" + expr + ")" }

// eachRowOf is a CROSS JOIN, which SQLite never reorders: the row before
// it stays the outer loop and the table is probed through its index. As
// a plain join, SQLite chose to walk the whole link table in label order
// (saving the GROUP BY a sort) and look each link up in the sample: every
// one of 250 000 tag links at 100 000 recipes, on every browse page.
func (sqliteDialect) eachRowOf(table, alias, cond string) string {
	return "CROSS JOIN " + table + " " + alias + " ON " + cond
}

// jsonPairs writes key, value, key, value… for the JSON object builders;
// keys are the program's own words, quoted here.
func jsonPairs(pairs []string) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteString(", ")
		}
		if i%2 == 0 {
			b.WriteString("'" + p + "'")
		} else {
			b.WriteString(p)
		}
	}
	return b.String()
}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) rebind(query string) string { return query }

// sqliteTimeFormat is fixed-width so that times compare correctly as text,
// which is how SQLite orders and filters them. The driver parses it back
// into time.Time for columns declared TIMESTAMP.
const sqliteTimeFormat = "2006-01-02T15:04:05.000000Z"

func (sqliteDialect) arg(v any) any {
	switch t := v.(type) {
	case time.Time:
		return t.UTC().Format(sqliteTimeFormat)
	case *time.Time:
		if t == nil {
			return nil
		}
		return t.UTC().Format(sqliteTimeFormat)
	}
	return v
}

func (sqliteDialect) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func (sqliteDialect) isForeignKeyViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (sqliteDialect) isBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED
}
