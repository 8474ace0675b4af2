package mongodb

import (
	"context"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type reviewerDoc struct {
	ID           bson.ObjectID `bson:"_id"`
	Name         string        `bson:"name"`
	NameKey      string        `bson:"nameKey"` // lower-cased name, for sorting A to Z
	Credentials  string        `bson:"credentials"`
	Bio          string        `bson:"bio"`
	PhotoMediaID string        `bson:"photoMediaId,omitempty"`
	Photo        *imageDoc     `bson:"photo,omitempty"`
	ProfileURL   string        `bson:"profileUrl"`
	Version      int           `bson:"version"`
	CreatedAt    *time.Time    `bson:"createdAt"`
	UpdatedAt    *time.Time    `bson:"updatedAt"`
}

func toReviewerDoc(id bson.ObjectID, r *cms.Reviewer) *reviewerDoc {
	d := &reviewerDoc{ID: id, Name: r.Name, NameKey: strings.ToLower(r.Name), Credentials: r.Credentials, Bio: r.Bio,
		PhotoMediaID: r.PhotoMediaID, ProfileURL: r.ProfileURL, Version: r.Version,
		CreatedAt: toTime(r.CreatedAt), UpdatedAt: toTime(r.UpdatedAt)}
	if r.Photo != nil {
		im := toImageDoc(r.Photo)
		d.Photo = &im
	}
	return d
}

func (d *reviewerDoc) reviewer() *cms.Reviewer {
	r := &cms.Reviewer{ID: d.ID.Hex(), Name: d.Name, Credentials: d.Credentials, Bio: d.Bio,
		PhotoMediaID: d.PhotoMediaID, ProfileURL: d.ProfileURL, Version: d.Version,
		CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt)}
	if d.Photo != nil {
		im := d.Photo.image()
		r.Photo = &im
	}
	return r
}

// CreateReviewer stores the new reviewer r. Errors: KindInvalid,
// KindUnavailable, KindInternal.
func (db *DB) CreateReviewer(ctx context.Context, r *cms.Reviewer) error {
	const op = "mongodb.CreateReviewer"
	id, err := objectID(op, "id", r.ID)
	if err != nil {
		return err
	}
	_, err = db.reviewers.InsertOne(ctx, toReviewerDoc(id, r))
	return insertError(ctx, op, db.reviewers, id, err)
}

// UpdateReviewer replaces the reviewer stored at prevVersion with r.
// Errors: KindInvalid, KindNotFound, KindConflict (Fields["version"]),
// KindUnavailable, KindInternal.
func (db *DB) UpdateReviewer(ctx context.Context, r *cms.Reviewer, prevVersion int) error {
	const op = "mongodb.UpdateReviewer"
	id, err := objectID(op, "id", r.ID)
	if err != nil {
		return err
	}
	return db.replaceVersioned(ctx, op, db.reviewers, id, prevVersion, toReviewerDoc(id, r))
}

// GetReviewer returns one reviewer. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetReviewer(ctx context.Context, id string) (*cms.Reviewer, error) {
	return findByID(ctx, "mongodb.GetReviewer", db.reviewers, id, (*reviewerDoc).reviewer)
}

// ListReviewers returns every reviewer by name: one scan. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListReviewers(ctx context.Context) ([]*cms.Reviewer, error) {
	return findAll(ctx, "mongodb.ListReviewers", db.reviewers, bson.D{{Key: "nameKey", Value: 1}, {Key: "_id", Value: 1}}, (*reviewerDoc).reviewer)
}

// DeleteReviewer removes a reviewer. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) DeleteReviewer(ctx context.Context, id string) error {
	return db.deleteByID(ctx, "mongodb.DeleteReviewer", db.reviewers, id)
}

// PostsReviewedBy returns the posts, live and trashed, that name any of
// the given reviewers, without bodies and revisions. Errors:
// KindUnavailable, KindInternal.
func (db *DB) PostsReviewedBy(ctx context.Context, reviewerIDs []string) ([]*cms.Post, error) {
	if len(reviewerIDs) == 0 {
		return []*cms.Post{}, nil
	}
	filter := bson.D{{Key: "reviewerIds", Value: bson.D{{Key: "$in", Value: refs(reviewerIDs)}}}}
	return db.findPosts(ctx, "mongodb.PostsReviewedBy", filter, options.Find().SetProjection(noRevisions))
}
