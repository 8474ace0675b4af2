package admin_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/admin"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/archive"
)

const transferPath = "/admin/settings/import-export"

// mustSleepBlog is the WordPress export the import tests upload.
func mustSleepBlog(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile("../cms/wordpress/testdata/sleepblog.xml")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// jobStatus is the JSON the screen's script polls.
type jobStatus struct {
	ID       string `json:"id"`
	Phase    string `json:"phase"`
	Filename string `json:"filename"`
	Saved    int    `json:"saved"`
	Expected int    `json:"expected"`
	Error    string `json:"error"`
	DryRun   *struct {
		DryRun  bool           `json:"dryRun"`
		Items   map[string]int `json:"items"`
		Created int            `json:"created"`
		Skipped []struct {
			ID     int64  `json:"id"`
			Reason string `json:"reason"`
		} `json:"skipped"`
	} `json:"dryRun"`
	Report *struct {
		Created int `json:"created"`
	} `json:"report"`
}

// status reads the import job through the screen's status endpoint.
func (b *Browser) importStatus(tb testing.TB) *jobStatus {
	tb.Helper()
	p := b.Get(tb, "/admin/settings/import/status", "Accept", "application/json").MustStatus(tb, 200)
	var env struct{ Data *jobStatus }
	if err := json.Unmarshal([]byte(p.Body), &env); err != nil {
		tb.Fatalf("status %s: %v", p.Body, err)
	}
	return env.Data
}

// mustWaitPhase polls the status until the job reaches phase.
func (b *Browser) mustWaitPhase(tb testing.TB, phase string) *jobStatus {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := b.importStatus(tb)
		if s != nil && s.Phase == phase {
			return s
		}
		if s != nil && s.Phase == "failed" || time.Now().After(deadline) {
			tb.Fatalf("import job = %+v, want phase %s", s, phase)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countPosts(tb testing.TB, e *Env) int {
	tb.Helper()
	_, n, err := e.Svc.ListPosts(tb.Context(), cms.PostFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func mustEmptyDir(tb testing.TB, dir string) {
	tb.Helper()
	left, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if len(left) > 0 {
		tb.Errorf("%s holds %d files after the import, want none (%s ...)", dir, len(left), left[0].Name())
	}
}

func TestImportScreen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := MustNewEnv(t, func(c *admin.Config) { c.ImportDir = dir })
	b := e.MustPanelSetup(t)
	wxr := mustSleepBlog(t)

	b.Get(t, "/admin/settings").MustStatus(t, 200).MustContain(t, `href="/admin/settings/import-export"`)
	b.Get(t, transferPath).MustStatus(t, 200).MustContain(t, `action="/admin/settings/import"`, `enctype="multipart/form-data"`,
		`name="file"`, "at most 512 MiB", `action="/admin/settings/export"`)

	t.Run("ErrNotXML", func(t *testing.T) {
		b.PostMultipart(t, "/admin/settings/import", nil, "posts.xml", []byte("these are not the posts you are looking for"), false).
			MustStatus(t, 422).MustContain(t, `id="import-file-error"`, "not a WordPress export", `aria-invalid="true"`)
		b.PostMultipart(t, "/admin/settings/import", nil, "feed.xml", []byte(`<?xml version="1.0"?><feed><entry/></feed>`), false).
			MustStatus(t, 422).MustContain(t, "not a WordPress export", "the root element is &lt;feed&gt;")
		b.PostMultipart(t, "/admin/settings/import", nil, "", nil, false).MustStatus(t, 422).MustContain(t, `id="import-file-error"`)
		mustEmptyDir(t, dir)
		if s := b.importStatus(t); s != nil {
			t.Errorf("a refused file left a job: %+v", s)
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		b.PostMultipart(t, "/admin/settings/import", nil, "sleepblog.xml", wxr, true).MustStatus(t, 403).MustContain(t, "security token")
		b.Post(t, "/admin/settings/export", url.Values{}).MustStatus(t, 403)
		b.Post(t, "/admin/settings/import/confirm", url.Values{"job": {"x"}}).MustStatus(t, 403)
		mustEmptyDir(t, dir)
	})

	// The dry run writes nothing and shows its report.
	b.PostMultipart(t, "/admin/settings/import", nil, "sleepblog.xml", wxr, false).MustRedirect(t, transferPath)
	s := b.mustWaitPhase(t, "checked")
	if s.DryRun == nil || !s.DryRun.DryRun || s.DryRun.Created == 0 || s.DryRun.Items["post"] == 0 || s.DryRun.Items["attachment"] == 0 {
		t.Fatalf("dry run report = %+v", s.DryRun)
	}
	if n := countPosts(t, e); n != 0 {
		t.Errorf("posts after the dry run = %d, want 0", n)
	}
	if cs, _ := e.Svc.ListCategories(t.Context()); len(cs) != 0 {
		t.Errorf("categories after the dry run = %d, want 0", len(cs))
	}
	page := b.Get(t, transferPath).MustStatus(t, 200).MustContain(t, "Dry run finished", "sleepblog.xml", `id="report-skipped-table"`,
		`id="report-notes-table"`, `name="job" value="`+s.ID+`"`, "Import "+itoa(s.DryRun.Created)+" posts", "attachment")
	for _, sk := range s.DryRun.Skipped { // every skipped item is listed with its reason
		page.MustContain(t, "#"+itoa(int(sk.ID)), htmlText(sk.Reason))
	}

	t.Run("ErrSecondUploadWhileRunning", func(t *testing.T) {
		release := admin.HoldImport(e.Admin)
		defer release()
		b.PostMultipart(t, "/admin/settings/import", nil, "sleepblog.xml", wxr, false).
			MustStatus(t, 409).MustContain(t, "“held.xml” is being imported right now")
		b.Get(t, transferPath).MustStatus(t, 200).MustNotContain(t, `action="/admin/settings/import"`)
	})
	// The hold replaced the job: upload again and wait for its dry run.
	b.PostMultipart(t, "/admin/settings/import", nil, "sleepblog.xml", wxr, false).MustRedirect(t, transferPath)
	s = b.mustWaitPhase(t, "checked")

	b.PostCSRF(t, "/admin/settings/import/confirm", url.Values{"job": {"not-this-one"}}).MustStatus(t, 409).MustContain(t, "no longer waiting")
	b.PostCSRF(t, "/admin/settings/import/confirm", url.Values{"job": {s.ID}}).MustRedirect(t, transferPath)
	done := b.mustWaitPhase(t, "done")
	if done.Report == nil || done.Report.Created != s.DryRun.Created || done.Saved != s.DryRun.Created || done.Expected != s.DryRun.Created {
		t.Fatalf("import = %+v, want %d posts created as the dry run said", done, s.DryRun.Created)
	}
	if n := countPosts(t, e); n != s.DryRun.Created {
		t.Errorf("posts after the import = %d, want %d", n, s.DryRun.Created)
	}
	b.Get(t, transferPath).MustStatus(t, 200).MustContain(t, "Import finished", `href="/admin/posts"`, "What the import did")
	b.Get(t, "/admin/posts").MustStatus(t, 200).MustContain(t, "Why your toddler wakes at 5am")
	mustEmptyDir(t, dir)
	// The same job cannot be imported twice.
	b.PostCSRF(t, "/admin/settings/import/confirm", url.Values{"job": {s.ID}}).MustStatus(t, 409)

	// Again, then discarded: its file goes, nothing is written.
	b.PostMultipart(t, "/admin/settings/import", nil, "sleepblog.xml", wxr, false).MustRedirect(t, transferPath)
	s = b.mustWaitPhase(t, "checked")
	b.PostCSRF(t, "/admin/settings/import/discard", url.Values{"job": {s.ID}}).MustRedirect(t, transferPath)
	mustEmptyDir(t, dir)
	if st := b.importStatus(t); st != nil {
		t.Errorf("job after discard = %+v, want none", st)
	}
}

func TestImportExportOwnersOnly(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	e.MustPanelSetup(t)
	ed := e.MustPanelEditor(t)
	ed.Get(t, "/admin").MustStatus(t, 200).MustNotContain(t, `href="/admin/settings"`)
	ed.Get(t, transferPath).MustStatus(t, 403).MustContain(t, "Only owners")
	ed.Get(t, "/admin/settings/import/status", "Accept", "application/json").MustStatus(t, 403)
	ed.PostMultipart(t, "/admin/settings/import", nil, "sleepblog.xml", mustSleepBlog(t), false).MustStatus(t, 403)
	ed.PostCSRF(t, "/admin/settings/import/confirm", url.Values{"job": {"x"}}).MustStatus(t, 403)
	ed.PostCSRF(t, "/admin/settings/export", nil).MustStatus(t, 403)
	if n := countPosts(t, e); n != 0 {
		t.Errorf("posts = %d, want 0", n)
	}
}

var exportName = regexp.MustCompile(`^attachment; filename="lullaby-export-\d{8}-\d{6}\.tar\.gz"$`)

// mustValidExport checks a downloaded export with cms/archive, and that
// it holds no password hash.
func mustValidExport(tb testing.TB, e *Env, header http.Header, body []byte) *archive.Manifest {
	tb.Helper()
	if got := header.Get("Content-Disposition"); !exportName.MatchString(got) {
		tb.Errorf("Content-Disposition = %q", got)
	}
	if got := header.Get("Content-Type"); got != "application/gzip" {
		tb.Errorf("Content-Type = %q, want application/gzip", got)
	}
	path := filepath.Join(tb.TempDir(), "export.tar.gz")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		tb.Fatal(err)
	}
	m, err := archive.Check(path, e.DB)
	if err != nil {
		tb.Fatalf("archive.Check: %v", err)
	}
	if m.WithUsers || m.Counts["users"] == 0 {
		tb.Errorf("manifest: withUsers %v, users %d; want users without their passwords", m.WithUsers, m.Counts["users"])
	}
	return m
}

func TestExportDownload(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	e.MustPost(t, e.MustLogin(t, ownerEmail, ownerPassword).Token, map[string]any{"title": "Naps, exported", "body": "Short naps."})

	b.Get(t, transferPath).MustStatus(t, 200).MustContain(t, `id="export-form"`, `method="post"`)
	// A GET (a link on another site) downloads nothing.
	b.Get(t, "/admin/settings/export").MustStatus(t, 404)
	p := b.PostCSRF(t, "/admin/settings/export", nil).MustStatus(t, 200)
	m := mustValidExport(t, e, p.Header, []byte(p.Body))
	if m.Counts["posts"] != 1 {
		t.Errorf("posts in the export = %d, want 1", m.Counts["posts"])
	}
	if users := archiveEntry(t, []byte(p.Body), "users.jsonl"); !bytes.Contains(users, []byte(ownerEmail)) || bytes.Contains(users, []byte("argon2")) {
		t.Errorf("users.jsonl = %s, want the owner without her password hash", users)
	}
}

// htmlText is s as html/template writes it in text.
func htmlText(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	return r.Replace(s)
}

// archiveEntry returns the bytes of entry name of a .tar.gz.
func archiveEntry(tb testing.TB, body []byte, name string) []byte {
	tb.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			tb.Fatalf("no %s in the archive: %v", name, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				tb.Fatal(err)
			}
			return b
		}
	}
}
