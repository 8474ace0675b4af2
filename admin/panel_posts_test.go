package admin_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

func TestPanelBulkTrash(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	one := e.MustPanelPost(t, owner, "One", cms.StatusDraft)
	two := e.MustPanelPost(t, owner, "Two", cms.StatusPublished)
	three := e.MustPanelPost(t, owner, "Three", cms.StatusDraft)

	t.Run("Nothing", func(t *testing.T) {
		b.PostCSRF(t, "/admin/posts/bulk-trash", url.Values{"return": {"/admin/posts?status=draft"}}).
			MustRedirect(t, "/admin/posts?status=draft")
		b.Get(t, "/admin/posts").MustContain(t, "Nothing was moved")
	})
	t.Run("OK", func(t *testing.T) {
		b.PostCSRF(t, "/admin/posts/bulk-trash", url.Values{"ids": {one.ID, two.ID, "not-an-id"},
			"return": {"/admin/posts?q=o&page=2"}}).MustRedirect(t, "/admin/posts?q=o&page=2")
		b.Get(t, "/admin/posts").MustStatus(t, 200).MustContain(t, "Moved 2 posts to the trash.", "Three").
			MustNotContain(t, `value="`+one.ID+`"`, `value="`+two.ID+`"`)
		for id, want := range map[string]bool{one.ID: true, two.ID: true, three.ID: false} {
			p, err := e.Svc.GetPost(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Trashed() != want {
				t.Errorf("post %s trashed = %v, want %v", p.Title, p.Trashed(), want)
			}
		}
		// The published one left the site.
		if _, _, err := e.Read.Snapshot().Post(two.Slug); err == nil {
			t.Error("the trashed post is still public")
		}
	})
	t.Run("ReturnOnlyToPosts", func(t *testing.T) {
		b.PostCSRF(t, "/admin/posts/bulk-trash", url.Values{"ids": {three.ID}, "return": {"https://evil.example/"}}).
			MustRedirect(t, "/admin/posts")
	})
}

func TestPanelTrash(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	keep := e.MustPanelPost(t, owner, "Keep me", cms.StatusPublished)
	drop := e.MustPanelPost(t, owner, "Drop me", cms.StatusDraft)
	for _, p := range []*cms.Post{keep, drop} {
		if _, err := e.Svc.TrashPost(t.Context(), owner, p.ID, 0); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Restore", func(t *testing.T) {
		b.PostCSRF(t, "/admin/trash/"+keep.ID+"/restore", nil).MustRedirect(t, "/admin/trash")
		b.Get(t, "/admin/trash").MustContain(t, "Restored “Keep me” (published).", "Drop me").
			MustNotContain(t, "/admin/trash/"+keep.ID+"/restore")
		p, _ := e.Svc.GetPost(t.Context(), keep.ID)
		if p.Trashed() || p.Status != cms.StatusPublished {
			t.Fatalf("restored post: trashed %v, status %s", p.Trashed(), p.Status)
		}
	})
	t.Run("DeleteAsksFirst", func(t *testing.T) {
		b.PostCSRF(t, "/admin/trash/"+drop.ID+"/delete", nil).MustRedirect(t, "/admin/trash/"+drop.ID+"/delete")
		b.Get(t, "/admin/trash/"+drop.ID+"/delete").MustStatus(t, 200).MustContain(t, "Delete forever?", "Drop me")
		if _, err := e.Svc.GetPost(t.Context(), drop.ID); err != nil {
			t.Fatalf("the post is gone before confirming: %v", err)
		}
	})
	t.Run("ErrNotTrashed", func(t *testing.T) {
		b.PostCSRF(t, "/admin/trash/"+keep.ID+"/delete", url.Values{"confirm": {"yes"}}).
			MustStatus(t, 409).MustContain(t, "Only posts in the trash")
	})
	t.Run("Delete", func(t *testing.T) {
		b.PostCSRF(t, "/admin/trash/"+drop.ID+"/delete", url.Values{"confirm": {"yes"}}).MustRedirect(t, "/admin/trash")
		b.Get(t, "/admin/trash").MustContain(t, "Deleted “Drop me” forever.", "The trash is empty.")
		if _, err := e.Svc.GetPost(t.Context(), drop.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Fatalf("GetPost after delete: %v", err)
		}
	})
}

func TestPanelPostsPaging(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	for i := 0; i < 23; i++ {
		e.MustPanelPost(t, owner, "Post "+strings.Repeat("x", i+1), cms.StatusDraft)
	}
	p1 := b.Get(t, "/admin/posts?sort=title&status=draft").MustStatus(t, 200).
		MustContain(t, "Page 1 of 2", `href="/admin/posts?page=2&amp;sort=title&amp;status=draft"`, "23 posts")
	rows := regexp.MustCompile(`name="ids"`).FindAllString(p1.Body, -1)
	MustEqual(t, "rows on page 1", len(rows), 20)
	p2 := b.Get(t, "/admin/posts?sort=title&status=draft&page=2").MustStatus(t, 200).
		MustContain(t, "Page 2 of 2", `href="/admin/posts?sort=title&amp;status=draft"`, `name="return" value="/admin/posts?page=2&amp;sort=title&amp;status=draft"`)
	MustEqual(t, "rows on page 2", len(regexp.MustCompile(`name="ids"`).FindAllString(p2.Body, -1)), 3)
}
