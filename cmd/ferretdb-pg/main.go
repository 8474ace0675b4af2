// Command ferretdb-pg runs a FerretDB server on a PostgreSQL cluster of its
// own, for running the test suite against a MongoDB-wire server shared by
// every test binary, as a production MongoDB is shared by several Lullaby
// instances (.ci/run does, see docs/scaling.md):
//
//	go build -o /tmp/ferretdb-pg ./cmd/ferretdb-pg
//	/tmp/ferretdb-pg -uri-file /tmp/uri &
//	LULLABY_TEST_MONGODB_URI=$(cat /tmp/uri) go test ./...
//
// It needs PostgreSQL's initdb and postgres (Debian's postgresql package),
// creates the cluster in a new private temporary folder (socket inside, no
// TCP), listens on a loopback TCP port without authentication, and removes
// everything when it gets SIGINT or SIGTERM. It is a test tool: Lullaby
// never starts one.
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
	"syscall"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-pg:", err)
		os.Exit(1)
	}
}

// run starts the server, writes its URI to stdout (and to -uri-file once
// it is ready), and stops it when ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ferretdb-pg", flag.ContinueOnError)
	fs.SetOutput(stderr)
	uriFile := fs.String("uri-file", "", "also write the URI to this file once the server is ready")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("no arguments expected")
	}
	bin, err := cmstest.PostgreSQLBin()
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	p, err := cmstest.StartPG(bin, logger)
	if err != nil {
		return err
	}
	defer func() {
		if err := p.Close(); err != nil {
			logger.Error("stopping", "err", err)
		}
	}()
	fmt.Fprintln(stdout, p.URI())
	if *uriFile != "" {
		if err := os.WriteFile(*uriFile, []byte(p.URI()+"\n"), 0o600); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}
