package observe_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/testutil"
)

func serveMetrics(t *testing.T, m *observe.Metrics) string {
	ts := httptest.NewServer(m.Handler())
	t.Cleanup(ts.Close)
	return ts.URL + "/metrics"
}

// TestHistogramBuckets records known durations and checks every
// cumulative bucket count after a scrape over HTTP.
func TestHistogramBuckets(t *testing.T) {
	m := observe.NewMetrics()
	for _, d := range []time.Duration{
		3 * time.Millisecond, 4 * time.Millisecond, // le 0.005
		40 * time.Millisecond,  // le 0.05
		250 * time.Millisecond, // le 0.3
		299 * time.Millisecond, // le 0.3
		310 * time.Millisecond, // le 0.5
		3 * time.Second,        // le 5
		11 * time.Second,       // +Inf only
	} {
		m.Observed("GET /recipes/{id}", "GET", 200, d)
	}
	m.Observed("GET /recipes/{id}", "get", 200, time.Millisecond)
	m.Observed("GET /recipes/{id}", "BREW", 418, time.Millisecond)

	s := testutil.ScrapeMetrics(t, serveMetrics(t, m))
	h := s.Find("http_request_duration_seconds", map[string]string{"route": "GET /recipes/{id}", "method": "GET", "status": "2xx"}).GetHistogram()
	want := map[float64]uint64{0.005: 2, 0.01: 2, 0.025: 2, 0.05: 3, 0.1: 3, 0.2: 3, 0.3: 5, 0.5: 6, 1: 6, 2.5: 6, 5: 7, 10: 7}
	for _, b := range h.GetBucket() {
		w, ok := want[b.GetUpperBound()]
		if !ok {
			w = 8 // +Inf
		}
		if b.GetCumulativeCount() != w {
			t.Errorf("le=%v: %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), w)
		}
	}
	if h.GetSampleCount() != 8 {
		t.Errorf("count %d, want 8", h.GetSampleCount())
	}
	// Methods outside the standard set, including lower-case spellings a
	// client may invent, fold into OTHER.
	if c := s.Find("http_request_duration_seconds", map[string]string{"method": "OTHER", "status": "2xx"}).GetHistogram().GetSampleCount(); c != 1 {
		t.Errorf("lower-case get: OTHER count %d, want 1; series:\n%s", c, s.Series("http_request_duration_seconds"))
	}
	if s.Find("http_request_duration_seconds", map[string]string{"method": "OTHER", "status": "4xx"}) == nil {
		t.Errorf("BREW not counted as OTHER 4xx; series:\n%s", s.Series("http_request_duration_seconds"))
	}
}

func TestStatusClassAndMethod(t *testing.T) {
	for status, want := range map[int]string{100: "1xx", 200: "2xx", 204: "2xx", 301: "3xx", 404: "4xx", 429: "4xx", 500: "5xx", 503: "5xx", 0: "other", 999: "other"} {
		if got := observe.StatusClass(status); got != want {
			t.Errorf("StatusClass(%d) = %q, want %q", status, got, want)
		}
	}
	for method, want := range map[string]string{"GET": "GET", "POST": "POST", "PUT": "PUT", "PATCH": "PATCH", "DELETE": "DELETE",
		"HEAD": "HEAD", "OPTIONS": "OPTIONS", "TRACE": "OTHER", "CONNECT": "OTHER", "get": "OTHER", "X-EVIL-12345": "OTHER"} {
		if got := observe.NormalizeMethod(method); got != want {
			t.Errorf("NormalizeMethod(%q) = %q, want %q", method, got, want)
		}
	}
}

// TestObserveFeedsMetrics runs requests through httpx.ObserveWith: the
// route pattern labels them, unmatched requests and panics are counted,
// and the in-flight gauge returns to zero even for an aborted handler.
func TestObserveFeedsMetrics(t *testing.T) {
	m := observe.NewMetrics()
	mux := http.NewServeMux()
	httpx.Route(mux, "GET /items/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	httpx.Route(mux, "GET /panic", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	httpx.Route(mux, "GET /abort", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }))
	mux.Handle("GET /plain", http.NotFoundHandler()) // not registered through httpx.Route
	ts := httptest.NewServer(httpx.ObserveWith(slog.New(slog.NewTextHandler(io.Discard, nil)), httpx.Hooks{Metrics: m}, mux))
	defer ts.Close()
	for _, p := range []string{"/items/1", "/items/2", "/items/3", "/panic", "/plain", "/abort"} {
		resp, err := http.Get(ts.URL + p)
		if err == nil {
			resp.Body.Close()
		}
	}
	s := testutil.ScrapeMetrics(t, serveMetrics(t, m))
	for _, w := range []struct {
		route, status string
		count         uint64
	}{{"GET /items/{id}", "2xx", 3}, {"GET /panic", "5xx", 1}, {"unmatched", "4xx", 1}} {
		got := s.Find("http_request_duration_seconds", map[string]string{"route": w.route, "method": "GET", "status": w.status})
		if got.GetHistogram().GetSampleCount() != w.count {
			t.Errorf("%s %s: %d, want %d; series:\n%s", w.route, w.status, got.GetHistogram().GetSampleCount(), w.count, s.Series("http_request_duration_seconds"))
		}
	}
	if g := s.Find("http_requests_in_flight", nil).GetGauge().GetValue(); g != 0 {
		t.Errorf("in flight %v after every request ended, want 0", g)
	}
}

func TestLoginFailureReasons(t *testing.T) {
	m := observe.NewMetrics()
	m.LoginFailed(observe.LoginBadCredentials)
	m.LoginFailed(observe.LoginBadCredentials)
	m.LoginFailed(observe.LoginThrottled)
	m.LoginFailed("alice@example.test") // never a label value
	s := testutil.ScrapeMetrics(t, serveMetrics(t, m))
	for reason, want := range map[string]float64{"bad_credentials": 2, "throttled": 1, "other": 1} {
		if got := s.Find("reccollection_login_failures_total", map[string]string{"reason": reason}).GetCounter().GetValue(); got != want {
			t.Errorf("reason %s: %v, want %v", reason, got, want)
		}
	}
	if len(s["reccollection_login_failures_total"].GetMetric()) != 3 {
		t.Errorf("series:\n%s", s.Series("reccollection_login_failures_total"))
	}
}

// Two Metrics never share state: each App and test has its own registry.
func TestMetricsAreIndependent(t *testing.T) {
	a, b := observe.NewMetrics(), observe.NewMetrics()
	a.Observed("GET /x", "GET", 200, time.Millisecond)
	s := testutil.ScrapeMetrics(t, serveMetrics(t, b))
	if s.Find("http_request_duration_seconds", nil) != nil {
		t.Errorf("b sees a's request:\n%s", s.Series("http_request_duration_seconds"))
	}
}

// TestBackupLastSuccess: the series is absent until a backup succeeded
// (or while the database cannot say), then carries the time of the
// newest one as read at the scrape.
func TestBackupLastSuccess(t *testing.T) {
	var last time.Time
	var lookupErr error
	m := observe.NewMetrics()
	m.RegisterBackupLastSuccess(func(context.Context) (time.Time, bool, error) {
		return last, !last.IsZero(), lookupErr
	})
	url := serveMetrics(t, m)
	if f := testutil.ScrapeMetrics(t, url)[observe.MetricBackupLastSuccess]; f != nil && len(f.GetMetric()) > 0 {
		t.Fatalf("exported before any backup: %v", f)
	}
	last = time.Unix(1_764_000_000, 500_000_000)
	got := testutil.ScrapeMetrics(t, url).Find(observe.MetricBackupLastSuccess, nil).GetGauge().GetValue()
	if got != 1_764_000_000.5 {
		t.Errorf("value %v, want 1764000000.5", got)
	}
	lookupErr = errors.New("database down")
	if f := testutil.ScrapeMetrics(t, url)[observe.MetricBackupLastSuccess]; f != nil && len(f.GetMetric()) > 0 {
		t.Errorf("exported although the lookup failed: %v", f)
	}
}
