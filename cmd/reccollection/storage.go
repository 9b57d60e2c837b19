package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/media"
)

var storageCmd = command{
	name:    "storage",
	summary: "Copy every file of RECC_STORAGE_URL to another store (disk to S3 or back), resumable and verified.",
	usage:   storageUsage,
	run:     runStorage,
}

const (
	storageUsage      = "storage migrate --to URL [--dry-run] [--workers N]"
	maxStorageWorkers = 64
)

// runStorage copies the library; the source is left as it is (there is no
// --delete-source: switch RECC_STORAGE_URL, then remove the old store by
// hand once the new one is proven).
func runStorage(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "migrate" {
		return fmt.Errorf("%w: reccollection %s", errUsage, storageUsage)
	}
	to := fs.String("to", "", "target store: file:///absolute/path or s3://bucket/prefix?endpoint=…")
	dryRun := fs.Bool("dry-run", false, "list the files that would be copied and write nothing")
	workers := fs.Int("workers", 4, "files copied at once")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: storage migrate takes no arguments, got %q", errUsage, fs.Args())
	case *to == "":
		return fmt.Errorf("%w: storage migrate needs --to URL", errUsage)
	case *workers < 1 || *workers > maxStorageWorkers:
		return fmt.Errorf("%w: --workers must be from 1 to %d", errUsage, maxStorageWorkers)
	}
	cfg, err := env.config()
	if err != nil {
		return err
	}
	from, err := media.Open(ctx, cfg.StorageURL, env.getenv)
	if err != nil {
		return fmt.Errorf("RECC_STORAGE_URL: %w", err)
	}
	target, err := media.Open(ctx, *to, env.getenv)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	if from.Describe() == target.Describe() {
		return fmt.Errorf("%w: --to names the configured store itself (%s)", errUsage, from.Describe())
	}
	if !*dryRun {
		if err := target.Check(ctx); err != nil {
			return fmt.Errorf("target %s: %w", target.Describe(), err)
		}
	}
	fmt.Fprintf(env.stderr, "copying %s to %s\n", from.Describe(), target.Describe())
	start := time.Now()
	opts := media.MigrateOptions{
		Workers: *workers,
		DryRun:  *dryRun,
		Progress: func(r media.Report) {
			fmt.Fprintf(env.stderr, "progress: %s\n", summary(r, *dryRun))
		},
	}
	if *dryRun {
		opts.Copying = func(key string) { fmt.Fprintln(env.stdout, key) }
	}
	rep, err := media.Migrate(ctx, from, target, opts)
	fmt.Fprintf(env.stderr, "done in %s: %s\n", time.Since(start).Round(time.Millisecond), summary(rep, *dryRun))
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted; run the same command again to resume")
	}
	return err
}

func summary(r media.Report, dryRun bool) string {
	if dryRun {
		return fmt.Sprintf("%d would be copied, %d already in place, %d failed", r.Copied, r.Skipped, len(r.Failures))
	}
	return fmt.Sprintf("%d copied (%d bytes), %d already in place, %d failed", r.Copied, r.Bytes, r.Skipped, len(r.Failures))
}
