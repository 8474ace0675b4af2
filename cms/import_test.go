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
