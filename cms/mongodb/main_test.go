package mongodb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

// t0 is the base time of the fixtures.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

// newPost returns a draft post created at `at` with its first revision, the
// way the cms service builds them.
func newPost(title, slug string, at time.Time) (*cms.Post, *cms.Revision) {
	p := &cms.Post{
		ID:            cms.NewID(),
		Title:         title,
		Slug:          slug,
		Redirects:     []cms.Redirect{},
		Excerpt:       "About " + title,
		Body:          "Body of " + title,
		HTML:          "<p>Body of " + title + "</p>\n",
		Status:        cms.StatusDraft,
		CategoryIDs:   []string{},
		ReviewerIDs:   []string{},
		Tags:          []string{},
		AuthorID:      cms.NewID(),
		SEO:           cms.SEO{Title: title, Description: "d", CanonicalURL: "https://example.com/" + slug},
		ReadingTime:   1,
		WordCount:     3,
		Version:       1,
		CreatedAt:     at,
		UpdatedAt:     at,
		Pins:          []cms.Pin{},
		NoPinMediaIDs: []string{},
		MediaIDs:      []string{},
		References:    []string{},
	}
	rev := revisionOf(p, "created", at)
	p.Revisions = []cms.RevisionRef{refOf(rev)}
	return p, rev
}

func revisionOf(p *cms.Post, note string, at time.Time) *cms.Revision {
	return &cms.Revision{
		ID: cms.NewID(), PostID: p.ID, Version: p.Version, Title: p.Title, Slug: p.Slug, Excerpt: p.Excerpt,
		Body: p.Body, HTML: p.HTML, Status: p.Status, CategoryIDs: append([]string{}, p.CategoryIDs...),
		Tags: append([]string{}, p.Tags...), SEO: p.SEO, SavedAt: at, SavedBy: p.AuthorID, Note: note,
	}
}

func refOf(r *cms.Revision) cms.RevisionRef {
	return cms.RevisionRef{ID: r.ID, Version: r.Version, SavedAt: r.SavedAt, SavedBy: r.SavedBy, Note: r.Note}
}

// nextVersion turns p into its next version saved at `at`, keeping at most
// keep revisions, and returns the new revision and the pruned revision ids,
// the way the cms service does.
func nextVersion(p *cms.Post, at time.Time, keep int) (*cms.Revision, []string) {
	p.Version++
	p.UpdatedAt = at
	rev := revisionOf(p, "edited", at)
	p.Revisions = append(p.Revisions, refOf(rev))
	var pruned []string
	if extra := len(p.Revisions) - keep; extra > 0 {
		for _, r := range p.Revisions[:extra] {
			pruned = append(pruned, r.ID)
		}
		p.Revisions = append([]cms.RevisionRef{}, p.Revisions[extra:]...)
	}
	return rev, pruned
}

// MustCreatePost stores p with its first revision.
func MustCreatePost(tb testing.TB, db *mongodb.DB, p *cms.Post, rev *cms.Revision) {
	tb.Helper()
	if err := db.CreatePost(context.Background(), p, rev); err != nil {
		tb.Fatalf("CreatePost(%q): %v", p.Slug, err)
	}
}

// MustUpdatePost saves p (already at its next version) over prevVersion.
func MustUpdatePost(tb testing.TB, db *mongodb.DB, p *cms.Post, prevVersion int, rev *cms.Revision, pruned []string) {
	tb.Helper()
	if err := db.UpdatePost(context.Background(), p, prevVersion, rev, pruned); err != nil {
		tb.Fatalf("UpdatePost(%q, %d): %v", p.Slug, prevVersion, err)
	}
}

// MustSavePost saves p as its next version at `at`, the way the cms
// service does, and returns the new revision.
func MustSavePost(tb testing.TB, db *mongodb.DB, p *cms.Post, at time.Time) *cms.Revision {
	tb.Helper()
	prev := p.Version
	rev, pruned := nextVersion(p, at, cms.MaxRevisions)
	MustUpdatePost(tb, db, p, prev, rev, pruned)
	return rev
}

// MustGetPost reads post id.
func MustGetPost(tb testing.TB, db *mongodb.DB, id string) *cms.Post {
	tb.Helper()
	p, err := db.GetPost(context.Background(), id)
	if err != nil {
		tb.Fatalf("GetPost(%s): %v", id, err)
	}
	return p
}

// MustEqual fails unless got and want are deeply equal.
func MustEqual[T any](tb testing.TB, what string, got, want T) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("%s:\n got: %+v\nwant: %+v", what, got, want)
	}
}

// MustKind fails unless err is a *cms.Error of kind want that, when field
// is not empty, names field.
func MustKind(tb testing.TB, err error, want cms.Kind, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want kind %v", want)
	}
	if got := cms.ErrorKind(err); got != want {
		tb.Fatalf("kind = %v, want %v (err: %v)", got, want, err)
	}
	if field != "" {
		if _, ok := cms.ErrorFields(err)[field]; !ok {
			tb.Fatalf("fields = %v, want one named %q (err: %v)", cms.ErrorFields(err), field, err)
		}
	}
}

// MustOpenOther opens a second store handle on db's database, as another
// instance would, closed when tb ends.
func MustOpenOther(tb testing.TB, db *mongodb.DB) *mongodb.DB {
	tb.Helper()
	other, err := mongodb.Open(context.Background(), mongodb.Config{URI: db.URI(), Database: db.Database(), Logger: cmstest.Logger()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = other.Close(context.Background()) })
	return other
}

// MustRawDB returns a separate driver handle on db's database, for looking
// behind the store's back.
func MustRawDB(tb testing.TB, db *mongodb.DB) *mongo.Database {
	tb.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(db.URI()).SetServerSelectionTimeout(5 * time.Second))
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c.Database(db.Database())
}

// MustCount checks that coll holds want documents.
func MustCount(tb testing.TB, raw *mongo.Database, coll string, want int) {
	tb.Helper()
	n, err := raw.Collection(coll).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		tb.Fatalf("count %s: %v", coll, err)
	}
	MustEqual(tb, "documents in "+coll, int(n), want)
}
