package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserFeaturedDragAndDrop: she features three published posts,
// opens the lists screen, drags the third post to the top of the featured
// list with the mouse, saves, and the public API serves the new order.
// Readers' views then show on the popular list and the dashboard's chart.
func TestBrowserFeaturedDragAndDrop(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_VIEWS_FLUSH_INTERVAL": "100ms"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin/api/v1"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/setup", "", creds, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": creds["email"], "password": creds["password"]}, &session)
	tok := session.Token

	titles := []string{"Why newborns wake at night", "A calm bedtime routine", "Short naps and what helps"}
	var posts []postJSON
	for _, title := range titles {
		var p postJSON
		MustCall(t, 201, "POST", admin+"/posts", tok, map[string]any{"title": title, "body": "Some text about " + title + "."}, &p)
		MustCall(t, 200, "POST", admin+"/posts/"+p.ID+"/publish", tok, map[string]any{"version": p.Version}, &p)
		MustCall(t, 200, "PUT", admin+"/lists/featured/posts/"+p.ID, tok, nil, nil)
		posts = append(posts, p)
	}
	publicOrder := func() []string {
		var l struct {
			Posts []struct{ ID, Slug string }
		}
		MustCall(t, 200, "GET", r.base+"/api/v1/lists/featured", "", nil, &l)
		out := []string{}
		for _, p := range l.Posts {
			out = append(out, p.Slug)
		}
		return out
	}
	if got, want := strings.Join(publicOrder(), " "), posts[0].Slug+" "+posts[1].Slug+" "+posts[2].Slug; got != want {
		t.Fatalf("featured before = %s, want %s", got, want)
	}

	b.logIn(t, creds["email"], creds["password"], "/admin/lists")
	entry := func(p postJSON) string { return `li.list-entry[data-id="` + p.ID + `"]` }
	b.Do(t, "open the lists screen",
		navigate(r.base+"/admin/lists"),
		chromedp.WaitVisible(chromedp.CSS(entry(posts[2])+` .drag-handle`)),
		waitJS(`!!window.Sortable`),
		chromedp.ScrollIntoView(chromedp.CSS(`.list-entries`)),
	)
	// A real drag: the mouse goes down on the third post's handle, moves
	// in steps over the first post, and is released there.
	b.Do(t, "drag the third post to the top",
		chromedp.DragAndDrop(chromedp.CSS(entry(posts[2])+` .drag-handle`), chromedp.CSS(entry(posts[0])+` .drag-handle`)),
		waitJS(`document.querySelector('li.list-entry').dataset.id === `+strconv.Quote(posts[2].ID)),
	)
	order := Get(t, b, "order on the page", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('li.list-entry')).map(function(li){return li.dataset.id})`))
	if want := []string{posts[2].ID, posts[0].ID, posts[1].ID}; strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("order after the drag = %v, want %v", order, want)
	}
	b.Do(t, "save",
		chromedp.Click(chromedp.CSS(`button.save-list`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	flash := Get(t, b, "flash", chromedp.Text(chromedp.CSS(`.flash`)))
	if !strings.Contains(flash, "Saved “Featured”.") {
		t.Errorf("flash = %q, want it to say the list was saved", flash)
	}
	if got, want := strings.Join(publicOrder(), " "), posts[2].Slug+" "+posts[0].Slug+" "+posts[1].Slug; got != want {
		t.Fatalf("public featured list after the drag = %s, want %s", got, want)
	}

	// In her time zone (Berlin, UTC+1 in January) she features the top
	// post from 9:00 on 15 January 2030: stored as 8:00 UTC, shown as 9:00.
	b.Do(t, "a start date in Berlin time",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			return tg.Call(ctx, "Emulation.setTimezoneOverride", map[string]string{"timezoneId": "Europe/Berlin"}, nil)
		}),
		navigate(r.base+"/admin/lists"),
		chromedp.WaitVisible(chromedp.CSS(`li.list-entry input[name="start"]`)),
		chromedp.SetValue(chromedp.CSS(`li.list-entry input[name="start"]`), "2030-01-15T09:00"),
		chromedp.Click(chromedp.CSS(`button.save-list`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	var featured struct {
		Entries []struct{ PostID, Start string }
	}
	MustCall(t, 200, "GET", admin+"/lists/featured", tok, nil, &featured)
	if len(featured.Entries) != 3 || featured.Entries[0].PostID != posts[2].ID || featured.Entries[0].Start != "2030-01-15T08:00:00Z" {
		t.Fatalf("featured entries = %+v, want %s first, from 2030-01-15T08:00:00Z", featured.Entries, posts[2].ID)
	}
	shown := Get(t, b, "start shown", chromedp.Value(chromedp.CSS(`li.list-entry input[name="start"]`)))
	hint := Get(t, b, "time hint", chromedp.Text(chromedp.CSS(`.time-hint`)))
	if shown != "2030-01-15T09:00" || !strings.Contains(hint, "Europe/Berlin") {
		t.Errorf("start shown as %q with hint %q, want 2030-01-15T09:00 in Europe/Berlin", shown, hint)
	}

	// Readers open the posts: the views show on the popular list and the
	// dashboard once flushed.
	for i, p := range posts {
		for n := range 3 + 2*i {
			req, _ := http.NewRequest("POST", r.base+"/api/v1/posts/"+p.Slug+"/views", nil)
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Reader/"+strconv.Itoa(n))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusNoContent {
				t.Fatalf("beacon = %d, want 204", res.StatusCode)
			}
		}
	}
	waitFor(t, "views flushed", 10*time.Second, func() bool {
		var d []struct{ Views int64 }
		MustCall(t, 200, "GET", admin+"/posts/"+posts[2].ID+"/views?days=1", tok, nil, &d)
		return len(d) == 1 && d[0].Views == 7
	})
	b.Do(t, "the popular list",
		navigate(r.base+"/admin/lists"),
		chromedp.WaitVisible(chromedp.CSS(`.popular-table`)),
	)
	b.Screenshot(t, "lists")
	// On a phone a title keeps most of the width (not a word per line).
	b.Do(t, "the popular list on a phone", chromedp.EmulateViewport(375, 812), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`.popular-table`)))
	if w := Get(t, b, "title cell width", chromedp.Evaluate[float64](`Math.min.apply(null, Array.from(document.querySelectorAll('.popular-table tbody td:nth-child(2)')).map(function(td){return td.getBoundingClientRect().width}))`)); w < 200 {
		t.Errorf("at 375 px the popular list's title cells are %.0f px wide, want at least 200", w)
	}
	b.Do(t, "desktop width", chromedp.EmulateViewport(1280, 900))
	b.Do(t, "the dashboard's chart",
		navigate(r.base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS(`svg.views-chart rect.bar`)),
	)
	b.Screenshot(t, "dashboard")
}
