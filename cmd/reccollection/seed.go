package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/seed"
)

var seedCmd = command{
	name:    "seed",
	summary: "Fill the database: the demo users and recipes with photos, or synthetic data at scale with --recipes and --users (and drawn photos for the newest with --photos).",
	usage:   "seed [--recipes N --users M [--seed S]] [--photos P]",
	run:     runSeed,
}

// Bounds that keep a typo from filling a disk.
const (
	maxSeedRecipes = 10_000_000
	maxSeedUsers   = 1_000_000
	maxSeedPhotos  = 100_000
)

func runSeed(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	recipes := fs.Int("recipes", 0, "number of synthetic recipes to create (0: load the demo data instead)")
	users := fs.Int("users", 100, "number of synthetic users to spread them over")
	rngSeed := fs.Int64("seed", 1, "generator seed; the same seed gives the same recipes")
	photos := fs.Int("photos", 0, "give the newest `N` recipes without a photo a drawn one, rendered at once (about 0.3 s each)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: seed takes no arguments, got %q", errUsage, fs.Args())
	}
	if *recipes < 0 || *recipes > maxSeedRecipes {
		return fmt.Errorf("%w: --recipes must be from 0 to %d", errUsage, maxSeedRecipes)
	}
	if *photos < 0 || *photos > maxSeedPhotos {
		return fmt.Errorf("%w: --photos must be from 0 to %d", errUsage, maxSeedPhotos)
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
		if err == nil {
			err = seed.DemoSocial(ctx, a.Store())
		}
		if errors.Is(err, seed.ErrAlreadySeeded) {
			fmt.Fprintln(env.stdout, "demo data is already present; nothing to do")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "created %d demo users (password %q) and %d recipes\n", u, seed.DemoPassword, r)
		return seedPhotos(ctx, env, a, max(*photos, len(seed.DemoRecipes())), *rngSeed, log)
	}
	start := time.Now()
	if err := seed.Synthetic(ctx, a.Store(), *users, *recipes, *rngSeed, seed.LogProgress(log)); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "created %d synthetic recipes over %d users in %s (password %q)\n",
		*recipes, *users, time.Since(start).Round(time.Millisecond), seed.SyntheticPassword)
	return seedPhotos(ctx, env, a, *photos, *rngSeed, log)
}

// seedPhotos draws, uploads and renders photos for the newest n recipes
// without one.
func seedPhotos(ctx context.Context, env *environment, a *app.App, n int, rngSeed int64, log *slog.Logger) error {
	if n == 0 {
		return nil
	}
	start := time.Now()
	done, err := seed.Photos(ctx, a.Store(), a.Photos(), n, rngSeed, true, seed.LogProgress(log))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "added %d photos in %s\n", done, time.Since(start).Round(time.Millisecond))
	return nil
}
