package main

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// previewSite is her website's preview page, for tests: it reads the post
// its token previews from Lullaby's public API, as a frontend does, shows
// its title, and reports each URL it was opened at.
func previewSite(t *testing.T, lullaby string) (*httptest.Server, <-chan *url.URL) {
	t.Helper()
	opened := make(chan *url.URL, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/preview/") {
			http.NotFound(w, r)
			return
		}
		select {
		case opened <- r.URL:
		default:
		}
		res, err := http.Get(lullaby + "/api/v1/preview?token=" + url.QueryEscape(r.URL.Query().Get("token")))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		var post struct {
			Data struct{ Title string }
		}
		raw, _ := io.ReadAll(res.Body)
		_ = json.Unmarshal(raw, &post)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<!doctype html><title>Preview</title><h1 id="title">`+html.EscapeString(post.Data.Title)+
			`</h1><p id="status">`+res.Status+`</p>`)
	}))
	t.Cleanup(srv.Close)
	return srv, opened
}

// tokenExpiry reads the expiry of a JWT without verifying it.
func tokenExpiry(t *testing.T, token string) time.Time {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is no JWT", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var cl struct {
		Exp int64 `json:"exp"`
	}
	if err := json.Unmarshal(raw, &cl); err != nil || cl.Exp == 0 {
		t.Fatalf("claims %s: %v", raw, err)
	}
	return time.Unix(cl.Exp, 0)
}

// previewReads reads the post with the token through our API, the Ghost
// dialect and the WordPress dialect, naming it by id (and by slug where
// the route takes one), and returns each answer's status by route.
func previewReads(t *testing.T, base, id, slug, token string) map[string]int {
	t.Helper()
	q := url.QueryEscape(token)
	out := map[string]int{}
	for name, path := range map[string]string{
		"ours by token":   "/api/v1/preview?token=" + q,
		"ours by slug":    "/api/v1/posts/" + slug + "?preview=" + q,
		"Ghost by id":     "/ghost/api/content/posts/" + id + "/?preview=" + q,
		"Ghost by slug":   "/ghost/api/content/posts/slug/" + slug + "/?preview=" + q,
		"WordPress by id": "/wp-json/wp/v2/posts/" + id + "?preview=" + q,
	} {
		status, h, body := call(t, "GET", base+path, "", nil)
		out[name] = status
		if status == 200 {
			if cc := h.Get("Cache-Control"); cc != "private, no-store" || h.Get("ETag") != "" {
				t.Errorf("%s: Cache-Control %q, ETag %q", name, cc, h.Get("ETag"))
			}
			if !strings.Contains(string(body), id) && !strings.Contains(string(body), slug) {
				t.Errorf("%s: not the post: %s", name, body)
			}
		}
	}
	return out
}

// TestBrowserPreviewOnSite: "Preview on site" first says where to set her
// website's preview address; once she set it in Settings, it saves her
// new draft and opens her website's preview page with a token, and the
// page reads the draft through the public API. The same token reads the
// draft through our API and both dialects, but not another post, and
// nothing once it has expired (the lifetime is made short here).
func TestBrowserPreviewOnSite(t *testing.T) {
	r, b, owner := mustEditorSessionWith(t, "/admin/posts/new", map[string]string{"LULLABY_PREVIEW_TTL": "6s"})
	site, opened := previewSite(t, r.base)

	b.Do(t, "Preview on site before a preview address is set",
		chromedp.WaitVisible(chromedp.ID("preview-site")),
		chromedp.Click(chromedp.ID("preview-site")),
		chromedp.WaitVisible(chromedp.ID("preview-site-unset")),
		waitText("#preview-site-unset", "Settings"),
	)

	template := site.URL + "/preview/{slug}?id={id}&token={token}"
	b.Do(t, "set the preview address",
		navigate(r.base+"/admin/settings"),
		chromedp.WaitVisible(chromedp.ID("previewUrl")),
		chromedp.SendKeys(chromedp.ID("previewUrl"), site.URL+"/preview/{slug}"),
		chromedp.Click(chromedp.CSS(`.settings-form button[type=submit]`)),
		waitText("#previewUrl-error", "{token}"),
		chromedp.SetValue(chromedp.ID("previewUrl"), template),
		chromedp.Click(chromedp.CSS(`.settings-form button[type=submit]`)),
		waitText(".flash", "Settings saved"),
	)

	const title = "Early waking at five"
	b.Do(t, "write a draft and preview it on the site",
		navigate(r.base+"/admin/posts/new"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), title),
		setEditorBody("Toddlers who wake at *five* need an earlier bedtime."),
		chromedp.Click(chromedp.ID("preview-site")),
		waitText("#preview-site-note", "works until"),
	)
	var u *url.URL
	select {
	case u = <-opened:
	case <-time.After(20 * time.Second):
		t.Fatal("the preview page was not opened")
	}
	token, id := u.Query().Get("token"), u.Query().Get("id")
	if u.Path != "/preview/early-waking-at-five" || !cms.ValidID(id) || token == "" {
		t.Fatalf("opened %s", u)
	}
	exp := tokenExpiry(t, token)
	for name, status := range previewReads(t, r.base, id, "early-waking-at-five", token) {
		if status != 200 {
			t.Errorf("%s with a fresh token: %d", name, status)
		}
	}
	saved, err := r.srv.svc.GetPost(t.Context(), id)
	if err != nil || saved.Title != title || saved.Status != cms.StatusDraft {
		t.Fatalf("the draft was not saved first: %+v, %v", saved, err)
	}
	if status, _, _ := call(t, "GET", r.base+"/api/v1/posts/early-waking-at-five", "", nil); status != 404 {
		t.Errorf("the draft without a token: %d", status)
	}

	// The tab shows what her website made of it.
	var tab target.ID
	deadline := time.Now().Add(15 * time.Second)
	for tab == "" && time.Now().Before(deadline) {
		targets, err := chromedp.Targets(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range targets {
			if ti.Type == "page" && strings.HasPrefix(ti.URL, site.URL+"/preview/") {
				tab = ti.TargetID
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if tab == "" {
		t.Fatal("no tab shows the preview page")
	}
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(tab))
	t.Cleanup(cancel)
	if err := chromedp.Do(tctx); err != nil {
		t.Fatal(err)
	}
	pv := &browser{ctx: tctx, base: b.base}
	pv.Do(t, "the preview page shows the draft", waitText("#title", title), waitText("#status", "200"))

	other, err := r.srv.svc.CreatePost(t.Context(), owner, cms.PostInput{Title: ptrTo("Another draft"), Body: ptrTo("Not this one.")})
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"ours":      "/api/v1/posts/" + other.ID + "?preview=",
		"Ghost":     "/ghost/api/content/posts/" + other.ID + "/?preview=",
		"WordPress": "/wp-json/wp/v2/posts/" + other.ID + "?preview=",
	} {
		if status, _, body := call(t, "GET", r.base+path+url.QueryEscape(token), "", nil); status != 403 {
			t.Errorf("%s, another post: %d %s", name, status, body)
		}
	}

	time.Sleep(time.Until(exp) + 1100*time.Millisecond)
	for name, status := range previewReads(t, r.base, id, "early-waking-at-five", token) {
		if status != 401 {
			t.Errorf("%s with an expired token: %d", name, status)
		}
	}
}
