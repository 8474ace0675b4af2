package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// editorFixture is a running Lullaby with an owner logged in in a browser,
// a cover, two pins (the second hidden) and a post using them.
type editorFixture struct {
	r      *running
	b      *browser
	owner  *cms.User
	post   *cms.Post
	cover  *cms.Media
	pins   [2]*cms.Media
	editor string // the post's editor URL
}

// mustEditorFixture starts Lullaby, sets up an owner and logs her in, and
// stores a post with a cover, a visible and a hidden pin, a citation and
// body long enough to scroll on a phone.
func mustEditorFixture(t *testing.T) *editorFixture {
	t.Helper()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	svc, ctx := r.srv.svc, context.Background()
	email, password := "jo@example.com", "a long enough password"
	owner, err := svc.Setup(ctx, cms.UserInput{Email: &email, Name: ptrTo("Jo Rivers"), Password: &password})
	if err != nil {
		t.Fatal(err)
	}
	f := &editorFixture{r: r, b: MustBrowser(t, r.base), owner: owner}
	upload := func(name string, w, h int) *cms.Media {
		m, err := svc.UploadMedia(ctx, owner, name, "", bytes.NewReader(cmstest.MustJPEG(t, w, h)))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	f.cover = upload("cover.jpg", 1600, 900)
	f.pins[0], f.pins[1] = upload("pin-shown.jpg", 1000, 1500), upload("pin-hidden.jpg", 1200, 1800)
	if _, err := svc.CreateCitation(ctx, owner, cms.Citation{Key: "price2012", Type: cms.CiteArticle,
		Title:   "Five-year follow-up of harms and benefits of behavioral infant sleep intervention",
		Authors: []cms.Name{{Family: "Price", Given: "Anna M. H."}, {Family: "Wake", Given: "Melissa"}},
		Year:    2012, Container: "Pediatrics", Volume: "130", Issue: "4", Pages: "643-651", DOI: "10.1542/peds.2011-3467"}); err != nil {
		t.Fatal(err)
	}
	var body strings.Builder
	body.WriteString("Sleep training does not harm children in the long run [@price2012].\n\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&body, "## Step %d\n\nA calm, predictable routine helps babies settle; keep the room dark and quiet.\n\n", i)
	}
	title, text := "A calm bedtime routine", body.String()
	f.post, err = svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &text,
		Cover: &cms.ImageInput{MediaID: f.cover.ID, Alt: "A cot by a window"},
		Pins: &[]cms.PinInput{{MediaID: f.pins[0].ID, Title: "Bedtime routine in four steps"},
			{MediaID: f.pins[1].ID, Title: "Hidden pin", Hidden: true}}})
	if err != nil {
		t.Fatal(err)
	}
	f.editor = r.base + "/admin/posts/" + f.post.ID
	f.b.logIn(t, email, password, "/admin/posts/"+f.post.ID)
	return f
}

func ptrTo[T any](v T) *T { return &v }

// inViewport is a script that says whether the element's box lies wholly
// inside the viewport and is the element found at its centre (nothing
// covers it).
func inViewport(sel string) string {
	return `(function(){var e=document.querySelector(` + jsString(sel) + `);if(!e)return false;
var r=e.getBoundingClientRect();if(r.width===0||r.height===0)return false;
if(r.top<0||r.left<0||r.bottom>window.innerHeight||r.right>window.innerWidth)return false;
var hit=document.elementFromPoint(r.left+r.width/2,r.top+r.height/2);return !!hit&&(hit===e||e.contains(hit));})()`
}

// TestBrowserEditorPhone: on a 375 px wide phone the action bar (status,
// Save, Publish, Preview) stays on screen at every scroll position of a
// long post, and the editor's sections fold away, remembered on reload.
func TestBrowserEditorPhone(t *testing.T) {
	t.Parallel()
	f := mustEditorFixture(t)
	b := f.b
	b.Do(t, "phone editor",
		chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
		navigate(f.editor),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
	)
	height := Get(t, b, "page height", chromedp.Evaluate[int](`document.documentElement.scrollHeight - window.innerHeight`))
	if height < 3*812 {
		t.Fatalf("the editor scrolls only %d px at 375 px wide: the test needs a long page", height)
	}
	for _, frac := range []float64{0, 0.2, 0.4, 0.6, 0.8, 1} {
		y := int(frac * float64(height))
		b.Do(t, fmt.Sprintf("scroll to %d", y), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`window.scrollTo(0, %d)`, y)))
		for _, sel := range []string{"#action-bar", "#action-status", "#save-draft", "#publish", "#preview-button"} {
			if !Get(t, b, "is "+sel+" on screen", chromedp.Evaluate[bool](inViewport(sel))) {
				rect := Get(t, b, "rect", chromedp.Evaluate[string](`JSON.stringify(document.querySelector(`+jsString(sel)+`).getBoundingClientRect())`))
				t.Errorf("scrolled to %d px: %s is not wholly visible and uncovered: %s", y, sel, rect)
			}
		}
	}
	if got := Get(t, b, "status in the bar", chromedp.Text(chromedp.ID("action-status"))); got != "Draft" {
		t.Errorf("the action bar's status = %q, want Draft", got)
	}
	if w := Get(t, b, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 375 {
		t.Errorf("the editor is %d px wide at 375 px: it scrolls sideways", w)
	}
	b.Do(t, "top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.ScreenshotView(t, "editor-phone")

	// A section folds away and stays folded after a reload.
	b.Do(t, "fold the SEO section",
		chromedp.ScrollIntoView(chromedp.ID("seo-heading")),
		chromedp.Click(chromedp.CSS(`#seo-heading button`)),
		waitJS(`document.getElementById('section-seo').hidden`),
	)
	if got := Get(t, b, "aria-expanded", chromedp.Evaluate[string](`document.querySelector('#seo-heading button').getAttribute('aria-expanded')`)); got != "false" {
		t.Errorf("the folded section's button says aria-expanded=%q", got)
	}
	b.Do(t, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		waitJS(`document.getElementById('section-seo') && document.getElementById('section-seo').hidden`),
		chromedp.Click(chromedp.CSS(`#seo-heading button`)),
		waitJS(`!document.getElementById('section-seo').hidden && document.getElementById('seo-title').offsetHeight > 0`),
	)
	b.Do(t, "desktop width", chromedp.EmulateViewport(1280, 900))
	if pos := Get(t, b, "bar position", chromedp.Evaluate[string](`getComputedStyle(document.getElementById('action-bar')).position`)); pos == "fixed" {
		t.Errorf("on a wide screen the action bar is fixed; want it in the Publish card")
	}
}

// TestBrowserReaderPreview: "Preview" shows her unsaved edits as a
// frontend would: the cover, the text with its in-text citation and
// reference list, the visible pin only, her bio and the call to action,
// with every image loaded.
func TestBrowserReaderPreview(t *testing.T) {
	t.Parallel()
	f := mustEditorFixture(t)
	b, ctx := f.b, context.Background()
	st, err := f.r.srv.svc.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.srv.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{Version: &st.Version,
		Author: &cms.AuthorProfile{Name: "Jo Rivers", Title: "Certified pediatric sleep consultant", Bio: "Jo helps tired families sleep.",
			PhotoMediaID: f.pins[0].ID},
		CallToAction: &cms.CallToAction{Heading: "Tired of sleepless nights?", Text: "Let us make a plan together.",
			ButtonLabel: "Book a free call", URL: "https://sleep.example/book"}}); err != nil {
		t.Fatal(err)
	}
	b.Do(t, "open the editor",
		navigate(f.editor),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
	)

	// Beside the SEO counters: the search result and the shared card,
	// live, with the cover's social image.
	const seoTitle = "Bedtime routine: four calm steps"
	b.Do(t, "SEO previews",
		chromedp.ScrollIntoView(chromedp.ID("seo-title")),
		chromedp.SendKeys(chromedp.ID("seo-title"), seoTitle),
		waitText("#serp-title", seoTitle),
		waitText("#social-title", seoTitle),
		waitText("#serp-desc", "Sleep training does not harm children"),
		waitJS(`document.getElementById('social-img').complete && document.getElementById('social-img').naturalWidth === 1200`),
	)
	b.Do(t, "SEO previews follow the description",
		chromedp.SendKeys(chromedp.ID("seo-description"), "Four steps to calmer evenings."),
		waitText("#serp-desc", "Four steps to calmer evenings."),
		chromedp.ScrollIntoView(chromedp.ID("seo-previews")),
	)
	b.ScreenshotView(t, "editor-seo")
	// Autosave stores what she typed (3 s after the last key). The title
	// is then changed by script without an input event, so that no
	// autosave starts (one would save it 3 s later, before a slow machine
	// is done with the preview): it is hers, unsaved, for the preview to
	// show and for the store never to see.
	b.Do(t, "autosave", waitText("#save-status", "Saved "))
	saved, err := f.r.srv.svc.GetPost(ctx, f.post.ID)
	if err != nil {
		t.Fatal(err)
	}
	const newTitle = "A calm bedtime routine, in four steps"
	b.Do(t, "edit the title without saving", chromedp.Evaluate[chromedp.Void](`document.getElementById("title").value = "`+newTitle+`"`))
	// The tab this one opens: other tests run in the same chromium.
	opener := chromedp.FromContext(b.ctx).Target.TargetID
	tabs := chromedp.WaitNewTarget(b.ctx, func(i *target.Info) bool {
		return i.OpenerID == opener && strings.HasSuffix(i.URL, "/preview")
	})
	b.Do(t, "preview", chromedp.Click(chromedp.ID("preview-button")))
	id, ok := <-tabs
	if !ok {
		t.Fatal("Preview opened no tab")
	}
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(id))
	t.Cleanup(cancel)
	if err := chromedp.Do(tctx); err != nil { // attach to the tab for good (a Run with a deadline would close it after)
		t.Fatal(err)
	}
	pv := &browser{ctx: tctx, base: b.base}
	pv.Do(t, "the preview tab", chromedp.WaitVisible(chromedp.ID("preview-article")),
		waitJS(`Array.from(document.images).every(function(i){return i.complete})`))

	if got := Get(t, pv, "title", chromedp.Text(chromedp.ID("preview-title"))); got != newTitle {
		t.Errorf("preview title = %q, want her unsaved %q", got, newTitle)
	}
	images := Get(t, pv, "images", chromedp.Evaluate[[]map[string]any](`Array.from(document.images).map(function(i){
  return {id: i.id, cls: i.className, src: i.currentSrc || i.src, w: i.naturalWidth}})`))
	var cover, photo bool
	var pins []string
	for _, im := range images {
		src, _ := im["src"].(string)
		if w, _ := im["w"].(float64); w <= 0 {
			t.Errorf("image %v did not load (naturalWidth 0)", im)
		}
		switch {
		case im["id"] == "preview-author-photo":
			photo = true
		case strings.Contains(src, "/media/"+f.cover.ID+"/"):
			cover = true
		case im["cls"] == "" && strings.Contains(src, "/pin"):
			pins = append(pins, src)
		}
	}
	if !cover || !photo {
		t.Errorf("preview images %v: cover shown %v, author photo shown %v", images, cover, photo)
	}
	if len(pins) != 1 || !strings.Contains(pins[0], f.pins[0].ID) {
		t.Errorf("preview pins = %v, want only the visible pin %s", pins, f.pins[0].ID)
	}
	checks := map[string]string{
		"#preview-cta":        "Tired of sleepless nights?",
		"#preview-cta a":      "Book a free call",
		"#preview-author":     "Jo helps tired families sleep.",
		"#preview-references": "Five-year follow-up",
		"#preview-body":       "Price",
	}
	for sel, want := range checks {
		if got := Get(t, pv, sel, chromedp.Text(chromedp.CSS(sel))); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", sel, got, want)
		}
	}
	if got, err := f.r.srv.svc.GetPost(ctx, f.post.ID); err != nil || got.Title == newTitle || got.Version != saved.Version {
		t.Errorf("after the preview the stored post is %+v, %v: want it unchanged", got, err)
	}
}

// TestBrowserAuthorPhoto: in Settings she chooses her photo from the
// media library; the public API then serves it with an absolute URL and a
// srcset, on the site and on every post, and the image cannot be deleted
// while it is her photo.
func TestBrowserAuthorPhoto(t *testing.T) {
	t.Parallel()
	f := mustEditorFixture(t)
	b, ctx, svc := f.b, context.Background(), f.r.srv.svc
	if _, err := svc.PublishPost(ctx, f.owner, f.post.ID, f.post.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	photo, err := svc.UploadMedia(ctx, f.owner, "jo.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 1200, 1200)))
	if err != nil {
		t.Fatal(err)
	}
	b.Do(t, "settings",
		navigate(f.r.base+"/admin/settings"),
		chromedp.WaitVisible(chromedp.ID("author-photo-pick")),
		chromedp.SetValue(chromedp.CSS(`[name="author.name"]`), "Jo Rivers"),
		chromedp.Click(chromedp.ID("author-photo-pick")),
		chromedp.WaitVisible(chromedp.CSS(`#media-picker-list .picker-item`)),
		chromedp.Click(chromedp.CSS(`#media-picker-list .picker-item[data-id="`+photo.ID+`"]`)),
		waitJS(`document.getElementById('author.photoMediaId').value === `+jsString(photo.ID)+` && !document.getElementById('media-picker').open`),
		waitJS(`document.getElementById('author-photo-img').complete && document.getElementById('author-photo-img').naturalWidth > 0`),
		chromedp.Click(chromedp.CSS(`.settings-form button[type="submit"]`)),
		waitText(".flash", "Settings saved"),
		waitJS(`document.getElementById('author-photo-img').naturalWidth > 0 && document.getElementById('author-photo-remove').offsetWidth > 0`),
	)
	b.Do(t, "show the photo", chromedp.ScrollIntoView(chromedp.ID("author-photo")))
	b.ScreenshotView(t, "settings-photo")

	var post struct { // MustCall decodes "data"
		Author struct {
			Name     string `json:"name"`
			PhotoURL string `json:"photoUrl"`
			Photo    *struct {
				URL    string `json:"url"`
				Srcset string `json:"srcset"`
				Width  int    `json:"width"`
			} `json:"photo"`
		} `json:"author"`
	}
	MustCall(t, 200, "GET", f.r.base+"/api/v1/posts/"+f.post.Slug, "", nil, &post)
	a := post.Author
	wantURL := f.r.base + "/media/" + photo.ID + "/w640"
	if a.PhotoURL != wantURL || a.Photo == nil || a.Photo.URL != wantURL || a.Photo.Width != 640 {
		t.Fatalf("author = %+v (photo %+v), want photoUrl and photo.url %s, 640 wide", a, a.Photo, wantURL)
	}
	for _, w := range []string{"/thumb 320w", "/w640 640w", "/w1024 1024w"} {
		if !strings.Contains(a.Photo.Srcset, f.r.base+"/media/"+photo.ID+w) {
			t.Errorf("author photo srcset %q lacks %s", a.Photo.Srcset, w)
		}
	}
	var site struct {
		Author struct {
			PhotoURL string `json:"photoUrl"`
			Photo    *struct {
				Srcset string `json:"srcset"`
			} `json:"photo"`
		} `json:"author"`
	}
	MustCall(t, 200, "GET", f.r.base+"/api/v1/site", "", nil, &site)
	if site.Author.PhotoURL != wantURL || site.Author.Photo == nil || site.Author.Photo.Srcset != a.Photo.Srcset {
		t.Errorf("site author = %+v, want the same photo as the post's", site.Author)
	}
	if err := svc.DeleteMedia(ctx, f.owner, photo.ID); !cms.IsKind(err, cms.KindConflict) || !strings.Contains(err.Error(), "photo") {
		t.Errorf("deleting her photo: %v, want a conflict naming the photo", err)
	}
}

// TestBrowserDesktopLayout: at 1366 px the top menu fits on one line, and
// the editor's left edge lines up with the header's.
func TestBrowserDesktopLayout(t *testing.T) {
	t.Parallel()
	f := mustEditorFixture(t)
	b := f.b
	b.Do(t, "1366 px", chromedp.EmulateViewport(1366, 768))
	for _, path := range []string{"/admin", "/admin/posts/" + f.post.ID, "/admin/settings"} {
		b.Do(t, "open "+path, navigate(f.r.base+path), chromedp.WaitVisible(chromedp.CSS(".nav-links a")))
		lines := Get(t, b, "menu lines", chromedp.Evaluate[int](`new Set(Array.from(document.querySelectorAll('.site-nav .nav-links > li')).map(function(li){return Math.round(li.getBoundingClientRect().top)})).size`))
		if lines != 1 {
			t.Errorf("%s at 1366 px: the top menu takes %d lines, want 1", path, lines)
		}
	}
	b.Do(t, "editor", navigate(f.editor), chromedp.WaitVisible(chromedp.CSS(".CodeMirror")))
	edges := Get(t, b, "left edges", chromedp.Evaluate[[]float64](`[document.querySelector('.brand').getBoundingClientRect().left, document.querySelector('.editor-head').getBoundingClientRect().left, document.getElementById('title').getBoundingClientRect().left]`))
	if len(edges) != 3 || edges[0] != edges[1] || edges[1] != edges[2] {
		t.Errorf("left edges of the header's brand, the editor's heading and its title field = %v, want one line", edges)
	}
}
