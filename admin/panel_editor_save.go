package admin

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// What the editor form's buttons ask for (the "action" field), and the
// paths of the separate action routes.
const (
	actSave      = "save"
	actPublish   = "publish"
	actUnpublish = "unpublish"
	actSchedule  = "schedule"
	actTrash     = "trash"
	actRestore   = "restore"
)

// postForm is the editor form: the stored post's fields, or what she sent.
type postForm struct {
	Title          string
	Slug           string
	Excerpt        string
	Body           string
	CategoryIDs    []string
	Tags           string // comma-separated
	SEOTitle       string
	SEODescription string
	CanonicalURL   string
	Version        int    // the version the edit started from; 0 for a new post
	PublishAt      string // the schedule input: "2006-01-02T15:04" in her time zone (or UTC)
	TZOffset       string // her time zone's offset at PublishAt in minutes west of UTC, as JavaScript's getTimezoneOffset gives it; "" is UTC
	SlugAuto       bool   // the slug still follows the title (the script mirrors it)

	// Images says the form carries the image fields below (images=1);
	// without them the stored cover, pins and not-pinnable list stay.
	Images        bool
	Cover         imageForm // an empty MediaID: no cover
	Pins          []pinForm
	NoPinMediaIDs []string // body images she marked not pinnable

	// Refs says the form carries the post's reference list (refs=1);
	// without it the stored list stays (works cited in the body are
	// added all the same).
	Refs       bool
	References []string // citation ids, in her order

	// CTA is the post's own call to action (panel_editor_cta.go).
	CTA ctaForm
	// Review is the post's medical review (panel_editor_review.go).
	Review reviewForm

	// FeaturedField says the form carries the "Featured" checkbox
	// (featuredField=1); Featured is its state. Without it the post stays
	// on or off the featured list as it is.
	FeaturedField bool
	Featured      bool

	// PendingVersion is the version of a published post's pending edit
	// that the form shows (0: none): Update drops it, being its successor.
	PendingVersion int
}

// formFromPost fills the form from the stored post.
func formFromPost(p *cms.Post) postForm {
	f := postForm{
		Title: p.Title, Slug: p.Slug, Excerpt: p.Excerpt, Body: p.Body,
		CategoryIDs: slices.Clone(p.CategoryIDs), Tags: strings.Join(p.Tags, ", "),
		SEOTitle: p.SEO.Title, SEODescription: p.SEO.Description, CanonicalURL: p.SEO.CanonicalURL,
		Version: p.Version, PublishAt: scheduleValue(p.PublishAt),
		// A slug follows the title until she sets her own, and never once
		// the post has been public (its address is out there).
		SlugAuto: p.PublishedAt.IsZero() && (p.Slug == cms.Slugify(p.Title) || p.Title == ""),
	}
	imagesFromPost(&f, p)
	f.Refs, f.References = true, slices.Clone(nonNil(p.References))
	ctaFromPost(&f, p)
	reviewFromPost(&f, p)
	return f
}

// parsePostForm reads the editor form of the request. Strings are copied:
// Fiber's are only valid during the handler. Line breaks are normalised to
// "\n" (browsers send a textarea's as "\r\n").
func parsePostForm(c *fiber.Ctx) postForm {
	v := func(name string) string { return strings.Clone(c.FormValue(name)) }
	text := func(name string) string { return strings.ReplaceAll(v(name), "\r\n", "\n") }
	version, _ := strconv.Atoi(strings.TrimSpace(v("version")))
	f := postForm{
		Title: v("title"), Slug: v("slug"), Excerpt: text("excerpt"), Body: text("body"),
		CategoryIDs: formValues(c, "categoryIds"), Tags: v("tags"),
		SEOTitle: v("seoTitle"), SEODescription: text("seoDescription"), CanonicalURL: v("canonicalUrl"),
		Version: version, PublishAt: strings.TrimSpace(v("publishAt")), TZOffset: strings.TrimSpace(v("tzOffset")),
		SlugAuto:      v("slugAuto") == "1",
		FeaturedField: v("featuredField") == "1", Featured: v("featured") == "1",
	}
	if pv, err := strconv.Atoi(strings.TrimSpace(v("pendingVersion"))); err == nil && pv > 0 {
		f.PendingVersion = pv
	}
	parseImageFields(c, &f)
	referencesFromForm(formFields(c), &f)
	parseCTAFields(c, &f)
	parseReviewFields(c, &f)
	return f
}

// formValues returns every value of a repeated form field, copied.
func formValues(c *fiber.Ctx, name string) []string {
	if mf, err := c.MultipartForm(); err == nil && mf != nil {
		return slices.Clone(mf.Value[name])
	}
	var out []string
	for _, b := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(b))
	}
	return out
}

// hasPostFields reports whether the request carries the editor form (as
// opposed to a bare action button elsewhere with just a version).
func hasPostFields(c *fiber.Ctx) bool {
	if c.Request().PostArgs().Has("title") {
		return true
	}
	mf, err := c.MultipartForm()
	return err == nil && mf != nil && mf.Value["title"] != nil
}

// input turns the form into a cms.PostInput setting every field. For a new
// post an empty or mirrored slug is left out, so that cms makes one from
// the title.
func (f postForm) input(isNew bool) cms.PostInput {
	cats := f.CategoryIDs
	if cats == nil {
		cats = []string{}
	}
	tags := splitTags(f.Tags)
	in := cms.PostInput{
		Title: &f.Title, Excerpt: &f.Excerpt, Body: &f.Body, CategoryIDs: &cats, Tags: &tags,
		SEOTitle: &f.SEOTitle, SEODescription: &f.SEODescription, CanonicalURL: &f.CanonicalURL,
	}
	// A new post's slug that just mirrors the title is left to cms, which
	// makes it unique ("-2") instead of refusing a taken one.
	slug := strings.TrimSpace(f.Slug)
	if !isNew || (slug != "" && !(f.SlugAuto && slug == cms.Slugify(f.Title))) {
		in.Slug = &slug
	}
	if !isNew {
		v := f.Version
		in.Version = &v
	}
	f.imageInput(&in)
	f.referenceInput(&in)
	f.ctaInput(&in)
	f.reviewInput(&in)
	return in
}

// splitTags splits the comma-separated tags input; cms trims and dedupes.
func splitTags(s string) []string {
	out := []string{}
	for _, t := range strings.Split(s, ",") {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// changedFrom reports whether saving f would change post p. It is a cheap
// pre-check that spares a revision when she presses Publish on a post she
// did not edit; when in doubt it says yes (and cms saves).
func (f postForm) changedFrom(p *cms.Post) bool {
	t := strings.TrimSpace
	slug := t(f.Slug)
	if slug == "" {
		slug = cms.Slugify(t(f.Title))
	}
	tags := splitTags(f.Tags)
	return t(f.Title) != p.Title || slug != p.Slug || t(f.Excerpt) != p.Excerpt || f.Body != p.Body ||
		!slices.Equal(nonNil(f.CategoryIDs), nonNil(p.CategoryIDs)) || !slices.EqualFunc(tags, nonNil(p.Tags), strings.EqualFold) ||
		t(f.SEOTitle) != p.SEO.Title || t(f.SEODescription) != p.SEO.Description || t(f.CanonicalURL) != p.SEO.CanonicalURL ||
		f.imagesChangedFrom(p) || f.referencesChangedFrom(p) || f.ctaChangedFrom(p) || f.reviewChangedFrom(p)
}

// scheduleTime reads the schedule input: a local date and time plus her
// time zone's offset (filled in by the script), or, without the script, a
// time in UTC. A full RFC 3339 time is taken as it is.
func (f postForm) scheduleTime() (time.Time, error) {
	const op = "admin.schedule"
	if f.PublishAt == "" {
		return time.Time{}, invalid(op, "publishAt", "Choose the date and time to publish at.")
	}
	at, err := localToUTC(f.PublishAt, f.TZOffset)
	if err != nil {
		return time.Time{}, invalid(op, "publishAt", err.Error())
	}
	return at, nil
}

// handleEditorCreate stores a new post from the editor form (Save draft,
// or Publish / Schedule straight away, on the featured list or not) as
// one save, and goes to its editor: 303.
func (a *Admin) handleEditorCreate(c *fiber.Ctx) error {
	f := parsePostForm(c)
	action := strings.Clone(c.FormValue("action"))
	if action != actPublish && action != actSchedule {
		action = actSave
	}
	in := f.input(true)
	status, at, err := f.statusFor(nil, action)
	if err == nil {
		in.Status, in.PublishAt, in.Confirmed = status, at, confirmedRetracted(c)
		if f.FeaturedField && f.Featured {
			in.Featured = &f.Featured
		}
		var post *cms.Post
		if post, err = a.svc.CreatePost(c.UserContext(), actor(c), in); err == nil {
			return a.flashRedirect(c, editorPath(post.ID), savedMessage(action, nil, post, true, in.Featured))
		}
	}
	if refs := retractedOf(err); refs != nil {
		return a.renderRetracted(c, nil, f, action, refs)
	}
	if fields := formErrors(err); fields != nil {
		return a.renderEditorProblem(c, nil, f, fields, problemNotSaved)
	}
	return err
}

// handleEditorSave saves the editor form of post :id and carries out the
// button she pressed ("action": save, publish, schedule, unpublish, trash,
// restore). A stale version shows the conflict page; invalid fields
// re-render the form at 422 with her input.
func (a *Admin) handleEditorSave(c *fiber.Ctx) error {
	return a.editorSubmit(c, strings.Clone(c.FormValue("action")))
}

// handleEditorAction serves POST /posts/:id/<action>: the same as the
// editor form with that button when the form's fields are sent, else just
// the action on the version given (if any).
func (a *Admin) handleEditorAction(action string) fiber.Handler {
	return func(c *fiber.Ctx) error { return a.editorSubmit(c, action) }
}

func (a *Admin) editorSubmit(c *fiber.Ctx, action string) error {
	switch action {
	case "":
		action = actSave
	case actSave, actPublish, actUnpublish, actSchedule, actTrash, actRestore:
	default:
		return invalid("admin.editor", "action", "Unknown action.")
	}
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	full := hasPostFields(c)
	var f postForm
	if full {
		f = parsePostForm(c)
	} else {
		f = formFromPost(post)
		f.Version, _ = formVersion(c)
		f.PublishAt, f.TZOffset = strings.TrimSpace(c.FormValue("publishAt")), strings.TrimSpace(c.FormValue("tzOffset"))
		if f.Version == 0 {
			f.Version = post.Version // a bare action without a version applies to the post as it is
		}
	}
	if f.Version != post.Version {
		return a.renderConflict(c, post, f, action)
	}
	if action == actTrash || action == actRestore {
		return a.editorMove(c, post, f, action)
	}
	return a.editorSaveAll(c, post, f, action, full && f.changedFrom(post))
}

// editorSaveAll saves her edits (when changed), the status her button
// asks for and the "Featured" box as one save of the post (cms.UpdatePost,
// or cms.PublishChanges for Update on a published post): all of it or,
// on any problem, nothing.
func (a *Admin) editorSaveAll(c *fiber.Ctx, post *cms.Post, f postForm, action string, changed bool) error {
	ctx, u := c.UserContext(), actor(c)
	var in cms.PostInput
	if changed {
		in = f.input(false)
	}
	in.Version, in.Confirmed = &f.Version, confirmedRetracted(c)
	var err error
	if in.Status, in.PublishAt, err = f.statusFor(post, action); err != nil {
		return a.editorFailed(c, post, f, action, err, changed)
	}
	if f.FeaturedField {
		on, err := a.svc.IsFeatured(ctx, post.ID)
		if err != nil {
			return err
		}
		if on != f.Featured {
			in.Featured = &f.Featured
		}
	}
	update := action == actPublish && post.Public()
	if !changed && in.Status == nil && in.Featured == nil {
		msg := "No changes to save."
		if update {
			msg = "No changes to update."
			if err := a.discardShown(c, post, f); err != nil {
				return err
			}
		}
		return a.flashRedirect(c, editorPath(post.ID), msg)
	}
	var saved *cms.Post
	if update {
		saved, err = a.svc.PublishChanges(ctx, u, post.ID, in, f.PendingVersion)
	} else {
		saved, err = a.svc.UpdatePostOver(ctx, u, post.ID, in, f.PendingVersion)
	}
	if err != nil {
		return a.editorFailed(c, post, f, action, err, changed)
	}
	return a.flashRedirect(c, editorPath(post.ID), savedMessage(action, post, saved, changed, in.Featured))
}

// statusFor returns the status (and time) that action asks of post (nil:
// a new post): none for Save and for Update of a published post. Errors:
// an Invalid naming "publishAt" for a schedule time that cannot be read.
func (f postForm) statusFor(post *cms.Post, action string) (*cms.PostStatus, *time.Time, error) {
	var to cms.PostStatus
	switch {
	case action == actPublish && (post == nil || !post.Public()):
		to = cms.StatusPublished
	case action == actUnpublish:
		to = cms.StatusDraft
	case action == actSchedule:
		at, err := f.scheduleTime()
		if err != nil {
			return nil, nil, err
		}
		to = cms.StatusScheduled
		return &to, &at, nil
	default:
		return nil, nil, nil
	}
	return &to, nil, nil
}

// savedMessage is the flash after a save made by action on post (as it
// was; nil for a new one), now saved; changed says her fields changed,
// featured what the save did to the featured list (nil: nothing).
func savedMessage(action string, post, saved *cms.Post, changed bool, featured *bool) string {
	var msg string
	switch action {
	case actSave:
		switch {
		case !changed:
		case saved.Status == cms.StatusDraft:
			msg = "Draft saved."
		case saved.Public():
			msg = "Saved. The changes are live."
		default:
			msg = "Saved."
		}
	case actPublish:
		switch {
		case post == nil || !post.Public():
			msg = "Published. Readers can see it now."
		case changed:
			msg = "Updated. The changes are live."
		}
	case actSchedule:
		msg = "Scheduled. It goes live by itself at the time shown under “Publish”."
	case actUnpublish:
		msg = "Unpublished: it is a draft again, and readers no longer see it."
		if changed {
			msg = "Unpublished and saved: it is a draft again, and readers no longer see it."
		}
	}
	switch {
	case featured == nil:
	case *featured:
		msg += " Added to the featured list."
	default:
		msg += " Taken off the featured list."
	}
	return strings.TrimSpace(msg)
}

// editorMove moves post to the trash or back (her unsaved edits in the
// form are not saved), and goes back to the editor.
func (a *Admin) editorMove(c *fiber.Ctx, post *cms.Post, f postForm, action string) error {
	ctx, u := c.UserContext(), actor(c)
	var err error
	msg := "Moved to the trash. You can restore it from here or from the trash."
	if action == actTrash {
		_, err = a.svc.TrashPost(ctx, u, post.ID, f.Version)
	} else {
		msg = "Restored from the trash."
		_, err = a.svc.RestorePost(ctx, u, post.ID, f.Version)
	}
	if err != nil {
		return a.editorFailed(c, post, f, action, err, false)
	}
	return a.flashRedirect(c, editorPath(post.ID), msg)
}

// editorFailed answers a failed save or action on post, which wrote
// nothing: a stale version shows the conflict page, bad fields re-render
// the form at 422 with her input, a refused state change (such as
// publishing a trashed post) goes back with the reason; anything else is
// the panel's error page; citing retracted works she has not confirmed
// shows the warning (panel_editor_retracted.go). changed says whether the
// form held edits.
func (a *Admin) editorFailed(c *fiber.Ctx, post *cms.Post, f postForm, action string, err error, changed bool) error {
	if refs := retractedOf(err); refs != nil {
		return a.renderRetracted(c, post, f, action, refs)
	}
	fields := formErrors(err)
	switch {
	case isStale(err):
		latest, gerr := a.svc.GetPost(c.UserContext(), post.ID)
		if gerr != nil {
			return gerr
		}
		return a.renderConflict(c, latest, f, action)
	case fields != nil:
		msg := problemNotSaved
		switch {
		case action == actPublish && post.Public():
			msg = "Not updated: please check the fields marked below. Readers still see the published version."
		case !changed && action != actSave:
			// The action was refused on a post she had not changed.
			msg = actionRefused(action)
		}
		return a.renderEditorProblem(c, post, f, fields, msg)
	case cms.IsKind(err, cms.KindConflict):
		return a.flashRedirect(c, editorPath(post.ID), cms.ErrorMessage(err))
	}
	return err
}

// isStale reports whether err is a version conflict (someone saved since).
func isStale(err error) bool {
	return conflictOn(err, "version")
}

// formErrors returns the per-field messages of an error that the form can
// show next to its fields (invalid input, a taken slug), or nil.
func formErrors(err error) map[string]string {
	fields := cms.ErrorFields(err)
	if len(fields) == 0 || isStale(err) {
		return nil
	}
	if !cms.IsKind(err, cms.KindInvalid) && !cms.IsKind(err, cms.KindConflict) {
		return nil
	}
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if k == "slug" && cms.IsKind(err, cms.KindConflict) {
			v = "Another post already uses this address. Change it a little, for example by adding -2."
		}
		out[k] = v
	}
	return out
}

// actionRefused heads the form when action was refused for the fields
// marked (such as unresolved citations) and nothing needed saving.
func actionRefused(action string) string {
	switch action {
	case actPublish:
		return "Not published: please check the fields marked below. The post is saved as it was."
	case actSchedule:
		return "Not scheduled: please check the fields marked below. The post is saved as it was."
	}
	return "Not done: please check the fields marked below. The post is saved as it was."
}

// problemNotSaved heads a form that came back with errors.
const problemNotSaved = "Nothing was saved: please check the fields marked below."

// renderEditorProblem re-renders the editor at 422 with her input, the
// message problem above the form and a message next to each bad field.
func (a *Admin) renderEditorProblem(c *fiber.Ctx, post *cms.Post, f postForm, fields map[string]string, problem string) error {
	p, err := a.editorPageFor(c, post, f, fields)
	if err != nil {
		return err
	}
	p.Problem = problem
	return a.render(c, fiber.StatusUnprocessableEntity, tmplEditor, p)
}

// conflictPage is the data of views/editor_conflict.html: her edit started
// from an older version than the stored one.
type conflictPage struct {
	page
	Latest *cms.Post
	Form   postForm // her version, kept in hidden fields for "Keep my version"
	Action string   // the button she pressed
	Diff   []diffRow
	// TitleChanged and the like say which fields differ from the latest.
	TitleChanged, ExcerptChanged bool
}

// renderConflict shows the choice between loading the latest version and
// keeping hers (which saves her text over it, explicitly): 409, nothing
// written.
func (a *Admin) renderConflict(c *fiber.Ctx, latest *cms.Post, f postForm, action string) error {
	p := conflictPage{
		page:   a.newPage(c, "This post changed in another window", "posts"),
		Latest: latest, Form: f, Action: action,
		Diff:         diffRows(cms.DiffLines(latest.Body, f.Body), 3),
		TitleChanged: strings.TrimSpace(f.Title) != latest.Title, ExcerptChanged: strings.TrimSpace(f.Excerpt) != latest.Excerpt,
	}
	return a.render(c, fiber.StatusConflict, tmplEditorConflict, p)
}

func editorPath(id string) string { return "/admin/posts/" + id }
