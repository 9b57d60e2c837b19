package jobs_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// deadline is how long a test waits for something that normally takes
// well under a second: generous, because the machine may be busy.
const deadline = 60 * time.Second

type echoArgs struct {
	Text string `json:"text"`
}

func (echoArgs) Kind() string { return "echo" }

type failArgs struct {
	N int `json:"n"`
}

func (failArgs) Kind() string { return "fail" }

type panicArgs struct{}

func (panicArgs) Kind() string { return "explode" }

func forEachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, testutil.OpenStore(t, engine))
		})
	}
}

// newQueue returns a queue with its own registry, stopped when the test
// ends.
func newQueue(t *testing.T, s *store.Store, opts jobs.Options) (*jobs.Queue, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	q, err := jobs.New(s, slog.New(slog.NewTextHandler(testWriter{t}, nil)), reg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return q, reg
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func scrape(t *testing.T, reg *prometheus.Registry) testutil.Scrape {
	t.Helper()
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	return testutil.ScrapeMetrics(t, srv.URL)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestJobRuns(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		q, _ := newQueue(t, s, jobs.Options{})
		got := make(chan string, 1)
		jobs.Register(q, func(ctx context.Context, a echoArgs) error {
			got <- a.Text
			return nil
		})
		// Enqueued before Start, as a CLI command would.
		if _, err := q.Enqueue(context.Background(), echoArgs{Text: "bonjour <b>"}, nil); err != nil {
			t.Fatal(err)
		}
		start(t, q)
		select {
		case text := <-got:
			if text != "bonjour <b>" {
				t.Errorf("worker got %q", text)
			}
		case <-time.After(deadline):
			t.Fatal("job did not run")
		}
		waitFor(t, "the job to be recorded as completed", func() bool {
			return countJobs(t, s, "echo", "completed") == 1
		})
	})
}

func TestFailingJobIsCountedAndShown(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		q, reg := newQueue(t, s, jobs.Options{})
		jobs.Register(q, func(ctx context.Context, a failArgs) error {
			return fmt.Errorf("no luck with %d", a.N)
		})
		jobs.Register(q, func(ctx context.Context, a echoArgs) error { return nil })
		before := scrape(t, reg)
		if m := before.Find("reccollection_jobs_failed_total", map[string]string{"kind": "fail"}); m == nil || m.GetCounter().GetValue() != 0 {
			t.Fatalf("registered kind has no zero series before any failure:\n%s", before.Series("reccollection_jobs_failed_total"))
		}
		if _, err := q.Enqueue(context.Background(), failArgs{N: 7}, &jobs.EnqueueOptions{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		start(t, q)
		waitFor(t, "the failure to be counted", func() bool {
			m := scrape(t, reg).Find("reccollection_jobs_failed_total", map[string]string{"kind": "fail"})
			return m != nil && m.GetCounter().GetValue() == 1
		})
		var st jobs.Status
		waitFor(t, "the failure to show in the status", func() bool {
			var err error
			st, err = q.Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return st.FailedLastDay == 1
		})
		if st != (jobs.Status{FailedLastDay: 1}) {
			t.Errorf("status = %+v, want only one failure", st)
		}
		after := scrape(t, reg)
		if m := after.Find("reccollection_jobs_failed_total", map[string]string{"kind": "echo"}); m == nil || m.GetCounter().GetValue() != 0 {
			t.Errorf("a kind that did not fail counts failures:\n%s", after.Series("reccollection_jobs_failed_total"))
		}
		// Labels are kinds, never ids or arguments.
		for _, m := range after["reccollection_jobs_failed_total"].GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() != "kind" || strings.Contains(l.GetValue(), "7") {
					t.Errorf("failure series carries %s=%q", l.GetName(), l.GetValue())
				}
			}
		}
	})
}

// recorder is a fake error tracker.
type recorder struct {
	mu     sync.Mutex
	events []*httpx.ErrorEvent
}

func (r *recorder) Report(_ context.Context, e *httpx.ErrorEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) list() []*httpx.ErrorEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*httpx.ErrorEvent(nil), r.events...)
}

func explode(int) error { panic("boom") }

func TestPanicIsReportedAndCounted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		rec := &recorder{}
		q, reg := newQueue(t, s, jobs.Options{Errors: rec})
		jobs.Register(q, func(ctx context.Context, _ panicArgs) error { return explode(1) })
		if _, err := q.Enqueue(context.Background(), panicArgs{}, &jobs.EnqueueOptions{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		start(t, q)
		waitFor(t, "the panic to be reported", func() bool { return len(rec.list()) > 0 })
		e := rec.list()[0]
		if e.Panic != "boom" || e.Route != "job explode" {
			t.Errorf("reported %+v", e)
		}
		if len(e.Stack) == 0 {
			t.Fatal("no stack")
		}
		if f, _ := runtime.CallersFrames(e.Stack).Next(); !strings.HasSuffix(f.Function, "jobs_test.explode") {
			t.Errorf("stack starts at %s, want the panicking function", f.Function)
		}
		waitFor(t, "the panic to be counted", func() bool {
			m := scrape(t, reg).Find("reccollection_jobs_failed_total", map[string]string{"kind": "explode"})
			return m != nil && m.GetCounter().GetValue() == 1
		})
		waitFor(t, "the job to be discarded", func() bool { return countJobs(t, s, "explode", "discarded") == 1 })
	})
}

func TestQueueDepthAndStatusCountAvailableJobs(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		q, reg := newQueue(t, s, jobs.Options{})
		jobs.Register(q, func(ctx context.Context, a echoArgs) error { return nil })
		depth := func(queue string) float64 {
			m := scrape(t, reg).Find("reccollection_jobs_queue_depth", map[string]string{"queue": queue})
			if m == nil {
				t.Fatalf("no depth series for queue %s", queue)
			}
			return m.GetGauge().GetValue()
		}
		if d := depth("default"); d != 0 {
			t.Errorf("depth of an empty queue = %v", d)
		}
		// Not started: the jobs wait.
		for i := range 3 {
			if _, err := q.Enqueue(ctx, echoArgs{Text: fmt.Sprint(i)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		// A job for later is not available yet.
		if _, err := q.Enqueue(ctx, echoArgs{Text: "later"}, &jobs.EnqueueOptions{RunAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if d, p := depth("default"), depth("periodic"); d != 3 || p != 0 {
			t.Errorf("depth default=%v periodic=%v, want 3 and 0", d, p)
		}
		// One job waiting for a retry.
		id, err := q.Enqueue(ctx, echoArgs{Text: "retry"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		markRetryable(t, s, id)
		st, err := q.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st != (jobs.Status{Available: 3, Retrying: 1}) {
			t.Errorf("status = %+v, want 3 available and 1 retrying", st)
		}
		start(t, q)
		waitFor(t, "the queue to drain", func() bool { return depth("default") == 0 })
	})
}

func TestRegistrationMistakesPanic(t *testing.T) {
	s := testutil.OpenStore(t, "sqlite")
	q, _ := newQueue(t, s, jobs.Options{})
	run := func(context.Context) error { return nil }
	q.Periodic("tidy", time.Hour, run)
	jobs.Register(q, func(context.Context, echoArgs) error { return nil })
	for name, f := range map[string]func(){
		"bad name":        func() { q.Periodic("Tidy Up", time.Hour, run) },
		"tiny interval":   func() { q.Periodic("fast", time.Millisecond, run) },
		"no function":     func() { q.Periodic("none", time.Hour, nil) },
		"duplicate task":  func() { q.Periodic("tidy", time.Hour, run) },
		"duplicate kind":  func() { jobs.Register(q, func(context.Context, echoArgs) error { return nil }) },
		"kind with space": func() { jobs.Register(q, func(context.Context, badKindArgs) error { return nil }) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
	if _, err := q.Enqueue(context.Background(), echoArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	if !panics(func() { q.Periodic("late", time.Hour, run) }) {
		t.Error("registering after the queue is in use: no panic")
	}
}

type badKindArgs struct{}

func (badKindArgs) Kind() string { return "bad kind" }

func panics(f func()) (did bool) {
	defer func() { did = recover() != nil }()
	f()
	return false
}

func countJobs(t *testing.T, s *store.Store, kind, state string) int {
	t.Helper()
	q := "SELECT count(*) FROM river_job WHERE kind = ? AND state = ?"
	if s.Engine() == "postgres" {
		q = "SELECT count(*) FROM river_job WHERE kind = $1 AND state = $2"
	}
	var n int
	if err := s.DB().QueryRowContext(context.Background(), q, kind, state).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// markRetryable puts a job where river leaves one that failed and waits
// for its next attempt, an hour away.
func markRetryable(t *testing.T, s *store.Store, id int64) {
	t.Helper()
	q := "UPDATE river_job SET state = 'retryable', scheduled_at = datetime('now', '+1 hour', 'subsec') WHERE id = ?"
	if s.Engine() == "postgres" {
		q = "UPDATE river_job SET state = 'retryable', scheduled_at = now() + interval '1 hour' WHERE id = $1"
	}
	if _, err := s.DB().ExecContext(context.Background(), q, id); err != nil {
		t.Fatal(err)
	}
}

// A unique job is enqueued once while it waits: a second insert with the
// same arguments returns the first one's id; other arguments make a job of
// their own, and once the first has run it may be enqueued again.
func TestUniqueJobWhileWaiting(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		q, _ := newQueue(t, s, jobs.Options{})
		ran := make(chan string, 4)
		jobs.Register(q, func(ctx context.Context, a echoArgs) error {
			ran <- a.Text
			return nil
		})
		ctx := context.Background()
		unique := &jobs.EnqueueOptions{Unique: true}
		first, err := q.Enqueue(ctx, echoArgs{Text: "a"}, unique)
		if err != nil {
			t.Fatal(err)
		}
		again, err := q.Enqueue(ctx, echoArgs{Text: "a"}, unique)
		if err != nil || again != first {
			t.Fatalf("second insert: id %d, %v; want the first job %d", again, err, first)
		}
		other, err := q.Enqueue(ctx, echoArgs{Text: "b"}, unique)
		if err != nil || other == first {
			t.Fatalf("other arguments: id %d, %v", other, err)
		}
		if n := countJobs(t, s, "echo", "available"); n != 2 {
			t.Errorf("%d jobs waiting, want 2", n)
		}
		start(t, q)
		waitFor(t, "both jobs to complete", func() bool { return countJobs(t, s, "echo", "completed") == 2 })
		if _, err := q.Enqueue(ctx, echoArgs{Text: "a"}, unique); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the job enqueued again to complete", func() bool { return countJobs(t, s, "echo", "completed") == 3 })
	})
}
