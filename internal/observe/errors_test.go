package observe_test

import (
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/testutil"
)

var errStockEmpty = fmt.Errorf("stock pot is empty")

// Two different faults, each in its own function, as in real handlers.
func explodeStock(id string) {
	panic(fmt.Errorf("simmer %s: %w", id, errStockEmpty))
}

type oven struct{ degrees int }

func readOven(o *oven) int {
	return o.degrees // nil pointer dereference when o is nil
}

// faultyServer mounts faulty handlers behind the production middleware,
// httpx.ObserveWith with the tracker as its error reporter.
func faultyServer(t *testing.T, tracker *observe.ErrorTracker) *httptest.Server {
	mux := http.NewServeMux()
	httpx.Route(mux, "GET /stock/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetLogUser(r.Context(), r.URL.Query().Get("user"))
		explodeStock(r.PathValue("id"))
	}))
	httpx.Route(mux, "GET /oven", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var o *oven
		fmt.Fprint(w, readOven(o))
	}))
	httpx.Route(mux, "GET /recipes/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// What api.fail does with an unexpected error.
		httpx.ReportError(r.Context(), fmt.Errorf("load recipe %s: %w", r.PathValue("id"), sql.ErrConnDone))
		httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusInternalServerError, "Something went wrong on our side."))
	}))
	ts := httptest.NewServer(httpx.ObserveWith(slog.New(slog.NewTextHandler(io.Discard, nil)), httpx.Hooks{Errors: tracker}, mux))
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string, header map[string]string) (status int, requestID string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("X-Request-Id")
}

func TestPanicsReachSentryGroupedByFault(t *testing.T) {
	sentry := testutil.NewFakeSentry(t)
	tracker, err := observe.NewErrorTracker(sentry.DSN(), "staging")
	if err != nil {
		t.Fatal(err)
	}
	ts := faultyServer(t, tracker)

	secret := map[string]string{"Cookie": "recc_session=top-secret-cookie", "Authorization": "Bearer top-secret-token"}
	byRequest := map[string]string{} // request id → path
	for i, path := range []string{"/stock/1?user=u-1", "/stock/2?user=u-2", "/oven", "/recipes/r-1", "/recipes/r-2"} {
		status, id := get(t, ts.URL+path, secret)
		if status != http.StatusInternalServerError || id == "" {
			t.Fatalf("request %d %s: status %d, request id %q", i, path, status, id)
		}
		byRequest[id] = path
	}
	if !tracker.Flush(10 * time.Second) {
		t.Fatal("events not flushed within 10s")
	}
	events := sentry.WaitForEvents(t, len(byRequest), 10*time.Second)
	if len(events) != len(byRequest) {
		t.Fatalf("received %d events, want %d", len(events), len(byRequest))
	}
	for _, a := range sentry.AuthHeaders() {
		if !strings.Contains(a, "sentry_key=public-key") {
			t.Errorf("X-Sentry-Auth %q lacks the DSN key", a)
		}
	}

	fingerprints := map[string]string{} // path without query → fingerprint
	wantRelease := observe.Release(buildinfo.Get())
	for _, ev := range events {
		path, ok := byRequest[ev.Tags["request_id"]]
		if !ok {
			t.Errorf("event with unknown request_id tag %q", ev.Tags["request_id"])
			continue
		}
		if ev.Release != wantRelease || ev.Environment != "staging" {
			t.Errorf("%s: release %q environment %q, want %q staging", path, ev.Release, ev.Environment, wantRelease)
		}
		if ev.Tags["method"] != "GET" {
			t.Errorf("%s: method tag %q", path, ev.Tags["method"])
		}
		if strings.Contains(ev.Raw, "top-secret") {
			t.Errorf("%s: event carries the cookie or bearer token:\n%s", path, ev.Raw)
		}
		if len(ev.Exception) != 1 || len(ev.Fingerprint) == 0 {
			t.Errorf("%s: exception %+v fingerprint %q", path, ev.Exception, ev.Fingerprint)
			continue
		}
		frames := ev.Exception[0].Stacktrace.Frames
		if len(frames) == 0 {
			t.Errorf("%s: no stack trace", path)
		}
		p, _, _ := strings.Cut(path, "?")
		switch {
		case strings.HasPrefix(p, "/stock/"):
			user := strings.TrimPrefix(path, p+"?user=")
			if ev.Tags["route"] != "GET /stock/{id}" || ev.User.ID != user || ev.Level != "fatal" || ev.Tags["fault"] != "panic" {
				t.Errorf("%s: route %q user %q level %q fault %q", path, ev.Tags["route"], ev.User.ID, ev.Level, ev.Tags["fault"])
			}
			if top := frames[len(frames)-1]; !strings.HasSuffix(top.Function, "explodeStock") || !top.InApp {
				t.Errorf("%s: innermost frame %+v, want explodeStock (in app)", path, top)
			}
			fingerprints["stock"+p] = strings.Join(ev.Fingerprint, "|")
		case p == "/oven":
			if ev.Tags["route"] != "GET /oven" || ev.User.ID != "" || !strings.Contains(ev.Exception[0].Value, "nil pointer") {
				t.Errorf("%s: route %q user %q exception %+v", path, ev.Tags["route"], ev.User.ID, ev.Exception[0])
			}
			fingerprints["oven"] = strings.Join(ev.Fingerprint, "|")
		default:
			if ev.Tags["route"] != "GET /recipes/{id}" || ev.Level != "error" || ev.Tags["fault"] != "error" ||
				!strings.Contains(ev.Exception[0].Value, "load recipe") {
				t.Errorf("%s: route %q level %q fault %q exception %+v", path, ev.Tags["route"], ev.Level, ev.Tags["fault"], ev.Exception[0])
			}
			fingerprints["recipe"+p] = strings.Join(ev.Fingerprint, "|")
		}
	}

	stock1, stock2, oven := fingerprints["stock/stock/1"], fingerprints["stock/stock/2"], fingerprints["oven"]
	r1, r2 := fingerprints["recipe/recipes/r-1"], fingerprints["recipe/recipes/r-2"]
	t.Logf("fingerprints:\n  stock %s\n  oven  %s\n  error %s", stock1, oven, r1)
	if stock1 == "" || stock1 != stock2 {
		t.Errorf("one fault, two issues: %q vs %q", stock1, stock2)
	}
	if r1 == "" || r1 != r2 {
		t.Errorf("one reported error, two issues: %q vs %q", r1, r2)
	}
	if oven == "" || oven == stock1 || r1 == stock1 || r1 == oven {
		t.Errorf("different faults share an issue: stock %q oven %q error %q", stock1, oven, r1)
	}
	for _, fp := range []string{stock1, oven, r1} {
		for _, leak := range []string{"u-1", "u-2", "r-1", "r-2", "/stock/1"} {
			if strings.Contains(fp, leak) {
				t.Errorf("fingerprint %q carries request data %q", fp, leak)
			}
		}
	}
	if !strings.Contains(stock1, "explodeStock") || !strings.Contains(oven, "readOven") {
		t.Errorf("fingerprints do not name the faulting function: %q %q", stock1, oven)
	}
}

func TestErrorTrackerRejectsBadDSN(t *testing.T) {
	_, err := observe.NewErrorTracker("http://127.0.0.1:1/no-key-no-project", "production")
	if err == nil {
		t.Fatal("bad DSN accepted")
	}
	if strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error echoes the DSN: %v", err)
	}
}

func TestReleaseNamesVersionAndCommit(t *testing.T) {
	for _, tc := range []struct {
		bi   buildinfo.Info
		want string
	}{
		{buildinfo.Info{Version: "v1.4.0", Commit: "abc123"}, "reccollection@v1.4.0+abc123"},
		{buildinfo.Info{Version: "dev", Commit: "unknown"}, "reccollection@dev"},
	} {
		if got := observe.Release(tc.bi); got != tc.want {
			t.Errorf("Release(%+v) = %q, want %q", tc.bi, got, tc.want)
		}
	}
}
