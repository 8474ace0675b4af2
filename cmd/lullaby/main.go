// Command lullaby is the Lullaby headless CMS: one binary serving the admin
// panel, the admin JSON API and the public content API, on MongoDB or on its
// embedded MongoDB-wire database.
//
//	lullaby [serve] [flags]       start the server (the default)
//	lullaby user create ...       add a user (the first one is the owner)
//	lullaby user reset-password EMAIL  set a user's password (asked for)
//	lullaby user reset-2fa ...    turn off a user's two-factor sign-in
//	lullaby demo                  load sample content and exit
//	lullaby export FILE           write an archive of everything
//	lullaby import lullaby FILE   restore an archive
//	lullaby db shell              look inside the embedded database with mongosh
//	lullaby healthcheck           exit 0 when the local server is ready
//	lullaby version               print the version
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
	// Time zone names (LULLABY_BACKUP_AT) work in images without a
	// zoneinfo database.
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	privateFiles()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lullaby:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its environment passed in so that tests
// can run it in-process. Asking for help (--help, -h) is a success.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, getenv, stdin, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, args, getenv, stdin, stdout, stderr)
	case "demo":
		return runDemo(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "lullaby", version)
		return nil
	case "export":
		return runExport(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "db":
		return runDB(ctx, args, getenv, stdin, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, helpText+"\n")
		usage(stdout, "serve", &config{})
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, helpText)
}

const helpText = `Usage:
  lullaby [serve] [flags]     start the CMS (lullaby serve --help lists every setting)
  lullaby user create --email EMAIL --name NAME [--role owner|editor]
  lullaby user reset-password EMAIL
  lullaby user reset-2fa --email EMAIL
                              add a user, set a user's password (asked for, or read from stdin;
                              signs them out everywhere), turn off a user's two-factor sign-in
  lullaby demo                load sample posts, categories and settings, then exit
  lullaby export FILE [--with-users]
                              write one archive of all content, media and settings
  lullaby import lullaby FILE [--merge]
                              restore an archive into an empty database (--merge: add what is missing)
  lullaby import wordpress FILE.xml [--dry-run] [--as EMAIL]
                              import a WordPress export as posts (stop serve first)
  lullaby db shell            open mongosh on the embedded database (or print how to connect)
  lullaby healthcheck         exit 0 when the local server is ready (for container health checks)
  lullaby version             print the version
`
