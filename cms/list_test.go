package cms_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// listEnv is a service and read model over a fresh database, on a clock
// the test moves.
type listEnv struct {
	db    *mongodb.DB
	rm    *readmodel.ReadModel
	svc   *cms.Service
	owner *cms.User
	clock *cmstest.Clock
}

func mustListEnv(tb testing.TB) *listEnv {
	tb.Helper()
	clock := cmstest.NewClock(time.Date(2025, 6, 10, 12, 0, 0, 0, time.UTC))
	f := cmstest.MustService(tb, func(c *cms.ServiceConfig) { c.Now = clock.Now })
	db, rm, svc := f.DB, f.Read, f.Svc
	rm.SetClock(clock.Now)
	if err := rm.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &listEnv{db: db, rm: rm, svc: svc, owner: cmstest.Owner(), clock: clock}
}

// mustPost creates a post, published (dated day days ago) unless draft.
func (e *listEnv) mustPost(tb testing.TB, title string, draft bool, day int) *cms.Post {
	tb.Helper()
	body := "About " + title + "."
	status := cms.StatusPublished
	if draft {
		status = cms.StatusDraft
	}
	p, err := e.svc.ImportPost(context.Background(), e.owner, cms.PostInput{Title: &title, Body: &body}, status, e.clock.Now().AddDate(0, 0, -day))
	if err != nil {
		tb.Fatal(err)
	}
	e.svc.Refresh(context.Background())
	return p
}

// publicSlugs returns the slugs of the posts of the public list slug.
func (e *listEnv) publicSlugs(tb testing.TB, slug string) []string {
	tb.Helper()
	b, err := e.rm.Snapshot().List(slug)
	if err != nil {
		tb.Fatal(err)
	}
	var body struct {
		Data struct {
			Posts []struct{ Slug string }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &body); err != nil {
		tb.Fatal(err)
	}
	out := []string{}
	for _, p := range body.Data.Posts {
		out = append(out, p.Slug)
	}
	return out
}

func mustSlugs(tb testing.TB, what string, got []string, want ...string) {
	tb.Helper()
	if len(want) == 0 {
		want = []string{}
	}
	if len(got) != len(want) {
		tb.Fatalf("%s = %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			tb.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
}

func mustField(tb testing.TB, err error, kind cms.Kind, field string) {
	tb.Helper()
	if !cms.IsKind(err, kind) {
		tb.Fatalf("err = %v, want kind %v", err, kind)
	}
	if field != "" {
		if _, ok := cms.ErrorFields(err)[field]; !ok {
			tb.Fatalf("fields = %v, want %q", cms.ErrorFields(err), field)
		}
	}
}

func TestListKeepsPlace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	a, b, c := e.mustPost(t, "Alpha", false, 3), e.mustPost(t, "Bravo", false, 2), e.mustPost(t, "Charlie", false, 1)
	d := e.mustPost(t, "Delta draft", true, 0)
	featured, err := e.svc.FeaturedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if featured.Slug != cms.FeaturedSlug || featured.Version != 1 {
		t.Fatalf("featured = %+v", featured)
	}
	entries := []cms.ListEntry{{PostID: c.ID}, {PostID: d.ID}, {PostID: a.ID}, {PostID: b.ID}}
	featured, err = e.svc.SetListEntries(ctx, e.owner, featured.ID, entries, featured.Version)
	if err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "featured (draft left out)", e.publicSlugs(t, "featured"), "charlie", "alpha", "bravo")

	if a, err = e.svc.UnpublishPost(ctx, e.owner, a.ID, a.Version); err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "after unpublishing alpha", e.publicSlugs(t, "featured"), "charlie", "bravo")
	if b, err = e.svc.TrashPost(ctx, e.owner, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "after trashing bravo", e.publicSlugs(t, "featured"), "charlie")
	if _, err = e.svc.PublishPost(ctx, e.owner, a.ID, a.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	if _, err = e.svc.RestorePost(ctx, e.owner, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	if _, err = e.svc.PublishPost(ctx, e.owner, d.ID, d.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "after republishing", e.publicSlugs(t, "featured"), "charlie", "delta-draft", "alpha", "bravo")

	// The stored list never lost them, and a fresh instance agrees.
	got, err := e.svc.GetList(ctx, featured.ID)
	if err != nil || len(got.Entries) != 4 || got.Entries[2].PostID != a.ID {
		t.Fatalf("stored entries = %+v, %v", got, err)
	}
	fresh := readmodel.NewReadModel(e.db, cmstest.Logger())
	if err := fresh.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	fb, _ := fresh.Snapshot().List("featured")
	wb, _ := e.rm.Snapshot().List("featured")
	if fb.ETag != wb.ETag {
		t.Errorf("a fresh load differs:\n%s\n%s", fb.Bytes(), wb.Bytes())
	}

	// Add and remove, as the editor's "mark featured" does.
	x := e.mustPost(t, "Extra", false, 0)
	if _, err := e.svc.AddToList(ctx, e.owner, featured.ID, x.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RemoveFromList(ctx, e.owner, featured.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "after add and remove", e.publicSlugs(t, "featured"), "delta-draft", "alpha", "bravo", "extra")
}

func TestListTimeWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	a, b := e.mustPost(t, "Alpha", false, 3), e.mustPost(t, "Bravo", false, 2)
	now := e.clock.Now()
	featured, err := e.svc.FeaturedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.SetListEntries(ctx, e.owner, featured.ID, []cms.ListEntry{
		{PostID: a.ID, Start: now.Add(time.Hour)},
		{PostID: b.ID, End: now.Add(2 * time.Hour)},
	}, featured.Version)
	if err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "before alpha's start", e.publicSlugs(t, "featured"), "bravo")
	if next := e.rm.Snapshot().NextListChange(); !next.Equal(now.Add(time.Hour)) {
		t.Errorf("NextListChange = %v, want %v", next, now.Add(time.Hour))
	}
	if e.rm.RefreshListWindows() {
		t.Error("rebuilt before any boundary passed")
	}
	e.clock.Set(now.Add(90 * time.Minute))
	if !e.rm.RefreshListWindows() {
		t.Fatal("not rebuilt after alpha's start")
	}
	mustSlugs(t, "during both windows", e.publicSlugs(t, "featured"), "alpha", "bravo")
	e.clock.Set(now.Add(3 * time.Hour))
	e.rm.RefreshListWindows()
	mustSlugs(t, "after bravo's end", e.publicSlugs(t, "featured"), "alpha")
	if next := e.rm.Snapshot().NextListChange(); !next.IsZero() {
		t.Errorf("NextListChange = %v, want none", next)
	}
}

func TestListBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	a, b := e.mustPost(t, "Alpha", false, 3), e.mustPost(t, "Bravo", false, 2)
	featured, err := e.svc.FeaturedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	for _, tc := range []struct {
		name    string
		entries []cms.ListEntry
		field   string
	}{
		{"ErrUnknownID", []cms.ListEntry{{PostID: a.ID}, {PostID: cms.NewID()}}, "entries[1].postId"},
		{"ErrMalformedID", []cms.ListEntry{{PostID: "nope"}}, "entries[0].postId"},
		{"ErrDuplicateID", []cms.ListEntry{{PostID: a.ID}, {PostID: b.ID}, {PostID: a.ID}}, "entries[2].postId"},
		{"ErrEndBeforeStart", []cms.ListEntry{{PostID: a.ID, Start: now, End: now.Add(-time.Hour)}}, "entries[0].end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.SetListEntries(ctx, e.owner, featured.ID, tc.entries, featured.Version)
			mustField(t, err, cms.KindInvalid, tc.field)
		})
	}
	t.Run("ErrStaleVersion", func(t *testing.T) {
		_, err := e.svc.SetListEntries(ctx, e.owner, featured.ID, nil, featured.Version+1)
		mustField(t, err, cms.KindConflict, "version")
	})
	t.Run("ErrDeleteFeatured", func(t *testing.T) {
		mustField(t, e.svc.DeleteList(ctx, e.owner, featured.ID), cms.KindInvalid, "id")
	})
	t.Run("ErrRenameFeaturedSlug", func(t *testing.T) {
		slug, v := "picks", featured.Version
		_, err := e.svc.RenameList(ctx, e.owner, featured.ID, cms.ListInput{Slug: &slug, Version: &v})
		mustField(t, err, cms.KindInvalid, "slug")
	})
	t.Run("ErrReservedSlug", func(t *testing.T) {
		name := "Popular"
		_, err := e.svc.CreateList(ctx, e.owner, cms.ListInput{Name: &name})
		mustField(t, err, cms.KindInvalid, "slug")
	})
	if got, _ := e.svc.GetList(ctx, featured.ID); got.Version != featured.Version || len(got.Entries) != 0 {
		t.Errorf("a rejected edit changed the list: %+v", got)
	}
}

func TestListCreateRenameDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	a := e.mustPost(t, "Alpha", false, 1)
	name := "Start here"
	l, err := e.svc.CreateList(ctx, e.owner, cms.ListInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	if l.Slug != "start-here" {
		t.Errorf("slug = %q", l.Slug)
	}
	if _, err := e.svc.CreateList(ctx, e.owner, cms.ListInput{Name: &name}); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("same slug again: %v, want conflict", err)
	}
	if l, err = e.svc.AddToList(ctx, e.owner, l.ID, a.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	newName, newSlug, v := "Newborn basics", "newborn-basics", l.Version
	if l, err = e.svc.RenameList(ctx, e.owner, l.ID, cms.ListInput{Name: &newName, Slug: &newSlug, Version: &v}); err != nil {
		t.Fatal(err)
	}
	mustSlugs(t, "renamed list", e.publicSlugs(t, "newborn-basics"), "alpha")
	if _, err := e.rm.Snapshot().List("start-here"); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("old slug still served: %v", err)
	}
	lists, err := e.svc.ListLists(ctx)
	if err != nil || len(lists) != 2 || lists[0].Slug != "featured" || lists[1].Slug != "newborn-basics" {
		t.Fatalf("ListLists = %+v, %v", lists, err)
	}
	var all struct{ Data []struct{ Slug string } }
	if err := json.Unmarshal(e.rm.Snapshot().Lists().Bytes(), &all); err != nil || len(all.Data) != 2 || all.Data[0].Slug != "featured" {
		t.Errorf("public lists = %s (%v)", e.rm.Snapshot().Lists().Bytes(), err)
	}
	if err := e.svc.DeleteList(ctx, e.owner, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rm.Snapshot().List("newborn-basics"); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("deleted list still served: %v", err)
	}
}

// TestListChangesAsReloaded: a list change is applied to the published
// content from memory (readmodel.ReadModel.ApplyList); what it serves is
// what a read model loading everything from the database serves.
func TestListChangesAsReloaded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	a, b := e.mustPost(t, "Alpha", false, 1), e.mustPost(t, "Beta", false, 2)
	draft := e.mustPost(t, "Gamma", true, 3)
	featured, err := e.svc.FeaturedList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var custom *cms.List
	for _, c := range []struct {
		name   string
		change func() error
	}{
		{"feature", func() error {
			_, err := e.svc.AddToList(ctx, e.owner, featured.ID, a.ID, time.Time{}, e.clock.Now().Add(time.Hour))
			return err
		}},
		{"feature a draft", func() error {
			_, err := e.svc.AddToList(ctx, e.owner, featured.ID, draft.ID, time.Time{}, time.Time{})
			return err
		}},
		{"create a list", func() error {
			custom, err = e.svc.CreateList(ctx, e.owner, cms.ListInput{Name: ptr("Start here")})
			return err
		}},
		{"set its entries", func() error {
			custom, err = e.svc.SetListEntries(ctx, e.owner, custom.ID, []cms.ListEntry{{PostID: b.ID}, {PostID: a.ID}}, custom.Version)
			return err
		}},
		{"rename it", func() error {
			custom, err = e.svc.RenameList(ctx, e.owner, custom.ID, cms.ListInput{Name: ptr("Begin here"), Slug: ptr("begin-here"), Version: &custom.Version})
			return err
		}},
		{"pin a popular post", func() error {
			pop, err := e.svc.PopularSettings(ctx)
			if err != nil {
				return err
			}
			_, err = e.svc.SetPopular(ctx, e.owner, []string{b.ID}, []string{a.ID}, pop.Version)
			return err
		}},
		{"unfeature", func() error {
			_, err := e.svc.RemoveFromList(ctx, e.owner, featured.ID, a.ID)
			return err
		}},
	} {
		if err := c.change(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		fresh := readmodel.NewReadModel(e.db, cmstest.Logger())
		fresh.SetClock(e.clock.Now)
		if err := fresh.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		got, want := e.rm.Snapshot(), fresh.Snapshot()
		if got.Version() != want.Version() {
			t.Errorf("%s: snapshot version %d, want %d", c.name, got.Version(), want.Version())
		}
		if string(got.Lists().Bytes()) != string(want.Lists().Bytes()) {
			t.Errorf("%s: lists\n%s\nwant\n%s", c.name, got.Lists().Bytes(), want.Lists().Bytes())
		}
		for _, slug := range []string{"featured", "popular", "begin-here"} {
			g, gerr := got.List(slug)
			w, werr := want.List(slug)
			if (gerr == nil) != (werr == nil) || gerr == nil && string(g.Bytes()) != string(w.Bytes()) {
				t.Errorf("%s: list %s\n%s (%v)\nwant\n%s (%v)", c.name, slug, bodyJSON(g), gerr, bodyJSON(w), werr)
			}
		}
	}
	mustSlugs(t, "popular", e.publicSlugs(t, "popular"), "beta")
}

func bodyJSON(b *readmodel.Body) string {
	if b == nil {
		return ""
	}
	return string(b.Bytes())
}
