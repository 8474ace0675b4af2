package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/archive"
	"github.com/lullabycms/lullaby/cms/backup"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

const ownerPassword = "correct horse battery"

// MustRunner returns a runner backing f's database up into dir daily at
// 03:00 UTC, keeping keep, on clk.
func MustRunner(tb testing.TB, f *cmstest.Fixture, dir string, keep int, clk *cmstest.Clock) *backup.Runner {
	tb.Helper()
	r, err := backup.New(backup.Config{Dir: dir, At: 3 * time.Hour, Keep: keep, Store: f.DB, Version: "test", Logger: cmstest.Logger(), Now: clk.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// day returns 04:00 UTC on the n-th of December 2030: an hour after the
// slot of that day.
func day(n int) time.Time { return time.Date(2030, 12, n, 4, 0, 0, 0, time.UTC) }

// mustRestore restores the archive at path into a fresh database and
// returns a service on it.
func mustRestore(tb testing.TB, path string) *cmstest.Fixture {
	tb.Helper()
	f := cmstest.MustService(tb)
	if _, err := archive.Restore(tb.Context(), path, f.DB, archive.RestoreOptions{}); err != nil {
		tb.Fatalf("restore %s: %v", filepath.Base(path), err)
	}
	return f
}

// TestBackupsRotateAndRestore: three daily backups into a folder the
// first one makes (0700), each a 0600 file that checks and restores with
// the content of its day and working sign-ins; with two kept, the oldest
// goes, and nothing else in the folder is touched: files and a folder
// with names like a backup's but not exactly, a symbolic link, a fresh
// temporary file of another run.
func TestBackupsRotateAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := cmstest.MustService(t)
	f.MustUser(t, cms.UserInput{Email: new("owner@example.com"), Role: new(cms.RoleOwner), Password: new(ownerPassword)})
	dir := filepath.Join(t.TempDir(), "backups")
	clk := &cmstest.Clock{}
	r := MustRunner(t, f, dir, 2, clk)

	var files []string
	for n := 1; n <= 3; n++ {
		f.MustPublished(t, cms.PostInput{Title: new("Night waking, part " + string(rune('0'+n))), Body: new("Sleep cycles.")}, time.Time{})
		clk.Set(day(n))
		run, err := r.RunDue(ctx, day(n))
		if err != nil || run == nil {
			t.Fatalf("day %d: run %+v, %v", n, run, err)
		}
		slot := time.Date(2030, 12, n, 3, 0, 0, 0, time.UTC)
		if want := backup.FileName(slot); run.File != want || !run.Slot.Equal(slot) || !run.At.Equal(day(n)) {
			t.Errorf("day %d: run %+v, want file %s of slot %s", n, run, want, slot)
		}
		path := filepath.Join(dir, run.File)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() != run.Size {
			t.Errorf("%s: mode %v, %d bytes; want 0600 and the %d bytes recorded", run.File, fi.Mode().Perm(), fi.Size(), run.Size)
		}
		m, err := archive.Check(path, f.DB)
		if err != nil {
			t.Fatalf("%s does not check: %v", run.File, err)
		}
		if !m.WithUsers || m.Counts["posts"] != int64(n) {
			t.Errorf("%s: withUsers %v, %d posts; want password hashes in and %d posts", run.File, m.WithUsers, m.Counts["posts"], n)
		}
		files = append(files, run.File)
		if n == 1 {
			if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
				t.Fatalf("backup folder: %v, %v; want it made with mode 0700", fi.Mode().Perm(), err)
			}
			mustForeign(t, dir)
		}
	}
	if got, want := cmstest.DirNames(t, dir), append(foreignNames(), files[1:]...); !sameSet(got, want) {
		t.Errorf("folder after three backups keeping two:\n got %q\nwant %q", got, want)
	}
	st, err := f.Svc.BackupStatus(ctx)
	if err != nil || st.LastSuccess == nil || st.LastSuccess.File != files[2] || st.LastFailure != nil || st.Failing() {
		t.Errorf("status %+v, %v; want the last success %s and no failure", st, err, files[2])
	}
	if st.Overdue(day(3).Add(47*time.Hour)) || !st.Overdue(day(3).Add(49*time.Hour)) {
		t.Error("a backup should be overdue after two days, not before")
	}

	for i, name := range files[1:] {
		got := mustRestore(t, filepath.Join(dir, name))
		posts, _, err := got.Svc.ListPosts(ctx, cms.PostFilter{Limit: 10})
		if err != nil || len(posts) != i+2 {
			t.Errorf("%s restored: %d posts, %v; want %d", name, len(posts), err, i+2)
		}
		if _, err := got.Svc.Authenticate(ctx, "owner@example.com", ownerPassword); err != nil {
			t.Errorf("%s restored: the owner cannot sign in: %v", name, err)
		}
		if st, err := got.Svc.BackupStatus(ctx); err != nil || st.LastSuccess != nil || st.LastFailure != nil {
			t.Errorf("%s restored: backup status %+v, %v; want none (it belongs to the database backed up)", name, st, err)
		}
	}
}

// foreignNames are the names mustForeign puts in the backup folder.
func foreignNames() []string {
	return []string{"notes.txt", "lullaby-backup-latest.tar.gz", "lullaby-backup-20000101T000000Z.tar.gz.bak",
		"lullaby-backup-20001301T000000Z.tar.gz", "Lullaby-backup-20000101T000000Z.tar.gz",
		"lullaby-backup-20000101T000000Z.tar.gz", "lullaby-backup-20000102T000000Z.tar.gz",
		".lullaby-backup-20000101T000000Z-123.partial"}
}

// mustForeign puts into dir what is not a backup of a Runner but looks
// like one: in name order they all come before any backup.
func mustForeign(tb testing.TB, dir string) {
	tb.Helper()
	for _, name := range foreignNames() {
		p := filepath.Join(dir, name)
		var err error
		switch name {
		case "lullaby-backup-20000101T000000Z.tar.gz": // a folder
			if err = os.Mkdir(p, 0o700); err == nil {
				err = os.WriteFile(filepath.Join(p, "inside"), []byte("keep"), 0o600)
			}
		case "lullaby-backup-20000102T000000Z.tar.gz": // a link to another file
			err = os.Symlink("notes.txt", p)
		default:
			err = os.WriteFile(p, []byte("not a backup"), 0o600)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestOneInstancePerSlot: two instances on one database due at the same
// time write one backup; an instance whose clock lags does not back up a
// slot older than one claimed; an outcome of an older slot does not
// overwrite that of a later one.
func TestOneInstancePerSlot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := cmstest.MustService(t)
	dir := t.TempDir()
	clk := cmstest.NewClock(day(1))
	a, b := MustRunner(t, f, dir, 5, clk), MustRunner(t, f, dir, 5, clk)
	runs := make([]*cms.BackupRun, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, r := range []*backup.Runner{a, b} {
		wg.Go(func() { runs[i], errs[i] = r.RunDue(ctx, day(1)) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || (runs[0] == nil) == (runs[1] == nil) {
		t.Fatalf("two instances at one slot: runs %+v %+v, errors %v %v; want one backup", runs[0], runs[1], errs[0], errs[1])
	}
	if got := cmstest.DirNames(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q, want one backup", got)
	}
	if run, err := a.RunDue(ctx, day(2)); err != nil || run == nil {
		t.Fatalf("day 2: %+v, %v", run, err)
	}
	if run, err := b.RunDue(ctx, day(1)); err != nil || run != nil {
		t.Errorf("a lagging clock backed day 1 up again after day 2: %+v, %v", run, err)
	}
	old := cms.BackupRun{Slot: day(1).Add(-time.Hour), At: day(3), File: "old.tar.gz", Size: 1}
	if err := f.DB.RecordBackup(ctx, old); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.Svc.BackupStatus(ctx); st.LastSuccess == nil || st.LastSuccess.File != backup.FileName(day(2).Add(-time.Hour)) {
		t.Errorf("status after recording an older slot: %+v, want day 2's backup", st.LastSuccess)
	}
}

// TestFailedBackups: a folder that cannot be made, and a backup that
// cannot take its name (a folder of that name is in the way), fail; the
// failure is recorded, the partial file removed, what was in the folder
// left alone; the next good run clears the failure.
func TestFailedBackups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := cmstest.MustService(t)
	root := t.TempDir()
	file := filepath.Join(root, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := cmstest.NewClock(day(1))
	run, err := MustRunner(t, f, filepath.Join(file, "backups"), 2, clk).RunDue(ctx, day(1))
	if err == nil || run == nil || run.OK() || !strings.Contains(run.Error, "not a directory") {
		t.Fatalf("backing up under a file: %+v, %v; want a failure that says why", run, err)
	}
	st, _ := f.Svc.BackupStatus(ctx)
	if !st.Failing() || st.LastFailure.Error != run.Error || st.LastSuccess != nil {
		t.Errorf("status %+v, want the failure recorded", st)
	}

	dir := filepath.Join(root, "backups")
	r := MustRunner(t, f, dir, 2, clk)
	clk.Set(day(2))
	blocker := filepath.Join(dir, backup.FileName(day(2).Add(-time.Hour)))
	if err := os.MkdirAll(blocker, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(blocker, "hers"), []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	run, err = r.RunDue(ctx, day(2))
	if err == nil || run == nil || run.OK() {
		t.Fatalf("backup whose name is taken by a folder: %+v, %v; want a failure", run, err)
	}
	if got := cmstest.DirNames(t, dir); !slices.Equal(got, []string{filepath.Base(blocker)}) {
		t.Errorf("after the failed run the folder holds %q, want only the folder in the way (no partial file)", got)
	}
	if b, err := os.ReadFile(filepath.Join(blocker, "hers")); err != nil || string(b) != "keep" {
		t.Errorf("the folder in the way was changed: %q, %v", b, err)
	}
	if st, _ := f.Svc.BackupStatus(ctx); !st.Failing() || !st.LastFailure.At.Equal(day(2)) {
		t.Errorf("status %+v, want day 2's failure", st.LastFailure)
	}

	clk.Set(day(3))
	if run, err := r.RunDue(ctx, day(3)); err != nil || !run.OK() {
		t.Fatalf("day 3: %+v, %v", run, err)
	}
	st, _ = f.Svc.BackupStatus(ctx)
	if st.Failing() || st.LastSuccess == nil || st.LastFailure == nil {
		t.Errorf("status %+v, want a success after the failure, the failure kept", st)
	}
}

// TestSlots: the daily slot in a time zone, and the interval override.
func TestSlots(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	f := cmstest.MustService(t)
	mk := func(at time.Duration, loc *time.Location, every time.Duration) *backup.Runner {
		r, err := backup.New(backup.Config{Dir: t.TempDir(), At: at, Location: loc, Every: every, Store: f.DB})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, c := range []struct {
		r         *backup.Runner
		now, want string
	}{
		{mk(3*time.Hour, nil, 0), "2030-12-06T02:59:59Z", "2030-12-05T03:00:00Z"},
		{mk(3*time.Hour, nil, 0), "2030-12-06T03:00:00Z", "2030-12-06T03:00:00Z"},
		{mk(3*time.Hour, berlin, 0), "2030-12-06T02:30:00Z", "2030-12-06T02:00:00Z"}, // CET: UTC+1
		{mk(3*time.Hour, berlin, 0), "2030-07-06T01:30:00Z", "2030-07-06T01:00:00Z"}, // CEST: UTC+2
		{mk(0, nil, 2*time.Second), "2030-12-06T10:00:03.5Z", "2030-12-06T10:00:02Z"},
	} {
		if got := c.r.Slot(utc(c.now)); !got.Equal(utc(c.want)) {
			t.Errorf("%s: slot at %s = %s, want %s", c.r.Schedule(), c.now, got.UTC(), c.want)
		}
	}
	if got := mk(3*time.Hour+30*time.Minute, berlin, 0).Schedule(); got != "daily at 03:30 Europe/Berlin, the newest 14 kept" {
		t.Errorf("schedule %q", got)
	}
	if _, err := backup.New(backup.Config{Dir: "x", Store: f.DB, Every: time.Millisecond}); err == nil {
		t.Error("an interval under a second was accepted: file names count in seconds")
	}
	if !backup.IsBackupName("lullaby-backup-20261206T030000Z.tar.gz") || backup.IsBackupName("lullaby-backup-20261306T030000Z.tar.gz") {
		t.Error("IsBackupName does not take exactly the names of backups")
	}
}

// shutdownMidway is the test database with a shutdown that comes while
// the archive is being written: its first Dump ends the run's context.
type shutdownMidway struct {
	*mongodb.DB
	cancel context.CancelFunc
}

func (s shutdownMidway) Dump(ctx context.Context, set string, opts cms.DumpOptions, line func([]byte) error) (int64, error) {
	s.cancel()
	return s.DB.Dump(ctx, set, opts, line)
}

// TestShutdownGivesTheSlotBack: a backup stopped by a shutdown leaves no
// file, is not recorded as a failure, and gives its slot back, so that
// the next instance to start makes it.
func TestShutdownGivesTheSlotBack(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := cmstest.NewClock(day(1))
	r, err := backup.New(backup.Config{Dir: dir, At: 3 * time.Hour, Store: shutdownMidway{f.DB, cancel}, Logger: cmstest.Logger(), Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if run, err := r.RunDue(ctx, day(1)); err == nil || run != nil {
		t.Fatalf("run stopped by a shutdown: %+v, %v; want no run and an error", run, err)
	}
	if got := cmstest.DirNames(t, dir); len(got) != 0 {
		t.Errorf("folder holds %q after the stopped run, want nothing", got)
	}
	if st, err := f.Svc.BackupStatus(context.Background()); err != nil || st.LastFailure != nil || st.LastSuccess != nil {
		t.Errorf("status %+v, %v; want nothing recorded", st, err)
	}
	run, err := MustRunner(t, f, dir, 2, clk).RunDue(context.Background(), day(1))
	if err != nil || run == nil || !run.OK() {
		t.Fatalf("the next instance at the same slot: %+v, %v; want it to make the backup", run, err)
	}
}
