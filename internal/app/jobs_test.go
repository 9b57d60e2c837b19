package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestServeRunsTheJobQueue: serve starts the job queue (it takes part in
// leader election and exports its metrics) and stops it before the
// database closes (the leader resigns rather than leaving its lease to
// expire, so another replica takes over at once).
func TestServeRunsTheJobQueue(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var cfg *config.Config
			srv := testutil.StartServing(t, engine, func(c *config.Config) { cfg = c })
			s := testutil.ScrapeMetrics(t, srv.MetricsURL+"/metrics")
			for _, queue := range []string{"default", "periodic"} {
				if m := s.Find("reccollection_jobs_queue_depth", map[string]string{"queue": queue}); m == nil || m.GetGauge().GetValue() != 0 {
					t.Errorf("queue depth of %s:\n%s", queue, s.Series("reccollection_jobs_queue_depth"))
				}
			}
			end := time.Now().Add(time.Minute)
			for leaders(t, srv.App.Store()) != 1 {
				if time.Now().After(end) {
					t.Fatal("the serving app never became the job queue's leader")
				}
				time.Sleep(50 * time.Millisecond)
			}
			if err := srv.Stop(); err != nil {
				t.Fatal(err)
			}
			st, err := app.OpenStore(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n := leaders(t, st); n != 0 {
				t.Errorf("%d leaders after serve stopped; the queue did not stop (and resign) before the database closed", n)
			}
		})
	}
}

func leaders(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(context.Background(), "SELECT count(*) FROM river_leader").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type probeArgs struct{}

func (probeArgs) Kind() string { return "probe" }

// TestAdminStatusShowsTheQueue: the console's system status counts the
// queue's jobs. The server here does not work jobs (no Serve), so a job
// enqueued by another process, as a CLI command would, stays available.
func TestAdminStatusShowsTheQueue(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			srv := testutil.StartServer(t, engine)
			ctx := context.Background()
			cli, err := jobs.New(srv.Store, nil, nil, jobs.Options{})
			if err != nil {
				t.Fatal(err)
			}
			jobs.Register(cli, func(context.Context, probeArgs) error { return nil })
			if _, err := cli.Enqueue(ctx, probeArgs{}, nil); err != nil {
				t.Fatal(err)
			}

			if code := send(t, "POST", srv.URL+"/api/v1/auth/register",
				`{"username":"boss","email":"boss@example.test","password":"`+metricsTestPassword+`"}`, nil); code != http.StatusCreated {
				t.Fatalf("register: %d", code)
			}
			u, err := srv.Store.UserByLogin(ctx, "boss")
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Store.SetRole(ctx, u.ID, auth.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			var login struct{ Token string }
			jobsCall(t, "POST", srv.URL+"/api/v1/auth/login", `{"login":"boss","password":"`+metricsTestPassword+`"}`, "", &login)
			var st struct {
				Queue *struct {
					Health    string
					Available int64
					Running   int64
				}
			}
			jobsCall(t, "GET", srv.URL+"/api/v1/admin/status", "", login.Token, &st)
			if st.Queue == nil || st.Queue.Health != "ok" || st.Queue.Available != 1 || st.Queue.Running != 0 {
				t.Errorf("status queue = %+v, want ok with 1 available", st.Queue)
			}
		})
	}
}

// jobsCall sends one API request (call) that must answer 200 and decodes
// the answer into into.
func jobsCall(t *testing.T, method, url, body, token string, into any) {
	t.Helper()
	code, answer, _ := call(t, http.DefaultClient, method, url, token, body)
	if code != http.StatusOK {
		t.Fatalf("%s %s: %d", method, url, code)
	}
	if err := json.Unmarshal([]byte(answer), into); err != nil {
		t.Fatal(err)
	}
}
