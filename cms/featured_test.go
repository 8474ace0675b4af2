package cms_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// oneSaveEnv is a service, its store and read model, an owner, and a
// draft to save.
type oneSaveEnv struct {
	svc   *cms.Service
	db    *mongodb.DB
	rm    *readmodel.ReadModel
	owner *cms.User
	draft *cms.Post
}

func mustOneSaveEnv(tb testing.TB) *oneSaveEnv {
	tb.Helper()
	svc, db, rm := mustServiceParts(tb)
	e := &oneSaveEnv{svc: svc, db: db, rm: rm, owner: cmstest.Owner()}
	var err error
	if e.draft, err = svc.CreatePost(tb.Context(), e.owner, cms.PostInput{Title: ptr("Early mornings"), Body: ptr("First draft.")}); err != nil {
		tb.Fatal(err)
	}
	if err := rm.Reload(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return e
}

// publishAndFeature is "Save and publish" with the Featured box checked.
func (e *oneSaveEnv) publishAndFeature(body string, version int) cms.PostInput {
	published, on := cms.StatusPublished, true
	return cms.PostInput{Body: &body, Status: &published, Featured: &on, Version: &version}
}

// stored returns what the database holds of the post and of the
// featured list, read as a fresh process would (no settling).
func (e *oneSaveEnv) stored(tb testing.TB) (*cms.Post, *cms.List) {
	tb.Helper()
	p, err := e.db.GetPost(tb.Context(), e.draft.ID)
	if err != nil {
		tb.Fatal(err)
	}
	l, err := e.db.GetListBySlug(tb.Context(), cms.FeaturedSlug)
	if cms.IsKind(err, cms.KindNotFound) {
		return p, &cms.List{}
	}
	if err != nil {
		tb.Fatal(err)
	}
	return p, l
}

func entryIDs(l *cms.List) []string {
	out := []string{}
	for _, e := range l.Entries {
		out = append(out, e.PostID)
	}
	return out
}

// freshFeatured is the public featured list as a process that starts
// now serves it.
func (e *oneSaveEnv) freshFeatured(tb testing.TB) []string {
	tb.Helper()
	rm := readmodel.NewReadModel(e.db, cmstest.Logger())
	if err := rm.Reload(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return (&listEnv{rm: rm}).publicSlugs(tb, cms.FeaturedSlug)
}

// TestOneSave: "save and publish" with the post featured is one save:
// one version, one revision, the post public and on the featured list,
// publicly and for the admin.
func TestOneSave(t *testing.T) {
	t.Parallel()
	e := mustOneSaveEnv(t)
	ctx := t.Context()
	p, err := e.svc.UpdatePost(ctx, e.owner, e.draft.ID, e.publishAndFeature("Final text.", e.draft.Version))
	if err != nil {
		t.Fatal(err)
	}
	stored, list := e.stored(t)
	if stored.Version != e.draft.Version+1 || p.Version != stored.Version {
		t.Errorf("version %d (returned %d), want %d", stored.Version, p.Version, e.draft.Version+1)
	}
	if n := len(stored.Revisions); n != len(e.draft.Revisions)+1 || stored.Revisions[n-1].Note != "edited and published" {
		t.Errorf("revisions %+v, want one more, \"edited and published\"", stored.Revisions)
	}
	if stored.Status != cms.StatusPublished || stored.Body != "Final text." || stored.PublishedAt.IsZero() {
		t.Errorf("stored post: %s %q published at %v", stored.Status, stored.Body, stored.PublishedAt)
	}
	if !slices.Equal(entryIDs(list), []string{p.ID}) || len(list.Pending) != 0 {
		t.Errorf("featured list: entries %v, pending %+v; want the post, settled", entryIDs(list), list.Pending)
	}
	mustSlugs(t, "public featured list", (&listEnv{rm: e.rm}).publicSlugs(t, cms.FeaturedSlug), "early-mornings")
	if on, err := e.svc.IsFeatured(ctx, p.ID); err != nil || !on {
		t.Errorf("IsFeatured = %v, %v", on, err)
	}

	// Taken off the list and unpublished in one save as well.
	draft, off := cms.StatusDraft, false
	p, err = e.svc.UpdatePost(ctx, e.owner, p.ID, cms.PostInput{Status: &draft, Featured: &off, Version: &p.Version})
	if err != nil {
		t.Fatal(err)
	}
	stored, list = e.stored(t)
	if stored.Version != e.draft.Version+2 || stored.Status != cms.StatusDraft || stored.Revisions[len(stored.Revisions)-1].Note != "unpublished" {
		t.Errorf("after unpublishing: v%d %s %+v", stored.Version, stored.Status, stored.Revisions)
	}
	if len(list.Entries) != 0 {
		t.Errorf("featured list after taking it off: %v", entryIDs(list))
	}

	// Featured alone saves the list alone: the post keeps its version.
	on := true
	if p, err = e.svc.UpdatePost(ctx, e.owner, p.ID, cms.PostInput{Featured: &on, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	stored, list = e.stored(t)
	if stored.Version != e.draft.Version+2 || !slices.Equal(entryIDs(list), []string{p.ID}) {
		t.Errorf("featured alone: v%d, list %v", stored.Version, entryIDs(list))
	}
}

// TestOneSaveWritesNothingOnError: a problem in any part of the save (the
// fields, the publishing rules, the schedule, a stale version) leaves the
// post, its revisions and the featured list as they were.
func TestOneSaveWritesNothingOnError(t *testing.T) {
	t.Parallel()
	e := mustOneSaveEnv(t)
	ctx := t.Context()
	scheduled, bogus := cms.StatusScheduled, cms.PostStatus("live")
	past := time.Now().Add(-time.Hour)
	for _, tc := range []struct {
		name  string
		edit  func(in *cms.PostInput)
		kind  cms.Kind
		field string
	}{
		{"ErrTitle", func(in *cms.PostInput) { in.Title = ptr("") }, cms.KindInvalid, "title"},
		{"ErrUnresolvedCitation", func(in *cms.PostInput) { in.Body = ptr("As shown [@nobody2020].") }, cms.KindInvalid, "body"},
		{"ErrStatus", func(in *cms.PostInput) { in.Status = &bogus }, cms.KindInvalid, "status"},
		{"ErrPastSchedule", func(in *cms.PostInput) { in.Status, in.PublishAt = &scheduled, &past }, cms.KindInvalid, "publishAt"},
		{"ErrScheduleWithoutTime", func(in *cms.PostInput) { in.Status = &scheduled }, cms.KindInvalid, "publishAt"},
		{"ErrStaleVersion", func(in *cms.PostInput) { in.Version = ptr(e.draft.Version + 3) }, cms.KindConflict, "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			beforePost, beforeList := e.stored(t)
			in := e.publishAndFeature("New text.", e.draft.Version)
			tc.edit(&in)
			_, err := e.svc.UpdatePost(ctx, e.owner, e.draft.ID, in)
			mustField(t, err, tc.kind, tc.field)
			afterPost, afterList := e.stored(t)
			if afterPost.Version != beforePost.Version || len(afterPost.Revisions) != len(beforePost.Revisions) ||
				afterPost.Body != beforePost.Body || afterPost.Status != beforePost.Status {
				t.Errorf("post changed: v%d→v%d, %d→%d revisions, %q, %s", beforePost.Version, afterPost.Version,
					len(beforePost.Revisions), len(afterPost.Revisions), afterPost.Body, afterPost.Status)
			}
			if afterList.Version != beforeList.Version || len(afterList.Entries) != 0 || len(afterList.Pending) != 0 {
				t.Errorf("featured list changed: v%d→v%d, entries %v, pending %+v", beforeList.Version, afterList.Version,
					entryIDs(afterList), afterList.Pending)
			}
		})
	}
}

// TestOneSaveCrash stops "save and publish + featured" between its
// writes, as if the process died there, with the real store: what a
// fresh process serves is never half of the save, and the next action
// converges.
func TestOneSaveCrash(t *testing.T) {
	t.Parallel()

	t.Run("AfterCommit", func(t *testing.T) {
		t.Parallel()
		e := mustOneSaveEnv(t)
		ctx := t.Context()
		cms.SetCrash(e.svc, func(step string) bool { return step == "committed" })
		if _, err := e.svc.UpdatePost(ctx, e.owner, e.draft.ID, e.publishAndFeature("Final text.", e.draft.Version)); err != cms.ErrCrashed {
			t.Fatalf("save: %v, want the crash", err)
		}
		// The post is saved; the list only carries the mark.
		stored, list := e.stored(t)
		if stored.Status != cms.StatusPublished || stored.Version != e.draft.Version+1 || len(list.Entries) != 0 || len(list.Pending) != 1 {
			t.Fatalf("after the crash: post %s v%d, list %v pending %+v", stored.Status, stored.Version, entryIDs(list), list.Pending)
		}
		// A fresh process serves the post featured, without writing.
		mustSlugs(t, "public featured list of a fresh process", e.freshFeatured(t), "early-mornings")
		if _, l := e.stored(t); len(l.Pending) != 1 {
			t.Errorf("loading the read model wrote the list: %+v", l)
		}
		// The admin of a fresh process sees it featured, and the list is
		// settled on that read.
		fresh := cmstest.MustServiceOn(t, e.db).Svc
		if on, err := fresh.IsFeatured(ctx, e.draft.ID); err != nil || !on {
			t.Errorf("IsFeatured after the crash = %v, %v", on, err)
		}
		if _, l := e.stored(t); !slices.Equal(entryIDs(l), []string{e.draft.ID}) || len(l.Pending) != 0 {
			t.Errorf("settled list: %v, pending %+v", entryIDs(l), l.Pending)
		}
	})

	t.Run("BeforeCommit", func(t *testing.T) {
		t.Parallel()
		e := mustOneSaveEnv(t)
		ctx := t.Context()
		cms.SetCrash(e.svc, func(step string) bool { return step == "marked" })
		if _, err := e.svc.UpdatePost(ctx, e.owner, e.draft.ID, e.publishAndFeature("Final text.", e.draft.Version)); err != cms.ErrCrashed {
			t.Fatalf("save: %v, want the crash", err)
		}
		stored, list := e.stored(t)
		if stored.Version != e.draft.Version || stored.Status != cms.StatusDraft || len(list.Entries) != 0 || len(list.Pending) != 1 {
			t.Fatalf("after the crash: post %s v%d, list %v pending %+v", stored.Status, stored.Version, entryIDs(list), list.Pending)
		}
		// Nothing of the save shows: not the post, not the list.
		mustSlugs(t, "public featured list of a fresh process", e.freshFeatured(t))
		if on, err := e.svc.IsFeatured(ctx, e.draft.ID); err != nil || on {
			t.Errorf("IsFeatured = %v, %v; want false", on, err)
		}
		// She saves again: that save goes through whole, and the lost
		// mark of the first is dropped.
		cms.SetCrash(e.svc, nil)
		if _, err := e.svc.UpdatePost(ctx, e.owner, e.draft.ID, e.publishAndFeature("Final text.", e.draft.Version)); err != nil {
			t.Fatal(err)
		}
		stored, list = e.stored(t)
		if stored.Version != e.draft.Version+1 || !slices.Equal(entryIDs(list), []string{e.draft.ID}) || len(list.Pending) != 0 {
			t.Errorf("after saving again: v%d, list %v, pending %+v", stored.Version, entryIDs(list), list.Pending)
		}
		mustSlugs(t, "public featured list", e.freshFeatured(t), "early-mornings")
	})

	t.Run("NewPost", func(t *testing.T) {
		t.Parallel()
		e := mustOneSaveEnv(t)
		ctx := context.Background()
		cms.SetCrash(e.svc, func(step string) bool { return step == "committed" })
		published, on := cms.StatusPublished, true
		_, err := e.svc.CreatePost(ctx, e.owner, cms.PostInput{Title: ptr("Nap gaps"), Body: ptr("Text."), Status: &published, Featured: &on})
		if err != cms.ErrCrashed {
			t.Fatalf("create: %v, want the crash", err)
		}
		mustSlugs(t, "public featured list of a fresh process", e.freshFeatured(t), "nap-gaps")
	})
}

// TestOneSaveLostMarkExpires: a save that died before its commit leaves
// a mark no later save of the post replaces; it is dropped once it is
// older than any save takes, and never counted meanwhile.
func TestOneSaveLostMarkExpires(t *testing.T) {
	t.Parallel()
	e := mustListEnv(t)
	ctx := t.Context()
	cms.SetCrash(e.svc, func(step string) bool { return step == "marked" })
	published, on := cms.StatusPublished, true
	if _, err := e.svc.CreatePost(ctx, e.owner, cms.PostInput{Title: ptr("Nap gaps"), Status: &published, Featured: &on}); err != cms.ErrCrashed {
		t.Fatalf("create: %v, want the crash", err)
	}
	pending := func() int {
		l, err := e.db.GetListBySlug(ctx, cms.FeaturedSlug)
		if err != nil {
			t.Fatal(err)
		}
		return len(l.Pending)
	}
	e.clock.Set(e.clock.Now().Add(5 * time.Minute))
	if l, err := e.svc.FeaturedList(ctx); err != nil || len(l.Entries) != 0 || pending() != 1 {
		t.Fatalf("after 5 minutes: %+v, %v, %d marks stored", l, err, pending())
	}
	e.clock.Set(e.clock.Now().Add(6 * time.Minute))
	if l, err := e.svc.FeaturedList(ctx); err != nil || len(l.Entries) != 0 || len(l.Pending) != 0 || pending() != 0 {
		t.Fatalf("after 11 minutes: %+v, %v, %d marks stored", l, err, pending())
	}
}
