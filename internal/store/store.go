// Package store is the one persistence layer of RecCollection. It runs the
// same queries on embedded SQLite (the default) and on PostgreSQL
// (production), with the differences confined to a small dialect seam; see
// dialect.go and docs/architecture.md.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Errors the store reports for conditions a caller must tell apart.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict is a unique-constraint violation; ConflictError names the field.
	ErrConflict = errors.New("conflict")
)

// ConflictError says which unique field clashed (for example "username").
type ConflictError struct{ Field string }

func (e *ConflictError) Error() string { return e.Field + " is already taken" }
func (e *ConflictError) Unwrap() error { return ErrConflict }

// querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ConnectTimeout bounds one attempt to connect to PostgreSQL when
// DATABASE_URL sets no connect_timeout.
const ConnectTimeout = 5 * time.Second

// Store is safe for concurrent use.
type Store struct {
	db *sql.DB
	d  dialect
	// pool is kept for PostgreSQL so Close can release it; nil on SQLite.
	pool *pgxpool.Pool
	// searches is the PostgreSQL pool whose sessions bound a search
	// (searchPool, searchbudget.go); nil on SQLite.
	searches *searchPool
	// replicas serve the lag-tolerant reads (replica.go); empty without
	// DATABASE_REPLICA_URLS.
	replicas replicaSet
	now      func() time.Time
	// search bounds every search's time (searchbudget.go).
	search searchBudget
	// mediaBase and blobsFreed are set by the app for photos (photos.go).
	mediaBase  string
	blobsFreed func(keys []string)
	// stats counts statements and their time (querystats.go).
	stats *queryStats
	// collectionCaps are the caps on collections (collections.go).
	collectionCaps collectionCaps
	// hooks announce notifications and new recipes after their commit
	// (notifications.go).
	hooks Hooks
}

// Options say where the database is.
type Options struct {
	// DatabaseURL selects PostgreSQL when set (postgres://…).
	DatabaseURL string
	// SQLitePath is the database file used when DatabaseURL is empty.
	SQLitePath string
	// MaxOpenConns bounds the connections to PostgreSQL, and to each
	// replica, searches' included (searchPool); 0 means 20.
	MaxOpenConns int
	// ReplicaURLs are PostgreSQL read replicas of DatabaseURL for the
	// lag-tolerant reads (replica.go); SQLite has none.
	ReplicaURLs []string
	// Logger receives replica failures and recoveries; nil discards them.
	Logger *slog.Logger
	// SearchTimeout bounds each search (searchbudget.go); 0 means
	// DefaultSearchTimeout.
	SearchTimeout time.Duration
}

// Open connects to the configured engine and checks the connection. It does
// not migrate: that is an explicit step (Migrate), so staging and
// production never change their schema by surprise.
func Open(ctx context.Context, opt Options) (*Store, error) {
	if len(opt.ReplicaURLs) > 0 && opt.DatabaseURL == "" {
		return nil, errors.New("read replicas (DATABASE_REPLICA_URLS) need PostgreSQL: set DATABASE_URL")
	}
	open := func() (*Store, error) {
		if opt.DatabaseURL != "" {
			return openPostgres(ctx, opt)
		}
		return openSQLite(ctx, opt.SQLitePath)
	}
	s, err := open()
	if err != nil {
		return nil, err
	}
	s.search = newSearchBudget(opt.SearchTimeout)
	return s, nil
}

func openPostgres(ctx context.Context, opt Options) (*Store, error) {
	stats := &queryStats{}
	cfg, err := pgxpool.ParseConfig(opt.DatabaseURL)
	if err != nil {
		// The parse error may echo the URL, password included.
		return nil, errors.New("DATABASE_URL is not a valid PostgreSQL connection string")
	}
	// Replicas get the same settings: searches run there too.
	// pool_max_conns in the URL wins over the default.
	urlSetsPoolSize := strings.Contains(opt.DatabaseURL, "pool_max_conns")
	configure := func(cfg *pgxpool.Config) {
		switch {
		case opt.MaxOpenConns > 0:
			cfg.MaxConns = int32(opt.MaxOpenConns)
		case !urlSetsPoolSize:
			cfg.MaxConns = 20
		}
		// A server that takes connections but never answers (a host gone
		// without a reset, a stuck proxy) would otherwise hold a request
		// until the operating system gives up, minutes later; bounded, the
		// attempt fails as a ConnectError and the request gets 503.
		// connect_timeout in DATABASE_URL overrides it.
		if cfg.ConnConfig.ConnectTimeout == 0 {
			cfg.ConnConfig.ConnectTimeout = ConnectTimeout
		}
		cfg.ConnConfig.Tracer = pgxQueryTracer{stats: stats}
		cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			// pg_trgm's default word-similarity threshold (0.6) rejects a
			// single dropped letter in a six-letter word ("chiken" scores 0.5
			// against "chicken"); 0.45 forgives one typo without matching
			// unrelated words.
			_, err := c.Exec(ctx, "SET pg_trgm.word_similarity_threshold = 0.45")
			return err
		}
	}
	configure(cfg)
	searchConns := takeSearchConns(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	s := &Store{db: db, d: postgresDialect{}, pool: pool, now: time.Now, stats: stats}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if s.searches, err = openSearchPool(cfg, searchConns, opt.SearchTimeout); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	// Replicas are not pinged: one that is down must not keep the site
	// from starting; its reads fall back to the primary (replica.go).
	replicas, err := openReplicas(opt.ReplicaURLs, configure, opt.SearchTimeout)
	if err != nil {
		s.Close()
		return nil, err
	}
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.replicas = replicaSet{list: replicas, log: logger, now: time.Now}
	return s, nil
}

// sqlitePragmas are applied to every connection the pool opens: WAL lets
// readers run beside the one writer, busy_timeout makes a writer wait for
// the lock instead of failing, and foreign keys are off by default in
// SQLite.
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"busy_timeout(10000)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("no database configured: set DATABASE_URL or a data directory")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	// _txlock=immediate takes the write lock at BEGIN, so two writers queue
	// on busy_timeout instead of one failing at its first write.
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	stats := &queryStats{}
	connector, err := newCountingConnector(dsn, stats)
	if err != nil {
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, d: sqliteDialect{}, now: time.Now, stats: stats}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	// The file holds password hashes: readable by the server's user only.
	// SQLite gives its -wal and -shm files the same mode.
	if err := os.Chmod(path, 0o600); err != nil {
		s.Close()
		return nil, fmt.Errorf("restrict permissions of %s: %w", path, err)
	}
	return s, nil
}

// Engine is "postgres" or "sqlite".
func (s *Store) Engine() string { return s.d.name() }

// DB is the raw pool, for tests that inspect or break the database
// directly. Application code never uses it: every query, whole-database
// work (catalog.go, snapshot.go, reload.go) and the job queue's river
// client (jobqueue.go) live in this package behind the dialect seam, and
// TestNoRawHandleOutsideTheStore keeps it that way.
func (s *Store) DB() *sql.DB { return s.db }

// PoolStats are the primary pool's connection statistics, for metrics.
func (s *Store) PoolStats() sql.DBStats { return s.db.Stats() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close releases every connection.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	s.searches.close()
	closeReplicas(s.replicas.list)
	return err
}

// conn adapts a querier to the dialect: it rewrites placeholders and
// converts arguments, so query code is written once for both engines.
type conn struct {
	q querier
	d dialect
}

func (c conn) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = c.d.arg(a)
	}
	return out
}

func (c conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.rebind(query), c.args(args)...)
}

func (c conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, c.d.rebind(query), c.args(args)...)
}

func (c conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, c.d.rebind(query), c.args(args)...)
}

// read returns the primary, for plain statements and the reads that must
// not lag; only the reads wrapped in fromReplica may go to a replica.
func (s *Store) read() conn { return conn{q: s.db, d: s.d} }

// inTx runs fn in one transaction and commits only if fn succeeds, so a
// failed request never leaves a partial write behind. Inside Idempotent
// (idempotency.go) it joins the transaction already open there, so the
// write and its idempotency record commit together.
func (s *Store) inTx(ctx context.Context, fn func(tx conn) error) error {
	if t, ok := ctx.Value(txKey{s}).(*openTx); ok {
		return fn(t.c)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		// Nothing was sent yet, so a BEGIN that fails without the caller
		// giving up means the database did not take the connection.
		if ctx.Err() == nil {
			err = &unavailableError{err: err}
		}
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(conn{q: tx, d: s.d}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// conflict turns a unique violation into a ConflictError naming field.
func (s *Store) conflict(err error, field string) error {
	if err != nil && s.d.isUniqueViolation(err) {
		return &ConflictError{Field: field}
	}
	return err
}

// Analyze refreshes the query planner's statistics after a bulk load and,
// on PostgreSQL, vacuums too, as autovacuum soon would on a live
// installation: until the visibility map is set, an index-only scan
// (the newest-first index walks of lists and searches) still reads the
// table for every row.
func (s *Store) Analyze(ctx context.Context) error {
	stmt := "VACUUM (ANALYZE)"
	if s.d.name() == "sqlite" {
		stmt = "PRAGMA optimize"
	}
	if _, err := s.db.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
