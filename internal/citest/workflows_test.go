package citest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// actionlint is pinned like staticcheck in the Makefile: built from the
// module proxy at exactly this version. When shellcheck is on PATH (it is
// on GitHub's runners), actionlint also lints every run: script with it.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

const root = "../.."

var (
	binDir       string
	buildOnce    sync.Once
	actionlintAt string
	buildErr     error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "citest-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// actionlintBinary builds actionlint once; its own exit codes then tell
// findings (1) from a failure to run (2, 3), which `go run` would blur.
func actionlintBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "install", actionlint)
		cmd.Env = append(os.Environ(), "GOBIN="+binDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go install %s: %v\n%s", actionlint, err, out)
			return
		}
		actionlintAt = filepath.Join(binDir, "actionlint")
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return actionlintAt
}

// runActionlint lints the given workflow files and returns its exit code
// (0 clean, 1 findings) and output. Any other outcome means actionlint
// itself could not run, which fails the test.
func runActionlint(t *testing.T, files ...string) (int, string) {
	t.Helper()
	bin := actionlintBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-no-color"}, files...)...)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return 1, out.String()
	default:
		t.Fatalf("actionlint could not run: %v\n%s", err, &out)
		return 0, ""
	}
}

// workflows returns the repository's workflow files, relative to root.
func workflows(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, ".github", "workflows", pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, _ := filepath.Rel(root, f)
			files = append(files, rel)
		}
	}
	for _, want := range []string{"ci.yml", "deploy.yml"} {
		if !slices.Contains(files, filepath.Join(".github", "workflows", want)) {
			t.Fatalf("no .github/workflows/%s (found %v)", want, files)
		}
	}
	return files
}

func TestWorkflowsPassActionlint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds actionlint")
	}
	files := workflows(t)
	if code, out := runActionlint(t, files...); code != 0 {
		t.Errorf("actionlint found problems in the workflows:\n%s", out)
	}
}

// The check above is only worth something if actionlint really runs and
// reports: a workflow with known mistakes must fail it, each named.
func TestActionlintCatchesABrokenWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds actionlint")
	}
	dir := filepath.Join(t.TempDir(), ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	broken := `name: Broken
on:
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    needs: [lint]
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-dept: 0
      - run: echo "${{ github.event.pull_request.title }}"
      - run: make test
        timeout-minutes: ten
`
	path := filepath.Join(dir, "broken.yml")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runActionlint(t, path)
	if code != 1 {
		t.Fatalf("actionlint passed a broken workflow:\n%s", out)
	}
	for _, want := range []string{
		`job "test" needs job "lint" which does not exist`,
		`input "fetch-dept" is not defined`,
		`"github.event.pull_request.title" is potentially untrusted`,
		`timeout-minutes`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("actionlint did not report %q:\n%s", want, out)
		}
	}
}

// workflow is the part of a workflow file these tests read.
type workflow struct {
	Jobs map[string]struct {
		Env         map[string]string `yaml:"env"`
		Environment any               `yaml:"environment"`
		Concurrency any               `yaml:"concurrency"`
		Steps       []struct {
			Name string            `yaml:"name"`
			Run  string            `yaml:"run"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, name string) (workflow, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w, string(b)
}

// CI on GitHub must require every tool .ci/run requires, so a missing
// tool fails there too instead of quietly skipping its tests, and run the
// same make targets.
func TestCIKeepsInStepWithCIRun(t *testing.T) {
	script, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := readWorkflow(t, "ci.yml")
	test, ok := w.Jobs["test"]
	if !ok {
		t.Fatal("ci.yml has no test job")
	}
	required := regexp.MustCompile(`(?m)^export (RECC_TEST_REQUIRE_[A-Z0-9_]+)=1$`).FindAllStringSubmatch(string(script), -1)
	if len(required) < 4 {
		t.Fatalf(".ci/run exports only %d RECC_TEST_REQUIRE_* variables; the pattern no longer matches it", len(required))
	}
	for _, m := range required {
		if test.Env[m[1]] != "1" {
			t.Errorf(".ci/run sets %s=1, the test job in ci.yml does not", m[1])
		}
	}
	var runs strings.Builder
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			runs.WriteString(s.Run + "\n")
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^make ([a-z-]+)$`).FindAllStringSubmatch(string(script), -1) {
		if !regexp.MustCompile(`(?m)^\s*make ` + m[1] + `\b`).MatchString(runs.String()) {
			t.Errorf(".ci/run runs make %s, ci.yml does not", m[1])
		}
	}
}

// smokeFlags reads the flags `reccollection smoke` defines.
func smokeFlags(t *testing.T) map[string]bool {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, "cmd", "reccollection", "smoke.go"))
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`fs\.[A-Za-z]+\("([a-z-]+)"`).FindAllStringSubmatch(string(src), -1) {
		flags[m[1]] = true
	}
	if !flags["expect-commit"] {
		t.Fatalf("found no --expect-commit among the smoke flags %v; the pattern no longer matches smoke.go", flags)
	}
	return flags
}

// The deploy workflow: one environment per branch, no overlapping
// deploys, kustomize at the Makefile's version, and a smoke test that
// checks the commit just deployed with flags the binary has.
func TestDeployWorkflow(t *testing.T) {
	w, text := readWorkflow(t, "deploy.yml")
	deploy, ok := w.Jobs["deploy"]
	if !ok {
		t.Fatal("deploy.yml has no deploy job")
	}
	env, _ := deploy.Environment.(map[string]any)
	name, _ := env["name"].(string)
	for _, want := range []string{"staging", "production"} {
		if !strings.Contains(name, "'"+want+"'") {
			t.Errorf("the deploy job's environment %q does not name %s", name, want)
		}
	}
	conc, _ := deploy.Concurrency.(map[string]any)
	if group, _ := conc["group"].(string); !strings.Contains(group, name[strings.Index(name, "github.ref"):]) || conc["cancel-in-progress"] != false {
		t.Errorf("concurrency %v: want one group per environment, never cancelling a deploy in progress", deploy.Concurrency)
	}
	if regexp.MustCompile(`kustomize/v5@v[0-9]`).MatchString(text) {
		t.Error("deploy.yml pins its own kustomize version; read KUSTOMIZE_VERSION from the Makefile")
	}
	if !strings.Contains(text, "KUSTOMIZE_VERSION") {
		t.Error("deploy.yml does not take kustomize's version from the Makefile")
	}

	flags := smokeFlags(t)
	smokes := 0
	for _, s := range deploy.Steps {
		for _, line := range strings.Split(s.Run, "\n") {
			_, args, found := strings.Cut(line, "reccollection smoke ")
			if !found {
				continue
			}
			smokes++
			for _, f := range regexp.MustCompile(`(?:^|\s)--([a-z-]+)`).FindAllStringSubmatch(args, -1) {
				if !flags[f[1]] {
					t.Errorf("step %q calls smoke with --%s, which it does not have", s.Name, f[1])
				}
			}
			if s.Env["RECC_SMOKE_LOGIN"] == "" || s.Env["RECC_SMOKE_PASSWORD"] == "" {
				t.Errorf("step %q runs the smoke test without RECC_SMOKE_LOGIN and RECC_SMOKE_PASSWORD", s.Name)
			}
		}
	}
	if smokes < 2 {
		t.Errorf("deploy.yml runs the smoke test %d times; want after the rollout and after a rollback", smokes)
	}
	if !strings.Contains(text, `--expect-commit "$GITHUB_SHA"`) {
		t.Error("the smoke test after the rollout does not expect the commit just deployed")
	}
	for _, want := range []string{"kubectl -n \"$NAMESPACE\" rollout undo deployment/reccollection", "job/reccollection-migrate",
		"app.kubernetes.io/component=migrate", "'app.kubernetes.io/component!=migrate'", "rollout status deployment/reccollection"} {
		if !strings.Contains(text, want) {
			t.Errorf("deploy.yml lacks %q", want)
		}
	}
}
