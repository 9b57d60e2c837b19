package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/testutil"
)

// startApp runs the whole application on a fresh SQLite database behind a
// real listener, with the configuration adjusted by configure.
func rlStartApp(t *testing.T, logs io.Writer, configure func(*config.Config)) *httptest.Server {
	t.Helper()
	cfg := testutil.Config(t, "sqlite")
	if configure != nil {
		configure(cfg)
	}
	if logs == nil {
		logs = io.Discard
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return ts
}

// clientFrom is a client whose connections come from the loopback address
// ip (any 127.x.y.z works on Linux), so one test can be several clients.
func rlClientFrom(ip string) *http.Client {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{DialContext: d.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type rlAnswer struct {
	status int
	header http.Header
	body   string
}

func rlSend(t *testing.T, c *http.Client, method, url, contentType, body string, headers ...string) rlAnswer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	return rlAnswer{resp.StatusCode, resp.Header, string(b)}
}

type rlLogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *rlLogBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *rlLogBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
