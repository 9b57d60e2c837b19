package testutil

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
)

// ProductionConfig is Config turned into what production demands: Env
// production, an https BaseURL and a secret key of at least 32 bytes.
// The schema is still migrated at start, as a deploy would have done.
func ProductionConfig(t testing.TB, engine string) *config.Config {
	t.Helper()
	cfg := Config(t, engine)
	cfg.Env = config.Production
	cfg.BaseURL, _ = url.Parse("https://recipes.example.test")
	cfg.SecretKey = []byte("production-test-key-0123456789abcdef-0123")
	return cfg
}

// StartProductionServer is StartServer with ProductionConfig, over HTTPS
// (httptest's certificate), so Secure cookies travel as in production.
// Clients must use HTTP.Client().Transport.
func StartProductionServer(t testing.TB, engine string) *Server {
	t.Helper()
	a, err := app.New(context.Background(), ProductionConfig(t, engine), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start production app on %s: %v", engine, err)
	}
	ts := httptest.NewTLSServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &Server{URL: ts.URL, App: a, Store: a.Store(), HTTP: ts}
}
