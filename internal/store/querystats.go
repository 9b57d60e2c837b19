package store

import (
	"context"
	"database/sql/driver"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"modernc.org/sqlite"
)

// queryStats counts the statements a store sends and the time the database
// took to answer them, so the benchmark (and an operator) can tell database
// time and round trips per request apart from the app's own CPU. Two
// atomic adds per statement: cheap enough to leave on in production.
//
// A statement's time runs from sending it until its rows are closed, so it
// includes reading the rows (store code only scans while iterating).
type queryStats struct {
	n  atomic.Uint64
	ns atomic.Int64
}

func (q *queryStats) add(d time.Duration) {
	q.n.Add(1)
	q.ns.Add(int64(d))
}

// QueryStats are the totals since the store was opened.
type QueryStats struct {
	Queries uint64
	Time    time.Duration
}

// QueryStats returns the number of statements sent to the database (the
// primary and any replica) and the time they took, since Open.
func (s *Store) QueryStats() QueryStats {
	if s.stats == nil {
		return QueryStats{}
	}
	return QueryStats{Queries: s.stats.n.Load(), Time: time.Duration(s.stats.ns.Load())}
}

// PostgreSQL: a pgx tracer on every connection of the pool, which sees
// database/sql statements (through pgx's stdlib adapter) and the job
// queue's pgx statements alike. pgx calls TraceQueryEnd when the rows are
// closed.

type pgxQueryTracer struct{ stats *queryStats }

type traceStartKey struct{}

func (t pgxQueryTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, traceStartKey{}, time.Now())
}

func (t pgxQueryTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if start, ok := ctx.Value(traceStartKey{}).(time.Time); ok {
		t.stats.add(time.Since(start))
	}
}

// SQLite: a database/sql connector whose connections wrap modernc's and
// time each Exec and each Query until its rows are closed. Only the
// interfaces database/sql uses are forwarded; nothing in the store reaches
// the raw SQLite connection.

type countingConnector struct {
	driver.Connector
	stats *queryStats
}

func newCountingConnector(dsn string, stats *queryStats) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return countingConnector{Connector: base, stats: stats}, nil
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(sqliteConn)
	if !ok { // a newer driver dropped an interface: count nothing rather than break
		return dc, nil
	}
	return &countingConn{inner: inner, stats: c.stats}, nil
}

// sqliteConn is the part of modernc's connection that database/sql uses.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type countingConn struct {
	inner sqliteConn
	stats *queryStats
}

func (c *countingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// Unwrap lets the driver's own helpers see the connection underneath.
func (c *countingConn) Unwrap() driver.Conn { return c.inner }

func (c *countingConn) Close() error { return c.inner.Close() }
func (c *countingConn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}
func (c *countingConn) Ping(ctx context.Context) error         { return c.inner.Ping(ctx) }
func (c *countingConn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }
func (c *countingConn) IsValid() bool                          { return c.inner.IsValid() }

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &countingStmt{inner: st, stats: c.stats}, nil
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	res, err := c.inner.ExecContext(ctx, query, args)
	c.stats.add(time.Since(start))
	return res, err
}

func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	rows, err := c.inner.QueryContext(ctx, query, args)
	return countRows(rows, err, start, c.stats)
}

// countRows wraps rows so the statement is counted when they are closed,
// or at once when the query failed.
func countRows(rows driver.Rows, err error, start time.Time, stats *queryStats) (driver.Rows, error) {
	if err != nil {
		stats.add(time.Since(start))
		return nil, err
	}
	return &countingRows{Rows: rows, start: start, stats: stats}, nil
}

type countingStmt struct {
	inner driver.Stmt
	stats *queryStats
}

func (s *countingStmt) Close() error  { return s.inner.Close() }
func (s *countingStmt) NumInput() int { return s.inner.NumInput() }

// Exec and Query complete driver.Stmt; database/sql calls the Context
// forms, which modernc's statements have.
func (s *countingStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *countingStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	res, err := s.inner.(driver.StmtExecContext).ExecContext(ctx, args)
	s.stats.add(time.Since(start))
	return res, err
}

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	rows, err := s.inner.(driver.StmtQueryContext).QueryContext(ctx, args)
	return countRows(rows, err, start, s.stats)
}

type countingRows struct {
	driver.Rows
	start  time.Time
	stats  *queryStats
	closed bool
}

func (r *countingRows) Close() error {
	if !r.closed {
		r.closed = true
		r.stats.add(time.Since(r.start))
	}
	return r.Rows.Close()
}
