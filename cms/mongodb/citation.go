package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
)

type nameDoc struct {
	Family  string `bson:"family,omitempty"`
	Given   string `bson:"given,omitempty"`
	Literal string `bson:"literal,omitempty"`
}

type citationDoc struct {
	ID             bson.ObjectID `bson:"_id"`
	Key            string        `bson:"key"`
	Type           string        `bson:"type"`
	Authors        []nameDoc     `bson:"authors"`
	Editors        []nameDoc     `bson:"editors"`
	Year           int           `bson:"year"`
	Month          int           `bson:"month"`
	Day            int           `bson:"day"`
	Title          string        `bson:"title"`
	Container      string        `bson:"container"`
	ContainerShort string        `bson:"containerShort"`
	Volume         string        `bson:"volume"`
	Issue          string        `bson:"issue"`
	Pages          string        `bson:"pages"`
	ArticleNumber  string        `bson:"articleNumber"`
	Edition        string        `bson:"edition"`
	Publisher      string        `bson:"publisher"`
	PublisherPlace string        `bson:"publisherPlace"`
	DOI            string        `bson:"doi"`
	PMID           string        `bson:"pmid"`
	PMCID          string        `bson:"pmcid,omitempty"`
	ISBN           string        `bson:"isbn,omitempty"`
	URL            string        `bson:"url"`
	Accessed       string        `bson:"accessed"`
	Version        int           `bson:"version"`
	CreatedAt      *time.Time    `bson:"createdAt"`
	UpdatedAt      *time.Time    `bson:"updatedAt"`
}

func toNameDocs(ns []cms.Name) []nameDoc {
	out := make([]nameDoc, len(ns))
	for i, n := range ns {
		out[i] = nameDoc(n)
	}
	return out
}

func fromNameDocs(ns []nameDoc) []cms.Name {
	out := make([]cms.Name, len(ns))
	for i, n := range ns {
		out[i] = cms.Name(n)
	}
	return out
}

func toCitationDoc(id bson.ObjectID, c *cms.Citation) *citationDoc {
	return &citationDoc{
		ID: id, Key: c.Key, Type: string(c.Type),
		Authors: toNameDocs(c.Authors), Editors: toNameDocs(c.Editors),
		Year: c.Year, Month: c.Month, Day: c.Day,
		Title: c.Title, Container: c.Container, ContainerShort: c.ContainerShort,
		Volume: c.Volume, Issue: c.Issue, Pages: c.Pages, ArticleNumber: c.ArticleNumber, Edition: c.Edition,
		Publisher: c.Publisher, PublisherPlace: c.PublisherPlace,
		DOI: c.DOI, PMID: c.PMID, PMCID: c.PMCID, ISBN: c.ISBN, URL: c.URL, Accessed: c.Accessed,
		Version: c.Version, CreatedAt: toTime(c.CreatedAt), UpdatedAt: toTime(c.UpdatedAt),
	}
}

func (d *citationDoc) citation() *cms.Citation {
	return &cms.Citation{
		ID: d.ID.Hex(), Key: d.Key, Type: cms.CitationType(d.Type),
		Authors: fromNameDocs(d.Authors), Editors: fromNameDocs(d.Editors),
		Year: d.Year, Month: d.Month, Day: d.Day,
		Title: d.Title, Container: d.Container, ContainerShort: d.ContainerShort,
		Volume: d.Volume, Issue: d.Issue, Pages: d.Pages, ArticleNumber: d.ArticleNumber, Edition: d.Edition,
		Publisher: d.Publisher, PublisherPlace: d.PublisherPlace,
		DOI: d.DOI, PMID: d.PMID, PMCID: d.PMCID, ISBN: d.ISBN, URL: d.URL, Accessed: d.Accessed,
		Version: d.Version, CreatedAt: fromTime(d.CreatedAt), UpdatedAt: fromTime(d.UpdatedAt),
	}
}

// CreateCitation stores the new citation c. Errors: KindInvalid,
// KindConflict with Fields["key"], KindUnavailable, KindInternal.
func (db *DB) CreateCitation(ctx context.Context, c *cms.Citation) error {
	const op = "mongodb.CreateCitation"
	id, err := objectID(op, "id", c.ID)
	if err != nil {
		return err
	}
	_, err = db.citations.InsertOne(ctx, toCitationDoc(id, c))
	return insertError(ctx, op, db.citations, id, err)
}

// UpdateCitation replaces the citation stored at prevVersion with c.
// Errors: KindInvalid, KindNotFound, KindConflict (Fields["version"] or
// Fields["key"]), KindUnavailable, KindInternal.
func (db *DB) UpdateCitation(ctx context.Context, c *cms.Citation, prevVersion int) error {
	const op = "mongodb.UpdateCitation"
	id, err := objectID(op, "id", c.ID)
	if err != nil {
		return err
	}
	return db.replaceVersioned(ctx, op, db.citations, id, prevVersion, toCitationDoc(id, c))
}

// GetCitation returns one citation. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetCitation(ctx context.Context, id string) (*cms.Citation, error) {
	return findByID(ctx, "mongodb.GetCitation", db.citations, id, (*citationDoc).citation)
}

// ListCitations returns the whole library by key, in one scan. Errors:
// KindUnavailable, KindInternal.
func (db *DB) ListCitations(ctx context.Context) ([]*cms.Citation, error) {
	return findAll(ctx, "mongodb.ListCitations", db.citations, bson.D{{Key: "key", Value: 1}}, (*citationDoc).citation)
}

// DeleteCitation removes a citation, then its health record. A crash
// in between leaves a record no citation has, which readers ignore.
// Errors: KindInvalid, KindNotFound, KindUnavailable, KindInternal.
func (db *DB) DeleteCitation(ctx context.Context, id string) error {
	if err := db.deleteByID(ctx, "mongodb.DeleteCitation", db.citations, id); err != nil {
		return err
	}
	oid, _ := bson.ObjectIDFromHex(id)
	return db.deleteCitationHealth(ctx, oid)
}
