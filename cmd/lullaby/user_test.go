package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestUserResetPassword sets a user's password from the command line
// beside a running server: the password comes from stdin only and must
// pass the rules of user create; the user's sessions are refused after,
// the old password too, the new one signs in.
func TestUserResetPassword(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": dataDir, "LULLABY_LOG_LEVEL": "warn"})
	token := mustOwner(t, r)
	me := r.base + "/admin/api/v1/me"
	MustCall(t, 200, "GET", me, token, nil, nil)

	reset := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"user", "reset-password", "--data-dir", dataDir}, args...),
			func(string) string { return "" }, strings.NewReader(stdin), &out, &out)
		return out.String(), err
	}
	for _, c := range []struct {
		name, stdin, want string
		args              []string
	}{
		{"ShortPassword", "too short\n", "at least 10 characters", []string{"owner@example.com"}},
		{"NoPassword", "", "no password given", []string{"owner@example.com"}},
		{"PasswordInArgs", "", "usage: lullaby user reset-password EMAIL", []string{"owner@example.com", "a password on the command line"}},
		{"NoEmail", "a brand new password\n", "usage:", nil},
		{"UnknownUser", "a brand new password\n", "no user has the email address nobody@example.com", []string{"nobody@example.com"}},
	} {
		if out, err := reset(c.stdin, c.args...); err == nil || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.want)) {
			t.Errorf("%s: %q, %v; want an error saying %q", c.name, out, err, c.want)
		}
	}
	MustCall(t, 200, "GET", me, token, nil, nil) // nothing changed so far

	out, err := reset("a brand new password\n", "Owner@Example.com")
	if err != nil || !strings.Contains(out, "New password set for Sam Owner <owner@example.com>") {
		t.Fatalf("reset-password: %q, %v", out, err)
	}
	MustCall(t, 401, "GET", me, token, nil, nil)
	MustCall(t, 401, "POST", r.base+"/admin/api/v1/session", "", map[string]string{"email": "owner@example.com", "password": "correct horse battery"}, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", r.base+"/admin/api/v1/session", "", map[string]string{"email": "owner@example.com", "password": "a brand new password"}, &session)
	MustCall(t, 200, "GET", me, session.Token, nil, nil)
}

// TestRestoredUsersGetPasswords: users restored from an export without
// --with-users cannot sign in; the restore says how to fix that, and
// reset-password does.
func TestRestoredUsersGetPasswords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := MustServer(t)
	mustUser(t, src.svc, "owner@example.com", cms.RoleOwner)
	file := filepath.Join(t.TempDir(), "site.tar.gz")
	if out, err := runOn(t, src.db, "export", file); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	dst := cmstest.New(t)
	out, err := runOn(t, dst, "import", "lullaby", file)
	if err != nil || !strings.Contains(out, "lullaby user reset-password EMAIL") {
		t.Fatalf("import: %v; output does not say how to give users a password:\n%s", err, out)
	}
	s := serverOn(t, dst)
	if _, err := s.svc.Authenticate(ctx, "owner@example.com", "a long enough password"); err == nil {
		t.Fatal("a user restored without --with-users signed in with the old password")
	}
	var buf bytes.Buffer
	if err := run(ctx, []string{"user", "reset-password", "owner@example.com"}, dbEnv(dst), strings.NewReader("the password after the move\n"), &buf, &buf); err != nil {
		t.Fatalf("reset-password: %v\n%s", err, buf.String())
	}
	if _, err := s.svc.Authenticate(ctx, "owner@example.com", "the password after the move"); err != nil {
		t.Errorf("after reset-password: %v", err)
	}
}
