package readmodel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// mustReadModelService returns a fresh test database, a read model over it
// and a service that writes through both.
func mustReadModelService(tb testing.TB) (*mongodb.DB, *readmodel.ReadModel, *cms.Service) {
	tb.Helper()
	f := cmstest.MustService(tb)
	return f.DB, f.Read, f.Svc
}

// TestReadModelFollowsWrites checks that the writer's snapshot follows
// every kind of post change, whether applied in memory or reloaded, and
// matches a fresh load from the database.
func TestReadModelFollowsWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, rm, svc := mustReadModelService(t)
	if err := rm.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	owner := cmstest.Owner()
	title, body := "First post", "Hello **world**."
	p, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	mustVisible := func(slug string, want bool) {
		t.Helper()
		_, _, err := rm.Snapshot().Post(slug)
		if got := err == nil; got != want {
			t.Fatalf("%s visible = %v, want %v", slug, got, want)
		}
		fresh := readmodel.NewReadModel(db, cmstest.Logger())
		if err := fresh.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if fresh.Snapshot().Version() != rm.Snapshot().Version() || fresh.Snapshot().PostCount() != rm.Snapshot().PostCount() {
			t.Fatalf("writer snapshot v%d with %d posts; a fresh load gives v%d with %d", rm.Snapshot().Version(), rm.Snapshot().PostCount(), fresh.Snapshot().Version(), fresh.Snapshot().PostCount())
		}
		fb, _, _ := fresh.Snapshot().Post(slug)
		wb, _, _ := rm.Snapshot().Post(slug)
		if (fb == nil) != (wb == nil) || fb != nil && fb.ETag != wb.ETag {
			t.Fatalf("writer and fresh snapshot disagree on %s", slug)
		}
	}
	mustVisible("first-post", false)
	if p, err = svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	mustVisible("first-post", true)
	newTitle := "First post, edited"
	if p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: &newTitle, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	mustVisible("first-post", true)
	if p, err = svc.TrashPost(ctx, owner, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	mustVisible("first-post", false)
	if p, err = svc.RestorePost(ctx, owner, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	mustVisible("first-post", true)
	// Another instance writes: the next save here cannot apply in memory
	// and reloads instead, picking up both changes.
	other := cmstest.MustServiceOn(t, db).Svc
	t2, b2 := "Second post", "Written elsewhere."
	q, err := other.ImportPost(ctx, owner, cms.PostInput{Title: &t2, Body: &b2}, cms.StatusPublished, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	other.Refresh(ctx)
	if _, err = svc.UnpublishPost(ctx, owner, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	mustVisible("first-post", false)
	mustVisible(q.Slug, true)
}

// TestSEODescriptionKeepsPlainText: an excerpt is plain text; angle
// brackets in it are text, not markup, and reach the SEO description.
func TestSEODescriptionKeepsPlainText(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	rm := f.Read
	title, body, excerpt := "Naps", "Text.", "Babies <1 year need naps; <b>always</b> check"
	f.MustPublished(t, cms.PostInput{Title: &title, Body: &body, Excerpt: &excerpt}, time.Time{})
	b, _, err := rm.Snapshot().Post("naps")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Data struct{ SEO readmodel.PublicSEO }
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Data.SEO.Description != excerpt {
		t.Errorf("SEO description = %q, want the excerpt %q", got.Data.SEO.Description, excerpt)
	}
}

// TestDraftSavesLeavePublicContentAlone: saving a draft moves the posts
// version (the admin index sees it) but not the content version, so no
// instance reloads its public snapshot; publishing moves both.
func TestDraftSavesLeavePublicContentAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _, svc := mustReadModelService(t)
	ix := readmodel.NewPostIndex(db)
	owner := cmstest.Owner()
	versions := func() (content, posts int64) {
		t.Helper()
		c, err1 := db.ContentVersion(ctx)
		p, err2 := db.PostsVersion(ctx)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		return c, p
	}
	title, body := "Draft", "Words."
	p, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	c0, p0 := versions()
	edited := "Draft, edited"
	if p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: &edited, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	if c1, p1 := versions(); c1 != c0 || p1 <= p0 {
		t.Errorf("draft save: content %d -> %d, posts %d -> %d; want content unchanged and posts moved", c0, c1, p0, p1)
	}
	list, _, err := ix.List(ctx, cms.PostFilter{})
	if err != nil || len(list) != 1 || list[0].Title != edited {
		t.Fatalf("index after a draft save = %v, %v; want the edited title", list, err)
	}
	c1, p1 := versions()
	if _, err = svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	if c2, p2 := versions(); c2 <= c1 || p2 <= p1 {
		t.Errorf("publish: content %d -> %d, posts %d -> %d; want both moved", c1, c2, p1, p2)
	}
}

// TestReadModelPublicURL: SetPublicURL after the first load rebuilds the
// snapshot from memory at the same version (no database read), making
// the cover and body media links absolute; settings changes rebuild
// entries too.
func TestReadModelPublicURL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, rm, svc := mustReadModelService(t)
	owner := cmstest.Owner()
	m, err := svc.UploadMedia(ctx, owner, "cover.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 800, 600)))
	if err != nil {
		t.Fatal(err)
	}
	title, body := "Naps", "![nap](/media/"+m.ID+"/w640)"
	if _, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Body: &body, Cover: &cms.ImageInput{MediaID: m.ID}}, cms.StatusPublished, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc.Refresh(ctx)
	type post struct {
		Data struct {
			URL        string
			HTML       string
			CoverImage *readmodel.PublicImage
		}
	}
	get := func() (post, int64) {
		t.Helper()
		b, _, err := rm.Snapshot().Post("naps")
		if err != nil {
			t.Fatal(err)
		}
		var p post
		if err := json.Unmarshal(b.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		return p, rm.Snapshot().Version()
	}
	before, v0 := get()
	if before.Data.CoverImage == nil || before.Data.CoverImage.URL != "/media/"+m.ID+"/w1600" ||
		!strings.Contains(before.Data.HTML, `src="/media/`+m.ID+`/w640"`) {
		t.Fatalf("with no public URL: cover %+v, html %s; want relative /media/ URLs", before.Data.CoverImage, before.Data.HTML)
	}
	rm.SetPublicURL("https://cms.example.com/")
	after, v1 := get()
	if v1 != v0 {
		t.Errorf("version %d -> %d, want unchanged", v0, v1)
	}
	if after.Data.CoverImage == nil || after.Data.CoverImage.URL != "https://cms.example.com/media/"+m.ID+"/w1600" ||
		!strings.Contains(after.Data.HTML, `src="https://cms.example.com/media/`+m.ID+`/w640"`) {
		t.Errorf("after SetPublicURL: cover %+v, html %s; want absolute URLs", after.Data.CoverImage, after.Data.HTML)
	}
	if !strings.HasPrefix(after.Data.CoverImage.Srcset, "https://cms.example.com/media/"+m.ID+"/thumb 320w, ") {
		t.Errorf("srcset = %q", after.Data.CoverImage.Srcset)
	}

	v := 0
	if _, err := svc.UpdateSettings(ctx, owner, cms.SettingsInput{Version: &v, Site: &cms.SiteSettings{Title: "Blog", URL: "https://sleep.example"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := get(); got.Data.URL != "https://sleep.example/naps" {
		t.Errorf("url after a settings change = %q, want https://sleep.example/naps", got.Data.URL)
	}
}

// TestSettledAfterFirstLoad checks that Settled is closed by the work
// that follows the first load, not before the load.
func TestSettledAfterFirstLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _, svc := mustReadModelService(t)
	title, body, status := "Settled post", "Sleep comes in cycles.", cms.StatusPublished
	if _, err := svc.CreatePost(ctx, cmstest.Owner(), cms.PostInput{Title: &title, Body: &body, Status: &status}); err != nil {
		t.Fatal(err)
	}
	rm := readmodel.NewReadModel(db, cmstest.Logger())
	select {
	case <-rm.Settled():
		t.Fatal("Settled is closed before any load")
	case <-time.After(100 * time.Millisecond):
	}
	if err := rm.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rm.Settled():
	case <-time.After(20 * time.Second):
		t.Fatal("Settled is not closed 20 s after the first load")
	}
	if rm.Snapshot().PostCount() != 1 {
		t.Fatalf("%d posts loaded, want 1", rm.Snapshot().PostCount())
	}
}
