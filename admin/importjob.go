package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/wordpress"
	"github.com/lullabycms/lullaby/cms/wpimport"
)

// DefaultMaxImportBytes is the largest WordPress export the panel and the
// API take when Config.MaxImportBytes is zero.
const DefaultMaxImportBytes = 512 << 20

// checkedKeep is how long an export that passed its dry run waits for
// "Import" before its file is removed.
const checkedKeep = time.Hour

// The phases of an import job.
const (
	phaseChecking  = "checking"  // the dry run is reading the file
	phaseChecked   = "checked"   // the dry run is done; waiting for "Import"
	phaseImporting = "importing" // the import is writing
	phaseDone      = "done"      // the import finished; its report is there
	phaseFailed    = "failed"    // the dry run or the import stopped: Error says why
)

// importJob is one uploaded WordPress export, from its dry run to the end
// of its import. Its fields are only read and written under
// importRunner.mu; the reports are set once, when a run ends.
type importJob struct {
	ID       string
	Filename string
	Size     int64
	By       string // the name of the user who uploaded it
	Phase    string
	// DryRun is the dry run's report (phase checked and after); Report
	// the import's (done, or failed part-way).
	DryRun, Report *wpimport.Report
	Error          string
	Saved          int    // posts saved so far by the import
	Expected       int    // posts the dry run counted (0 when unknown)
	Last           string // the latest progress line
	Started        time.Time
	Finished       time.Time

	path   string         // the staged file; "" once removed
	expire *time.Timer    // removes a checked file nobody imports
	actor  cms.User       // the user the posts are by
	opt    importSettings // what the import was asked to do
}

// importSettings are the choices made with the upload.
type importSettings struct {
	// ImportAtOnce skips the dry run (the API without ?dryRun=true);
	// otherwise the job waits for "Import" after its dry run.
	ImportAtOnce bool
	// Download fetches the posts' images from the old site by their URL
	// (wpimport.Options.Download: http(s) only, never a private address).
	Download bool
}

// importRunner runs one WordPress import at a time in the background: the
// job goes on when the page that started it is closed, and Close stops it.
// Jobs live in this process: with several instances behind a balancer, the
// status is answered by the instance that took the upload.
type importRunner struct {
	svc      *cms.Service
	log      *slog.Logger
	dir      string // "" for os.TempDir
	maxBytes int64
	now      func() time.Time

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	job *importJob // the current or last job; nil when none
}

func newImportRunner(svc *cms.Service, log *slog.Logger, dir string, maxBytes int64, now func() time.Time) *importRunner {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxImportBytes
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &importRunner{svc: svc, log: log, dir: dir, maxBytes: maxBytes, now: now, ctx: ctx, cancel: cancel}
}

const opImport = "admin.importWordPress"

// errImportRunning refuses a new upload while a job reads or writes.
func errImportRunning(j *importJob) error {
	what := "checked"
	if j.Phase == phaseImporting {
		what = "imported"
	}
	return &cms.Error{Kind: cms.KindConflict, Op: opImport, Fields: map[string]string{"file": "Another export is being " + what + "."},
		Message: fmt.Sprintf("“%s” is being %s right now. Wait until it is finished, then upload the next one.", j.Filename, what)}
}

// badFile is the refusal of an uploaded file, naming the field.
func badFile(msg string) error {
	return &cms.Error{Kind: cms.KindInvalid, Op: opImport, Message: msg, Fields: map[string]string{"file": msg}}
}

// start stores the export read from r (size bytes as announced, -1 when
// unknown) in a private temporary file, checks that it is a WordPress
// export, and starts its dry run (or, with ImportAtOnce, its import) in
// the background. It refuses a file while another job is running
// (Conflict), a file over the limit (TooLarge) and a file that is not a
// WordPress export (Invalid, field "file").
func (r *importRunner) start(filename string, size int64, src io.Reader, actor *cms.User, opt importSettings) (*importJob, error) {
	if size > r.maxBytes {
		return nil, tooLargeImport(r.maxBytes)
	}
	r.mu.Lock()
	if j := r.job; j != nil && (j.Phase == phaseChecking || j.Phase == phaseImporting) {
		r.mu.Unlock()
		return nil, errImportRunning(j)
	}
	r.mu.Unlock()

	path, n, err := r.stage(src)
	if err != nil {
		return nil, err
	}
	if err := checkWXR(path); err != nil {
		os.Remove(path)
		return nil, err
	}
	j := &importJob{ID: newJobID(), Filename: filename, Size: n, By: actor.Name, Phase: phaseChecking,
		Started: r.now(), path: path, actor: *actor, opt: opt}
	if opt.ImportAtOnce {
		j.Phase = phaseImporting
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old := r.job; old != nil {
		if old.Phase == phaseChecking || old.Phase == phaseImporting { // another upload won the race
			os.Remove(path)
			return nil, errImportRunning(old)
		}
		r.drop(old)
	}
	r.job = j
	r.wg.Add(1)
	go r.run(j, j.Phase == phaseChecking)
	return j.copy(), nil
}

func tooLargeImport(limit int64) error {
	msg := fmt.Sprintf("The file is too large: the limit is %d MiB.", limit>>20)
	return &cms.Error{Kind: cms.KindTooLarge, Op: opImport, Message: msg, Fields: map[string]string{"file": msg}}
}

// stage copies src into a new temporary file readable by this user only,
// at most maxBytes of it.
func (r *importRunner) stage(src io.Reader) (string, int64, error) {
	f, err := os.CreateTemp(r.dir, "lullaby-import-*.xml") // 0600
	if err != nil {
		return "", 0, &cms.Error{Kind: cms.KindInternal, Op: opImport, Err: err}
	}
	n, err := io.Copy(f, io.LimitReader(src, r.maxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		err = &cms.Error{Kind: cms.KindInternal, Op: opImport, Err: err}
	case n > r.maxBytes:
		err = tooLargeImport(r.maxBytes)
	case n == 0:
		err = badFile("The file is empty. Choose the .xml file WordPress made under Tools › Export.")
	}
	if err != nil {
		os.Remove(f.Name())
		return "", 0, err
	}
	return f.Name(), n, nil
}

// checkWXR reads the head of the export at path: a file that is not a
// WordPress export is refused before any dry run.
func checkWXR(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return &cms.Error{Kind: cms.KindInternal, Op: opImport, Err: err}
	}
	defer f.Close()
	if _, err := wordpress.NewReader(f, wordpress.Options{}); err != nil {
		return badFile("This is not a WordPress export we can read (" + err.Error() + "). In WordPress, use Tools › Export › All content and upload the .xml file it gives you.")
	}
	return nil
}

// run does the job's dry run (dryRun) or its import, then records the
// outcome. The file is removed once the import ends, or when a dry run
// fails.
func (r *importRunner) run(j *importJob, dryRun bool) {
	defer r.wg.Done()
	opt := wpimport.Options{DryRun: dryRun, Actor: &j.actor, Download: j.opt.Download}
	if !dryRun {
		opt.Progress = func(line string) {
			r.mu.Lock()
			if isPostLine(line) {
				j.Saved++
			}
			j.Last = line
			r.mu.Unlock()
		}
	}
	rep, err := importFile(r.ctx, r.svc, j.path, opt)
	r.mu.Lock()
	defer r.mu.Unlock()
	j.Finished = r.now()
	if dryRun {
		j.DryRun = rep
	} else {
		j.Report = rep
	}
	switch {
	case err != nil:
		j.Phase, j.Error = phaseFailed, importFailure(err)
		if !errors.Is(err, context.Canceled) && !isDamaged(rep) {
			r.log.Error("wordpress import", "file", j.Filename, "dryRun", dryRun, "err", err)
		}
	case dryRun:
		j.Phase = phaseChecked
		j.Expected = rep.Created + rep.Updated
	default:
		j.Phase = phaseDone
	}
	if j.Phase == phaseChecked {
		id := j.ID
		j.expire = time.AfterFunc(checkedKeep, func() { r.discard(id) })
		return
	}
	r.removeFile(j)
}

// isPostLine reports whether a progress line of wpimport is about a post
// saved ("created post 12 …", "updated page 7 …") rather than an image.
func isPostLine(line string) bool {
	return strings.HasPrefix(line, "created ") || strings.HasPrefix(line, "updated ")
}

// importFile runs wpimport over the export staged at path, which it
// reads twice (attachments first).
func importFile(ctx context.Context, svc *cms.Service, path string, opt wpimport.Options) (*wpimport.Report, error) {
	return wpimport.Import(ctx, svc, func() (io.ReadCloser, error) { return os.Open(path) }, opt)
}

// isDamaged reports whether the reading stopped early on a bad export,
// which the report says in full (nothing for the log).
func isDamaged(rep *wpimport.Report) bool { return rep != nil && rep.Stopped != "" }

// importFailure is what the page says about err.
func importFailure(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "The server was stopped during the import. The posts saved before that are in; upload the export again to finish (posts already imported are updated, not duplicated)."
	case errors.Is(err, wordpress.ErrTruncated):
		return "The export ends in the middle (" + err.Error() + "). Export it from WordPress again and upload the new file."
	}
	if msg := cms.ErrorMessage(err); msg != "" && !cms.IsKind(err, cms.KindInternal) {
		return msg
	}
	return "The export could not be read to the end: " + err.Error()
}

// confirm starts the import of the checked job id. It refuses (Conflict)
// when id is not the job waiting for confirmation (a page from before
// another upload, a job already imported or discarded) or when its dry
// run stopped early.
func (r *importRunner) confirm(id string, actor *cms.User) (*importJob, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.job
	if j == nil || j.ID != id || j.Phase != phaseChecked {
		return nil, cms.Errorf(cms.KindConflict, opImport, "This export is no longer waiting to be imported (it was imported, discarded or replaced by another upload). Upload it again.")
	}
	if isDamaged(j.DryRun) {
		return nil, cms.Errorf(cms.KindConflict, opImport, "The dry run could not read this export to the end, so it is not imported. Export it from WordPress again and upload the new file.")
	}
	if j.expire != nil {
		j.expire.Stop()
	}
	j.Phase, j.actor, j.Started, j.Finished = phaseImporting, *actor, r.now(), time.Time{}
	r.wg.Add(1)
	go r.run(j, false)
	return j.copy(), nil
}

// discard removes the checked job id and its file; it does nothing for
// another id or a job that is running.
func (r *importRunner) discard(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.job
	if j == nil || j.ID != id || j.Phase == phaseChecking || j.Phase == phaseImporting {
		return false
	}
	r.drop(j)
	r.job = nil
	return true
}

// drop forgets a job that is not running: its file goes. Called with mu.
func (r *importRunner) drop(j *importJob) {
	if j.expire != nil {
		j.expire.Stop()
	}
	r.removeFile(j)
}

// removeFile removes the job's staged file. Called with mu held.
func (r *importRunner) removeFile(j *importJob) {
	if j.path == "" {
		return
	}
	if err := os.Remove(j.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		r.log.Warn("removing an uploaded WordPress export", "path", j.path, "err", err)
	}
	j.path = ""
}

// current returns a copy of the current job, or nil.
func (r *importRunner) current() *importJob {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil {
		return nil
	}
	return r.job.copy()
}

// copy is a snapshot of j for a page or a JSON answer (the reports are not
// changed once set).
func (j *importJob) copy() *importJob {
	c := *j
	c.expire = nil
	return &c
}

// close stops a running job (what it saved stays; the rest is reported as
// not done), waits for it and removes any staged file.
func (r *importRunner) close() {
	r.cancel()
	r.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job != nil {
		r.drop(r.job)
	}
}

func newJobID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
