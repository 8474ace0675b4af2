package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
)

// TestDashboardBackups: the owner's dashboard tells her whether backups
// are off, not made yet, old, fine or failing, from the status in the
// database (whichever instance recorded it); editors see none of it.
func TestDashboardBackups(t *testing.T) {
	t.Parallel()
	off := MustNewEnv(t)
	b := off.MustPanelSetup(t)
	b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "Scheduled backups are off on this server", "LULLABY_BACKUP_DIR").
		MustNotContain(t, "alert-warning")

	const schedule = "daily at 03:00 UTC, the newest 14 kept, in /srv/backups"
	on := MustNewEnvFor(t, off.Fixture, func(c *admin.Config) { c.Backups = schedule })
	b = on.NewBrowser()
	b.MustLogin(t, ownerEmail, ownerPassword)
	record := func(run cms.BackupRun) {
		t.Helper()
		if err := on.DB.RecordBackup(t.Context(), run); err != nil {
			t.Fatal(err)
		}
	}
	warning := func(p *Page) string {
		i := strings.Index(p.Body, `class="alert alert-warning"`)
		if i < 0 {
			return ""
		}
		return p.Body[i:min(len(p.Body), i+400)]
	}

	p := b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "Backups run "+schedule)
	if w := warning(p); !strings.Contains(w, "No backup has been made yet.") {
		t.Errorf("enabled, none made: warning %q", w)
	}

	now := time.Now().UTC().Truncate(time.Second)
	old := now.Add(-72 * time.Hour)
	record(cms.BackupRun{Slot: old, At: old, File: "lullaby-backup-" + old.Format("20060102T150405Z") + ".tar.gz", Size: 3 << 20})
	p = b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "Last backup:", "lullaby-backup-"+old.Format("20060102T150405Z"), "3.0 MB", old.Format(time.RFC3339))
	if w := warning(p); !strings.Contains(w, "more than two days old") {
		t.Errorf("last success 3 days ago: warning %q", w)
	}

	fresh := now.Add(-time.Hour)
	record(cms.BackupRun{Slot: fresh, At: fresh, File: "lullaby-backup-" + fresh.Format("20060102T150405Z") + ".tar.gz", Size: 2048})
	p = b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "Last backup:", "lullaby-backup-"+fresh.Format("20060102T150405Z"), "2 KB")
	if w := warning(p); w != "" {
		t.Errorf("last success an hour ago: warning %q, want none", w)
	}

	record(cms.BackupRun{Slot: now, At: now, Error: "cannot make the backup folder: mkdir /srv/backups: permission denied"})
	p = b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "Last backup:", "lullaby-backup-"+fresh.Format("20060102T150405Z"))
	if w := warning(p); !strings.Contains(w, "The last backup failed.") || !strings.Contains(w, "mkdir /srv/backups: permission denied") ||
		!strings.Contains(w, now.Format(time.RFC3339)) {
		t.Errorf("last run failed: warning %q, want the failure, its time and its message", w)
	}

	on.MustPanelEditor(t).Get(t, "/admin").MustStatus(t, 200).MustNotContain(t, "backup-card", "permission denied")
}
