// Command reccollection is the whole RecCollection server in one binary:
// the web server and the operator's tools (migrations, seed data, users,
// health checks). Configuration comes from the environment; see
// `reccollection help` and the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/reccollection/reccollection/internal/app"
	"github.com/reccollection/reccollection/internal/config"
	"github.com/reccollection/reccollection/internal/observe"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string
	run     func(ctx context.Context, env *environment, fs *flag.FlagSet, args []string) error
}

// environment is what every subcommand gets: streams and a lazily loaded
// configuration (version and help need none).
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	environ        func() []string
}

func (e *environment) config() (*config.Config, error) {
	cfg, err := config.Load(e.getenv, os.ReadFile)
	if err != nil {
		return nil, fmt.Errorf("configuration is invalid:\n%w", indent(err))
	}
	return cfg, nil
}

// openApp loads the configuration and opens the application (its database
// migrated where the environment allows), for commands that work on data.
func (e *environment) openApp(ctx context.Context) (*app.App, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, e.logger(cfg))
}

func (e *environment) logger(cfg *config.Config) *slog.Logger {
	return observe.NewLogger(e.stderr, cfg.LogFormat, cfg.LogLevel)
}

// indent puts each line of a joined error on its own indented line.
func indent(err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return errors.New(strings.Join(lines, "\n"))
}

var commands = []command{serveCmd, migrateCmd, seedCmd, userCmd, flagsCmd, backupCmd, storageCmd, secretKeyCmd, importCmd, healthcheckCmd, smokeCmd, versionCmd}

// errUsage marks an error whose message is usage help: exit code 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, environ: os.Environ}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, env *environment, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run(ctx, env, []string{args[1], "--help"})
		}
		printHelp(env.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, newFlags(env, c), args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintln(env.stderr, err)
			return 2
		default:
			fmt.Fprintf(env.stderr, "reccollection %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(env.stderr, "reccollection: unknown command %q\n\n", args[0])
	printHelp(env.stderr)
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "RecCollection — a recipe collection and sharing server.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: reccollection <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `reccollection <command> --help` for a command's flags.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Configuration (environment variables; secrets also accept NAME_FILE):")
	for _, v := range config.Variables() {
		def := v.Default
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-32s %s (default: %s)\n", v.Name, v.Description, def)
	}
}

// newFlags returns a flag set whose --help prints the command's usage.
func newFlags(env *environment, c command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stdout, "Usage: reccollection %s\n\n%s\n", c.usage, c.summary)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(env.stdout, "\nFlags:")
			fs.SetOutput(env.stdout)
			fs.PrintDefaults()
			fs.SetOutput(env.stderr)
		}
	}
	return fs
}
