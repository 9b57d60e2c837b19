package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/reccollection/reccollection/internal/buildinfo"
)

var healthcheckCmd = command{
	name:    "healthcheck",
	summary: "Ask a running server whether it is ready; exit 0 if it is (for container health checks).",
	usage:   "healthcheck [--url URL]",
	run:     runHealthcheck,
}

func runHealthcheck(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	target := fs.String("url", "", "readiness URL (default: http://127.0.0.1:<port of RECC_HTTP_ADDR>/readyz)")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u := *target
	if u == "" {
		addr := env.getenv("RECC_HTTP_ADDR")
		if addr == "" {
			addr = ":8080"
		}
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("RECC_HTTP_ADDR=%q: %w", addr, err)
		}
		u = "http://127.0.0.1:" + port + "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%w: bad --url: %v", errUsage, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not reachable: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s %s", resp.Status, body)
	}
	fmt.Fprintf(env.stdout, "ready: %s", body)
	return nil
}

var versionCmd = command{
	name:    "version",
	summary: "Print the version, commit and build time.",
	usage:   "version [--json]",
	run:     runVersion,
}

func runVersion(_ context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, "print as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	info := buildinfo.Get()
	if *asJSON {
		return json.NewEncoder(env.stdout).Encode(info)
	}
	fmt.Fprintf(env.stdout, "reccollection %s (commit %s, built %s, %s)\n", info.Version, info.Commit, info.BuildTime, info.GoVersion)
	return nil
}
