package jobs

import (
	"context"
	"runtime"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/reccollection/reccollection/internal/httpx"
)

// errorHandler sees every failed attempt (an error or a panic; not a
// deliberate cancel or a stop at shutdown): it counts it, logs it, and
// leaves the retry to river.
type errorHandler Queue

func (h *errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	q := (*Queue)(h)
	label := q.kindLabel(job)
	q.metrics.failed.WithLabelValues(label).Inc()
	q.log.WarnContext(ctx, "job failed", "kind", label, "job_id", job.ID, "attempt", job.Attempt,
		"max_attempts", job.MaxAttempts, "final", job.Attempt >= job.MaxAttempts, "err", err)
	return nil
}

func (h *errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	q := (*Queue)(h)
	label := q.kindLabel(job)
	q.metrics.failed.WithLabelValues(label).Inc()
	q.log.ErrorContext(ctx, "job panicked", "kind", label, "job_id", job.ID, "attempt", job.Attempt,
		"max_attempts", job.MaxAttempts, "panic", panicVal, "stack", trace)
	return nil
}

// kindLabel is the job's kind when a worker for it is registered, else
// "unknown": a row written by hand or by another program must not mint
// metric series.
func (q *Queue) kindLabel(job *rivertype.JobRow) string {
	if job.Kind == periodicKind {
		if name, ok := q.periodicName(job.EncodedArgs); ok {
			return periodicKind + ":" + name
		}
	}
	q.mu.Lock()
	known := q.kinds[job.Kind]
	q.mu.Unlock()
	if known {
		return job.Kind
	}
	return "unknown"
}

// guard reports a panic in work to the error tracker with the stack where
// it happened, then lets it continue to river, which records the attempt
// as failed and retries it.
func (q *Queue) guard(ctx context.Context, label string, work func(context.Context) error) error {
	if q.opts.Errors != nil {
		defer func() {
			if v := recover(); v != nil {
				q.opts.Errors.Report(ctx, &httpx.ErrorEvent{Route: "job " + label, Method: "JOB", Panic: v, Stack: panicStack()})
				panic(v)
			}
		}()
	}
	return work(ctx)
}

// panicStack returns the program counters from the function that
// panicked outwards, dropping the recovery frames above runtime.gopanic.
func panicStack() []uintptr {
	pcs := make([]uintptr, 64)
	pcs = pcs[:runtime.Callers(1, pcs)]
	for i, pc := range pcs {
		// pc-1 is inside the call instruction; FuncForPC names the
		// function that made the call.
		if f := runtime.FuncForPC(pc - 1); f != nil && f.Name() == "runtime.gopanic" {
			return pcs[i+1:]
		}
	}
	return pcs
}
