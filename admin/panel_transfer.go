package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// transferPath is the Import and export screen, under Settings.
const transferPath = panelPrefix + "/settings/import-export"

// transferPage is the data of views/import_export.html.
type transferPage struct {
	page
	Job       *importJob // the current or last import; nil for none
	MaxMB     int64
	Alert     string
	FileError string
	Export    bool // the export download is available
}

// Running reports whether the job is reading or writing, so the page
// polls its status and offers no new upload.
func (p *transferPage) Running() bool {
	return p.Job != nil && (p.Job.Phase == phaseChecking || p.Job.Phase == phaseImporting)
}

// handleTransferPage shows the Import and export screen; owners only.
func (a *Admin) handleTransferPage(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.ImportExport, a.transferPage(c))
}

func (a *Admin) transferPage(c *fiber.Ctx) *transferPage {
	return &transferPage{page: a.newPage(c, "Import and export", "settings"), Job: a.imports.current(),
		MaxMB: a.imports.maxBytes >> 20, Export: a.dumper != nil}
}

// handleImportUploadForm takes a WordPress export (multipart: file) and
// starts its dry run; the screen then shows the dry run's progress and its
// report. A refusal (not an export, too large, an import running)
// re-renders the screen with the reason beside the field.
func (a *Admin) handleImportUploadForm(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	j, err := a.startImport(c, importSettings{Download: c.FormValue("download") != ""})
	if err != nil {
		if !refused(err) {
			return err
		}
		p := a.transferPage(c)
		p.FileError = cms.ErrorFields(err)["file"]
		if p.FileError == "" || cms.IsKind(err, cms.KindConflict) {
			p.Alert = cms.ErrorMessage(err)
		}
		return a.render(c, formStatus(c, err), views.ImportExport, p)
	}
	return a.flashRedirect(c, transferPath, "Uploaded “"+j.Filename+"”. Checking it now: this dry run writes nothing.")
}

// handleImportConfirmForm imports the export whose dry run the screen
// showed (job: its id), in the background.
func (a *Admin) handleImportConfirmForm(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	j, err := a.imports.confirm(c.FormValue("job"), actor(c))
	if err != nil {
		p := a.transferPage(c)
		p.Alert = cms.ErrorMessage(err)
		return a.render(c, formStatus(c, err), views.ImportExport, p)
	}
	return a.flashRedirect(c, transferPath, "Importing “"+j.Filename+"”. You may leave this page: the import goes on.")
}

// handleImportDiscardForm forgets the checked export (job: its id) and
// removes its file.
func (a *Admin) handleImportDiscardForm(c *fiber.Ctx) error {
	if err := mayTransfer(c); err != nil {
		return err
	}
	msg := "The uploaded export was removed; nothing was imported."
	if !a.imports.discard(c.FormValue("job")) {
		msg = "There was nothing to remove."
	}
	return a.flashRedirect(c, transferPath, msg)
}

// SizeText is the uploaded file's size for people ("820 KB").
func (j *importJob) SizeText() string { return humanBytes(j.Size) }

// Downloads reports whether the job fetches images from the old site.
func (j *importJob) Downloads() bool { return j.opt.Download }

// ToImport is the number of posts the dry run would create or update.
func (j *importJob) ToImport() int {
	if j.DryRun == nil {
		return 0
	}
	return j.DryRun.Created + j.DryRun.Updated
}
