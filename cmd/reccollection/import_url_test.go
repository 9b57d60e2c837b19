package main_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestImportExtractURL fetches a page through the server's fetcher: a
// local test site is reachable only with RECC_IMPORT_ALLOW_PRIVATE_HOSTS,
// exactly as for the server.
func TestImportExtractURL(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(importPage))
	}))
	defer site.Close()
	dir := t.TempDir()

	r := runCLI(t, baseEnv(dir, "RECC_IMPORT_ALLOW_PRIVATE_HOSTS=true"), "", "import", "extract", site.URL+"/stew")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		Title string   `json:"title"`
		Steps []string `json:"steps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if got.Title != "Bean Stew" || len(got.Steps) != 2 {
		t.Errorf("fetched recipe %+v", got)
	}

	r = runCLI(t, baseEnv(dir), "", "import", "extract", site.URL+"/stew")
	if r.code == 0 || !strings.Contains(r.stderr, "not") {
		t.Errorf("a loopback address was fetched without the development switch: exit %d, %s", r.code, r.stderr)
	}
}
