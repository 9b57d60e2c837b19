package main_test

import (
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestRateLimitsHoldAcrossTwoProcesses runs two `serve` processes on one
// PostgreSQL database and one Redis, as two replicas behind a load
// balancer, and sends sign-in attempts to them in turn: the per-IP login
// budget (10 a minute) is shared, so the 11th attempt is refused whichever
// process receives it. Two processes with their own in-memory limits
// would allow 20.
func TestRateLimitsHoldAcrossTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	redisURL, prefix, _ := testutil.Redis(t)
	env := baseEnv(t.TempDir(), "DATABASE_URL="+testutil.PostgresURL(t), "RECC_REDIS_URL="+redisURL, "RECC_REDIS_KEY_PREFIX="+prefix)
	if r := runCLI(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %s%s", r.stdout, r.stderr)
	}
	a, baseA, logsA := startServe(t, env)
	b, baseB, logsB := startServe(t, env)

	statuses := []int{}
	for i := range 12 {
		base := baseA
		if i%2 == 1 {
			base = baseB
		}
		// A new login each time, so the per-account failure throttle
		// (a different mechanism) never answers first.
		body := fmt.Sprintf(`{"login":"nobody-%d","password":"wrong password"}`, i)
		resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if i == 10 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("the refused attempt has no Retry-After")
		}
	}
	for i, s := range statuses {
		want := http.StatusUnauthorized
		if i >= 10 {
			want = http.StatusTooManyRequests
		}
		if s != want {
			t.Errorf("attempt %d (process %c): status %d, want %d; all: %v", i+1, "AB"[i%2], s, want, statuses)
		}
	}
	_ = a.Process.Signal(syscall.SIGTERM)
	_ = b.Process.Signal(syscall.SIGTERM)
	_ = a.Wait()
	_ = b.Wait()
	// The logs are read only once the processes are gone: they are still
	// being written while the servers run.
	for _, p := range []struct {
		name string
		logs fmt.Stringer
	}{{"A", logsA}, {"B", logsB}} {
		if strings.Contains(p.logs.String(), "Redis unreachable") {
			t.Errorf("process %s could not reach Redis:\n%s", p.name, p.logs)
		}
	}
}
