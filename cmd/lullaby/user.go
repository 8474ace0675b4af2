package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"golang.org/x/term"
)

func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "reset-2fa" {
		return runUserResetTwoFactor(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "reset-password" {
		return runUserResetPassword(ctx, args[1:], getenv, stdin, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: lullaby user create --email EMAIL --name NAME [--role owner|editor]\n" +
			"       lullaby user reset-password EMAIL\n       lullaby user reset-2fa --email EMAIL")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "email address used to log in (required)")
	name := fs.String("name", "", "name shown in the admin panel (required)")
	role := fs.String("role", "", "owner or editor (default: owner for the first user, else editor)")
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := commandConfig("user create", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	if *email == "" || *name == "" {
		fs.Usage()
		return errors.New("--email and --name are required")
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	svc, db, err := openCommandService(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	in := cms.UserInput{Email: email, Name: name, Password: &password}
	first, err := svc.NeedsSetup(ctx)
	if err != nil {
		return err
	}
	r := cms.Role(*role)
	switch {
	case *role != "":
		in.Role = &r
	case first:
		r = cms.RoleOwner
		in.Role = &r
	}
	u, err := svc.CreateUser(ctx, nil, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Created %s %s <%s>. Log in at /admin.\n", u.Role, u.Name, u.Email)
	return nil
}

// readPassword asks for the password twice on a terminal, without echo, or
// reads one line from stdin when it is not a terminal.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (at least 10 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Repeat it: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords do not match")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password given: type it at the prompt or pipe it on stdin")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe turns a domain error into a message for the terminal.
func describe(err error) error {
	fields := cms.ErrorFields(err)
	if len(fields) == 0 {
		return errors.New(cms.ErrorMessage(err))
	}
	var b strings.Builder
	b.WriteString(cms.ErrorMessage(err))
	for k, v := range fields {
		fmt.Fprintf(&b, "\n  %s: %s", k, v)
	}
	return errors.New(b.String())
}

// runUserResetTwoFactor turns off the two-factor sign-in of a user who
// lost her phone and her recovery codes (the last owner has nobody else
// to do it in the panel).
func runUserResetTwoFactor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user reset-2fa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "email address of the user (required)")
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return errors.New("--email is required")
	}
	cfg, err := commandConfig("user reset-2fa", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	svc, db, err := openCommandService(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	u, err := svc.UserByEmail(ctx, *email)
	if err != nil {
		return describe(err)
	}
	if err := svc.ResetTwoFactor(ctx, nil, u.ID); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "Two-factor sign-in is off for %s <%s>: the password alone logs in until it is set up again.\n", u.Name, u.Email)
	return nil
}

// runUserResetPassword is `lullaby user reset-password EMAIL`: it sets
// a new password, asked for on the terminal or read from stdin (never
// from the command line, where other users of the machine and the shell's
// history would see it), with the rules of user create, and signs the
// user out everywhere. Users restored from an export made without
// --with-users have no password until they are given one this way.
func runUserResetPassword(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	const use = "usage: lullaby user reset-password EMAIL [--data-dir DIR] (the password is asked for, or read from stdin)"
	fs := flag.NewFlagSet("user reset-password", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", "", "folder of the embedded database (default $LULLABY_DATA_DIR or ./data)")
	flagEmail := fs.String("email", "", "email address of the user (or give it as the argument)")
	rest, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if *flagEmail != "" {
		rest = append(rest, *flagEmail)
	}
	if len(rest) != 1 || !strings.Contains(rest[0], "@") {
		return errors.New(use)
	}
	email := rest[0]
	cfg, err := commandConfig("user reset-password", *dataDir, getenv, stderr)
	if err != nil {
		return err
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	if msg := cms.PasswordProblem(password); msg != "" {
		return errors.New(msg)
	}
	svc, db, err := openCommandService(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	u, err := svc.UserByEmail(ctx, email)
	if cms.IsKind(err, cms.KindNotFound) {
		return fmt.Errorf("no user has the email address %s", email)
	}
	if err != nil {
		return describe(err)
	}
	if err := svc.SetPassword(ctx, nil, u.ID, password); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "New password set for %s <%s>; every session they had is signed out. Log in at /admin.\n", u.Name, u.Email)
	return nil
}

// commandConfig is the configuration of the one-shot command name, with
// the folder of its --data-dir flag when given.
func commandConfig(name, dataDir string, getenv func(string) string, stderr io.Writer) (*config, error) {
	var args []string
	if dataDir != "" {
		args = []string{"--data-dir", dataDir}
	}
	return loadConfig(name, args, getenv, stderr)
}

// openCommandService opens the store and service for a one-shot command,
// logging only warnings and errors to stderr.
func openCommandService(ctx context.Context, cfg *config, stderr io.Writer) (*cms.Service, *mongodb.DB, error) {
	return openService(ctx, cfg, newLogger(&config{LogLevel: "warn", LogFormat: cfg.LogFormat}, stderr))
}
