package readmodel

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestBuildEntriesParallel: entries made on every processor (as a start
// makes them) are those made one by one, each at its post's place, and
// the posts not asked for are left alone.
func TestBuildEntriesParallel(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	st := cms.DefaultSettings()
	st.Site.URL = "https://example.com"
	cat := &catEntry{cat: PublicCategory{ID: "c1", Slug: "sleep", Name: "Sleep"}}
	env := newEntryEnv(map[string]*catEntry{"c1": cat}, &st, "https://cms.example.com", nil, nil)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	posts := make([]*cms.Post, 4*parallelEntries+3)
	var build []int
	for i := range posts {
		posts[i] = &cms.Post{ID: fmt.Sprintf("65f0c0ffee01234567%06d", i), Title: fmt.Sprintf("Post %d", i), Slug: fmt.Sprintf("post-%d", i),
			Status: cms.StatusPublished, PublishedAt: at.Add(time.Duration(i) * time.Hour), CategoryIDs: []string{"c1"}, Tags: []string{"naps"},
			HTML: fmt.Sprintf(`<p>Text %d<sup id="fnref:1"><a href="#fn:1">1</a></sup></p><div class="footnotes"><ol><li id="fn:1"><p>Note %d <a href="#fnref:1">↩</a></p></li></ol></div>`, i, i)}
		if i%7 != 3 {
			build = append(build, i)
		}
	}
	entries := make([]*postEntry, len(posts))
	if err := buildEntries(posts, build, entries, env, nil); err != nil {
		t.Fatal(err)
	}
	want := 0
	for i, p := range posts {
		if i%7 == 3 {
			if entries[i] != nil {
				t.Errorf("entry %d made, though not asked for", i)
			}
			continue
		}
		want++
		one, err := newPostEntry(p, env)
		if err != nil {
			t.Fatal(err)
		}
		if e := entries[i]; e == nil || string(e.summary) != string(one.summary) || string(e.full.Bytes()) != string(one.full.Bytes()) {
			t.Fatalf("entry %d:\n got %+v\nwant %s", i, e, one.full.Bytes())
		}
	}
	if want <= 2*parallelEntries {
		t.Fatalf("only %d entries made: too few to share among processors", want)
	}
}

// TestCompactEntries: compacted entries hold the same bytes as before,
// in copies of their own, and a split body still shares its HTML with
// the entry (what the dialects' bodies share).
func TestCompactEntries(t *testing.T) {
	st := cms.DefaultSettings()
	env := newEntryEnv(nil, &st, "https://cms.example.com", nil, nil)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	posts := []*cms.Post{
		{ID: "65f0c0ffee01234567000001", Title: "Wake windows", Slug: "wake-windows", Status: cms.StatusPublished, PublishedAt: at,
			HTML: "<p>" + strings.Repeat(`Wake windows grow with age, "they say". `, 40) + "</p>"},
		{ID: "65f0c0ffee01234567000002", Title: htmlMark, Slug: "marked", Status: cms.StatusPublished, PublishedAt: at,
			HTML: "<p>A title that holds the mark.</p>"},
	}
	build := []int{0, 1}
	entries := make([]*postEntry, len(posts))
	if err := buildEntries(posts, build, entries, env, nil); err != nil {
		t.Fatal(err)
	}
	type kept struct{ full, html, src, summary string }
	before := make([]kept, len(entries))
	for i, e := range entries {
		before[i] = kept{string(e.full.Bytes()), string(e.html), string(e.src), string(e.summary)}
	}
	old := entries[0].html
	compactEntries(entries, build)
	for i, e := range entries {
		if got := (kept{string(e.full.Bytes()), string(e.html), string(e.src), string(e.summary)}); got != before[i] {
			t.Errorf("entry %d changed in compaction", i)
		}
		if e.full.size != len(before[i].full) || NewBody(e.full.Bytes()).ETag != e.full.ETag {
			t.Errorf("entry %d: the body's size or ETag no longer match its bytes", i)
		}
	}
	if e := entries[0]; !e.split || &e.full.parts[1][0] != &e.html[0] || &e.html[0] == &old[0] {
		t.Error("the split body does not share the entry's new copy of its HTML")
	}
	if e := entries[1]; e.split || len(e.full.parts) != 1 {
		t.Errorf("the body holding the mark: split %v, %d parts", e.split, len(e.full.parts))
	}
	if p := entries[0].public(); p.Title != "Wake windows" || p.HTML != "" {
		t.Errorf("a compacted entry does not read back: %q, %d bytes of HTML", p.Title, len(p.HTML))
	}
}
