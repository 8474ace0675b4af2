package readmodel

import (
	"errors"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestGhostCacheBound: the dialect's bodies are kept until their bytes
// reach maxGhostCacheBytes; past it they are served without being kept.
func TestGhostCacheBound(t *testing.T) {
	g := &ghostIndex{}
	g.kept.Store(maxGhostCacheBytes - 10)
	big, small := NewBody([]byte(strings.Repeat("x", 20))), NewBody([]byte("12345"))
	if got := g.keep(&g.lists, "big", big); got != big || g.lists.get([]byte("big")) != nil {
		t.Errorf("a body past the bound was kept (or not served)")
	}
	if got := g.keep(&g.lists, "small", small); got != small || g.lists.get([]byte("small")) != small {
		t.Errorf("a body within the bound was not kept")
	}
	if n := g.kept.Load(); n != maxGhostCacheBytes-5 {
		t.Errorf("kept = %d, want %d", n, maxGhostCacheBytes-5)
	}
}

// FuzzGhostFilter: any filter parses or is refused as Invalid naming
// "filter", and a parsed one can be evaluated, without a panic.
func FuzzGhostFilter(f *testing.F) {
	for _, s := range []string{"tag:naps", "tag:[a,b]+featured:true", "(slug:-x,tag:-[a])", "published_at:<'2024-01-01'",
		"title:'it\\'s'", "tag:", "((", "featured:maybe", "a:b", strings.Repeat("(", 25)} {
		f.Add(s)
	}
	g := &ghostIndex{featured: map[string]bool{}, tagsOf: map[*postEntry][]*ghostTag{}}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseGhostFilter(GhostPosts, s)
		if err != nil {
			var ce *cms.Error
			if !errors.As(err, &ce) || ce.Kind != cms.KindInvalid || ce.Fields["filter"] == "" {
				t.Fatalf("%q: error %v does not name the filter", s, err)
			}
			return
		}
		e := &postEntry{post: &cms.Post{ID: "0123456789abcdef01234567", Slug: "naps", Title: "Naps"}}
		n.match(postFacts{e, g})
	})
}
