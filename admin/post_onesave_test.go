package admin_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// featuredIDs returns the post ids of the featured list, through the API.
func (e *Env) featuredIDs(tb testing.TB, token string) ([]string, int) {
	tb.Helper()
	var l cms.List
	e.Do(tb, Req{Method: "GET", Path: api + "/lists/featured", Token: token}).MustStatus(tb, 200).Data(tb, &l)
	out := []string{}
	for _, en := range l.Entries {
		out = append(out, en.PostID)
	}
	return out, l.Version
}

// revisionNotes returns the notes of a post's revisions, newest first.
func (e *Env) revisionNotes(tb testing.TB, token, id string) []string {
	tb.Helper()
	var revs []cms.RevisionRef
	e.Do(tb, Req{Method: "GET", Path: api + "/posts/" + id + "/revisions", Token: token}).MustStatus(tb, 200).Data(tb, &revs)
	out := []string{}
	for _, r := range revs {
		out = append(out, r.Note)
	}
	return out
}

// TestPostOneSave: one PATCH carries the fields, the status and the
// featured flag, and makes one version and one revision; the state
// actions go through the same save and answer as before.
func TestPostOneSave(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	p := e.MustPost(t, s.Token, map[string]any{"title": "Split nights", "body": "Draft."})
	path := api + "/posts/" + p.ID

	var got cms.Post
	e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{
		"body": "Final.", "status": "published", "featured": true, "version": p.Version}}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "version", got.Version, p.Version+1)
	MustEqual(t, "status", got.Status, cms.StatusPublished)
	MustEqual(t, "body", got.Body, "Final.")
	MustEqual(t, "revisions", e.revisionNotes(t, s.Token, p.ID), []string{"edited and published", "created"})
	ids, _ := e.featuredIDs(t, s.Token)
	MustEqual(t, "featured", ids, []string{p.ID})

	// Scheduling carries its time; the post stays on the list.
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{
		"status": "scheduled", "publishAt": at.Format(time.RFC3339), "version": got.Version}}).MustStatus(t, 200).Data(t, &got)
	if got.Status != cms.StatusScheduled || !got.PublishAt.Equal(at) || got.Version != p.Version+2 {
		t.Errorf("scheduled: %s at %v, v%d", got.Status, got.PublishAt, got.Version)
	}

	// The state actions of the API answer as before, one revision each.
	e.Do(t, Req{Method: "POST", Path: path + "/publish", Token: s.Token, Body: map[string]any{"version": got.Version}}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "status after /publish", got.Status, cms.StatusPublished)
	e.Do(t, Req{Method: "POST", Path: path + "/unpublish", Token: s.Token}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "status after /unpublish", got.Status, cms.StatusDraft)
	MustEqual(t, "version after the actions", got.Version, p.Version+4)
	MustEqual(t, "revisions after the actions", e.revisionNotes(t, s.Token, p.ID)[:3], []string{"unpublished", "published", "scheduled"})

	// Featured alone: the list changes, the post keeps its version.
	e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{"featured": false, "version": got.Version}}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "version after featured alone", got.Version, p.Version+4)
	ids, _ = e.featuredIDs(t, s.Token)
	MustEqual(t, "featured after taking it off", ids, []string{})
}

// TestPostOneSaveWritesNothing: when any part of a "save and publish +
// featured" is refused, the post, its revisions and the featured list
// are as they were.
func TestPostOneSaveWritesNothing(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	p := e.MustPost(t, s.Token, map[string]any{"title": "Contact naps", "body": "Draft."})
	path := api + "/posts/" + p.ID
	_, listVersion := e.featuredIDs(t, s.Token)
	for _, tc := range []struct {
		name   string
		edit   map[string]any
		status int
		field  string
	}{
		{"ErrTitle", map[string]any{"title": ""}, 400, "title"},
		{"ErrUnresolvedCitation", map[string]any{"body": "As found [@nobody2021]."}, 400, "body"},
		{"ErrStatus", map[string]any{"status": "live"}, 400, "status"},
		{"ErrPublishAtWithoutSchedule", map[string]any{"publishAt": "2099-01-01T00:00:00Z"}, 400, "publishAt"},
		{"ErrPastSchedule", map[string]any{"status": "scheduled", "publishAt": "2001-01-01T00:00:00Z"}, 400, "publishAt"},
		{"ErrBadTime", map[string]any{"status": "scheduled", "publishAt": "tomorrow"}, 400, "publishAt"},
		{"ErrFeaturedType", map[string]any{"featured": "yes"}, 400, "featured"},
		{"ErrStaleVersion", map[string]any{"version": p.Version + 5}, 409, "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"body": "New.", "status": "published", "featured": true, "version": p.Version}
			for k, v := range tc.edit {
				body[k] = v
			}
			e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: body}).MustProblem(t, tc.status, tc.field)
			got := e.MustGetPost(t, s.Token, p.ID)
			if got.Version != p.Version || got.Status != cms.StatusDraft || got.Body != "Draft." {
				t.Errorf("post changed: v%d %s %q", got.Version, got.Status, got.Body)
			}
			MustEqual(t, "revisions", e.revisionNotes(t, s.Token, p.ID), []string{"created"})
			ids, v := e.featuredIDs(t, s.Token)
			MustEqual(t, "featured", ids, []string{})
			MustEqual(t, "featured list version", v, listVersion)
		})
	}
}

// TestEditorOneSave: the editor's Publish with "Featured" checked is one
// save (one revision, one version) that leaves the post public and
// featured; a refused part saves nothing, and no message ever says the
// changes were saved "but".
func TestEditorOneSave(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	p := e.MustPanelPost(t, owner, "Dream feeds", cms.StatusDraft)
	path := "/admin/posts/" + p.ID
	revisions := len(p.Revisions)

	withFeatured := func(form url.Values) url.Values {
		form.Set("featuredField", "1")
		form.Set("featured", "1")
		return form
	}

	t.Run("ErrInvalid", func(t *testing.T) {
		form := withFeatured(editorForm(p, "publish"))
		form.Set("title", "")
		form.Set("body", "Changed.")
		page := b.PostCSRF(t, path, form).MustStatus(t, 422)
		page.MustContain(t, "Nothing was saved").MustNotContain(t, "saved, but")
		got := e.MustStored(t, p.ID)
		if got.Version != p.Version || len(got.Revisions) != revisions || got.Status != cms.StatusDraft {
			t.Errorf("post changed: v%d, %d revisions, %s", got.Version, len(got.Revisions), got.Status)
		}
		if on, err := e.Svc.IsFeatured(t.Context(), p.ID); err != nil || on {
			t.Errorf("featured after a refused save: %v, %v", on, err)
		}
	})

	t.Run("ErrSchedule", func(t *testing.T) {
		form := withFeatured(editorForm(p, "schedule"))
		form.Set("body", "Changed.")
		form.Set("publishAt", "2001-01-01T10:00")
		b.PostCSRF(t, path, form).MustStatus(t, 422).MustContain(t, `id="publishAt-error">Must be in the future.</p>`, "Nothing was saved")
		MustEqual(t, "version", e.MustStored(t, p.ID).Version, p.Version)
		if on, _ := e.Svc.IsFeatured(t.Context(), p.ID); on {
			t.Error("featured after a refused schedule")
		}
	})

	t.Run("OK", func(t *testing.T) {
		form := withFeatured(editorForm(p, "publish"))
		form.Set("body", "The final text.")
		b.PostCSRF(t, path, form).MustRedirect(t, path)
		got := e.MustStored(t, p.ID)
		if got.Version != p.Version+1 || len(got.Revisions) != revisions+1 || got.Revisions[len(got.Revisions)-1].Note != "edited and published" {
			t.Errorf("want one save: v%d→v%d, revisions %+v", p.Version, got.Version, got.Revisions)
		}
		if got.Status != cms.StatusPublished || got.Body != "The final text." {
			t.Errorf("post: %s %q", got.Status, got.Body)
		}
		if on, err := e.Svc.IsFeatured(t.Context(), p.ID); err != nil || !on {
			t.Errorf("featured = %v, %v", on, err)
		}
		b.Get(t, path).MustStatus(t, 200).MustContain(t, "Published. Readers can see it now. Added to the featured list.",
			`id="featured" name="featured" value="1" checked`)
		p = got
	})

	t.Run("UpdateOffTheList", func(t *testing.T) {
		// Update of the published post with the box unchecked: one save.
		form := editorForm(p, "publish")
		form.Set("featuredField", "1")
		form.Set("body", "The final text, revised.")
		b.PostCSRF(t, path, form).MustRedirect(t, path)
		got := e.MustStored(t, p.ID)
		MustEqual(t, "version", got.Version, p.Version+1)
		MustEqual(t, "note", got.Revisions[len(got.Revisions)-1].Note, "edited")
		if on, _ := e.Svc.IsFeatured(t.Context(), p.ID); on {
			t.Error("still featured")
		}
		b.Get(t, path).MustContain(t, "Updated. The changes are live. Taken off the featured list.")
		p = got
	})

	t.Run("UnpublishWithEdits", func(t *testing.T) {
		form := editorForm(p, "unpublish")
		form.Set("body", "Not for readers yet.")
		b.PostCSRF(t, path, form).MustRedirect(t, path)
		got := e.MustStored(t, p.ID)
		if got.Version != p.Version+1 || got.Status != cms.StatusDraft || got.Revisions[len(got.Revisions)-1].Note != "edited and unpublished" {
			t.Errorf("unpublish with edits: v%d %s %+v", got.Version, got.Status, got.Revisions[len(got.Revisions)-1])
		}
		b.Get(t, path).MustContain(t, "Unpublished and saved")
	})
}

// TestEditorCreateOneSave: Publish on a new post with "Featured" checked
// creates it public and featured in one save.
func TestEditorCreateOneSave(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	form := url.Values{"title": {"Sleep regressions"}, "body": {"Text."}, "action": {"publish"}, "featuredField": {"1"}, "featured": {"1"}}
	page := b.PostCSRF(t, "/admin/posts", form).MustStatus(t, 303)
	m := postLocation.FindStringSubmatch(page.Header.Get("Location"))
	if m == nil {
		t.Fatalf("Location = %q", page.Header.Get("Location"))
	}
	got := e.MustStored(t, m[1])
	if got.Status != cms.StatusPublished || got.Version != 1 || len(got.Revisions) != 1 {
		t.Errorf("created: %s v%d, %d revisions", got.Status, got.Version, len(got.Revisions))
	}
	l, err := e.Svc.FeaturedList(t.Context())
	if err != nil || !slices.ContainsFunc(l.Entries, func(en cms.ListEntry) bool { return en.PostID == got.ID }) {
		t.Errorf("featured list %+v, %v", l, err)
	}
	b.Get(t, "/admin/posts/"+got.ID).MustContain(t, "Published. Readers can see it now. Added to the featured list.")
}
