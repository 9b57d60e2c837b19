package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	requestInfoKey
)

// requestInfo is filled in by inner handlers and read by the logger, which
// runs outside them: the authenticated user is only known after the auth
// middleware has run.
type requestInfo struct {
	userID string
	route  string
	hooks  Hooks
	errs   []reportedError // from ReportError, reported when the request ends
}

// RequestID returns the id of the request being served, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// SetLogUser records the authenticated user for the request log line.
func SetLogUser(ctx context.Context, userID string) {
	if info, ok := ctx.Value(requestInfoKey).(*requestInfo); ok {
		info.userID = userID
	}
}

// Route registers handler on mux under pattern and records the pattern for
// the request log. (ServeMux sets Request.Pattern only on the request it
// was given, which middleware that copies the request never sees.)
func Route(mux *http.ServeMux, pattern string, handler http.Handler) {
	remember(mux, pattern)
	mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(requestInfoKey).(*requestInfo); ok {
			info.route = pattern
		}
		handler.ServeHTTP(w, r)
	}))
}

// validRequestID accepts an upstream id (from the load balancer) only if it
// is short and plain, so it cannot forge log lines.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Observe is the outermost middleware: it assigns the request id, logs one
// line per request (method, route pattern, status, duration, user) and turns
// a panic into a 500 problem that carries the request id.
func Observe(logger *slog.Logger, next http.Handler) http.Handler {
	return ObserveWith(logger, Hooks{}, next)
}

// ObserveWith is Observe that also feeds hooks: request metrics, and
// panics and reported errors to the error reporter.
func ObserveWith(logger *slog.Logger, hooks Hooks, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if m := hooks.Metrics; m != nil {
			m.InFlight(1)
			// Deferred first, so it runs last, even when an aborted
			// handler's panic is re-raised below.
			defer m.InFlight(-1)
		}
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		info := &requestInfo{hooks: hooks}
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ctx = context.WithValue(ctx, requestInfoKey, info)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}

		defer func() {
			var panicked any
			var panicPCs []uintptr
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				panicked = v
				if hooks.Errors != nil {
					panicPCs = panicStack()
				}
				logger.ErrorContext(ctx, "panic serving request",
					"request_id", id, "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					if WantsHTML(r) {
						writeErrorPage(rec, id)
					} else {
						WriteProblem(rec, r, NewProblem(http.StatusInternalServerError,
							"Something went wrong on our side. Quote the request id if you report it."))
					}
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			route := info.route
			if route == "" {
				route = "unmatched"
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			logger.LogAttrs(ctx, level, "request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", time.Since(start)),
				slog.String("user_id", info.userID),
			)
			if hooks.Metrics != nil {
				hooks.Metrics.Observed(route, r.Method, status, time.Since(start))
			}
			if hooks.Errors != nil {
				ev := ErrorEvent{Request: r, RequestID: id, Route: route, Method: r.Method, UserID: info.userID, Status: status}
				for _, e := range info.errs {
					fault := ev
					fault.Err, fault.Stack = e.err, e.stack
					hooks.Errors.Report(ctx, &fault)
				}
				if panicked != nil {
					fault := ev
					fault.Panic, fault.Stack = panicked, panicPCs
					hooks.Errors.Report(ctx, &fault)
				}
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// WantsHTML reports whether r is a browser asking for a page rather than
// an API client.
func WantsHTML(r *http.Request) bool {
	return !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html")
}

// errorPage is the last-resort 500 page: plain, self-contained HTML that
// cannot itself fail to render.
const errorPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Something went wrong · RecCollection</title>
<style>body{font:1.1rem/1.6 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f1b16;background:#fffaf3}a{color:#8a3b12}@media (prefers-color-scheme:dark){body{color:#f3ede4;background:#1b1712}a{color:#f0a868}}</style>
</head><body><main><h1>Something went wrong</h1>
<p>Sorry: the kitchen had a mishap on our side. Please try again in a moment.</p>
<p>If it keeps happening, quote this reference: <code>%s</code></p>
<p><a href="/">Back to RecCollection</a></p></main></body></html>
`

func writeErrorPage(w http.ResponseWriter, requestID string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", errorPageCSP) // security.go
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, errorPage, requestID)
}
