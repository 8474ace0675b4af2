package admin

import (
	"context"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The post editor: write a post, save it (by form, or by the script's
// autosave through the JSON API), publish, schedule, unpublish, trash and
// restore it, preview it as readers will see it, and look through its
// revisions with a diff and restore one. The page works without
// JavaScript; assets/static/js/editor.js adds the Markdown editor, the live
// preview, slug mirroring and autosave.

// Template names of the editor screens (files in views/).
const (
	tmplEditor          = "editor"           // the editor form
	tmplEditorConflict  = "editor_conflict"  // "this post changed in another window"
	tmplEditorRevisions = "editor_revisions" // every stored revision
	tmplEditorDiff      = "editor_diff"      // one revision against the current version
	tmplEditorPreview   = "editor_preview"   // the reader's view, a page of its own
)

// Recommended lengths of the SEO fields (what search results show in
// full); cms enforces the hard limits.
const (
	seoTitleHint       = 60
	seoDescriptionHint = 160
	editorRevisions    = 10 // revisions listed in the editor's side panel
	maxSaverLookups    = 5  // distinct users looked up to name revisions' authors
)

// editorRoutes registers the post editor screens of the panel on r, which
// already requires a logged-in panel session and checks CSRF on unsafe
// methods.
func (a *Admin) editorRoutes(r fiber.Router) {
	r.Get("/posts/new", a.handleEditorNew)
	r.Post("/posts", a.handleEditorCreate)
	r.Post("/posts/preview", a.handleFormPreview)
	r.Post("/preview", a.handlePreviewFragment)
	r.Get("/posts/:id", a.handleEditor)
	r.Post("/posts/:id", a.handleEditorSave)
	for _, act := range []string{actPublish, actUnpublish, actSchedule, actTrash, actRestore} {
		r.Post("/posts/:id/"+act, a.handleEditorAction(act))
	}
	r.Post("/posts/:id/pending/discard", a.handlePendingDiscardForm)
	r.Post("/posts/:id/pending/restore", a.handlePendingRestoreForm)
	r.Post("/posts/:id/redirects/remove", a.handleRedirectRemoveForm)
	r.Get("/posts/:id/preview", a.handlePostPreview)
	r.Post("/posts/:id/preview", a.handleFormPreview)
	r.Get("/posts/:id/revisions", a.handleRevisionsPage)
	r.Get("/posts/:id/revisions/:rid", a.handleRevisionDiff)
	r.Post("/posts/:id/revisions/:rid/restore", a.handleRevisionRestoreForm)
}

// editorPage is the data of views/editor.html.
type editorPage struct {
	page
	New    bool      // no post yet: the first save creates it
	Post   *cms.Post // the stored post; nil when New
	Form   postForm  // what the fields show: the stored post or her input
	Errors map[string]string
	// Problem is shown above the form when a save failed.
	Problem    string
	Action     string // where the form posts
	Status     statusView
	Categories []categoryOption
	Revisions  []revisionItem // newest first, at most editorRevisions
	MoreRevs   int            // how many more the revisions page lists
	SiteURL    string         // the site's URL from the settings, "" if unset
	// PreviewOnSite: the settings have a preview URL template, so
	// "Preview on site" can open her frontend.
	PreviewOnSite bool
	SiteCTA       cms.CallToAction // the site's call to action, which posts without their own show
	SlugAuto      bool             // the slug still follows the title
	StorageKey    string           // the localStorage key of her unsaved text
	SEOTitle      lengthHint
	SEODesc       lengthHint
	// PreviewHTML is the body as the fields show it, rendered and
	// sanitised by cms.RenderMarkdown: the preview before the script
	// takes over, and without it.
	PreviewHTML template.HTML
	// PublishAtUTC is the stored publication time (RFC 3339) that the
	// script shows in her time zone.
	PublishAtUTC string
	// Images are the cover, the pins and the body's images.
	Images editorImages
	// Refs is the post's reference list.
	Refs editorRefs
	// Pending is the post's pending edit, or nil.
	Pending *pendingView
	// Reviewers are the medical reviewers she can name on the post.
	Reviewers []reviewerOption
	// Unresolved are the keys the body cites that are not in the library:
	// the draft saves, publishing is refused until they are added.
	Unresolved []string
	// Retracted asks her to confirm publishing a post that cites
	// retracted works (panel_editor_retracted.go); nil otherwise.
	Retracted *retractedWarning
}

// statusView is the status badge.
type statusView struct {
	Key   string // draft, scheduled, published, archived, trashed
	Label string
}

// categoryOption is one category checkbox.
type categoryOption struct {
	ID, Name string
	Checked  bool
}

// revisionItem is a revision in a list.
type revisionItem struct {
	cms.RevisionRef
	PostID  string
	By      string // who saved it
	Current bool   // the post as it is now
	Label   string // the note, made readable
}

// lengthHint is the live "52/60 characters" hint of an SEO field.
type lengthHint struct {
	Count, Recommended, Max int
	Over                    bool
}

func newLengthHint(s string, recommended, max int) lengthHint {
	n := utf8.RuneCountInString(s)
	return lengthHint{Count: n, Recommended: recommended, Max: max, Over: n > recommended}
}

// handleEditorNew shows an empty editor: nothing is stored until the first
// save (or the script's first autosave).
func (a *Admin) handleEditorNew(c *fiber.Ctx) error {
	p, err := a.editorPageFor(c, nil, postForm{SlugAuto: true}, nil)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, tmplEditor, p)
}

// handleEditor shows the editor for post :id. It reads the post by id, the
// categories, the settings, the names of whoever saved its recent
// revisions and, for a published post, its pending edit by id: no query
// that scans posts. With ?pending=1 the form shows the pending edit.
func (a *Admin) handleEditor(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	f := formFromPost(post)
	if c.Query("pending") == "1" {
		if f, err = a.pendingForm(c.UserContext(), post); err != nil {
			return err
		}
	}
	p, err := a.editorPageFor(c, post, f, nil)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, tmplEditor, p)
}

// panelPost loads the post named by the :id path parameter; a malformed id
// is a 404 like an unknown one.
func (a *Admin) panelPost(c *fiber.Ctx) (*cms.Post, error) {
	id, err := panelID(c)
	if err != nil {
		return nil, err
	}
	return a.svc.GetPost(c.UserContext(), id)
}

// editorPageFor builds the editor page for post (nil for a new one) with
// the fields showing f and the per-field errors errs.
func (a *Admin) editorPageFor(c *fiber.Ctx, post *cms.Post, f postForm, errs map[string]string) (editorPage, error) {
	ctx := c.UserContext()
	title, nav := "New post", "new"
	if post != nil {
		title, nav = "Edit: "+post.Title, "posts"
		if post.Title == "" {
			title = "Edit post"
		}
	}
	p := editorPage{
		page:     a.newPage(c, title, nav),
		New:      post == nil,
		Post:     post,
		Form:     f,
		Errors:   errs,
		SlugAuto: f.SlugAuto,
		SEOTitle: newLengthHint(f.SEOTitle, seoTitleHint, cms.MaxSEOTitleLen),
		SEODesc:  newLengthHint(f.SEODescription, seoDescriptionHint, cms.MaxSEODescriptionLen),
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	cats, err := a.svc.ListCategories(ctx)
	if err != nil {
		return p, err
	}
	for _, cat := range cats {
		p.Categories = append(p.Categories, categoryOption{ID: cat.ID, Name: cat.Name, Checked: slices.Contains(f.CategoryIDs, cat.ID)})
	}
	settings, err := a.svc.GetSettings(ctx)
	if err != nil {
		return p, err
	}
	p.SiteURL, p.SiteCTA = strings.TrimRight(settings.Site.URL, "/"), settings.CallToAction
	p.PreviewOnSite = settings.PreviewURL != ""
	if p.Reviewers, err = a.editorReviewers(ctx, f); err != nil {
		return p, err
	}
	p.Images = a.editorImagesFor(ctx, post, f, p.Errors)
	style := cms.StyleAPA
	if settings.CitationStyle == cms.StyleAMA {
		style = cms.StyleAMA
	}
	if p.Refs, err = a.editorRefsFor(ctx, f, style, p.Errors); err != nil {
		return p, err
	}
	var rendered string
	switch {
	case post != nil && f.Body == post.Body:
		rendered = post.HTML
	case f.Body != "":
		r, err := cms.RenderMarkdown(f.Body)
		if err != nil {
			return p, err
		}
		rendered = r.HTML
	}
	if rendered != "" || len(f.References) > 0 {
		refs, unresolved, err := a.svc.PostReferences(ctx, f.References, f.Body)
		if err != nil {
			return p, err
		}
		p.Unresolved = unresolved
		p.PreviewHTML = template.HTML(withReferences(rendered, style, refs))
	}
	if post == nil {
		p.Action, p.StorageKey = "/admin/posts", "lullaby:draft:new"
		p.Status = statusView{Key: "new", Label: "New draft"}
		return p, nil
	}
	if !f.FeaturedField {
		featured, err := a.featuredSet(ctx)
		if err != nil {
			return p, err
		}
		p.Form.Featured = featured[post.ID]
	}
	p.Action, p.StorageKey = "/admin/posts/"+post.ID, "lullaby:draft:"+post.ID
	p.Status = postStatus(post)
	p.PublishAtUTC = isoUTC(post.PublishAt)
	revs := slices.Clone(post.Revisions)
	slices.Reverse(revs)
	if len(revs) > editorRevisions {
		p.MoreRevs = len(revs) - editorRevisions
		revs = revs[:editorRevisions]
	}
	p.Revisions = a.revisionItems(ctx, actor(c), post, revs)
	if p.Pending, err = a.pendingFor(ctx, post, f); err != nil {
		return p, err
	}
	return p, nil
}

// postStatus returns the badge of p.
func postStatus(p *cms.Post) statusView {
	if p.Trashed() {
		return statusView{Key: "trashed", Label: "In the trash"}
	}
	switch p.Status {
	case cms.StatusScheduled:
		return statusView{Key: "scheduled", Label: "Scheduled"}
	case cms.StatusPublished:
		return statusView{Key: "published", Label: "Published"}
	case cms.StatusArchived:
		return statusView{Key: "archived", Label: "Archived"}
	}
	return statusView{Key: "draft", Label: "Draft"}
}

// revisionItems names who saved each revision: the current user is "you",
// the scheduler is "Lullaby", and at most maxSaverLookups other users are
// looked up by id (a handful of reads by _id).
func (a *Admin) revisionItems(ctx context.Context, me *cms.User, post *cms.Post, revs []cms.RevisionRef) []revisionItem {
	names := map[string]string{"": "Lullaby (scheduled)"}
	if me != nil {
		names[me.ID] = "you"
	}
	out := make([]revisionItem, len(revs))
	for i, r := range revs {
		name, ok := names[r.SavedBy]
		if !ok {
			name = "someone else"
			if len(names) < maxSaverLookups+2 {
				if u, err := a.svc.GetUser(ctx, r.SavedBy); err == nil {
					name = u.Name
				} else if cms.IsKind(err, cms.KindNotFound) {
					name = "a removed user"
				}
			}
			names[r.SavedBy] = name
		}
		out[i] = revisionItem{RevisionRef: r, PostID: post.ID, By: name, Current: r.Version == post.Version, Label: revisionLabel(r.Note)}
	}
	return out
}

// revisionLabel turns a revision's note ("created", "edited", ...) into a
// phrase for people.
func revisionLabel(note string) string {
	switch note {
	case "created":
		return "Created"
	case "edited":
		return "Edited"
	case "published":
		return "Published"
	case "unpublished":
		return "Unpublished"
	case "scheduled":
		return "Scheduled"
	case "archived":
		return "Archived"
	case "trashed":
		return "Moved to the trash"
	case "restored":
		return "Restored from the trash"
	case "published as scheduled":
		return "Published as scheduled"
	case "":
		return "Saved"
	}
	if v, ok := strings.CutPrefix(note, "restored version "); ok {
		return "Restored version " + v
	}
	return strings.ToUpper(note[:1]) + note[1:]
}

// scheduleValue is the value of the datetime-local input for t, in UTC
// (the script shows it in her time zone).
func scheduleValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04")
}
