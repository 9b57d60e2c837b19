package main_test

// Process-level tests: they build the real binary and run it as an
// operator would, with signals, exit codes and environment variables.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "reccollection-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "reccollection")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// baseEnv is a minimal environment: the binary must not depend on the
// developer's shell. The metrics listener takes any free port, so servers
// started at once (or a local Prometheus on 9090) do not collide.
func baseEnv(dataDir string, extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dataDir, "RECC_DATA_DIR=" + dataDir, "RECC_LOG_LEVEL=warn",
		"RECC_METRICS_ADDR=127.0.0.1:0"}, extra...)
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `serve` and waits until it answers /healthz.
func startServe(t *testing.T, env []string, args ...string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(env, "RECC_HTTP_ADDR="+addr)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			return cmd, base, logs
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not start: %v\n%s", err, logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestHelpAndVersion(t *testing.T) {
	env := baseEnv(t.TempDir())
	for _, c := range []string{"serve", "migrate", "seed", "user", "flags", "secret-key", "backup", "smoke", "healthcheck", "version"} {
		r := runCLI(t, env, "", c, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: reccollection "+c) {
			t.Errorf("%s --help: exit %d, stdout %q", c, r.code, r.stdout)
		}
	}
	r := runCLI(t, env, "", "help")
	if r.code != 0 || !strings.Contains(r.stdout, "RECC_SECRET_KEY") || !strings.Contains(r.stdout, "migrate") {
		t.Errorf("help: exit %d, %q", r.code, r.stdout)
	}
	r = runCLI(t, env, "", "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", r.code, r.stderr)
	}
	r = runCLI(t, env, "", "version", "--json")
	var info map[string]string
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &info) != nil || info["version"] == "" || info["commit"] == "" {
		t.Errorf("version --json: exit %d, %q", r.code, r.stdout)
	}
}

func TestConfigurationErrorsNameTheVariable(t *testing.T) {
	env := baseEnv(t.TempDir(), "RECC_ENV=production", "RECC_BASE_URL=http://recipes.example.com", "RECC_SECRET_KEY=short")
	r := runCLI(t, env, "", "serve")
	if r.code != 1 {
		t.Fatalf("unsafe production config: exit %d, want 1", r.code)
	}
	for _, want := range []string{"RECC_BASE_URL", "RECC_SECRET_KEY"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("error does not name %s:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "short") && strings.Contains(r.stderr, "=short") {
		t.Errorf("error echoes the secret: %s", r.stderr)
	}
}

func TestUserCreateAndMigrateStatus(t *testing.T) {
	dir := t.TempDir()
	env := baseEnv(dir)
	r := runCLI(t, env, "correct horse battery\n", "user", "create", "--username", "Chef", "--email", "chef@example.test", "--admin")
	if r.code != 0 || !strings.Contains(r.stdout, "created admin chef") {
		t.Fatalf("user create: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "short\n", "user", "create", "--username", "x", "--email", "nope")
	if r.code != 1 || !strings.Contains(r.stderr, "username") || !strings.Contains(r.stderr, "email") || !strings.Contains(r.stderr, "password") {
		t.Errorf("invalid user: exit %d, %q (want every field named)", r.code, r.stderr)
	}
	r = runCLI(t, env, "correct horse battery\n", "user", "create", "--username", "chef", "--email", "other@example.test")
	if r.code != 1 || !strings.Contains(r.stderr, "username is already taken") {
		t.Errorf("duplicate user: exit %d, %q", r.code, r.stderr)
	}
	r = runCLI(t, env, "", "migrate", "status")
	if r.code != 0 || !strings.Contains(r.stdout, "00001_foundation.sql") || !strings.Contains(r.stdout, "applied") {
		t.Errorf("migrate status: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "", "migrate", "sideways")
	if r.code != 2 {
		t.Errorf("migrate sideways: exit %d, want 2", r.code)
	}
}

// TestStagingWaitsForMigrations: outside development the server does not
// migrate by itself, and says it is not ready until someone does.
func TestStagingWaitsForMigrations(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	dbURL := testutil.PostgresURL(t)
	env := baseEnv(t.TempDir(), "RECC_ENV=staging", "DATABASE_URL="+dbURL,
		"RECC_SECRET_KEY=0123456789abcdef0123456789abcdef0123456789abcdef", "RECC_BASE_URL=http://staging.example.test")
	srv, base, logs := startServe(t, env)
	status := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(); got != http.StatusServiceUnavailable {
		t.Fatalf("readyz before migrating = %d, want 503\n%s", got, logs)
	}
	if r := runCLI(t, env, "", "migrate", "up"); r.code != 0 {
		t.Fatalf("migrate up: %s%s", r.stdout, r.stderr)
	}
	if got := status(); got != http.StatusOK {
		t.Fatalf("readyz after migrating = %d, want 200", got)
	}
	if r := runCLI(t, env, "", "healthcheck", "--url", base+"/readyz"); r.code != 0 {
		t.Errorf("healthcheck: exit %d %s", r.code, r.stderr)
	}
	_ = srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, logs)
	}
}

// TestConcurrentMigrateUp starts two `migrate up` processes at the same
// moment against one PostgreSQL database: the advisory lock lets one
// apply and the other find nothing to do, and both succeed.
func TestConcurrentMigrateUp(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	env := baseEnv(t.TempDir(), "DATABASE_URL="+testutil.PostgresURL(t))
	var wg sync.WaitGroup
	results := make([]result, 2)
	start := make(chan struct{})
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = runCLI(t, env, "", "migrate", "up")
		}()
	}
	close(start)
	wg.Wait()
	applied := 0
	for _, r := range results {
		if r.code != 0 {
			t.Fatalf("concurrent migrate up failed: %s%s", r.stdout, r.stderr)
		}
		var n int
		if _, err := fmt.Sscanf(r.stdout, "applied %d", &n); err != nil {
			t.Fatalf("unexpected output %q", r.stdout)
		}
		applied += n
	}
	r := runCLI(t, env, "", "migrate", "status")
	if strings.Contains(r.stdout, "pending") || !strings.Contains(r.stdout, "applied") {
		t.Errorf("status after concurrent up:\n%s", r.stdout)
	}
	// Migrations are SQL files, and Go ones (the job queue's) named by a .go file.
	if known := strings.Count(r.stdout, ".sql") + strings.Count(r.stdout, ".go "); applied != known {
		t.Errorf("migrations applied in total = %d, want exactly %d (each once, by one process, no double apply)", applied, known)
	}
}

// slowBody sends a JSON body in pieces over about d, so the request is
// still being received when the server is told to stop.
type slowBody struct {
	data  []byte
	pause time.Duration
	sent  int
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.sent >= len(b.data) {
		return 0, io.EOF
	}
	time.Sleep(b.pause)
	n := copy(p, b.data[b.sent:min(len(b.data), b.sent+16)])
	b.sent += n
	return n, nil
}

// TestSIGTERMDropsNoRequest stops the server with SIGTERM while requests
// stream in, some of them slow uploads that started before the signal:
// every request the server accepted gets a complete answer, the process
// exits cleanly, and every recipe it confirmed is in the database.
func TestSIGTERMDropsNoRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	dir := t.TempDir()
	// A load test: one user writing far beyond the write rate limit.
	env := baseEnv(dir, "RECC_SHUTDOWN_DELAY=1s", "RECC_RATE_LIMITS=off")
	srv, base, logs := startServe(t, env)

	reg := `{"username":"sigterm","email":"sigterm@example.test","password":"a long enough password"}`
	resp, err := http.Post(base+"/api/v1/auth/register", "application/json", strings.NewReader(reg))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("register: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"login":"sigterm","password":"a long enough password"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	var login struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()

	create := func(body io.Reader) (int, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/recipes", body)
		req.Header.Set("Authorization", "Bearer "+login.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	recipeJSON := func(i int) []byte {
		return fmt.Appendf(nil, `{"title":"Recipe %d","visibility":"public","ingredients":["1 cup rice"],"steps":["Cook."]}`, i)
	}

	var (
		mu       sync.Mutex
		created  int
		answered int
		refused  int
		dropped  []string
		closed   atomic.Bool
	)
	record := func(code int, err error, want int) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil && code == want:
			answered++
			if want == 201 {
				created++
			}
		case err != nil && (errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)):
			// Sent as the listener closed: the server never read it (the
			// recipe count below proves no accepted write went missing),
			// and a load balancer would have routed it elsewhere.
			refused++
			closed.Store(true)
		default:
			dropped = append(dropped, fmt.Sprintf("status %d err %v", code, err))
		}
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if i%2 == 0 {
					code, err := create(bytes.NewReader(recipeJSON(w*100000 + i)))
					record(code, err, 201)
				} else {
					r, err := http.Get(base + "/api/v1/recipes?limit=5")
					code := 0
					if err == nil {
						code = r.StatusCode
						_, err = io.Copy(io.Discard, r.Body)
						r.Body.Close()
					}
					record(code, err, 200)
				}
				if closed.Load() {
					return
				}
			}
		}()
	}
	// Slow uploads that straddle the signal and the end of the drain
	// delay: they are in flight when the listener closes and must still
	// be answered.
	slowOK := atomic.Int32{}
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := recipeJSON(900000 + i)
			code, err := create(&slowBody{data: data, pause: 2500 * time.Millisecond / time.Duration(len(data)/16+1)})
			record(code, err, 201)
			if err == nil && code == 201 {
				slowOK.Add(1)
			}
		}()
	}
	time.Sleep(600 * time.Millisecond)
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exitErr := srv.Wait()
	close(stop)
	wg.Wait()

	if exitErr != nil {
		t.Errorf("server exit after SIGTERM: %v\n%s", exitErr, logs)
	}
	if len(dropped) > 0 {
		t.Errorf("%d requests dropped during shutdown, e.g. %v", len(dropped), dropped[:min(3, len(dropped))])
	}
	if slowOK.Load() != 3 {
		t.Errorf("%d of 3 slow uploads in flight at shutdown were answered 201", slowOK.Load())
	}
	if answered < 20 {
		t.Errorf("only %d requests answered; the load did not run", answered)
	}
	t.Logf("answered %d (created %d), refused after close %d", answered, created, refused)

	// Every recipe the server confirmed is there after restart.
	_, base2, _ := startServe(t, env)
	req, _ := http.NewRequest(http.MethodGet, base2+"/api/v1/users/sigterm", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var profile struct {
		RecipeCount int `json:"recipe_count"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&profile)
	resp.Body.Close()
	if profile.RecipeCount != created {
		t.Errorf("recipes in database after restart = %d, confirmed before = %d", profile.RecipeCount, created)
	}
}
