package readmodel

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Benchmarks of search over a synthetic corpus: run with
//
//	go test ./cms -run '^$' -bench 'Search1k$|Search10k$' -benchtime 1000x
//	go test ./cms -run '^$' -bench 'IndexBuild10k|UpdateOne' -benchtime 1x
//
// They report the p50 and p99 latency of a query (parse, bleve, and the
// highlights of one page of 20 hits: the uncached cost of a request), the
// time to index 10,000 posts and the heap the index holds after a GC.

// benchWords is a vocabulary: sleep words first (common), then made-up
// words so that the dictionary is as large as a real blog's.
var benchWords = func() []string {
	words := strings.Fields(`sleep baby babies toddler nap naps night bedtime routine wake window windows crying cry
		soothing swaddle crib bassinet feed feeding milk regression month months newborn infant parent parents
		training gentle method schedule early morning evening dark room noise white sack blanket safe safety
		rolling teething tooth growth spurt separation anxiety nightmare terror dream pacifier dummy comfort
		calm bath book story lullaby rocking holding contact cycle cycles melatonin light daylight research
		study studies evidence pediatric consultant sleepy overtired cortisol association associations`)
	r := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	for len(words) < 20000 {
		n := 3 + r.IntN(8)
		var b strings.Builder
		for range n {
			b.WriteByte(letters[r.IntN(len(letters))])
		}
		words = append(words, b.String())
	}
	return words
}()

// benchPosts makes n posts of 200-1,200 words (about 1.5-8 KB of HTML).
func benchPosts(n int) []*cms.Post {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	word := func() string {
		// Zipf-like: sleep words are frequent, the long tail rare.
		if r.IntN(3) == 0 {
			return benchWords[r.IntN(100)]
		}
		return benchWords[int(float64(len(benchWords))*r.Float64()*r.Float64())]
	}
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	posts := make([]*cms.Post, n)
	for i := range posts {
		var title []string
		for range 3 + r.IntN(6) {
			title = append(title, word())
		}
		var body strings.Builder
		words := 200 + r.IntN(1000)
		for w := 0; w < words; {
			body.WriteString("<p>")
			for range 40 {
				body.WriteString(word())
				body.WriteByte(' ')
				w++
			}
			body.WriteString("</p>\n")
		}
		posts[i] = &cms.Post{ID: fmt.Sprintf("%024x", i+1), Title: strings.Join(title, " "), Slug: fmt.Sprintf("post-%d", i),
			HTML: body.String(), Excerpt: word() + " " + word() + " " + word(), Tags: []string{word(), word()},
			Status: cms.StatusPublished, PublishedAt: day.Add(time.Duration(i) * time.Hour), Version: 1}
	}
	return posts
}

var benchQueries = []string{
	"sleep", "baby crying", "slep trainng", `"sleep training"`, "toddler bedtime routine", "regresion",
	"pacifier", "white noise", "swadle", "early morning wake", "teething night", `"bedtime routine" toddler`,
	"melatonin research", "overtired cortisol", "newborn feeding schedule", "nap",
}

var benchSnaps sync.Map // n -> *Snapshot

func benchSnapshot(b *testing.B, n int) *Snapshot {
	if s, ok := benchSnaps.Load(n); ok {
		return s.(*Snapshot)
	}
	s := MustSearchSnapshot(b, benchPosts(n))
	benchSnaps.Store(n, s)
	return s
}

func benchmarkSearch(b *testing.B, n int) {
	snap := benchSnapshot(b, n)
	for _, q := range benchQueries { // warm the stem cache: steady state is what counts
		_, _, _ = snap.searchPosts(SearchQuery{Q: q, Page: 1, Limit: 20})
	}
	runtime.GC()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := SearchQuery{Q: benchQueries[i%len(benchQueries)], Page: 1 + i/len(benchQueries)%2, Limit: 20}
		t0 := time.Now()
		if _, _, err := snap.searchPosts(q); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[len(times)*99/100]), "p99-ms")
}

func BenchmarkSearch1k(b *testing.B)  { benchmarkSearch(b, 1000) }
func BenchmarkSearch10k(b *testing.B) { benchmarkSearch(b, 10000) }

// BenchmarkSearchIndexBuild10k indexes 10,000 posts; heap-MB is what the
// index holds after a GC (HeapAlloc with it minus without).
func BenchmarkSearchIndexBuild10k(b *testing.B) {
	posts := benchPosts(10000)
	var ms runtime.MemStats
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		t0 := time.Now()
		si, err := newSearchIndex()
		if err != nil {
			b.Fatal(err)
		}
		if err := si.sync(posts, nil, nil, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(t0).Seconds(), "build-s")
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(int64(ms.HeapAlloc)-int64(before))/(1<<20), "heap-MB")
		runtime.KeepAlive(si)
		_ = si.idx.Close()
	}
}

// BenchmarkSearchUpdateOne re-indexes one edited post among 10,000: the
// work a save adds to the read model's reload.
func BenchmarkSearchUpdateOne(b *testing.B) {
	snap := benchSnapshot(b, 10000)
	si := snap.ext.search
	posts := make([]*cms.Post, len(snap.posts))
	for i, e := range snap.posts {
		posts[i] = e.post
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		posts = slices.Clone(posts) // sync keeps the slice it is given
		p := *posts[0]
		p.Version += i + 1
		posts[0] = &p
		if err := si.sync(posts, nil, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRelated10k is the cost of suggesting related posts for one post
// among 10,000 (paid on a post's first request in a content version).
func BenchmarkRelated10k(b *testing.B) {
	snap := benchSnapshot(b, 10000)
	snap.features()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = snap.related(i % len(snap.posts))
	}
}
