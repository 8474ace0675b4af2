package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
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
	return findByID(ctx, "mongodb.GetCategory", db.categories, id, (*categoryDoc).category)
}

// ListCategories returns every category by Position, then Name. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListCategories(ctx context.Context) ([]*cms.Category, error) {
	return findAll(ctx, "mongodb.ListCategories", db.categories, bson.D{{Key: "position", Value: 1}, {Key: "name", Value: 1}, {Key: "_id", Value: 1}}, (*categoryDoc).category)
}

// DeleteCategory removes a category. Posts keep its id in their
// CategoryIDs until they are saved again. Errors: KindInvalid,
// KindNotFound, KindUnavailable, KindInternal.
func (db *DB) DeleteCategory(ctx context.Context, id string) error {
	return db.deleteByID(ctx, "mongodb.DeleteCategory", db.categories, id)
}
