package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/seed"
)

var seedCmd = command{
	name:    "seed",
	summary: "Fill the database: the demo users and recipes, or synthetic data at scale with --recipes and --users.",
	usage:   "seed [--recipes N --users M [--seed S]]",
	run:     runSeed,
}

// Bounds that keep a typo from filling a disk.
const (
	maxSeedRecipes = 10_000_000
	maxSeedUsers   = 1_000_000
)

func runSeed(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	recipes := fs.Int("recipes", 0, "number of synthetic recipes to create (0: load the demo data instead)")
	users := fs.Int("users", 100, "number of synthetic users to spread them over")
	rngSeed := fs.Int64("seed", 1, "generator seed; the same seed gives the same recipes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: seed takes no arguments, got %q", errUsage, fs.Args())
	}
	if *recipes < 0 || *recipes > maxSeedRecipes {
		return fmt.Errorf("%w: --recipes must be from 0 to %d", errUsage, maxSeedRecipes)
	}
	if *users < 1 || *users > maxSeedUsers {
		return fmt.Errorf("%w: --users must be from 1 to %d", errUsage, maxSeedUsers)
	}
	cfg, err := env.config()
	if err != nil {
		return err
	}
	log := env.logger(cfg)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if cur, target, err := a.Store().SchemaVersion(ctx); err != nil || cur != target {
		return errors.New("the database schema is not current; run `reccollection migrate up` first")
	}
	if *recipes == 0 {
		u, r, err := seed.Demo(ctx, a.Store())
		if errors.Is(err, seed.ErrAlreadySeeded) {
			fmt.Fprintln(env.stdout, "demo data is already present; nothing to do")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "created %d demo users (password %q) and %d recipes\n", u, seed.DemoPassword, r)
		return nil
	}
	start := time.Now()
	if err := seed.Synthetic(ctx, a.Store(), *users, *recipes, *rngSeed, seed.LogProgress(log)); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "created %d synthetic recipes over %d users in %s (password %q)\n",
		*recipes, *users, time.Since(start).Round(time.Millisecond), seed.SyntheticPassword)
	return nil
}
