package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where a benchmark ran.
type Machine struct {
	CPU        string
	Cores      int
	MemoryGB   float64
	GoVersion  string
	PostgreSQL string // "" when not benchmarked
	Build      string // `reccollection version`
	Date       time.Time
}

// ThisMachine reads the CPU model and memory from /proc.
func ThisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), Date: time.Now().UTC()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(b)
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemoryGB = memTotalGB(b)
	}
	return m
}

func cpuModel(cpuinfo []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(cpuinfo))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func memTotalGB(meminfo []byte) float64 {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.ParseFloat(f[0], 64); err == nil && len(f) == 2 {
				return kb / (1 << 20)
			}
		}
	}
	return 0
}

// WriteResults prints a run's route table as Markdown (readable in a
// terminal too).
func WriteResults(w io.Writer, run *Run) {
	fmt.Fprintf(w, "### %s, %s recipes\n\n", run.Engine, thousands(run.Recipes))
	fmt.Fprintf(w, "Seeding: %s (%s recipes/s). Start to ready: %s. Idle RSS: %.1f MB.\n\n",
		run.SeedTime.Round(time.Millisecond), thousands(int(run.SeedRate())), run.StartToReady.Round(time.Millisecond),
		float64(run.IdleRSS)/(1<<20))
	fmt.Fprintln(w, "| route | conns | req/s | p50 | p95 | p99 | errors | server CPU/req | DB time/req | queries/req | RSS after |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range run.Routes {
		fmt.Fprintf(w, "| %s | %d | %.0f | %s | %s | %s | %d | %s | %s | %.1f | %.1f MB |\n",
			r.Route, r.Conns, r.Rate, dur(r.P50), dur(r.P95), dur(r.P99), r.Errors, dur(r.CPU), dur(r.DB), r.Queries,
			float64(r.RSS)/(1<<20))
	}
	fmt.Fprintln(w)
}

// WriteVerdicts prints the budget table.
func WriteVerdicts(w io.Writer, run *Run, vs []Verdict) {
	fmt.Fprintf(w, "#### Budgets (%s, %s recipes)\n\n", run.Engine, thousands(run.Recipes))
	fmt.Fprintln(w, "| budget | limit | set at | measured | verdict |")
	fmt.Fprintln(w, "|---|--:|--:|--:|---|")
	for _, v := range vs {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", v.Name, v.Limit(), thousands(v.Scale), v.Shown(), v.Status())
	}
	fmt.Fprintln(w)
}

// WriteDoc writes docs/benchmarks.md: the machine, then each run's tables.
func WriteDoc(w io.Writer, m Machine, opt Options, runs []*Run) {
	fmt.Fprintln(w, "# Benchmarks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Written by `make bench` (cmd/reccbench; see docs/architecture.md, \"Benchmark\"). Each route")
	fmt.Fprintf(w, "is driven for %s at 1 and then 32 connections against the real binary on loopback, with the\n", opt.Duration)
	fmt.Fprintln(w, "load generator on the same cores: absolute rates are noisy, CPU and database time per request")
	fmt.Fprintln(w, "are the stable part. On SQLite the database runs inside the server, so its work counts in")
	fmt.Fprintln(w, "server CPU as well as in database time. A verdict marked indicative was measured on another")
	fmt.Fprintln(w, "engine or scale than its budget is set for.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Machine")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- CPU: %s, %d cores; memory %.1f GB\n", m.CPU, m.Cores, m.MemoryGB)
	fmt.Fprintf(w, "- Go: %s; PostgreSQL: %s\n", m.GoVersion, orNone(m.PostgreSQL))
	fmt.Fprintf(w, "- Build: %s\n", orNone(m.Build))
	fmt.Fprintf(w, "- Date: %s\n", m.Date.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Results")
	fmt.Fprintln(w)
	for _, run := range runs {
		WriteResults(w, run)
		WriteVerdicts(w, run, Evaluate(run, Budgets))
	}
}

func orNone(s string) string {
	if s == "" {
		return "not measured"
	}
	return s
}

// dur shows a duration in milliseconds with three significant digits.
func dur(d time.Duration) string { return formatValue(ms(d), "ms") }

// thousands writes n with thin spaces between groups of three: 100 000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}
