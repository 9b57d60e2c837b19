package main_test

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/testutil"
)

// TestFlagsCommand drives `flags list` and `flags set` as an operator
// would, on each engine.
func TestFlagsCommand(t *testing.T) {
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			var env []string
			if engine == "postgres" {
				env = baseEnv(t.TempDir(), "DATABASE_URL="+testutil.PostgresURL(t))
			} else {
				env = baseEnv(t.TempDir())
			}
			for _, args := range [][]string{{"flags", "--help"}, {"flags", "list", "--help"}, {"flags", "set", "--help"}} {
				r := runCLI(t, env, "", args...)
				if r.code != 0 || !strings.Contains(r.stdout, "Usage: reccollection flags") {
					t.Errorf("%v: exit %d, %q", args, r.code, r.stdout)
				}
			}
			if r := runCLI(t, env, "", "flags", "set", "--help"); !strings.Contains(r.stdout, "-rollout N") || !strings.Contains(r.stdout, "-allow") {
				t.Errorf("flags set --help does not describe its flags:\n%s", r.stdout)
			}

			list := func(extra ...string) string {
				t.Helper()
				r := runCLI(t, env, "", append([]string{"flags", "list"}, extra...)...)
				if r.code != 0 {
					t.Fatalf("flags list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
				}
				return r.stdout
			}
			row := func(out, key string) []string {
				t.Helper()
				for _, line := range strings.Split(out, "\n") {
					if strings.HasPrefix(line, key+" ") {
						return regexp.MustCompile(`\s{2,}`).Split(line, -1)
					}
				}
				t.Fatalf("no row for %s in\n%s", key, out)
				return nil
			}
			out := list()
			if !strings.Contains(out, "OVERRIDE (development)") || !strings.Contains(out, "DESCRIPTION") {
				t.Errorf("flags list header:\n%s", out)
			}
			if got := row(out, "recipe-share-link"); len(got) != 5 || got[1] != "off" || got[2] != "web" || got[3] != "-" ||
				!strings.Contains(got[4], "Copy link") {
				t.Errorf("recipe-share-link row: %q", got)
			}

			for _, name := range []string{"ann", "bea"} {
				if r := runCLI(t, env, "correct horse battery\n", "user", "create", "--username", name, "--email", name+"@example.test"); r.code != 0 {
					t.Fatalf("user create: %s%s", r.stdout, r.stderr)
				}
			}
			r := runCLI(t, env, "", "flags", "set", "recipe-share-link", "--rollout", "25", "--allow", "ann,bea", "--deny", "")
			if r.code != 0 || !strings.Contains(r.stdout, "25% +2 allowed") {
				t.Fatalf("flags set: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := row(list(), "recipe-share-link"); got[3] != "25% +2 allowed" {
				t.Errorf("after set: %q", got)
			}
			// Flags after the key or before it; unchanged settings are kept;
			// a user moved to the deny list leaves the allow list.
			r = runCLI(t, env, "", "flags", "set", "--deny", "bea", "recipe-share-link")
			if r.code != 0 || !strings.Contains(r.stdout, "25% +1 allowed -1 denied") {
				t.Errorf("deny bea: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			// Another environment has its own override.
			if r := runCLI(t, env, "", "flags", "set", "recipe-share-link", "--off", "--env", "production"); r.code != 0 {
				t.Errorf("set in production: %s%s", r.stdout, r.stderr)
			}
			if got := row(list("--env", "production"), "recipe-share-link"); got[3] != "off" {
				t.Errorf("production row: %q", got)
			}
			if got := row(list(), "recipe-share-link"); got[3] != "25% +1 allowed -1 denied" {
				t.Errorf("development row changed by production's override: %q", got)
			}
			// RECC_ENV picks the environment (staging has none yet). Staging
			// runs on PostgreSQL only.
			if engine == "postgres" {
				stagingEnv := slices.Concat(env, []string{"RECC_ENV=staging",
					"RECC_SECRET_KEY=0123456789abcdef0123456789abcdef0123456789abcdef", "RECC_BASE_URL=https://staging.example.test"})
				if got := row(runCLI(t, stagingEnv, "", "flags", "list").stdout, "recipe-share-link"); got[3] != "-" {
					t.Errorf("staging row: %q", got)
				}
			}

			bad := []struct {
				args []string
				code int
				msg  string
			}{
				{[]string{"flags", "set", "no-such-flag", "--on"}, 1, `unknown flag "no-such-flag"`},
				{[]string{"flags", "set", "recipe-share-link", "--rollout", "101"}, 1, "outside 0–100"},
				{[]string{"flags", "set", "recipe-share-link", "--rollout", "-5"}, 1, "outside 0–100"},
				{[]string{"flags", "set", "recipe-share-link", "--allow", "ann,ghost,nobody"}, 1, "no such user: ghost, nobody"},
				{[]string{"flags", "set", "recipe-share-link", "--allow", "ann", "--deny", "ann"}, 1, "both --allow and --deny"},
				{[]string{"flags", "set", "recipe-share-link", "--env", "moon", "--on"}, 1, `--env "moon"`},
				{[]string{"flags", "set", "recipe-share-link", "--on", "--off"}, 2, "contradict"},
				{[]string{"flags", "set", "recipe-share-link"}, 2, "nothing to set"},
				{[]string{"flags", "set", "--on"}, 2, "usage: reccollection flags set KEY"},
				{[]string{"flags", "frobnicate"}, 2, "unknown flags action"},
			}
			for _, c := range bad {
				r := runCLI(t, env, "", c.args...)
				if r.code != c.code || !strings.Contains(r.stderr, c.msg) {
					t.Errorf("%v: exit %d, %q; want exit %d naming %q", c.args, r.code, r.stderr, c.code, c.msg)
				}
			}
			// None of the refused changes was written.
			if got := row(list(), "recipe-share-link"); got[3] != "25% +1 allowed -1 denied" {
				t.Errorf("after refused changes: %q", got)
			}

			r = runCLI(t, env, "", "flags", "set", "recipe-share-link", "--reset")
			if r.code != 0 || !strings.Contains(r.stdout, "override removed") {
				t.Errorf("reset: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := row(list(), "recipe-share-link"); got[3] != "-" {
				t.Errorf("after reset: %q", got)
			}
		})
	}
}

// TestFlagChangeReachesRunningServer: a change made by the CLI (another
// process) reaches a running server within its cache TTL, with no restart.
func TestFlagChangeReachesRunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("process test")
	}
	env := baseEnv(t.TempDir())
	if r := runCLI(t, env, "", "seed"); r.code != 0 {
		t.Fatalf("seed: %s%s", r.stdout, r.stderr)
	}
	_, base, logs := startServe(t, env)
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, logs)
		}
		return string(b)
	}
	m := regexp.MustCompile(`href="(/recipes/[0-9a-f-]{36})"`).FindStringSubmatch(get("/recipes"))
	if m == nil {
		t.Fatal("no recipe linked from /recipes after seeding")
	}
	recipe := m[1]
	if strings.Contains(get(recipe), `id="share-url"`) {
		t.Fatal("share box shown before the flag is on")
	}
	if r := runCLI(t, env, "", "flags", "set", "recipe-share-link", "--on"); r.code != 0 {
		t.Fatalf("flags set: %s%s", r.stdout, r.stderr)
	}
	start := time.Now()
	for !strings.Contains(get(recipe), `id="share-url"`) {
		if time.Since(start) > 15*time.Second {
			t.Fatal("the running server did not pick up the flag within 15 s (TTL 5 s)")
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("the running server showed the share box %.1f s after `flags set`", time.Since(start).Seconds())
}
