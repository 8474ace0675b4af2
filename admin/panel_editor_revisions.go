package admin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// diffRow is one row of a rendered line diff. The template escapes Text.
type diffRow struct {
	Op      string // "same", "del" (only in the older text), "ins" (only in the newer), "skip"
	Text    string
	Old     int // line number in the older text, 0 if not there
	New     int // line number in the newer text, 0 if not there
	Skipped int // for "skip": how many unchanged lines are folded away
	// Spans are the words of a changed line that replaces a similar one,
	// marked changed or not; nil: the whole line changed.
	Spans []cms.DiffSpan
}

// diffRows numbers the lines of a diff and folds runs of unchanged lines
// that are more than context lines away from a change.
func diffRows(lines []cms.DiffLine, context int) []diffRow {
	rows := make([]diffRow, len(lines))
	near := make([]bool, len(lines))
	o, n := 0, 0
	for i, l := range lines {
		switch l.Op {
		case cms.DiffEqual:
			o++
			n++
			rows[i] = diffRow{Op: "same", Text: l.Text, Old: o, New: n}
		case cms.DiffDelete:
			o++
			rows[i] = diffRow{Op: "del", Text: l.Text, Old: o, Spans: l.Spans}
		case cms.DiffInsert:
			n++
			rows[i] = diffRow{Op: "ins", Text: l.Text, New: n, Spans: l.Spans}
		}
		if l.Op != cms.DiffEqual {
			for j := max(0, i-context); j <= min(len(lines)-1, i+context); j++ {
				near[j] = true
			}
		}
	}
	out := make([]diffRow, 0, len(rows))
	for i := 0; i < len(rows); {
		if rows[i].Op != "same" || near[i] {
			out = append(out, rows[i])
			i++
			continue
		}
		j := i
		for j < len(rows) && rows[j].Op == "same" && !near[j] {
			j++
		}
		out = append(out, diffRow{Op: "skip", Skipped: j - i})
		i = j
	}
	return out
}

// fieldChange is a short field that differs between two versions.
type fieldChange struct {
	Name, Old, New string
}

// diffPage is the data of views/editor_diff.html.
type diffPage struct {
	page
	Post        *cms.Post
	Rev         *cms.Revision
	RevBy       string
	RevLabel    string
	IsCurrent   bool // the revision is the current version
	Fields      []fieldChange
	Body        []diffRow
	BodyChanged bool
}

// revisionsPage is the data of views/editor_revisions.html.
type revisionsPage struct {
	page
	Post      *cms.Post
	Revisions []revisionItem
}

// handleRevisionsPage lists every stored revision of post :id, newest
// first.
func (a *Admin) handleRevisionsPage(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	// The post carries its revision list: no second read.
	revs := slices.Clone(post.Revisions)
	slices.Reverse(revs)
	p := revisionsPage{page: a.newPage(c, "Versions of "+displayTitle(post.Title), "posts"), Post: post,
		Revisions: a.revisionItems(c.UserContext(), actor(c), post, revs)}
	return a.render(c, fiber.StatusOK, tmplEditorRevisions, p)
}

// handleRevisionDiff compares revision :rid with the post as it is now:
// the short fields side by side, the body as a line diff, with a button
// to restore the revision.
func (a *Admin) handleRevisionDiff(c *fiber.Ctx) error {
	id, rid, err := panelRevisionIDs(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	post, err := a.svc.GetPost(ctx, id)
	if err != nil {
		return err
	}
	rev, err := a.svc.GetRevision(ctx, id, rid)
	if err != nil {
		return err
	}
	cats, err := a.svc.ListCategories(ctx)
	if err != nil {
		return err
	}
	names := categoryNames(cats)
	catNames := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			if out[i] = names[id]; out[i] == "" {
				out[i] = "(deleted category)"
			}
		}
		return strings.Join(out, ", ")
	}
	p := diffPage{
		page:      a.newPage(c, "Version "+strconv.Itoa(rev.Version)+" of "+displayTitle(post.Title), "posts"),
		Post:      post,
		Rev:       rev,
		RevLabel:  revisionLabel(rev.Note),
		IsCurrent: rev.Version == post.Version,
	}
	if items := a.revisionItems(ctx, actor(c), post, []cms.RevisionRef{{SavedBy: rev.SavedBy}}); len(items) == 1 {
		p.RevBy = items[0].By
	}
	for _, fc := range []fieldChange{
		{"Title", rev.Title, post.Title},
		{"Excerpt", rev.Excerpt, post.Excerpt},
		{"Categories", catNames(rev.CategoryIDs), catNames(post.CategoryIDs)},
		{"Tags", strings.Join(rev.Tags, ", "), strings.Join(post.Tags, ", ")},
		{"SEO title", rev.SEO.Title, post.SEO.Title},
		{"SEO description", rev.SEO.Description, post.SEO.Description},
		{"Canonical URL", rev.SEO.CanonicalURL, post.SEO.CanonicalURL},
	} {
		if fc.Old != fc.New {
			p.Fields = append(p.Fields, fc)
		}
	}
	lines := cms.DiffLines(rev.Body, post.Body)
	for _, l := range lines {
		if l.Op != cms.DiffEqual {
			p.BodyChanged = true
			break
		}
	}
	p.Body = diffRows(lines, 3)
	return a.render(c, fiber.StatusOK, tmplEditorDiff, p)
}

// handleRevisionRestoreForm restores revision :rid as a new save; the form
// carries the version the page showed, and a stale one goes back to the
// comparison with the latest version. It does not read the post first:
// cms reads it (and answers NotFound) as it restores.
func (a *Admin) handleRevisionRestoreForm(c *fiber.Ctx) error {
	id, rid, err := panelRevisionIDs(c)
	if err != nil {
		return err
	}
	version, ok := formVersion(c)
	if !ok || version < 1 {
		return invalid("admin.restoreRevision", "version", "The version you started from is required.")
	}
	restored, err := a.svc.RestoreRevision(c.UserContext(), actor(c), id, rid, version)
	switch {
	case isStale(err):
		return a.flashRedirect(c, editorPath(id)+"/revisions/"+rid,
			"The post changed since you opened that page, so nothing was restored. Here is the comparison with the latest version.")
	case err != nil:
		return err
	}
	var from string
	for _, r := range restored.Revisions {
		if r.ID == rid {
			from = " " + strconv.Itoa(r.Version)
		}
	}
	return a.flashRedirect(c, editorPath(id), "Version"+from+" restored. It is saved as a new version, so you can undo this too.")
}

// handlePreviewFragment renders Markdown (the form field or JSON member
// "body") with cms.RenderMarkdown, the renderer of published posts, and
// answers the sanitised HTML fragment, with the word count and reading
// time in X-Word-Count and X-Reading-Time and the cited keys that are not
// in the library in X-Unresolved-Citations (space-separated). The
// editor's live preview fetches it.
func (a *Admin) handlePreviewFragment(c *fiber.Ctx) error {
	var body string
	var refs []string
	if isJSONType(c.Get(fiber.HeaderContentType)) {
		var in struct {
			Body       string   `json:"body"`
			References []string `json:"references"`
		}
		if err := cms.DecodeJSON("admin.preview", c.Request().Body(), &in); err != nil {
			return err
		}
		body, refs = in.Body, in.References
	} else {
		body, refs = strings.Clone(c.FormValue("body")), formValues(c, "references")
	}
	if len(refs) > cms.MaxPostReferences {
		refs = refs[:cms.MaxPostReferences]
	}
	if len(body) > cms.MaxBodyBytes {
		return &cms.Error{Kind: cms.KindTooLarge, Op: "admin.preview", Message: "The text is too long to preview: the limit is 512 KiB.",
			Fields: map[string]string{"body": "At most 512 KiB."}}
	}
	r, err := cms.RenderMarkdown(strings.ReplaceAll(body, "\r\n", "\n"))
	if err != nil {
		return err
	}
	out, unresolved, err := a.previewWithReferences(c.UserContext(), r.HTML, body, refs)
	if err != nil {
		return err
	}
	// Keys are letters, digits and _:- only, so they travel in a header.
	c.Set("X-Unresolved-Citations", strings.Join(unresolved, " "))
	c.Set("X-Robots-Tag", "noindex")
	c.Set("X-Word-Count", strconv.Itoa(r.WordCount))
	c.Set("X-Reading-Time", strconv.Itoa(r.ReadingTime))
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString(out)
}

// displayTitle is a post's title, or a stand-in while it has none.
func displayTitle(title string) string {
	if strings.TrimSpace(title) == "" {
		return "Untitled post"
	}
	return title
}

// panelRevisionIDs returns the post id :id and the revision id :rid of
// the request; a malformed one is a 404.
func panelRevisionIDs(c *fiber.Ctx) (id, rid string, err error) {
	if id, err = panelID(c); err != nil {
		return "", "", err
	}
	if rid = param(c, "rid"); !cms.ValidID(rid) {
		return "", "", fiber.ErrNotFound
	}
	return id, rid, nil
}
