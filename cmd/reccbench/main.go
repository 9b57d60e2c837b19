// Command reccbench is the load benchmark behind `make bench`: it seeds a
// fresh database, runs the reccollection binary against it on loopback and
// reports each route's throughput, latency, server CPU, database time and
// memory against the performance budgets, writing docs/benchmarks.md.
//
// Environment: BENCH_SCALE (small: 2 000 recipes; default 100 000; large:
// 1 000 000), BENCH_ENGINES (default "postgres sqlite"), BENCH_DURATION
// (per route and concurrency, default 5s), BENCH_DATABASE_URL (a
// PostgreSQL role that may create databases; default the local
// postgres superuser), BENCH_STRICT=1 (exit 1 when a budget fails).
//
// `reccbench soak` (make soak) runs a mixed load for minutes and judges
// whether memory and goroutines stay level; `reccbench pgo` (make pgo)
// takes a CPU profile of the server under the same load for profile-guided
// optimisation. Both take their settings as flags (-h lists them).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/reccollection/reccollection/internal/bench"
)

const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

func main() {
	bin := flag.String("bin", "bin/reccollection", "the reccollection binary to benchmark")
	out := flag.String("out", "docs/benchmarks.md", "where to write the results (empty: nowhere)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch flag.Arg(0) {
	case "":
		err = run(ctx, *bin, *out)
	case "soak":
		err = soak(ctx, *bin, flag.Args()[1:])
	case "pgo":
		err = pgo(ctx, *bin, flag.Args()[1:])
	default:
		err = fmt.Errorf("unknown command %q: want none (the benchmark), soak or pgo", flag.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "reccbench:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// scale turns BENCH_SCALE into recipes, users and a duration per route.
func scale(name string) (recipes, users int, d time.Duration, err error) {
	switch name {
	case "small":
		return 2_000, 20, 2 * time.Second, nil
	case "", "default":
		return 100_000, 100, 5 * time.Second, nil
	case "large":
		return 1_000_000, 1000, 5 * time.Second, nil
	}
	return 0, 0, 0, fmt.Errorf("BENCH_SCALE=%q: want small, default or large", name)
}

func run(ctx context.Context, bin, out string) error {
	recipes, users, d, err := scale(os.Getenv("BENCH_SCALE"))
	if err != nil {
		return err
	}
	if v := os.Getenv("BENCH_DURATION"); v != "" {
		if d, err = time.ParseDuration(v); err != nil || d <= 0 {
			return fmt.Errorf("BENCH_DURATION=%q: want a positive Go duration such as 5s", v)
		}
	}
	logFile, err := bench.TempLog()
	if err != nil {
		return err
	}
	defer logFile.Close()
	fmt.Printf("server and seeding output: %s\n", logFile.Name())
	opt := bench.Options{Binary: bin, Recipes: recipes, Users: users, Duration: d,
		AdminURL: env("BENCH_DATABASE_URL", defaultAdminURL), Log: os.Stdout, LogFile: logFile}

	machine := bench.ThisMachine()
	if v, err := exec.Command(bin, "version").Output(); err == nil {
		machine.Build = strings.Join(strings.Fields(string(v)), " ")
	}
	var runs []*bench.Run
	failed := 0
	for _, engine := range strings.Fields(env("BENCH_ENGINES", "postgres sqlite")) {
		if engine != "postgres" && engine != "sqlite" {
			return fmt.Errorf("BENCH_ENGINES: unknown engine %q", engine)
		}
		r, pgVersion, err := bench.RunEngine(ctx, engine, opt)
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		if pgVersion != "" {
			machine.PostgreSQL = pgVersion
		}
		runs = append(runs, r)
		fmt.Println()
		bench.WriteResults(os.Stdout, r)
		verdicts := bench.Evaluate(r, bench.Budgets)
		bench.WriteVerdicts(os.Stdout, r, verdicts)
		failed += bench.Failed(verdicts)
	}
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		bench.WriteDoc(f, machine, opt, runs)
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Println("wrote", out)
	}
	if failed > 0 && os.Getenv("BENCH_STRICT") == "1" {
		return fmt.Errorf("%d budgets failed", failed)
	}
	return nil
}
