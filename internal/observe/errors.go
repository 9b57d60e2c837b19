package observe

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/httpx"
)

// modulePath marks our own code in stack traces: the top frame under it
// names the fault, and Sentry shows those frames as in-app.
const modulePath = "github.com/reccollection/reccollection/"

// ErrorTracker sends server faults to Sentry or any service that speaks
// its protocol (GlitchTip, self-hosted Sentry). It implements
// httpx.ErrorReporter.
type ErrorTracker struct {
	client *sentry.Client
}

// NewErrorTracker connects to the project named by dsn. release is
// "version+commit" of this build; environment is RECC_ENV. Events are sent
// in the background; call Flush before the process exits.
func NewErrorTracker(dsn, environment string) (*ErrorTracker, error) {
	bi := buildinfo.Get()
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:         dsn,
		Release:     Release(bi),
		Environment: environment,
		// Cookies, Authorization and forwarded addresses stay here.
		SendDefaultPII: false,
	})
	if err != nil {
		// The DSN is a secret; never echo it.
		return nil, fmt.Errorf("error tracking: invalid RECC_SENTRY_DSN")
	}
	return &ErrorTracker{client: client}, nil
}

// Release is how a build names itself to the error tracker.
func Release(bi buildinfo.Info) string {
	if bi.Commit == "" || bi.Commit == "unknown" {
		return "reccollection@" + bi.Version
	}
	return "reccollection@" + bi.Version + "+" + bi.Commit
}

// Flush waits up to timeout for queued events to be sent and reports
// whether they all were.
func (t *ErrorTracker) Flush(timeout time.Duration) bool {
	if t == nil {
		return true
	}
	return t.client.Flush(timeout)
}

// Report implements httpx.ErrorReporter.
func (t *ErrorTracker) Report(ctx context.Context, e *httpx.ErrorEvent) {
	frames := stackFrames(e.Stack)
	kind, level := "error", sentry.LevelError
	var typ, cause, value string
	if e.IsPanic() {
		kind, level = "panic", sentry.LevelFatal
		typ, cause = panicCause(e.Panic)
		value = fmt.Sprint(e.Panic)
	} else {
		typ, cause = rootCause(e.Err)
		value = e.Err.Error()
	}

	ev := sentry.NewEvent()
	ev.Level = level
	ev.Logger = "http"
	ev.Message = value
	ev.Transaction = e.Method + " " + e.Route
	handled := !e.IsPanic()
	ev.Exception = []sentry.Exception{{
		Type:       typ,
		Value:      value,
		Stacktrace: &sentry.Stacktrace{Frames: frames},
		Mechanism:  &sentry.Mechanism{Type: "reccollection." + kind, Handled: &handled},
	}}
	ev.Tags = map[string]string{
		"request_id": e.RequestID,
		"route":      e.Route,
		"method":     e.Method,
		"status":     fmt.Sprint(e.Status),
		"fault":      kind,
	}
	if e.UserID != "" {
		ev.User = sentry.User{ID: e.UserID}
	}
	if e.Request != nil {
		ev.Request = sentry.NewRequest(e.Request)
	}
	ev.Fingerprint = Fingerprint(e.Route, kind, cause, frames)
	t.client.CaptureEvent(ev, &sentry.EventHint{Context: ctx}, nil)
}

// Fingerprint groups events into one issue per fault: the same route,
// the same kind (panic or error), the same cause (type of the panic value
// or of the root error) and the same innermost frame of our own code. A request id, user,
// message text (which may carry ids) or line of the surrounding code does
// not split an issue; a different faulting function or cause does.
func Fingerprint(route, kind, cause string, frames []sentry.Frame) []string {
	top := "no-app-frame"
	for i := len(frames) - 1; i >= 0; i-- {
		if f := frames[i]; f.InApp {
			top = f.Module + "." + f.Function
			break
		}
	}
	return []string{route, kind, cause, top}
}

// stackFrames converts program counters (innermost first) into Sentry
// frames (outermost first), marking our own code, except the middleware
// and helpers that only pass faults on, as in-app.
func stackFrames(pcs []uintptr) []sentry.Frame {
	if len(pcs) == 0 {
		return nil
	}
	var frames []sentry.Frame
	it := runtime.CallersFrames(pcs)
	for {
		f, more := it.Next()
		if f.Function != "" {
			sf := sentry.NewFrame(f)
			sf.InApp = strings.HasPrefix(f.Function, modulePath) && !passesFaultsOn(f.Function)
			frames = append(frames, sf)
		}
		if !more {
			break
		}
	}
	for i, j := 0, len(frames)-1; i < j; i, j = i+1, j-1 {
		frames[i], frames[j] = frames[j], frames[i]
	}
	return frames
}

// passesFaultsOn names functions that sit between a handler and the point
// where a fault is seen without being its cause: the HTTP helpers (a
// panic while encoding belongs to the handler that asked), and the error
// helpers of the API and the pages that call httpx.ReportError. Outer
// middleware needs no entry: the innermost in-app frame is chosen.
func passesFaultsOn(function string) bool {
	pkg, name := splitFunction(function)
	switch pkg {
	case modulePath + "internal/httpx":
		return true
	case modulePath + "internal/api":
		return name == "(*API).fail"
	case modulePath + "internal/ui":
		return name == "(*UI).serverError"
	}
	return false
}

// splitFunction splits "example.com/a/b.(*T).m" into its package path and
// the rest.
func splitFunction(function string) (pkg, name string) {
	slash := strings.LastIndex(function, "/")
	dot := strings.Index(function[slash+1:], ".")
	if dot < 0 {
		return function, ""
	}
	return function[:slash+1+dot], function[slash+1+dot+1:]
}

// panicCause returns the type of a panic value for display and the cause
// it is grouped by.
func panicCause(v any) (typ, cause string) {
	if err, ok := v.(error); ok {
		return rootCause(err)
	}
	t := reflect.TypeOf(v).String()
	return t, t
}

// rootCause returns the type of the innermost wrapped error, since
// wrappers (*fmt.wrapError) say nothing, and the cause it is grouped by:
// that type, plus the text of a plain errors.New value, which is constant
// for the sentinel errors such values are.
func rootCause(err error) (typ, cause string) {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
				next = j.Unwrap()[0]
			}
		}
		if next == nil {
			break
		}
		err = next
	}
	typ = reflect.TypeOf(err).String()
	if typ == "*errors.errorString" {
		return typ, typ + ": " + err.Error()
	}
	return typ, typ
}
