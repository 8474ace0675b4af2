package readmodel

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

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
		one, err := newPostEntry(p, env, nil)
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

// TestCompactEntries: entries made with a slab (as buildEntries makes
// them) hold the bytes of entries made without, in copies carved from
// the slab, and a split body still shares its HTML with the entry (what
// the dialects' bodies share).
func TestCompactEntries(t *testing.T) {
	st := cms.DefaultSettings()
	env := newEntryEnv(nil, &st, "https://cms.example.com", nil, nil)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	posts := []*cms.Post{
		{ID: "65f0c0ffee01234567000001", Title: "Wake windows", Slug: "wake-windows", Status: cms.StatusPublished, PublishedAt: at,
			HTML: "<p>" + strings.Repeat(`Wake windows grow with age, "they say". `, 40) + "</p>"},
		{ID: "65f0c0ffee01234567000002", Title: htmlMark, Slug: "marked", Status: cms.StatusPublished, PublishedAt: at,
			HTML: "<p>A title that holds the mark.</p>"},
		{ID: "65f0c0ffee01234567000003", Title: "Long", Slug: "long", Status: cms.StatusPublished, PublishedAt: at,
			HTML: "<p>" + strings.Repeat("A post too long to share a chunk. ", 2000) + "</p>"},
	}
	entries := make([]*postEntry, len(posts))
	if err := buildEntries(posts, []int{0, 1, 2}, entries, env, nil); err != nil {
		t.Fatal(err)
	}
	type kept struct{ full, html, src, summary string }
	for i, e := range entries {
		plain, err := newPostEntry(posts[i], env, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := kept{string(plain.full.Bytes()), string(plain.html), string(plain.src), string(plain.summary)}
		if got := (kept{string(e.full.Bytes()), string(e.html), string(e.src), string(e.summary)}); got != want {
			t.Errorf("entry %d differs from one made without a slab", i)
		}
		if e.full.size != len(want.full) || e.full.ETag != plain.full.ETag {
			t.Errorf("entry %d: the body's size or ETag do not match its bytes", i)
		}
		if e.split && &e.full.parts[1][0] != &e.html[0] {
			t.Errorf("entry %d: the split body does not share the entry's HTML", i)
		}
		if cap(e.html) != len(e.html) || cap(e.src) != len(e.src) {
			t.Errorf("entry %d: a slice carved from the slab can grow into the next", i)
		}
	}
	if !entries[0].split || !entries[2].split {
		t.Error("an ordinary post's body is not split around its HTML")
	}
	if e := entries[1]; e.split || len(e.full.parts) != 1 {
		t.Errorf("the body holding the mark: split %v, %d parts", e.split, len(e.full.parts))
	}
	if p := entries[0].public(); p.Title != "Wake windows" || p.HTML != "" {
		t.Errorf("a compacted entry does not read back: %q, %d bytes of HTML", p.Title, len(p.HTML))
	}
}

// TestSlab: slices carved from a slab are copies, one after the other in
// a chunk, and a slice too long to share a chunk is one of its own.
func TestSlab(t *testing.T) {
	var s slab
	a, b := s.keep([]byte("first")), s.keep([]byte("second"))
	if string(a) != "first" || string(b) != "second" || uintptr(unsafe.Pointer(&a[0]))+uintptr(len(a)) != uintptr(unsafe.Pointer(&b[0])) {
		t.Fatal("two small slices are not one after the other in a chunk")
	}
	long := make([]byte, chunkSize/4+1)
	if c := s.keep(long); len(c) != len(long) || &c[0] == &long[0] || cap(s.chunk)-len(s.chunk) < chunkSize-64 {
		t.Fatal("a long slice is not a copy of its own")
	}
	for range 2 * chunkSize / 1000 {
		s.keep(make([]byte, 1000))
	}
	if len(s.chunk) > chunkSize || cap(s.chunk) != chunkSize {
		t.Fatalf("a chunk grew past its size: %d of %d", len(s.chunk), cap(s.chunk))
	}
}
