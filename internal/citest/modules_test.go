package citest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The application's go.mod lists what the binary and its own tests use.
// The Kubernetes, kustomize and Prometheus operator libraries that only
// the deployment tests need live in deploy/go.mod, so they never reach
// the application's build list, its vulnerability reports or its image.
func TestApplicationModuleIsLean(t *testing.T) {
	app, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"k8s.io/", "kustomize", "prometheus-operator", "open-feature"} {
		for _, line := range strings.Split(string(app), "\n") {
			if strings.Contains(line, banned) {
				t.Errorf("go.mod requires %q; deployment-only libraries belong in deploy/go.mod", strings.TrimSpace(line))
			}
		}
	}

	deploy, err := os.ReadFile(filepath.Join(root, "deploy", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"module github.com/reccollection/reccollection/deploy",
		"sigs.k8s.io/kustomize/api",
		"replace github.com/reccollection/reccollection => ../",
	} {
		if !strings.Contains(string(deploy), want) {
			t.Errorf("deploy/go.mod lacks %q", want)
		}
	}
}

// makeRecipe returns the commands of one Makefile target.
func makeRecipe(t *testing.T, target string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?ms)^` + regexp.QuoteMeta(target) + `:[^\n]*\n((?:\t[^\n]*\n)+)`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("the Makefile has no %s target", target)
	}
	return m[1]
}

// CI runs the suite once: `make test` runs every test of both modules
// with coverage, all but the NORACE packages with the race detector and
// those, left out of that run, in one of their own; neither .ci/run nor
// the workflow runs the tests a second time for a coverage report.
func TestCIRunsTheSuiteOnce(t *testing.T) {
	test := makeRecipe(t, "test")
	for _, want := range []string{"-coverprofile=coverage.out", "-covermode=atomic", "$(RACE)", "cd deploy && $(GO) test",
		"tool cover -func=coverage.out", "grep -v $(foreach p,$(NORACE),", "-coverprofile=coverage-norace.out $(NORACE)",
		">> coverage.out"} {
		if !strings.Contains(test, want) {
			t.Errorf("make test lacks %q:\n%s", want, test)
		}
	}
	// The application's packages in two disjoint runs, the deployment's
	// in one.
	if n := strings.Count(test, "$(GO) test"); n != 3 {
		t.Errorf("make test runs go test %d times; want the application's two disjoint runs and the deployment's:\n%s", n, test)
	}
	lint := makeRecipe(t, "lint")
	if strings.Count(lint, "staticcheck") < 2 || !strings.Contains(lint, "cd deploy &&") {
		t.Errorf("make lint does not check the deploy module:\n%s", lint)
	}

	script, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := readWorkflow(t, "ci.yml")
	var runs strings.Builder
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			runs.WriteString(s.Run + "\n")
		}
	}
	runsTests := regexp.MustCompile(`(?m)^\s*(make (test|cover|test-short)\b|go test\b)`)
	for name, text := range map[string]string{".ci/run": string(script), "ci.yml": runs.String()} {
		got := runsTests.FindAllString(text, -1)
		if len(got) != 1 || strings.TrimSpace(got[0]) != "make test" {
			t.Errorf("%s runs the tests as %q; want exactly one make test", name, got)
		}
	}
}
