package mongodb_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestList_CRUD(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	p, rev := newPost("Naps", "naps", t0)
	if err := db.CreatePost(ctx, p, rev); err != nil {
		t.Fatal(err)
	}
	l := &cms.List{ID: cms.NewID(), Slug: "start-here", Name: "Start here", Version: 1, CreatedAt: t0, UpdatedAt: t0,
		Entries: []cms.ListEntry{{PostID: p.ID, Start: t0, End: t0.AddDate(0, 0, 7)}, {PostID: cms.NewID()}}}
	if err := db.CreateList(ctx, l); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetList(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, l) {
		t.Errorf("GetList:\n got: %+v\nwant: %+v", got, l)
	}
	if bySlug, err := db.GetListBySlug(ctx, "start-here"); err != nil || bySlug.ID != l.ID {
		t.Errorf("GetListBySlug = %+v, %v", bySlug, err)
	}

	t.Run("ErrSlugTaken", func(t *testing.T) {
		dup := &cms.List{ID: cms.NewID(), Slug: "start-here", Name: "Again", Version: 1, CreatedAt: t0, UpdatedAt: t0}
		err := db.CreateList(ctx, dup)
		if !cms.IsKind(err, cms.KindConflict) || cms.ErrorFields(err)["slug"] == "" {
			t.Errorf("err = %v, want a conflict naming slug", err)
		}
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := *l
		stale.Version = 3
		if err := db.UpdateList(ctx, &stale, 2); !cms.IsKind(err, cms.KindConflict) {
			t.Errorf("err = %v, want conflict", err)
		}
	})
	t.Run("Update", func(t *testing.T) {
		l.Entries = l.Entries[:1]
		l.Version = 2
		if err := db.UpdateList(ctx, l, 1); err != nil {
			t.Fatal(err)
		}
		all, err := db.ListLists(ctx)
		if err != nil || len(all) != 1 || len(all[0].Entries) != 1 || all[0].Version != 2 {
			t.Errorf("ListLists = %+v, %v", all, err)
		}
	})
	t.Run("PostStates", func(t *testing.T) {
		states, err := db.PostStates(ctx, []string{p.ID, cms.NewID(), "bad"})
		if err != nil {
			t.Fatal(err)
		}
		if len(states) != 1 || states[p.ID].Status != cms.StatusDraft || states[p.ID].Trashed {
			t.Errorf("PostStates = %+v", states)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := db.DeleteList(ctx, l.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetList(ctx, l.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if err := db.DeleteList(ctx, l.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}
