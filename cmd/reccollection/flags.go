package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/flags"
	"github.com/reccollection/reccollection/internal/store"
)

var flagsCmd = command{
	name:    "flags",
	summary: "Feature flags: list them with this environment's overrides, or set an override (on, off, rollout %, allow and deny lists).",
	usage: "flags list [--env ENV]\n" +
		"       reccollection flags set KEY [--on|--off] [--rollout N] [--allow USER,…] [--deny USER,…] [--reset] [--env ENV]",
	run: runFlags,
}

const flagsSetUsage = "flags set KEY [--on|--off] [--rollout N] [--allow USER,…] [--deny USER,…] [--reset] [--env ENV]"

func runFlags(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: reccollection flags list|set (see `reccollection flags --help`)", errUsage)
	}
	switch args[0] {
	case "list":
		return runFlagsList(ctx, env, fs, args[1:])
	case "set":
		return runFlagsSet(ctx, env, fs, args[1:])
	case "-h", "-help", "--help":
		return fs.Parse(args)
	}
	return fmt.Errorf("%w: unknown flags action %q; use list or set", errUsage, args[0])
}

// flagsEnvironment is --env, or RECC_ENV's environment.
func flagsEnvironment(cfg *config.Config, flagValue string) (string, error) {
	if flagValue == "" {
		return string(cfg.Env), nil
	}
	e := strings.ToLower(strings.TrimSpace(flagValue))
	if !flags.ValidEnvironment(e) {
		return "", fmt.Errorf("--env %q is not development, staging or production", flagValue)
	}
	return e, nil
}

// openFlags loads the configuration, resolves the environment whose
// overrides the command works on (see flagsEnvironment) and opens the
// store (see openFlagStore).
func openFlags(ctx context.Context, env *environment, envFlag string) (*store.Store, string, error) {
	cfg, err := env.config()
	if err != nil {
		return nil, "", err
	}
	environment, err := flagsEnvironment(cfg, envFlag)
	if err != nil {
		return nil, "", err
	}
	s, err := openFlagStore(ctx, cfg)
	return s, environment, err
}

// openFlagStore opens the database with its schema current: migrated
// where the configuration migrates automatically (development), refused
// with the fix otherwise.
func openFlagStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	s, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.AutoMigrate {
		if _, err := s.MigrateUp(ctx); err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}
	cur, target, err := s.SchemaVersion(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	if cur < target {
		s.Close()
		return nil, fmt.Errorf("the database schema is at version %d of %d; run `reccollection migrate up` first", cur, target)
	}
	return s, nil
}

func runFlagsList(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	envFlag := fs.String("env", "", "show the overrides of this environment (default: RECC_ENV)")
	fs.Usage = subUsage(env, fs, "flags list [--env ENV]", "List every feature flag with its default, owner and this environment's override.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	s, environment, err := openFlags(ctx, env, *envFlag)
	if err != nil {
		return err
	}
	defer s.Close()
	overrides, err := s.FlagOverrides(ctx, environment)
	if err != nil {
		return err
	}
	byKey := map[string]flags.Override{}
	for _, o := range overrides {
		byKey[o.Key] = o
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "KEY\tDEFAULT\tOWNER\tOVERRIDE (%s)\tDESCRIPTION\n", environment)
	for _, f := range flags.All() {
		over := "-"
		if o, ok := byKey[f.Key]; ok {
			over = o.Summary()
			delete(byKey, f.Key)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Key, onOff(f.Default), f.Owner, over, f.Description)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(byKey) > 0 {
		var stale []string
		for k := range byKey {
			stale = append(stale, k)
		}
		slices.Sort(stale)
		fmt.Fprintf(env.stderr, "note: overrides for flags no longer declared are ignored: %s (remove with `flags set KEY --reset`)\n",
			strings.Join(stale, ", "))
	}
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func runFlagsSet(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	on := fs.Bool("on", false, "turn the flag on for everyone (rollout 100 unless --rollout is given)")
	off := fs.Bool("off", false, "kill switch: turn the flag off for everyone, allow list included")
	rollout := fs.Int("rollout", 0, "turn the flag on for `N` percent (0–100) of signed-in users")
	allow := fs.String("allow", "", "comma-separated `usernames` who always get the flag (replaces the list; \"\" empties it)")
	deny := fs.String("deny", "", "comma-separated `usernames` who never get the flag (replaces the list; \"\" empties it)")
	reset := fs.Bool("reset", false, "remove the override: the declared default applies again")
	envFlag := fs.String("env", "", "change this environment's override (default: RECC_ENV)")
	fs.Usage = subUsage(env, fs, flagsSetUsage,
		"Override a feature flag in one environment. Unchanged settings of an existing override are kept.\n"+
			"Running servers pick the change up within a few seconds (their cache TTL).")
	// KEY may come before or after the flags.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 1 {
		return fmt.Errorf("%w: reccollection %s", errUsage, flagsSetUsage)
	}
	key := positional[0]
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	switch {
	case *on && *off:
		return fmt.Errorf("%w: --on and --off contradict each other", errUsage)
	case *off && given["rollout"]:
		return fmt.Errorf("%w: --off turns the flag off for everyone; --rollout has no effect with it", errUsage)
	case *reset && len(given) > 1 && !(len(given) == 2 && given["env"]):
		return fmt.Errorf("%w: --reset takes no other settings (except --env)", errUsage)
	case !*on && !*off && !*reset && !given["rollout"] && !given["allow"] && !given["deny"]:
		return fmt.Errorf("%w: nothing to set; give --on, --off, --rollout, --allow, --deny or --reset", errUsage)
	}
	def, ok := flags.Lookup(key)
	if !ok {
		var keys []string
		for _, f := range flags.All() {
			keys = append(keys, f.Key)
		}
		return fmt.Errorf("unknown flag %q; declared flags: %s", key, strings.Join(keys, ", "))
	}
	if given["rollout"] && (*rollout < 0 || *rollout > 100) {
		return fmt.Errorf("--rollout %d is outside 0–100", *rollout)
	}

	s, environment, err := openFlags(ctx, env, *envFlag)
	if err != nil {
		return err
	}
	defer s.Close()

	before, err := s.FlagOverride(ctx, environment, key)
	exists := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	was := "default " + onOff(def.Default)
	if exists {
		was = before.Summary()
	}
	if *reset {
		if !exists {
			fmt.Fprintf(env.stdout, "%s in %s: no override to remove (default %s)\n", key, environment, onOff(def.Default))
			return nil
		}
		if err := s.DeleteFlagOverride(ctx, environment, key); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s in %s: override removed, default %s applies (was: %s)\n", key, environment, onOff(def.Default), was)
		return nil
	}

	o := before
	if !exists {
		// A new override starts out giving everyone the default, so that
		// --allow or --deny alone change only the listed users.
		o = flags.Override{Environment: environment, Key: key, Enabled: true}
		if def.Default {
			o.RolloutPercent = 100
		}
	}
	switch {
	case *off:
		o.Enabled = false
	case *on:
		o.Enabled, o.RolloutPercent = true, 100
	}
	if given["rollout"] {
		o.Enabled, o.RolloutPercent = true, *rollout
	}
	var missing []string
	if given["allow"] {
		if o.AllowUsers, err = userIDs(ctx, s, *allow, &missing); err != nil {
			return err
		}
	}
	if given["deny"] {
		if o.DenyUsers, err = userIDs(ctx, s, *deny, &missing); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no such user: %s", strings.Join(missing, ", "))
	}
	if given["allow"] && given["deny"] && slices.ContainsFunc(o.AllowUsers, func(id string) bool { return slices.Contains(o.DenyUsers, id) }) {
		return errors.New("a user cannot be on both --allow and --deny")
	}
	// A user moved onto one list leaves the other, unless both were given.
	if given["allow"] && !given["deny"] {
		o.DenyUsers = slices.DeleteFunc(slices.Clone(o.DenyUsers), func(id string) bool { return slices.Contains(o.AllowUsers, id) })
	}
	if given["deny"] && !given["allow"] {
		o.AllowUsers = slices.DeleteFunc(slices.Clone(o.AllowUsers), func(id string) bool { return slices.Contains(o.DenyUsers, id) })
	}
	o.UpdatedBy = "cli"
	if u := env.getenv("USER"); u != "" {
		o.UpdatedBy = "cli:" + u
	}
	if err := s.SetFlagOverride(ctx, &o); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s in %s: %s (was: %s); running servers apply it within %s\n",
		key, environment, o.Summary(), was, flags.DefaultTTL)
	return nil
}

// userIDs resolves comma-separated usernames to user ids, adding unknown
// names to missing.
func userIDs(ctx context.Context, s *store.Store, list string, missing *[]string) ([]string, error) {
	ids := []string{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		u, err := s.UserByUsername(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			*missing = append(*missing, name)
			continue
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}

// subUsage is --help for one action of a command.
func subUsage(env *environment, fs *flag.FlagSet, usage, summary string) func() {
	return func() {
		fmt.Fprintf(env.stdout, "Usage: reccollection %s\n\n%s\n\nFlags:\n", usage, summary)
		fs.SetOutput(env.stdout)
		fs.PrintDefaults()
		fs.SetOutput(env.stderr)
	}
}
