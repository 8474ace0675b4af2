package admin_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// MustPanelPost creates a post through the service, in status.
func (e *Env) MustPanelPost(tb testing.TB, author *cms.User, title string, status cms.PostStatus) *cms.Post {
	tb.Helper()
	body := "Some **text**."
	p, err := e.Svc.ImportPost(tb.Context(), author, cms.PostInput{Title: &title, Body: &body}, status, time.Time{})
	if err != nil {
		tb.Fatalf("import post %q: %v", title, err)
	}
	return p
}

// MustCategory creates a category through the service.
func (e *Env) MustCategory(tb testing.TB, author *cms.User, name string) *cms.Category {
	tb.Helper()
	c, err := e.Svc.CreateCategory(tb.Context(), author, cms.CategoryInput{Name: &name})
	if err != nil {
		tb.Fatalf("create category %q: %v", name, err)
	}
	return c
}

func TestPanelScreens(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	cat := e.MustCategory(t, owner, "Newborn sleep")
	draft := e.MustPanelPost(t, owner, "A draft about naps", cms.StatusDraft)
	e.MustPanelPost(t, owner, "Why babies wake at night", cms.StatusPublished)
	sched := e.MustPanelPost(t, owner, "Coming soon: sleep regressions", cms.StatusDraft)
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	if _, err := e.Svc.SchedulePost(t.Context(), owner, sched.ID, 0, at, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	trashed := e.MustPanelPost(t, owner, "An old post", cms.StatusDraft)
	if _, err := e.Svc.TrashPost(t.Context(), owner, trashed.ID, 0); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/admin", []string{"<h1>Hello, Olivia Owner</h1>", "A draft about naps", "Why babies wake at night",
			`<time datetime="` + at.Format(time.RFC3339) + `">`, `href="/admin/posts/new"`, `href="/admin/posts/` + draft.ID + `"`,
			`href="/api/v1/posts"`, `aria-current="page">Dashboard`}},
		{"/admin/posts", []string{"<h1>Posts</h1>", "A draft about naps", "Coming soon", `name="ids" value="` + draft.ID + `"`,
			"Move selected to trash", "Newborn sleep", `<label for="q">`}},
		{"/admin/posts?status=published&sort=title&q=babies&category=" + cat.ID, []string{"<h1>Posts</h1>", "No posts match"}},
		{"/admin/posts?status=published&q=babies", []string{"Why babies wake at night"}},
		{"/admin/trash", []string{"<h1>Trash</h1>", "An old post", "/admin/trash/" + trashed.ID + "/restore"}},
		{"/admin/trash/" + trashed.ID + "/delete", []string{"Delete forever?", "An old post", `name="confirm" value="yes"`}},
		{"/admin/categories", []string{"<h1>Categories</h1>", "Newborn sleep", "Add a category"}},
		{"/admin/settings", []string{"<h1>Settings</h1>", `name="site.title"`, `name="callToAction.url"`, `name="corsOrigins"`, `<label for="author-title">`}},
		{"/admin/users", []string{"<h1>Users</h1>", ownerEmail, "Add a user"}},
		{"/admin/account", []string{"<h1>Your account</h1>", "Change your password", "Log out everywhere"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p := b.Get(t, tc.path).MustStatus(t, 200).MustContain(t, tc.want...)
			p.MustContain(t, `<a class="skip-link" href="#main">`, `<meta name="csrf-token"`, `hx-headers='{"X-CSRF-Token": "`)
			if got := p.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			if got := p.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := p.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", got)
			}
			if !strings.HasSuffix(strings.TrimSpace(p.Body), "</html>") {
				t.Error("the page does not end with </html>")
			}
		})
	}
	t.Run("BadFilter", func(t *testing.T) {
		b.Get(t, "/admin/posts?status=nonsense&page=x").MustStatus(t, 400).
			MustContain(t, "Must be one of draft", "Must be a page number.", "A draft about naps")
	})
	t.Run("NotFound", func(t *testing.T) {
		b.Get(t, "/admin/nowhere").MustStatus(t, 404).MustContain(t, "<h1>Page not found</h1>", "There is no such page", "Go to the dashboard")
		b.Get(t, "/admin/trash/"+draft.ID+"/delete").MustStatus(t, 404).MustContain(t, "not in the trash")
		b.Get(t, "/admin/trash/zzz/delete").MustStatus(t, 404)
	})
}

func TestPanelOwnerOnly(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	e.MustPanelSetup(t)
	ed := e.MustPanelEditor(t)
	before, _ := e.Svc.GetSettings(t.Context())
	for _, path := range []string{"/admin/settings", "/admin/users"} {
		ed.Get(t, path).MustStatus(t, 403).MustContain(t, "Only owners", "<h1>Not allowed</h1>", "Error 403")
	}
	ed.PostCSRF(t, "/admin/settings", url.Values{"version": {"0"}, "site.title": {"Mine now"}}).MustStatus(t, 403)
	ed.PostCSRF(t, "/admin/users", url.Values{"email": {"x@example.com"}, "name": {"X"}, "role": {"owner"},
		"password": {"long enough password"}}).MustStatus(t, 403)
	after, _ := e.Svc.GetSettings(t.Context())
	MustEqual(t, "settings version", after.Version, before.Version)
	// The navigation does not offer what she cannot open.
	ed.Get(t, "/admin").MustStatus(t, 200).MustNotContain(t, `href="/admin/settings"`, `href="/admin/users"`)
}

func TestPanelCSRF(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	post := e.MustPanelPost(t, owner, "Keep me", cms.StatusDraft)

	for _, tc := range []struct {
		name   string
		header []string
		form   url.Values
	}{
		{"Missing", nil, url.Values{}},
		{"Forged", nil, url.Values{"_csrf": {"forged"}}},
		{"ForgedHeader", []string{"X-CSRF-Token", "forged"}, url.Values{}},
		{"OtherSession", nil, url.Values{"_csrf": {otherSessionCSRF(t, e)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := func(v url.Values) url.Values {
				for k, vs := range tc.form {
					v[k] = vs
				}
				return v
			}
			b.Post(t, "/admin/categories", form(url.Values{"name": {"Sneaky"}}), tc.header...).
				MustStatus(t, 403).MustContain(t, "security token", "nothing was changed")
			b.Post(t, "/admin/settings", form(url.Values{"version": {"0"}, "site.title": {"Sneaky"}}), tc.header...).MustStatus(t, 403)
			b.Post(t, "/admin/posts/bulk-trash", form(url.Values{"ids": {post.ID}}), tc.header...).MustStatus(t, 403)
			b.Post(t, "/admin/logout-everywhere", form(url.Values{}), tc.header...).MustStatus(t, 403)
		})
	}
	cats, _ := e.Svc.ListCategories(t.Context())
	MustEqual(t, "categories", len(cats), 0)
	s, _ := e.Svc.GetSettings(t.Context())
	MustEqual(t, "settings version", s.Version, 0)
	p, _ := e.Svc.GetPost(t.Context(), post.ID)
	MustEqual(t, "post trashed", p.Trashed(), false)
	b.Get(t, "/admin").MustStatus(t, 200) // still logged in

	t.Run("HeaderOK", func(t *testing.T) {
		b.Post(t, "/admin/categories", url.Values{"name": {"Naps"}}, "X-CSRF-Token", b.CSRF(t)).MustRedirect(t, "/admin/categories")
	})
}

// otherSessionCSRF returns the CSRF token of another session of the owner.
func otherSessionCSRF(tb testing.TB, e *Env) string {
	tb.Helper()
	other := e.NewBrowser()
	other.MustLogin(tb, ownerEmail, ownerPassword)
	return other.CSRF(tb)
}

func TestPanelEscaping(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	owner := e.MustOwner(t)
	e.MustPanelPost(t, owner, "Post "+evil, cms.StatusDraft)
	b.PostCSRF(t, "/admin/categories", url.Values{"name": {"Cat " + evil}, "description": {evil}}).MustRedirect(t, "/admin/categories")
	b.PostCSRF(t, "/admin/settings", url.Values{"version": {"0"}, "site.title": {"Site " + evil},
		"author.bio": {evil}, "callToAction.heading": {evil}}).MustRedirect(t, "/admin/settings")
	for _, path := range []string{"/admin", "/admin/posts", "/admin/categories", "/admin/settings"} {
		p := b.Get(t, path).MustStatus(t, 200)
		p.MustNotContain(t, "<script>alert", "<img src=x", "Cat <", "Site <", "Post <")
		p.MustContain(t, "&lt;script&gt;alert(")
	}
}

func TestPanelSettings(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	valid := url.Values{
		"version": {"0"}, "site.title": {"Calm Nights"}, "site.url": {"https://calmnights.example"},
		"site.description": {"Evidence-based infant sleep."},
		"author.name":      {"Dana Rivers"}, "author.title": {"Certified pediatric sleep consultant"},
		"author.bio": {"Mother of two."}, "author.photoUrl": {"https://calmnights.example/dana.jpg"},
		"callToAction.heading": {"Tired?"}, "callToAction.text": {"Let's talk."},
		"callToAction.buttonLabel": {"Book a call"}, "callToAction.url": {"https://calmnights.example/book"},
		"corsOrigins": {"https://calmnights.example\r\nhttps://app.calmnights.example\r\n"},
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range valid {
			bad[k] = v
		}
		bad.Set("callToAction.url", "not a url")
		bad.Set("site.title", "")
		b.PostCSRF(t, "/admin/settings", bad).MustStatus(t, 422).MustContain(t,
			`id="callToAction-url-error"`, "Must be an absolute http:// or https:// URL.", `value="not a url"`,
			"A site title is required.", `value="Dana Rivers"`, "https://app.calmnights.example")
		s, _ := e.Svc.GetSettings(t.Context())
		MustEqual(t, "settings version", s.Version, 0)
	})
	t.Run("OK", func(t *testing.T) {
		b.PostCSRF(t, "/admin/settings", valid).MustRedirect(t, "/admin/settings")
		s, err := e.Svc.GetSettings(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "call to action", s.CallToAction, cms.CallToAction{Heading: "Tired?", Text: "Let's talk.",
			ButtonLabel: "Book a call", URL: "https://calmnights.example/book"})
		MustEqual(t, "origins", s.CORSOrigins, []string{"https://calmnights.example", "https://app.calmnights.example"})
		MustEqual(t, "author title", s.Author.Title, "Certified pediatric sleep consultant")
		b.Get(t, "/admin/settings").MustStatus(t, 200).MustContain(t, "Settings saved", `name="version" value="1"`, `value="Book a call"`)
	})
	t.Run("ErrStale", func(t *testing.T) {
		stale := url.Values{}
		for k, v := range valid {
			stale[k] = v
		}
		stale.Set("site.title", "My stale edit")
		b.PostCSRF(t, "/admin/settings", stale).MustStatus(t, 409).
			MustContain(t, "Someone else saved the settings", `value="My stale edit"`, `name="version" value="1"`)
		s, _ := e.Svc.GetSettings(t.Context())
		MustEqual(t, "site title", s.Site.Title, "Calm Nights")
	})
}

func TestPanelUsers(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)

	t.Run("ErrInvalid", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users", url.Values{"email": {"bad"}, "name": {"Edith <i>E</i>"}, "role": {"editor"}, "password": {"short"}}).
			MustStatus(t, 422).MustContain(t, "Must be an email address", "at least 10 characters",
			`value="Edith &lt;i&gt;E&lt;/i&gt;"`, `value="bad"`).MustNotContain(t, `value="short"`)
	})
	var edith *cms.User
	t.Run("Create", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users", url.Values{"email": {editorEmail}, "name": {"Edith Editor"}, "role": {"editor"},
			"password": {editorPassword}}).MustRedirect(t, "/admin/users")
		b.Get(t, "/admin/users").MustContain(t, "Added Edith Editor as editor", editorEmail)
		users, _ := e.Svc.ListUsers(t.Context(), owner)
		MustEqual(t, "users", len(users), 2)
		edith = users[1]
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users", url.Values{"email": {editorEmail}, "name": {"Again"}, "role": {"editor"},
			"password": {editorPassword}}).MustStatus(t, 409).MustContain(t, `id="email-error"`)
	})
	t.Run("Role", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users/"+edith.ID, url.Values{"role": {"owner"}, "version": {"1"}}).MustRedirect(t, "/admin/users")
		u, _ := e.Svc.GetUser(t.Context(), edith.ID)
		MustEqual(t, "role", u.Role, cms.RoleOwner)
		b.PostCSRF(t, "/admin/users/"+edith.ID, url.Values{"role": {"editor"}, "version": {"1"}}).
			MustStatus(t, 409).MustContain(t, "changed by someone else")
	})
	t.Run("ErrRemoveSelf", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users/"+owner.ID+"/delete", nil).MustStatus(t, 409).MustContain(t, "cannot remove your own account")
	})
	t.Run("ErrLastOwner", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users/"+edith.ID, url.Values{"role": {"editor"}, "version": {"2"}}).MustRedirect(t, "/admin/users")
		b.PostCSRF(t, "/admin/users/"+owner.ID, url.Values{"role": {"editor"}, "version": {"1"}}).
			MustStatus(t, 409).MustContain(t, "at least one owner")
	})
	t.Run("Remove", func(t *testing.T) {
		b.PostCSRF(t, "/admin/users/"+edith.ID+"/delete", nil).MustRedirect(t, "/admin/users")
		if _, err := e.Svc.GetUser(t.Context(), edith.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Fatalf("GetUser after remove: %v", err)
		}
	})
}
