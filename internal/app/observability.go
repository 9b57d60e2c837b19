package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/observe"
)

// errorFlushTimeout bounds how long shutdown waits for queued error
// reports; a slow or unreachable tracker must not hold up a deploy.
const errorFlushTimeout = 3 * time.Second

// observability is what operators watch: metrics on their own registry
// and, with RECC_SENTRY_DSN, an error tracker.
type observability struct {
	metrics *observe.Metrics
	errors  *observe.ErrorTracker // nil without RECC_SENTRY_DSN

	mu          sync.Mutex
	metricsAddr string // bound address of the metrics listener, once listening
}

// setUpObservability creates the metrics (HTTP, database pool, sign-in
// failures, readiness, build) and the error tracker. Called from New once
// the store and the account service exist.
func (a *App) setUpObservability() error {
	a.obs = &observability{metrics: observe.NewMetrics()}
	a.obs.metrics.RegisterDB("primary", a.store.PoolStats)
	a.obs.metrics.RegisterQueryStats(func() (uint64, float64) {
		q := a.store.QueryStats()
		return q.Queries, q.Time.Seconds()
	})
	a.registerReplicaMetrics()
	a.obs.metrics.RegisterReadiness(func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, status := a.readiness(ctx)
		return status == http.StatusOK
	})
	a.accounts.SetLoginObserver(a.obs.metrics)
	// Read from backup_runs at each scrape, so every replica reports the
	// same time whichever replica or CronJob made the backup.
	a.obs.metrics.RegisterBackupLastSuccess(a.store.LastBackupSuccess)
	if a.cfg.SentryDSN != "" {
		t, err := observe.NewErrorTracker(a.cfg.SentryDSN, string(a.cfg.Env))
		if err != nil {
			return err
		}
		a.obs.errors = t
		a.log.Info("error tracking on", "release", observe.Release(buildinfo.Get()), "environment", string(a.cfg.Env))
	}
	return nil
}

// Metrics exposes the app's metrics (for tests and subcommands).
func (a *App) Metrics() *observe.Metrics { return a.obs.metrics }

// observeHooks connects httpx.Observe to the metrics and error tracker.
func (a *App) observeHooks() httpx.Hooks {
	h := httpx.Hooks{Metrics: a.obs.metrics}
	if a.obs.errors != nil {
		h.Errors = a.obs.errors
	}
	return h
}

// MetricsAddr is the address the metrics listener is bound to while Serve
// runs, or "" (not started, or disabled with RECC_METRICS_ADDR=off).
func (a *App) MetricsAddr() string {
	a.obs.mu.Lock()
	defer a.obs.mu.Unlock()
	return a.obs.metricsAddr
}

// startMetrics listens on RECC_METRICS_ADDR and serves /metrics and the
// runtime profiles (internalHandler) there, apart from the public
// listener, so the load balancer never exposes them.
// Outside development a listen failure stops start-up: a replica without
// metrics would look healthy while being invisible to alerts. On a
// developer's machine, where another program often holds port 9090, it is
// a warning, so `make run` still starts. stop closes it (bounded by ctx).
func (a *App) startMetrics() (stop func(context.Context), err error) {
	if !a.cfg.MetricsEnabled() {
		return func(context.Context) {}, nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil && a.cfg.IsDevelopment() {
		a.log.Warn("metrics listener not started; set RECC_METRICS_ADDR to a free address or off", "addr", a.cfg.MetricsAddr, "err", err)
		return func(context.Context) {}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("metrics listener on RECC_METRICS_ADDR %s: %w", a.cfg.MetricsAddr, err)
	}
	srv := &http.Server{
		Handler:           a.internalHandler(),
		ReadHeaderTimeout: 5 * time.Second,
		// Long enough for a CPU profile or trace of up to a minute
		// (pprof refuses durations beyond the write timeout).
		WriteTimeout: 90 * time.Second,
		IdleTimeout:  120 * time.Second,
		ErrorLog:     slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("metrics listener stopped", "err", err)
		}
	}()
	a.obs.mu.Lock()
	a.obs.metricsAddr = ln.Addr().String()
	a.obs.mu.Unlock()
	a.log.Info("serving metrics", "addr", ln.Addr().String())
	return func(ctx context.Context) {
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		<-done
		a.obs.mu.Lock()
		a.obs.metricsAddr = ""
		a.obs.mu.Unlock()
	}, nil
}

// internalHandler is what the metrics listener serves: /metrics and the
// runtime profiles under /debug/pprof/, both for operators only.
func (a *App) internalHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.obs.metrics.Handler())
	observe.MountProfiling(mux)
	return mux
}

// flushErrors sends queued error reports before the process exits.
func (a *App) flushErrors() {
	if a.obs != nil && a.obs.errors != nil && !a.obs.errors.Flush(errorFlushTimeout) {
		a.log.Warn("error reports still queued at shutdown were dropped", "timeout", errorFlushTimeout.String())
	}
}

// startObserving starts the metrics listener for Serve. stop, deferred by
// Serve, keeps metrics up until the main server has stopped (so the drain
// shows as reccollection_ready 0), then closes the listener and flushes
// queued error reports, each bounded.
func (a *App) startObserving() (stop func(), err error) {
	stopMetrics, err := a.startMetrics()
	if err != nil {
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		stopMetrics(ctx)
		a.flushErrors()
	}, nil
}
