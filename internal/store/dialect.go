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
	// isBusy reports whether err is a transient lock/serialisation failure
	// worth retrying.
	isBusy(err error) bool
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

func (postgresDialect) isBusy(err error) bool {
	var pgErr *pgconn.PgError
	// serialization_failure and deadlock_detected
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

type sqliteDialect struct{}

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

func (sqliteDialect) isBusy(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code()&0xff == sqlite3.SQLITE_BUSY || e.Code()&0xff == sqlite3.SQLITE_LOCKED
}
