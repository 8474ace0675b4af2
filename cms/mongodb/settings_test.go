package mongodb_test

import (
	"context"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestSettings(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	got, err := db.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	def := cms.DefaultSettings()
	MustEqual(t, "default settings", got, &def)

	s := cms.DefaultSettings()
	s.Site = cms.SiteSettings{Title: "Sleep well", URL: "https://example.com", Description: "Evidence-based sleep"}
	s.Author = cms.AuthorProfile{Name: "Ada", Title: "Certified pediatric sleep consultant", Bio: "Bio", PhotoURL: "https://example.com/a.jpg"}
	s.CallToAction = cms.CallToAction{Heading: "Tired?", Text: "Let's talk.", ButtonLabel: "Book", URL: "https://example.com/book"}
	s.CORSOrigins = []string{"https://app.example.com"}
	s.Version, s.UpdatedAt = 1, t0

	t.Run("Insert", func(t *testing.T) {
		if err := db.SaveSettings(ctx, &s, 0); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "GetSettings", got, &s)
	})
	t.Run("ErrInsertTwice", func(t *testing.T) {
		again := s
		err := db.SaveSettings(ctx, &again, 0)
		MustKind(t, err, cms.KindConflict, "version")
		MustEqual(t, "message", cms.ErrorFields(err)["version"], "The settings were changed by someone else; reload them to see the latest version.")
	})
	t.Run("Update", func(t *testing.T) {
		s.Site.Title, s.CORSOrigins, s.Version = "Sleep better", []string{}, 2
		if err := db.SaveSettings(ctx, &s, 1); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "GetSettings", got, &s)
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := s
		stale.Site.Title, stale.Version = "Stale", 2
		MustKind(t, db.SaveSettings(ctx, &stale, 1), cms.KindConflict, "version")
		got, err := db.GetSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "Site.Title", got.Site.Title, "Sleep better")
	})
}
