package mongodb_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestLoadMany: dumped documents inserted in one command read back as
// they were dumped; a duplicate id fails the call; an unknown set is
// refused.
func TestLoadMany(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	var lines [][]byte
	for i := range 3 {
		lines = append(lines, fmt.Appendf(nil, `{"_id":{"$oid":"ffffffff00000000000000%02x"},"name":"Category %d","slug":"category-%d","description":"","position":{"$numberInt":"%d"},"version":{"$numberInt":"1"}}`, i, i, i, i))
	}
	if err := db.LoadMany(ctx, "categories", lines); err != nil {
		t.Fatal(err)
	}
	var dumped []string
	if _, err := db.Dump(ctx, "categories", cms.DumpOptions{}, func(b []byte) error { dumped = append(dumped, string(b)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(dumped) != 3 || dumped[1] != string(lines[1]) {
		t.Fatalf("dumped after LoadMany:\n%q\nwant the 3 lines loaded, e.g.\n%s", dumped, lines[1])
	}
	cats, err := db.ListCategories(ctx)
	if err != nil || len(cats) != 3 || cats[2].Slug != "category-2" {
		t.Fatalf("ListCategories after LoadMany: %v, %v", cats, err)
	}
	if err := db.LoadMany(ctx, "categories", lines[:1]); err == nil {
		t.Error("LoadMany of an id stored already: no error")
	}
	if err := db.LoadMany(ctx, "no such set", lines); !cms.IsKind(err, cms.KindInvalid) {
		t.Errorf("LoadMany of an unknown set: %v, want invalid", err)
	}
}
