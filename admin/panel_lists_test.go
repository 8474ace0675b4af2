package admin_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// mustSvcPost creates a post through the service, published if asked.
func mustSvcPost(t *testing.T, e *Env, owner *cms.User, title string, publish bool) *cms.Post {
	t.Helper()
	body := "All about " + title + ": how babies sleep through the night."
	p, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	if publish {
		if p, err = e.Svc.PublishPost(t.Context(), owner, p.ID, p.Version, cms.Confirmed{}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// mustFeatured returns the featured list as stored.
func mustFeatured(t *testing.T, e *Env) *cms.List {
	t.Helper()
	l, err := e.Svc.FeaturedList(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestPanelLists(t *testing.T) {
	t.Parallel()
	e, store := listEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	a, bb, c := mustSvcPost(t, e, owner, "Alpha naps", true), mustSvcPost(t, e, owner, "Bedtime routine", true), mustSvcPost(t, e, owner, "Crying it out", true)
	draft := mustSvcPost(t, e, owner, "Draft about naps", false)

	t.Run("Page", func(t *testing.T) {
		b.Get(t, "/admin/lists").MustStatus(t, 200).MustContain(t, `href="/admin/lists" aria-current="page">Lists</a>`,
			"Featured", "No posts yet.", "Popular posts", "No views counted yet", "js/lists.js", "Sortable.min.js")
	})
	t.Run("StarInPostsList", func(t *testing.T) {
		for _, p := range []*cms.Post{a, bb, c, draft} {
			b.PostCSRF(t, "/admin/posts/"+p.ID+"/featured", url.Values{"featured": {"1"}, "return": {"/admin/posts?q=naps"}}).
				MustRedirect(t, "/admin/posts?q=naps")
		}
		MustEqual(t, "featured", entryIDs(*mustFeatured(t, e)), []string{a.ID, bb.ID, c.ID, draft.ID})
		b.Get(t, "/admin/posts").MustContain(t, `aria-pressed="true"`, `formaction="/admin/posts/`+a.ID+`/featured" name="featured" value="0"`)
		b.Get(t, "/admin/lists").MustContain(t, "Alpha naps", "Draft about naps", "hidden until published again", `value="save"`)
		b.PostCSRF(t, "/admin/posts/"+draft.ID+"/featured", url.Values{"featured": {"0"}}).MustRedirect(t, "/admin/posts")
		MustEqual(t, "unfeatured", entryIDs(*mustFeatured(t, e)), []string{a.ID, bb.ID, c.ID})
	})
	t.Run("ErrCSRFMissing", func(t *testing.T) {
		f := mustFeatured(t, e)
		b.Post(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {c.ID, a.ID, bb.ID}, "version": {strconv.Itoa(f.Version)}}).MustStatus(t, 403)
		b.Post(t, "/admin/posts/"+a.ID+"/featured", url.Values{"featured": {"0"}}).MustStatus(t, 403)
		b.Post(t, "/admin/popular", url.Values{"op": {"pin:" + a.ID}, "version": {"1"}}).MustStatus(t, 403)
		b.Post(t, "/admin/lists", url.Values{"name": {"Sneaky"}}).MustStatus(t, 403)
		MustEqual(t, "unchanged", entryIDs(*mustFeatured(t, e)), []string{a.ID, bb.ID, c.ID})
	})
	t.Run("SaveOrderAndDates", func(t *testing.T) {
		f := mustFeatured(t, e)
		// Her time zone is UTC+2 (offset -120): 09:00 there is 07:00 UTC.
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {c.ID, a.ID, bb.ID}, "version": {strconv.Itoa(f.Version)},
			"start": {"", "2030-01-01T09:00", ""}, "startTz": {"", "-120", ""}, "end": {"", "", ""}, "endTz": {"", "", ""}, "op": {"save"}}).
			MustRedirect(t, "/admin/lists#list-"+f.ID)
		got := mustFeatured(t, e)
		MustEqual(t, "order", entryIDs(*got), []string{c.ID, a.ID, bb.ID})
		MustEqual(t, "start", got.Entries[1].Start, time.Date(2030, 1, 1, 7, 0, 0, 0, time.UTC))
		b.Get(t, "/admin/lists").MustContain(t, `data-utc="2030-01-01T07:00:00Z"`, `value="2030-01-01T07:00"`)
	})
	t.Run("MoveAndRemove", func(t *testing.T) {
		f := mustFeatured(t, e)
		form := func(op string) url.Values {
			return url.Values{"postId": entryIDs(*mustFeatured(t, e)), "version": {strconv.Itoa(mustFeatured(t, e).Version)}, "op": {op}}
		}
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", form("down:"+c.ID)).MustRedirect(t, "/admin/lists#list-"+f.ID)
		MustEqual(t, "moved down", entryIDs(*mustFeatured(t, e)), []string{a.ID, c.ID, bb.ID})
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", form("up:"+bb.ID)).MustRedirect(t, "/admin/lists#list-"+f.ID)
		MustEqual(t, "moved up", entryIDs(*mustFeatured(t, e)), []string{a.ID, bb.ID, c.ID})
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", form("remove:"+a.ID)).MustRedirect(t, "/admin/lists#list-"+f.ID)
		MustEqual(t, "removed", entryIDs(*mustFeatured(t, e)), []string{bb.ID, c.ID})
	})
	t.Run("SearchAndAdd", func(t *testing.T) {
		f := mustFeatured(t, e)
		b.Get(t, "/admin/lists?list="+f.ID+"&q=naps").MustStatus(t, 200).
			MustContain(t, `form="entries-`+f.ID+`" name="op" value="add:`+a.ID+`"`, `value="add:`+draft.ID+`"`)
		b.Get(t, "/admin/lists?list=popular&q=naps").MustContain(t, `form="popular-form" name="op" value="pin:`+a.ID+`"`).
			MustNotContain(t, `value="pin:`+draft.ID+`"`)
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": entryIDs(*f), "version": {strconv.Itoa(f.Version)}, "op": {"add:" + a.ID}}).
			MustRedirect(t, "/admin/lists#list-"+f.ID)
		MustEqual(t, "added", entryIDs(*mustFeatured(t, e)), []string{bb.ID, c.ID, a.ID})
	})
	t.Run("ErrStaleKeepsHerOrder", func(t *testing.T) {
		f := mustFeatured(t, e)
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {a.ID, c.ID, bb.ID}, "version": {strconv.Itoa(f.Version - 1)}, "op": {"save"}}).
			MustStatus(t, 409).MustContain(t, "Someone else changed this list", `name="version" value="`+strconv.Itoa(f.Version)+`"`)
		MustEqual(t, "unchanged", entryIDs(*mustFeatured(t, e)), []string{bb.ID, c.ID, a.ID})
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		f := mustFeatured(t, e)
		v := strconv.Itoa(f.Version)
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {a.ID}, "version": {v}, "start": {"2030-01-02T09:00"}, "end": {"2030-01-01T09:00"}}).
			MustStatus(t, 422).MustContain(t, "The end must be after the start.", "Nothing was saved")
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {a.ID}, "version": {v}, "start": {"next week"}}).
			MustStatus(t, 422).MustContain(t, "Enter a date and time")
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {a.ID, a.ID}, "version": {v}}).
			MustStatus(t, 422).MustContain(t, "already in the list")
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {cms.NewID()}, "version": {v}}).
			MustStatus(t, 422).MustContain(t, "no post has this id")
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {a.ID}, "version": {v}, "op": {"explode:" + a.ID}}).MustStatus(t, 400)
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/entries", url.Values{"postId": {a.ID}}).MustStatus(t, 400)
		MustEqual(t, "unchanged", entryIDs(*mustFeatured(t, e)), []string{bb.ID, c.ID, a.ID})
	})
	t.Run("CreateRenameDelete", func(t *testing.T) {
		b.PostCSRF(t, "/admin/lists", url.Values{"name": {""}}).MustStatus(t, 422).MustContain(t, "A name is required.")
		b.PostCSRF(t, "/admin/lists", url.Values{"name": {"Start here"}}).MustStatus(t, 303)
		lists, _ := e.Svc.ListLists(t.Context())
		l := lists[len(lists)-1]
		MustEqual(t, "created", l.Slug, "start-here")
		b.PostCSRF(t, "/admin/lists/"+l.ID, url.Values{"name": {"Begin here"}, "slug": {"start-here"}, "version": {"9"}}).
			MustStatus(t, 409).MustContain(t, "Someone else changed this list", `value="Begin here"`)
		b.PostCSRF(t, "/admin/lists/"+l.ID, url.Values{"name": {"Begin here"}, "slug": {"start-here"}, "version": {"1"}}).
			MustRedirect(t, "/admin/lists#list-"+l.ID)
		f := mustFeatured(t, e)
		b.PostCSRF(t, "/admin/lists/"+f.ID+"/delete", nil).MustRedirect(t, "/admin/lists")
		b.Get(t, "/admin/lists").MustContain(t, "cannot be deleted")
		b.PostCSRF(t, "/admin/lists/"+l.ID+"/delete", nil).MustRedirect(t, "/admin/lists")
		if _, err := e.Svc.GetList(t.Context(), l.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Errorf("deleted list: err = %v, want NotFound", err)
		}
	})
	t.Run("Popular", func(t *testing.T) {
		if err := store.AddViews(t.Context(), []cms.ViewCount{{PostID: a.ID, Day: cms.Day(time.Now()), Views: 7}, {PostID: c.ID, Day: cms.Day(time.Now()), Views: 3}}); err != nil {
			t.Fatal(err)
		}
		pop, _ := e.Svc.PopularSettings(t.Context())
		b.Get(t, "/admin/lists").MustContain(t, `<td class="num">7</td>`, `value="pin:`+c.ID+`"`)
		b.PostCSRF(t, "/admin/popular", url.Values{"version": {strconv.Itoa(pop.Version)}, "op": {"pin:" + c.ID}}).MustRedirect(t, "/admin/lists#popular")
		b.PostCSRF(t, "/admin/popular", url.Values{"version": {strconv.Itoa(pop.Version + 1)}, "pinned": {c.ID}, "op": {"exclude:" + a.ID}}).MustRedirect(t, "/admin/lists#popular")
		pop, _ = e.Svc.PopularSettings(t.Context())
		MustEqual(t, "pins", [2]any{entryIDs(*pop), pop.Excluded}, [2]any{[]string{c.ID}, []string{a.ID}})
		b.Get(t, "/admin/lists").MustContain(t, "pinned", "Kept out of the list", `value="include:`+a.ID+`"`)
		b.PostCSRF(t, "/admin/popular", url.Values{"version": {strconv.Itoa(pop.Version)}, "pinned": {c.ID}, "excluded": {a.ID}, "op": {"pin:" + draft.ID}}).
			MustStatus(t, 422).MustContain(t, "Only published posts can be pinned.")
		b.PostCSRF(t, "/admin/popular", url.Values{"version": {"1"}, "op": {"unpin:" + c.ID}}).
			MustStatus(t, 409).MustContain(t, "someone else changed the popular list")
		b.PostCSRF(t, "/admin/popular", url.Values{"version": {strconv.Itoa(pop.Version)}, "op": {"pin:nope"}}).MustStatus(t, 400)
		b.Get(t, "/admin").MustContain(t, "Views, last 30 days", `class="views-chart"`, `<rect class="bar"`, `class="sparkline"`, "Alpha naps").
			MustNotContain(t, "style=")
	})
}

func TestPanelEditorFeatured(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	p := mustSvcPost(t, e, owner, "Night weaning", false)
	b.Get(t, "/admin/posts/"+p.ID).MustContain(t, `name="featuredField" value="1"`, `id="featured" name="featured" value="1" aria-describedby`)

	form := editorForm(p, "save")
	form.Set("featuredField", "1")
	form.Set("featured", "1")
	form.Set("body", "Edited text.")
	b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustRedirect(t, "/admin/posts/"+p.ID)
	MustEqual(t, "featured", entryIDs(*mustFeatured(t, e)), []string{p.ID})
	MustEqual(t, "edit kept", e.MustStored(t, p.ID).Body, "Edited text.")
	b.Get(t, "/admin/posts/"+p.ID).MustContain(t, "Draft saved. Added to the featured list.", `name="featured" value="1" checked`)

	// Unticked, with no other change: off the list, nothing else saved.
	p = e.MustStored(t, p.ID)
	form = editorForm(p, "save")
	form.Set("featuredField", "1")
	b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustRedirect(t, "/admin/posts/"+p.ID)
	MustEqual(t, "unfeatured", entryIDs(*mustFeatured(t, e)), []string{})
	b.Get(t, "/admin/posts/"+p.ID).MustContain(t, "Taken off the featured list.")
	MustEqual(t, "no new version", e.MustStored(t, p.ID).Version, p.Version)

	// A form without the checkbox (an older page) leaves the list alone.
	if _, err := e.Svc.AddToList(t.Context(), owner, mustFeatured(t, e).ID, p.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	b.PostCSRF(t, "/admin/posts/"+p.ID, editorForm(p, "save")).MustRedirect(t, "/admin/posts/"+p.ID)
	MustEqual(t, "still featured", entryIDs(*mustFeatured(t, e)), []string{p.ID})

	// A new post can be featured on its first save.
	res := b.PostCSRF(t, "/admin/posts", url.Values{"title": {"Early waking"}, "body": {"Text."}, "featuredField": {"1"}, "featured": {"1"}, "action": {"save"}}).
		MustStatus(t, 303)
	id := postLocation.FindStringSubmatch(res.Header.Get("Location"))
	if id == nil {
		t.Fatalf("create redirected to %q", res.Header.Get("Location"))
	}
	MustEqual(t, "new post featured", entryIDs(*mustFeatured(t, e)), []string{p.ID, id[1]})
}

func TestPanelPostsTextSearch(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	mustSvcPost(t, e, owner, "Bedtime routine", true)
	mustSvcPost(t, e, owner, "Crying at night", false)
	// "babies" is only in the bodies; the draft is not searched by text.
	b.Get(t, "/admin/posts?q=babies").MustStatus(t, 200).
		MustContain(t, "Published posts whose text mentions “babies”", "Bedtime routine", "<mark>babies</mark>").
		MustNotContain(t, "Crying at night")
	b.Get(t, "/admin/posts?q=bedtime").MustContain(t, "Bedtime routine")
	b.Get(t, "/admin/posts").MustNotContain(t, "whose text mentions")
}
