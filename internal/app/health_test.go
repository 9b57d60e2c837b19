package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// /healthz, /readyz and /version answer GET and HEAD; every other method
// gets 405 with Allow, not the pages' 404.
func TestProbesRefuseOtherMethods(t *testing.T) {
	s := testutil.StartServer(t, "sqlite")
	c := s.Client()
	for _, path := range []string{"/healthz", "/readyz", "/version"} {
		for _, method := range []string{"GET", "HEAD"} {
			res := probeDo(t, c, method, s.URL+path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %d", method, path, res.StatusCode)
			}
		}
		for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			res := probeDo(t, c, method, s.URL+path)
			if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d Allow %q, want 405 with Allow: GET, HEAD", method, path, res.StatusCode, res.Header.Get("Allow"))
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s %s: Content-Type %q", method, path, ct)
			}
		}
	}
}

// /version reports the Go version in production too.
func TestVersionInProduction(t *testing.T) {
	s := testutil.StartProductionServer(t, "sqlite")
	c := &http.Client{Transport: s.HTTP.Client().Transport}
	res := probeDo(t, c, "GET", s.URL+"/version")
	var v map[string]string
	if err := json.NewDecoder(strings.NewReader(res.body)).Decode(&v); err != nil {
		t.Fatalf("/version: %v: %s", err, res.body)
	}
	if v["go_version"] != runtime.Version() {
		t.Errorf("/version go_version %q, want %q (%s)", v["go_version"], runtime.Version(), res.body)
	}
	for _, k := range []string{"version", "commit", "build_time"} {
		if v[k] == "" {
			t.Errorf("/version lacks %s: %s", k, res.body)
		}
	}
}

type probeResponse struct {
	*http.Response
	body string
}

func probeDo(t *testing.T, c *http.Client, method, url string) probeResponse {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return probeResponse{res, string(b)}
}
