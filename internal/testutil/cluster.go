package testutil

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Cluster is a throwaway PostgreSQL server of the test's own, started from
// the system's initdb and pg_ctl on a free local port, for tests that stop
// and restart the database (outages, restart drills) — which they must
// never do to the shared server behind RECC_TEST_DATABASE_URL.
type Cluster struct {
	t    testing.TB
	bin  string
	dir  string
	data string
	log  string
	port int
	// runAs is the unprivileged user the server runs as when the test runs
	// as root (initdb and postgres refuse root).
	runAs string
	mu    sync.Mutex
}

// pgBin finds the directory holding initdb and pg_ctl: PG_BIN, the one
// initdb on PATH lives in, else the newest /usr/lib/postgresql/*/bin.
func pgBin() string {
	if b := os.Getenv("PG_BIN"); b != "" {
		return b
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(r)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	if len(dirs) == 0 {
		return ""
	}
	return dirs[len(dirs)-1]
}

// StartCluster initialises and starts a cluster that is stopped and removed
// when the test ends. Without the PostgreSQL server binaries the test is
// skipped, or fails under RECC_TEST_REQUIRE_POSTGRES=1.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	bin := pgBin()
	if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); bin == "" || err != nil {
		if os.Getenv("RECC_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal("initdb/pg_ctl not found (set PG_BIN, or apt-get install postgresql) and RECC_TEST_REQUIRE_POSTGRES=1")
		}
		t.Skip("initdb/pg_ctl not found; set PG_BIN or install the PostgreSQL server")
	}
	c := &Cluster{t: t, bin: bin}
	if os.Geteuid() == 0 {
		c.runAs = "postgres"
		if _, err := user.Lookup(c.runAs); err != nil {
			t.Skipf("running as root needs the unprivileged user %q to own the cluster: %v", c.runAs, err)
		}
	}
	// Not t.TempDir: the server's user must be able to enter the directory,
	// and the test's temporary directories are private to the test's user.
	dir, err := os.MkdirTemp("", "recc-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir, c.data, c.log = dir, filepath.Join(dir, "data"), filepath.Join(dir, "server.log")
	t.Cleanup(func() {
		if t.Failed() {
			if b, err := os.ReadFile(c.log); err == nil {
				t.Logf("last lines of the cluster's log:\n%s", tail(string(b), 30))
			}
		}
		_ = c.pgCtl("stop", "-m", "immediate")
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if c.runAs != "" {
		if out, err := exec.Command("chown", c.runAs, dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v\n%s", dir, err, out)
		}
	}
	if out, err := c.command(context.Background(), filepath.Join(bin, "initdb"), "-D", c.data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// TCP on loopback only, no Unix socket to clash with the machine's
	// server, and no fsync: the cluster lives for one test, and the
	// restarts it sees are clean shutdowns, which lose nothing without it.
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = ''\n"+
		"fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n", c.port)
	f, err := os.OpenFile(filepath.Join(c.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(conf)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	c.Start()
	return c
}

// URL is the cluster's postgres database, as the superuser.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Start starts the stopped cluster and waits until it accepts connections.
func (c *Cluster) Start() {
	c.t.Helper()
	if err := c.pgCtl("start", "-l", c.log); err != nil {
		c.t.Fatalf("start cluster: %v", err)
	}
}

// Stop shuts the cluster down the way an operator's fast shutdown does:
// sessions are ended (57P01) and in-flight transactions rolled back.
func (c *Cluster) Stop() {
	c.t.Helper()
	if err := c.pgCtl("stop", "-m", "fast"); err != nil {
		c.t.Fatalf("stop cluster: %v", err)
	}
}

// Restart is `pg_ctl restart -m fast`, as after a configuration change or
// a minor-version upgrade.
func (c *Cluster) Restart() {
	c.t.Helper()
	if err := c.pgCtl("restart", "-m", "fast", "-l", c.log); err != nil {
		c.t.Fatalf("restart cluster: %v", err)
	}
}

// pgCtl runs one pg_ctl action and waits for it (generously: a loaded
// machine can take many seconds to start a server).
func (c *Cluster) pgCtl(action string, args ...string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := c.command(ctx, filepath.Join(c.bin, "pg_ctl"), append([]string{action, "-D", c.data, "-w", "-t", "90"}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %s: %w\n%s", action, err, out)
	}
	return nil
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	if c.runAs != "" {
		args = append([]string{"-u", c.runAs, "--", name}, args...)
		name = "runuser"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	// The caller's directory may be one the server's user cannot enter.
	cmd.Dir = c.dir
	return cmd
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
