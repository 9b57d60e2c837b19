package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/reccollection/reccollection/internal/admin"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/store"
)

var userCmd = command{
	name: "user",
	summary: "Manage accounts: create a user (with --admin, an administrator); revoke every session and API token of a user; " +
		"disable or enable an account; remove a locked-out user's second factor.",
	usage: "user create --username NAME --email EMAIL [--admin] [--display-name NAME] (password on stdin)" +
		" | user revoke --username NAME | user disable --username NAME | user enable --username NAME" +
		" | user mfa-reset --username NAME",
	run: runUser,
}

func runUser(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "mfa-reset":
			return runUserMFAReset(ctx, env, fs, args[1:])
		case "revoke", "disable", "enable":
			return runUserAccess(ctx, env, fs, args[0], args[1:])
		}
	}
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return runUserCreate(ctx, env, fs, args)
		}
		return fmt.Errorf("%w: reccollection %s", errUsage, "user create|revoke|disable|enable|mfa-reset --username NAME …")
	}
	return runUserCreate(ctx, env, fs, args[1:])
}

func runUserCreate(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error {
	username := fs.String("username", "", "username: 3–32 of a–z, 0–9, '_', '.', '-'")
	email := fs.String("email", "", "email address")
	displayName := fs.String("display-name", "", "name shown to others (default: the username)")
	asAdmin := fs.Bool("admin", false, "give the user the admin role")
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
	if *asAdmin {
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
	// Every credential goes too: a token issued before the reset had
	// proved only the password, and without a second factor it would now
	// pass the gate.
	rev, err := a.Store().RevokeCredentials(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "removed the second factor of %s (%s) and revoked %s; they can sign in with their password and enrol again\n",
		u.Username, u.ID, revokedText(rev))
	return nil
}

// runUserAccess is `user revoke|disable|enable --username NAME`: the admin
// console's actions for an operator at the command line, audited as such.
func runUserAccess(ctx context.Context, env *environment, fs *flag.FlagSet, verb string, args []string) error {
	username := fs.String("username", "", "the user whose access to "+verb)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *username == "" {
		return fmt.Errorf("%w: reccollection user %s --username NAME", errUsage, verb)
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
	svc := admin.New(a.Store(), nil, "", nil)
	who := fmt.Sprintf("%s (%s)", u.Username, u.ID)
	switch verb {
	case "revoke":
		rev, err := svc.Revoke(ctx, nil, u, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "revoked %s of %s; they sign in again with their password\n", revokedText(rev), who)
	case "disable":
		rev, err := svc.SetDisabled(ctx, nil, u, true, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "disabled %s and revoked %s; they cannot sign in until enabled\n", who, revokedText(rev))
	case "enable":
		if _, err := svc.SetDisabled(ctx, nil, u, false, ""); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "enabled %s; sessions and tokens from before stay revoked, so they sign in afresh with their password\n", who)
	}
	return nil
}

// revokedText says what a revocation ended: "2 sessions and 1 API token".
func revokedText(rev store.Revoked) string {
	return plural(rev.Sessions, "session") + " and " + plural(rev.Tokens, "API token")
}

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
