package admin

import (
	"bufio"
	"bytes"
	"context"
	"mime"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/archive"
	"github.com/lullabycms/lullaby/cms/wpimport"
)

// This file is the admin API's import and export (owners only), and what
// the panel's Import and export screen shares with it: the JSON shape of a
// job and the export stream.

// exportTimeout bounds one export download; importReadTimeout the upload
// of one WordPress export (512 MiB over a slow line).
const (
	exportTimeout     = time.Hour
	importReadTimeout = 30 * time.Minute
)

var (
	methodPost      = []byte(fiber.MethodPost)
	methodGet       = []byte(fiber.MethodGet)
	importUploads   = [][]byte{[]byte("/admin/settings/import"), []byte("/admin/api/v1/import/wordpress")}
	exportDownloads = [][]byte{[]byte("/admin/settings/export"), []byte("/admin/api/v1/export")}
	adminPathPrefix = []byte("/admin/")
)

// LargeRequest says which requests need more than the app's body limit
// and timeouts, from the request line alone (uri may carry a query): the
// upload of a WordPress export may be Config.MaxImportBytes (plus 1 MiB
// of multipart framing) and take 30 minutes to arrive; an export download
// may take an hour to send. ok is false for every other request.
// cmd/lullaby applies it in fasthttp's HeaderReceived hook, before the
// body is read; a multipart body of known length is spooled to temporary
// files by fasthttp, not held in memory. It allocates nothing.
func (a *Admin) LargeRequest(method, uri []byte) (maxBody int, read, write time.Duration, ok bool) {
	if !bytes.HasPrefix(uri, adminPathPrefix) {
		return 0, 0, 0, false
	}
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	switch {
	case bytes.Equal(method, methodPost) && anyEqual(uri, importUploads):
		return int(a.imports.maxBytes) + 1<<20, importReadTimeout, 0, true
	case (bytes.Equal(method, methodPost) || bytes.Equal(method, methodGet)) && anyEqual(uri, exportDownloads):
		return 0, 0, exportTimeout, true
	}
	return 0, 0, 0, false
}

func anyEqual(b []byte, set [][]byte) bool {
	for _, s := range set {
		if bytes.Equal(b, s) {
			return true
		}
	}
	return false
}

// importJobView is an import job as JSON: the status the panel polls and
// the API's answer.
type importJobView struct {
	ID         string      `json:"id"`
	Phase      string      `json:"phase"`
	Filename   string      `json:"filename"`
	Size       int64       `json:"size"`
	By         string      `json:"by"`
	Saved      int         `json:"saved"`
	Expected   int         `json:"expected"`
	Last       string      `json:"last,omitempty"`
	Error      string      `json:"error,omitempty"`
	StartedAt  string      `json:"startedAt"`
	FinishedAt string      `json:"finishedAt,omitempty"`
	DryRun     *reportView `json:"dryRun,omitempty"`
	Report     *reportView `json:"report,omitempty"`
}

// reportView is a wpimport.Report as JSON.
type reportView struct {
	DryRun       bool           `json:"dryRun"`
	Items        map[string]int `json:"items"`
	Created      int            `json:"created"`
	Updated      int            `json:"updated"`
	Categories   int            `json:"categories"`
	Tags         int            `json:"tags"`
	Skipped      []lineView     `json:"skipped"`
	SkippedTypes map[string]int `json:"skippedTypes"`
	Flattened    []string       `json:"flattened"`
	Notes        []lineView     `json:"notes"`
	Media        mediaCounts    `json:"media"`
	Images       []lineView     `json:"images"`
	Comments     int            `json:"comments"`
	Stopped      string         `json:"stopped,omitempty"`
}

// mediaCounts says where the posts' images came from (would come, in a
// dry run) and what became of them in the media library.
type mediaCounts struct {
	FromUploads int `json:"fromUploads"`
	Downloaded  int `json:"downloaded"`
	New         int `json:"new"`
	Reused      int `json:"reused"`
}

type lineView struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
	Times  int    `json:"times,omitempty"`
}

func newJobView(j *importJob) *importJobView {
	if j == nil {
		return nil
	}
	return &importJobView{ID: j.ID, Phase: j.Phase, Filename: j.Filename, Size: j.Size, By: j.By, Saved: j.Saved,
		Expected: j.Expected, Last: j.Last, Error: j.Error, StartedAt: isoUTC(j.Started), FinishedAt: isoUTC(j.Finished),
		DryRun: newReportView(j.DryRun), Report: newReportView(j.Report)}
}

func newReportView(r *wpimport.Report) *reportView {
	if r == nil {
		return nil
	}
	lines := func(ls []wpimport.Line) []lineView {
		out := make([]lineView, len(ls))
		for i, l := range ls {
			out[i] = lineView{l.ID, l.Title, l.Reason, l.Times}
		}
		return out
	}
	return &reportView{DryRun: r.DryRun, Items: r.Items, Created: r.Created, Updated: r.Updated, Categories: r.Categories,
		Tags: r.Tags, Skipped: lines(r.Skipped), SkippedTypes: r.SkippedTypes, Flattened: nonNil(r.Flattened),
		Notes: lines(r.Notes), Stopped: r.Stopped, Images: lines(r.Images), Comments: r.Comments,
		Media: mediaCounts{FromUploads: r.FromUploads, Downloaded: r.Downloaded, New: r.MediaNew, Reused: r.MediaReused}}
}

// mayTransfer refuses anyone but an owner: an export holds every user and
// setting, an import writes everything.
func mayTransfer(c *fiber.Ctx) error {
	if !actor(c).CanManageSettings() {
		return cms.Errorf(cms.KindForbidden, opImport, "Only owners can import and export the site's content.")
	}
	return nil
}

// handleImportWordPress takes a WordPress export as multipart/form-data
// (field "file") and answers 202 with the job: with ?dryRun=true it runs
// the dry run only (the report is in the job once its phase is
// "checked"); without, it imports at once. ?download=true fetches the
// posts' images from the old site. GET /import shows the job.
func (a *Admin) handleImportWordPress(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	flag := func(name string) (bool, error) {
		switch c.Query(name) {
		case "", "false":
			return false, nil
		case "true":
			return true, nil
		}
		return false, invalid(opImport, name, "Use true or false.")
	}
	dry, err := flag("dryRun")
	if err != nil {
		return err
	}
	download, err := flag("download")
	if err != nil {
		return err
	}
	j, err := a.startImport(c, importSettings{ImportAtOnce: !dry, Download: download})
	if err != nil {
		return err
	}
	c.Location("/admin/api/v1/import")
	return c.Status(fiber.StatusAccepted).JSON(envelope{Data: newJobView(j)})
}

// handleImportStatus answers the current (or last) import job; data is
// null when there has been none since the server started. The panel's
// screen polls it (with the session) while a job runs.
func (a *Admin) handleImportStatus(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	return ok(c, newJobView(a.imports.current()))
}

// startImport hands the uploaded file (multipart field "file") to the
// import runner.
func (a *Admin) startImport(c *fiber.Ctx, opt importSettings) (*importJob, error) {
	if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != fiber.MIMEMultipartForm {
		return nil, badFile("Send the WordPress export as multipart/form-data in the field \"file\".")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, badFile("Choose the .xml file WordPress made under Tools › Export.")
	}
	if fh.Size > a.imports.maxBytes {
		return nil, tooLargeImport(a.imports.maxBytes)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, &cms.Error{Kind: cms.KindInternal, Op: opImport, Err: err}
	}
	defer f.Close()
	return a.imports.start(fh.Filename, fh.Size, f, actor(c), opt)
}

// handleExport streams an archive of everything (cms/archive), without
// password hashes and two-factor secrets, as a download. The panel's
// "Download an export" button posts to it with the CSRF token, so that no
// link on another site can start one; the API takes a GET with a bearer
// token.
func (a *Admin) handleExport(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	return a.sendExport(c)
}

// sendExport answers an export archive as an attachment named for the
// time. The archive is written while it is sent, after the handler
// returns, so it has its own context: an error part-way (the database
// gone) can no longer change the status, and ends the download short,
// which the archive's gzip checksum and manifest make plain.
func (a *Admin) sendExport(c *fiber.Ctx) error {
	if a.dumper == nil {
		return cms.Errorf(cms.KindUnavailable, "admin.export", "Export is not available on this server.")
	}
	name := "lullaby-export-" + a.now().UTC().Format("20060102-150405") + ".tar.gz"
	c.Set(fiber.HeaderContentType, "application/gzip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	who := actor(c).Email
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(a.imports.ctx, exportTimeout)
		defer cancel()
		start := time.Now()
		m, err := archive.Write(ctx, w, a.dumper, archive.Options{Version: a.version})
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			a.log.Error("export download", "by", who, "err", err)
			return
		}
		a.log.Info("export downloaded", "by", who, "posts", m.Counts["posts"], "took", time.Since(start).Round(time.Millisecond))
	})
	return nil
}
