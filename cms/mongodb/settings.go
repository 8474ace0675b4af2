package mongodb

import (
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// settingsID is the _id of the one settings document.
const settingsID = "site"

type siteDoc struct {
	Title       string `bson:"title"`
	URL         string `bson:"url"`
	Description string `bson:"description"`
}

type authorDoc struct {
	Name         string    `bson:"name"`
	Title        string    `bson:"title"`
	Credentials  string    `bson:"credentials,omitempty"`
	Bio          string    `bson:"bio"`
	PhotoURL     string    `bson:"photoUrl"`
	PhotoMediaID string    `bson:"photoMediaId,omitempty"`
	Photo        *imageDoc `bson:"photo,omitempty"`
}

func toAuthorDoc(a *cms.AuthorProfile) authorDoc {
	d := authorDoc{Name: a.Name, Title: a.Title, Credentials: a.Credentials, Bio: a.Bio, PhotoURL: a.PhotoURL, PhotoMediaID: a.PhotoMediaID}
	if a.Photo != nil {
		im := toImageDoc(a.Photo)
		d.Photo = &im
	}
	return d
}

func (d *authorDoc) author() cms.AuthorProfile {
	a := cms.AuthorProfile{Name: d.Name, Title: d.Title, Credentials: d.Credentials, Bio: d.Bio, PhotoURL: d.PhotoURL, PhotoMediaID: d.PhotoMediaID}
	if d.Photo != nil {
		im := d.Photo.image()
		a.Photo = &im
	}
	return a
}

type callToActionDoc struct {
	Heading     string `bson:"heading"`
	Text        string `bson:"text"`
	ButtonLabel string `bson:"buttonLabel"`
	URL         string `bson:"url"`
}

type settingsDoc struct {
	ID            string          `bson:"_id"`
	Site          siteDoc         `bson:"site"`
	Author        authorDoc       `bson:"author"`
	CallToAction  callToActionDoc `bson:"callToAction"`
	CORSOrigins   []string        `bson:"corsOrigins"`
	CitationStyle string          `bson:"citationStyle"`
	OwnerTwoFA    bool            `bson:"requireOwnerTwoFactor"`
	RequireKey    bool            `bson:"requireContentKey"`
	PreviewURL    string          `bson:"previewUrl,omitempty"`
	ReviewMonths  int             `bson:"reviewPeriodMonths,omitempty"`
	ContactEmail  string          `bson:"contactEmail,omitempty"`
	Version       int             `bson:"version"`
	UpdatedAt     *time.Time      `bson:"updatedAt"`
}

func toSettingsDoc(s *cms.Settings) *settingsDoc {
	return &settingsDoc{
		ID:            settingsID,
		Site:          siteDoc(s.Site),
		Author:        toAuthorDoc(&s.Author),
		CallToAction:  callToActionDoc(s.CallToAction),
		CORSOrigins:   strs(s.CORSOrigins),
		CitationStyle: string(s.CitationStyle),
		OwnerTwoFA:    s.RequireOwnerTwoFactor,
		RequireKey:    s.RequireContentKey,
		PreviewURL:    s.PreviewURL,
		ReviewMonths:  s.ReviewPeriodMonths,
		ContactEmail:  s.ContactEmail,
		Version:       s.Version,
		UpdatedAt:     toTime(s.UpdatedAt),
	}
}

func (d *settingsDoc) settings() *cms.Settings {
	return &cms.Settings{
		Site:         cms.SiteSettings(d.Site),
		Author:       d.Author.author(),
		CallToAction: cms.CallToAction(d.CallToAction),
		CORSOrigins:  strs(d.CORSOrigins),
		// Settings saved before styles existed cite in APA.
		CitationStyle:         cmp.Or(cms.CitationStyle(d.CitationStyle), cms.StyleAPA),
		RequireOwnerTwoFactor: d.OwnerTwoFA,
		RequireContentKey:     d.RequireKey,
		PreviewURL:            d.PreviewURL,
		Version:               d.Version,
		UpdatedAt:             fromTime(d.UpdatedAt),
		// Settings saved before review periods existed hold the default.
		ReviewPeriodMonths: cmp.Or(d.ReviewMonths, cms.DefaultReviewPeriodMonths),
		ContactEmail:       d.ContactEmail,
	}
}

// GetSettings returns the stored settings, or cms.DefaultSettings() with
// Version 0 when none were ever saved. Errors: KindUnavailable,
// KindInternal.
func (db *DB) GetSettings(ctx context.Context) (*cms.Settings, error) {
	var d settingsDoc
	err := db.settings.FindOne(ctx, bson.D{{Key: "_id", Value: settingsID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		s := cms.DefaultSettings()
		s.Version = 0
		return &s, nil
	}
	if err != nil {
		return nil, storeError("mongodb.GetSettings", collSettings, err)
	}
	return d.settings(), nil
}

// SaveSettings stores s if the stored version is prevVersion (0: none saved
// yet). Errors: KindConflict with Fields["version"], KindUnavailable,
// KindInternal.
func (db *DB) SaveSettings(ctx context.Context, s *cms.Settings, prevVersion int) error {
	const op = "mongodb.SaveSettings"
	if prevVersion == 0 {
		_, err := db.settings.InsertOne(ctx, toSettingsDoc(s))
		if duplicateKey(err) { // saved meanwhile
			return staleVersion(op, collSettings)
		}
		return storeError(op, collSettings, err)
	}
	filter := bson.D{{Key: "_id", Value: settingsID}, {Key: "version", Value: prevVersion}}
	res, err := db.replaceOne(ctx, db.settings, filter, toSettingsDoc(s))
	if err != nil {
		return storeError(op, collSettings, err)
	}
	if res.MatchedCount == 0 {
		return staleVersion(op, collSettings)
	}
	return nil
}
