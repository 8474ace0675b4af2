package mongodb_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestCitations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	c := &cms.Citation{ID: cms.NewID(), Key: "mindell2006", Type: cms.CiteArticle,
		Authors: []cms.Name{{Family: "Mindell", Given: "Jodi A."}, {Literal: "American Academy of Sleep Medicine"}},
		Editors: []cms.Name{}, Year: 2006, Title: "Behavioral treatment of bedtime problems and night wakings in infants and young children",
		Container: "Sleep", ContainerShort: "Sleep", Volume: "29", Issue: "10", Pages: "1263-1276", DOI: "10.1093/sleep/29.10.1263",
		PMID: "17068979", Version: 1, CreatedAt: t0, UpdatedAt: t0}
	if err := db.CreateCitation(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetCitation(ctx, c.ID)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("GetCitation:\n got %+v, %v\nwant %+v", got, err, c)
	}
	other := *c
	other.ID = cms.NewID()
	if err := db.CreateCitation(ctx, &other); cms.ErrorFields(err)["key"] == "" {
		t.Errorf("a taken key: %v, want a conflict naming key", err)
	}
	upd := *c
	upd.Title, upd.Version = "Corrected title", 2
	if err := db.UpdateCitation(ctx, &upd, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdateCitation(ctx, &upd, 1); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("stale update: %v", err)
	}
	list, err := db.ListCitations(ctx)
	if err != nil || len(list) != 1 || list[0].Title != "Corrected title" {
		t.Errorf("ListCitations: %+v, %v", list, err)
	}
	if err := db.DeleteCitation(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteCitation(ctx, c.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("second delete: %v", err)
	}
}
