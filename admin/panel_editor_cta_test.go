package admin_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestEditorCallToAction: the editor sets a post's own call to action,
// which the reader preview shows; a half-filled one is refused naming the
// field; emptying the fields goes back to the site's.
func TestEditorCallToAction(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	p := e.MustPanelPost(t, owner, "Early rising", cms.StatusDraft)
	path := "/admin/posts/" + p.ID

	page := b.Get(t, path).MustStatus(t, 200)
	page.MustContain(t, `id="cta-section"`, `data-collapsed`, "Uses the site’s call to action", `name="callToAction.heading"`)

	form := editorForm(p, "save")
	form.Set("cta", "1")
	form.Set("callToAction.heading", "Early mornings wearing you down?")
	form.Set("callToAction.buttonLabel", "Book a call")
	b.PostCSRF(t, path, form).MustStatus(t, 422).MustContain(t, `id="callToAction.url-error"`, "address it leads to",
		`value="Early mornings wearing you down?"`)
	if got := e.MustStored(t, p.ID); got.CallToAction != nil {
		t.Fatalf("a refused call to action was stored: %+v", got.CallToAction)
	}

	form.Set("callToAction.url", "https://sleep.example/early")
	b.PostCSRF(t, path, form).MustRedirect(t, path)
	p = e.MustStored(t, p.ID)
	want := cms.CallToAction{Heading: "Early mornings wearing you down?", ButtonLabel: "Book a call", URL: "https://sleep.example/early"}
	if p.CallToAction == nil || *p.CallToAction != want {
		t.Fatalf("stored call to action = %+v, want %+v", p.CallToAction, want)
	}
	b.Get(t, path).MustStatus(t, 200).MustContain(t, "This post ends with its own call to action")
	b.Get(t, path+"/preview").MustStatus(t, 200).MustContain(t, `id="preview-cta"`, "Early mornings wearing you down?",
		`href="https://sleep.example/early"`)

	// Emptied: the site's again.
	form = editorForm(p, "save")
	form.Set("cta", "1")
	b.PostCSRF(t, path, form).MustRedirect(t, path)
	if got := e.MustStored(t, p.ID); got.CallToAction != nil {
		t.Fatalf("emptied call to action still stored: %+v", got.CallToAction)
	}
	// A form without the fields (an older page) leaves it alone.
	b.PostCSRF(t, path, editorForm(e.MustStored(t, p.ID), "save")).MustRedirect(t, path)
}
