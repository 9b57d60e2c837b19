package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/seed"
)

var serveCmd = command{
	name:    "serve",
	summary: "Run the web server until SIGTERM or SIGINT, then stop gracefully.",
	usage:   "serve [--demo]",
	run:     runServe,
}

func runServe(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	demo := fs.Bool("demo", false, "load the demo users and recipes first if they are not there (development only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments, got %q", errUsage, fs.Args())
	}
	cfg, err := env.config()
	if err != nil {
		return err
	}
	if *demo && cfg.Env != config.Development {
		return fmt.Errorf("--demo is for development only (RECC_ENV=%s)", cfg.Env)
	}
	tuneGC(env.getenv)
	log := env.logger(cfg)
	for _, name := range config.UnknownVariables(env.environ()) {
		log.Warn("unknown environment variable ignored; is it misspelt?", "name", name)
	}
	for _, name := range cfg.GeneratedSecrets() {
		log.Info("using a generated development secret", "name", name, "dir", cfg.DataDir)
	}
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := useBackups(ctx, env, cfg, a); err != nil {
		return err
	}
	if *demo {
		users, recipes, err := seed.Demo(ctx, a.Store())
		if err == nil {
			err = seed.DemoSocial(ctx, a.Store())
		}
		switch {
		case errors.Is(err, seed.ErrAlreadySeeded):
			log.Info("demo data already present")
		case err != nil:
			return fmt.Errorf("load demo data: %w", err)
		default:
			log.Info("loaded demo data", "users", users, "recipes", recipes, "password", seed.DemoPassword)
			// Drawn in the background so the server is up at once; the
			// job queue renders each photo's variants and the pages fill
			// in over a minute. Only right after seeding: later the
			// newest recipes without a photo may be someone's own.
			go func() {
				n, err := seed.Photos(ctx, a.Store(), a.Photos(), recipes, 1, false, nil)
				if err != nil && ctx.Err() == nil {
					log.Warn("demo photos", "err", err, "added", n)
					return
				}
				log.Info("added demo photos", "photos", n)
			}()
		}
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on RECC_HTTP_ADDR=%s: %w", cfg.HTTPAddr, err)
	}
	return a.Serve(ctx, ln)
}

// useBackups gives the server its scheduled backups, unless
// RECC_BACKUP_INTERVAL is off.
func useBackups(ctx context.Context, env *environment, cfg *config.Config, a *app.App) error {
	if !cfg.BackupScheduled() {
		return nil
	}
	svc, err := backup.Open(ctx, a.Store(), cfg, env.getenv, backup.Options{Logger: env.logger(cfg).With("job", "backup")})
	if err != nil {
		return err
	}
	a.ScheduleBackups(svc.RunScheduled)
	return nil
}
