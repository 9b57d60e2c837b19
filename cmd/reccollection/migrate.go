package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/reccollection/reccollection/internal/app"
)

var migrateCmd = command{
	name:    "migrate",
	summary: "Change the database schema: apply pending migrations (up), roll back the last one (down), or list them (status).",
	usage:   "migrate up|down|status",
	run:     runMigrate,
}

func runMigrate(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: reccollection %s", errUsage, "migrate up|down|status")
	}
	cfg, err := env.config()
	if err != nil {
		return err
	}
	s, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	switch fs.Arg(0) {
	case "up":
		n, err := s.MigrateUp(ctx)
		if err != nil {
			return err
		}
		cur, _, err := s.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "applied %d migration(s); %s schema is at version %d\n", n, s.Engine(), cur)
	case "down":
		m, err := s.MigrateDown(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "rolled back %d %s\n", m.Version, m.Name)
	case "status":
		st, err := s.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT\n")
		for _, m := range st {
			state, at := "pending", ""
			if m.Applied {
				state, at = "applied", m.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", m.Version, m.Name, state, at)
		}
		return tw.Flush()
	default:
		return fmt.Errorf("%w: unknown migrate action %q; use up, down or status", errUsage, fs.Arg(0))
	}
	return nil
}
