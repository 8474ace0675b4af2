package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/wpimport"
)

const importWordPressSynopsis = "usage: lullaby import wordpress FILE.xml [--uploads DIR] [--download] [--dry-run] [--as EMAIL] [--data-dir DIR]"

const importWordPressUsage = importWordPressSynopsis + `

Imports a WordPress export (Tools > Export > All content) as posts. Run it
with --dry-run first: it writes nothing and prints the whole report. Running
it again updates the posts it made instead of adding new ones.

Images (featured images, images in the posts, pin images) go into the
media library: from --uploads, a copy of the site's wp-content/uploads
folder, and, with --download, by their URL for those not found there
(http and https only, never from private or loopback addresses). An
image that cannot be had is listed in the report; its post is imported
without it. The embedded
database serves one process at a time: stop "lullaby serve" first (or use
LULLABY_MONGODB_URI, which a running server can share).`

func runImportWordPress(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "wordpress" {
		fmt.Fprintln(stderr, importWordPressUsage)
		return errors.New(importWordPressSynopsis)
	}
	fs := flag.NewFlagSet("import wordpress", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, importWordPressUsage); fs.PrintDefaults() }
	dryRun := fs.Bool("dry-run", false, "read and map everything, write nothing, print the report")
	as := fs.String("as", "", "email of the user the posts are by (default: the first owner)")
	uploads := fs.String("uploads", "", "a copy of the site's wp-content/uploads folder to read images from")
	download := fs.Bool("download", false, "download the images not found in --uploads by their URL")
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	// The file may come before or after the flags.
	rest := args[1:]
	var file string
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" || fs.NArg() > 1 || (fs.NArg() == 1 && fs.Arg(0) != file) {
		fs.Usage()
		return errors.New(importWordPressSynopsis)
	}
	f, err := os.Open(file) // refused here, before the database is opened
	if err != nil {
		return err
	}
	f.Close()
	if *uploads != "" {
		if st, err := os.Stat(*uploads); err != nil || !st.IsDir() {
			return fmt.Errorf("--uploads %s: not a folder", *uploads)
		}
	}
	open := func() (io.ReadCloser, error) { return os.Open(file) }
	cfg, err := commandConfig("import wordpress", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	svc, db, err := openCommandService(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	actor, err := importActor(ctx, svc, *as)
	if err != nil {
		return err
	}
	if *dryRun {
		fmt.Fprintf(stderr, "Reading %s (dry run: nothing is written)\n", file)
	} else {
		fmt.Fprintf(stderr, "Importing %s as %s <%s>\n", file, actor.Name, actor.Email)
	}
	prog := newProgress(stderr, "item", "items")
	rep, err := wpimport.Import(ctx, svc, open, wpimport.Options{DryRun: *dryRun, Actor: actor, Uploads: *uploads, Download: *download,
		Progress: prog.Note, Step: func(done, total int) { prog.Step(int64(done), int64(total)) }})
	prog.Done()
	if rep != nil {
		rep.WriteTo(stdout)
	}
	if err != nil {
		return fmt.Errorf("import wordpress: %w", err)
	}
	return nil
}

// importActor is the user named by email, else the first owner.
func importActor(ctx context.Context, svc *cms.Service, email string) (*cms.User, error) {
	if email != "" {
		u, err := svc.UserByEmail(ctx, email)
		if err != nil {
			return nil, fmt.Errorf("--as %s: %s", email, cms.ErrorMessage(err))
		}
		return u, nil
	}
	users, err := svc.ListUsers(ctx, &cms.User{Role: cms.RoleOwner})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == cms.RoleOwner {
			return u, nil
		}
	}
	return nil, errors.New("there is no user yet: create one with lullaby user create, or name one with --as")
}
