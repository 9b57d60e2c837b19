package app_test

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/testutil"
)

const metricsTestPassword = "correct horse battery staple"

// TestMetricsAfterRealTraffic runs the app as `serve` does, sends real
// requests to the public listener and scrapes the internal one.
func TestMetricsAfterRealTraffic(t *testing.T) {
	srv := testutil.StartServing(t, "sqlite", func(c *config.Config) { c.ShutdownDelay = 2 * time.Second })
	if srv.MetricsURL == "" {
		t.Fatal("metrics listener not started")
	}
	// The public listener does not serve /metrics.
	if code := send(t, "GET", srv.URL+"/metrics", "", nil); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public listener: %d, want 404", code)
	}

	for range 3 {
		wantStatus(t, send(t, "GET", srv.URL+"/healthz", "", nil), 200)
	}
	wantStatus(t, send(t, "GET", srv.URL+"/readyz", "", nil), 200)
	for range 2 {
		wantStatus(t, send(t, "GET", srv.URL+"/api/v1/recipes?limit=5", "", nil), 200)
	}
	wantStatus(t, send(t, "GET", srv.URL+"/api/v1/no/such/thing/12345", "", nil), 404)
	wantStatus(t, send(t, "POST", srv.URL+"/api/v1/auth/register",
		`{"username":"metrics","email":"metrics@example.test","password":"`+metricsTestPassword+`"}`, nil), 201)
	wantStatus(t, send(t, "POST", srv.URL+"/api/v1/auth/login", `{"login":"metrics","password":"wrong password here"}`, nil), 401)
	wantStatus(t, send(t, "POST", srv.URL+"/api/v1/auth/login", `{"login":"nobody","password":"wrong password here"}`, nil), 401)
	// A method nobody routes is counted as OTHER, not under its own name.
	send(t, "PROPFIND", srv.URL+"/webdav/secret-path", "", nil)
	// Refused by cross-origin protection before any route matched.
	wantStatus(t, send(t, "POST", srv.URL+"/api/v1/recipes", `{}`, map[string]string{"Sec-Fetch-Site": "cross-site"}), 403)

	// A request whose body is still arriving is in flight.
	release := slowRequest(t, srv.URL, "/api/v1/auth/register")
	waitGauge(t, srv.MetricsURL, "http_requests_in_flight", 1)
	wantStatus(t, release(), 400)
	waitGauge(t, srv.MetricsURL, "http_requests_in_flight", 0)

	s := testutil.ScrapeMetrics(t, srv.MetricsURL+"/metrics")
	want := []struct {
		route, method, status string
		count                 uint64
	}{
		{"GET /healthz", "GET", "2xx", 3 + 1}, // and StartServing's probe
		{"GET /readyz", "GET", "2xx", 1},
		{"GET /api/v1/recipes", "GET", "2xx", 2},
		{"/api/", "GET", "4xx", 1},
		{"POST /api/v1/auth/register", "POST", "2xx", 1},
		{"POST /api/v1/auth/register", "POST", "4xx", 1},
		{"POST /api/v1/auth/login", "POST", "4xx", 2},
		{"/", "OTHER", "4xx", 1},
		{"unmatched", "POST", "4xx", 1},
		{"/", "GET", "4xx", 1}, // GET /metrics on the public listener
	}
	var total uint64
	for _, w := range want {
		m := s.Find("http_request_duration_seconds", map[string]string{"route": w.route, "method": w.method, "status": w.status})
		if m == nil {
			t.Errorf("no series route=%q method=%q status=%q; have:\n%s", w.route, w.method, w.status, s.Series("http_request_duration_seconds"))
			continue
		}
		h := m.GetHistogram()
		if h.GetSampleCount() != w.count {
			t.Errorf("route=%q method=%q status=%q: count %d, want %d", w.route, w.method, w.status, h.GetSampleCount(), w.count)
		}
		checkBuckets(t, w.route, h)
		total += h.GetSampleCount()
	}
	var all uint64
	for _, m := range s["http_request_duration_seconds"].GetMetric() {
		all += m.GetHistogram().GetSampleCount()
		for _, l := range m.GetLabel() {
			if strings.Contains(l.GetValue(), "secret-path") || strings.Contains(l.GetValue(), "12345") || strings.Contains(l.GetValue(), "PROPFIND") {
				t.Errorf("label %s=%q carries request input", l.GetName(), l.GetValue())
			}
		}
	}
	if all != total {
		t.Errorf("%d requests recorded, %d expected; series:\n%s", all, total, s.Series("http_request_duration_seconds"))
	}

	if m := s.Find("reccollection_login_failures_total", map[string]string{"reason": "bad_credentials"}); m.GetCounter().GetValue() != 2 {
		t.Errorf("login failures (bad_credentials) = %v, want 2", m.GetCounter().GetValue())
	}
	if m := s.Find("reccollection_login_failures_total", map[string]string{"reason": "throttled"}); m == nil || m.GetCounter().GetValue() != 0 {
		t.Errorf("login failures (throttled) missing or not 0: %v", m)
	}
	bi := buildinfo.Get()
	if m := s.Find("reccollection_build_info", map[string]string{"version": bi.Version, "commit": bi.Commit, "go_version": bi.GoVersion}); m.GetGauge().GetValue() != 1 {
		t.Errorf("build info: %s", s.Series("reccollection_build_info"))
	}
	if m := s.Find("reccollection_ready", nil); m.GetGauge().GetValue() != 1 {
		t.Errorf("reccollection_ready = %v while serving, want 1", m.GetGauge().GetValue())
	}
	for _, name := range []string{"go_sql_open_connections", "go_sql_in_use_connections", "go_sql_idle_connections",
		"go_sql_max_open_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total"} {
		if s.Find(name, map[string]string{"db_name": "primary"}) == nil {
			t.Errorf("no %s{db_name=\"primary\"}", name)
		}
	}
	if m := s.Find("go_sql_open_connections", map[string]string{"db_name": "primary"}); m.GetGauge().GetValue() < 1 {
		t.Errorf("go_sql_open_connections = %v after queries, want at least 1", m.GetGauge().GetValue())
	}
	// The requests above ran statements, and they took time.
	for _, name := range []string{observe.MetricDBQueries, observe.MetricDBQuerySeconds} {
		if m := s.Find(name, nil); m.GetCounter().GetValue() <= 0 {
			t.Errorf("%s = %v after requests that query, want more than 0", name, m.GetCounter().GetValue())
		}
	}

	// While draining, readiness is 0 and metrics still answer; after the
	// stop the metrics listener is closed too.
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop() }()
	waitGauge(t, srv.MetricsURL, "reccollection_ready", 0)
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
	if resp, err := http.Get(srv.MetricsURL + "/metrics"); err == nil {
		resp.Body.Close()
		t.Error("metrics listener still answers after the server stopped")
	}
}

// checkBuckets checks the histogram's shape: our bucket boundaries,
// cumulative counts, +Inf holding every request, and every request (all
// well under 10 s here) already in the 10 s bucket.
func checkBuckets(t *testing.T, route string, h *dto.Histogram) {
	t.Helper()
	want := []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10, math.Inf(1)}
	b := h.GetBucket()
	if len(b) != len(want) {
		t.Fatalf("%s: %d buckets, want %d", route, len(b), len(want))
	}
	var prev uint64
	for i, bk := range b {
		if bk.GetUpperBound() != want[i] {
			t.Errorf("%s: bucket %d bound %v, want %v", route, i, bk.GetUpperBound(), want[i])
		}
		if bk.GetCumulativeCount() < prev {
			t.Errorf("%s: bucket le=%v count %d below the previous %d", route, bk.GetUpperBound(), bk.GetCumulativeCount(), prev)
		}
		prev = bk.GetCumulativeCount()
	}
	for _, le := range b[len(b)-2:] {
		if le.GetCumulativeCount() != h.GetSampleCount() {
			t.Errorf("%s: le=%v holds %d of %d requests", route, le.GetUpperBound(), le.GetCumulativeCount(), h.GetSampleCount())
		}
	}
	if h.GetSampleSum() <= 0 {
		t.Errorf("%s: sum %v", route, h.GetSampleSum())
	}
}

func send(t *testing.T, method, url, body string, headers map[string]string) int {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func wantStatus(t *testing.T, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("status %d, want %d", got, want)
	}
}

// slowRequest sends the headers of a POST and half its body, and returns
// a function that sends the rest (which is not valid JSON) and returns
// the status.
func slowRequest(t *testing.T, base, path string) (release func() int) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	body := `{"username": "slow", "nonsense`
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		path, len(body)+1, body[:10])
	return func() int {
		if _, err := io.WriteString(conn, body[10:]+"}"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
}

// waitGauge scrapes until the gauge name has value want, for up to 5 s.
func waitGauge(t *testing.T, metricsURL, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := testutil.ScrapeMetrics(t, metricsURL+"/metrics")
		got := s.Find(name, nil).GetGauge().GetValue()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s = %v, want %v", name, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The account service's failure reasons are the metric's label values.
func TestLoginFailureReasonsMatchMetricLabels(t *testing.T) {
	if account.FailureBadCredentials != observe.LoginBadCredentials || account.FailureThrottled != observe.LoginThrottled {
		t.Errorf("account reasons %q/%q, metric labels %q/%q", account.FailureBadCredentials, account.FailureThrottled,
			observe.LoginBadCredentials, observe.LoginThrottled)
	}
}
