package mongodb

import (
	"context"
	"errors"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type listDoc struct {
	ID        bson.ObjectID  `bson:"_id"`
	Slug      string         `bson:"slug"`
	Name      string         `bson:"name"`
	Entries   []listEntryDoc `bson:"entries"`
	Excluded  []string       `bson:"excluded"`
	Version   int            `bson:"version"`
	CreatedAt *time.Time     `bson:"createdAt"`
	UpdatedAt *time.Time     `bson:"updatedAt"`
	// Pending holds the featured list's changes of saves in flight
	// (cms/featured.go); absent when there are none.
	Pending []pendingFeatureDoc `bson:"pending,omitempty"`
}

type pendingFeatureDoc struct {
	PostID     string     `bson:"postId"`
	On         bool       `bson:"on"`
	RevisionID string     `bson:"revisionId"`
	Version    int        `bson:"version"`
	At         *time.Time `bson:"at"`
}

type listEntryDoc struct {
	PostID string     `bson:"postId"`
	Start  *time.Time `bson:"start"`
	End    *time.Time `bson:"end"`
}

func toListDoc(id bson.ObjectID, l *cms.List) *listDoc {
	d := &listDoc{ID: id, Slug: l.Slug, Name: l.Name, Entries: make([]listEntryDoc, len(l.Entries)),
		Excluded: refs(l.Excluded), Version: l.Version, CreatedAt: toTime(l.CreatedAt), UpdatedAt: toTime(l.UpdatedAt)}
	for i, e := range l.Entries {
		d.Entries[i] = listEntryDoc{PostID: ref(e.PostID), Start: toTime(e.Start), End: toTime(e.End)}
	}
	for _, m := range l.Pending {
		d.Pending = append(d.Pending, pendingFeatureDoc{PostID: ref(m.PostID), On: m.On, RevisionID: m.RevisionID, Version: m.Version, At: toTime(m.At)})
	}
	return d
}

func (d *listDoc) list() *cms.List {
	l := &cms.List{ID: d.ID.Hex(), Slug: d.Slug, Name: d.Name, Entries: make([]cms.ListEntry, len(d.Entries)),
		Version: d.Version, CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt)}
	for i, e := range d.Entries {
		l.Entries[i] = cms.ListEntry{PostID: e.PostID, Start: fromTime(e.Start), End: fromTime(e.End)}
	}
	if len(d.Excluded) > 0 {
		l.Excluded = d.Excluded
	}
	for _, m := range d.Pending {
		l.Pending = append(l.Pending, cms.PendingFeature{PostID: m.PostID, On: m.On, RevisionID: m.RevisionID, Version: m.Version, At: fromTime(m.At)})
	}
	return l
}

// CreateList stores the new list l. Errors: KindInvalid, KindConflict
// with Fields["slug"], KindUnavailable, KindInternal.
func (db *DB) CreateList(ctx context.Context, l *cms.List) error {
	const op = "mongodb.CreateList"
	id, err := objectID(op, "id", l.ID)
	if err != nil {
		return err
	}
	_, err = db.lists.InsertOne(ctx, toListDoc(id, l))
	return insertError(ctx, op, db.lists, id, err)
}

// UpdateList replaces the list stored at prevVersion with l (entries
// whole). Errors: KindInvalid, KindNotFound, KindConflict
// (Fields["version"] or Fields["slug"]), KindUnavailable, KindInternal.
func (db *DB) UpdateList(ctx context.Context, l *cms.List, prevVersion int) error {
	const op = "mongodb.UpdateList"
	id, err := objectID(op, "id", l.ID)
	if err != nil {
		return err
	}
	return db.replaceVersioned(ctx, op, db.lists, id, prevVersion, toListDoc(id, l))
}

// GetList returns one list. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetList(ctx context.Context, id string) (*cms.List, error) {
	return findByID(ctx, "mongodb.GetList", db.lists, id, (*listDoc).list)
}

// GetListBySlug returns the list with the slug. Errors: KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetListBySlug(ctx context.Context, slug string) (*cms.List, error) {
	const op = "mongodb.GetListBySlug"
	var d listDoc
	if err := db.lists.FindOne(ctx, bson.D{{Key: "slug", Value: slug}}).Decode(&d); err != nil {
		return nil, storeError(op, collLists, err)
	}
	return d.list(), nil
}

// ListLists returns every list by creation time. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ListLists(ctx context.Context) ([]*cms.List, error) {
	return findAll(ctx, "mongodb.ListLists", db.lists, bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, (*listDoc).list)
}

// DeleteList removes a list. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) DeleteList(ctx context.Context, id string) error {
	return db.deleteByID(ctx, "mongodb.DeleteList", db.lists, id)
}

// PostStates returns the status of each existing post among ids, keyed by
// lower-case id; malformed and unknown ids are absent. One scan of the
// posts' small fields. Errors: KindUnavailable, KindInternal.
func (db *DB) PostStates(ctx context.Context, ids []string) (map[string]cms.PostState, error) {
	const op = "mongodb.PostStates"
	out := make(map[string]cms.PostState, len(ids))
	oids := make([]bson.ObjectID, 0, len(ids))
	for _, id := range ids {
		if oid, err := bson.ObjectIDFromHex(id); err == nil {
			oids = append(oids, oid)
		}
	}
	if len(oids) == 0 {
		return out, nil
	}
	type stateDoc struct {
		ID        bson.ObjectID `bson:"_id"`
		Status    string        `bson:"status"`
		DeletedAt *time.Time    `bson:"deletedAt"`
	}
	var docs []stateDoc
	proj := bson.D{{Key: "_id", Value: 1}, {Key: "status", Value: 1}, {Key: "deletedAt", Value: 1}}
	if db.gate != nil && len(oids) <= fewIDs {
		// FerretDB scans the collection for an $in and finds by _id alone
		// through its key: a list's few posts are read one by one.
		for _, oid := range oids {
			var d stateDoc
			err := db.posts.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}, options.FindOne().SetProjection(proj)).Decode(&d)
			switch {
			case errors.Is(err, mongo.ErrNoDocuments):
				continue
			case err != nil:
				return nil, storeError(op, collPosts, err)
			}
			docs = append(docs, d)
		}
	} else {
		cur, err := db.posts.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}}, options.Find().SetProjection(proj))
		if err != nil {
			return nil, storeError(op, collPosts, err)
		}
		if err := cur.All(ctx, &docs); err != nil {
			return nil, storeError(op, collPosts, err)
		}
	}
	for _, d := range docs {
		out[d.ID.Hex()] = cms.PostState{Status: cms.PostStatus(d.Status), Trashed: d.DeletedAt != nil}
	}
	return out, nil
}

// fewIDs is the number of ids up to which documents are read one by one
// by _id on FerretDB (~8 ms each on a busy machine) rather than with one
// $in, which scans the collection (~0.2 s for 1,000 posts).
const fewIDs = 32
