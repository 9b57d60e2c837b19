package bench

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// SoakOptions say what to soak: Options' binary, recipes, users, database
// and logs, with Duration the length of the whole load.
type SoakOptions struct {
	Options
	Engine string // "postgres" or "sqlite"
	Conns  int    // clients, each with one request in flight
	// Interval between samples; 0 is a thirtieth of Duration, at least
	// 1 s and at most 10 s, so that a one-minute soak has ten samples in
	// each third and a ten-minute one twenty.
	Interval time.Duration
	CSV      io.Writer // every sample as a CSV row; nil for none
	Rule     SoakRule
}

// SoakResult is what a soak saw and the verdict on it.
type SoakResult struct {
	Engine              string
	Recipes, Conns      int
	Duration            time.Duration
	IdleRSS             int64 // before the load
	IdleBefore          int   // goroutines of the idle server before the load
	IdleAfter           int   // and after it, its connections closed
	Samples             []SoakSample
	Ops                 []OpCount
	FirstErrors         []string
	FirstShed           []string
	Verdict             SoakVerdict
	SeedTime, StartTime time.Duration
}

// The series the soak reads from the server's /metrics.
const (
	seriesGoroutines = "go_goroutines"
	seriesHeapInUse  = "go_memstats_heap_inuse_bytes"
	seriesDBOpen     = `go_sql_open_connections{db_name="primary"}`
)

// idleSettle is how long the server is left alone before an idle reading,
// so that connections just closed have been noticed and their goroutines
// have ended.
const idleSettle = 3 * time.Second

// RunSoak seeds a fresh database, starts the server on it, drives the
// mixed load for opt.Duration and samples the server every interval,
// printing each sample as a row to opt.Log, then judges the samples by
// opt.Rule. An error means the soak could not be run, not that the server
// was unstable: that is the verdict's.
func RunSoak(ctx context.Context, opt SoakOptions) (*SoakResult, error) {
	if opt.Conns < 1 || opt.Duration <= 0 {
		return nil, errors.New("a soak needs at least one client and a positive duration")
	}
	interval := opt.Interval
	if interval <= 0 {
		interval = min(max(opt.Duration/30, time.Second), 10*time.Second)
	}
	s, err := launch(ctx, opt.Engine, opt.Options)
	if err != nil {
		return nil, err
	}
	defer s.close()
	res := &SoakResult{Engine: opt.Engine, Recipes: opt.Recipes, Conns: opt.Conns, Duration: opt.Duration,
		SeedTime: s.seedTime, StartTime: s.startup}
	scrape := &http.Client{Timeout: 10 * time.Second}
	time.Sleep(idleSettle)
	if res.IdleRSS, err = ProcRSS(s.srv.pid()); err != nil {
		return nil, err
	}
	if res.IdleBefore, err = goroutines(ctx, scrape, s.srv); err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "[%s] ready in %s, idle: RSS %.1f MB, %d goroutines\n", opt.Engine,
		s.startup.Round(time.Millisecond), mb(res.IdleRSS), res.IdleBefore)

	m, err := newMix(ctx, s.srv.base, opt.Users, opt.Conns)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Log, "[%s] mixed load: %d clients for %s, a sample every %s\n", opt.Engine, opt.Conns, opt.Duration, interval)
	var out *csv.Writer
	if opt.CSV != nil {
		out = csv.NewWriter(opt.CSV)
		_ = out.Write([]string{"elapsed_s", "requests", "errors", "shed", "rss_bytes", "heap_inuse_bytes",
			"goroutines", "db_open_connections", "cpu_s"})
	}
	writeSoakHeader(opt.Log)

	loadCtx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	go func() { m.run(loadCtx); close(loadDone) }()
	start := time.Now()
	var prev SoakSample
	for i := 1; time.Duration(i)*interval <= opt.Duration; i++ {
		select {
		case <-ctx.Done():
			stopLoad()
			<-loadDone
			return nil, ctx.Err()
		case <-time.After(time.Until(start.Add(time.Duration(i) * interval))):
		}
		sm, err := takeSoakSample(ctx, scrape, s.srv, m.stats, time.Since(start))
		if err != nil {
			stopLoad()
			<-loadDone
			return nil, fmt.Errorf("sample at %s: %w", time.Since(start).Round(time.Second), err)
		}
		res.Samples = append(res.Samples, sm)
		writeSoakRow(opt.Log, prev, sm)
		if out != nil {
			writeSoakCSV(out, sm)
		}
		prev = sm
	}
	stopLoad()
	<-loadDone
	if out != nil {
		out.Flush()
		if err := out.Error(); err != nil {
			return nil, fmt.Errorf("write the samples: %w", err)
		}
	}

	time.Sleep(idleSettle)
	if res.IdleAfter, err = goroutines(ctx, scrape, s.srv); err != nil {
		return nil, err
	}
	res.Ops, res.FirstErrors, res.FirstShed = m.stats.ByOp(), m.stats.FirstErrors(), m.stats.FirstShed()
	res.Verdict = JudgeSoak(res.Samples, res.IdleBefore, res.IdleAfter, opt.Rule)
	return res, nil
}

func goroutines(ctx context.Context, client *http.Client, srv *server) (int, error) {
	got, err := scrapeSeries(ctx, client, srv.metrics, seriesGoroutines)
	if err != nil {
		return 0, err
	}
	n, ok := got[seriesGoroutines]
	if !ok {
		return 0, fmt.Errorf("metrics lack %s", seriesGoroutines)
	}
	return int(n), nil
}

// takeSoakSample reads the server's memory and CPU from /proc, its
// goroutines, heap and database connections from /metrics, and the load's
// counts so far.
func takeSoakSample(ctx context.Context, client *http.Client, srv *server, stats *MixStats, elapsed time.Duration) (SoakSample, error) {
	sm := SoakSample{Elapsed: elapsed, DBOpen: -1}
	sm.Requests, sm.Errors, sm.Shed = stats.Totals()
	var err error
	if sm.RSS, err = ProcRSS(srv.pid()); err != nil {
		return sm, err
	}
	if sm.CPU, err = ProcCPU(srv.pid()); err != nil {
		return sm, err
	}
	got, err := scrapeSeries(ctx, client, srv.metrics, seriesGoroutines, seriesHeapInUse, seriesDBOpen)
	if err != nil {
		return sm, err
	}
	g, okG := got[seriesGoroutines]
	h, okH := got[seriesHeapInUse]
	if !okG || !okH {
		return sm, fmt.Errorf("metrics lack %s or %s", seriesGoroutines, seriesHeapInUse)
	}
	sm.Goroutines, sm.HeapInUse = int(g), int64(h)
	if v, ok := got[seriesDBOpen]; ok {
		sm.DBOpen = int(v)
	}
	return sm, nil
}

func writeSoakHeader(w io.Writer) {
	fmt.Fprintf(w, "%8s %10s %8s %7s %6s %8s %8s %10s %8s %6s\n",
		"elapsed", "requests", "req/s", "errors", "shed", "RSS MB", "heap MB", "goroutines", "DB conns", "CPU %")
}

// writeSoakRow prints a sample, with the rate and CPU use since prev.
func writeSoakRow(w io.Writer, prev, s SoakSample) {
	span := (s.Elapsed - prev.Elapsed).Seconds()
	rate, cpu := 0.0, 0.0
	if span > 0 {
		rate = float64(s.Requests-prev.Requests) / span
		if prev.Elapsed > 0 {
			cpu = 100 * (s.CPU - prev.CPU).Seconds() / span
		}
	}
	db := "-"
	if s.DBOpen >= 0 {
		db = strconv.Itoa(s.DBOpen)
	}
	fmt.Fprintf(w, "%8s %10d %8.0f %7d %6d %8.1f %8.1f %10d %8s %6.0f\n",
		s.Elapsed.Round(time.Second), s.Requests, rate, s.Errors, s.Shed, mb(s.RSS), mb(s.HeapInUse), s.Goroutines, db, cpu)
}

func writeSoakCSV(w *csv.Writer, s SoakSample) {
	_ = w.Write([]string{
		strconv.FormatFloat(s.Elapsed.Seconds(), 'f', 1, 64),
		strconv.FormatUint(s.Requests, 10), strconv.FormatUint(s.Errors, 10), strconv.FormatUint(s.Shed, 10),
		strconv.FormatInt(s.RSS, 10), strconv.FormatInt(s.HeapInUse, 10),
		strconv.Itoa(s.Goroutines), strconv.Itoa(s.DBOpen),
		strconv.FormatFloat(s.CPU.Seconds(), 'f', 2, 64),
	})
	w.Flush()
}

// WriteSoakSummary prints the figures of a soak and its verdict.
func WriteSoakSummary(w io.Writer, r *SoakResult) {
	fmt.Fprintf(w, "soak on %s: %d recipes, %d clients, %s\n", r.Engine, r.Recipes, r.Conns, r.Duration)
	if len(r.Samples) == 0 {
		fmt.Fprintln(w, "no sample taken")
	} else {
		first, last := r.Samples[0], r.Samples[len(r.Samples)-1]
		fmt.Fprintf(w, "requests      %d (%.0f req/s), errors %d, shed %d\n", last.Requests,
			float64(last.Requests)/last.Elapsed.Seconds(), last.Errors, last.Shed)
		if last.Requests > first.Requests {
			fmt.Fprintf(w, "server CPU    %.2f ms per request (after the first sample)\n",
				ms(last.CPU-first.CPU)/float64(last.Requests-first.Requests))
		}
		row := func(name string, of func(SoakSample) float64, format string) {
			hi := of(first)
			for _, s := range r.Samples {
				hi = max(hi, of(s))
			}
			fmt.Fprintf(w, "%-13s start "+format+", end "+format+", max "+format+"\n", name, of(first), of(last), hi)
		}
		row("RSS MB", func(s SoakSample) float64 { return mb(s.RSS) }, "%.1f")
		row("heap MB", func(s SoakSample) float64 { return mb(s.HeapInUse) }, "%.1f")
		row("goroutines", func(s SoakSample) float64 { return float64(s.Goroutines) }, "%.0f")
		if first.DBOpen >= 0 {
			row("DB conns", func(s SoakSample) float64 { return float64(s.DBOpen) }, "%.0f")
		}
	}
	fmt.Fprintf(w, "idle          before: RSS %.1f MB, %d goroutines; after: %d goroutines\n", mb(r.IdleRSS), r.IdleBefore, r.IdleAfter)
	fmt.Fprintln(w, "by operation:")
	for _, c := range r.Ops {
		fmt.Fprintf(w, "  %-22s %9d requests %6d errors %6d shed\n", c.Op, c.Requests, c.Errors, c.Shed)
	}
	for _, e := range r.FirstErrors {
		fmt.Fprintln(w, "  error:", e)
	}
	for _, e := range r.FirstShed {
		fmt.Fprintln(w, "  shed:", e)
	}
	for _, c := range r.Verdict.Compared {
		fmt.Fprintln(w, "rule:", c)
	}
	if r.Verdict.Stable {
		fmt.Fprintln(w, "verdict: STABLE")
		return
	}
	fmt.Fprintln(w, "verdict: UNSTABLE")
	for _, reason := range r.Verdict.Reasons {
		fmt.Fprintln(w, "  -", reason)
	}
}
