package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// BenchmarkPanelPages measures panel pages rendered server-side, through
// the app, with 1,000 posts on the test database (the embedded FerretDB
// unless LULLABY_TEST_MONGODB_URI is set): 900 published, 80 drafts, 20
// scheduled, each with an excerpt, tags, two categories and a 4 KB body.
// Post lists come from the in-memory post index (readmodel.PostIndex), checked
// for freshness with two small reads per page; the last case measures the
// first list after a post changed, which reloads the index.
//
//	go test ./admin -run '^$' -bench PanelPages -benchtime 50x
func BenchmarkPanelPages(b *testing.B) {
	e := MustNewEnv(b)
	br := e.MustPanelSetup(b)
	owner := e.MustOwner(b)
	seedPosts(b, e, owner, 1000)

	for _, path := range []string{"/admin", "/admin/posts", "/admin/posts?status=draft&q=sleep&sort=title",
		"/admin/trash", "/admin/categories", "/admin/settings", "/admin/users"} {
		name := strings.TrimPrefix(path, "/admin/")
		if path == "/admin" {
			name = "dashboard"
		}
		b.Run(name, func(b *testing.B) {
			req := func() *http.Request {
				r := httptest.NewRequest("GET", path, nil)
				r.AddCookie(&http.Cookie{Name: "lullaby_session", Value: br.Cookie("lullaby_session").Value})
				return r
			}
			if res, err := e.App.Test(req(), -1); err != nil || res.StatusCode != 200 {
				b.Fatalf("GET %s: %v %v", path, res.StatusCode, err)
			}
			b.ResetTimer()
			for b.Loop() {
				res, err := e.App.Test(req(), -1)
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("GET %s: %v", path, err)
				}
				res.Body.Close()
			}
		})
	}
	// The first list after a change to any post reloads the post index:
	// one scan of the posts.
	b.Run("posts-after-a-change", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.DB.BumpPostsVersion(b.Context()); err != nil {
				b.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/admin/posts", nil)
			r.AddCookie(&http.Cookie{Name: "lullaby_session", Value: br.Cookie("lullaby_session").Value})
			res, err := e.App.Test(r, -1)
			if err != nil || res.StatusCode != 200 {
				b.Fatalf("GET /admin/posts: %v", err)
			}
			res.Body.Close()
		}
	})
	// With Admin.Run (as cmd/lullaby runs it), the index reloads in the
	// background: a list a moment after a change is served from memory.
	b.Run("posts-after-a-change-with-Run", func(b *testing.B) {
		ctx, cancel := context.WithCancel(b.Context())
		defer cancel()
		go e.Admin.Run(ctx, 50*time.Millisecond)
		for b.Loop() {
			b.StopTimer()
			if _, err := e.DB.BumpPostsVersion(b.Context()); err != nil {
				b.Fatal(err)
			}
			time.Sleep(time.Second) // she is still reading the editor
			b.StartTimer()
			r := httptest.NewRequest("GET", "/admin/posts", nil)
			r.AddCookie(&http.Cookie{Name: "lullaby_session", Value: br.Cookie("lullaby_session").Value})
			res, err := e.App.Test(r, -1)
			if err != nil || res.StatusCode != 200 {
				b.Fatalf("GET /admin/posts: %v", err)
			}
			res.Body.Close()
		}
	})
}

// seedPosts imports n posts: 90% published, 8% drafts, 2% scheduled, with
// five categories.
func seedPosts(tb testing.TB, e *Env, owner *cms.User, n int) {
	tb.Helper()
	ctx := tb.Context()
	cats := []string{}
	for _, name := range []string{"Newborn sleep", "Naps", "Night weaning", "Toddlers", "Research"} {
		cats = append(cats, e.MustCategory(tb, owner, name).ID)
	}
	body := strings.Repeat("Babies wake at night for many reasons; most of them are *normal*. ", 60)
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 4 { // the database serialises writes, but round trips overlap
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				if err := seedPost(ctx, e.Svc, owner, i, cats, body, start); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatal(err)
	}
	e.Svc.Refresh(ctx)
}

func seedPost(ctx context.Context, svc *cms.Service, owner *cms.User, i int, cats []string, body string, start time.Time) error {
	title := fmt.Sprintf("Sleep question %d: why does my baby wake at %d am?", i, i%6+1)
	excerpt := "A short, evidence-based answer with the studies behind it."
	tags := []string{"sleep", "infants", fmt.Sprintf("tag-%d", i%20)}
	catIDs := []string{cats[i%len(cats)], cats[(i+1)%len(cats)]}
	in := cms.PostInput{Title: &title, Excerpt: &excerpt, Body: &body, Tags: &tags, CategoryIDs: &catIDs}
	status := cms.StatusPublished
	if i%25 == 0 || i%50 == 1 {
		status = cms.StatusDraft
	}
	p, err := svc.ImportPost(ctx, owner, in, status, start.Add(-time.Duration(i)*time.Hour))
	if err != nil {
		return fmt.Errorf("import post %d: %w", i, err)
	}
	if i%50 == 1 {
		if _, err := svc.SchedulePost(ctx, owner, p.ID, 0, start.Add(time.Duration(i+1)*time.Hour), cms.Confirmed{}); err != nil {
			return fmt.Errorf("schedule post %d: %w", i, err)
		}
	}
	return nil
}
