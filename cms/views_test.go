package cms_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

const (
	firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	safari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

func mustCounter(tb testing.TB, e *listEnv, rate int) *cms.ViewCounter {
	tb.Helper()
	vc, err := cms.NewViewCounter(cms.ViewCounterConfig{Store: e.db, Logger: cmstest.Logger(), Now: e.clock.Now, RatePerMinute: rate})
	if err != nil {
		tb.Fatal(err)
	}
	return vc
}

// mustTotals flushes vc and returns the all-time views per post.
func mustTotals(tb testing.TB, e *listEnv, vc *cms.ViewCounter) map[string]int64 {
	tb.Helper()
	if err := vc.Flush(context.Background()); err != nil {
		tb.Fatal(err)
	}
	m, err := e.db.ViewTotals(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestViewCounterRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	vc := mustCounter(t, e, 0)
	a, b := cms.NewID(), cms.NewID()
	record := func(post, ip, ua string, want bool) {
		t.Helper()
		if got := vc.Record(ctx, post, ip, ua); got != want {
			t.Fatalf("Record(%s, %s, %.20s) = %v, want %v", post[:6], ip, ua, got, want)
		}
	}

	t.Run("OnePerReaderPerDay", func(t *testing.T) {
		record(a, "203.0.113.7", firefox, true)
		record(a, "203.0.113.7", firefox, false) // same reader, same day
		record(a, "203.0.113.7", safari, true)   // another browser behind the same address
		record(a, "198.51.100.2", firefox, true) // another address
		record(b, "203.0.113.7", firefox, true)  // another post
		if got := mustTotals(t, e, vc); got[a] != 3 || got[b] != 1 {
			t.Fatalf("totals = %v, want a 3, b 1", got)
		}
		e.clock.Set(e.clock.Now().Add(24 * time.Hour))
		record(a, "203.0.113.7", firefox, true) // the next day counts again
		if got := mustTotals(t, e, vc); got[a] != 4 {
			t.Fatalf("totals = %v, want a 4", got)
		}
		days, err := e.db.PostViews(ctx, a, "")
		if err != nil || len(days) != 2 || days[0].Views != 3 || days[1].Views != 1 {
			t.Fatalf("daily buckets = %+v, %v", days, err)
		}
	})
	t.Run("BotsIgnored", func(t *testing.T) {
		for _, ua := range []string{"", "  ", "Googlebot/2.1 (+http://www.google.com/bot.html)",
			"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "curl/8.5.0", "Wget/1.21",
			"python-requests/2.31", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
			"facebookexternalhit/1.1", "Slackbot-LinkExpanding 1.0", "Mozilla/5.0 (compatible; Yahoo! Slurp)", "AhrefsBot/7.0",
			"Mozilla/5.0 (compatible; SemrushBot/7~bl)", "Go-http-client/1.1", "Mozilla/5.0 Discordbot/2.0"} {
			record(b, "192.0.2.55", ua, false)
		}
		if got := mustTotals(t, e, vc); got[b] != 1 {
			t.Fatalf("bots counted: %v", got)
		}
	})
}

func TestViewCounterRateLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	vc := mustCounter(t, e, 5)
	e.clock.Set(time.Date(2025, 6, 10, 12, 0, 0, 0, time.UTC))
	posts := make([]string, 10)
	counted := 0
	for i := range posts {
		posts[i] = cms.NewID()
		if vc.Record(ctx, posts[i], "203.0.113.9", firefox) {
			counted++
		}
	}
	if counted != 5 {
		t.Fatalf("counted %d of 10 beacons in one minute, want the limit 5", counted)
	}
	// Another client is not affected; the same client may go on next minute.
	if !vc.Record(ctx, posts[9], "198.51.100.1", firefox) {
		t.Error("another client was limited")
	}
	e.clock.Set(e.clock.Now().Add(time.Minute))
	if !vc.Record(ctx, posts[9], "203.0.113.9", firefox) {
		t.Error("still limited in the next minute")
	}
	// Flooding one post from one client counts one view, whatever the rate.
	for range 1000 {
		vc.Record(ctx, posts[0], "203.0.113.9", firefox)
	}
	if got := mustTotals(t, e, vc); got[posts[0]] != 1 || got[posts[9]] != 2 {
		t.Fatalf("totals = %v", got)
	}
}

func TestViewCounterFlushOnStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	vc := mustCounter(t, e, 0)
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { vc.Run(run, time.Hour); close(done) }()
	a := cms.NewID()
	for i := range 7 {
		vc.Record(ctx, a, "203.0.113."+strconv.Itoa(i), firefox)
	}
	if vc.Pending() != 7 {
		t.Fatalf("pending = %d", vc.Pending())
	}
	stop()
	<-done
	if err := vc.Flush(ctx); err != nil { // what serve does after the last request
		t.Fatal(err)
	}
	if vc.Pending() != 0 {
		t.Errorf("pending after flush = %d", vc.Pending())
	}
	m, err := e.db.ViewTotals(ctx, "")
	if err != nil || m[a] != 7 {
		t.Fatalf("post_views after stop = %v, %v; want 7", m, err)
	}
}

func TestPopular(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	a, b, c := e.mustPost(t, "Alpha", false, 5), e.mustPost(t, "Bravo", false, 4), e.mustPost(t, "Charlie", false, 3)
	d := e.mustPost(t, "Delta", false, 2)
	draft := e.mustPost(t, "Draft", true, 0)
	today := e.clock.Now()
	day := func(ago int) string { return cms.Day(today.AddDate(0, 0, -ago)) }
	err := e.db.AddViews(ctx, []cms.ViewCount{
		{PostID: a.ID, Day: day(0), Views: 5},
		{PostID: b.ID, Day: day(10), Views: 8},  // in 30d, not 7d
		{PostID: c.ID, Day: day(40), Views: 50}, // all time only
		{PostID: c.ID, Day: day(1), Views: 1},
		{PostID: draft.ID, Day: day(0), Views: 99}, // never shown
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.rm.RefreshPopularity(ctx); err != nil {
		t.Fatal(err)
	}
	type popular struct {
		Data struct {
			Window string
			Posts  []struct {
				Slug   string
				Views  int64
				Pinned bool
			}
		}
	}
	mustPopular := func(want ...string) popular {
		t.Helper()
		body, err := e.rm.Snapshot().List("popular")
		if err != nil {
			t.Fatal(err)
		}
		var got popular
		if err := json.Unmarshal(body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		slugs := []string{}
		for _, p := range got.Data.Posts {
			slugs = append(slugs, p.Slug)
		}
		mustSlugs(t, "popular", slugs, want...)
		return got
	}
	got := mustPopular("bravo", "alpha", "charlie")
	if got.Data.Window != "30d" || got.Data.Posts[0].Views != 8 || got.Data.Posts[2].Views != 1 {
		t.Errorf("popular = %+v", got.Data)
	}

	// Pins go first in her order; excluded posts go.
	settings, err := e.svc.PopularSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.SetPopular(ctx, e.owner, []string{draft.ID}, nil, settings.Version)
	mustField(t, err, cms.KindInvalid, "pinned[0]")
	if _, err = e.svc.SetPopular(ctx, e.owner, []string{d.ID, c.ID}, []string{b.ID}, settings.Version); err != nil {
		t.Fatal(err)
	}
	got = mustPopular("delta", "charlie", "alpha")
	if !got.Data.Posts[0].Pinned || got.Data.Posts[2].Pinned || got.Data.Posts[0].Views != 0 {
		t.Errorf("pins: %+v", got.Data.Posts)
	}

	// sort=popular, per window.
	sorted := func(window string) []string {
		q, err := readmodel.ParsePostQuery("", "", "", "", "popular")
		if err != nil {
			t.Fatal(err)
		}
		if err := q.SetWindow(window); err != nil {
			t.Fatal(err)
		}
		var body struct{ Data []struct{ Slug string } }
		if err := json.Unmarshal(e.rm.Snapshot().Posts(q).Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, p := range body.Data {
			out = append(out, p.Slug)
		}
		return out
	}
	mustSlugs(t, "sort=popular&window=7d", sorted("7d"), "alpha", "charlie", "delta", "bravo")
	mustSlugs(t, "sort=popular&window=30d", sorted("30d"), "bravo", "alpha", "charlie", "delta")
	mustSlugs(t, "sort=popular&window=all", sorted("all"), "charlie", "bravo", "alpha", "delta")
	var q readmodel.PostQuery
	q.Sort = readmodel.SortPopular
	mustField(t, q.SetWindow("1y"), cms.KindInvalid, "window")

	// The admin's numbers.
	top, err := e.svc.TopPosts(ctx, cms.WindowAll, 2)
	if err != nil || len(top) != 2 || top[0].PostID != draft.ID || top[1].PostID != c.ID || top[1].Views != 51 {
		t.Errorf("TopPosts = %+v, %v", top, err)
	}
	chart, err := e.svc.PostViewsByDay(ctx, c.ID, 3)
	if err != nil || len(chart) != 3 || chart[0].Day != day(2) || chart[1].Views != 1 || chart[2].Views != 0 {
		t.Errorf("PostViewsByDay = %+v, %v", chart, err)
	}
	if _, err := e.svc.PostViewsByDay(ctx, c.ID, 0); !cms.IsKind(err, cms.KindInvalid) {
		t.Errorf("days 0: %v", err)
	}
	byDay, err := e.svc.TopPostsByDay(ctx, 11, 3)
	if err != nil || len(byDay) != 3 || byDay[0].PostID != draft.ID || byDay[1].PostID != b.ID || byDay[2].PostID != a.ID ||
		byDay[1].Views != 8 || len(byDay[1].Days) != 11 || byDay[1].Days[0] != (cms.DayViews{Day: day(10), Views: 8}) ||
		byDay[2].Days[10] != (cms.DayViews{Day: day(0), Views: 5}) || byDay[2].Days[9].Views != 0 {
		t.Errorf("TopPostsByDay = %+v, %v", byDay, err)
	}
	_, err = e.svc.TopPostsByDay(ctx, 0, 0)
	mustField(t, err, cms.KindInvalid, "days")
	mustField(t, err, cms.KindInvalid, "limit")

	// A configured window.
	e.rm.SetPopularWindow(cms.Window7d)
	if err := e.rm.RefreshPopularity(ctx); err != nil {
		t.Fatal(err)
	}
	got = mustPopular("delta", "charlie", "alpha")
	if got.Data.Window != "7d" {
		t.Errorf("window = %q", got.Data.Window)
	}
}

// BenchmarkViewCounterRecord measures the in-memory Record path (no
// database: the day's salt is fetched once before the timer starts).
func BenchmarkViewCounterRecord(b *testing.B) {
	e := mustListEnv(b)
	ctx := context.Background()
	posts := make([]string, 1000)
	for i := range posts {
		posts[i] = cms.NewID()
	}
	b.Run("FixedClient", func(b *testing.B) {
		vc := mustCounter(b, e, 0)
		vc.Record(ctx, posts[0], "203.0.113.1", firefox)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				vc.Record(ctx, posts[0], "203.0.113.1", firefox)
			}
		})
	})
	b.Run("RotatingReaders", func(b *testing.B) {
		vc := mustCounter(b, e, 1<<30)
		vc.Record(ctx, posts[0], "203.0.113.1", firefox)
		ips := make([]string, 4096)
		for i := range ips {
			ips[i] = "10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
		}
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				i++
				vc.Record(ctx, posts[i%len(posts)], ips[i%len(ips)], firefox)
			}
		})
	})
	b.Run("Bot", func(b *testing.B) {
		vc := mustCounter(b, e, 0)
		b.ReportAllocs()
		for range b.N {
			vc.Record(ctx, posts[0], "203.0.113.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
		}
	})
}

// TestViewCounterOutcome: Count tells a bot from a repeat, so the beacon
// can mark a bot's read without testing the user agent a second time.
func TestViewCounterOutcome(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	vc := mustCounter(t, e, 0)
	post := cms.NewID()
	for _, c := range []struct {
		ua   string
		want cms.ViewOutcome
	}{
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", cms.ViewBot},
		{"", cms.ViewBot},
		{firefox, cms.ViewCounted},
		{firefox, cms.ViewRepeat},
	} {
		if got := vc.Count(ctx, post, "203.0.113.40", c.ua); got != c.want {
			t.Errorf("Count(%.20q) = %d, want %d", c.ua, got, c.want)
		}
	}
	if got := mustTotals(t, e, vc); got[post] != 1 {
		t.Errorf("views = %d, want 1", got[post])
	}
}

// Instances share the record of readers: a reader whose beacons reach
// several counters on one database is counted once per post per day,
// whichever counter flushes first and however often.
func TestViewCounterSharedReaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustListEnv(t)
	counters := []*cms.ViewCounter{mustCounter(t, e, 0), mustCounter(t, e, 0), mustCounter(t, e, 0)}
	a, b := cms.NewID(), cms.NewID()
	for _, vc := range counters {
		if !vc.Record(ctx, a, "203.0.113.7", firefox) { // new to each counter
			t.Fatal("a reader new to this counter was not taken")
		}
		vc.Record(ctx, a, "198.51.100.2", firefox)
	}
	counters[1].Record(ctx, b, "203.0.113.7", firefox)
	for _, vc := range []*cms.ViewCounter{counters[2], counters[0], counters[1], counters[0]} {
		if err := vc.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i, vc := range counters {
		if n := vc.Pending(); n != 0 {
			t.Errorf("counter %d: %d views pending after its flush", i, n)
		}
	}
	if got := mustTotals(t, e, counters[0]); got[a] != 2 || got[b] != 1 {
		t.Fatalf("totals = %v, want a 2 (two readers on three instances), b 1", got)
	}
	// The next day the same reader counts again, once.
	e.clock.Set(e.clock.Now().Add(24 * time.Hour))
	for _, vc := range counters {
		vc.Record(ctx, a, "203.0.113.7", firefox)
		if err := vc.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := mustTotals(t, e, counters[0]); got[a] != 3 {
		t.Fatalf("totals = %v, want a 3", got)
	}
}

// TestSumViews: the sum over the days from fromDay on, every day for "".
func TestSumViews(t *testing.T) {
	t.Parallel()
	byDay := map[string]map[string]int64{
		"a": {"2026-03-01": 2, "2026-03-05": 3},
		"b": {"2026-02-28": 7},
	}
	if got := cms.SumViews(byDay, ""); got["a"] != 5 || got["b"] != 7 {
		t.Errorf("every day: %v", got)
	}
	if got := cms.SumViews(byDay, "2026-03-05"); got["a"] != 3 || got["b"] != 0 {
		t.Errorf("from 2026-03-05: %v", got)
	}
}
