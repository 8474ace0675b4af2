package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportWordPress: the owner opens Settings › Import and
// export, uploads her WordPress export, reads the dry run's report,
// confirms, watches the import finish, and finds the posts in the posts
// list.
func TestBrowserImportWordPress(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/api/v1/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/settings")

	export := filepath.Join(t.TempDir(), "quietnights.WordPress.2026-12-01.xml")
	if err := os.WriteFile(export, mustSleepBlog(t, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	b.Do(t, "open Import and export from the settings",
		chromedp.WaitVisible(chromedp.ID("import-export-link")),
		chromedp.Click(chromedp.ID("import-export-link")),
		chromedp.WaitVisible(chromedp.ID("import-file")),
	)
	b.Do(t, "upload the export",
		chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{export}),
		chromedp.Submit(chromedp.ID("import-file")),
		waitText("#import-state", "Dry run finished"),
		chromedp.WaitVisible(chromedp.ID("import-confirm")),
	)
	created := Get(t, b, "posts to create", chromedp.Text(chromedp.ID("report-created")))
	n, err := strconv.Atoi(strings.TrimSpace(created))
	if err != nil || n == 0 {
		t.Fatalf("posts to create = %q", created)
	}
	skipped := Get(t, b, "skipped items", chromedp.Text(chromedp.ID("report-skipped-table")))
	if !strings.Contains(skipped, "attachment") {
		t.Errorf("the skipped table does not list the attachments: %q", skipped)
	}
	if got := Get(t, b, "confirm button", chromedp.Text(chromedp.ID("import-confirm"))); got != "Import "+created+" posts" {
		t.Errorf("confirm button = %q", got)
	}
	b.Screenshot(t, "import-dry-run")

	b.Do(t, "confirm and watch the import",
		chromedp.Click(chromedp.ID("import-confirm")),
		waitText("#import-state", "Import finished"),
		waitText("#report-created", created),
	)
	b.Do(t, "see the posts",
		chromedp.Click(chromedp.CSS(`#import-state a[href="/admin/posts"]`)),
		waitText("main", "Why your toddler wakes at 5am"),
		waitText("main", "Contact naps: a love letter"),
	)
}
