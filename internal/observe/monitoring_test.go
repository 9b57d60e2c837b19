package observe_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/reccollection/reccollection/internal/jobs"
	"github.com/reccollection/reccollection/internal/observe"
	"github.com/reccollection/reccollection/internal/testutil"
)

const monitoringDir = "../../deploy/monitoring"

// TestAlertRulesWithPromtool checks the rules with Debian's promtool and
// runs their unit tests. Without promtool it skips, unless
// RECC_TEST_REQUIRE_PROMTOOL=1 (CI) makes that a failure.
func TestAlertRulesWithPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("RECC_TEST_REQUIRE_PROMTOOL") == "1" {
			t.Fatal("promtool not found and RECC_TEST_REQUIRE_PROMTOOL=1; apt-get install prometheus")
		}
		t.Skip("promtool not found (apt-get install prometheus); set RECC_TEST_REQUIRE_PROMTOOL=1 to fail instead")
	}
	for _, args := range [][]string{
		{"check", "rules", "prometheus-rules.yml"},
		{"test", "rules", "rules_test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = monitoringDir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		} else {
			t.Logf("promtool %s:\n%s", strings.Join(args, " "), out)
		}
	}
}

// exposedNames scrapes a fully set-up registry, the job queue's series
// included, and returns every series name it exposes (histograms with
// their _bucket, _count, _sum).
func exposedNames(t *testing.T) map[string]bool {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := observe.NewMetrics()
	m.RegisterDB("primary", db.Stats)
	m.RegisterReadiness(func() bool { return true })
	m.Observed("GET /x", "GET", 200, 0)
	m.RegisterBackupLastSuccess(func(context.Context) (time.Time, bool, error) { return time.Unix(1_700_000_000, 0), true, nil })
	q, err := jobs.New(testutil.OpenStore(t, "sqlite"), nil, m.Registry, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A registered task gives the failure counter its first (zero) series.
	q.Periodic("probe", time.Hour, func(context.Context) error { return nil })
	names := map[string]bool{
		"up": true, // Prometheus's own
	}
	for name, f := range testutil.ScrapeMetrics(t, serveMetrics(t, m)) {
		names[name] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, s := range []string{"_bucket", "_count", "_sum"} {
				names[name+s] = true
			}
		}
	}
	return names
}

var metricName = regexp.MustCompile(`\b(?:up|http_[a-z_]+|reccollection_[a-z_]+|go_sql_[a-z_]+)\b`)

// TestMonitoringUsesRealMetricNames keeps the alert rules and the
// dashboard in step with what the app exports: a renamed metric would
// silently turn an alert off.
func TestMonitoringUsesRealMetricNames(t *testing.T) {
	names := exposedNames(t)
	for _, name := range []string{observe.MetricRequestDuration, observe.MetricInFlight, observe.MetricLoginFailures,
		observe.MetricBuildInfo, observe.MetricReady, observe.MetricJobsQueueDepth, observe.MetricJobsFailed, "go_sql_open_connections", "go_sql_in_use_connections",
		"go_sql_idle_connections", "go_sql_wait_count_total", "go_sql_wait_duration_seconds_total"} {
		if !names[name] {
			t.Errorf("registry does not expose %s", name)
		}
	}

	rules := readFile(t, filepath.Join(monitoringDir, "prometheus-rules.yml"))
	var exprs []string
	for _, m := range regexp.MustCompile(`(?ms)expr: (\|\n.*?|[^\n]*)\n\s*(?:for|labels):`).FindAllStringSubmatch(rules, -1) {
		exprs = append(exprs, m[1])
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(monitoringDir, "grafana-dashboard.json"))), &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	var titles []string
	for _, p := range dash.Panels {
		titles = append(titles, strings.ToLower(p.Title))
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	if len(exprs) < 20 {
		t.Fatalf("found only %d expressions in the rules and dashboard", len(exprs))
	}
	for _, e := range exprs {
		for _, name := range metricName.FindAllString(e, -1) {
			if !names[name] {
				t.Errorf("%s is not exported by the app (in %q)", name, e)
			}
		}
	}
	for _, want := range []string{"request rate", "error rate", "p50", "p95", "p99", "in-flight", "connections", "login failures", "readiness"} {
		if !slices.ContainsFunc(titles, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("dashboard has no panel for %q; panels: %q", want, titles)
		}
	}
}

// TestAlertsHaveRunbooks checks every alert's severity, summary,
// description and runbook link, and that the link's anchor is a heading
// of docs/operations.md.
func TestAlertsHaveRunbooks(t *testing.T) {
	rules := readFile(t, filepath.Join(monitoringDir, "prometheus-rules.yml"))
	anchors := map[string]bool{}
	for _, line := range strings.Split(readFile(t, "../../docs/operations.md"), "\n") {
		if h, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
			anchors[githubAnchor(h)] = true
		}
	}
	blocks := strings.Split(rules, "- alert: ")[1:]
	if len(blocks) != 7 {
		t.Errorf("%d alerts, want 7 (errors, latency, down, not ready, jobs, backup too old, backup missing)", len(blocks))
	}
	for _, b := range blocks {
		name, _, _ := strings.Cut(b, "\n")
		for _, key := range []string{"severity: ", "summary: ", "description: ", "runbook_url: "} {
			if !strings.Contains(b, key) {
				t.Errorf("%s has no %s", name, strings.TrimSpace(key))
			}
		}
		m := regexp.MustCompile(`runbook_url: "https://github.com/reccollection/reccollection/blob/main/docs/operations.md#([a-z0-9-]+)"`).FindStringSubmatch(b)
		if m == nil {
			t.Errorf("%s: runbook_url does not point into docs/operations.md", name)
			continue
		}
		if !anchors[m[1]] {
			t.Errorf("%s: docs/operations.md has no heading for #%s", name, m[1])
		}
		if !regexp.MustCompile(`severity: (page|warning)\n`).MatchString(b) {
			t.Errorf("%s: severity is neither page nor warning", name)
		}
	}
}

// githubAnchor is the id GitHub gives a Markdown heading.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
