package readmodel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// TestEntriesKeepTheHTML checks that the read model holds no post's HTML
// beside its entry, and that what needs that HTML after the load still
// has it: a post rendered again when a category it shows is renamed,
// the search index taking the renamed category, and a phrase search
// (which reads the HTML of its candidates).
func TestEntriesKeepTheHTML(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, rm, svc := mustReadModelService(t)
	owner := cmstest.Owner()
	name := "Naps"
	cat, err := svc.CreateCategory(ctx, owner, cms.CategoryInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	cats := []string{cat.ID}
	var slugs []string
	for i, word := range []string{"quokka", "pangolin"} {
		title := "Post " + word
		body := "The " + word + " sleeps through the night, **twelve** hours on end.\n\nA second paragraph."
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Body: &body, CategoryIDs: &cats}, cms.StatusPublished, time.Now().Add(-time.Duration(i+1)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		slugs = append(slugs, p.Slug)
	}
	if err := rm.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if kept := readmodel.HTMLKept(rm); len(kept) > 0 {
		t.Fatalf("posts keep their HTML beside their entries after a load: %v", kept)
	}
	renamed := "Daytime naps"
	if _, err := svc.UpdateCategory(ctx, owner, cat.ID, cms.CategoryInput{Name: &renamed, Version: &cat.Version}); err != nil {
		t.Fatal(err)
	}
	if err := rm.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	for i, word := range []string{"quokka", "pangolin"} {
		b, _, err := rm.Snapshot().Post(slugs[i])
		if err != nil {
			t.Fatal(err)
		}
		got := string(b.Bytes())
		if !strings.Contains(got, "The "+word+" sleeps through the night, <strong>twelve</strong> hours") || !strings.Contains(got, renamed) {
			t.Errorf("%s, rendered again after the rename, lost its HTML or the new name:\n%s", slugs[i], got)
		}
		res, err := rm.Search(readmodel.SearchQuery{Q: word + " daytime", Page: 1, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Post.Slug != slugs[i] || !strings.Contains(res.Hits[0].Highlights.Body, word) {
			t.Errorf("search %q after the rename: %+v", word+" daytime", res.Hits)
		}
	}
	res, err := rm.Search(readmodel.SearchQuery{Q: `"sleeps through the night"`, Page: 1, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 {
		t.Errorf("a phrase of both bodies finds %d posts, want 2", res.Total)
	}
	if res, _ := rm.Search(readmodel.SearchQuery{Q: `"night sleeps"`, Page: 1, Limit: 5}); res.Total != 0 {
		t.Errorf("a phrase of no body finds %d posts", res.Total)
	}
	if kept := readmodel.HTMLKept(rm); len(kept) > 0 {
		t.Fatalf("posts keep their HTML beside their entries after a reload: %v", kept)
	}
	// A save applied in memory (ApplyPost) leaves no HTML behind either.
	id, _ := rm.Snapshot().PostID(slugs[0])
	p, err := svc.GetPost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	body := p.Body + "\n\nA third paragraph about the quokka."
	if _, err := svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Body: &body, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	if b, _, err := rm.Snapshot().Post(slugs[0]); err != nil || !strings.Contains(string(b.Bytes()), "A third paragraph") {
		t.Fatalf("the saved post is not in the snapshot: %v", err)
	}
	if kept := readmodel.HTMLKept(rm); len(kept) > 0 {
		t.Fatalf("posts keep their HTML beside their entries after a save: %v", kept)
	}
}
