package admin

import (
	"context"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The editor's warning before a post citing a retracted (or withdrawn)
// work goes live. cms decides (cms/post_retracted.go): a save that
// publishes or schedules the post, or changes the text or references of
// one that is published or scheduled, citing such works she has not
// confirmed is refused with a cms.RetractedError, and nothing is saved.
// The editor then comes back (409) with her input, the works named with
// their notices, and "Publish anyway", which sends the form again with
// the ids she confirmed ("confirmRetracted", one field each). A work
// retracted after she confirmed is asked about again. A draft's save is
// never held back.

// confirmRetractedField carries the ids of the retracted works she
// confirmed.
const confirmRetractedField = "confirmRetracted"

// retractedWarning is what the editor shows when she must confirm.
type retractedWarning struct {
	Action string // the button she pressed: publish, schedule or save (a scheduled post)
	Button string // "Publish anyway", "Update anyway", "Schedule anyway", "Save anyway"
	Refs   []retractedItem
}

// retractedItem is one retracted work in the warning.
type retractedItem struct {
	retractedRef
	Formatted template.HTML
	Health    healthView
}

// confirmedRetracted is what she confirmed with "Publish anyway": the
// works she was shown, by citation id.
func confirmedRetracted(c *fiber.Ctx) cms.Confirmed {
	return cms.Confirmed{RetractedIDs: formFields(c)[confirmRetractedField]}
}

// renderRetracted re-renders the editor at 409 with her input and the
// warning about refs: nothing was saved.
func (a *Admin) renderRetracted(c *fiber.Ctx, post *cms.Post, f postForm, action string, refs []retractedRef) error {
	p, err := a.editorPageFor(c, post, f, nil)
	if err != nil {
		return err
	}
	w, err := a.retractedWarningFor(c.UserContext(), post, action, refs)
	if err != nil {
		return err
	}
	p.Retracted = w
	p.Problem = w.problem(post, action)
	return a.render(c, fiber.StatusConflict, tmplEditor, p)
}

// retractedWarningFor builds the warning about refs for action.
func (a *Admin) retractedWarningFor(ctx context.Context, post *cms.Post, action string, refs []retractedRef) (*retractedWarning, error) {
	style, err := a.siteStyle(ctx)
	if err != nil {
		return nil, err
	}
	w := &retractedWarning{Action: action, Button: "Publish anyway"}
	switch {
	case action == actSchedule:
		w.Button = "Schedule anyway"
	case action == actSave:
		w.Button = "Save anyway"
	case post != nil && post.Public():
		w.Button = "Update anyway"
	}
	for _, r := range refs {
		w.Refs = append(w.Refs, retractedItem{retractedRef: r, Formatted: formatted(r.cite, style), Health: newHealthView(r.health)})
	}
	return w, nil
}

// problem heads the editor above the warning.
func (w *retractedWarning) problem(post *cms.Post, action string) string {
	what := "a retracted or withdrawn study"
	if len(w.Refs) > 1 {
		what = "retracted or withdrawn studies"
	}
	done := "Not published yet"
	switch {
	case action == actSchedule:
		done = "Not scheduled yet"
	case action == actSave:
		done = "Not saved yet"
	case post != nil && post.Public():
		done = "Not updated yet"
	}
	keys := make([]string, len(w.Refs))
	for i, r := range w.Refs {
		keys[i] = "@" + r.Key
	}
	return done + ": this post cites " + what + " (" + strings.Join(keys, ", ") + "). Nothing was saved. Remove the reference, or confirm below that you want to cite it."
}
