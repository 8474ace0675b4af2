package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms/archive"
)

// runImport is `lullaby import lullaby FILE [--merge]`: it checks the
// whole archive (every checksum, the manifest, every document), then
// restores it into an empty database; with --merge, into one with
// content, inserting only the documents whose ids are missing.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "usage: lullaby import lullaby FILE [--merge] [--data-dir DIR]\n       lullaby import wordpress FILE.xml [--dry-run] [--as EMAIL] [--data-dir DIR]"
	if len(args) > 0 && args[0] == "wordpress" {
		return runImportWordPress(ctx, args, getenv, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "lullaby" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("import lullaby", flag.ContinueOnError)
	fs.SetOutput(stderr)
	merge := fs.Bool("merge", false, "restore into a database with content: insert what is missing, leave documents whose id is there alone")
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	rest, err := parseWithArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New(use)
	}
	file := rest[0]
	db, err := openAlone(ctx, "import", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())

	start := time.Now()
	prog := newProgress(stderr, "document or file", "documents and files")
	rep, err := archive.Restore(ctx, file, db, archive.RestoreOptions{Merge: *merge, Progress: prog.Line, Step: prog.Step})
	prog.Done()
	if err != nil {
		if rep != nil {
			return fmt.Errorf("%w\nThe restore stopped part way: run the same command with --merge to finish it", err)
		}
		return err
	}
	var loaded, kept int64
	for _, n := range rep.Loaded {
		loaded += n
	}
	for _, n := range rep.Kept {
		kept += n
	}
	fmt.Fprintf(stdout, "Restored %s (Lullaby %s, %s): %d documents and files inserted, %d there already, in %s.\n",
		file, rep.Manifest.Lullaby, rep.Manifest.Created.Format(time.RFC3339), loaded, kept, time.Since(start).Round(time.Millisecond))
	if len(rep.Clashed) > 0 {
		var sets []string
		for set, n := range rep.Clashed {
			sets = append(sets, fmt.Sprintf("%d %s", n, set))
		}
		sort.Strings(sets)
		fmt.Fprintf(stdout, "Not restored, because another document holds the same slug, email or key: %s (%s).\n",
			strings.Join(sets, ", "), strings.Join(rep.Clashes, "; "))
	}
	if !rep.Manifest.WithUsers {
		fmt.Fprintln(stdout, "The archive has users without passwords: they cannot sign in until they are given one, with\n  lullaby user reset-password EMAIL")
	}
	return nil
}
