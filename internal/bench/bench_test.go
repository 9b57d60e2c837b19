package bench

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	// A command name with a space and a parenthesis must not shift fields;
	// utime 250 and stime 50 ticks are 3 s.
	stat := "4242 (recc (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 8 0 100 1000000 2000 18446744073709551615"
	got, err := parseStatCPU([]byte(stat))
	if err != nil || got != 3*time.Second {
		t.Errorf("parseStatCPU = %v, %v; want 3s", got, err)
	}
	for _, bad := range []string{"", "4242 recc S 1", "4242 (recc) S 1 2 3", "4242 (r) S 1 1 1 0 -1 0 0 0 0 0 x 50 0"} {
		if _, err := parseStatCPU([]byte(bad)); err == nil {
			t.Errorf("parseStatCPU(%q) accepted", bad)
		}
	}
}

func TestParseStatusRSS(t *testing.T) {
	status := "Name:\treccollection\nVmPeak:\t  900000 kB\nVmRSS:\t   40960 kB\nRssAnon:\t 1 kB\n"
	if got, err := parseStatusRSS([]byte(status)); err != nil || got != 40<<20 {
		t.Errorf("parseStatusRSS = %d, %v; want %d", got, err, 40<<20)
	}
	for _, bad := range []string{"Name:\tx\n", "VmRSS:\t12 MB\n", "VmRSS:\tlots kB\n"} {
		if _, err := parseStatusRSS([]byte(bad)); err == nil {
			t.Errorf("parseStatusRSS(%q) accepted", bad)
		}
	}
}

func TestProcReadsThisProcess(t *testing.T) {
	pid := os.Getpid()
	if _, err := ProcCPU(pid); err != nil {
		t.Errorf("ProcCPU: %v", err)
	}
	if rss, err := ProcRSS(pid); err != nil || rss <= 0 {
		t.Errorf("ProcRSS = %d, %v", rss, err)
	}
}

func TestParseDBCounters(t *testing.T) {
	text := `# HELP reccollection_db_queries_total Statements.
# TYPE reccollection_db_queries_total counter
reccollection_db_queries_total 1234
reccollection_db_queries_total_extra 9
# TYPE reccollection_db_query_seconds_total counter
reccollection_db_query_seconds_total 2.5
go_goroutines 12
`
	c, err := parseDBCounters(strings.NewReader(text))
	if err != nil || c.Queries != 1234 || c.Time != 2500*time.Millisecond {
		t.Errorf("parseDBCounters = %+v, %v", c, err)
	}
	if _, err := parseDBCounters(strings.NewReader("reccollection_db_queries_total 1\n")); err == nil {
		t.Error("a scrape without the seconds counter was accepted")
	}
	d := DBCounters{Queries: 10, Time: time.Second}.Sub(DBCounters{Queries: 4, Time: 250 * time.Millisecond})
	if d.Queries != 6 || d.Time != 750*time.Millisecond {
		t.Errorf("Sub = %+v", d)
	}
}

func fakeRun(engine string, recipes int) *Run {
	return &Run{
		Engine: engine, Recipes: recipes, SeedTime: 100 * time.Second, StartToReady: 200 * time.Millisecond,
		IdleRSS: 50 << 20,
		Routes: []RouteResult{
			{Route: RouteAPIGet, Conns: 32, Requests: 1000, CPU: 250 * time.Microsecond, P99: 30 * time.Millisecond},
			{Route: RouteAPIList, Conns: 1, Requests: 100, CPU: 400 * time.Microsecond, DB: 600 * time.Microsecond},
			{Route: RouteAPISearch, Conns: 1, Requests: 100, CPU: 1 * time.Millisecond, DB: 2 * time.Millisecond},
			{Route: RouteAPITypo, Conns: 1, Requests: 0}, // nothing sent: not measured
		},
	}
}

func verdict(t *testing.T, vs []Verdict, name string) Verdict {
	t.Helper()
	for _, v := range vs {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no budget %q", name)
	return Verdict{}
}

func TestEvaluate(t *testing.T) {
	vs := Evaluate(fakeRun("postgres", 100_000), Budgets)
	if len(vs) != len(Budgets) {
		t.Fatalf("%d verdicts for %d budgets", len(vs), len(Budgets))
	}
	for _, c := range []struct {
		name     string
		value    float64
		measured bool
		pass     bool
		indic    bool
	}{
		{"API get: server CPU per request", 0.25, true, true, false},
		{"API get: p99 at 32 connections", 30, true, false, false},
		{"API search chicken: CPU+DB vs API list", 3, true, false, false},
		{"API search chiken: CPU+DB vs API list", 0, false, false, false},
		{"HTML recipe: server CPU per request", 0, false, false, false},
		{"start to ready (migrated database)", 0.2, true, true, false},
		{"idle RSS", 50, true, false, false},
		// 1 000 recipes/s: 1 000 000 take 1 000 s, 16.7 min; set at 1 000 000, so indicative at 100 000.
		{"seeding 1 000 000 recipes (at the measured rate)", 1_000_000.0 / 1000 / 60, true, false, true},
	} {
		v := verdict(t, vs, c.name)
		if v.Measured != c.measured || v.Pass != c.pass || v.Indicative != c.indic ||
			(c.measured && (v.Value < c.value*0.999 || v.Value > c.value*1.001)) {
			t.Errorf("%s: value %v measured %v pass %v indicative %v; want %v %v %v %v",
				c.name, v.Value, v.Measured, v.Pass, v.Indicative, c.value, c.measured, c.pass, c.indic)
		}
	}
	// p99 30 > 25, ratio 3 > 2 and RSS 50 > 40 fail for real; the seeding
	// verdict is indicative and the unmeasured ones do not count.
	if got := Failed(vs); got != 3 {
		t.Errorf("Failed = %d, want 3", got)
	}
	if s := verdict(t, vs, "idle RSS").Status(); s != "FAIL" {
		t.Errorf("Status = %q", s)
	}

	// On SQLite, or at a smaller scale, every verdict is indicative.
	for _, run := range []*Run{fakeRun("sqlite", 100_000), fakeRun("postgres", 2_000)} {
		vs := Evaluate(run, Budgets)
		if got := Failed(vs); got != 0 {
			t.Errorf("%s at %d: Failed = %d, want 0 (indicative only)", run.Engine, run.Recipes, got)
		}
		if s := verdict(t, vs, "API get: server CPU per request").Status(); s != "PASS (indicative)" {
			t.Errorf("Status = %q", s)
		}
	}
}

func TestFormatting(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 2000: "2 000", 100000: "100 000", 1000000: "1 000 000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{1234 * time.Microsecond: "1.23 ms", 45600 * time.Microsecond: "45.6 ms", 250 * time.Millisecond: "250 ms"} {
		if got := dur(d); got != want {
			t.Errorf("dur(%v) = %q, want %q", d, got, want)
		}
	}
	if got := (Budget{Max: 0.3, Unit: "ms"}).Limit(); got != "≤ 0.3 ms" {
		t.Errorf("Limit = %q", got)
	}
}

func TestMachineParsing(t *testing.T) {
	cpu := "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
	if got := cpuModel([]byte(cpu)); got != "Intel(R) Xeon(R) CPU @ 2.20GHz" {
		t.Errorf("cpuModel = %q", got)
	}
	if got := memTotalGB([]byte("MemTotal:       25165824 kB\nMemFree: 1 kB\n")); got != 24 {
		t.Errorf("memTotalGB = %v, want 24", got)
	}
}
