package mongodb_test

import (
	"context"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

func newCategory(name, slug string, position int) *cms.Category {
	return &cms.Category{ID: cms.NewID(), Name: name, Slug: slug, Description: "About " + name,
		Position: position, Version: 1, CreatedAt: t0, UpdatedAt: t0}
}

// MustCreateCategory stores c.
func MustCreateCategory(tb testing.TB, db *mongodb.DB, c *cms.Category) {
	tb.Helper()
	if err := db.CreateCategory(context.Background(), c); err != nil {
		tb.Fatalf("CreateCategory(%q): %v", c.Slug, err)
	}
}

// MustGetCategory reads category id.
func MustGetCategory(tb testing.TB, db *mongodb.DB, id string) *cms.Category {
	tb.Helper()
	c, err := db.GetCategory(context.Background(), id)
	if err != nil {
		tb.Fatalf("GetCategory(%s): %v", id, err)
	}
	return c
}

func TestCategory(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	naps := newCategory("Naps", "naps", 2)
	night := newCategory("Night sleep", "night-sleep", 1)
	bed := newCategory("Bedtime", "bedtime", 2)
	for _, c := range []*cms.Category{naps, night, bed} {
		MustCreateCategory(t, db, c)
	}

	t.Run("Get", func(t *testing.T) {
		MustEqual(t, "GetCategory", MustGetCategory(t, db, naps.ID), naps)
	})
	t.Run("List", func(t *testing.T) {
		got, err := db.ListCategories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "ListCategories", got, []*cms.Category{night, bed, naps})
	})
	t.Run("ErrSlugTaken", func(t *testing.T) {
		err := db.CreateCategory(ctx, newCategory("Naps again", "naps", 0))
		MustKind(t, err, cms.KindConflict, "slug")
	})
	t.Run("ErrIDTaken", func(t *testing.T) {
		c := *naps
		c.Slug = "other"
		MustKind(t, db.CreateCategory(ctx, &c), cms.KindConflict, "id")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.GetCategory(ctx, cms.NewID())
		MustKind(t, err, cms.KindNotFound, "")
		c := newCategory("Ghost", "ghost", 0)
		MustKind(t, db.UpdateCategory(ctx, c, 1), cms.KindNotFound, "")
		MustKind(t, db.DeleteCategory(ctx, c.ID), cms.KindNotFound, "")
	})
}

func TestCategory_Update(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	c := newCategory("Naps", "naps", 2)
	other := newCategory("Other", "other", 0)
	MustCreateCategory(t, db, c)
	MustCreateCategory(t, db, other)

	c.Name, c.Version, c.UpdatedAt = "Daytime naps", 2, t0.Add(time.Minute)
	if err := db.UpdateCategory(ctx, c, 1); err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "GetCategory", MustGetCategory(t, db, c.ID), c)

	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := *c
		stale.Name, stale.Version = "Stale", 2
		MustKind(t, db.UpdateCategory(ctx, &stale, 1), cms.KindConflict, "version")
		MustEqual(t, "GetCategory", MustGetCategory(t, db, c.ID), c)
	})
	t.Run("ErrSlugTaken", func(t *testing.T) {
		taken := *c
		taken.Slug, taken.Version = "other", 3
		MustKind(t, db.UpdateCategory(ctx, &taken, 2), cms.KindConflict, "slug")
	})
	t.Run("Delete", func(t *testing.T) {
		if err := db.DeleteCategory(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.GetCategory(ctx, c.ID)
		MustKind(t, err, cms.KindNotFound, "")
		list, err := db.ListCategories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "ListCategories", list, []*cms.Category{other})
	})
}
