// Package pgbackrest_test checks the pgBackRest configuration and runs the
// point-in-time recovery drill beside it. The package has no code of its
// own: it exists so that `make test` proves the drill still passes.
package pgbackrest_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// needPgBackRest returns the pgbackrest binary, or skips the test when it is
// missing, unless RECC_TEST_REQUIRE_PGBACKREST=1 (CI) makes that a failure.
func needPgBackRest(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("pgbackrest")
	if err != nil {
		if os.Getenv("RECC_TEST_REQUIRE_PGBACKREST") == "1" {
			t.Fatal("pgbackrest not found and RECC_TEST_REQUIRE_PGBACKREST=1; apt-get install pgbackrest")
		}
		t.Skip("pgbackrest not found (apt-get install pgbackrest); set RECC_TEST_REQUIRE_PGBACKREST=1 to fail instead")
	}
	return bin
}

// TestProductionConfigIsValid has pgBackRest itself read the production
// configuration: `help <command>` parses the file, rejects unknown values and
// warns about unknown options, without reaching the S3 repository.
func TestProductionConfigIsValid(t *testing.T) {
	bin := needPgBackRest(t)
	conf, err := filepath.Abs("pgbackrest.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, command := range []string{"backup", "archive-push", "archive-get", "restore", "check"} {
		cmd := exec.Command(bin, "--config="+conf, "--config-include-path="+t.TempDir(),
			"--stanza=reccollection", "help", command)
		cmd.Env = withoutPgBackRestEnv()
		out, err := cmd.CombinedOutput()
		if err != nil || strings.Contains(string(out), "WARN:") || strings.Contains(string(out), "ERROR:") {
			t.Errorf("pgbackrest help %s with pgbackrest.conf: %v\n%s", command, err, out)
		}
	}
}

// TestProductionConfigKeepsSecretsOut guards the rule that credentials come
// from the environment, and that the PostgreSQL snippet archives to the
// stanza the configuration defines.
func TestProductionConfigKeepsSecretsOut(t *testing.T) {
	conf := readFile(t, "pgbackrest.conf")
	options := map[string]string{}
	sections := map[string]bool{}
	for line := range strings.Lines(conf) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			sections[strings.Trim(line, "[]")] = true
			continue
		}
		name, value, _ := strings.Cut(line, "=")
		options[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	for _, secret := range []string{"repo1-s3-key", "repo1-s3-key-secret", "repo1-s3-token", "repo1-cipher-pass"} {
		if _, ok := options[secret]; ok {
			t.Errorf("pgbackrest.conf sets %s; secrets come from PGBACKREST_%s in the environment",
				secret, strings.ToUpper(strings.ReplaceAll(secret, "-", "_")))
		}
	}
	for name, want := range map[string]string{"repo1-type": "s3", "archive-async": "y", "repo1-cipher-type": "aes-256-cbc"} {
		if options[name] != want {
			t.Errorf("pgbackrest.conf: %s = %q, want %q", name, options[name], want)
		}
	}
	if options["repo1-retention-full"] == "" {
		t.Error("pgbackrest.conf sets no repo1-retention-full: backups and WAL would pile up forever")
	}

	snippet := readFile(t, "postgresql.conf.snippet")
	m := regexp.MustCompile(`(?m)^archive_command = 'pgbackrest --stanza=([a-z0-9_-]+) archive-push %p'$`).FindStringSubmatch(snippet)
	if m == nil {
		t.Fatalf("postgresql.conf.snippet has no archive_command = %q", "'pgbackrest --stanza=… archive-push %p'")
	}
	if !sections[m[1]] {
		t.Errorf("postgresql.conf.snippet archives to stanza %q, which pgbackrest.conf does not define", m[1])
	}
	for _, want := range []string{"wal_level = replica", "archive_mode = on", "archive_timeout = "} {
		if !strings.Contains(snippet, want) {
			t.Errorf("postgresql.conf.snippet lacks %q", want)
		}
	}
}

var passed = regexp.MustCompile(`^PITR drill passed: (\d+) rows written before .+ restored, none of the (\d+) after it`)

// TestPITRDrill runs pitr-drill.sh: a throwaway cluster, a full backup, rows
// before and after a target time, a restore to that time. The script does
// the checking; the test holds it to its exit status and its final line.
func TestPITRDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("the PITR drill starts and restores a PostgreSQL cluster; skipped with -short")
	}
	needPgBackRest(t)

	// Generous: on a loaded machine initdb and the restore's fsyncs alone can
	// take tens of seconds. The script's own timeouts fire well before this.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "pitr-drill.sh")
	cmd.Env = append(os.Environ(), "PITR_ROWS=100")
	// SIGTERM, not the default SIGKILL, so that the script's trap stops its
	// clusters and removes its directory.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = time.Minute
	out, err := cmd.CombinedOutput()
	t.Logf("pitr-drill.sh:\n%s", out)
	if err != nil {
		t.Fatalf("pitr-drill.sh: %v", err)
	}

	var last string
	for sc := bufio.NewScanner(strings.NewReader(string(out))); sc.Scan(); {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			last = line
		}
	}
	m := passed.FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("last line of pitr-drill.sh is %q, want %q", last, "PITR drill passed: …")
	}
	if m[1] != "100" || m[2] != "100" {
		t.Errorf("drill ran with %s rows before and %s after, want 100 each (PITR_ROWS=100)", m[1], m[2])
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// withoutPgBackRestEnv drops PGBACKREST_* variables, which pgBackRest would
// read as options and which would hide mistakes in the file.
func withoutPgBackRestEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PGBACKREST_") {
			env = append(env, kv)
		}
	}
	return env
}
