package cms_test

import (
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestImportPostOneSave: an imported post, in any status it takes, is one
// save: version 1 and one revision, as a created post, with the given
// publication time; a scheduled status is refused and nothing is stored.
func TestImportPostOneSave(t *testing.T) {
	t.Parallel()
	svc := mustService(t)
	ctx := t.Context()
	owner := cmstest.Owner()
	at := time.Date(2024, 3, 9, 8, 30, 0, 0, time.UTC)
	for _, status := range []cms.PostStatus{cms.StatusPublished, cms.StatusDraft, cms.StatusArchived} {
		title := "Imported " + string(status)
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Body: ptr("Text.")}, status, at)
		if err != nil {
			t.Fatalf("%s: %v", status, err)
		}
		got, err := svc.GetPost(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		revs, err := svc.ListRevisions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != status || got.Version != 1 || len(revs) != 1 || revs[0].Version != 1 || revs[0].Note != "created" {
			t.Errorf("%s: status %s, version %d, revisions %+v; want one revision, version 1", status, got.Status, got.Version, revs)
		}
		if status == cms.StatusPublished && !got.PublishedAt.Equal(at) {
			t.Errorf("published at %v, want %v", got.PublishedAt, at)
		}
	}
	now, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: ptr("Now")}, cms.StatusPublished, time.Time{})
	if err != nil || now.PublishedAt.IsZero() || now.Version != 1 {
		t.Errorf("published now: %+v, %v", now, err)
	}
	if _, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: ptr("Later")}, cms.StatusScheduled, at); cms.ErrorFields(err)["status"] == "" {
		t.Errorf("scheduled import: %v, want Invalid naming status", err)
	}
}

// TestImportSaves: an Import reads which sources are in once and saves
// each item as SaveImported does: new sources are created, known ones
// updated in place, also when the post was edited or deleted for good
// after the import started. Readers hear of the saves when it refreshes,
// not after each one.
func TestImportSaves(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc, ctx, owner := f.Svc, t.Context(), cmstest.Owner()
	published := cms.StatusPublished
	item := func(title string) cms.PostInput {
		return cms.PostInput{Title: ptr(title), Body: ptr("Text of " + title + "."), Status: &published}
	}
	edited, _, err := svc.SaveImported(ctx, owner, "test:1", time.Time{}, item("One"))
	if err != nil {
		t.Fatal(err)
	}
	gone, _, err := svc.SaveImported(ctx, owner, "test:2", time.Time{}, item("Two"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := svc.StartImport(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Has("test:1") || !run.Has("test:2") || run.Has("test:3") {
		t.Errorf("Has: test:1 %v, test:2 %v, test:3 %v; want true, true, false", run.Has("test:1"), run.Has("test:2"), run.Has("test:3"))
	}
	// Changed behind the import's back: edited, and deleted for good.
	if _, err := svc.UpdatePost(ctx, owner, edited.ID, cms.PostInput{Excerpt: ptr("Edited."), Version: &edited.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TrashPost(ctx, owner, gone.ID, gone.Version); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeletePost(ctx, owner, gone.ID); err != nil {
		t.Fatal(err)
	}
	postsBefore, err := f.DB.PostsVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		source, title string
		created       bool
		id            string
	}{{"test:1", "One again", false, edited.ID}, {"test:2", "Two again", true, ""}, {"test:3", "Three", true, ""}, {"test:3", "Three again", false, ""}} {
		p, created, err := run.Save(ctx, c.source, time.Time{}, item(c.title))
		if err != nil {
			t.Fatalf("%s: %v", c.source, err)
		}
		if created != c.created || c.id != "" && p.ID != c.id || p.Title != c.title || p.Source != c.source {
			t.Errorf("%s: %q (id %s, source %s), created %v; want %q, created %v, id %q", c.source, p.Title, p.ID, p.Source, created, c.title, c.created, c.id)
		}
	}
	all, total, err := svc.ListPosts(ctx, cms.PostFilter{})
	if err != nil || total != 3 {
		t.Fatalf("%d posts (%v), want 3: one per source", total, err)
	}
	// Nothing announced yet: the posts version has not moved, and the
	// site shows none of the saves.
	if v, err := f.DB.PostsVersion(ctx); err != nil || v != postsBefore {
		t.Errorf("posts version %d (%v) during the import, want %d", v, err, postsBefore)
	}
	if _, _, err := f.Read.Snapshot().Post("three"); err == nil {
		t.Error("an imported post is public before the import refreshed")
	}
	run.Refresh(ctx)
	if v, err := f.DB.PostsVersion(ctx); err != nil || v <= postsBefore {
		t.Errorf("posts version %d (%v) after Refresh, want more than %d", v, err, postsBefore)
	}
	for _, p := range all {
		if _, _, err := f.Read.Snapshot().Post(p.Slug); err != nil {
			t.Errorf("%s after Refresh: %v", p.Slug, err)
		}
	}
}
