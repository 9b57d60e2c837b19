package httpx

import (
	"context"
	"net/http"
	"runtime"
	"time"
)

// Hooks connect Observe to metrics and error tracking. They are interfaces
// so that httpx imports neither Prometheus nor Sentry; internal/observe
// implements both. A nil hook is skipped.
type Hooks struct {
	Metrics RequestMetrics
	Errors  ErrorReporter
}

// RequestMetrics is told about every request Observe sees.
type RequestMetrics interface {
	// InFlight adds delta (+1 when a request starts, -1 when it ends,
	// whatever way it ends) to the number of requests being served.
	InFlight(delta int)
	// Observed records a finished request. route is the ServeMux pattern
	// ("unmatched" when none matched), never the raw path, so label values
	// stay few and carry no user input.
	Observed(route, method string, status int, elapsed time.Duration)
}

// ErrorReporter receives server faults: panics recovered by Observe and
// errors that handlers answer with a 500 (see ReportError).
type ErrorReporter interface {
	Report(ctx context.Context, e *ErrorEvent)
}

// ErrorEvent is one server fault with what is known about its request.
type ErrorEvent struct {
	Request   *http.Request
	RequestID string
	Route     string // ServeMux pattern or "unmatched"
	Method    string
	UserID    string // "" when anonymous
	Status    int
	// Err is the error a handler reported; nil for a panic.
	Err error
	// Panic is the recovered value; nil for a reported error.
	Panic any
	// Stack holds program counters, innermost first, starting at the
	// fault: the function that panicked, or the caller of ReportError.
	Stack []uintptr
}

// IsPanic reports whether the event is a recovered panic.
func (e *ErrorEvent) IsPanic() bool { return e.Panic != nil }

// ReportError hands err to the error reporter of the request in ctx. The
// report is sent when the request finishes, once its route, status and
// user are known. Handlers call it where they answer an unexpected error
// with a 500; it does nothing outside Observe or without a reporter.
func ReportError(ctx context.Context, err error) {
	info, ok := ctx.Value(requestInfoKey).(*requestInfo)
	if !ok || err == nil || info.hooks.Errors == nil {
		return
	}
	info.errs = append(info.errs, reportedError{err: err, stack: callers(3)})
}

type reportedError struct {
	err   error
	stack []uintptr
}

func callers(skip int) []uintptr {
	pcs := make([]uintptr, 64)
	return pcs[:runtime.Callers(skip, pcs)]
}

// panicStack returns the stack of the panicking goroutine from the panic
// inwards, dropping the recovery frames above runtime.gopanic. It must be
// called from the deferred function that recovered. Runtime frames between
// the panic and the faulting code (runtime.sigpanic for a nil dereference)
// stay, because the frame after sigpanic needs them to resolve its line.
func panicStack() []uintptr {
	pcs := callers(3)
	for i := range pcs {
		f, _ := runtime.CallersFrames(pcs[i : i+1]).Next()
		if f.Function == "runtime.gopanic" {
			return pcs[i+1:]
		}
	}
	return pcs
}
