package readmodel

import (
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestSearchFindsCitedAuthors checks that the authors of a post's cited
// works are searchable (each part of a hyphenated name, and a group
// author), that a correction of them reaches the index, and that a hit
// there ranks below one in a title.
func TestSearchFindsCitedAuthors(t *testing.T) {
	t.Parallel()
	posts := corpusPosts()
	si, err := newSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	memory := &cms.Citation{ID: "r1", Title: "Infant memory", Authors: []cms.Name{{Family: "Rovee-Collier", Given: "Carolyn"}}}
	aap := &cms.Citation{ID: "r2", Title: "Sleep-related infant deaths", Authors: []cms.Name{{Literal: "American Academy of Pediatrics"}}}
	cites := map[string]*cms.Citation{"r1": memory, "r2": aap}
	posts[1].References = []string{"r1", "r2"}
	posts[4].Title = "Rovee and the mobile"
	if err := si.sync(posts, nil, cites, nil); err != nil {
		t.Fatal(err)
	}
	ids := func(q string) []string {
		t.Helper()
		h, err := si.search(si.parse(q), 0, 50, nil)
		if err != nil {
			t.Fatal(err)
		}
		return h.ids
	}
	if got := ids("Rovee"); len(got) != 2 || got[0] != posts[4].ID || got[1] != posts[1].ID {
		t.Errorf("Rovee: %q, want the title hit %s first, then the post citing Rovee-Collier %s", got, posts[4].ID, posts[1].ID)
	}
	if got := ids("collier"); len(got) != 1 || got[0] != posts[1].ID {
		t.Errorf("collier: %q, want %s", got, posts[1].ID)
	}
	if got := ids("academy pediatrics"); len(got) != 1 || got[0] != posts[1].ID {
		t.Errorf("academy pediatrics: %q, want %s", got, posts[1].ID)
	}
	fixed := *memory
	fixed.Authors = []cms.Name{{Family: "Collier", Given: "Carolyn R."}}
	cites["r1"] = &fixed
	if err := si.sync(posts, nil, cites, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids("rovee"); len(got) != 1 || got[0] != posts[4].ID {
		t.Errorf("rovee after the correction: %q, want only the title hit", got)
	}
}

// TestSnippetSeparatesBlocks checks that the text snippets are made from
// does not run a heading or a list item into what follows.
func TestSnippetSeparatesBlocks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ html, want string }{
		{"<h2>Sleep cycles</h2><p>Babies cycle through light sleep.</p>", "Sleep cycles · Babies cycle through light sleep."},
		{"<h2>Why?</h2><p>Because.</p>", "Why? Because."},
		{"<ul><li>Bath</li><li>Book</li></ul><p>Then <em>bed</em>.</p>", "Bath · Book · Then bed ."},
		{"<p>One<sup>1</sup> line.</p>", "One1 line."},
	} {
		if got := htmlText(tc.html); got != tc.want {
			t.Errorf("htmlText(%q) = %q, want %q", tc.html, got, tc.want)
		}
	}
	si, err := newSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	pq := si.parse("babies")
	got := si.highlight(pq, htmlText("<h2>Sleep cycles</h2><p>Babies cycle through light sleep.</p>"), true)
	if !strings.Contains(got, "Sleep cycles · <mark>Babies</mark>") {
		t.Errorf("snippet = %q, want the heading set apart from the paragraph", got)
	}
}
