package testutil

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/store"
)

// Server is the whole application behind a real HTTP listener.
type Server struct {
	URL   string
	App   *app.App
	Store *store.Store
	HTTP  *httptest.Server
}

// Config returns a development configuration for a fresh database on engine.
func Config(t testing.TB, engine string) *config.Config {
	t.Helper()
	base, _ := url.Parse("http://localhost:8080")
	dataDir := t.TempDir()
	cfg := &config.Config{
		Env:      config.Development,
		HTTPAddr: "127.0.0.1:0",
		BaseURL:  base,
		DataDir:  dataDir,
		// What config.Load gives by default.
		StorageURL:      (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dataDir, "files"))}).String(),
		SecretKey:       []byte("test-secret-key-test-secret-key-0123456789"),
		LogFormat:       "text",
		LogLevel:        slog.LevelWarn,
		ShutdownTimeout: 5 * time.Second,
		CacheSMaxAge:    time.Minute,
		AutoMigrate:     true,
		// Off: suites register many accounts from 127.0.0.1 in one test.
		// Rate limit tests turn it on.
		RateLimits: false,
		// Budgets do not refill while a test runs, however slowly: a
		// limit test counts exactly. Tests that need time to pass set
		// their own Clock and advance it.
		LimiterClock: NewClock().Now,
		// A busy machine answers slowly; only an unreachable Redis should
		// send the limiter to its per-instance fallback.
		LimiterRedisTimeout: 10 * time.Second,
	}
	if engine == "postgres" {
		cfg.DatabaseURL = PostgresURL(t)
	}
	return cfg
}

// StartServer starts the app on engine ("sqlite" or "postgres") with a
// migrated, empty database. Logs go to the test log only when the test
// fails, so passing runs stay quiet.
func StartServer(t testing.TB, engine string) *Server {
	t.Helper()
	return StartServerWith(t, engine, nil)
}

// StartServerWith is StartServer with the test configuration changed by
// configure first (nil for none).
func StartServerWith(t testing.TB, engine string, configure func(*config.Config)) *Server {
	t.Helper()
	cfg := Config(t, engine)
	if configure != nil {
		configure(cfg)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start app on %s: %v", engine, err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &Server{URL: ts.URL, App: a, Store: a.Store(), HTTP: ts}
}

// Client returns an HTTP client with its own cookie jar, like one browser.
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	if s.HTTP != nil && s.HTTP.TLS != nil {
		c.Transport = s.HTTP.Client().Transport
	}
	return c
}
