package cms_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestPendingEdit: the edits of a published post are saved as its
// pending edit, which readers never see; Update (PublishPending)
// publishes it in one save and drops it; both versions guard it; a
// pending edit equal to the post is dropped; Discard drops it.
func TestPendingEdit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, db, rm := mustServiceParts(t)
	owner := cmstest.Owner()
	publicHTML := func() string {
		t.Helper()
		b, _, err := rm.Snapshot().Post("naps")
		if err != nil {
			t.Fatal(err)
		}
		return string(b.Bytes())
	}

	draft, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: ptr("Naps"), Body: ptr("Old text."), Tags: &[]string{"naps"}})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := svc.PublishPost(ctx, owner, draft.ID, draft.Version, cms.Confirmed{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.GetPending(ctx, pub.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Fatalf("pending of a fresh post: %v, want NotFound", err)
	}
	if _, err := svc.SavePending(ctx, owner, draft.ID, cms.PostInput{Body: ptr("x")}, 0); cms.ErrorFields(err)["version"] == "" {
		t.Errorf("without version: %v", err)
	}

	edit := cms.PostInput{Title: ptr("Naps"), Body: ptr("New text [@later2024]."), Tags: &[]string{"naps", "toddlers"}, Version: &pub.Version}
	e, err := svc.SavePending(ctx, owner, pub.ID, edit, 0)
	if err != nil {
		t.Fatalf("save pending: %v", err)
	}
	if e.Version != 1 || e.BaseVersion != pub.Version || !slices.Equal(e.UnresolvedCitations, []string{"later2024"}) {
		t.Errorf("pending = %+v", e)
	}
	got, err := svc.GetPending(ctx, pub.ID)
	if err != nil || got.Stale || got.Input.Body == nil || *got.Input.Body != "New text [@later2024]." ||
		got.Input.Tags == nil || !slices.Equal(*got.Input.Tags, []string{"naps", "toddlers"}) || got.Input.Excerpt != nil || got.SavedBy != owner.ID {
		t.Fatalf("stored pending = %+v, %v", got, err)
	}
	if p, _ := svc.GetPost(ctx, pub.ID); p.Body != "Old text." || p.Version != pub.Version {
		t.Errorf("the post changed: %q v%d", p.Body, p.Version)
	}
	if h := publicHTML(); !strings.Contains(h, "Old text.") || strings.Contains(h, "New text") {
		t.Errorf("public post shows the pending edit: %s", h)
	}

	// The guards: a second "first" save, a stale pending version, a stale
	// post version, a post that is not published.
	if _, err := svc.SavePending(ctx, owner, pub.ID, edit, 0); cms.ErrorFields(err)["pendingVersion"] == "" {
		t.Errorf("second first save: %v, want a conflict naming pendingVersion", err)
	}
	if _, err := svc.SavePending(ctx, owner, pub.ID, edit, 7); cms.ErrorFields(err)["pendingVersion"] == "" {
		t.Errorf("wrong pending version: %v", err)
	}
	old := pub.Version - 1
	if _, err := svc.SavePending(ctx, owner, pub.ID, cms.PostInput{Body: ptr("x"), Version: &old}, 1); cms.ErrorFields(err)["version"] == "" {
		t.Errorf("stale post version: %v", err)
	}
	other, _ := svc.CreatePost(ctx, owner, cms.PostInput{Title: ptr("Draft")})
	if _, err := svc.SavePending(ctx, owner, other.ID, cms.PostInput{Body: ptr("x"), Version: &other.Version}, 0); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("pending edit of a draft: %v, want a conflict", err)
	}
	bad := cms.PostInput{Title: ptr(strings.Repeat("x", 201)), Version: &pub.Version}
	if _, err := svc.SavePending(ctx, owner, pub.ID, bad, 1); cms.ErrorFields(err)["title"] == "" {
		t.Errorf("bad title: %v", err)
	}

	// Update is refused while a citation is unresolved.
	if _, err := svc.PublishPending(ctx, owner, pub.ID, 1, cms.Confirmed{}); !strings.Contains(cms.ErrorFields(err)["body"], "@later2024") {
		t.Fatalf("publish with an unresolved key: %v", err)
	}
	edit.Body = ptr("New text.")
	if e, err = svc.SavePending(ctx, owner, pub.ID, edit, 1); err != nil || e.Version != 2 || len(e.UnresolvedCitations) != 0 {
		t.Fatalf("second save: %+v, %v", e, err)
	}
	if _, err := svc.PublishPending(ctx, owner, pub.ID, 1, cms.Confirmed{}); cms.ErrorFields(err)["pendingVersion"] == "" {
		t.Errorf("publish a stale pending version: %v", err)
	}
	up, err := svc.PublishPending(ctx, owner, pub.ID, 2, cms.Confirmed{})
	if err != nil {
		t.Fatalf("publish pending: %v", err)
	}
	if up.Body != "New text." || up.Version != pub.Version+1 || !slices.Equal(up.Tags, []string{"naps", "toddlers"}) || !up.Public() {
		t.Errorf("after Update: %+v", up)
	}
	if h := publicHTML(); !strings.Contains(h, "New text.") {
		t.Errorf("public post after Update: %s", h)
	}
	if _, err := db.GetPending(ctx, pub.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending after Update: %v, want it dropped", err)
	}

	// A pending edit that changes nothing is dropped.
	same := cms.PostInput{Title: ptr("Naps"), Body: ptr("New text."), Tags: &[]string{"naps", "toddlers"}, Version: &up.Version}
	if e, err := svc.SavePending(ctx, owner, up.ID, cms.PostInput{Body: ptr("Other."), Version: &up.Version}, 0); err != nil || e == nil {
		t.Fatalf("save: %v", err)
	}
	if e, err := svc.SavePending(ctx, owner, up.ID, same, 1); err != nil || e != nil {
		t.Errorf("an edit equal to the post: %+v, %v; want it dropped", e, err)
	}
	if _, err := db.GetPending(ctx, up.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending after an edit equal to the post: %v", err)
	}

	// Discard; and a pending edit made stale by another save.
	if _, err := svc.SavePending(ctx, owner, up.ID, cms.PostInput{Body: ptr("Discard me."), Version: &up.Version}, 0); err != nil {
		t.Fatal(err)
	}
	if err := svc.DiscardPending(ctx, owner, up.ID, 2); cms.ErrorFields(err)["pendingVersion"] == "" {
		t.Errorf("discard a stale version: %v", err)
	}
	if err := svc.DiscardPending(ctx, owner, up.ID, 1); err != nil {
		t.Errorf("discard: %v", err)
	}
	if err := svc.DiscardPending(ctx, owner, up.ID, 0); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("discard again: %v, want NotFound", err)
	}
	if _, err := svc.SavePending(ctx, owner, up.ID, cms.PostInput{Body: ptr("Made on v3."), Version: &up.Version}, 0); err != nil {
		t.Fatal(err)
	}
	later, err := svc.UpdatePost(ctx, owner, up.ID, cms.PostInput{Excerpt: ptr("Changed elsewhere."), Version: &up.Version})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.GetPending(ctx, up.ID); err != nil || !got.Stale {
		t.Errorf("pending after another save: %+v, %v; want stale", got, err)
	}
	if _, err := svc.PublishPending(ctx, owner, up.ID, 0, cms.Confirmed{}); cms.ErrorFields(err)["version"] == "" {
		t.Errorf("publish a stale pending edit: %v, want a version conflict", err)
	}
	if p, _ := svc.GetPost(ctx, up.ID); p.Version != later.Version || p.Body != "New text." {
		t.Errorf("a refused Update changed the post: v%d %q", p.Version, p.Body)
	}

	// Deleting the post deletes its pending edit.
	tr, _ := svc.TrashPost(ctx, owner, up.ID, 0)
	if err := svc.DeletePost(ctx, owner, tr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetPending(ctx, up.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending of a deleted post: %v", err)
	}
}
