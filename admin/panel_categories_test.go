package admin_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// categoryNames lists the categories' names in display order.
func categoryNames(tb testing.TB, e *Env) []string {
	tb.Helper()
	cats, err := e.Svc.ListCategories(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	names := []string{}
	for _, c := range cats {
		names = append(names, c.Name)
	}
	return names
}

func TestPanelCategories(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)

	t.Run("Create", func(t *testing.T) {
		for _, name := range []string{"Naps", "Night sleep", "Feeding"} {
			b.PostCSRF(t, "/admin/categories", url.Values{"name": {name}}).MustRedirect(t, "/admin/categories")
		}
		b.Get(t, "/admin/categories").MustContain(t, "Added the category “Feeding”.", "/night-sleep")
		MustEqual(t, "order", categoryNames(t, e), []string{"Naps", "Night sleep", "Feeding"})
	})
	t.Run("ErrInvalidKeepsInput", func(t *testing.T) {
		b.PostCSRF(t, "/admin/categories", url.Values{"name": {""}, "description": {"Kept <text>"}}).
			MustStatus(t, 422).MustContain(t, "A name is required.", `id="new-name-error"`, "Kept &lt;text&gt;</textarea>")
		b.PostCSRF(t, "/admin/categories", url.Values{"name": {"Naps again"}, "slug": {"naps"}}).
			MustStatus(t, 409).MustContain(t, `id="new-slug-error"`, `value="Naps again"`)
		MustEqual(t, "count", len(categoryNames(t, e)), 3)
	})
	cats, _ := e.Svc.ListCategories(t.Context())
	naps, night, feeding := cats[0], cats[1], cats[2]

	t.Run("Rename", func(t *testing.T) {
		b.PostCSRF(t, "/admin/categories/"+naps.ID, url.Values{"name": {"Daytime naps"}, "slug": {"naps"},
			"description": {"Short sleeps."}, "version": {strconv.Itoa(naps.Version)}}).MustRedirect(t, "/admin/categories")
		c, _ := e.Svc.GetCategory(t.Context(), naps.ID)
		MustEqual(t, "renamed", [2]string{c.Name, c.Description}, [2]string{"Daytime naps", "Short sleeps."})
	})
	t.Run("ErrRenameInvalid", func(t *testing.T) {
		b.PostCSRF(t, "/admin/categories/"+night.ID, url.Values{"name": {""}, "slug": {"night-sleep"},
			"version": {strconv.Itoa(night.Version)}}).MustStatus(t, 422).
			MustContain(t, `id="`+night.ID+`-name-error"`, "A name is required.", "<details class=\"edit-details\" open>")
	})
	t.Run("ErrRenameStale", func(t *testing.T) {
		b.PostCSRF(t, "/admin/categories/"+naps.ID, url.Values{"name": {"My stale name"}, "slug": {"naps"},
			"version": {strconv.Itoa(naps.Version)}}).MustStatus(t, 409).
			MustContain(t, "Someone else changed this category", `value="My stale name"`)
	})
	t.Run("ReorderButtons", func(t *testing.T) {
		b.PostCSRF(t, "/admin/categories/order", url.Values{"id": {feeding.ID}, "move": {"up"}}).MustRedirect(t, "/admin/categories")
		MustEqual(t, "order", categoryNames(t, e), []string{"Daytime naps", "Feeding", "Night sleep"})
		b.PostCSRF(t, "/admin/categories/order", url.Values{"id": {naps.ID}, "move": {"down"}}).MustRedirect(t, "/admin/categories")
		MustEqual(t, "order", categoryNames(t, e), []string{"Feeding", "Daytime naps", "Night sleep"})
		// Already first: nothing changes.
		b.PostCSRF(t, "/admin/categories/order", url.Values{"id": {feeding.ID}, "move": {"up"}}).MustRedirect(t, "/admin/categories")
		MustEqual(t, "order", categoryNames(t, e), []string{"Feeding", "Daytime naps", "Night sleep"})
		b.PostCSRF(t, "/admin/categories/order", url.Values{"id": {feeding.ID}, "move": {"sideways"}}).MustStatus(t, 400)
	})
	t.Run("ReorderDragAndDrop", func(t *testing.T) {
		b.Post(t, "/admin/categories/order", url.Values{"ids": {night.ID, feeding.ID, naps.ID}},
			"X-CSRF-Token", b.CSRF(t), "Accept", "application/json").MustStatus(t, 204)
		MustEqual(t, "order", categoryNames(t, e), []string{"Night sleep", "Feeding", "Daytime naps"})
		b.PostCSRF(t, "/admin/categories/order", url.Values{"ids": {night.ID}}).MustRedirect(t, "/admin/categories")
		b.Get(t, "/admin/categories").MustContain(t, "The categories changed meanwhile")
		MustEqual(t, "order", categoryNames(t, e), []string{"Night sleep", "Feeding", "Daytime naps"})
	})
	t.Run("DeleteKeepsPosts", func(t *testing.T) {
		title, ids := "Filed", []string{feeding.ID}
		p, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, CategoryIDs: &ids})
		if err != nil {
			t.Fatal(err)
		}
		b.PostCSRF(t, "/admin/categories/"+feeding.ID+"/delete", nil).MustRedirect(t, "/admin/categories")
		b.Get(t, "/admin/categories").MustContain(t, "Deleted the category “Feeding”.").MustNotContain(t, feeding.ID)
		MustEqual(t, "order", categoryNames(t, e), []string{"Night sleep", "Daytime naps"})
		b.Get(t, "/admin/posts").MustStatus(t, 200).MustContain(t, "Filed")
		if _, err := e.Svc.GetPost(t.Context(), p.ID); err != nil {
			t.Fatal(err)
		}
	})
}
