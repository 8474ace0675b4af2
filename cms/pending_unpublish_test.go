package cms_test

import (
	"context"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestPendingEditWhenUnpublished: a published post going to draft (or
// archived) by a bare status change takes its pending edit into that
// save, one version and one revision; a pending edit that would overwrite
// something (a later version, the save's own fields) or go public unseen
// (scheduled, trashed) is kept, and RestorePending saves it over the
// unpublished post.
func TestPendingEditWhenUnpublished(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := mustService(t)
	owner := &cms.User{ID: cms.NewID(), Role: cms.RoleOwner}
	published := func(title string) *cms.Post {
		t.Helper()
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Body: ptr("Published text.")}, cms.StatusPublished, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SavePending(ctx, owner, p.ID, cms.PostInput{Body: ptr("Autosaved words."), Version: &p.Version}, 0); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pendingKept := func(name string, p *cms.Post) {
		t.Helper()
		if _, err := svc.GetPending(ctx, p.ID); err != nil {
			t.Errorf("%s: the pending edit was not kept: %v", name, err)
		}
	}

	// Folded: one save, her words are the draft's.
	for _, to := range []struct {
		status cms.PostStatus
		move   func(context.Context, *cms.User, string, int) (*cms.Post, error)
		note   string
	}{{cms.StatusDraft, svc.UnpublishPost, "edited and unpublished"}, {cms.StatusArchived, svc.ArchivePost, "edited and archived"}} {
		p := published("Folded " + string(to.status))
		got, err := to.move(ctx, owner, p.ID, p.Version)
		if err != nil {
			t.Fatalf("%s: %v", to.status, err)
		}
		revs, _ := svc.ListRevisions(ctx, p.ID)
		if got.Status != to.status || got.Body != "Autosaved words." || got.Version != p.Version+1 || len(revs) != 2 || revs[0].Note != to.note {
			t.Errorf("%s: %s %q v%d, revisions %+v", to.status, got.Status, got.Body, got.Version, revs)
		}
		if stored, _ := svc.GetPost(ctx, p.ID); stored.Body != "Autosaved words." {
			t.Errorf("%s: stored body %q", to.status, stored.Body)
		}
		if _, err := svc.GetPending(ctx, p.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("%s: pending edit after folding: %v, want NotFound", to.status, err)
		}
	}

	// Kept: made on an older version.
	stale := published("Stale")
	newer, err := svc.UpdatePost(ctx, owner, stale.ID, cms.PostInput{Excerpt: ptr("Changed since."), Version: &stale.Version})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := svc.UnpublishPost(ctx, owner, stale.ID, newer.Version); err != nil || got.Body != "Published text." {
		t.Fatalf("unpublish stale: %+v, %v", got, err)
	}
	pendingKept("stale", stale)
	if _, err := svc.RestorePending(ctx, owner, stale.ID, 5); cms.ErrorFields(err)["pendingVersion"] == "" {
		t.Errorf("restore at a wrong pending version: %v", err)
	}
	restored, err := svc.RestorePending(ctx, owner, stale.ID, 1)
	if err != nil || restored.Body != "Autosaved words." || restored.Excerpt != "Changed since." || restored.Status != cms.StatusDraft || restored.Version != newer.Version+2 {
		t.Fatalf("restore: %+v, %v", restored, err)
	}
	if _, err := svc.GetPending(ctx, stale.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("pending edit after restoring: %v, want NotFound", err)
	}

	// Kept: the save has fields of its own.
	own := published("Own fields")
	draft := cms.StatusDraft
	if got, err := svc.UpdatePost(ctx, owner, own.ID, cms.PostInput{Title: ptr("Renamed"), Status: &draft, Version: &own.Version}); err != nil || got.Body != "Published text." {
		t.Fatalf("unpublish with fields: %+v, %v", got, err)
	}
	pendingKept("own fields", own)

	// Kept: scheduled (it would go public unseen).
	sched := published("Scheduled")
	if got, err := svc.SchedulePost(ctx, owner, sched.ID, sched.Version, time.Now().Add(time.Hour), cms.Confirmed{}); err != nil || got.Body != "Published text." {
		t.Fatalf("schedule: %+v, %v", got, err)
	}
	pendingKept("scheduled", sched)

	// Kept: trashed; it cannot be restored into the trash, nor into a
	// published post (Update publishes it).
	trashed := published("Trashed")
	if _, err := svc.TrashPost(ctx, owner, trashed.ID, trashed.Version); err != nil {
		t.Fatal(err)
	}
	pendingKept("trashed", trashed)
	if _, err := svc.RestorePending(ctx, owner, trashed.ID, 0); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("restore into a trashed post: %v, want Conflict", err)
	}
	public := published("Public")
	if _, err := svc.RestorePending(ctx, owner, public.ID, 0); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("restore into a published post: %v, want Conflict", err)
	}
	if p, _ := svc.GetPost(ctx, public.ID); p.Body != "Published text." || p.Version != public.Version {
		t.Errorf("refused restore changed the post: %+v", p)
	}
}
