package wordpress

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// MustReadAll reads a whole export, failing the test on a fatal error.
// Items with an *ItemError are returned too, the errors by item ID.
func MustReadAll(tb testing.TB, src io.Reader) (*Site, []*Item, map[int64]error) {
	tb.Helper()
	r, err := NewReader(src, Options{})
	if err != nil {
		tb.Fatalf("NewReader: %v", err)
	}
	var items []*Item
	errs := map[int64]error{}
	for it, err := range r.Items() {
		var ie *ItemError
		if err != nil && !errors.As(err, &ie) {
			tb.Fatalf("after %d items: %v", len(items), err)
		}
		if err != nil {
			errs[it.ID] = err
		}
		items = append(items, it)
	}
	return r.Site(), items, errs
}

func mustOpen(tb testing.TB, name string) *os.File {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func byID(items []*Item) map[int64]*Item {
	m := map[int64]*Item{}
	for _, it := range items {
		m[it.ID] = it
	}
	return m
}

func TestReadSite(t *testing.T) {
	t.Parallel()
	site, _, _ := MustReadAll(t, mustOpen(t, "testdata/sleepblog.xml"))
	if site.Title != "Quiet Nights" || site.Link != "https://quietnights.example" || site.Language != "en-GB" ||
		site.WXRVersion != "1.2" || site.BaseSiteURL != "https://quietnights.example" || site.BaseBlogURL != "https://quietnights.example" {
		t.Errorf("site header = %+v", site)
	}
	if want := (Author{ID: 2, Login: "maren", Email: "maren@quietnights.example", DisplayName: "Maren Holt", FirstName: "Maren", LastName: "Holt"}); len(site.Authors) != 1 || site.Authors[0] != want {
		t.Errorf("authors = %+v, want %+v", site.Authors, want)
	}
	var path []string
	for _, c := range site.CategoryPath("contact-naps") {
		path = append(path, c.Name)
	}
	if want := []string{"Sleep", "Naps", "Contact naps & carriers"}; !reflect.DeepEqual(path, want) {
		t.Errorf("CategoryPath(contact-naps) = %q, want %q", path, want)
	}
	if len(site.Tags) != 2 || site.Tags[1] != (Tag{ID: 9, Slug: "early-waking", Name: "Early waking"}) {
		t.Errorf("tags = %+v", site.Tags)
	}
	if len(site.Terms) != 1 || site.Terms[0].Taxonomy != "nav_menu" {
		t.Errorf("terms = %+v", site.Terms)
	}
}

func TestReadItems(t *testing.T) {
	t.Parallel()
	_, items, errs := MustReadAll(t, mustOpen(t, "testdata/sleepblog.xml"))
	if len(items) != 10 || len(errs) != 0 {
		t.Fatalf("got %d items, errors %v; want 10 items, no errors", len(items), errs)
	}
	m := byID(items)

	t.Run("Published block post", func(t *testing.T) {
		it := m[101]
		if it.Title != "Why your toddler wakes at 5am (and what helps)" || it.Slug != "toddler-early-waking" || it.Status != StatusPublish ||
			it.Type != "post" || !it.Sticky || it.Creator != "maren" || it.ThumbnailID != 201 || it.Comments != 2 || it.GUID != "https://quietnights.example/?p=101" {
			t.Errorf("item 101 = %+v", it)
		}
		if want := time.Date(2024, 3, 10, 19, 30, 0, 0, time.UTC); !it.DateGMT.Equal(want) || !it.Date.Equal(want) || !it.ZoneKnown || !it.PubDate.Equal(want) {
			t.Errorf("dates = %v / %v / %v, want %v", it.Date, it.DateGMT, it.PubDate, want)
		}
		if it.Excerpt != "Early waking, and the three things that moved it." {
			t.Errorf("excerpt = %q", it.Excerpt)
		}
		cats, tags := it.Categories(), it.Tags()
		if len(cats) != 2 || cats[0] != (ItemTerm{Domain: "category", Nicename: "routines", Name: "Routines"}) || len(tags) != 2 || tags[1].Nicename != "toddler" {
			t.Errorf("categories %+v, tags %+v", cats, tags)
		}
		if got := it.Meta["swp_pinterest_description"]; len(got) != 1 || got[0] != "Three calm fixes for 5am toddler wake-ups" {
			t.Errorf("meta = %q", got)
		}
		if want := []string{"/2024/03/toddler-early-waking/", "/2024/03/toddler-up-at-5am/", "/?p=101"}; !reflect.DeepEqual(it.OldPaths, want) {
			t.Errorf("OldPaths = %q, want %q", it.OldPaths, want)
		}
	})
	t.Run("Zone from the GMT difference", func(t *testing.T) {
		it := m[102]
		if _, off := it.Date.Zone(); off != 3600 || it.Date.Hour() != 14 || !it.ZoneKnown || !it.Date.Equal(it.DateGMT) {
			t.Errorf("date %v gmt %v", it.Date, it.DateGMT)
		}
	})
	t.Run("Draft with an unset GMT date", func(t *testing.T) {
		it := m[103]
		if it.Status != StatusDraft || !it.DateGMT.IsZero() || it.ZoneKnown || it.Date.Hour() != 22 || it.Slug != "" || !it.PubDate.IsZero() {
			t.Errorf("draft = status %s date %v gmt %v zone %v slug %q", it.Status, it.Date, it.DateGMT, it.ZoneKnown, it.Slug)
		}
		if want := []string{"/?p=103"}; !reflect.DeepEqual(it.OldPaths, want) {
			t.Errorf("OldPaths = %q, want %q", it.OldPaths, want)
		}
	})
	t.Run("Scheduled and private", func(t *testing.T) {
		if m[104].Status != StatusFuture || m[105].Status != StatusPrivate {
			t.Errorf("statuses %s, %s", m[104].Status, m[105].Status)
		}
	})
	t.Run("Unknown status kept and flagged", func(t *testing.T) {
		it := m[106]
		if it.Status != "archived" || it.Status.Known() || len(it.Notes) != 1 || !strings.Contains(it.Notes[0], `"archived"`) {
			t.Errorf("status %q known %v notes %q", it.Status, it.Status.Known(), it.Notes)
		}
	})
	t.Run("Page", func(t *testing.T) {
		it := m[110]
		if it.Type != "page" || it.MenuOrder != 2 || !reflect.DeepEqual(it.OldPaths, []string{"/about/", "/?page_id=110"}) {
			t.Errorf("page = type %q order %d paths %q", it.Type, it.MenuOrder, it.OldPaths)
		}
	})
	t.Run("Attachment", func(t *testing.T) {
		it := m[201]
		if it.Type != "attachment" || it.Status != StatusInherit || it.Parent != 101 || it.AltText != "A dim nursery with blackout blinds" ||
			it.AttachedFile != "2024/03/dark-room.jpg" || it.AttachmentURL != "https://quietnights.example/wp-content/uploads/2024/03/dark-room.jpg" || it.Body.Markdown != "" {
			t.Errorf("attachment = %+v", it)
		}
		if want := []string{"/?attachment_id=204"}; !reflect.DeepEqual(m[204].OldPaths, want) {
			t.Errorf("ugly attachment link: OldPaths = %q, want %q", m[204].OldPaths, want)
		}
	})
	t.Run("Stray control bytes and split CDATA", func(t *testing.T) {
		it := m[107]
		if it.Title != "Bedtime ]]> chaos: a stray byte" || it.Content != "Lights out at seven.Then stories." || it.Slug != "夜-bedtime" {
			t.Errorf("item 107: title %q content %q slug %q", it.Title, it.Content, it.Slug)
		}
	})
}

// TestReadStats checks the scrubbing is counted: the fixture has two
// control bytes in item 107.
func TestReadStats(t *testing.T) {
	t.Parallel()
	r, err := NewReader(mustOpen(t, "testdata/sleepblog.xml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range r.Items() {
		if err != nil {
			t.Fatal(err)
		}
	}
	if s := r.Stats(); s.Items != 10 || s.StrippedBytes != 2 || s.ReplacedBytes != 0 || s.Bytes < 18000 {
		t.Errorf("stats = %+v", s)
	}
}

func TestReadInvalidUTF8(t *testing.T) {
	t.Parallel()
	src := wxr("<item><title>caf\xe9 \xef\xbf\xbe</title><wp:post_id>1</wp:post_id></item>")
	_, items, _ := MustReadAll(t, strings.NewReader(src))
	if len(items) != 1 || items[0].Title != "caf\uFFFD" {
		t.Errorf("items = %+v", items)
	}
}

// wxr wraps items in a minimal valid export.
func wxr(items string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>t</title><link>https://x.example</link><wp:wxr_version>1.2</wp:wxr_version>` + items + `</channel></rss>`
}
