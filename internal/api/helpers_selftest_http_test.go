package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The suite's "no 5xx anywhere" rule lives in client.do. This checks the
// check itself against a stub server (no database is involved, so there
// is nothing engine-specific to run twice).
func TestRequestHelperFlagsServerErrors(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/boom":
			w.WriteHeader(http.StatusInternalServerError)
		case "/unavailable":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer ts.Close()
	c := &client{base: ts.URL, hc: ts.Client()}

	rec := &recordingTB{TB: t}
	c.do(rec, "GET", "/missing", nil)
	if len(rec.errors) != 0 {
		t.Fatalf("a 404 was flagged as a server error: %v", rec.errors)
	}
	c.do(rec, "GET", "/boom", nil)
	c.do(rec, "POST", "/unavailable", map[string]any{"a": 1})
	if len(rec.errors) != 2 {
		t.Fatalf("want both 5xx answers flagged, got %d: %v", len(rec.errors), rec.errors)
	}
}
