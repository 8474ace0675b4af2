package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/lullabycms/lullaby/cms"
)

// The Markdown the consultant types: a heading, a list, a link and a
// footnote.
const flowMarkdown = `## Why babies wake

Short sleep cycles are normal.[^1]

- Keep the room dark
- Offer the same wind-down

Read the [AASM guidance](https://aasm.org/) for more.

[^1]: Cycles last about 50 minutes in infancy.
`

// setEditorBody types Markdown into the EasyMDE editor (through its
// CodeMirror instance, as typing would).
func setEditorBody(md string) chromedp.Action[chromedp.Void] {
	js, _ := json.Marshal(md)
	return chromedp.Evaluate[chromedp.Void](`document.querySelector('.CodeMirror').CodeMirror.setValue(` + string(js) + `)`)
}

// waitText waits until the element's text contains want, across page
// loads (a click that submits a form navigates while we wait).
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	s, _ := json.Marshal(sel)
	w, _ := json.Marshal(want)
	expr := `(function(){var e=document.querySelector(` + string(s) + `);return !!e && e.textContent.includes(` + string(w) + `)})()`
	return waitJS(expr)
}

// waitJS waits until the expression is true, across page loads.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			ok, err := chromedp.Evaluate[bool](expr)(ctx, t)
			if err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				if err != nil {
					return fmt.Errorf("waiting for %s: %w (last error: %v)", expr, ctx.Err(), err)
				}
				return fmt.Errorf("waiting for %s: %w", expr, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// TestBrowserAdminFlow is the consultant's day in the admin panel, in a
// real chromium: first-run set-up, login, a post with a heading, a list, a
// link and a footnote, live preview, draft, schedule, publish, the public
// API, a conflict between two tabs, a revision restored, trash and
// restore, the call to action changed, log out.
func TestBrowserAdminFlow(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn", "LULLABY_SCHEDULER_INTERVAL": "200ms"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin"

	// First run: /admin leads to the one-time set-up form.
	b.Do(t, "first run", navigate(admin), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/setup"]`)))
	b.Do(t, "set up the owner",
		chromedp.SendKeys(chromedp.ID("email"), "jo@example.com"),
		chromedp.SendKeys(chromedp.ID("name"), "Jo Rivers"),
		chromedp.SendKeys(chromedp.ID("password"), "a long enough password"),
		chromedp.SendKeys(chromedp.ID("repeatPassword"), "a long enough password"),
		chromedp.Submit(chromedp.ID("email")),
		chromedp.Sleep(300*time.Millisecond),
	)
	if loc := Get(t, b, "location", chromedp.Location()); strings.Contains(loc, "/admin/login") || strings.Contains(loc, "/admin/setup") {
		b.logIn(t, "jo@example.com", "a long enough password", "/admin")
	}
	b.Do(t, "dashboard after login", navigate(admin), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/logout"]`)))

	// Write a post; the live preview renders it as readers will see it.
	b.Do(t, "new post",
		navigate(admin+"/posts/new"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), "Why babies wake at night"),
		setEditorBody(flowMarkdown),
		waitText("#preview", "Why babies wake"),
	)
	preview := Get(t, b, "preview HTML", chromedp.InnerHTML(chromedp.ID("preview")))
	for _, want := range []string{`<h2 id="why-babies-wake">`, "<li>Keep the room dark</li>", `href="https://aasm.org/"`, `class="footnotes"`} {
		if !strings.Contains(preview, want) {
			t.Errorf("live preview lacks %s:\n%s", want, preview)
		}
	}
	if slug := Get(t, b, "slug", chromedp.Value(chromedp.ID("slug"))); slug != "why-babies-wake-at-night" {
		t.Errorf("slug = %q, want it made from the title", slug)
	}
	b.Do(t, "save the draft", chromedp.Click(chromedp.ID("save-draft")), waitText("#status-badge", "Draft"))
	postURL := Get(t, b, "post URL", chromedp.Location())
	if !strings.Contains(postURL, "/admin/posts/") || strings.HasSuffix(postURL, "/new") {
		t.Fatalf("after saving: at %s, want the post's editor", postURL)
	}
	postURL = strings.SplitN(postURL, "?", 2)[0]
	b.Screenshot(t, "editor")

	// Two tabs on the same draft: the second one's autosave meets the
	// first one's save and offers the choice.
	other := b.Tab(t)
	other.Do(t, "second tab", navigate(postURL), chromedp.WaitVisible(chromedp.CSS(".CodeMirror")))
	b.Do(t, "first tab saves a new title",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('title').value = ''`),
		chromedp.SendKeys(chromedp.ID("title"), "Why babies wake at night (updated)"),
		chromedp.Click(chromedp.ID("save-draft")),
		waitText("#status-badge", "Draft"),
	)
	other.Do(t, "second tab edits and autosaves",
		setEditorBody(flowMarkdown+"\nA late addition.\n"),
		chromedp.WaitVisible(chromedp.ID("conflict-banner")),
	)
	banner := Get(t, other, "conflict text", chromedp.Text(chromedp.ID("conflict-banner")))
	if !strings.Contains(strings.ToLower(banner), "another window") {
		t.Errorf("conflict banner = %q, want it to say the post changed in another window", banner)
	}
	other.Do(t, "load the latest version", chromedp.Click(chromedp.ID("conflict-reload")), chromedp.Sleep(500*time.Millisecond),
		chromedp.WaitVisible(chromedp.ID("title")))
	if title := Get(t, other, "title after reload", chromedp.Value(chromedp.ID("title"))); title != "Why babies wake at night (updated)" {
		t.Errorf("after loading the latest version the title is %q", title)
	}

	// Schedule, then publish now; the post is in the public API.
	local := time.Now().Add(2 * time.Hour).Format("2006-01-02T15:04")
	b.Do(t, "schedule",
		navigate(postURL), chromedp.WaitVisible(chromedp.ID("schedule-at")),
		chromedp.SetValue(chromedp.ID("schedule-at"), local),
		chromedp.Click(chromedp.ID("schedule")),
		waitText("#status-badge", "Scheduled"),
	)
	b.Do(t, "publish", chromedp.Click(chromedp.ID("publish")), waitText("#status-badge", "Published"))
	// The slug followed the title while the post was a draft.
	slug := Get(t, b, "slug", chromedp.Value(chromedp.ID("slug")))
	if slug != "why-babies-wake-at-night-updated" {
		t.Errorf("published slug = %q, want it to follow the draft's title", slug)
	}
	var pub struct{ Data struct{ Title, HTML string } }
	if err := json.Unmarshal(MustCall(t, 200, "GET", r.base+"/api/v1/posts/"+slug, "", nil, nil), &pub); err != nil {
		t.Fatal(err)
	}
	if pub.Data.Title != "Why babies wake at night (updated)" || !strings.Contains(pub.Data.HTML, `class="footnotes"`) {
		t.Errorf("public post = %+v", pub.Data)
	}

	// Restore the first revision (the original title).
	b.Do(t, "revisions", navigate(postURL+"/revisions"), chromedp.WaitVisible(chromedp.CSS(`a[href*="/revisions/"]`)))
	b.Do(t, "open the oldest revision",
		chromedp.Evaluate[chromedp.Void](`(function(){var a=document.querySelectorAll('a[href*="/revisions/"]'); location.href=a[a.length-1].href})()`),
		chromedp.WaitVisible(chromedp.ID("restore-revision")),
		chromedp.Click(chromedp.ID("restore-revision")),
		chromedp.WaitVisible(chromedp.ID("title")),
	)
	if title := Get(t, b, "title after restore", chromedp.Value(chromedp.ID("title"))); title != "Why babies wake at night" {
		t.Errorf("after restoring the first revision the title is %q", title)
	}

	// Trash it (it leaves the public API), then restore it from the trash.
	publicStatus := func(want int) func() bool {
		return func() bool {
			status, _, _ := call(t, "GET", r.base+"/api/v1/posts/"+slug, "", nil)
			return status == want
		}
	}
	b.Do(t, "trash", chromedp.Click(chromedp.ID("trash")), waitText("#status-badge", "In the trash"))
	waitFor(t, "the trashed post leaves the public API", 10*time.Second, publicStatus(404))
	b.Do(t, "restore from the trash",
		navigate(admin+"/trash"),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/restore"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/restore"] button`)),
		waitText(".flash", "Restored"),
	)
	waitFor(t, "the restored post is back in the public API", 10*time.Second, publicStatus(200))
	// Every page left so far showed its changes saved: none asked first.
	if n := b.dialogs.Count(page.DialogTypeBeforeunload); n != 0 {
		t.Errorf("beforeunload dialogs = %d, want 0: a saved page asked before leaving", n)
	}

	// The call to action, changed in the settings, is in GET /api/v1/site.
	b.Do(t, "settings",
		navigate(admin+"/settings"),
		chromedp.WaitVisible(chromedp.CSS(`[name="callToAction.heading"]`)),
		chromedp.SetValue(chromedp.CSS(`[name="site.title"]`), "Little Sleepers"),
		chromedp.SetValue(chromedp.CSS(`[name="author.title"]`), "Certified pediatric sleep consultant"),
		chromedp.SetValue(chromedp.CSS(`[name="callToAction.heading"]`), "Tired of sleepless nights?"),
		chromedp.SetValue(chromedp.CSS(`[name="callToAction.buttonLabel"]`), "Book a free call"),
		chromedp.SetValue(chromedp.CSS(`[name="callToAction.url"]`), "https://sleep.example/book"),
		chromedp.Submit(chromedp.CSS(`[name="callToAction.heading"]`)),
	)
	var site struct {
		Data struct {
			CallToAction struct{ Heading, ButtonLabel, URL string }
		}
	}
	waitFor(t, "the call to action reaches GET /api/v1/site", 10*time.Second, func() bool {
		_, _, body := call(t, "GET", r.base+"/api/v1/site", "", nil)
		return json.Unmarshal(body, &site) == nil && site.Data.CallToAction.Heading == "Tired of sleepless nights?"
	})
	if cta := site.Data.CallToAction; cta.ButtonLabel != "Book a free call" || cta.URL != "https://sleep.example/book" {
		t.Errorf("call to action in the API = %+v", cta)
	}
	b.Screenshot(t, "settings")
	if *screenshots {
		seedForScreenshots(t, r.srv.svc)
	}
	b.Do(t, "dashboard", navigate(admin), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/logout"]`)))
	b.Screenshot(t, "dashboard")

	// On a phone (375 px wide) no screen scrolls sideways.
	b.Do(t, "phone width", chromedp.EmulateViewport(375, 812))
	for _, path := range []string{"", "/posts", "/posts/new", "/trash", "/categories", "/settings", "/users", "/account"} {
		b.Do(t, "open "+path+" at 375 px", navigate(admin+path), chromedp.WaitVisible(chromedp.CSS("main")))
		if w := Get(t, b, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 375 {
			t.Errorf("/admin%s is %d px wide at a 375 px viewport: it scrolls sideways", path, w)
		}
	}
	b.Do(t, "desktop width", chromedp.EmulateViewport(1280, 900))

	// Log out: the panel asks for a login again.
	b.Do(t, "log out", chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)), chromedp.Sleep(300*time.Millisecond),
		navigate(admin), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/login"]`)))
}

// seedForScreenshots adds a few posts so the dashboard screenshot shows
// drafts, scheduled and published posts.
func seedForScreenshots(tb testing.TB, svc *cms.Service) {
	tb.Helper()
	ctx := context.Background()
	actor := &cms.User{Name: "Jo Rivers", Role: cms.RoleOwner}
	for i, title := range []string{"Wake windows: the secret to easier naps", "A calm bedtime routine in four steps", "How much sleep does my child need?"} {
		body := "Some text."
		if _, err := svc.ImportPost(ctx, actor, cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Now().Add(-time.Duration(i+1)*24*time.Hour)); err != nil {
			tb.Fatal(err)
		}
	}
	for _, title := range []string{"Early rising: why 5 a.m. starts happen", "Travelling with a baby: time zones and naps"} {
		body := "Notes."
		if _, err := svc.CreatePost(ctx, actor, cms.PostInput{Title: &title, Body: &body}); err != nil {
			tb.Fatal(err)
		}
	}
	title, body := "The four-month sleep regression", "Coming soon."
	p, err := svc.CreatePost(ctx, actor, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.SchedulePost(ctx, actor, p.ID, p.Version, time.Now().Add(72*time.Hour), cms.Confirmed{}); err != nil {
		tb.Fatal(err)
	}
	svc.Refresh(ctx)
}
