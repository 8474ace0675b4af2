package admin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// editorForm is the editor form as a browser sends it for post p.
func editorForm(p *cms.Post, action string) url.Values {
	return url.Values{
		"version": {strconv.Itoa(p.Version)}, "action": {action}, "title": {p.Title}, "slug": {p.Slug},
		"excerpt": {p.Excerpt}, "body": {p.Body}, "tags": {strings.Join(p.Tags, ", ")}, "categoryIds": p.CategoryIDs,
		"seoTitle": {p.SEO.Title}, "seoDescription": {p.SEO.Description}, "canonicalUrl": {p.SEO.CanonicalURL},
		"publishAt": {""}, "tzOffset": {""}, "slugAuto": {"0"},
	}
}

// MustStored reads post id from the service.
func (e *Env) MustStored(tb testing.TB, id string) *cms.Post {
	tb.Helper()
	p, err := e.Svc.GetPost(tb.Context(), id)
	if err != nil {
		tb.Fatalf("get post %s: %v", id, err)
	}
	return p
}

var postLocation = regexp.MustCompile(`^/admin/posts/([0-9a-f]{24})$`)

func TestEditorNew(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	e.MustCategory(t, owner, "Naps & <b>nights</b>")

	page := b.Get(t, "/admin/posts/new").MustStatus(t, 200)
	page.MustContain(t, `id="editor-form"`, `action="/admin/posts"`, `id="title"`, `id="slug"`, `id="excerpt"`,
		`id="body"`, `id="preview"`, `id="save-draft"`, `id="publish"`, `id="schedule-at"`, `id="schedule"`,
		`id="tz-offset"`, `id="save-status"`, `id="conflict-banner"`, `id="conflict-reload"`, `id="conflict-keep"`,
		`id="seo-title-count"`, `0/60 characters`, `Naps &amp; &lt;b&gt;nights&lt;/b&gt;`, `data-storage-key="lullaby:draft:new"`)
	page.MustNotContain(t, `id="unpublish"`, "<b>nights", "cdn.", "maxcdn", "jsdelivr")

	// The scripts and styles come from the panel, under hashed URLs.
	for _, asset := range []string{"js/editor.js", "vendor/easymde@2.21.0/easymde.min.js", "vendor/easymde@2.21.0/easymde.min.css", "css/editor.css"} {
		m := regexp.MustCompile(`"(/admin/assets/[0-9a-f]{16}/` + regexp.QuoteMeta(asset) + `)"`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no hashed URL for %s in the editor", asset)
		}
		res := b.Get(t, m[1]).MustStatus(t, 200)
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control = %q, want immutable", m[1], cc)
		}
		if strings.HasSuffix(asset, ".js") && !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
			t.Errorf("%s: Content-Type = %q", m[1], res.Header.Get("Content-Type"))
		}
	}
}

func TestEditorCreate(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	cat := e.MustCategory(t, owner, "Naps")

	t.Run("OK", func(t *testing.T) {
		form := url.Values{"title": {"Schlaf für Babys"}, "slug": {""}, "excerpt": {"Short."}, "body": {"## Hello\r\n\r\nText."},
			"tags": {"naps, Toddlers ,naps"}, "categoryIds": {cat.ID}, "seoTitle": {"SEO"}, "action": {"save"}, "slugAuto": {"1"}}
		res := b.PostCSRF(t, "/admin/posts", form)
		res.MustStatus(t, 303)
		m := postLocation.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("Location = %q, want /admin/posts/<id>", res.Header.Get("Location"))
		}
		p := e.MustStored(t, m[1])
		MustEqual(t, "slug", p.Slug, "schlaf-fur-babys")
		MustEqual(t, "body", p.Body, "## Hello\n\nText.")
		MustEqual(t, "tags", p.Tags, []string{"naps", "Toddlers"})
		MustEqual(t, "categories", p.CategoryIDs, []string{cat.ID})
		MustEqual(t, "status", p.Status, cms.StatusDraft)
		b.Get(t, "/admin/posts/"+p.ID).MustStatus(t, 200).MustContain(t, "Draft saved.", `value="schlaf-fur-babys"`)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		form := url.Values{"title": {""}, "body": {"My precious <script>alert(1)</script> text"}, "action": {"save"}}
		b.PostCSRF(t, "/admin/posts", form).MustStatus(t, 422).
			MustContain(t, `<p class="field-error" id="title-error">A title is required.</p>`, `aria-invalid="true"`,
				"My precious &lt;script&gt;alert(1)&lt;/script&gt; text", "Nothing was saved").
			MustNotContain(t, "<script>alert(1)")
		if posts, total, _ := e.Svc.ListPosts(t.Context(), cms.PostFilter{}); total != 1 {
			t.Fatalf("posts = %d (%v), want only the one from OK", total, posts)
		}
	})

	t.Run("Publish", func(t *testing.T) {
		res := b.PostCSRF(t, "/admin/posts", url.Values{"title": {"Straight out"}, "body": {"Hi."}, "action": {"publish"}})
		m := postLocation.FindStringSubmatch(res.MustStatus(t, 303).Header.Get("Location"))
		if p := e.MustStored(t, m[1]); p.Status != cms.StatusPublished {
			t.Fatalf("status = %s, want published", p.Status)
		}
	})
}

func TestEditorExisting(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	title, body, tags := `Naps <script>alert("t")</script>`, "# Heading\n\n<img src=x onerror=alert(1)> and *text*", []string{"a<b"}
	p, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body, Tags: &tags})
	if err != nil {
		t.Fatal(err)
	}
	page := b.Get(t, "/admin/posts/"+p.ID).MustStatus(t, 200)
	page.MustContain(t, `action="/admin/posts/`+p.ID+`"`, `name="version" id="version" value="1"`,
		`Naps &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;`, `value="a&lt;b"`, `id="status-badge"`, `Draft`,
		`<h1 id="heading">Heading</h1>`, `id="revisions"`, `/api/v1/posts/<span class="slug-text">naps-script-alert-t-script</span>`,
		`id="preview-button"`, `formaction="/admin/posts/`+p.ID+`/preview"`, `id="trash"`)
	page.MustNotContain(t, `<script>alert`, `<img src=x`)

	b.Get(t, "/admin/posts/000000000000000000000000").MustStatus(t, 404)
	b.Get(t, "/admin/posts/not-an-id").MustStatus(t, 404)

	// Logged out, the editor sends to the login form.
	e.NewBrowser().Get(t, "/admin/posts/"+p.ID).MustStatus(t, 303)
}

func TestEditorSave(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	p := e.MustPanelPost(t, owner, "Wake windows", cms.StatusDraft)

	t.Run("OK", func(t *testing.T) {
		form := editorForm(p, "save")
		form.Set("body", "New body.\r\nSecond line.")
		form.Set("seoDescription", "For search.")
		b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustRedirect(t, "/admin/posts/"+p.ID)
		got := e.MustStored(t, p.ID)
		MustEqual(t, "body", got.Body, "New body.\nSecond line.")
		MustEqual(t, "seo description", got.SEO.Description, "For search.")
		MustEqual(t, "version", got.Version, p.Version+1)
		p = got
	})

	t.Run("NoChange", func(t *testing.T) {
		b.PostCSRF(t, "/admin/posts/"+p.ID, editorForm(p, "save")).MustRedirect(t, "/admin/posts/"+p.ID)
		MustEqual(t, "version", e.MustStored(t, p.ID).Version, p.Version)
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		// Another window saves first.
		other := "Changed in another window."
		v := p.Version
		if _, err := e.Svc.UpdatePost(t.Context(), owner, p.ID, cms.PostInput{Body: &other, Version: &v}); err != nil {
			t.Fatal(err)
		}
		form := editorForm(p, "save")
		form.Set("body", "My <em>own</em> words.")
		page := b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustStatus(t, 409)
		page.MustContain(t, "This post changed in another window", `id="conflict-reload"`, `id="conflict-keep"`,
			`href="/admin/posts/`+p.ID+`"`, "My &lt;em&gt;own&lt;/em&gt; words.", "Changed in another window.",
			`name="version" value="`+strconv.Itoa(p.Version+1)+`"`)
		page.MustNotContain(t, "<em>own")
		MustEqual(t, "body after the conflict", e.MustStored(t, p.ID).Body, other)

		// "Keep my version" posts her text with the latest version.
		form.Set("version", strconv.Itoa(p.Version+1))
		b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustRedirect(t, "/admin/posts/"+p.ID)
		MustEqual(t, "body after keeping hers", e.MustStored(t, p.ID).Body, "My <em>own</em> words.")
		p = e.MustStored(t, p.ID)
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		form := editorForm(p, "save")
		form.Set("slug", "Not A Slug!")
		form.Set("canonicalUrl", "javascript:alert(1)")
		form.Set("excerpt", "Kept <b>excerpt</b>")
		b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustStatus(t, 422).MustContain(t,
			`<p class="field-error" id="slug-error">Use lower-case letters`,
			`<p class="field-error" id="canonicalUrl-error">Must be an absolute http:// or https:// URL.</p>`,
			`value="Not A Slug!"`, "Kept &lt;b&gt;excerpt&lt;/b&gt;", `value="javascript:alert(1)"`)
		MustEqual(t, "version", e.MustStored(t, p.ID).Version, p.Version)
	})

	t.Run("ErrSlugTaken", func(t *testing.T) {
		e.MustPanelPost(t, owner, "Taken", cms.StatusDraft)
		form := editorForm(p, "save")
		form.Set("slug", "taken")
		b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustStatus(t, 422).
			MustContain(t, `id="slug-error">Another post already uses this address`, `value="taken"`)
	})

	t.Run("ErrCSRF", func(t *testing.T) {
		form := editorForm(p, "save")
		form.Set("body", "forged")
		b.Post(t, "/admin/posts/"+p.ID, form).MustStatus(t, 403)
		if e.MustStored(t, p.ID).Body == "forged" {
			t.Fatal("a forged post was saved")
		}
	})
}

func TestEditorActions(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	p := e.MustPanelPost(t, owner, "Night feeds", cms.StatusDraft)
	path := "/admin/posts/" + p.ID

	step := func(t *testing.T, action string, form url.Values, check func(*cms.Post) bool, flash string) {
		t.Helper()
		b.PostCSRF(t, path+"/"+action, form).MustRedirect(t, path)
		got := e.MustStored(t, p.ID)
		if !check(got) {
			t.Fatalf("after %s: status %s, trashed %v", action, got.Status, got.Trashed())
		}
		b.Get(t, path).MustStatus(t, 200).MustContain(t, flash)
		p = got
	}
	version := func() url.Values { return url.Values{"version": {strconv.Itoa(p.Version)}} }

	// The editor form with the publish button saves her edits, then publishes.
	form := editorForm(p, "publish")
	form.Set("title", "Night feeds, updated")
	b.PostCSRF(t, path, form).MustRedirect(t, path)
	p = e.MustStored(t, p.ID)
	if p.Status != cms.StatusPublished || p.Title != "Night feeds, updated" {
		t.Fatalf("after publish: %s %q", p.Status, p.Title)
	}
	b.Get(t, path).MustStatus(t, 200).MustContain(t, "Published.", `id="publish"`, ">Update<", `id="unpublish"`).
		MustNotContain(t, `id="save-draft"`, `id="schedule"`)

	// Unpublishing with edits takes the post off the site in the same
	// save that stores them, so they are never public.
	form = editorForm(p, "unpublish")
	form.Set("body", "Not for readers yet.")
	b.PostCSRF(t, path, form).MustRedirect(t, path)
	p = e.MustStored(t, p.ID)
	if p.Status != cms.StatusDraft || p.Body != "Not for readers yet." {
		t.Fatalf("after unpublish with edits: %s %q", p.Status, p.Body)
	}
	if n := len(p.Revisions); n < 2 || p.Revisions[n-2].Note != "edited and published" || p.Revisions[n-1].Note != "edited and unpublished" {
		t.Fatalf("want one save for each button; revisions: %+v", p.Revisions)
	}
	step(t, "publish", version(), func(p *cms.Post) bool { return p.Status == cms.StatusPublished }, "Published.")
	step(t, "unpublish", version(), func(p *cms.Post) bool { return p.Status == cms.StatusDraft }, "Unpublished")
	step(t, "publish", version(), func(p *cms.Post) bool { return p.Status == cms.StatusPublished }, "Published.")
	step(t, "trash", version(), func(p *cms.Post) bool { return p.Trashed() }, "Moved to the trash")
	b.Get(t, path).MustContain(t, `id="restore"`, "In the trash").MustNotContain(t, `id="publish"`, `id="trash"`)
	step(t, "restore", version(), func(p *cms.Post) bool { return !p.Trashed() && p.Status == cms.StatusPublished }, "Restored")

	// A stale version on an action shows the conflict page; nothing changes.
	b.PostCSRF(t, path+"/unpublish", url.Values{"version": {strconv.Itoa(p.Version - 1)}}).MustStatus(t, 409).
		MustContain(t, "This post changed in another window")
	MustEqual(t, "status", e.MustStored(t, p.ID).Status, cms.StatusPublished)
}

func TestEditorSchedule(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	p := e.MustPanelPost(t, owner, "Bedtime routines", cms.StatusDraft)
	path := "/admin/posts/" + p.ID
	year := strconv.Itoa(time.Now().Year() + 2)

	t.Run("LocalTime", func(t *testing.T) {
		// 09:30 in Berlin in winter (UTC+1: getTimezoneOffset gives -60).
		form := editorForm(p, "schedule")
		form.Set("publishAt", year+"-01-02T09:30")
		form.Set("tzOffset", "-60")
		b.PostCSRF(t, path, form).MustRedirect(t, path)
		got := e.MustStored(t, p.ID)
		want := time.Date(time.Now().Year()+2, 1, 2, 8, 30, 0, 0, time.UTC)
		if got.Status != cms.StatusScheduled || !got.PublishAt.Equal(want) {
			t.Fatalf("scheduled %s at %v, want scheduled at %v", got.Status, got.PublishAt, want)
		}
		page := b.Get(t, path).MustStatus(t, 200)
		page.MustContain(t, "Scheduled. It goes live", `data-utc="`+want.Format(time.RFC3339)+`"`, `value="`+year+`-01-02T08:30"`,
			`id="unpublish"`, "Reschedule", `datetime="`+want.Format(time.RFC3339)+`"`)
		p = got
	})

	t.Run("UTCWithoutScript", func(t *testing.T) {
		b.PostCSRF(t, path+"/schedule", url.Values{"version": {strconv.Itoa(p.Version)}, "publishAt": {year + "-03-04T10:00"}}).
			MustRedirect(t, path)
		p = e.MustStored(t, p.ID)
		MustEqual(t, "publishAt", p.PublishAt, time.Date(time.Now().Year()+2, 3, 4, 10, 0, 0, 0, time.UTC))
	})

	t.Run("ErrPast", func(t *testing.T) {
		form := editorForm(p, "schedule")
		form.Set("publishAt", "2001-01-01T10:00")
		form.Set("tzOffset", "0")
		b.PostCSRF(t, path, form).MustStatus(t, 422).
			MustContain(t, `id="publishAt-error">Must be in the future.</p>`, `value="2001-01-01T10:00"`)
	})

	t.Run("ErrBadTime", func(t *testing.T) {
		form := editorForm(p, "schedule")
		form.Set("publishAt", "tomorrow")
		b.PostCSRF(t, path, form).MustStatus(t, 422).MustContain(t, `id="publishAt-error">Enter a date and time`)
	})
}

func TestEditorPreview(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	csrf := b.CSRF(t)

	t.Run("Fragment", func(t *testing.T) {
		md := "# Sleep <script>alert(1)</script>\n\n- one\n- [two](javascript:alert(2))\n\nA note.[^1]\n\n[^1]: Smith 2020.\n\n<img src=x onerror=alert(3)>"
		res := b.Post(t, "/admin/preview", url.Values{"body": {md}}, "X-CSRF-Token", csrf).MustStatus(t, 200)
		want, err := cms.RenderMarkdown(md)
		if err != nil {
			t.Fatal(err)
		}
		// Footnotes get the public scheme of ids, without a post id.
		html, _ := cms.PostFootnotes(want.HTML, "")
		MustEqual(t, "preview HTML", res.Body, html)
		res.MustContain(t, `<h1 id="sleep-script-alert-1-script">Sleep alert(1)</h1>`, "<li>one</li>", `class="footnotes"`).
			MustNotContain(t, "<script", "javascript:", "onerror")
		MustEqual(t, "X-Word-Count", res.Header.Get("X-Word-Count"), strconv.Itoa(want.WordCount))
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("Content-Type = %q", res.Header.Get("Content-Type"))
		}
	})

	t.Run("ErrCSRF", func(t *testing.T) {
		b.Post(t, "/admin/preview", url.Values{"body": {"# x"}}).MustStatus(t, 403)
	})

	t.Run("ErrTooLong", func(t *testing.T) {
		b.Post(t, "/admin/preview", url.Values{"body": {strings.Repeat("a", cms.MaxBodyBytes+1)}}, "X-CSRF-Token", csrf).MustStatus(t, 413)
	})

	t.Run("Page", func(t *testing.T) {
		title, excerpt, body := "A <draft>", "Just <b>between</b> us.", "## Part one\n\nText with a footnote.[^1]\n\n[^1]: Source."
		p, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Excerpt: &excerpt, Body: &body})
		if err != nil {
			t.Fatal(err)
		}
		res := b.Get(t, "/admin/posts/"+p.ID+"/preview").MustStatus(t, 200)
		MustEqual(t, "X-Robots-Tag", res.Header.Get("X-Robots-Tag"), "noindex, nofollow")
		res.MustContain(t, "<!doctype html>", `<h1 id="preview-title">A &lt;draft&gt;</h1>`, "Just &lt;b&gt;between&lt;/b&gt; us.",
			`<h2 id="part-one">Part one</h2>`, "not published", `href="/admin/posts/`+p.ID+`"`)
		if got := e.MustStored(t, p.ID); got.Status != cms.StatusDraft {
			t.Fatalf("preview changed the status to %s", got.Status)
		}
	})
}

func TestEditorRevisions(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	title, body := "Early waking", "Line one.\nLine <two>.\nLine three.\nMost babies wake two or three times a night."
	p, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	first := p.Revisions[0]
	newTitle, newBody, v := "Early waking <i>revised</i>", "Line one.\nLine <script>alert(1)</script>.\nLine three.\nMost babies wake once or twice a night.", p.Version
	if p, err = e.Svc.UpdatePost(t.Context(), owner, p.ID, cms.PostInput{Title: &newTitle, Body: &newBody, Version: &v}); err != nil {
		t.Fatal(err)
	}
	path := "/admin/posts/" + p.ID

	// The editor lists them newest first, the current one without a link.
	page := b.Get(t, path).MustStatus(t, 200)
	page.MustContain(t, `id="revisions"`, "Version 2", "current", `href="`+path+`/revisions/`+first.ID+`"`, "Created", "by you")
	if i, j := strings.Index(page.Body, "Version 2"), strings.Index(page.Body, ">Version 1<"); i < 0 || j < 0 || i > j {
		t.Fatalf("revisions not newest first (%d, %d)", i, j)
	}
	b.Get(t, path+"/revisions").MustStatus(t, 200).MustContain(t, "Version 1", "Version 2", `href="`+path+`/revisions/`+first.ID+`"`)

	// The diff marks what changed, escaped.
	diff := b.Get(t, path+"/revisions/"+first.ID).MustStatus(t, 200)
	diff.MustContain(t, `<tr class="diff-del">`, `<tr class="diff-ins">`, "<del>Line &lt;two&gt;.</del>",
		"<ins>Line &lt;script&gt;alert(1)&lt;/script&gt;.</ins>", "Early waking &lt;i&gt;revised&lt;/i&gt;",
		`id="restore-revision"`, `name="version" value="2"`, "Line one.")
	diff.MustNotContain(t, "<script>alert", "<i>revised")
	// A one-word change marks the words, not the whole line.
	diff.MustContain(t, `Most babies wake <del class="diff-word">two</del> or <del class="diff-word">three times</del> a night.`,
		`Most babies wake <ins class="diff-word">once</ins> or <ins class="diff-word">twice</ins> a night.`)
	b.Get(t, path+"/revisions/000000000000000000000000").MustStatus(t, 404)

	// Restoring with a stale version changes nothing.
	b.PostCSRF(t, path+"/revisions/"+first.ID+"/restore", url.Values{"version": {"1"}}).MustRedirect(t, path+"/revisions/"+first.ID)
	MustEqual(t, "body", e.MustStored(t, p.ID).Body, newBody)

	b.PostCSRF(t, path+"/revisions/"+first.ID+"/restore", url.Values{"version": {"2"}}).MustRedirect(t, path)
	got := e.MustStored(t, p.ID)
	MustEqual(t, "restored body", got.Body, body)
	MustEqual(t, "restored title", got.Title, title)
	MustEqual(t, "version", got.Version, 3)
	b.Get(t, path).MustContain(t, "Version 1 restored", "Restored version 1")
}

// BenchmarkEditorPage measures the editor of a post with 1,000 posts in
// the database: it reads the post by id, the categories, the settings and
// the names of who saved its revisions; nothing scans posts.
//
//	go test ./admin -run '^$' -bench EditorPage -benchtime 50x
func BenchmarkEditorPage(b *testing.B) {
	e := MustNewEnv(b)
	br := e.MustPanelSetup(b)
	owner := e.MustOwner(b)
	seedPosts(b, e, owner, 1000)
	posts, _, err := e.Svc.ListPosts(b.Context(), cms.PostFilter{Limit: 1})
	if err != nil || len(posts) == 0 {
		b.Fatalf("list posts: %v", err)
	}
	p := e.MustStored(b, posts[0].ID)
	base := "/admin/posts/" + p.ID
	for _, path := range []string{base, "/admin/posts/new", base + "/revisions", base + "/revisions/" + p.Revisions[0].ID, base + "/preview"} {
		b.Run(strings.TrimPrefix(path, "/admin/posts/"), func(b *testing.B) {
			req := func() *http.Request {
				r := httptest.NewRequest("GET", path, nil)
				r.AddCookie(&http.Cookie{Name: "lullaby_session", Value: br.Cookie("lullaby_session").Value})
				return r
			}
			for b.Loop() {
				res, err := e.App.Test(req(), -1)
				if err != nil || res.StatusCode != 200 {
					b.Fatalf("GET %s: %v %v", path, res.StatusCode, err)
				}
				res.Body.Close()
			}
		})
	}
}
