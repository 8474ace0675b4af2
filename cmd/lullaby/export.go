package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/lullabycms/lullaby/cms/archive"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// runExport is `lullaby export FILE`: one archive of everything (see
// cms/archive), written to FILE.partial and renamed when complete.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "usage: lullaby export FILE [--with-users] [--data-dir DIR]"
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	withUsers := fs.Bool("with-users", false, "keep password hashes and two-factor secrets, as stored (keep the file as safe as the database)")
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	rest, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New(use)
	}
	file := rest[0]
	db, err := openAlone(ctx, "export", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())

	start := time.Now()
	tmp := file + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // after the rename, there is nothing to remove
	prog := newProgress(stderr, "document or file", "documents and files")
	m, err := archive.Write(ctx, f, db, archive.Options{WithUsers: *withUsers, Version: version, Progress: prog.Line, Step: prog.Step})
	prog.Done()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Exported %d posts, %d media files and %d users to %s in %s.\n",
		m.Counts["posts"], m.Counts["media.files"], m.Counts["users"], file, time.Since(start).Round(time.Millisecond))
	if !*withUsers {
		fmt.Fprintln(stdout, "Users are in it without their passwords and two-factor settings (add --with-users to keep them).")
	}
	return nil
}

// parseWithArgs parses fs from args with flags before, between or after
// the positional arguments, which it returns.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest, args = append(rest, args[0]), args[1:]
	}
}

// openAlone opens the configured database for a command that must not run
// beside a server on the same data folder (export, import).
func openAlone(ctx context.Context, name, dataDir string, getenv func(string) string, stderr io.Writer) (*mongodb.DB, error) {
	cfg, err := commandConfig(name, dataDir, getenv, stderr)
	if err != nil {
		return nil, err
	}
	mcfg := mongodb.Config{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database,
		Logger: newLogger(&config{LogLevel: "warn", LogFormat: cfg.LogFormat}, stderr)}
	db, err := mongodb.Open(ctx, mcfg)
	var inUse *mongodb.InUseError
	if errors.As(err, &inUse) {
		return nil, fmt.Errorf("%w.\nStop the Lullaby server on %s first: lullaby %s needs the data folder to itself", err, filepath.Clean(cfg.DataDir), name)
	}
	return db, err
}
