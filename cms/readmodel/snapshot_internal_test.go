package readmodel

import (
	"fmt"
	"runtime"
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
	if err := buildEntries(posts, build, entries, env); err != nil {
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
