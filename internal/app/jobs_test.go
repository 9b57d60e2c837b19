package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
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
