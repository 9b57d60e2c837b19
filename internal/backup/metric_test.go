package backup_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/testutil"
)

// failingStore refuses every write, like a full or unreachable bucket.
type failingStore struct{ *memStore }

func (failingStore) Put(context.Context, string, io.Reader, int64, string) error {
	return errors.New("bucket is full")
}

// TestLastSuccessIsSharedByReplicas: two replicas on one PostgreSQL
// database export the same last-success time whichever made the backup,
// and a failed backup does not move it.
func TestLastSuccessIsSharedByReplicas(t *testing.T) {
	ctx := context.Background()
	url := testutil.PostgresURL(t)
	var replicas [2]*store.Store
	var scrapes [2]string
	for i := range replicas {
		st, err := store.Open(ctx, store.Options{DatabaseURL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if _, err := st.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		replicas[i] = st
		m := observe.NewMetrics()
		m.RegisterBackupLastSuccess(st.LastBackupSuccess)
		ts := httptest.NewServer(m.Handler())
		t.Cleanup(ts.Close)
		scrapes[i] = ts.URL + "/metrics"
	}
	value := func(i int) (float64, bool) {
		f := testutil.ScrapeMetrics(t, scrapes[i])[observe.MetricBackupLastSuccess]
		if f == nil || len(f.GetMetric()) == 0 {
			return 0, false
		}
		return f.GetMetric()[0].GetGauge().GetValue(), true
	}
	if _, ok := value(1); ok {
		t.Fatal("exported before any backup")
	}
	now := time.Date(2026, 11, 25, 20, 15, 0, 0, time.UTC)
	svc := backup.New(replicas[0], nil, newMemStore("backups"), backup.Options{Now: func() time.Time { return now }})
	if _, err := svc.Create(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range replicas {
		if v, ok := value(i); !ok || v != float64(now.Unix()) {
			t.Errorf("replica %d exports %v (%v), want %d", i, v, ok, now.Unix())
		}
	}
	later := now.Add(24 * time.Hour)
	broken := backup.New(replicas[1], nil, failingStore{newMemStore("broken")}, backup.Options{Now: func() time.Time { return later }})
	if _, err := broken.Create(ctx); err == nil {
		t.Fatal("backup into a failing store succeeded")
	}
	if v, _ := value(0); v != float64(now.Unix()) {
		t.Errorf("after a failed backup the metric moved to %v", v)
	}
}
