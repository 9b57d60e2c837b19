package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestSmokeAgainstServe runs `reccollection smoke` as the deployment
// pipeline does, against a real `serve` process and an account made with
// `user create`: it passes, and fails with exit 1 naming the step when
// the password or the commit is wrong or the server is gone.
func TestSmokeAgainstServe(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	dir := t.TempDir()
	env := baseEnv(dir)
	const password = "smoke test password 2026"
	if r := runCLI(t, env, password+"\n", "user", "create", "--username", "smoker", "--email", "smoker@example.test"); r.code != 0 {
		t.Fatalf("user create: exit %d\n%s", r.code, r.stderr)
	}
	pwFile := filepath.Join(dir, "smoke-password")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, base, logs := startServe(t, env)
	creds := append(baseEnv(dir), "RECC_SMOKE_LOGIN=smoker", "RECC_SMOKE_PASSWORD_FILE="+pwFile)

	args := []string{"smoke", "--timeout", "30s"}
	// A binary built without VCS data reports no commit to expect.
	var info struct{ Commit string }
	if r := runCLI(t, env, "", "version", "--json"); json.Unmarshal([]byte(r.stdout), &info) == nil && isHex(info.Commit) {
		args = append(args, "--expect-commit", info.Commit)
	}
	r := runCLI(t, creds, "", append(args, base)...)
	if r.code != 0 {
		t.Fatalf("smoke against a healthy server: exit %d\n%s%s\nserver:\n%s", r.code, r.stdout, r.stderr, logs)
	}
	for _, step := range []string{"readiness", "version", "home page", "sign in", "create recipe", "read recipe", "private hidden", "search", "delete recipe", "sign out"} {
		if !strings.Contains(r.stdout, "ok    "+step+" ") {
			t.Errorf("no ok line for %q:\n%s", step, r.stdout)
		}
	}
	if !strings.HasSuffix(r.stdout, "smoke test passed\n") || strings.Contains(r.stdout+r.stderr, password) {
		t.Errorf("unexpected output:\n%s%s", r.stdout, r.stderr)
	}

	failures := []struct {
		name     string
		env      []string
		args     []string
		wantStep string
	}{
		{"wrong password", append(baseEnv(dir), "RECC_SMOKE_LOGIN=smoker", "RECC_SMOKE_PASSWORD=wrong password"), nil, "sign in"},
		{"wrong commit", creds, []string{"--expect-commit", "0123456789abcdef"}, "version"},
	}
	for _, f := range failures {
		r := runCLI(t, f.env, "", append(append([]string{"smoke"}, f.args...), base)...)
		if r.code != 1 || !strings.Contains(r.stdout, "FAIL  "+f.wantStep) || !strings.Contains(r.stderr, `step "`+f.wantStep+`" failed`) {
			t.Errorf("%s: exit %d, want 1 failing at %q\n%s%s", f.name, r.code, f.wantStep, r.stdout, r.stderr)
		}
	}

	usage := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"no URL", creds, nil, 2, "usage: reccollection smoke"},
		{"two URLs", creds, []string{base, base}, 2, "usage: reccollection smoke"},
		{"not a web URL", creds, []string{"ftp://example.test"}, 2, "http:// or https://"},
		{"credentials in the URL", creds, []string{"https://smoker:secret@example.test"}, 2, "RECC_SMOKE_LOGIN"},
		{"short commit", creds, []string{"--expect-commit", "abc", base}, 2, "--expect-commit"},
		{"no credentials", baseEnv(dir), []string{base}, 1, "RECC_SMOKE_LOGIN (or RECC_SMOKE_LOGIN_FILE) is not set"},
		{"both password and file", append(slices.Clip(creds), "RECC_SMOKE_PASSWORD=x"), []string{base}, 1, "both RECC_SMOKE_PASSWORD and RECC_SMOKE_PASSWORD_FILE"},
		{"missing file", append(baseEnv(dir), "RECC_SMOKE_LOGIN=smoker", "RECC_SMOKE_PASSWORD_FILE="+filepath.Join(dir, "nope")), []string{base}, 1, "RECC_SMOKE_PASSWORD_FILE"},
	}
	for _, u := range usage {
		r := runCLI(t, u.env, "", append([]string{"smoke"}, u.args...)...)
		if r.code != u.code || !strings.Contains(r.stdout+r.stderr, u.want) {
			t.Errorf("%s: exit %d (want %d), output lacks %q:\n%s%s", u.name, r.code, u.code, u.want, r.stdout, r.stderr)
		}
	}
	if r := runCLI(t, env, "", "smoke", "--help"); r.code != 0 || !strings.Contains(r.stdout, "Usage: reccollection smoke") || !strings.Contains(r.stdout, "--expect-commit") {
		t.Errorf("smoke --help: exit %d\n%s", r.code, r.stdout)
	}

	_ = srv.Process.Signal(syscall.SIGTERM)
	_ = srv.Wait()
	r = runCLI(t, creds, "", "smoke", "--timeout", "5s", base)
	if r.code != 1 || !strings.Contains(r.stdout, "FAIL  readiness") || !strings.Contains(r.stdout, "not reachable") {
		t.Errorf("smoke against a stopped server: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func isHex(s string) bool {
	if len(s) < 7 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}
