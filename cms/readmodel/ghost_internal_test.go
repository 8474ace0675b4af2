package readmodel

import (
	"errors"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestServedCacheBound: a dialect's bodies are kept while their own
// bytes and their encodings fit its budget; past it they are served
// without being kept, and encodings of kept bodies made without being
// kept.
func TestServedCacheBound(t *testing.T) {
	g := &ghostIndex{}
	g.budget.max = 10000
	g.budget.used.Store(g.budget.max - 10)
	render := func(s string) func() (*Body, error) { return func() (*Body, error) { return NewBody([]byte(s)), nil } }
	if b, kept, _ := g.answer([]byte("big"), render(strings.Repeat("x", 20))); kept || string(b.Bytes()) != strings.Repeat("x", 20) || g.answers.get([]byte("big")) != nil {
		t.Errorf("a body past the bound was kept (or not served)")
	}
	small, kept, _ := g.answer([]byte("small"), render("12345"))
	if !kept || g.answers.get([]byte("small")) != small {
		t.Errorf("a body within the bound was not kept")
	}
	if b, kept, _ := g.answer([]byte("small"), render("other")); !kept || b != small {
		t.Errorf("a kept body was made again")
	}
	if n := g.budget.used.Load(); n != g.budget.max-5 {
		t.Errorf("used = %d, want %d", n, g.budget.max-5)
	}

	// A kept body's encoding counts against the budget when kept.
	g.budget.used.Store(0)
	text := strings.Repeat("a sleepy baby, ", 200) // 3,000 bytes, compresses to far less
	big, kept, _ := g.answer([]byte("text"), render(text))
	if !kept {
		t.Fatal("a body within the bound was not kept")
	}
	gz := big.Gzip()
	if n := g.budget.used.Load(); n != int64(len(text)+len(gz)) || &big.Gzip()[0] != &gz[0] {
		t.Errorf("used = %d, want %d, and the encoding kept", n, len(text)+len(gz))
	}
	g.budget.used.Store(g.budget.max)
	if br := big.Brotli(); len(br) == 0 || big.br.Load() != nil || g.budget.used.Load() != g.budget.max {
		t.Errorf("an encoding past the bound was kept (or not made)")
	}
}

// TestGhostQueryKey: queries that ask the same get the same normalised
// key, whatever their spelling; queries that differ, even only in a
// quoted value holding the key's separators, get different keys.
func TestGhostQueryKey(t *testing.T) {
	key := func(r GhostResource, p GhostParams) string {
		t.Helper()
		q, err := parseGhostQuery(r, p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		return string(q.appendKey(nil))
	}
	for _, same := range [][2]GhostParams{
		{{Include: "tags,authors"}, {Include: " authors , tags"}},
		{{Limit: "15", Page: "1"}, {}},
		{{Limit: "all"}, {Limit: "100"}},
		{{Limit: "100"}, {Limit: "1000"}},
		{{Order: "published_at desc"}, {}},
		{{Order: "title ASC"}, {Order: "title  asc"}},
		{{Filter: "tag:Naps"}, {Filter: "tag:naps"}},
		{{Filter: "tag:[a,b]+featured:true"}, {Filter: "tag:[a, b] + featured:true"}},
		{{Formats: "html"}, {}},
	} {
		if a, b := key(GhostPosts, same[0]), key(GhostPosts, same[1]); a != b {
			t.Errorf("%+v and %+v: keys %q and %q differ", same[0], same[1], a, b)
		}
	}
	for _, differ := range [][2]GhostParams{
		{{Filter: "title:'a,b'"}, {Filter: "title:a,title:b"}},
		{{Filter: "title:'a+b'"}, {Filter: "title:a+title:b"}},
		{{Filter: "tag:a+tag:b,tag:c"}, {Filter: "tag:a+(tag:b,tag:c)"}},
		{{Filter: "tag:a"}, {Filter: "tag:-a"}},
		{{Fields: "title"}, {Fields: "title,slug"}},
		{{Fields: "title"}, {}},
		{{Order: "title asc"}, {Order: "title desc"}},
		{{Page: "2"}, {}},
		{{Limit: "5"}, {}},
		{{Include: "tags"}, {}},
		{{Formats: "plaintext"}, {}},
	} {
		if a, b := key(GhostPosts, differ[0]), key(GhostPosts, differ[1]); a == b {
			t.Errorf("%+v and %+v: the same key %q", differ[0], differ[1], a)
		}
	}
	if a, b := key(GhostTags, GhostParams{Fields: "name"}), key(GhostTags, GhostParams{Fields: "slug"}); a == b {
		t.Errorf("tag fields name and slug: the same key %q", a)
	}
	if a, b := key(GhostTags, GhostParams{Include: "count.posts"}), key(GhostTags, GhostParams{}); a == b {
		t.Errorf("tags with and without counts: the same key %q", a)
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
