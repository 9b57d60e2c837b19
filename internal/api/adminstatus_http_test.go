package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/testutil"
)

// The status reports S3 storage the server can use, and says so when it
// no longer can, while the rest of the status still answers.
func TestAdminStatusS3StorageHTTP(t *testing.T) {
	// Not parallel: the app reads the S3 credentials from the process
	// environment, as in production.
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			s3 := testutil.S3(t)
			s3.Setenv(t)
			cfg := testutil.Config(t, engine)
			cfg.StorageURL = s3.URL
			a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatalf("start with S3 storage: %v", err)
			}
			ts := httptest.NewServer(a.Handler())
			t.Cleanup(func() {
				ts.Close()
				a.Close()
			})
			s := &server{Server: &testutil.Server{URL: ts.URL, App: a, Store: a.Store(), HTTP: ts}, engine: engine}
			boss := s.admin(t, "boss")

			var st map[string]any
			boss.do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK).decode(t, &st)
			desc, _ := st["storage_description"].(string)
			if st["storage"] != "ok" || !strings.HasPrefix(desc, "s3://recc-test/files?endpoint=") {
				t.Errorf("storage in status: %v %q", st["storage"], desc)
			}
			if strings.Contains(desc, s3.Getenv("AWS_SECRET_ACCESS_KEY")) || strings.Contains(desc, s3.Getenv("AWS_ACCESS_KEY_ID")) {
				t.Errorf("status shows a credential: %q", desc)
			}
			// The app's store is the bucket's "files" prefix.
			if err := a.Media().Put(context.Background(), "status/probe.txt", strings.NewReader("x"), 1, "text/plain"); err != nil {
				t.Fatal(err)
			}
			if keys := s3.Keys(t); !slices.Contains(keys, "files/status/probe.txt") {
				t.Errorf("bucket holds %q", keys)
			}

			s3.Close()
			st = nil
			boss.do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK).decode(t, &st)
			if st["storage"] != "error" || st["storage_description"] != desc || st["database"] != "ok" {
				t.Errorf("status with S3 down: %v", st)
			}
		})
	}
}

// A file store whose directory was replaced by a file is reported.
func TestAdminStatusBrokenFileStorageHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *server) {
		boss := s.admin(t, "boss")
		dir := strings.TrimPrefix(s.App.Media().Describe(), "file://")
		if !filepath.IsAbs(dir) {
			t.Fatalf("storage %q is not a file store", s.App.Media().Describe())
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
			t.Fatal(err)
		}
		var st map[string]any
		boss.do(t, "GET", "/api/v1/admin/status", nil).want(t, http.StatusOK).decode(t, &st)
		if st["storage"] != "error" || st["database"] != "ok" {
			t.Errorf("status with the storage directory gone: %v", st)
		}
	})
}
