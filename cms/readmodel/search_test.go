package readmodel

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/lullabycms/lullaby/cms"
)

// searchCorpus is a fixed set of small posts written for these tests.
var searchCorpus = []struct{ title, body string }{
	{"Why babies cry at night", "<p>Some crying at bedtime is normal. Soothing helps.</p>"},
	{"Sleep training without tears", "<p>Gentle methods for sleep training a baby of six months.</p>"},
	{"Wake windows by age", "<p>How long a baby stays awake between naps.</p>"},
	{"The four month regression", "<p>Around four months sleep cycles change for good.</p>"},
	{"Bedtime routine basics", "<p>Bath, book, bed: a calm routine in three steps.</p>"},
	{"Naps in the car", "<p>Motion naps count, but they are lighter than crib naps.</p>"},
	{"Early rising fixes", "<p>Early morning wake ups often follow a too-late bedtime. A cry at 5am has causes.</p>"},
	{"Toddler bedtime battles", "<p>Stalling at bedtime is a toddler skill. Set limits kindly.</p>"},
	{"Room sharing safely", "<p>Safe sleep guidance: a firm flat surface in the parents' room.</p>"},
	{"Dropping the night feed", "<p>When a baby no longer needs a night feed, sleep training can help.</p>"},
	{"Swaddle transitions", "<p>Stop swaddling when rolling starts; try a sleep sack.</p>"},
	{"White noise myths", "<p>Continuous sound masks household noise &amp; helps some babies <em>settle</em>.</p>"},
	{"Sleep associations", "<p>Feeding to sleep is an association, not a problem, unless it is one for you.</p>"},
	{"Symbols & <tags>", "<p>A post about a*b and c~d (+plus -minus) with \"quotes\" and 5:00 times.</p>"},
}

// MustSearchSnapshot builds a snapshot of posts with their search index.
func MustSearchSnapshot(tb testing.TB, posts []*cms.Post) *Snapshot {
	tb.Helper()
	st := cms.DefaultSettings()
	st.Site.URL = "https://sleep.example"
	snap, err := buildSnapshot(snapshotInput{version: 1, posts: posts, settings: &st, publicURL: "https://cms.sleep.example"}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	si, err := newSearchIndex()
	if err != nil {
		tb.Fatal(err)
	}
	if err := si.sync(posts, nil, nil, nil); err != nil {
		tb.Fatal(err)
	}
	snap.ext.search = si
	return snap
}

func corpusPosts() []*cms.Post {
	day := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var posts []*cms.Post
	for i, c := range searchCorpus {
		posts = append(posts, &cms.Post{ID: fmt.Sprintf("%024x", i+1), Title: c.title, Slug: fmt.Sprintf("post-%d", i+1), HTML: c.body,
			Status: cms.StatusPublished, PublishedAt: day.AddDate(0, 0, i), Version: 1, Tags: []string{}})
	}
	posts[2].Tags = []string{"naps"}
	return posts
}

func titles(res SearchResult) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Post.Title)
	}
	return out
}

func mustSearch(tb testing.TB, snap *Snapshot, q string, page, limit int) SearchResult {
	tb.Helper()
	res, err := snap.SearchPosts(SearchQuery{Q: q, Page: page, Limit: limit})
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return res
}

func TestSearchQuality(t *testing.T) {
	t.Parallel()
	snap := MustSearchSnapshot(t, corpusPosts())

	t.Run("Stemming", func(t *testing.T) {
		// "crying" finds "cry" and "cry" finds "crying".
		for _, q := range []string{"crying", "cry", "Crying!"} {
			got := titles(mustSearch(t, snap, q, 1, 20))
			for _, want := range []string{"Why babies cry at night", "Early rising fixes"} {
				if !contains(got, want) {
					t.Errorf("%q: hits %q, want %q among them", q, got, want)
				}
			}
		}
	})
	t.Run("Typos", func(t *testing.T) {
		got := titles(mustSearch(t, snap, "slep trainng", 1, 20))
		if len(got) == 0 || got[0] != "Sleep training without tears" {
			t.Errorf("slep trainng: hits %q, want Sleep training without tears first", got)
		}
		if got := titles(mustSearch(t, snap, "regresion", 1, 20)); !contains(got, "The four month regression") {
			t.Errorf("regresion: hits %q", got)
		}
	})
	t.Run("ShortWordsAreExact", func(t *testing.T) {
		// "cat" (3 letters) must not fuzzily match "car".
		if got := titles(mustSearch(t, snap, "cat", 1, 20)); len(got) != 0 {
			t.Errorf("cat: hits %q, want none", got)
		}
	})
	t.Run("Phrase", func(t *testing.T) {
		got := titles(mustSearch(t, snap, `"sleep training"`, 1, 20))
		if len(got) != 2 || !contains(got, "Sleep training without tears") || !contains(got, "Dropping the night feed") {
			t.Errorf(`"sleep training": hits %q, want the two posts with the phrase`, got)
		}
		// The words apart do not make the phrase.
		if got := titles(mustSearch(t, snap, `"sleep night"`, 1, 20)); len(got) != 0 {
			t.Errorf(`"sleep night": hits %q, want none`, got)
		}
		// The body keeps no positions: phrases there are checked against
		// the text. Both words in two bodies, never adjacent:
		for _, q := range []string{`"baby sleep"`, `"training baby"`, `"feed training"`} {
			if got := titles(mustSearch(t, snap, q, 1, 20)); len(got) != 0 {
				t.Errorf("%s: hits %q, want none", q, got)
			}
		}
		// Adjacent in a body only (neither title, excerpt nor tags):
		if got := titles(mustSearch(t, snap, `"household noise"`, 1, 20)); len(got) != 1 || got[0] != "White noise myths" {
			t.Errorf(`"household noise": hits %q, want White noise myths`, got)
		}
	})
	t.Run("TitleAboveBody", func(t *testing.T) {
		got := titles(mustSearch(t, snap, "bedtime", 1, 20))
		if len(got) < 4 {
			t.Fatalf("bedtime: hits %q", got)
		}
		for _, want := range got[:2] {
			if !strings.Contains(strings.ToLower(want), "bedtime") {
				t.Errorf("bedtime: hits %q, want the title hits first", got)
			}
		}
	})
	t.Run("AllWordsElseAny", func(t *testing.T) {
		got := titles(mustSearch(t, snap, "swaddle rolling", 1, 20))
		if len(got) != 1 || got[0] != "Swaddle transitions" {
			t.Errorf("swaddle rolling: %q", got)
		}
		got = titles(mustSearch(t, snap, "swaddle zebra", 1, 20))
		if len(got) != 1 {
			t.Errorf("swaddle zebra: %q, want the swaddle post (no post has both)", got)
		}
	})
	t.Run("SyntaxCharactersAreText", func(t *testing.T) {
		for _, q := range []string{`*`, `~`, `"`, `"unbalanced`, `+-:^()`, `a*b`, `c~d`, `title:swaddle`, `swaddle^10`, `(swaddle`, `-swaddle`, `+swaddle`, `swaddle~2`, `""`, `"" swaddle "`, `\`, `/regex.*/`} {
			res, err := snap.SearchPosts(SearchQuery{Q: q, Page: 1, Limit: 20})
			if err != nil {
				t.Errorf("%q: %v", q, err)
			}
			if strings.Contains(q, "swaddle") && !contains(titles(res), "Swaddle transitions") {
				t.Errorf("%q: hits %q, want the swaddle post", q, titles(res))
			}
		}
	})
	t.Run("Pagination", func(t *testing.T) {
		all := mustSearch(t, snap, "sleep", 1, 100)
		if all.Total < 6 {
			t.Fatalf("sleep: total %d", all.Total)
		}
		var paged []string
		for page := 1; page <= (all.Total+1)/2; page++ {
			res := mustSearch(t, snap, "sleep", page, 2)
			if res.Total != all.Total {
				t.Errorf("page %d: total %d, want %d", page, res.Total, all.Total)
			}
			paged = append(paged, titles(res)...)
		}
		if strings.Join(paged, "|") != strings.Join(titles(all), "|") {
			t.Errorf("pages %q, want %q", paged, titles(all))
		}
		if res := mustSearch(t, snap, "sleep", 100, 2); len(res.Hits) != 0 {
			t.Errorf("past the end: %q", titles(res))
		}
	})
	t.Run("SnippetsEscaped", func(t *testing.T) {
		res := mustSearch(t, snap, "tags symbols", 1, 20)
		if len(res.Hits) == 0 {
			t.Fatal("no hits")
		}
		h := res.Hits[0].Highlights
		if h.Title != "<mark>Symbols</mark> &amp; &lt;<mark>tags</mark>&gt;" {
			t.Errorf("title highlight %q", h.Title)
		}
		res = mustSearch(t, snap, "household", 1, 20)
		if got := res.Hits[0].Highlights.Body; !strings.Contains(got, "<mark>household</mark> noise &amp; helps") || strings.Contains(got, "<em>") {
			t.Errorf("body highlight %q", got)
		}
		res = mustSearch(t, snap, "crying", 1, 20)
		for _, hit := range res.Hits {
			if !strings.Contains(hit.Highlights.Title+hit.Highlights.Body, "<mark>") {
				t.Errorf("%s: no mark in %+v", hit.Post.Title, hit.Highlights)
			}
		}
	})
	t.Run("Body", func(t *testing.T) {
		b, err := snap.Search(SearchQuery{Q: "swaddle", Page: 1, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Data []struct {
				Slug       string            `json:"slug"`
				Score      float64           `json:"score"`
				Highlights map[string]string `json:"highlights"`
			} `json:"data"`
			Meta struct {
				Pagination Pagination `json:"pagination"`
			} `json:"meta"`
		}
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("%v: %s", err, b.Bytes())
		}
		if len(got.Data) != 1 || got.Data[0].Score <= 0 || got.Data[0].Highlights["title"] == "" || got.Meta.Pagination.Total != 1 {
			t.Errorf("body %s", b.Bytes())
		}
		again, _ := snap.Search(SearchQuery{Q: "swaddle", Page: 1, Limit: 5})
		if again != b {
			t.Error("the same query made a new body")
		}
	})
}

func TestSearchIndexUpdates(t *testing.T) {
	t.Parallel()
	posts := corpusPosts()
	si, err := newSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(q string) []string {
		pq := si.parse(q)
		h, err := si.search(pq, 0, 50, nil)
		if err != nil {
			t.Fatal(err)
		}
		return h.ids
	}
	if err := si.sync(posts, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	// Edit one post: the new words are found, the old ones are not.
	edited := *posts[5]
	edited.Version, edited.Title = 2, "Naps on the go"
	edited.HTML = "<p>Stroller snoozes.</p>"
	posts[5] = &edited
	// Unpublish another (it leaves the list).
	gone := posts[10].ID
	posts = append(posts[:10], posts[11:]...)
	if err := si.sync(posts, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids("stroller"); len(got) != 1 || got[0] != edited.ID {
		t.Errorf("stroller: %q", got)
	}
	if got := ids("motion"); len(got) != 0 {
		t.Errorf("motion (old body): %q", got)
	}
	if got := ids("swaddle"); len(got) != 0 {
		t.Errorf("swaddle (unpublished %s): %q", gone, got)
	}
	if len(si.keys) != len(posts) {
		t.Errorf("index keys %d, want %d", len(si.keys), len(posts))
	}
	// Category and reference names are indexed, and renaming one updates.
	cat := &cms.Category{ID: "c1", Name: "Newborns"}
	cite := &cms.Citation{ID: "r1", Title: "Infant colic and maternal wellbeing"}
	posts[0].CategoryIDs, posts[0].References = []string{"c1"}, []string{"r1"}
	posts[0].Version++
	if err := si.sync(posts, []*cms.Category{cat}, map[string]*cms.Citation{"r1": cite}, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids("newborns colic"); len(got) != 1 {
		t.Errorf("newborns colic: %q", got)
	}
	renamed := &cms.Category{ID: "c1", Name: "Preemies"}
	if err := si.sync(posts, []*cms.Category{renamed}, map[string]*cms.Citation{"r1": cite}, nil); err != nil {
		t.Fatal(err)
	}
	if got := ids("preemies"); len(got) != 1 {
		t.Errorf("preemies after the rename: %q", got)
	}
}

// TestSearchIndexCompacts checks that many small updates (one segment
// each, never merged in memory) lead to a rebuild that keeps every post.
func TestSearchIndexCompacts(t *testing.T) {
	t.Parallel()
	posts := corpusPosts()
	si, err := newSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	si.maxSegments = 5
	revise := func(from, to int) {
		for i := from; i < to; i++ {
			posts = slices.Clone(posts) // sync keeps the slice it is given
			p := *posts[i]
			p.Version++
			p.Title += " revised"
			posts[i] = &p
			if err := si.sync(posts, nil, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Twice: the second round shows that a rebuilt index is rebuilt
	// again once it has too many segments of its own.
	for _, round := range [][2]int{{0, 12}, {0, si.maxSegments + 1}} {
		before := si.current()
		revise(round[0], round[1])
		// A rebuild that finishes before the last updates leaves them as
		// new segments, and may start a second rebuild: the count is only
		// final once no rebuild is running.
		if segs := mustSettle(t, si, before); segs > si.maxSegments {
			t.Errorf("%d segments after the rebuild, want at most %d", segs, si.maxSegments)
		}
	}
	h, err := si.search(si.parse("revised"), 0, 50, nil)
	if err != nil || h.total != 12 {
		t.Errorf("revised: %d hits, %v", h.total, err)
	}
	if h, _ := si.search(si.parse("swaddle"), 0, 50, nil); h.total != 1 {
		t.Errorf("swaddle: %d hits", h.total)
	}
}

// mustSettle waits until the index has been rebuilt (it is no longer
// first) and no rebuild is running, and returns its number of segments.
func mustSettle(tb testing.TB, si *searchIndex, first bleve.Index) int {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second) // a loaded machine
	for {
		si.mu.Lock()
		rebuilt, running, segs := si.current() != first, si.rebuilding, si.segments
		si.mu.Unlock()
		if rebuilt && !running {
			return segs
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after 60 s: rebuilt %v, rebuilding %v, %d segments", rebuilt, running, segs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestParseSearchQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q, page, limit, field string
	}{
		{"", "", "", "q"},
		{"   ", "", "", "q"},
		{strings.Repeat("a", 201), "", "", "q"},
		{"sleep", "0", "", "page"},
		{"sleep", "", "101", "limit"},
		{"sleep", "101", "100", "page"},
		{"\xff", "", "", "q"},
	} {
		_, err := ParseSearchQuery(tc.q, tc.page, tc.limit)
		if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)[tc.field] == "" {
			t.Errorf("ParseSearchQuery(%.20q, %q, %q) = %v, want Invalid naming %s", tc.q, tc.page, tc.limit, err, tc.field)
		}
	}
	q, err := ParseSearchQuery("  sleep  ", "2", "5")
	if err != nil || q.Q != "sleep" || q.Page != 2 || q.Limit != 5 {
		t.Errorf("got %+v, %v", q, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSearchFirstBuildInBackground checks that a large first index is
// built off the reload, and that results are not cached until it is.
func TestSearchFirstBuildInBackground(t *testing.T) {
	t.Parallel()
	posts := benchPosts(backgroundIndexPosts + 50)
	st := cms.DefaultSettings()
	snap, err := buildSnapshot(snapshotInput{version: 1, posts: posts, settings: &st}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rm := &ReadModel{log: slog.New(slog.DiscardHandler)}
	rm.indexSearch(snap, nil, nil)
	if snap.ext.search == nil {
		t.Fatal("the snapshot has no index")
	}
	deadline := time.Now().Add(30 * time.Second)
	for !snap.ext.search.built.Load() && time.Now().Before(deadline) {
		b, err := snap.Search(SearchQuery{Q: "sleep", Page: 1, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := snap.Search(SearchQuery{Q: "sleep", Page: 1, Limit: 5}); again == b && !snap.ext.search.built.Load() {
			t.Fatal("a result was cached before the index was built")
		}
		time.Sleep(5 * time.Millisecond)
	}
	res := mustSearch(t, snap, "sleep", 1, 5)
	if res.Total < backgroundIndexPosts {
		t.Errorf("after the build: %d hits", res.Total)
	}
}

// TestSearchPhraseInBody proves phrases are exact in bodies, which the
// index keeps without positions: search checks them against the text.
func TestSearchPhraseInBody(t *testing.T) {
	t.Parallel()
	posts := corpusPosts()[:3]
	for i, body := range []string{
		"<p>Our <em>Gentle</em>\n  Sleep-Training plan starts at dusk.</p>",  // adjacent, across a tag, a hyphen and case
		"<p>Sleep is gentle when the plan is training the whole family.</p>", // the words, apart
		"<p>A <a href=\"/gentle-sleep\">link</a> about gentle habits and sleep.</p>",
	} {
		posts[i].HTML = body
	}
	snap := MustSearchSnapshot(t, posts)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{`"gentle sleep training"`, []string{posts[0].Title}},
		{`"gentle sleep"`, []string{posts[0].Title}}, // not the link's address
		{`"training the whole"`, []string{posts[1].Title}},
		{`"training a whole"`, []string{posts[1].Title}}, // a stop word stands for any word, as in bleve
		{`"sleep gentle"`, nil},
		{`"plan training"`, nil},
		{`"gentle plan"`, nil},
		{`"gentle plan" habits`, []string{posts[2].Title}}, // no post has both: the word alone, not the scattered phrase
	} {
		res := mustSearch(t, snap, tc.q, 1, 20)
		if got := titles(res); !slices.Equal(got, tc.want) || res.Total != len(tc.want) {
			t.Errorf("%s: hits %q (total %d), want %q", tc.q, got, res.Total, tc.want)
		}
	}
}

func TestHasPhrase(t *testing.T) {
	t.Parallel()
	si, err := newSearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	stems := func(ph string) []string {
		return si.parse(`"` + ph + `"`).phrases[0]
	}
	for _, tc := range []struct {
		text   string
		html   bool
		phrase string
		want   bool
	}{
		{"Sleep training works", false, "sleep training", true},
		{"SLEEP TRAINING", false, "sleep trained", true},
		{"sleepy training", false, "sleep training", false},
		{"a sleep. training", false, "sleep training", true}, // as the tokenizer splits it
		{"oversleep training", false, "sleep training", false},
		{"<p>sleep</p><p>training</p>", true, "sleep training", true},
		{"<p>sleep &amp; training</p>", true, "sleep training", true},
		{"<p>the baby&rsquo;s sleep</p>", true, "baby's sleep", true},
		{"<p>crying<sup>1</sup> babies</p>", true, "crying babies", false}, // "crying1"
		{`<a title="sleep training">x</a>`, true, "sleep training", false},
		{"<p>Babies cry at night</p>", true, "crying at night", true},
		{"<p>night &nbsp;waking</p>", true, "night waking", true},
		{"<p>Un CAFÉ crème</p>", true, "café crème", true}, // not ASCII: every word is read
		{"<p>café au lait, crème</p>", true, "café crème", false},
	} {
		if got, _ := si.hasPhrase(tc.text, tc.html, stems(tc.phrase), nil); got != tc.want {
			t.Errorf("%q in %q: %v, want %v", tc.phrase, tc.text, got, tc.want)
		}
	}
}
