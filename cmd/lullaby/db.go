package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"

	"github.com/lullabycms/lullaby/cms/mongodb"
)

// runDB is `lullaby db shell`: mongosh on the embedded database, through
// the socket of the server that runs on the data folder, or of one this
// command starts for as long as the shell runs. Without mongosh (or with
// --print) it prints the connection string instead.
func runDB(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	const use = "usage: lullaby db shell [--data-dir DIR] [--print]"
	if len(args) == 0 || args[0] != "shell" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("db shell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	printOnly := fs.Bool("print", false, "print the connection string rather than start mongosh")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := commandConfig("db shell", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.MongoURI != "" {
		return errors.New("lullaby db shell opens the embedded database; with LULLABY_MONGODB_URI, run mongosh with that URI")
	}
	log := newLogger(&config{LogLevel: "error", LogFormat: cfg.LogFormat}, stderr)
	var uri string
	emb, err := mongodb.StartEmbedded(mongodb.EmbeddedConfig{DataDir: cfg.DataDir, Logger: log})
	var inUse *mongodb.InUseError
	switch {
	case errors.As(err, &inUse) && inUse.URI() != "":
		uri = inUse.URI()
		fmt.Fprintf(stderr, "The server with process id %d holds %s: connecting through its socket.\n", inUse.PID, inUse.Dir)
	case err != nil:
		return err
	default:
		defer emb.Close()
		uri = emb.URI()
		fmt.Fprintf(stderr, "Opened the embedded database in %s until this command ends (no server may start on it meanwhile).\n", emb.DataDir())
	}
	name := cfg.Database
	if name == "" {
		name = mongodb.DefaultDatabase
	}
	uri += name

	mongosh, lookErr := exec.LookPath("mongosh")
	if *printOnly || lookErr != nil {
		fmt.Fprintln(stdout, uri)
		if lookErr != nil {
			fmt.Fprintln(stderr, "mongosh is not installed (https://www.mongodb.com/try/download/shell): connect a MongoDB client to the address above.")
		}
		if emb != nil {
			fmt.Fprintln(stderr, "Press Ctrl-C to close the database.")
			<-ctx.Done()
		}
		return nil
	}
	// Not CommandContext: Ctrl-C belongs to the shell, which gets it too.
	sh := exec.Command(mongosh, uri)
	sh.Stdin, sh.Stdout, sh.Stderr = stdin, stdout, stderr
	return sh.Run()
}
