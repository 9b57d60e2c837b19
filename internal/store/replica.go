package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// Read replicas (DATABASE_REPLICA_URLS, PostgreSQL only).
//
// The routing rule: only the heavy reads that tolerate a little lag go to
// a replica — recipe lists and searches (ListRecipes), recipe pages
// (Recipe) and profile counts (CountVisibleRecipes). Each goes through
// fromReplica. Everything else stays on the primary: every write and
// transaction, sessions, API tokens and sign-in lookups, users, roles,
// MFA, feature flags, the admin console, the TLS cache and migrations,
// because for those a stale answer is a bug or a security hole (a revoked
// session that still works, a disabled user who can still sign in).
// Adding a query to the replica set is a decision, not a default: a
// query that uses s.read() or inTx runs on the primary.
//
// Read-after-write: a context marked with WithPrimary sends even the
// routed reads to the primary. The HTTP layer marks every request with an
// unsafe method, and every request that carries the short-lived
// "recently wrote" cookie set by such a request, so a person who has just
// saved a recipe sees it on the page they are redirected to, whichever
// app server answers. Recipe by id also asks the primary when the replica
// has no such recipe, so a client without cookies that creates a recipe
// and fetches it at once finds it; lists for such clients may lag by the
// replication delay.
//
// Failure: a routed read that fails on a replica (unreachable, or any
// database error) is retried on the primary, so a broken replica costs
// capacity, never availability. The replica is then left out for
// replicaCooldown — a blackholed host would otherwise cost every request a
// connect timeout — and tried again after it; the first failure of each
// spell is logged, every fallback is counted (ReplicaStatus).

// replicaCooldown is how long a replica that failed a read is skipped. Long
// enough that a dead host costs one failed read per interval rather than
// one per request, short enough that a replica back from a restart takes
// load again within seconds.
const replicaCooldown = 10 * time.Second

// replicaConnectTimeout bounds a connection attempt to a replica whose URL
// sets no connect_timeout: the read then falls back to the primary instead
// of hanging on an unreachable host until the request's own deadline.
const replicaConnectTimeout = 3 * time.Second

// errInvalidQuery marks a query the store refuses before it reaches any
// database; such an error says nothing about the replica's health.
var errInvalidQuery = errors.New("invalid query")

type primaryKey struct{}

// WithPrimary returns a context whose reads all go to the primary, the
// replica-routed ones included: for requests that write, and for those
// that must see a write made a moment ago.
func WithPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

// readsPrimary reports whether ctx was marked by WithPrimary.
func readsPrimary(ctx context.Context) bool {
	v, _ := ctx.Value(primaryKey{}).(bool)
	return v
}

// replica is one read replica's pool and health.
type replica struct {
	name string // "replica-1", …: the position in DATABASE_REPLICA_URLS, never the URL (it holds a password)
	db   *sql.DB
	pool *pgxpool.Pool
	// searches bound the searches sent to this replica (searchbudget.go).
	searches *searchPool
	// downUntil is when a replica that failed may be tried again, in Unix
	// nanoseconds; 0 while it answers.
	downUntil atomic.Int64
	failed    atomic.Uint64
	skipped   atomic.Uint64
}

// replicaSet picks replicas in turn. The zero value (no replicas) sends
// every read to the primary.
type replicaSet struct {
	list []*replica
	next atomic.Uint64
	log  *slog.Logger
	now  func() time.Time
}

// openReplicas creates a pool per replica URL. Pools connect lazily, so an
// unreachable replica does not stop the server from starting; its first
// read fails over to the primary and logs why.
func openReplicas(urls []string, configure func(*pgxpool.Config), searchTimeout time.Duration) ([]*replica, error) {
	var out []*replica
	for i, u := range urls {
		cfg, err := pgxpool.ParseConfig(u)
		if err != nil {
			closeReplicas(out)
			// Position, not value: the parse error may echo the password.
			return nil, fmt.Errorf("DATABASE_REPLICA_URLS replica %d is not a valid PostgreSQL connection string", i+1)
		}
		configure(cfg)
		searchConns := takeSearchConns(cfg)
		if cfg.ConnConfig.ConnectTimeout == 0 {
			cfg.ConnConfig.ConnectTimeout = replicaConnectTimeout
		}
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			closeReplicas(out)
			return nil, fmt.Errorf("DATABASE_REPLICA_URLS replica %d: %w", i+1, err)
		}
		searches, err := openSearchPool(cfg, searchConns, searchTimeout)
		if err != nil {
			pool.Close()
			closeReplicas(out)
			return nil, fmt.Errorf("DATABASE_REPLICA_URLS replica %d: %w", i+1, err)
		}
		out = append(out, &replica{name: fmt.Sprintf("replica-%d", i+1), db: stdlib.OpenDBFromPool(pool), pool: pool,
			searches: searches})
	}
	return out, nil
}

func closeReplicas(rs []*replica) {
	for _, r := range rs {
		_ = r.db.Close()
		r.pool.Close()
		r.searches.close()
	}
}

// pick returns the replica whose turn it is, or nil for the primary: when
// there are none, when ctx asks for the primary, or when the replica whose
// turn it is, and every other, is cooling down after a failure. Skipping
// to the next healthy replica keeps the load spread over those that work.
func (rs *replicaSet) pick(ctx context.Context) *replica {
	if len(rs.list) == 0 || readsPrimary(ctx) {
		return nil
	}
	start := rs.next.Add(1) - 1
	now := rs.now().UnixNano()
	for i := range uint64(len(rs.list)) {
		r := rs.list[(start+i)%uint64(len(rs.list))]
		if r.downUntil.Load() <= now {
			return r
		}
	}
	rs.list[start%uint64(len(rs.list))].skipped.Add(1)
	return nil
}

// failed takes r out of rotation for replicaCooldown; the first failure
// after it was healthy is logged, later ones only counted.
func (rs *replicaSet) failed(r *replica, err error) {
	r.failed.Add(1)
	if r.downUntil.Swap(rs.now().Add(replicaCooldown).UnixNano()) == 0 {
		rs.log.Warn("read replica failed; reading from the primary", "replica", r.name,
			"retry_in", replicaCooldown.String(), "err", err)
	}
}

// answered puts r back in rotation after it answered a read.
func (rs *replicaSet) answered(r *replica) {
	if r.downUntil.Load() != 0 && r.downUntil.Swap(0) != 0 {
		rs.log.Info("read replica answers again", "replica", r.name)
	}
}

// isAnswer reports whether err is the store's verdict on the query (no
// such recipe, a bad cursor) rather than a failure of the database.
func isAnswer(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, ErrBadCursor) || errors.Is(err, errInvalidQuery) ||
		errors.Is(err, ErrSearchTimeout)
}

// fromReplica runs read, a lag-tolerant read, on a replica when there is
// one and ctx allows it, and on the primary otherwise or when the replica
// fails. read may run twice, so it must only read and must build its
// result afresh on each call.
func (s *Store) fromReplica(ctx context.Context, read func(q conn) error) error {
	_, err := s.routeRead(ctx, read)
	return err
}

// fromReplicaOrPrimary is fromReplica for one object by id: a replica that
// has not replayed the object yet (created a moment ago) does not have the
// last word; the primary is asked before answering ErrNotFound.
func (s *Store) fromReplicaOrPrimary(ctx context.Context, read func(q conn) error) error {
	onReplica, err := s.routeRead(ctx, read)
	if onReplica && errors.Is(err, ErrNotFound) {
		return read(s.read())
	}
	return err
}

// routeRead runs read as fromReplica describes and reports whether the
// replica gave the answer.
func (s *Store) routeRead(ctx context.Context, read func(q conn) error) (onReplica bool, err error) {
	return s.routeReadOn(ctx, false, read)
}

// routeReadOn is routeRead; a search goes to the search sessions
// (searchPool) of the database it is routed to.
func (s *Store) routeReadOn(ctx context.Context, search bool, read func(q conn) error) (onReplica bool, err error) {
	primary := s.read
	if search {
		primary = func() conn { return s.searches.conn(s.d, s.read()) }
	}
	r := s.replicas.pick(ctx)
	if r == nil {
		return false, read(primary())
	}
	c := conn{q: r.db, d: s.d}
	if search {
		c = r.searches.conn(s.d, c)
	}
	err = read(c)
	if err == nil || isAnswer(err) {
		s.replicas.answered(r)
		return true, err
	}
	if ctx.Err() != nil {
		// The caller gave up; the replica is not to blame and the
		// primary would not be asked in time either.
		return true, err
	}
	s.replicas.failed(r, err)
	return false, read(primary())
}

// ReplicaStatus is one read replica as operators see it.
type ReplicaStatus struct {
	// Name is "replica-1", "replica-2", … in DATABASE_REPLICA_URLS order.
	Name string
	// Stats reads the replica's connection pool statistics.
	Stats func() sql.DBStats
	// Up is false while the replica is skipped after a failed read.
	Up bool
	// Failed counts reads that failed on the replica and were retried on
	// the primary; Skipped counts reads sent straight to the primary
	// because it was the replica's turn while every replica was cooling
	// down (while another is up, that one takes the turn).
	Failed, Skipped uint64
}

// Replicas describes the configured read replicas (none on SQLite or
// without DATABASE_REPLICA_URLS).
func (s *Store) Replicas() []ReplicaStatus {
	if len(s.replicas.list) == 0 {
		return nil
	}
	now := s.replicas.now().UnixNano()
	out := make([]ReplicaStatus, len(s.replicas.list))
	for i, r := range s.replicas.list {
		out[i] = ReplicaStatus{Name: r.name, Stats: r.db.Stats, Up: r.downUntil.Load() <= now,
			Failed: r.failed.Load(), Skipped: r.skipped.Load()}
	}
	return out
}
