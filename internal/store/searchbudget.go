package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrSearchTimeout means a search used up its time budget and was
// stopped; the database is no longer working on it. It is the search's
// answer, not a fault: the caller says "try again" (503 with Retry-After).
var ErrSearchTimeout = errors.New("the search took too long")

// DefaultSearchTimeout is a search's time budget unless Options say
// otherwise. Searches at 100 000 recipes take tens of milliseconds; one
// that needs seconds is pathological, and waiting longer would only let a
// few of them hold every connection.
const DefaultSearchTimeout = 2 * time.Second

// RankedMatches is how many of a search's matches, the newest it may
// show, are ranked by relevance (filter.bound): ten pages of twenty. An
// engine reads them along its newest-first index (on PostgreSQL from a
// window of the newest recipes, filter.windowed), so the work stays about
// the same whatever the collection's size instead of growing with the
// number of matches (a common word matches one recipe in twenty).
const RankedMatches = 200

// SearchRetryAfter is how long a caller whose search ran out of time is
// asked to wait (Retry-After): long enough for a burst of heavy searches
// to pass.
const SearchRetryAfter = 5 * time.Second

// searchBudget is how long a search may take.
type searchBudget struct {
	timeout time.Duration
	// countCap is where a browse stops counting (CountCap).
	countCap int
	// ranked is how many of a search's matches, the newest, are ranked
	// (filter.bound; RankedMatches).
	ranked int
	// prelude, when set (tests only), runs inside the search's bounds
	// before it, to make a search slow on demand.
	prelude string
}

func newSearchBudget(d time.Duration) searchBudget {
	if d <= 0 {
		d = DefaultSearchTimeout
	}
	return searchBudget{timeout: d, countCap: CountCap, ranked: RankedMatches}
}

// errBudgetSpent is the cause of a search context that ran out of time,
// telling it apart from a caller that went away.
var errBudgetSpent = errors.New("search time budget spent")

// withinSearchBudget runs read, a replica-tolerant search, within the
// budget. Its context carries the deadline, which stops the running
// statement on both engines (pgx sends PostgreSQL a cancel request; SQLite
// is interrupted). On PostgreSQL the search also runs in a read-only
// transaction with statement_timeout set to what is left of the budget, so
// the server stops by itself even if the cancel request is lost. An
// overrun is reported as ErrSearchTimeout.
func (s *Store) withinSearchBudget(ctx context.Context, read func(ctx context.Context, q conn) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, s.search.timeout, errBudgetSpent)
	defer cancel()
	err := s.fromReplica(ctx, func(q conn) error {
		err := s.d.bounded(ctx, q, func(q conn) error {
			if s.search.prelude != "" {
				if _, err := q.ExecContext(ctx, s.search.prelude); err != nil {
					return err
				}
			}
			return read(ctx, q)
		})
		if err != nil && parent.Err() == nil && (context.Cause(ctx) == errBudgetSpent || s.d.isCancelled(err)) {
			// The verdict on this search, not on the database: a replica
			// is not taken out of rotation for it (isAnswer).
			return fmt.Errorf("%w (budget %s): %w", ErrSearchTimeout, s.search.timeout, err)
		}
		return err
	})
	return err
}

type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// bounded runs fn in a read-only transaction whose statements may run no
// longer than ctx's deadline allows.
func (postgresDialect) bounded(ctx context.Context, c conn, fn func(conn) error) error {
	db, ok := c.q.(txBeginner)
	if !ok {
		return fn(c)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin search: %w", err)
	}
	defer tx.Rollback()
	tc := conn{q: tx, d: c.d}
	// A search's best plan depends on its words: a common word is found
	// fastest by walking the newest-first index until the ranked bound is
	// met, a rare one by its GIN posting list. Statements are prepared
	// and cached per connection, and after a few runs PostgreSQL may
	// switch to a generic plan that cannot see the words, guesses a
	// selectivity, and reads every match of a common word; so a search
	// plans each statement for its own arguments.
	set, args := "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)", []any{}
	if deadline, ok := ctx.Deadline(); ok {
		// 0 would mean no limit at all.
		ms := max(time.Until(deadline).Milliseconds(), 1)
		set, args = set+", set_config('statement_timeout', ?, true)", []any{strconv.FormatInt(ms, 10)}
	}
	if _, err := tc.ExecContext(ctx, set, args...); err != nil {
		return fmt.Errorf("bound search: %w", err)
	}
	if err := fn(tc); err != nil {
		return err
	}
	return tx.Commit()
}

// isCancelled reports a statement PostgreSQL stopped: statement_timeout or
// a cancel request (query_canceled).
func (postgresDialect) isCancelled(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "57014"
}

// bounded needs no transaction on SQLite: the context's deadline
// interrupts the statement, and a transaction would take the write lock
// (the pool begins IMMEDIATE transactions).
func (sqliteDialect) bounded(_ context.Context, c conn, fn func(conn) error) error {
	return fn(c)
}

func (sqliteDialect) isCancelled(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_INTERRUPT
}
