package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/reccollection/reccollection/internal/bench"
)

// errUnstable is the soak's failure: the run went through and the server
// did not hold steady.
var errUnstable = errors.New("the server was not stable under load (see the verdict)")

// loadFlags are the settings the soak and the profile share.
type loadFlags struct {
	engine   *string
	recipes  *int
	users    *int
	conns    *int
	duration *time.Duration
	adminURL *string
}

func addLoadFlags(fs *flag.FlagSet, duration time.Duration) loadFlags {
	return loadFlags{
		engine:   fs.String("engine", "postgres", "postgres or sqlite"),
		recipes:  fs.Int("recipes", 10_000, "recipes to seed"),
		users:    fs.Int("users", 100, "synthetic users to spread them over (the clients sign in as them)"),
		conns:    fs.Int("conns", 8, "clients, each with one request in flight"),
		duration: fs.Duration("duration", duration, "how long to load the server"),
		adminURL: fs.String("database", env("BENCH_DATABASE_URL", defaultAdminURL), "PostgreSQL role that may create databases"),
	}
}

func (f loadFlags) check() error {
	if *f.engine != "postgres" && *f.engine != "sqlite" {
		return fmt.Errorf("-engine %q: want postgres or sqlite", *f.engine)
	}
	if *f.recipes < 1 || *f.users < 1 || *f.conns < 1 || *f.duration <= 0 {
		return errors.New("-recipes, -users, -conns and -duration must be positive")
	}
	return nil
}

// options opens the log for the children's output; close it when done.
func (f loadFlags) options(bin string) (bench.Options, *os.File, error) {
	logFile, err := bench.TempLog()
	if err != nil {
		return bench.Options{}, nil, err
	}
	fmt.Printf("server and seeding output: %s\n", logFile.Name())
	return bench.Options{Binary: bin, Recipes: *f.recipes, Users: *f.users, Duration: *f.duration,
		AdminURL: *f.adminURL, Log: os.Stdout, LogFile: logFile}, logFile, nil
}

// parse reads args into fs, checks the load flags and returns the
// options they make, with the log file the caller closes.
func (f *loadFlags) parse(fs *flag.FlagSet, args []string, bin string) (bench.Options, *os.File, error) {
	if err := fs.Parse(args); err != nil {
		return bench.Options{}, nil, err
	}
	if err := f.check(); err != nil {
		return bench.Options{}, nil, err
	}
	return f.options(bin)
}

func soak(ctx context.Context, bin string, args []string) error {
	fs := flag.NewFlagSet("soak", flag.ExitOnError)
	lf := addLoadFlags(fs, 10*time.Minute)
	csvPath := fs.String("csv", "", "also write every sample to this CSV file")
	opt, logFile, err := lf.parse(fs, args, bin)
	if err != nil {
		return err
	}
	defer logFile.Close()
	so := bench.SoakOptions{Options: opt, Engine: *lf.engine, Conns: *lf.conns, Rule: bench.DefaultSoakRule}
	if *csvPath != "" {
		f, err := os.Create(*csvPath)
		if err != nil {
			return err
		}
		defer f.Close()
		so.CSV = f
	}
	res, err := bench.RunSoak(ctx, so)
	if err != nil {
		return err
	}
	fmt.Println()
	bench.WriteSoakSummary(os.Stdout, res)
	if *csvPath != "" {
		fmt.Println("samples written to", *csvPath)
	}
	if !res.Verdict.Stable {
		return errUnstable
	}
	return nil
}

func pgo(ctx context.Context, bin string, args []string) error {
	fs := flag.NewFlagSet("pgo", flag.ExitOnError)
	lf := addLoadFlags(fs, time.Minute)
	out := fs.String("out", "cmd/reccollection/default.pgo", "where to write the CPU profile")
	opt, logFile, err := lf.parse(fs, args, bin)
	if err != nil {
		return err
	}
	defer logFile.Close()
	profile, stats, err := bench.ProfileMix(ctx, bench.ProfileOptions{Options: opt, Engine: *lf.engine, Conns: *lf.conns})
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, profile, 0o644); err != nil {
		return err
	}
	requests, _, _ := stats.Totals()
	fmt.Printf("wrote %s: %d KB, a CPU profile of %s under the mixed load (%d requests, no error)\n",
		*out, (len(profile)+1023)/1024, *lf.duration, requests)
	return nil
}
