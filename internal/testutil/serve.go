package testutil

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
)

// Serving is the app run through app.Serve, as `reccollection serve` runs
// it: a real listener, the metrics listener, housekeeping and the
// graceful stop.
type Serving struct {
	URL string
	// MetricsURL is the base URL of the internal metrics listener; "" when
	// it is disabled.
	MetricsURL string
	App        *app.App
	// Stop cancels Serve and waits for it to return, as SIGTERM would.
	Stop func() error
}

// StartServing runs the app on engine through app.Serve with the metrics
// listener on 127.0.0.1:0. configure, if not nil, adjusts the
// configuration first. The server stops when the test ends.
func StartServing(t testing.TB, engine string, configure func(*config.Config)) *Serving {
	t.Helper()
	cfg := Config(t, engine)
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.ShutdownDelay = 0
	if configure != nil {
		configure(cfg)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("start app on %s: %v", engine, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	var stopErr error
	stopped := false
	stop := func() error {
		if !stopped {
			stopped = true
			cancel()
			stopErr = <-done
			a.Close()
		}
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })

	s := &Serving{URL: "http://" + ln.Addr().String(), App: a, Stop: stop}
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-done:
			stopped, stopErr = true, err
			cancel()
			a.Close()
			t.Fatalf("serve on %s stopped at start: %v", engine, err)
		default:
		}
		addr := a.MetricsAddr()
		if addr != "" || !cfg.MetricsEnabled() {
			if resp, err := http.Get(s.URL + "/healthz"); err == nil {
				resp.Body.Close()
				if addr != "" {
					s.MetricsURL = "http://" + addr
				}
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s did not start within 10s", engine)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
