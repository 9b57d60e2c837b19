package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/store"
)

const backupUsage = "backup create [--verify]\n" +
	"       reccollection backup list\n" +
	"       reccollection backup restore NAME [--force]\n" +
	"       reccollection backup verify [NAME]"

var backupCmd = command{
	name: "backup",
	summary: "Backups of the whole installation (every table and user file, one archive that restores on SQLite or PostgreSQL) in RECC_BACKUP_URL: " +
		"create one (and delete those older than RECC_BACKUP_RETENTION_DAYS), list them, restore one into an empty database, or verify one (default: the newest) by restoring it into a scratch database.",
	usage: backupUsage,
	run:   runBackup,
}

func runBackup(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	force := fs.Bool("force", false, "restore: replace everything in a database that is not empty (rows and schema version in one transaction: all or nothing); stored files the backup lacks are removed once it has committed")
	verify := fs.Bool("verify", false, "create: verify the new backup at once, as `backup verify` does, and fail if it is not good")
	action, rest := "", []string(nil)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	// Flags may come before or after NAME.
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	want := map[string][2]int{"create": {0, 0}, "list": {0, 0}, "restore": {1, 1}, "verify": {0, 1}}
	n, ok := want[action]
	if !ok {
		if action == "" {
			return fmt.Errorf("%w: reccollection %s", errUsage, backupUsage)
		}
		return fmt.Errorf("%w: unknown backup action %q; use create, list, restore or verify", errUsage, action)
	}
	if len(rest) < n[0] || len(rest) > n[1] {
		return fmt.Errorf("%w: reccollection %s", errUsage, backupUsage)
	}
	if *force && action != "restore" {
		return fmt.Errorf("%w: --force is for backup restore only", errUsage)
	}
	if *verify && action != "create" {
		return fmt.Errorf("%w: --verify is for backup create only; use backup verify NAME", errUsage)
	}
	cfg, err := env.config()
	if err != nil {
		return err
	}
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := newBackupService(ctx, env, cfg, st)
	if err != nil {
		return err
	}
	switch action {
	case "create":
		name, err := backupCreate(ctx, env, cfg, st, svc)
		if err != nil || !*verify {
			return err
		}
		return backupVerify(ctx, env, svc, name)
	case "list":
		return backupList(ctx, env, cfg, svc)
	case "restore":
		return backupRestore(ctx, env, cfg, st, svc, rest[0], *force)
	default:
		name := ""
		if len(rest) == 1 {
			name = rest[0]
		}
		return backupVerify(ctx, env, svc, name)
	}
}

// backupVerify checks one backup ("" for the newest) by restoring it into
// a scratch database.
func backupVerify(ctx context.Context, env *environment, svc *backup.Service, name string) error {
	rep, err := svc.Verify(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "backup %s is good: %s schema %d, %d tables, %d rows, %d files\n",
		rep.Name, rep.Engine, rep.SchemaVersion, rep.Tables, rep.Rows, rep.Files)
	return nil
}

func newBackupService(ctx context.Context, env *environment, cfg *config.Config, st *store.Store) (*backup.Service, error) {
	return backup.Open(ctx, st, cfg, env.getenv, backup.Options{
		Progress: func(msg string) { fmt.Fprintln(env.stdout, msg) },
		Logger:   env.logger(cfg),
	})
}

func backupCreate(ctx context.Context, env *environment, cfg *config.Config, st *store.Store, svc *backup.Service) (string, error) {
	// The run is recorded in backup_runs, which needs a current schema.
	if cfg.AutoMigrate {
		if _, err := st.MigrateUp(ctx); err != nil {
			return "", err
		}
	}
	info, err := svc.Create(ctx)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(env.stdout, "created backup %s: %s schema %d, %d tables, %d rows, %d files, %d bytes\n",
		info.Name, info.Engine, info.SchemaVersion, info.Tables, info.Rows, info.Files, info.Size)
	return info.Name, nil
}

func backupList(ctx context.Context, env *environment, cfg *config.Config, svc *backup.Service) error {
	list, err := svc.List(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(env.stdout, "no backups in %s\n", redactedBackupURL(cfg.BackupURL))
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED\tSIZE\tENGINE\tSCHEMA\tROWS\tFILES")
	for _, b := range list {
		if b.Unreadable != "" {
			fmt.Fprintf(tw, "%s\t%s\t%d\tunreadable: %s\n", b.Name, b.CreatedAt.UTC().Format(time.RFC3339), b.Size, b.Unreadable)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%d\t%d\n", b.Name, b.CreatedAt.UTC().Format(time.RFC3339), b.Size, b.Engine, b.SchemaVersion, b.Rows, b.Files)
	}
	return tw.Flush()
}

func redactedBackupURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "RECC_BACKUP_URL"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

func backupRestore(ctx context.Context, env *environment, cfg *config.Config, st *store.Store, svc *backup.Service, name string, force bool) error {
	rep, err := svc.Restore(ctx, name, backup.RestoreOptions{Force: force})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "restored %s (%s schema %d) into the %s database: %d tables, %d rows, %d files (%d stored files the backup lacks removed)\n",
		rep.Name, rep.Engine, rep.SchemaVersion, st.Engine(), rep.Tables, rep.Rows, rep.Files, rep.FilesRemoved)
	cur, target, err := st.SchemaVersion(ctx)
	if err != nil || cur >= target {
		return err
	}
	if cfg.AutoMigrate {
		n, err := st.MigrateUp(ctx)
		if err != nil {
			return fmt.Errorf("restored, but migrating to this build's schema failed: %w", err)
		}
		fmt.Fprintf(env.stdout, "applied %d newer migration(s)\n", n)
		return nil
	}
	fmt.Fprintf(env.stdout, "the schema is at version %d of this build's %d; run `reccollection migrate up` before serving\n", cur, target)
	return nil
}
