package admin

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/template/html/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/views"
)

// TestEditorTemplatesRender renders every editor template with awkward
// data (every status, every field in error, markup in every text) and
// checks that nothing is left unescaped or unfilled.
func TestEditorTemplatesRender(t *testing.T) {
	t.Parallel()
	_, vw := MustViews(t)
	now := time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC)
	owner := &cms.User{ID: "64b000000000000000000001", Name: "Olivia <Owner>", Role: cms.RoleOwner}
	pg := page{Title: "Edit <post>", User: owner, CSRF: "token", Flash: "Saved <b>.", Nav: "posts"}
	bad := "<b>bad</b>"
	post := func(status cms.PostStatus, trashed bool) *cms.Post {
		p := &cms.Post{ID: "64b000000000000000000010", Title: bad, Slug: "bad", Excerpt: bad, Body: "x " + bad, HTML: "<p>x</p>",
			Status: status, PublishAt: now, PublishedAt: now, UpdatedAt: now, Version: 3, Tags: []string{bad},
			CategoryIDs: []string{"64b000000000000000000020"}, SEO: cms.SEO{Title: bad, Description: bad},
			Revisions: []cms.RevisionRef{{ID: "64b000000000000000000030", Version: 3, SavedAt: now, Note: "edited"}}}
		if trashed {
			p.DeletedAt = now
		}
		return p
	}
	errs := map[string]string{}
	for _, f := range []string{"title", "slug", "excerpt", "body", "categoryIds", "tags", "seoTitle", "seoDescription", "canonicalUrl", "publishAt", "version"} {
		errs[f] = "Wrong " + bad
	}
	form := formFromPost(post(cms.StatusDraft, false))
	cats := []categoryOption{{ID: "64b000000000000000000020", Name: bad, Checked: true}}
	revs := []revisionItem{{RevisionRef: cms.RevisionRef{ID: "64b000000000000000000030", Version: 3, SavedAt: now, Note: "edited"},
		PostID: "64b000000000000000000010", By: bad, Current: true, Label: bad},
		{RevisionRef: cms.RevisionRef{ID: "64b000000000000000000031", Version: 2, SavedAt: now}, PostID: "64b000000000000000000010", By: bad, Label: bad}}
	editor := func(p *cms.Post, e map[string]string) editorPage {
		ep := editorPage{page: pg, Post: p, New: p == nil, Form: form, Errors: e, Action: "/admin/posts", Categories: cats,
			Revisions: revs, MoreRevs: 4, SiteURL: "https://example.com", SlugAuto: true, StorageKey: "k", Problem: bad,
			SEOTitle: newLengthHint(bad, 60, 120), SEODesc: newLengthHint(strings.Repeat("x", 200), 160, 320), PreviewHTML: template.HTML("<p>ok</p>")}
		if p != nil {
			ep.Status = postStatus(p)
		} else {
			ep.Status = statusView{Key: "new", Label: "New draft"}
		}
		return ep
	}
	diff := diffRows(cms.DiffLines("a\n"+bad+"\nc\nd\ne\nf\ng\nh\ni\nj", "a\nb\nc\nd\ne\nf\ng\nh\ni\n"+bad), 1)
	samples := map[string]any{
		"new":       editor(nil, errs),
		"draft":     editor(post(cms.StatusDraft, false), nil),
		"scheduled": editor(post(cms.StatusScheduled, false), errs),
		"published": editor(post(cms.StatusPublished, false), nil),
		"archived":  editor(post(cms.StatusArchived, false), nil),
		"trashed":   editor(post(cms.StatusPublished, true), errs),
	}
	// A publish held back by a retracted work, whose badge also shows in
	// the reference list.
	retracted := editor(post(cms.StatusPublished, false), nil)
	hv := newHealthView(&cms.CitationHealth{Status: cms.HealthRetracted, Notice: "Retracted " + bad, NoticeURL: "https://doi.org/10.1/" + bad})
	retracted.Refs.Items = []refView{{ID: "64b000000000000000000040", Key: "price2012", Formatted: "<i>Price</i>", Known: true, Health: hv}}
	retracted.Retracted = &retractedWarning{Action: actPublish, Button: "Update anyway", Refs: []retractedItem{{
		retractedRef: retractedRef{ID: "64b000000000000000000040", Key: "price2012", Status: cms.HealthRetracted, Notice: bad},
		Formatted:    "<i>Price</i>", Health: hv}}}
	samples["retracted"] = retracted
	for name, data := range samples {
		t.Run(name, func(t *testing.T) { mustRenderClean(t, vw, tmplEditor, data, true) })
	}
	t.Run("conflict", func(t *testing.T) {
		mustRenderClean(t, vw, tmplEditorConflict, conflictPage{page: pg, Latest: post(cms.StatusDraft, false), Form: form,
			Action: "publish", Diff: diff, TitleChanged: true, ExcerptChanged: true}, true)
	})
	t.Run("revisions", func(t *testing.T) {
		mustRenderClean(t, vw, tmplEditorRevisions, revisionsPage{page: pg, Post: post(cms.StatusDraft, false), Revisions: revs}, true)
	})
	t.Run("diff", func(t *testing.T) {
		rev := &cms.Revision{ID: "64b000000000000000000031", Version: 2, Title: bad, SavedAt: now}
		out := mustRenderClean(t, vw, tmplEditorDiff, diffPage{page: pg, Post: post(cms.StatusDraft, false), Rev: rev, RevBy: bad,
			RevLabel: bad, Fields: []fieldChange{{"Title", bad, "b"}}, Body: diff, BodyChanged: true}, true)
		if !strings.Contains(out, `class="diff-skip"`) || !strings.Contains(out, "<del>&lt;b&gt;bad&lt;/b&gt;</del>") {
			t.Fatalf("diff not folded or not marked:\n%s", out)
		}
	})
	t.Run("preview", func(t *testing.T) {
		img := readmodel.PublicImage{URL: "https://cms.example/media/x/w1600", Srcset: "https://cms.example/media/x/w640 640w", Alt: bad, Width: 10, Height: 5}
		pp := &readmodel.PublicPost{PublicPostSummary: readmodel.PublicPostSummary{Title: bad, Excerpt: bad, PublishedAt: now, Tags: []string{bad},
			Categories: []readmodel.PublicCategoryRef{{Name: bad}}, CoverImage: &img,
			Author: readmodel.PublicAuthor{Name: bad, Title: bad, Bio: bad, PhotoURL: "https://cms.example/media/y/w640"}}}
		mustRenderClean(t, vw, tmplEditorPreview, previewPage{Post: pp, Title: bad, OwnExcerpt: true, HTML: "<p>ok</p>",
			References: []previewRef{{Anchor: "ref-x", HTML: "<i>ok</i>"}}, Pins: []readmodel.PublicPin{{PublicImage: img, Title: bad, SaveURL: "https://www.pinterest.com/x"}},
			CTA:    cms.CallToAction{Heading: bad, Text: bad, ButtonLabel: bad, URL: "https://example.com/book"},
			Status: statusView{Key: "draft", Label: "Draft"}, Unsaved: true, EditURL: "/x"}, false)
	})
}

func mustRenderClean(t *testing.T, vw *html.Engine, name string, data any, layout bool) string {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if layout {
		err = vw.Render(&buf, name, data, views.Layout)
	} else {
		err = vw.Render(&buf, name, data)
	}
	if err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "<!doctype html>") || !strings.Contains(out, "</html>") || strings.Contains(out, "<b>") ||
		strings.Contains(out, "<Owner>") || strings.Contains(out, "<no value>") {
		t.Fatalf("render %s: unexpected output:\n%s", name, out)
	}
	return out
}
