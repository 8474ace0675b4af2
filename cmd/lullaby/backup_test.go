package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/archive"
	"github.com/lullabycms/lullaby/cms/backup"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// mustDashboard returns the body of the panel's dashboard on r for the
// session token.
func mustDashboard(tb testing.TB, r *running, token string) string {
	tb.Helper()
	req, err := http.NewRequest("GET", r.base+"/admin", nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: admin.SessionCookie, Value: token})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		tb.Fatalf("GET /admin: %d\n%s", res.StatusCode, b)
	}
	return string(b)
}

// TestServeBackups runs `lullaby serve` with a backup every second,
// keeping two: backups are written by themselves, the oldest rotated
// away, a file of hers in the folder left alone, and each backup left
// checks and restores with working sign-ins; the dashboard shows the
// last one.
func TestServeBackups(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "backups")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hers"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": filepath.Join(root, "data"), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_BACKUP_DIR": dir, "LULLABY_BACKUP_EVERY": "1s", "LULLABY_BACKUP_KEEP": "2"})
	token := mustOwner(t, r)
	ctx := context.Background()
	var seen []string // the successful backups, in order
	waitFor(t, "three backups", time.Minute, func() bool {
		st, err := r.srv.svc.BackupStatus(ctx)
		if err != nil || st.Failing() {
			t.Fatalf("backup status %+v, %v", st.LastFailure, err)
		}
		if st.LastSuccess != nil && !slices.Contains(seen, st.LastSuccess.File) {
			seen = append(seen, st.LastSuccess.File)
		}
		return len(seen) >= 3
	})
	page := mustDashboard(t, r, token)
	for _, want := range []string{"Last backup:", "lullaby-backup-", "Backups run every 1s, the newest 2 kept, in " + dir} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "alert-warning") {
		t.Error("dashboard warns while backups succeed")
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}

	var backups []string
	for _, name := range cmstest.DirNames(t, dir) {
		switch {
		case backup.IsBackupName(name):
			backups = append(backups, name)
		case name != "notes.txt":
			t.Errorf("%s left in the backup folder", name)
		}
	}
	if len(backups) != 2 || slices.Contains(backups, seen[0]) {
		t.Fatalf("backups left %q (seen %q): want the newest two, %s rotated away", backups, seen, seen[0])
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "hers" {
		t.Errorf("notes.txt: %q, %v", b, err)
	}
	for _, name := range backups {
		db := cmstest.New(t)
		if _, err := archive.Restore(ctx, filepath.Join(dir, name), db, archive.RestoreOptions{}); err != nil {
			t.Fatalf("restore %s: %v", name, err)
		}
		s := serverOn(t, db)
		if _, err := s.svc.Authenticate(ctx, "owner@example.com", "correct horse battery"); err != nil {
			t.Errorf("%s restored: the owner cannot sign in: %v", name, err)
		}
	}
}

// TestServeBackupFails: a backup folder that cannot be made fails the
// backup due at start, and the owner's dashboard says so, with why.
func TestServeBackupFails(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	file := filepath.Join(root, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": filepath.Join(root, "data"), "LULLABY_LOG_LEVEL": "error",
		"LULLABY_BACKUP_DIR": filepath.Join(file, "backups")})
	token := mustOwner(t, r)
	var st cms.BackupStatus
	waitFor(t, "the failed backup recorded", time.Minute, func() bool {
		st, _ = r.srv.svc.BackupStatus(context.Background())
		return st.Failing()
	})
	page := mustDashboard(t, r, token)
	i := strings.Index(page, `class="alert alert-warning"`)
	if i < 0 {
		t.Fatalf("no warning on the dashboard:\n%s", page)
	}
	if alert := page[i:min(len(page), i+500)]; !strings.Contains(alert, "The last backup failed.") || !strings.Contains(alert, "not a directory") {
		t.Errorf("warning %q: want the failure and its cause", alert)
	}
	if !strings.Contains(page, "Backups run daily at 03:00 UTC, the newest 14 kept") {
		t.Error("dashboard does not say when backups run")
	}
}

// TestBackupSettings: the backup settings are listed by --help, read
// with their defaults, and refused with the variable named when wrong.
func TestBackupSettings(t *testing.T) {
	t.Parallel()
	load := func(env map[string]string) (*config, error) {
		return loadConfig("serve", nil, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := load(nil)
	if err != nil || c.BackupDir != "" || c.BackupAt != 3*time.Hour || c.BackupZone != time.UTC || c.BackupKeep != 14 || c.BackupEvery != 0 {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	c, err = load(map[string]string{"LULLABY_BACKUP_DIR": "/srv/b", "LULLABY_BACKUP_AT": "23:30 Europe/Berlin", "LULLABY_BACKUP_KEEP": "3", "LULLABY_BACKUP_EVERY": "6h"})
	if err != nil || c.BackupAt != 23*time.Hour+30*time.Minute || c.BackupZone.String() != "Europe/Berlin" || c.BackupKeep != 3 || c.BackupEvery != 6*time.Hour {
		t.Errorf("set: %+v, %v", c, err)
	}
	for env, values := range map[string][]string{
		"LULLABY_BACKUP_AT":    {"3am", "3:00", "24:00", "03:60", "03:00 Mars/Olympus", "03:00 Local", "03:00 UTC extra"},
		"LULLABY_BACKUP_KEEP":  {"0", "-1", "many", "10001"},
		"LULLABY_BACKUP_EVERY": {"500ms", "daily", "-1h"},
	} {
		for _, v := range values {
			if _, err := load(map[string]string{env: v}); err == nil || !strings.Contains(err.Error(), env) {
				t.Errorf("%s=%q: %v, want an error naming it", env, v, err)
			}
		}
	}
	var help strings.Builder
	usage(&help, "serve", &config{})
	for _, v := range []string{"LULLABY_BACKUP_DIR", "LULLABY_BACKUP_AT", "LULLABY_BACKUP_KEEP", "LULLABY_BACKUP_EVERY"} {
		if !strings.Contains(help.String(), v) {
			t.Errorf("--help does not list %s", v)
		}
	}
}
