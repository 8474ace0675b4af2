package mongodb_test

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestViews_AddAndTotal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	a, b := cms.NewID(), cms.NewID()
	batch := []cms.ViewCount{
		{PostID: a, Day: "2025-03-01", Views: 2},
		{PostID: a, Day: "2025-03-10", Views: 3},
		{PostID: b, Day: "2025-03-10", Views: 1},
	}
	if err := db.AddViews(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, c := range batch {
		if c.Views != 0 {
			t.Errorf("written counts are zeroed: %+v", batch)
		}
	}
	if err := db.AddViews(ctx, []cms.ViewCount{{PostID: a, Day: "2025-03-10", Views: 4}}); err != nil {
		t.Fatal(err)
	}

	// The day's document has the documented shape: this handle's own.
	var doc struct {
		ID  string           `bson:"_id"`
		Day string           `bson:"day"`
		By  string           `bson:"by"`
		V   map[string]int64 `bson:"v"`
	}
	if err := MustRawDB(t, db).Collection("post_views").FindOne(ctx, bson.D{{Key: "day", Value: "2025-03-10"}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != "2025-03-10:"+doc.By || len(doc.By) != 24 || len(doc.V) != 2 || doc.V[a] != 7 || doc.V[b] != 1 {
		t.Errorf("document of the day = %+v", doc)
	}

	all, err := db.ViewTotals(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if all[a] != 9 || all[b] != 1 {
		t.Errorf("all-time totals = %v, want a 9, b 1", all)
	}
	recent, err := db.ViewTotals(ctx, "2025-03-05")
	if err != nil {
		t.Fatal(err)
	}
	if recent[a] != 7 || recent[b] != 1 {
		t.Errorf("totals since 03-05 = %v, want a 7, b 1", recent)
	}
	days, err := db.PostViews(ctx, a, "2025-02-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 2 || days[0].Day != "2025-03-01" || days[1].Views != 7 {
		t.Errorf("PostViews = %+v", days)
	}
}

// TestViews_Instances: the documents of several instances, and documents
// of the shape written before each instance had its own (one per post and
// day), are summed by every reader.
func TestViews_Instances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	other := MustOpenOther(t, db)
	a, b := cms.NewID(), cms.NewID()
	MustInsertOldViews(t, db, a, "2025-03-10", 10)
	for _, s := range []*mongodb.DB{db, other, db} {
		if err := s.AddViews(ctx, []cms.ViewCount{{PostID: a, Day: "2025-03-10", Views: 2}, {PostID: a, Day: "2025-03-11", Views: 1}, {PostID: b, Day: "2025-03-11", Views: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := MustRawDB(t, db).Collection("post_views").CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "documents: the old one, and one per instance and day", n, int64(5))
	for _, s := range []*mongodb.DB{db, other} {
		all, err := s.ViewTotals(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "totals", all, map[string]int64{a: 10 + 3*2 + 3, b: 3})
		days, err := s.PostViews(ctx, a, "2025-03-01")
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "by day", days, []cms.ViewCount{{PostID: a, Day: "2025-03-10", Views: 16}, {PostID: a, Day: "2025-03-11", Views: 3}})
	}
}

// MustInsertOldViews stores a view document of the shape earlier versions
// wrote: one post's views of one day.
func MustInsertOldViews(tb testing.TB, db *mongodb.DB, postID, day string, views int64) {
	tb.Helper()
	if _, err := MustRawDB(tb, db).Collection("post_views").InsertOne(context.Background(), bson.D{
		{Key: "_id", Value: postID + ":" + day}, {Key: "postId", Value: postID}, {Key: "day", Value: day}, {Key: "views", Value: views}}); err != nil {
		tb.Fatal(err)
	}
}

// TestViews_Migrate: the documents of the earlier shape are folded into
// one per day by two instances at once; the totals never change, also
// when a fold stopped half-way, and a document of the earlier shape
// written after its day was folded counts, and is folded into the day's
// second fold by two instances at once.
func TestViews_Migrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	other := MustOpenOther(t, db)
	raw := MustRawDB(t, db).Collection("post_views")
	posts := []string{cms.NewID(), cms.NewID(), cms.NewID()}
	days := []string{"2025-03-08", "2025-03-09", "2025-03-10", "2025-03-11"}
	for i, p := range posts {
		for j, d := range days {
			MustInsertOldViews(t, db, p, d, int64(1+i+j))
		}
	}
	if err := db.AddViews(ctx, []cms.ViewCount{{PostID: posts[0], Day: "2025-03-09", Views: 100}}); err != nil {
		t.Fatal(err)
	}
	want, err := db.ViewTotals(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wantDays, err := db.PostViews(ctx, posts[1], "")
	if err != nil {
		t.Fatal(err)
	}
	same := func(when string) {
		t.Helper()
		got, err := other.ViewTotals(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "totals "+when, got, want)
		gotDays, err := other.PostViews(ctx, posts[1], "")
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "post's days "+when, gotDays, wantDays)
	}

	// A fold of 03-08 that stopped after its insert: its documents are
	// still there, and listed.
	if _, err := raw.InsertOne(ctx, bson.D{{Key: "_id", Value: "2025-03-08:fold"}, {Key: "day", Value: "2025-03-08"},
		{Key: "v", Value: bson.D{{Key: posts[0], Value: int64(1)}, {Key: posts[1], Value: int64(2)}, {Key: posts[2], Value: int64(3)}}},
		{Key: "from", Value: bson.A{posts[0] + ":2025-03-08", posts[1] + ":2025-03-08", posts[2] + ":2025-03-08"}}}); err != nil {
		t.Fatal(err)
	}
	same("with a fold stopped half-way")

	var wg sync.WaitGroup
	folded := make([]int, 2)
	for i, s := range []*mongodb.DB{db, other} {
		wg.Go(func() {
			n, left, err := s.MigrateViews(ctx, "2025-03-11")
			if err != nil || left < 3 {
				t.Errorf("left %d documents of the earlier shape, want the 3 of 03-11 at least: %v", left, err)
			}
			folded[i] = n
		})
	}
	wg.Wait()
	same("after two instances folded at once")
	if folded[0]+folded[1] < 9 {
		t.Errorf("folded %v documents, want the 9 of 03-08 to 03-10 at least once", folded)
	}
	left, err := raw.CountDocuments(ctx, bson.D{{Key: "postId", Value: bson.D{{Key: "$exists", Value: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "documents of the earlier shape left (those of 03-11)", left, int64(3))
	listed, err := raw.CountDocuments(ctx, bson.D{{Key: "from", Value: bson.D{{Key: "$exists", Value: true}}}})
	if err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "folds still listing documents", listed, int64(0))

	// An instance of an earlier version counts into a folded day: two
	// instances at once fold it into the day's second fold.
	MustInsertOldViews(t, db, posts[2], "2025-03-09", 5)
	want[posts[2]] += 5
	same("with a late document of the earlier shape")
	for i, s := range []*mongodb.DB{db, other} {
		wg.Go(func() {
			n, _, err := s.MigrateViews(ctx, "2025-03-11")
			if err != nil {
				t.Error(err)
			}
			folded[i] = n
		})
	}
	wg.Wait()
	same("after the late document was folded")
	if folded[0]+folded[1] < 1 {
		t.Errorf("folded %v documents, want the late one at least once", folded)
	}
	var second struct {
		V    map[string]int64 `bson:"v"`
		From []string         `bson:"from"`
	}
	if err := raw.FindOne(ctx, bson.D{{Key: "_id", Value: "2025-03-09:fold:2"}}).Decode(&second); err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "the day's second fold", second.V, map[string]int64{posts[2]: 5})
	MustEqual(t, "the second fold's list", len(second.From), 0)
	if n, left, err := db.MigrateViews(ctx, "2025-03-11"); err != nil || n != 0 || left != 3 {
		t.Errorf("a third migration folded %d and left %d, want 0 and the 3 of 03-11: %v", n, left, err)
	}
	same("after a third migration")
}

// TestViews_MigrateLeft: MigrateViews counts the documents of the earlier
// shape it leaves, of any day, until none is left: those of the days it
// may not fold yet, and those it found that no fold it finished lists. A
// second fold stopped half-way is finished before a third is begun.
func TestViews_MigrateLeft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	raw := MustRawDB(t, db).Collection("post_views")
	migrate := func(beforeDay string, wantFolded, wantLeft int) {
		t.Helper()
		n, left, err := db.MigrateViews(ctx, beforeDay)
		if err != nil || n != wantFolded || left != wantLeft {
			t.Fatalf("MigrateViews(%s) = %d folded, %d left, %v; want %d, %d", beforeDay, n, left, err, wantFolded, wantLeft)
		}
	}
	migrate("2025-03-11", 0, 0)

	p, q, r := cms.NewID(), cms.NewID(), cms.NewID()
	MustInsertOldViews(t, db, p, "2025-03-10", 1)
	MustInsertOldViews(t, db, p, "2025-03-11", 2) // an instance of an earlier version counts today
	migrate("2025-03-11", 1, 1)

	// A second fold of 03-10 stopped after its insert, and a later
	// document it does not list.
	MustInsertOldViews(t, db, q, "2025-03-10", 4)
	if _, err := raw.InsertOne(ctx, bson.D{{Key: "_id", Value: "2025-03-10:fold:2"}, {Key: "day", Value: "2025-03-10"},
		{Key: "v", Value: bson.D{{Key: q, Value: int64(4)}}}, {Key: "from", Value: bson.A{q + ":2025-03-10"}}}); err != nil {
		t.Fatal(err)
	}
	MustInsertOldViews(t, db, r, "2025-03-10", 8)
	want := map[string]int64{p: 3, q: 4, r: 8}
	same := func(when string) {
		t.Helper()
		got, err := db.ViewTotals(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "totals "+when, got, want)
	}
	same("with a second fold stopped half-way")
	migrate("2025-03-11", 1, 2) // finishes the second fold; r is left, with 03-11
	same("after the second fold was finished")
	migrate("2025-03-11", 1, 1) // r into a third fold
	same("after a third fold")
	if n, err := raw.CountDocuments(ctx, bson.D{{Key: "_id", Value: "2025-03-10:fold:3"}}); err != nil || n != 1 {
		t.Errorf("third fold of 03-10: %d, %v", n, err)
	}
	migrate("2025-03-12", 1, 0) // a day on, 03-11 is folded too
	migrate("2025-03-12", 0, 0)
	same("once none is left")
}

func TestViews_DailySalt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	calls := 0
	gen := func(v byte) func() ([]byte, error) {
		return func() ([]byte, error) { calls++; return bytes.Repeat([]byte{v}, 32), nil }
	}
	s1, err := db.ViewSalt(ctx, "2025-03-01", gen(1))
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.ViewSalt(ctx, "2025-03-01", gen(2))
	if err != nil || !bytes.Equal(s1, again) || calls != 1 {
		t.Fatalf("same day: %x vs %x (%v), %d generations", s1, again, err, calls)
	}
	s2, err := db.ViewSalt(ctx, "2025-03-02", gen(3))
	if err != nil || bytes.Equal(s1, s2) {
		t.Fatalf("next day: %x, %v", s2, err)
	}
	// The first day's salt is gone: asking again makes a new one.
	s1b, err := db.ViewSalt(ctx, "2025-03-01", gen(4))
	if err != nil || bytes.Equal(s1, s1b) {
		t.Errorf("old salt kept: %x, %v", s1b, err)
	}
}

func TestViews_ClaimKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	key := func(day string, b byte, retry bool) cms.ViewKey {
		return cms.ViewKey{Day: day, Reader: [16]byte{b, 1, 2}, Retry: retry}
	}
	claims := func(owner string, keys ...cms.ViewKey) []cms.ViewClaim {
		t.Helper()
		if err := db.ClaimViewKeys(ctx, owner, keys); err != nil {
			t.Fatal(err)
		}
		out := make([]cms.ViewClaim, len(keys))
		for i, k := range keys {
			out[i] = k.Claim
		}
		return out
	}
	want := func(got []cms.ViewClaim, want ...cms.ViewClaim) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Fatalf("claims = %v, want %v", got, want)
		}
	}
	// The first claim of a key wins; a key claimed before is seen, in the
	// same batch as new ones.
	want(claims("a", key("2025-03-09", 1, false), key("2025-03-10", 1, false)), cms.ClaimNew, cms.ClaimNew)
	want(claims("b", key("2025-03-10", 1, false), key("2025-03-10", 2, false), key("2025-03-10", 3, false)),
		cms.ClaimSeen, cms.ClaimNew, cms.ClaimNew)
	want(claims("a", key("2025-03-10", 2, false)), cms.ClaimSeen)
	// A retried key found recorded is the claimer's only if it recorded it.
	want(claims("a", key("2025-03-10", 1, true), key("2025-03-10", 2, true), key("2025-03-10", 4, true)),
		cms.ClaimNew, cms.ClaimSeen, cms.ClaimNew)

	// Dropping the days before a day leaves that day's keys.
	if err := db.DropViewKeys(ctx, "2025-03-10"); err != nil {
		t.Fatal(err)
	}
	want(claims("c", key("2025-03-09", 1, false), key("2025-03-10", 1, false)), cms.ClaimNew, cms.ClaimSeen)
	n, err := MustRawDB(t, db).Collection("post_view_keys").CountDocuments(ctx, bson.D{})
	if err != nil || n != 5 {
		t.Fatalf("post_view_keys holds %d documents (%v), want 5", n, err)
	}
}
