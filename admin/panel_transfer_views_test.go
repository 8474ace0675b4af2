package admin

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/wpimport"
	"github.com/lullabycms/lullaby/views"
)

// sampleTransferPage is the Import and export screen with a job in phase,
// its reports holding one of everything (and markup to escape).
func sampleTransferPage(pg page, phase string) *transferPage {
	rep := func(dry bool) *wpimport.Report {
		return &wpimport.Report{DryRun: dry, Items: map[string]int{"post": 3, "attachment": 2}, Created: 2, Updated: 1, Categories: 1, Tags: 4,
			Flattened: []string{"Naps (under Sleep <b>)"}, Skipped: []wpimport.Line{{ID: 7, Title: "Bed <b>", Reason: "status trash"}},
			Notes:        []wpimport.Line{{ID: 8, Reason: "private: imported as a draft", Times: 1}, {ID: 9, Reason: "gallery <b>", Times: 3}},
			SkippedTypes: map[string]int{"attachment": 2, "nav_menu_item": 1}, Images: []wpimport.Line{{ID: 8, Title: "Naps", Reason: "not found <b>"}},
			Downloaded: 2, MediaNew: 1, MediaReused: 1, Comments: 5,
			Stopped: "the export is truncated <b>"}
	}
	now := time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC)
	j := &importJob{ID: "abc", Filename: "blog <b>.xml", Size: 123456, By: "Olivia", Phase: phase, Saved: 1, Expected: 3,
		Last: "created post 5 <b>", Error: "Stopped <b>.", Started: now, Finished: now, DryRun: rep(true)}
	if phase == phaseDone || phase == phaseFailed {
		j.Report = rep(false)
	}
	return &transferPage{page: pg, Job: j, MaxMB: 512, Alert: "No <b>.", FileError: "Bad <b>.", Export: true}
}

// TestImportExportPhasesRender renders the screen in every phase of a job
// and with none: each shows what it should, and no markup from the file.
func TestImportExportPhasesRender(t *testing.T) {
	t.Parallel()
	_, vw := MustViews(t)
	pg := page{Title: "Import and export", CSRF: "token", Nav: "settings"}
	for phase, want := range map[string][]string{
		phaseChecking:  {"Checking the export", "<progress", `data-phase="checking"`},
		phaseImporting: {"Importing: <span id=\"import-saved\">1</span> of 3 posts", `max="3" value="1"`, "created post 5 &lt;b&gt;"},
		phaseChecked: {"Dry run finished", "Bed &lt;b&gt;", "status trash", "private: imported as a draft</td>", "gallery &lt;b&gt; (3 times)", "Naps (under Sleep &lt;b&gt;)",
			"2 × attachment", "their images come with the posts", "1 × nav_menu_item", "truncated &lt;b&gt;", `action="/admin/settings/import/discard"`,
			`id="report-images-table"`, "not found &lt;b&gt;", "Images to download: <strong id=\"report-downloaded\">2</strong>", "comments (not imported): <strong>5</strong>"},
		phaseDone:   {"Import finished", `href="/admin/posts"`, "What the import did", "new in the media library: <strong>1</strong>"},
		phaseFailed: {"Stopped &lt;b&gt;.", "What the import did"},
		"":          {`action="/admin/settings/import"`, "Download an export", "at most 512 MiB", `name="download"`},
	} {
		p := sampleTransferPage(pg, phase)
		if phase == "" {
			p.Job = nil
		}
		var buf bytes.Buffer
		if err := vw.Render(&buf, views.ImportExport, p, views.Layout); err != nil {
			t.Fatalf("%s: %v", phase, err)
		}
		out := buf.String()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("phase %q: no %q in the page", phase, w)
			}
		}
		if strings.Contains(out, "<b>") {
			t.Errorf("phase %q: unescaped markup in the page", phase)
		}
		running := phase == phaseChecking || phase == phaseImporting
		if got := strings.Contains(out, `id="import-upload"`); got == running {
			t.Errorf("phase %q: upload form shown = %v", phase, got)
		}
		// A dry run that stopped early is not offered for import.
		if strings.Contains(out, `id="import-confirm"`) {
			t.Errorf("phase %q: Import offered for a damaged export", phase)
		}
	}
}

// TestImportProgressCountsPosts: the page's "n of N posts" counts the
// import's post lines, not its image lines.
func TestImportProgressCountsPosts(t *testing.T) {
	for line, want := range map[string]bool{
		`created post 101 "Naps" as /naps (published)`: true,
		`updated page 7 "About" as /about (draft)`:     true,
		`image added nap.jpg (uploads)`:                false,
		`image already in the media library: nap.jpg`:  false,
	} {
		if got := isPostLine(line); got != want {
			t.Errorf("isPostLine(%q) = %v, want %v", line, got, want)
		}
	}
}
