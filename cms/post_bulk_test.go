package cms_test

import (
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestTrashPosts(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc := f.Svc
	ctx := t.Context()
	owner := cmstest.Owner()
	mk := func(title string, status cms.PostStatus) *cms.Post {
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title}, status, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pub, draft, keep, already := mk("Published", cms.StatusPublished), mk("Draft", cms.StatusDraft), mk("Keep", cms.StatusDraft), mk("Already", cms.StatusDraft)
	svc.Refresh(ctx)
	if _, err := svc.TrashPost(ctx, owner, already.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Read.Snapshot().Post(pub.Slug); err != nil {
		t.Fatalf("published post not public before: %v", err)
	}
	n, err := svc.TrashPosts(ctx, owner, []string{pub.ID, draft.ID, already.ID, cms.NewID(), "not-an-id"})
	if err != nil || n != 2 {
		t.Fatalf("TrashPosts = %d, %v; want 2, nil", n, err)
	}
	for p, want := range map[*cms.Post]bool{pub: true, draft: true, keep: false, already: true} {
		got, err := svc.GetPost(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Trashed() != want {
			t.Errorf("%s trashed = %v, want %v", p.Title, got.Trashed(), want)
		}
		if p == pub && got.Status != cms.StatusPublished {
			t.Errorf("trashing changed the status to %s", got.Status)
		}
	}
	if _, _, err := f.Read.Snapshot().Post(pub.Slug); err == nil {
		t.Error("the trashed post is still public")
	}
}
