package testutil

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"text/template"
	"time"
)

// NginxConfig is what a test's nginx.conf template is executed with.
type NginxConfig struct {
	// Prefix is the test's nginx directory: pid, logs and temp files go
	// there, never to the system's /var paths.
	Prefix string
	// Listen is the free 127.0.0.1 address nginx answers on.
	Listen string
	// User is "root" when the test runs as root, so that the workers may
	// write the temp files in the test's private directory; "" otherwise
	// (nginx can only switch users when started as root).
	User string
	// Upstreams are the application servers, host:port.
	Upstreams []string
}

// Nginx is an nginx process that belongs to one test.
type Nginx struct {
	// URL is the base URL nginx answers on, http://127.0.0.1:port.
	URL    string
	Config NginxConfig
	cmd    *exec.Cmd
	out    *SyncBuffer
}

// NginxBinary returns the path of the nginx executable, or skips the test
// when there is none; with RECC_TEST_REQUIRE_NGINX=1 (CI) it fails instead.
func NginxBinary(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("nginx")
	if err != nil {
		// Debian installs it in /usr/sbin, which a non-root PATH lacks.
		if _, serr := os.Stat("/usr/sbin/nginx"); serr == nil {
			return "/usr/sbin/nginx"
		}
		if os.Getenv("RECC_TEST_REQUIRE_NGINX") == "1" {
			t.Fatalf("nginx is required (RECC_TEST_REQUIRE_NGINX=1) but not installed: %v", err)
		}
		t.Skipf("nginx not installed, skipping (apt-get install nginx): %v", err)
	}
	return path
}

// StartNginx renders the template file at tmplPath for upstreams, starts
// nginx in the foreground as a child of the test, and waits until it
// listens. It stops when the test ends; if the test failed, its error log
// is printed first.
func StartNginx(t testing.TB, tmplPath string, upstreams []string) *Nginx {
	t.Helper()
	bin := NginxBinary(t)
	tmpl, err := template.ParseFiles(tmplPath)
	if err != nil {
		t.Fatalf("nginx config template: %v", err)
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()
	cfg := NginxConfig{Prefix: dir, Listen: listen, Upstreams: upstreams}
	if os.Geteuid() == 0 {
		cfg.User = "root"
	}
	var conf bytes.Buffer
	if err := tmpl.Execute(&conf, cfg); err != nil {
		t.Fatalf("render nginx config: %v", err)
	}
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, conf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// -e: the error log before the configuration is read; the compiled-in
	// default may be a system path the test cannot or should not write.
	cmd := exec.Command(bin, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"), "-g", "daemon off;")
	out := &SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start nginx: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	n := &Nginx{URL: "http://" + listen, Config: cfg, cmd: cmd, out: out}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("nginx error log:\n%s%s", n.ErrorLog(), out)
		}
		// SIGQUIT: finish the requests in hand, as a reload would.
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("nginx exited at start: %v\n%s%s", err, out, n.ErrorLog())
		default:
		}
		if c, err := net.Dial("tcp", listen); err == nil {
			c.Close()
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not listen on %s within 15s\n%s%s", listen, out, n.ErrorLog())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ErrorLog returns nginx's error log so far.
func (n *Nginx) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.Config.Prefix, "error.log"))
	return string(b)
}

// AccessLog returns nginx's access log so far (the file the template
// names access.log in the prefix directory).
func (n *Nginx) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(n.Config.Prefix, "access.log"))
	return string(b)
}

// SyncBuffer is a bytes.Buffer safe to read while a process writes to it.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
