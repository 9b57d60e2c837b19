package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/smoke"
)

const smokeUsage = "smoke [--expect-commit SHA] [--timeout 10s] [--wait 0s] [--interval 2s] URL\n\n" +
	"The account comes from RECC_SMOKE_LOGIN and RECC_SMOKE_PASSWORD (or RECC_SMOKE_LOGIN_FILE and\n" +
	"RECC_SMOKE_PASSWORD_FILE); use one made for the smoke test, without two-factor authentication."

var smokeCmd = command{
	name: "smoke",
	summary: "Check a running server end to end: readiness, commit, home page, sign-in and a private recipe's " +
		"create/read/search/delete; exit 1 at the first failure.",
	usage: smokeUsage,
	run:   runSmoke,
}

func runSmoke(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	expect := fs.String("expect-commit", "", "fail unless /version reports this commit (7 or more characters of it)")
	timeout := fs.Duration("timeout", 10*time.Second, "limit for each request")
	wait := fs.Duration("wait", 0, "keep polling /readyz (and /version for the expected commit) this long, for a rollout in progress")
	interval := fs.Duration("interval", 2*time.Second, "pause between polls")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: reccollection %s", errUsage, smokeUsage)
	}
	base, err := smoke.ParseBaseURL(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("%w: URL %s", errUsage, err)
	}
	switch {
	case *timeout <= 0 || *timeout > 10*time.Minute:
		return fmt.Errorf("%w: --timeout must be between 1ns and 10m", errUsage)
	case *wait < 0 || *wait > time.Hour:
		return fmt.Errorf("%w: --wait must be between 0s and 1h", errUsage)
	case *interval <= 0 || *interval > 10*time.Minute:
		return fmt.Errorf("%w: --interval must be between 1ns and 10m", errUsage)
	case *expect != "" && !isCommitName(*expect):
		return fmt.Errorf("%w: --expect-commit must be 7 to 64 hexadecimal characters", errUsage)
	}
	var problems []error
	login, err := secretFromEnv(env.getenv, "RECC_SMOKE_LOGIN")
	problems = append(problems, err)
	password, err := secretFromEnv(env.getenv, "RECC_SMOKE_PASSWORD")
	problems = append(problems, err)
	if err := errors.Join(problems...); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "smoke test of %s\n", base.Redacted())
	err = smoke.Run(ctx, smoke.Options{
		BaseURL: base, Login: login, Password: password, ExpectCommit: *expect,
		Timeout: *timeout, Wait: *wait, Interval: *interval,
		Out: env.stdout, UserAgent: "reccollection-smoke/" + buildinfo.Get().Version,
	})
	if err != nil {
		return fmt.Errorf("smoke test failed: %w", err)
	}
	fmt.Fprintln(env.stdout, "smoke test passed")
	return nil
}

func isCommitName(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, c := range strings.ToLower(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// secretFromEnv reads NAME, or the file NAME_FILE names (one trailing
// newline dropped), as the server's configuration does for its secrets.
func secretFromEnv(getenv func(string) string, name string) (string, error) {
	value, path := getenv(name), strings.TrimSpace(getenv(name+"_FILE"))
	switch {
	case value != "" && path != "":
		return "", fmt.Errorf("both %s and %s_FILE are set; use only one", name, name)
	case path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		value = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if value == "" {
			return "", fmt.Errorf("%s_FILE: %s is empty", name, path)
		}
	case value == "":
		return "", fmt.Errorf("%s (or %s_FILE) is not set", name, name)
	}
	return value, nil
}
