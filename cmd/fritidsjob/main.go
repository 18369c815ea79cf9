// Command fritidsjob is the whole Fritidsjob system in one binary: the web
// app (serve, the default) and the operator's subcommands (user add,
// disable, enable, reset-password and roles, backup, check, migrate). It
// only wires: configuration, store, services, server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Usage:
  fritidsjob [serve] [flags]          start the web app (default)
  fritidsjob user add [flags]         add an account (e.g. the first admin)
  fritidsjob user disable|enable|reset-password|roles [flags]
                                      close or open an account, print a temporary password, change roles
  fritidsjob backup [flags] FILE      write a consistent copy of the database, also while serving
  fritidsjob check [flags]            verify the store and the domain invariants
  fritidsjob import [flags] FILE...   import history from CSV (youths, participation, job spells), all or nothing
  fritidsjob migrate -from SRC -to DST  copy a whole store: bolt:PATH ↔ redis://host:port/db

Run "fritidsjob <command> -h" for the flags of each command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "fritidsjob:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// usageErr passes -h through (exit 0) and turns other flag errors, which
// the flag package has already printed, into errUsage.
func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return flag.ErrHelp
	}
	return errUsage
}

// run dispatches to a subcommand; main's only other job is the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "user":
		return userCmd(args, stdin, stdout, stderr)
	case "backup":
		return backup(ctx, args, stdout, stderr)
	case "check":
		return check(ctx, args, stdout, stderr)
	case "import":
		return importCmd(args, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}
