package app

import (
	"context"
	"sync"

	"github.com/reccollection/reccollection/internal/jobs"
)

// setUpJobs creates the job queue on the app's database and metrics
// registry. Every process that opens the app may enqueue; only Serve
// works jobs. Workers and periodic tasks are registered in New, after
// this and before anything enqueues.
func (a *App) setUpJobs() error {
	opts := jobs.Options{}
	if a.obs.errors != nil {
		opts.Errors = a.obs.errors
	}
	q, err := jobs.New(a.store, a.log, a.obs.metrics.Registry, opts)
	if err != nil {
		return err
	}
	a.jobs = q
	// The admin console's system status shows the queue's counts.
	a.status.Queue = q
	return nil
}

// Jobs exposes the job queue (for subcommands that enqueue, and tests).
func (a *App) Jobs() *jobs.Queue { return a.jobs }

// startJobs starts working jobs for Serve. They stop as soon as ctx ends
// (no drain delay: the load balancer does not send jobs), running ones
// getting as long as the drain and in-flight requests together; wait,
// deferred by Serve, stops them if Serve returns early and waits until
// they have stopped, so the database closes only after.
func (a *App) startJobs(ctx context.Context) (wait func(), err error) {
	if err := a.jobs.Start(ctx); err != nil {
		return nil, err
	}
	stopNow, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-ctx.Done():
		case <-stopNow:
		}
		sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownDelay+a.cfg.ShutdownTimeout)
		defer cancel()
		if err := a.jobs.Stop(sctx); err != nil {
			a.log.Warn("stop job queue", "err", err)
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(stopNow) })
		<-done
	}, nil
}
