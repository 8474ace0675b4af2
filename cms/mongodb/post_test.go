package mongodb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestPost_CreateGet(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	p, rev := newPost("Why infants wake", "why-infants-wake", t0)
	p.Tags = []string{"Sleep", "newborn"}
	p.CategoryIDs = []string{cms.NewID()}
	p.PublishAt = t0.Add(time.Hour)
	p.Status = cms.StatusScheduled
	MustCreatePost(t, db, p, rev)

	t.Run("OK", func(t *testing.T) {
		MustEqual(t, "GetPost", MustGetPost(t, db, p.ID), p)
	})
	t.Run("BySlug", func(t *testing.T) {
		got, err := db.FindPostBySlug(ctx, "why-infants-wake")
		if err != nil {
			t.Fatal(err)
		}
		want := *p
		want.Body, want.HTML = "", ""
		MustEqual(t, "FindPostBySlug", got, &want)
	})
	t.Run("ErrSlugNotFound", func(t *testing.T) {
		_, err := db.FindPostBySlug(ctx, "nope")
		MustKind(t, err, cms.KindNotFound, "")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.GetPost(ctx, cms.NewID())
		MustKind(t, err, cms.KindNotFound, "")
	})
	t.Run("Revision", func(t *testing.T) {
		got, err := db.GetRevision(ctx, p.ID, rev.ID)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "GetRevision", got, rev)
	})
	t.Run("TimesTruncated", func(t *testing.T) {
		q, rev := newPost("Precise", "precise", t0.Add(123456789*time.Nanosecond))
		MustCreatePost(t, db, q, rev)
		got := MustGetPost(t, db, q.ID)
		MustEqual(t, "CreatedAt", got.CreatedAt, t0.Add(123*time.Millisecond))
		MustEqual(t, "PublishAt", got.PublishAt, time.Time{})
	})
}

func TestPost_CreateDuplicateSlug(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	raw := MustRawDB(t, db)
	p, rev := newPost("First", "same-slug", t0)
	MustCreatePost(t, db, p, rev)

	q, qrev := newPost("Second", "same-slug", t0)
	err := db.CreatePost(context.Background(), q, qrev)
	MustKind(t, err, cms.KindConflict, "slug")
	MustEqual(t, "message", cms.ErrorFields(err)["slug"], "This slug is already used by another post.")

	MustCount(t, raw, "posts", 1)
	MustCount(t, raw, "post_revisions", 1)
	MustCount(t, raw, "post_bodies", 1)
	_, err = db.GetRevision(context.Background(), q.ID, qrev.ID)
	MustKind(t, err, cms.KindNotFound, "")
}

func TestPost_CreateRetried(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	p, rev := newPost("Retried", "retried", t0)
	MustCreatePost(t, db, p, rev)
	// The same call again (a retry after a lost answer) must not remove the
	// revision of the stored post.
	err := db.CreatePost(context.Background(), p, rev)
	MustKind(t, err, cms.KindConflict, "")
	MustEqual(t, "GetPost", MustGetPost(t, db, p.ID), p)
}

func TestPost_Update(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		p, rev := newPost("Naps", "naps", t0)
		MustCreatePost(t, db, p, rev)
		p.Title, p.Body, p.HTML = "Naps, updated", "New body", "<p>New body</p>\n"
		p.DeletedAt = t0.Add(time.Minute)
		MustSavePost(t, db, p, t0.Add(time.Minute))
		MustEqual(t, "GetPost", MustGetPost(t, db, p.ID), p)

		// Restoring clears DeletedAt: the whole document is replaced.
		p.DeletedAt = time.Time{}
		MustSavePost(t, db, p, t0.Add(2*time.Minute))
		MustEqual(t, "GetPost after restore", MustGetPost(t, db, p.ID), p)
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		raw := MustRawDB(t, db)
		p, rev := newPost("Naps", "naps", t0)
		MustCreatePost(t, db, p, rev)
		want := MustGetPost(t, db, p.ID)

		stale := *want
		stale.Title = "Stale edit"
		rev2, pruned := nextVersion(&stale, t0.Add(time.Minute), cms.MaxRevisions)
		err := db.UpdatePost(ctx, &stale, 7, rev2, pruned)
		MustKind(t, err, cms.KindConflict, "version")
		MustEqual(t, "GetPost", MustGetPost(t, db, p.ID), want)
		MustCount(t, raw, "post_revisions", 1)
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		raw := MustRawDB(t, db)
		p, _ := newPost("Ghost", "ghost", t0)
		rev2, pruned := nextVersion(p, t0, cms.MaxRevisions)
		err := db.UpdatePost(ctx, p, 1, rev2, pruned)
		MustKind(t, err, cms.KindNotFound, "")
		MustCount(t, raw, "post_revisions", 0)
	})

	t.Run("ErrSlugTaken", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		raw := MustRawDB(t, db)
		a, arev := newPost("A", "a", t0)
		b, brev := newPost("B", "b", t0)
		MustCreatePost(t, db, a, arev)
		MustCreatePost(t, db, b, brev)
		want := MustGetPost(t, db, b.ID)

		b.Slug = "a"
		rev2, pruned := nextVersion(b, t0.Add(time.Minute), cms.MaxRevisions)
		err := db.UpdatePost(ctx, b, 1, rev2, pruned)
		MustKind(t, err, cms.KindConflict, "slug")
		MustEqual(t, "GetPost", MustGetPost(t, db, b.ID), want)
		MustCount(t, raw, "post_revisions", 2)
	})

	t.Run("ErrMalformedID", func(t *testing.T) {
		t.Parallel()
		db := cmstest.New(t)
		p, rev := newPost("Bad", "bad", t0)
		p.ID = "not-an-id"
		MustKind(t, db.UpdatePost(ctx, p, 1, rev, nil), cms.KindInvalid, "id")
		MustKind(t, db.CreatePost(ctx, p, rev), cms.KindInvalid, "id")
	})
}

func TestPost_Revisions(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	raw := MustRawDB(t, db)
	ctx := context.Background()

	p, first := newPost("Revised", "revised", t0)
	MustCreatePost(t, db, p, first)
	revs := []*cms.Revision{first}
	for i := 1; i <= 4; i++ {
		prev := p.Version
		p.Body = fmt.Sprintf("Body %d", i)
		rev, pruned := nextVersion(p, t0.Add(time.Duration(i)*time.Minute), 3)
		MustUpdatePost(t, db, p, prev, rev, pruned)
		revs = append(revs, rev)
	}
	got := MustGetPost(t, db, p.ID)
	MustEqual(t, "Revisions", got.Revisions, p.Revisions)
	MustEqual(t, "Body", got.Body, "Body 4")
	MustCount(t, raw, "post_revisions", 3)

	t.Run("OK", func(t *testing.T) {
		for _, r := range revs[2:] {
			got, err := db.GetRevision(ctx, p.ID, r.ID)
			if err != nil {
				t.Fatalf("GetRevision(v%d): %v", r.Version, err)
			}
			MustEqual(t, "revision", got, r)
		}
	})
	t.Run("ErrPruned", func(t *testing.T) {
		for _, r := range revs[:2] {
			_, err := db.GetRevision(ctx, p.ID, r.ID)
			MustKind(t, err, cms.KindNotFound, "")
		}
	})
	t.Run("ErrOtherPost", func(t *testing.T) {
		_, err := db.GetRevision(ctx, cms.NewID(), revs[4].ID)
		MustKind(t, err, cms.KindNotFound, "")
	})
	t.Run("ErrMalformedID", func(t *testing.T) {
		_, err := db.GetRevision(ctx, p.ID, "xyz")
		MustKind(t, err, cms.KindInvalid, "revisionId")
		_, err = db.GetRevision(ctx, "xyz", revs[4].ID)
		MustKind(t, err, cms.KindInvalid, "id")
	})
}

func TestPost_BodyRepair(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	raw := MustRawDB(t, db)
	ctx := context.Background()

	p, rev := newPost("Repair", "repair", t0)
	MustCreatePost(t, db, p, rev)
	p.Body, p.HTML = "Second body", "<p>Second body</p>\n"
	MustSavePost(t, db, p, t0.Add(time.Minute))

	// Play a crash after the commit point: the body document is left at
	// version 1.
	oid, _ := bson.ObjectIDFromHex(p.ID)
	stale := bson.D{{Key: "_id", Value: oid}, {Key: "version", Value: 1}, {Key: "body", Value: "Stale"}, {Key: "html", Value: "<p>Stale</p>"}}
	if _, err := raw.Collection("post_bodies").ReplaceOne(ctx, bson.D{{Key: "_id", Value: oid}}, stale); err != nil {
		t.Fatal(err)
	}
	bodies, err := db.PostBodies(ctx, []string{p.ID})
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "stale body", bodies[p.ID], cms.PostBody{Version: 1, HTML: "<p>Stale</p>"})

	MustEqual(t, "GetPost", MustGetPost(t, db, p.ID), p)
	bodies, err = db.PostBodies(ctx, []string{p.ID})
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "repaired body", bodies[p.ID], cms.PostBody{Version: 2, HTML: p.HTML})

	t.Run("Missing", func(t *testing.T) {
		if _, err := raw.Collection("post_bodies").DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}}); err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "GetPost", MustGetPost(t, db, p.ID), p)
		MustCount(t, raw, "post_bodies", 1)
	})
}

func TestPost_List(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	cat1, cat2 := cms.NewID(), cms.NewID()

	a, arev := newPost("Apple pie", "apple-pie", t0)
	a.Tags, a.CategoryIDs = []string{"Sleep"}, []string{cat1}
	a.UpdatedAt = t0.Add(50 * time.Minute)

	b, brev := newPost("banana bread", "banana-bread", t0.Add(time.Minute))
	b.Status, b.PublishedAt = cms.StatusPublished, t0.Add(10*time.Minute)
	b.Tags, b.CategoryIDs = []string{"naps"}, []string{cat1, cat2}
	b.UpdatedAt = t0.Add(40 * time.Minute)

	c, crev := newPost("Cherry", "cherry", t0.Add(2*time.Minute))
	c.Status, c.PublishAt = cms.StatusScheduled, t0.Add(time.Hour)
	c.UpdatedAt = t0.Add(30 * time.Minute)

	d, drev := newPost("date", "date", t0.Add(3*time.Minute))
	d.Status = cms.StatusArchived
	d.UpdatedAt = t0.Add(20 * time.Minute)

	e, erev := newPost("Elderberry", "elderberry", t0.Add(4*time.Minute))
	e.DeletedAt = t0.Add(5 * time.Minute)
	e.Tags = []string{"sleep"}

	for _, x := range []struct {
		p   *cms.Post
		rev *cms.Revision
	}{{a, arev}, {b, brev}, {c, crev}, {d, drev}, {e, erev}} {
		MustCreatePost(t, db, x.p, x.rev)
	}

	tests := []struct {
		name  string
		f     cms.PostFilter
		want  []string
		total int
	}{
		{"Updated", cms.PostFilter{}, []string{"apple-pie", "banana-bread", "cherry", "date"}, 4},
		{"Newest", cms.PostFilter{Sort: cms.SortNewest}, []string{"banana-bread", "date", "cherry", "apple-pie"}, 4},
		{"Oldest", cms.PostFilter{Sort: cms.SortOldest}, []string{"apple-pie", "cherry", "date", "banana-bread"}, 4},
		{"Title", cms.PostFilter{Sort: cms.SortTitle}, []string{"apple-pie", "banana-bread", "cherry", "date"}, 4},
		{"Status", cms.PostFilter{Status: cms.StatusDraft}, []string{"apple-pie"}, 1},
		{"Trashed", cms.PostFilter{Trashed: true}, []string{"elderberry"}, 1},
		{"TrashedStatus", cms.PostFilter{Trashed: true, Status: cms.StatusPublished}, []string{}, 0},
		{"Category", cms.PostFilter{CategoryID: cat1, Sort: cms.SortTitle}, []string{"apple-pie", "banana-bread"}, 2},
		{"Category2", cms.PostFilter{CategoryID: cat2}, []string{"banana-bread"}, 1},
		{"Tag", cms.PostFilter{Tag: "sleep"}, []string{"apple-pie"}, 1},
		{"TagOtherCase", cms.PostFilter{Tag: "NAPS"}, []string{"banana-bread"}, 1},
		{"TagPrefixOnly", cms.PostFilter{Tag: "nap"}, []string{}, 0},
		{"Query", cms.PostFilter{Query: "AN"}, []string{"banana-bread"}, 1},
		{"QueryMeta", cms.PostFilter{Query: ".*"}, []string{}, 0},
		{"QueryOperator", cms.PostFilter{Query: `{"$ne": ""}`}, []string{}, 0},
		{"Page1", cms.PostFilter{Sort: cms.SortTitle, Limit: 3}, []string{"apple-pie", "banana-bread", "cherry"}, 4},
		{"Page2", cms.PostFilter{Sort: cms.SortTitle, Limit: 3, Page: 2}, []string{"date"}, 4},
		{"PageExact", cms.PostFilter{Sort: cms.SortTitle, Limit: 2, Page: 2}, []string{"cherry", "date"}, 4},
		{"PagePast", cms.PostFilter{Sort: cms.SortTitle, Limit: 2, Page: 5}, []string{}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			if err := f.Normalise(); err != nil {
				t.Fatal(err)
			}
			posts, total, err := db.ListPosts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, p := range posts {
				got = append(got, p.Slug)
				if p.Body != "" || p.HTML != "" || p.Revisions != nil {
					t.Errorf("%s: listed with body %q, html %q, revisions %v; want none", p.Slug, p.Body, p.HTML, p.Revisions)
				}
			}
			MustEqual(t, "slugs", got, tt.want)
			MustEqual(t, "total", total, tt.total)
		})
	}

	t.Run("Fields", func(t *testing.T) {
		posts, _, err := db.ListPosts(ctx, cms.PostFilter{Status: cms.StatusPublished, Page: 1, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := *b
		want.Body, want.HTML, want.Revisions = "", "", nil
		MustEqual(t, "posts", posts, []*cms.Post{&want})
	})
}

func TestPost_DuePosts(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	early, r1 := newPost("Early", "early", t0)
	early.Status, early.PublishAt = cms.StatusScheduled, t0.Add(time.Hour)
	late, r2 := newPost("Late", "late", t0)
	late.Status, late.PublishAt = cms.StatusScheduled, t0.Add(3*time.Hour)
	trashed, r3 := newPost("Trashed", "trashed", t0)
	trashed.Status, trashed.PublishAt, trashed.DeletedAt = cms.StatusScheduled, t0, t0
	draft, r4 := newPost("Draft", "draft", t0)
	draft.PublishAt = t0
	for _, x := range []struct {
		p   *cms.Post
		rev *cms.Revision
	}{{late, r2}, {early, r1}, {trashed, r3}, {draft, r4}} {
		MustCreatePost(t, db, x.p, x.rev)
	}

	for _, tt := range []struct {
		name string
		now  time.Time
		want []string
	}{
		{"None", t0.Add(30 * time.Minute), []string{}},
		{"Exactly", t0.Add(time.Hour), []string{"early"}},
		{"Both", t0.Add(4 * time.Hour), []string{"early", "late"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			posts, err := db.DuePosts(ctx, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, p := range posts {
				got = append(got, p.Slug)
			}
			MustEqual(t, "due", got, tt.want)
		})
	}
}

func TestPost_PublishedPostsAndBodies(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	pub, r1 := newPost("Published", "published", t0)
	pub.Status, pub.PublishedAt = cms.StatusPublished, t0
	gone, r2 := newPost("Trashed", "trashed", t0)
	gone.Status, gone.PublishedAt, gone.DeletedAt = cms.StatusPublished, t0, t0
	draft, r3 := newPost("Draft", "draft", t0)
	MustCreatePost(t, db, pub, r1)
	MustCreatePost(t, db, gone, r2)
	MustCreatePost(t, db, draft, r3)

	posts, err := db.PublishedPosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := *pub
	want.Body, want.HTML, want.Revisions = "", "", nil
	MustEqual(t, "PublishedPosts", posts, []*cms.Post{&want})

	bodies, err := db.PostBodies(ctx, []string{pub.ID, draft.ID, cms.NewID(), "malformed"})
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "PostBodies", bodies, map[string]cms.PostBody{
		pub.ID:   {Version: 1, HTML: pub.HTML},
		draft.ID: {Version: 1, HTML: draft.HTML},
	})

	t.Run("Scan", func(t *testing.T) {
		// Many ids are looked for in one read of every body; those not
		// asked for (the draft's) are left out all the same.
		ids := []string{pub.ID, "malformed"}
		for len(ids) < 100 {
			ids = append(ids, cms.NewID())
		}
		bodies, err := db.PostBodies(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "PostBodies of 100 ids", bodies, map[string]cms.PostBody{pub.ID: {Version: 1, HTML: pub.HTML}})
	})

	t.Run("All", func(t *testing.T) {
		all, err := db.AllPostBodies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "AllPostBodies", all, map[string]cms.PostBody{
			pub.ID:   {Version: 1, HTML: pub.HTML},
			gone.ID:  {Version: 1, HTML: gone.HTML},
			draft.ID: {Version: 1, HTML: draft.HTML},
		})
	})

	empty, err := db.PostBodies(ctx, nil)
	if err != nil || len(empty) != 0 {
		t.Fatalf("PostBodies(nil) = %v, %v; want empty, nil", empty, err)
	}
}

func TestPost_Delete(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	raw := MustRawDB(t, db)
	ctx := context.Background()

	p, rev := newPost("Doomed", "doomed", t0)
	MustCreatePost(t, db, p, rev)
	rev2 := MustSavePost(t, db, p, t0.Add(time.Minute))
	keep, krev := newPost("Kept", "kept", t0)
	MustCreatePost(t, db, keep, krev)

	if err := db.DeletePost(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err := db.GetPost(ctx, p.ID)
	MustKind(t, err, cms.KindNotFound, "")
	_, err = db.GetRevision(ctx, p.ID, rev2.ID)
	MustKind(t, err, cms.KindNotFound, "")
	MustCount(t, raw, "posts", 1)
	MustCount(t, raw, "post_bodies", 1)
	MustCount(t, raw, "post_revisions", 1)
	MustEqual(t, "kept", MustGetPost(t, db, keep.ID), keep)

	MustKind(t, db.DeletePost(ctx, p.ID), cms.KindNotFound, "")
	MustKind(t, db.DeletePost(ctx, "zzz"), cms.KindInvalid, "id")
}

func TestPost_MalformedID(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	for _, id := range []string{"", "abc", "zzzzzzzzzzzzzzzzzzzzzzzz", `{"$ne": null}`} {
		_, err := db.GetPost(ctx, id)
		MustKind(t, err, cms.KindInvalid, "id")
		_, err = db.GetCategory(ctx, id)
		MustKind(t, err, cms.KindInvalid, "id")
		_, err = db.GetUser(ctx, id)
		MustKind(t, err, cms.KindInvalid, "id")
		MustKind(t, db.DeleteCategory(ctx, id), cms.KindInvalid, "id")
		MustKind(t, db.DeleteUser(ctx, id), cms.KindInvalid, "id")
		_, err = db.BumpTokenVersion(ctx, id)
		MustKind(t, err, cms.KindInvalid, "id")
	}
}

func TestPost_ConcurrentUpdates(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	raw := MustRawDB(t, db)
	p, rev := newPost("Contended", "contended", t0)
	MustCreatePost(t, db, p, rev)

	const n = 8
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		q := *p
		q.Revisions = append([]cms.RevisionRef{}, p.Revisions...)
		q.Title = fmt.Sprintf("Edit %d", i)
		rev, pruned := nextVersion(&q, t0.Add(time.Minute), cms.MaxRevisions)
		wg.Go(func() { errs <- db.UpdatePost(context.Background(), &q, 1, rev, pruned) })
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case cms.IsKind(err, cms.KindConflict):
		default:
			t.Errorf("UpdatePost: %v", err)
		}
	}
	MustEqual(t, "saves that won", won, 1)
	MustCount(t, raw, "post_revisions", 2)
	MustEqual(t, "version", MustGetPost(t, db, p.ID).Version, 2)
}
