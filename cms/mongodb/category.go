package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type categoryDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	Name        string        `bson:"name"`
	Slug        string        `bson:"slug"`
	Description string        `bson:"description"`
	Position    int           `bson:"position"`
	Version     int           `bson:"version"`
	CreatedAt   *time.Time    `bson:"createdAt"`
	UpdatedAt   *time.Time    `bson:"updatedAt"`
}

func toCategoryDoc(id bson.ObjectID, c *cms.Category) *categoryDoc {
	return &categoryDoc{
		ID:          id,
		Name:        c.Name,
		Slug:        c.Slug,
		Description: c.Description,
		Position:    c.Position,
		Version:     c.Version,
		CreatedAt:   toTime(c.CreatedAt),
		UpdatedAt:   toTime(c.UpdatedAt),
	}
}

func (d *categoryDoc) category() *cms.Category {
	return &cms.Category{
		ID:          d.ID.Hex(),
		Name:        d.Name,
		Slug:        d.Slug,
		Description: d.Description,
		Position:    d.Position,
		Version:     d.Version,
		CreatedAt:   fromTime(d.CreatedAt),
		UpdatedAt:   fromTime(d.UpdatedAt),
	}
}

// CreateCategory stores the new category c. Errors: KindInvalid,
// KindConflict with Fields["slug"], KindUnavailable, KindInternal.
func (db *DB) CreateCategory(ctx context.Context, c *cms.Category) error {
	const op = "mongodb.CreateCategory"
	id, err := objectID(op, "id", c.ID)
	if err != nil {
		return err
	}
	_, err = db.categories.InsertOne(ctx, toCategoryDoc(id, c))
	return insertError(ctx, op, db.categories, id, err)
}

// UpdateCategory replaces the category stored at prevVersion with c.
// Errors: KindInvalid, KindNotFound, KindConflict (Fields["version"] or
// Fields["slug"]), KindUnavailable, KindInternal.
func (db *DB) UpdateCategory(ctx context.Context, c *cms.Category, prevVersion int) error {
	const op = "mongodb.UpdateCategory"
	id, err := objectID(op, "id", c.ID)
	if err != nil {
		return err
	}
	return db.replaceVersioned(ctx, op, db.categories, id, prevVersion, toCategoryDoc(id, c))
}

// GetCategory returns one category. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetCategory(ctx context.Context, id string) (*cms.Category, error) {
	const op = "mongodb.GetCategory"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return nil, err
	}
	var d categoryDoc
	if err := db.categories.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		return nil, storeError(op, collCategories, err)
	}
	return d.category(), nil
}

// ListCategories returns every category by Position, then Name. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListCategories(ctx context.Context) ([]*cms.Category, error) {
	const op = "mongodb.ListCategories"
	sort := bson.D{{Key: "position", Value: 1}, {Key: "name", Value: 1}, {Key: "_id", Value: 1}}
	cur, err := db.categories.Find(ctx, bson.D{}, options.Find().SetSort(sort))
	if err != nil {
		return nil, storeError(op, collCategories, err)
	}
	var docs []categoryDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, storeError(op, collCategories, err)
	}
	out := make([]*cms.Category, len(docs))
	for i := range docs {
		out[i] = docs[i].category()
	}
	return out, nil
}

// DeleteCategory removes a category. Posts keep its id in their
// CategoryIDs until they are saved again. Errors: KindInvalid,
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) DeleteCategory(ctx context.Context, id string) error {
	const op = "mongodb.DeleteCategory"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	res, err := db.deleteOne(ctx, db.categories, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return storeError(op, collCategories, err)
	}
	if res.DeletedCount == 0 {
		return notFound(op, collCategories)
	}
	return nil
}
