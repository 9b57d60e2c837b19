package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// binary runs the reccollection binary with an environment of its own:
// only PATH and HOME are inherited, so a developer's DATABASE_URL or
// RECC_* settings never leak into a benchmark.
type binary struct {
	path string
	env  []string
	log  io.Writer // the children's output
}

func (b binary) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, b.path, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, b.env...)
	cmd.Stdout, cmd.Stderr = b.log, b.log
	return cmd
}

// run runs a subcommand to completion and returns how long it took.
func (b binary) run(ctx context.Context, args ...string) (time.Duration, error) {
	start := time.Now()
	if err := b.command(ctx, args...).Run(); err != nil {
		return 0, fmt.Errorf("reccollection %v: %w", args, err)
	}
	return time.Since(start), nil
}

// server is a running `reccollection serve`.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:port
	metrics string // its /metrics URL
	done    chan error
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// freeAddr picks a loopback port nobody listens on.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startServer starts `serve` and waits until /readyz answers 200, returning
// the time from exec to ready.
func startServer(ctx context.Context, b binary) (*server, time.Duration, error) {
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	metricsAddr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	b.env = append(b.env, "RECC_HTTP_ADDR="+httpAddr, "RECC_METRICS_ADDR="+metricsAddr,
		"RECC_BASE_URL=http://"+httpAddr)
	s := &server{cmd: b.command(context.WithoutCancel(ctx), "serve"), base: "http://" + httpAddr,
		metrics: "http://" + metricsAddr + "/metrics", done: make(chan error, 1)}
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, 0, err
	}
	go func() { s.done <- s.cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	for {
		if ready(ctx, client, s.base+"/readyz") {
			return s, time.Since(start), nil
		}
		select {
		case err := <-s.done:
			return nil, 0, fmt.Errorf("server exited before it was ready: %v", err)
		case <-deadline:
			s.stop()
			return nil, 0, errors.New("server not ready after 60 s")
		case <-ctx.Done():
			s.stop()
			return nil, 0, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func ready(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// stop asks the server to shut down gracefully and kills it if it has not
// within 20 seconds.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}
