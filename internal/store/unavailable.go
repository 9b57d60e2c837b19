package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrUnavailable marks a failure the store has already classified as "the
// database cannot be reached right now" (a transaction that could not
// begin). IsUnavailable recognises it along with the drivers' own errors.
var ErrUnavailable = errors.New("database unavailable")

// unavailableError wraps a driver error that IsUnavailable recognised, so
// that errors.Is(err, ErrUnavailable) holds and the cause stays inspectable.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string   { return e.err.Error() }
func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// IsUnavailable reports whether err means the database is unreachable,
// restarting or too busy to answer in time — a condition that passes on
// its own, which callers answer with 503 and Retry-After rather than 500.
// It is the one place that knows how each engine and driver says so:
//
//   - the network: refused, reset or broken connections, dial failures and
//     timeouts (net.Error, ECONNREFUSED, ECONNRESET, EPIPE, an EOF halfway
//     through a message);
//   - pgx: a failed connection attempt (*pgconn.ConnectError, which also
//     covers a connect timeout), a connection closed under a query;
//   - PostgreSQL: SQLSTATE class 08 (connection exceptions), 57P01–57P03
//     (administrator, crash or fast shutdown; cannot connect now, as while
//     starting up or in recovery) and 53300 (too many connections);
//   - database/sql: driver.ErrBadConn;
//   - SQLite: SQLITE_BUSY or SQLITE_LOCKED once busy_timeout has run out;
//   - the store itself: a transaction that could not begin (ErrUnavailable).
//
// A context cancelled or timed out by the caller is not an outage and is
// left to the caller, except inside a connection attempt, where a timeout
// means the server did not answer.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, pgconn.ErrConnClosed) {
		return true
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		code := sqliteErr.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}
