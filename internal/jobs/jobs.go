// Package jobs is RecCollection's background job queue, a thin layer over
// river (github.com/riverqueue/river). Jobs live in the application's own
// database — PostgreSQL in production, SQLite when embedded — so enqueueing
// can never disagree with the data it is about, and no other service has
// to run.
//
// Every process may enqueue; only `serve` works jobs (Start/Stop). Periodic
// tasks are enqueued by river's elected leader alone, so one runs once per
// period however many replicas share the database. Metrics go on the app's
// registry, failures to the log and panics to error tracking.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
)

// Queue names. Periodic tasks have a queue of their own, so a burst of
// ordinary jobs never delays a scheduled backup, and the other way round.
const (
	QueueDefault  = river.QueueDefault
	QueuePeriodic = "periodic"
)

// Args are a job's arguments: a struct that encodes to JSON, whose Kind
// names its worker. Kind must be a constant of lower-case letters, digits
// and underscores; it is the "kind" label of the failure metric.
type Args interface{ Kind() string }

// Options tune the queue; the zero value is right for production.
type Options struct {
	// Workers is how many ordinary jobs one process works at once;
	// 0 means 4 (the app shares its CPUs with the web server).
	Workers int
	// JobTimeout cancels an ordinary job's context after this long;
	// 0 means one minute.
	JobTimeout time.Duration
	// PeriodicTimeout cancels a periodic task's context after this long;
	// 0 means one hour (a backup may take a while).
	PeriodicTimeout time.Duration
	// Errors receives panics in workers (the error tracker); nil means
	// they are only logged.
	Errors httpx.ErrorReporter
}

// Queue is safe for concurrent use. Register workers and periodic tasks
// first; the first Enqueue or Start freezes the set.
type Queue struct {
	store   *store.Store
	log     *slog.Logger
	opts    Options
	metrics *metrics

	mu       sync.Mutex
	workers  *river.Workers
	kinds    map[string]bool // registered kinds, the only metric labels
	periodic []periodicTask
	// extraPeriodic lets tests schedule raw river periodic jobs.
	extraPeriodic []*river.PeriodicJob
	client        riverClient // nil until built

	// life orders Start and Stop. It is apart from mu because Stop waits
	// for running jobs, whose failure handling reads the registrations.
	life     sync.Mutex
	starting bool // Start was called
	stopWait context.CancelFunc
	waitDone chan struct{}
	started  bool // the river client runs
}

// riverClient is what the queue needs of river.Client, whatever the
// driver's transaction type; the store builds it on its pool.
type riverClient = store.RiverClient

// New returns a queue on s's database that registers its metrics on reg.
// It neither starts workers nor touches the database.
func New(s *store.Store, logger *slog.Logger, reg prometheus.Registerer, opts Options) (*Queue, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = time.Minute
	}
	if opts.PeriodicTimeout <= 0 {
		opts.PeriodicTimeout = time.Hour
	}
	q := &Queue{store: s, log: logger.With("component", "jobs"), opts: opts,
		workers: river.NewWorkers(), kinds: map[string]bool{}}
	q.metrics = newMetrics(q)
	if reg != nil {
		if err := q.metrics.register(reg); err != nil {
			return nil, fmt.Errorf("job queue metrics: %w", err)
		}
	}
	river.AddWorker(q.workers, &periodicWorker{q: q})
	q.kinds[periodicKind] = true
	return q, nil
}

var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Register makes q work jobs whose arguments are T with work. A returned
// error makes river retry the job later with backoff, up to 25 attempts;
// a panic counts as a failed attempt and is reported. It panics when
// called after the queue is in use or twice for one kind, which are
// mistakes in the program rather than conditions to handle.
func Register[T Args](q *Queue, work func(ctx context.Context, args T) error) {
	kind := (*new(T)).Kind()
	q.mu.Lock()
	defer q.mu.Unlock()
	q.mustBeOpen("Register " + kind)
	if !kindPattern.MatchString(kind) {
		panic(fmt.Sprintf("jobs: kind %q must be lower-case letters, digits and underscores", kind))
	}
	if q.kinds[kind] {
		panic(fmt.Sprintf("jobs: a worker for %q is already registered", kind))
	}
	q.kinds[kind] = true
	river.AddWorker(q.workers, river.WorkFunc(func(ctx context.Context, job *river.Job[T]) error {
		return q.guard(ctx, kind, func(ctx context.Context) error { return work(ctx, job.Args) })
	}))
	q.metrics.failed.WithLabelValues(kind)
}

// mustBeOpen panics if the river client was built (callers hold q.mu).
func (q *Queue) mustBeOpen(what string) {
	if q.client != nil {
		panic("jobs: " + what + " after the queue was first used; register everything before Enqueue or Start")
	}
}

// EnqueueOptions are optional settings of one job.
type EnqueueOptions struct {
	// RunAt delays the job; zero means as soon as a worker is free.
	RunAt time.Time
	// MaxAttempts bounds retries; 0 means 25.
	MaxAttempts int
	// Unique skips the insert while a job of the same kind and arguments
	// waits, runs or is to be retried (Enqueue then returns its id): for
	// jobs that a sweep may enqueue again while one is still pending.
	Unique bool
}

// Enqueue adds a job and returns its id. Any process may enqueue; the
// job runs on whichever `serve` process fetches it first.
func (q *Queue) Enqueue(ctx context.Context, args Args, opts *EnqueueOptions) (int64, error) {
	c, err := q.riverClient()
	if err != nil {
		return 0, err
	}
	io := &river.InsertOpts{Queue: QueueDefault}
	if opts != nil {
		io.ScheduledAt = opts.RunAt
		io.MaxAttempts = opts.MaxAttempts
		if opts.Unique {
			io.UniqueOpts = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
				rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
				rivertype.JobStateRetryable, rivertype.JobStateScheduled,
			}}
		}
	}
	res, err := c.Insert(ctx, args, io)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s job: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// EnqueueMany adds many jobs with the same options in one statement (a
// fan-out's emails), all or none.
func (q *Queue) EnqueueMany(ctx context.Context, args []Args, opts *EnqueueOptions) error {
	if len(args) == 0 {
		return nil
	}
	c, err := q.riverClient()
	if err != nil {
		return err
	}
	io := &river.InsertOpts{Queue: QueueDefault}
	if opts != nil {
		io.ScheduledAt = opts.RunAt
		io.MaxAttempts = opts.MaxAttempts
	}
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a, InsertOpts: io}
	}
	if _, err := c.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("enqueue %d %s jobs: %w", len(args), args[0].Kind(), err)
	}
	return nil
}

// Start begins working jobs in this process until Stop. If river's tables
// are not there yet (a new release started before `migrate up`), it waits
// for them in the background rather than failing, so the server can come
// up, report "schema behind" and start working once migrated.
func (q *Queue) Start(ctx context.Context) error {
	c, err := q.riverClient()
	if err != nil {
		return err
	}
	q.life.Lock()
	defer q.life.Unlock()
	if q.starting {
		return errors.New("jobs: Start called twice")
	}
	q.starting = true
	// The queue's lifetime is Start to Stop, not ctx's: Stop drains it
	// within its own deadline.
	ctx = context.WithoutCancel(ctx)
	if ok, err := q.schemaReady(ctx); err == nil && ok {
		if err := c.Start(ctx); err != nil {
			return fmt.Errorf("start job queue: %w", err)
		}
		q.started = true
		q.log.Info("job queue started", "client_id", c.ID(), "workers", q.opts.Workers)
		return nil
	}
	q.log.Warn("job queue waits for river's tables; run `reccollection migrate up`")
	wctx, cancel := context.WithCancel(ctx)
	q.stopWait, q.waitDone = cancel, make(chan struct{})
	go q.startWhenReady(wctx, c)
	return nil
}

// schemaPoll is how often a waiting Start looks for river's tables.
const schemaPoll = 5 * time.Second

func (q *Queue) startWhenReady(ctx context.Context, c riverClient) {
	defer close(q.waitDone)
	t := time.NewTicker(schemaPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if ok, err := q.schemaReady(ctx); err != nil || !ok {
			continue
		}
		q.life.Lock()
		if ctx.Err() == nil {
			if err := c.Start(context.WithoutCancel(ctx)); err != nil {
				q.log.Error("start job queue", "err", err)
			} else {
				q.started = true
				q.log.Info("job queue started", "client_id", c.ID(), "workers", q.opts.Workers)
			}
		}
		q.life.Unlock()
		return
	}
}

// Stop stops fetching jobs and waits for running ones until ctx ends;
// then it cancels their contexts (they are retried later) and waits a
// few seconds more for them to return.
func (q *Queue) Stop(ctx context.Context) error {
	q.life.Lock()
	cancelWait, waitDone := q.stopWait, q.waitDone
	q.stopWait = nil
	q.life.Unlock()
	if cancelWait != nil {
		cancelWait()
		<-waitDone
	}
	q.life.Lock()
	defer q.life.Unlock()
	if !q.started {
		return nil
	}
	q.started = false
	err := q.client.Stop(ctx)
	if err == nil {
		q.log.Info("job queue stopped")
		return nil
	}
	q.log.Warn("jobs still running at the shutdown timeout; cancelling them", "err", err)
	hctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := q.client.StopAndCancel(hctx); err != nil {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}

// riverClient builds the river client on first use, after which the set
// of workers and periodic tasks is fixed.
func (q *Queue) riverClient() (riverClient, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.client != nil {
		return q.client, nil
	}
	c, err := q.store.NewRiverClient(q.riverConfig())
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q.client = c
	return c, nil
}

func (q *Queue) riverConfig() *river.Config {
	longest := max(q.opts.JobTimeout, q.opts.PeriodicTimeout)
	completedRetention := 24 * time.Hour
	periodic := make([]*river.PeriodicJob, 0, len(q.periodic)+len(q.extraPeriodic))
	for _, p := range q.periodic {
		periodic = append(periodic, p.riverJob())
		// A completed periodic job must outlive its period, or the
		// uniqueness check that stops a newly elected leader from running
		// it again within the same period would find nothing.
		completedRetention = max(completedRetention, p.interval+time.Hour)
	}
	periodic = append(periodic, q.extraPeriodic...)
	return &river.Config{
		Logger:  slog.New(warnOnly{q.log.Handler()}),
		Workers: q.workers,
		Queues: map[string]river.QueueConfig{
			QueueDefault:  {MaxWorkers: q.opts.Workers},
			QueuePeriodic: {MaxWorkers: 2},
		},
		PeriodicJobs:                periodic,
		JobTimeout:                  q.opts.JobTimeout,
		RescueStuckJobsAfter:        longest + time.Hour,
		CompletedJobRetentionPeriod: completedRetention,
		ErrorHandler:                (*errorHandler)(q),
	}
}

// warnOnly passes river's warnings and errors to the app's log and drops
// its chatter; failed jobs are logged by errorHandler with more context.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(a []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(a)} }
func (h warnOnly) WithGroup(n string) slog.Handler      { return warnOnly{h.Handler.WithGroup(n)} }

// schemaReady reports whether river's tables are at the version this
// build's migrations install (migration 7, store.RiverSchemaVersion).
func (q *Queue) schemaReady(ctx context.Context) (bool, error) {
	return q.store.RiverSchemaCurrent(ctx)
}
