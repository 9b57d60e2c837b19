package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestProfilesOnlyOnTheMetricsListener: the runtime profiles answer on the
// internal metrics listener and are unknown to the public one.
func TestProfilesOnlyOnTheMetricsListener(t *testing.T) {
	get := func(t *testing.T, target string) (int, string) {
		t.Helper()
		code, body, _ := call(t, http.DefaultClient, "GET", target, "", "")
		return code, body
	}
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			srv := testutil.StartServing(t, engine, nil)
			if srv.MetricsURL == "" {
				t.Fatal("metrics listener not started")
			}
			for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1", "/debug/pprof/cmdline"} {
				if code, _ := get(t, srv.URL+path); code != http.StatusNotFound {
					t.Errorf("public GET %s: %d, want 404", path, code)
				}
			}
			code, body := get(t, srv.MetricsURL+"/debug/pprof/")
			if code != http.StatusOK || !strings.Contains(body, "goroutine") {
				t.Errorf("internal GET /debug/pprof/: %d %.200q, want 200 and the profile index", code, body)
			}
			// A short CPU profile: gzipped protobuf, so it starts with the gzip magic.
			code, body = get(t, srv.MetricsURL+"/debug/pprof/profile?seconds=1")
			if code != http.StatusOK || !strings.HasPrefix(body, "\x1f\x8b") {
				t.Errorf("internal CPU profile: %d, %d bytes, want 200 and a gzipped profile", code, len(body))
			}
			if code, _ := get(t, srv.MetricsURL+"/metrics"); code != http.StatusOK {
				t.Errorf("internal GET /metrics: %d, want 200", code)
			}
		})
	}
}
