package mongodb

import (
	"context"
	"errors"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// refCheckRequestID is the state document of the last "Check now".
const refCheckRequestID = "refcheckRequest"

// healthDoc is a citation's health record, keyed by the citation's id.
type healthDoc struct {
	ID          bson.ObjectID `bson:"_id"` // the citation's
	DOI         string        `bson:"doi,omitempty"`
	URL         string        `bson:"url,omitempty"`
	Status      string        `bson:"status,omitempty"`
	Notice      string        `bson:"notice,omitempty"`
	NoticeDOI   string        `bson:"noticeDoi,omitempty"`
	NoticeURL   string        `bson:"noticeUrl,omitempty"`
	NoticeDate  string        `bson:"noticeDate,omitempty"`
	Link        string        `bson:"link,omitempty"`
	Detail      string        `bson:"detail,omitempty"`
	ArchiveURL  string        `bson:"archiveUrl,omitempty"`
	ArchiveDate string        `bson:"archiveDate,omitempty"`
	CheckedAt   *time.Time    `bson:"checkedAt,omitempty"`
	ChangedAt   *time.Time    `bson:"changedAt,omitempty"`
	TriedAt     *time.Time    `bson:"triedAt,omitempty"`
	LastError   string        `bson:"lastError,omitempty"`
	CrossrefTag string        `bson:"crossrefEtag,omitempty"`
	CrossrefMod string        `bson:"crossrefLastModified,omitempty"`
	PageTag     string        `bson:"pageEtag,omitempty"`
	PageMod     string        `bson:"pageLastModified,omitempty"`
	Version     int           `bson:"version"`
}

func toHealthDoc(id bson.ObjectID, h *cms.CitationHealth) *healthDoc {
	return &healthDoc{ID: id, DOI: h.DOI, URL: h.URL, Status: string(h.Status), Notice: h.Notice, NoticeDOI: h.NoticeDOI,
		NoticeURL: h.NoticeURL, NoticeDate: h.NoticeDate, Link: h.Link, Detail: h.Detail, ArchiveURL: h.ArchiveURL,
		ArchiveDate: h.ArchiveDate, CheckedAt: toTime(h.CheckedAt), ChangedAt: toTime(h.ChangedAt), TriedAt: toTime(h.TriedAt),
		LastError: h.LastError, CrossrefTag: h.Crossref.ETag, CrossrefMod: h.Crossref.LastModified,
		PageTag: h.Page.ETag, PageMod: h.Page.LastModified, Version: h.Version}
}

func (d *healthDoc) health() *cms.CitationHealth {
	return &cms.CitationHealth{CitationID: d.ID.Hex(), DOI: d.DOI, URL: d.URL, Status: cms.HealthStatus(d.Status),
		Notice: d.Notice, NoticeDOI: d.NoticeDOI, NoticeURL: d.NoticeURL, NoticeDate: d.NoticeDate, Link: d.Link,
		Detail: d.Detail, ArchiveURL: d.ArchiveURL, ArchiveDate: d.ArchiveDate, CheckedAt: fromTime(d.CheckedAt),
		ChangedAt: fromTime(d.ChangedAt), TriedAt: fromTime(d.TriedAt), LastError: d.LastError,
		Crossref: cms.HealthValidators{ETag: d.CrossrefTag, LastModified: d.CrossrefMod},
		Page:     cms.HealthValidators{ETag: d.PageTag, LastModified: d.PageMod}, Version: d.Version}
}

// ListCitationHealth returns every health record: one scan. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListCitationHealth(ctx context.Context) ([]*cms.CitationHealth, error) {
	return findAll(ctx, "mongodb.ListCitationHealth", db.health, bson.D{{Key: "_id", Value: 1}}, (*healthDoc).health)
}

// SaveCitationHealth stores h for citation h.CitationID, replacing the
// record at prevVersion (0: inserting it). Errors: KindInvalid,
// KindConflict (another version, or a record inserted meanwhile),
// KindNotFound (a record deleted meanwhile), KindUnavailable,
// KindInternal.
func (db *DB) SaveCitationHealth(ctx context.Context, h *cms.CitationHealth, prevVersion int) error {
	const op = "mongodb.SaveCitationHealth"
	id, err := objectID(op, "citationId", h.CitationID)
	if err != nil {
		return err
	}
	if prevVersion == 0 {
		_, err = db.health.InsertOne(ctx, toHealthDoc(id, h))
		return insertError(ctx, op, db.health, id, err)
	}
	return db.replaceVersioned(ctx, op, db.health, id, prevVersion, toHealthDoc(id, h))
}

// deleteCitationHealth removes citation id's record, if any.
func (db *DB) deleteCitationHealth(ctx context.Context, id bson.ObjectID) error {
	_, err := db.deleteOne(ctx, db.health, bson.D{{Key: "_id", Value: id}})
	return storeError("mongodb.DeleteCitation", collHealth, err)
}

type refRequestDoc struct {
	ID string     `bson:"_id"`
	At *time.Time `bson:"at"`
}

// RequestReferenceCheck records at as the last "Check now", unless a
// later one is recorded. Errors: KindUnavailable, KindInternal.
func (db *DB) RequestReferenceCheck(ctx context.Context, at time.Time) error {
	const op = "mongodb.RequestReferenceCheck"
	t := toTime(at)
	filter := bson.D{{Key: "_id", Value: refCheckRequestID}, {Key: "at", Value: bson.D{{Key: "$lt", Value: *t}}}}
	res, err := db.updateOne(ctx, db.state, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: t}}}})
	if err != nil {
		return storeError(op, collState, err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	_, err = db.state.InsertOne(ctx, refRequestDoc{ID: refCheckRequestID, At: t})
	if duplicateKey(err) {
		return nil // recorded already, at or after at
	}
	return storeError(op, collState, err)
}

// ReferenceCheckRequest returns the last "Check now" (zero: none).
// Errors: KindUnavailable, KindInternal.
func (db *DB) ReferenceCheckRequest(ctx context.Context) (time.Time, error) {
	var d refRequestDoc
	err := db.state.FindOne(ctx, bson.D{{Key: "_id", Value: refCheckRequestID}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, storeError("mongodb.ReferenceCheckRequest", collState, err)
	}
	return fromTime(d.At), nil
}
