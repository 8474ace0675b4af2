package public_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// searchBody is GET /api/v1/search decoded.
type searchBody struct {
	Data []struct {
		Slug       string            `json:"slug"`
		Title      string            `json:"title"`
		Score      float64           `json:"score"`
		Highlights map[string]string `json:"highlights"`
	} `json:"data"`
	Meta struct {
		Pagination readmodel.Pagination `json:"pagination"`
	} `json:"meta"`
}

func (f *fixture) MustSearch(tb testing.TB, q string, extra string) searchBody {
	tb.Helper()
	r := f.Get(tb, "/api/v1/search?q="+url.QueryEscape(q)+extra)
	MustStatus(tb, r, 200)
	var b searchBody
	MustJSON(tb, r.body, &b)
	return b
}

func (b searchBody) slugs() []string {
	var out []string
	for _, d := range b.Data {
		out = append(out, d.Slug)
	}
	return out
}

func TestSearchAPI(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	MustBlog(t, f)
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		b := f.MustSearch(t, "wake windos", "")
		if len(b.Data) == 0 || b.Data[0].Slug != "wake-windows-explained" || b.Data[0].Score <= 0 {
			t.Fatalf("wake windos: %+v", b)
		}
		if got := b.Data[0].Highlights["title"]; got != "<mark>Wake</mark> <mark>windows</mark> explained" {
			t.Errorf("title highlight %q", got)
		}
		if b.Meta.Pagination.Total != len(b.Data) || b.Meta.Pagination.Limit != 20 {
			t.Errorf("pagination %+v", b.Meta.Pagination)
		}
	})
	t.Run("HiddenPostsNotFound", func(t *testing.T) {
		for _, q := range []string{"secret draft", "scheduled for later", "trashed post"} {
			if b := f.MustSearch(t, q, ""); len(b.Data) != 0 {
				t.Errorf("%q found %v", q, b.slugs())
			}
		}
	})
	t.Run("Pagination", func(t *testing.T) {
		b := f.MustSearch(t, "baby babies wake bedtime night calm", "&limit=1&page=2")
		if len(b.Data) != 1 || b.Meta.Pagination.Page != 2 || b.Meta.Pagination.Limit != 1 || b.Meta.Pagination.Total < 2 {
			t.Errorf("page 2: %+v", b)
		}
	})
	t.Run("SyntaxCharacters", func(t *testing.T) {
		for _, q := range []string{`*`, `"`, `~`, `"unbalanced wake`, `wake~2`, `title:wake`, `+-:^()`, `<script>`, `%`, `\`} {
			f.MustSearch(t, q, "")
		}
	})
	t.Run("ETag304", func(t *testing.T) {
		r := f.Get(t, "/api/v1/search?q=wake")
		req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=wake", nil)
		req.Header.Set("If-None-Match", r.header.Get("ETag"))
		MustStatus(t, f.Do(t, req), http.StatusNotModified)
	})
	t.Run("BadInput", func(t *testing.T) {
		for _, tc := range []struct{ query, field string }{
			{"", "q"},
			{"?q=", "q"},
			{"?q=%20%20", "q"},
			{"?q=" + strings.Repeat("a", 201), "q"},
			{"?q=" + strings.Repeat("é", 201), "q"},
			{"?q=" + strings.Repeat("a", 3000), "q"},
			{"?q=sleep&page=0", "page"},
			{"?q=sleep&limit=1000", "limit"},
			{"?q=sleep&page=500&limit=100", "page"},
		} {
			r := f.Get(t, "/api/v1/search"+tc.query)
			MustStatus(t, r, 400)
			if ct := r.header.Get("Content-Type"); ct != "application/problem+json" || !strings.Contains(string(r.body), `"`+tc.field+`"`) {
				t.Errorf("%.40s: %s %s, want a problem naming %s", tc.query, ct, r.body, tc.field)
			}
		}
	})
	t.Run("FollowsPublishEditUnpublish", func(t *testing.T) {
		p := f.MustPublished(t, "Pacifier weaning", "Gently wean the dummy.", day0.AddDate(0, 1, 0), nil)
		if b := f.MustSearch(t, "pacifier", ""); len(b.Data) != 1 {
			t.Fatalf("after publishing: %v", b.slugs())
		}
		title := "Dummy weaning"
		cur, err := f.svc.GetPost(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdatePost(ctx, f.owner, p.ID, cms.PostInput{Title: &title, Version: &cur.Version}); err != nil {
			t.Fatal(err)
		}
		f.svc.Refresh(ctx)
		if b := f.MustSearch(t, "pacifier", ""); len(b.Data) != 0 {
			t.Errorf("old title still found: %v", b.slugs())
		}
		if b := f.MustSearch(t, "dummy weaning", ""); len(b.Data) != 1 || b.Data[0].Title != title {
			t.Errorf("new title: %+v", b.Data)
		}
		cur, _ = f.svc.GetPost(ctx, p.ID)
		if _, err := f.svc.UnpublishPost(ctx, f.owner, p.ID, cur.Version); err != nil {
			t.Fatal(err)
		}
		f.svc.Refresh(ctx)
		if b := f.MustSearch(t, "dummy weaning", ""); len(b.Data) != 0 {
			t.Errorf("unpublished post found: %v", b.slugs())
		}
	})
}

// TestSearchHugeQueryString sends a 10 KB query string to a listening
// server: fasthttp refuses the request line (431) before any handler.
func TestSearchHugeQueryString(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.app.Listener(ln) }()
	t.Cleanup(func() { _ = f.app.Shutdown() })
	res, err := http.Get("http://" + ln.Addr().String() + "/api/v1/search?q=" + strings.Repeat("x", 10<<10))
	if errors.Is(err, syscall.ECONNRESET) {
		return // refused and closed before the client had written the whole line
	}
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 400 && res.StatusCode != 414 && res.StatusCode != 431 {
		t.Errorf("status %d, want 400, 414 or 431", res.StatusCode)
	}
}
