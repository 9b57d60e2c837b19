package observe

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/reccollection/reccollection/internal/buildinfo"
)

// Metric names that alert rules, the dashboard and docs/operations.md
// refer to. Renaming one breaks them; a test checks that the rules in
// deploy/monitoring use only names the app exports.
const (
	MetricRequestDuration = "http_request_duration_seconds"
	MetricInFlight        = "http_requests_in_flight"
	MetricLoginFailures   = "reccollection_login_failures_total"
	MetricBuildInfo       = "reccollection_build_info"
	MetricReady           = "reccollection_ready"

	// Registered on Metrics.Registry by the job queue (internal/jobs),
	// labelled by queue and job kind from the fixed sets this build knows,
	// never by job id or arguments:
	//
	//	reccollection_jobs_queue_depth{queue}     gauge: jobs available and not yet running, counted at scrape time
	//	reccollection_jobs_failed_total{kind}     counter: job attempts that failed (an error or a panic)
	//
	// The JobsFailing alert in deploy/monitoring/prometheus-rules.yml is
	// written against MetricJobsFailed.
	MetricJobsQueueDepth = "reccollection_jobs_queue_depth"
	MetricJobsFailed     = "reccollection_jobs_failed_total"

	// When the newest successful backup finished, read from the database
	// (backup_runs) at every scrape by RegisterBackupLastSuccess, so every
	// replica reports the same time whichever replica or CronJob made the
	// backup. Absent until a first backup succeeds. The BackupTooOld alert
	// watches it.
	MetricBackupLastSuccess = "reccollection_backup_last_success_timestamp_seconds"

	// Statements sent to the database and the seconds they took (until
	// their rows were closed), counted in the store with atomic adds and
	// read at scrape time. Their rates divided by the request rate give
	// queries and database time per request, which the benchmark reports.
	MetricDBQueries      = "reccollection_db_queries_total"
	MetricDBQuerySeconds = "reccollection_db_query_seconds_total"
)

// Login failure reasons, the only values of the reason label.
const (
	LoginBadCredentials = "bad_credentials"
	LoginThrottled      = "throttled"
)

// durationBuckets have a boundary at the 300 ms latency objective, so
// histogram_quantile is exact where the p95 alert decides.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10}

// Metrics holds the application's Prometheus collectors on a registry of
// its own rather than the global default, so that every App (and every
// test) counts separately and nothing registers behind our back.
type Metrics struct {
	Registry *prometheus.Registry

	duration      *prometheus.HistogramVec
	inFlight      prometheus.Gauge
	loginFailures *prometheus.CounterVec
}

// NewMetrics creates the registry with the HTTP, login, build and Go
// runtime/process metrics. Database and readiness metrics are added by
// RegisterDB and RegisterReadiness once those exist.
func NewMetrics() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    MetricRequestDuration,
		Help:    "Time to answer HTTP requests, by route pattern, method and status class.",
		Buckets: durationBuckets,
	}, []string{"route", "method", "status"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: MetricInFlight,
		Help: "HTTP requests being served right now.",
	})
	m.loginFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: MetricLoginFailures,
		Help: "Refused sign-ins: bad_credentials (wrong login or password) or throttled (too many recent failures).",
	}, []string{"reason"})
	// Both reasons exist from the start, so rate() sees a zero before the
	// first failure rather than no series at all.
	m.loginFailures.WithLabelValues(LoginBadCredentials)
	m.loginFailures.WithLabelValues(LoginThrottled)

	bi := buildinfo.Get()
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        MetricBuildInfo,
		Help:        "Always 1; its labels say which build is running.",
		ConstLabels: prometheus.Labels{"version": bi.Version, "commit": bi.Commit, "go_version": bi.GoVersion},
	})
	build.Set(1)

	m.Registry.MustRegister(m.duration, m.inFlight, m.loginFailures, build,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// RegisterDB exports a pool's statistics (sql.DBStats, read from stats at
// each scrape) as the go_sql_* metrics, labelled db_name=name: open, in
// use and idle connections, the pool limit, and how often and how long
// callers waited for a connection.
func (m *Metrics) RegisterDB(name string, stats func() sql.DBStats) {
	m.Registry.MustRegister(newDBStatsCollector(name, stats))
}

// RegisterQueryStats exports the store's statement count and time, read
// from stats at every scrape, as reccollection_db_queries_total and
// reccollection_db_query_seconds_total.
func (m *Metrics) RegisterQueryStats(stats func() (queries uint64, seconds float64)) {
	m.Registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: MetricDBQueries,
			Help: "Statements sent to the database (primary and replicas).",
		}, func() float64 { n, _ := stats(); return float64(n) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: MetricDBQuerySeconds,
			Help: "Time the database took to answer statements, from sending each until its rows were read.",
		}, func() float64 { _, s := stats(); return s }),
	)
}

// RegisterReadiness exports ready() as reccollection_ready (1 ready, 0 not),
// evaluated at every scrape, so the alert and /readyz agree.
func (m *Metrics) RegisterReadiness(ready func() bool) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: MetricReady,
		Help: "1 when this instance would answer /readyz with 200 (not draining, database reachable, schema current), else 0.",
	}, func() float64 {
		if ready() {
			return 1
		}
		return 0
	}))
}

// RegisterBackupLastSuccess exports last() as
// reccollection_backup_last_success_timestamp_seconds, evaluated at every
// scrape. No sample is exported while no backup has succeeded or when the
// lookup fails: a made-up zero would read as "a backup in 1970".
func (m *Metrics) RegisterBackupLastSuccess(last func(ctx context.Context) (time.Time, bool, error)) {
	m.Registry.MustRegister(&backupCollector{last: last, desc: prometheus.NewDesc(MetricBackupLastSuccess,
		"Unix time when the newest successful backup finished (from the database, the same on every replica).", nil, nil)})
}

type backupCollector struct {
	last func(ctx context.Context) (time.Time, bool, error)
	desc *prometheus.Desc
}

func (c *backupCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *backupCollector) Collect(ch chan<- prometheus.Metric) {
	// A scrape must not hang on a slow database.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	t, ok, err := c.last(ctx)
	if err != nil || !ok {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(t.UnixNano())/1e9)
}

// Handler serves the registry in the Prometheus exposition format. It is
// meant for the internal metrics listener only.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{
		Registry:          m.Registry, // promhttp_metric_handler_errors_total
		EnableOpenMetrics: true,
	}))
	return mux
}

// InFlight implements httpx.RequestMetrics.
func (m *Metrics) InFlight(delta int) { m.inFlight.Add(float64(delta)) }

// Observed implements httpx.RequestMetrics.
func (m *Metrics) Observed(route, method string, status int, elapsed time.Duration) {
	m.duration.WithLabelValues(route, NormalizeMethod(method), StatusClass(status)).Observe(elapsed.Seconds())
}

// LoginFailed implements account.LoginObserver.
func (m *Metrics) LoginFailed(reason string) {
	switch reason {
	case LoginBadCredentials, LoginThrottled:
	default:
		reason = "other"
	}
	m.loginFailures.WithLabelValues(reason).Inc()
}

// NormalizeMethod keeps the standard methods and folds anything else
// (which a client may invent freely) into OTHER, so a label cannot grow
// without bound.
func NormalizeMethod(method string) string {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodHead, http.MethodOptions:
		return method
	}
	return "OTHER"
}

// StatusClass turns a status code into "1xx" … "5xx".
func StatusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}
