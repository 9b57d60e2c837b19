package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestServerErrorsReachErrorTracker breaks the database under a running
// server: the API answers 500 through its usual error path, and the fault
// arrives at the Sentry endpoint (flushed by the graceful stop) with the
// release, environment, route, method and request id.
func TestServerErrorsReachErrorTracker(t *testing.T) {
	sentry := testutil.NewFakeSentry(t)
	srv := testutil.StartServing(t, "sqlite", func(c *config.Config) {
		c.SentryDSN = sentry.DSN()
		c.Env = config.Staging
	})
	if err := srv.App.Store().DB().Close(); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 2 {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/recipes", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status %d with the database closed, want 500", resp.StatusCode)
		}
		ids = append(ids, resp.Header.Get("X-Request-Id"))
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}

	events := sentry.WaitForEvents(t, 2, 10*time.Second)
	if len(events) != 2 {
		t.Fatalf("%d events after the stop, want 2", len(events))
	}
	for i, ev := range events {
		if ev.Release != observe.Release(buildinfo.Get()) || ev.Environment != "staging" ||
			ev.Tags["route"] != "GET /api/v1/recipes" || ev.Tags["method"] != "GET" || ev.Tags["fault"] != "error" {
			t.Errorf("event %d: release %q env %q tags %v", i, ev.Release, ev.Environment, ev.Tags)
		}
		if ev.Tags["request_id"] != ids[0] && ev.Tags["request_id"] != ids[1] {
			t.Errorf("event %d: request_id %q, want one of %q", i, ev.Tags["request_id"], ids)
		}
		if !strings.Contains(ev.Exception[0].Value, "database is closed") {
			t.Errorf("event %d: exception %+v", i, ev.Exception[0])
		}
	}
	if a, b := strings.Join(events[0].Fingerprint, "|"), strings.Join(events[1].Fingerprint, "|"); a != b || a == "" {
		t.Errorf("one fault, two fingerprints: %q, %q", a, b)
	} else {
		t.Logf("fingerprint %s", a)
	}
}
