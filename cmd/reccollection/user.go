package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
)

var userCmd = command{
	name:    "user",
	summary: "Manage accounts: create a user (with --admin, an administrator); remove a locked-out user's second factor.",
	usage:   "user create --username NAME --email EMAIL [--admin] [--display-name NAME] (password on stdin) | user mfa-reset --username NAME",
	run:     runUser,
}

func runUser(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 && args[0] == "mfa-reset" {
		return runUserMFAReset(ctx, env, fs, args[1:])
	}
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return runUserCreate(ctx, env, fs, args)
		}
		return fmt.Errorf("%w: reccollection %s", errUsage, "user create --username NAME --email EMAIL [--admin]")
	}
	return runUserCreate(ctx, env, fs, args[1:])
}

func runUserCreate(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	username := fs.String("username", "", "username: 3–32 of a–z, 0–9, '_', '.', '-'")
	email := fs.String("email", "", "email address")
	displayName := fs.String("display-name", "", "name shown to others (default: the username)")
	admin := fs.Bool("admin", false, "give the user the admin role")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	// The password comes on standard input, never as a flag, so it does
	// not show in the process list or shell history.
	fmt.Fprintln(env.stderr, "Password (one line on standard input):")
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")

	reg := auth.Registration{Username: *username, Email: *email, Password: password, DisplayName: *displayName}
	if errs := reg.Normalize(); len(errs) > 0 {
		return errs.Err()
	}
	a, err := env.openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	hash, err := auth.HashPassword(reg.Password)
	if err != nil {
		return err
	}
	u := &auth.User{Username: reg.Username, Email: reg.Email, DisplayName: reg.DisplayName, PasswordHash: hash, Role: auth.RoleUser}
	if *admin {
		u.Role = auth.RoleAdmin
	}
	if err := a.Store().CreateUser(ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "created %s %s (%s)\n", u.Role, u.Username, u.ID)
	return nil
}

// runUserMFAReset removes a user's second factor and signs them out
// everywhere: the way back in for someone who lost both their
// authenticator and their recovery codes. The operator must have checked
// who is asking first; the reset is written to the audit log.
func runUserMFAReset(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	username := fs.String("username", "", "the user whose second factor to remove")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *username == "" {
		return fmt.Errorf("%w: reccollection user mfa-reset --username NAME", errUsage)
	}
	a, err := env.openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Store().UserByUsername(ctx, *username)
	if err != nil {
		return fmt.Errorf("user %q: %w", *username, err)
	}
	if err := a.MFA().Reset(ctx, u, "command line"); err != nil {
		return err
	}
	if err := a.Store().DeleteUserSessions(ctx, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "removed the second factor of %s (%s) and signed them out; they can sign in with their password and enrol again\n", u.Username, u.ID)
	return nil
}
