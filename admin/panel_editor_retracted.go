package admin

import (
	"context"
	"html/template"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The editor's warning before a post citing a retracted (or withdrawn)
// work goes live. Publish, Schedule and Update check what the form would
// save; when it cites such works and she has not confirmed them, nothing
// is saved and the editor comes back (409) with her input, the works
// named with their notices, and "Publish anyway", which sends the form
// again with the ids she confirmed ("confirmRetracted", one field each).
// A work retracted after she confirmed is asked about again. Save draft
// is never checked.

// confirmRetractedField carries the ids of the retracted works she
// confirmed.
const confirmRetractedField = "confirmRetracted"

// retractedWarning is what the editor shows when she must confirm.
type retractedWarning struct {
	Action string // the button she pressed: publish or schedule
	Button string // "Publish anyway", "Update anyway", "Schedule anyway"
	Refs   []retractedItem
}

// retractedItem is one retracted work in the warning.
type retractedItem struct {
	retractedRef
	Formatted template.HTML
	Health    healthView
}

// checksRetracted reports whether action puts the post live.
func checksRetracted(action string) bool { return action == actPublish || action == actSchedule }

// editorRetracted returns the retracted works that saving f by action
// would put live and that she has not confirmed, for post (nil: a new
// one): none for a draft, nor for an Update of a published post that
// changes neither its text nor its references (as the API's goesLive).
func (a *Admin) editorRetracted(c *fiber.Ctx, post *cms.Post, f postForm, action string) ([]retractedRef, error) {
	if !checksRetracted(action) {
		return nil, nil
	}
	ids := f.References
	if !f.Refs && post != nil {
		ids = post.References
	}
	if action == actPublish && post != nil && post.Public() && f.Body == post.Body && slices.Equal(nonNil(ids), nonNil(post.References)) {
		return nil, nil // Update leaves what it cites as readers see it
	}
	refs, err := a.retractedCited(c.UserContext(), ids, f.Body)
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	confirmed := formFields(c)[confirmRetractedField]
	refs = slices.DeleteFunc(refs, func(r retractedRef) bool { return slices.Contains(confirmed, r.ID) })
	return refs, nil
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
	case post != nil && post.Public():
		done = "Not updated yet"
	}
	keys := make([]string, len(w.Refs))
	for i, r := range w.Refs {
		keys[i] = "@" + r.Key
	}
	return done + ": this post cites " + what + " (" + strings.Join(keys, ", ") + "). Nothing was saved. Remove the reference, or confirm below that you want to cite it."
}
