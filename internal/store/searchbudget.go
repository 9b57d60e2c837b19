package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
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
// is interrupted). On PostgreSQL the search also runs on a session of the
// search pool, read-only and with statement_timeout at the budget, so the
// server stops by itself even if the cancel request is lost. An overrun
// is reported as ErrSearchTimeout.
func (s *Store) withinSearchBudget(ctx context.Context, read func(ctx context.Context, q conn) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeoutCause(ctx, s.search.timeout, errBudgetSpent)
	defer cancel()
	_, err := s.routeReadOn(ctx, true, func(q conn) error {
		var err error
		if s.search.prelude != "" {
			_, err = q.ExecContext(ctx, s.search.prelude)
		}
		if err == nil {
			err = read(ctx, q)
		}
		if err != nil && parent.Err() == nil && (context.Cause(ctx) == errBudgetSpent || s.d.isCancelled(err)) {
			// The verdict on this search, not on the database: a replica
			// is not taken out of rotation for it (isAnswer).
			return fmt.Errorf("%w (budget %s): %w", ErrSearchTimeout, s.search.timeout, err)
		}
		return err
	})
	return err
}

// searchPool is a small pool of PostgreSQL sessions set up once for
// searches: read-only, statement_timeout at the search budget, and each
// statement planned for its own words (plan_cache_mode below). Setting
// that up per search took a transaction: BEGIN, a set_config and COMMIT,
// three round trips around every search and browse page, a fifth of a
// browse page's CPU. Its connections are a quarter of the database's
// (takeSearchConns), so heavy searches queue among themselves and leave
// the rest to everything else, and a process still opens no more than
// the configured number in all (the deployment's max_connections sums).
type searchPool struct {
	db   *sql.DB
	pool *pgxpool.Pool
}

// takeSearchConns takes the search pool's share out of cfg's connections
// and returns it: a quarter, at least one, leaving the main pool one.
func takeSearchConns(cfg *pgxpool.Config) int32 {
	n := max(cfg.MaxConns/4, 1)
	if cfg.MaxConns-n < 1 {
		return n
	}
	cfg.MaxConns -= n
	cfg.MinConns = min(cfg.MinConns, cfg.MaxConns)
	return n
}

func openSearchPool(base *pgxpool.Config, conns int32, timeout time.Duration) (*searchPool, error) {
	if timeout <= 0 {
		timeout = DefaultSearchTimeout
	}
	cfg := base.Copy()
	cfg.MaxConns = conns
	cfg.MinConns = 0
	// A search's best plan depends on its words: a common word is found
	// fastest by walking the newest-first index until the ranked bound is
	// met, a rare one by its GIN posting list. Statements are prepared
	// and cached per connection, and after a few runs PostgreSQL may
	// switch to a generic plan that cannot see the words, guesses a
	// selectivity, and reads every match of a common word; so a search
	// plans each statement for its own arguments.
	set := fmt.Sprintf("SET plan_cache_mode = force_custom_plan; SET statement_timeout = %d; SET default_transaction_read_only = on",
		max(timeout.Milliseconds(), 1))
	after := base.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if after != nil {
			if err := after(ctx, c); err != nil {
				return err
			}
		}
		_, err := c.Exec(ctx, set)
		return err
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	return &searchPool{db: stdlib.OpenDBFromPool(pool), pool: pool}, nil
}

// conn is a search's connection: the pool's, or other as it is on
// SQLite, which has no pool and needs none: the context's deadline
// interrupts the statement.
func (p *searchPool) conn(d dialect, other conn) conn {
	if p == nil {
		return other
	}
	return conn{q: p.db, d: d}
}

func (p *searchPool) close() {
	if p == nil {
		return
	}
	_ = p.db.Close()
	p.pool.Close()
}

// isCancelled reports a statement PostgreSQL stopped: statement_timeout or
// a cancel request (query_canceled).
func (postgresDialect) isCancelled(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "57014"
}

func (sqliteDialect) isCancelled(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_INTERRUPT
}
