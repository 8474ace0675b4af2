package admin_test

import (
	"net/url"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestEditorRedirects: the editor lists a post's old addresses, and
// Remove takes one off in one save, leaving the rest; a stale form removes
// nothing.
func TestEditorRedirects(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	ctx := t.Context()
	p, err := e.Svc.CreatePost(ctx, owner, cms.PostInput{Title: ptr("Early waking"), Body: ptr("Text."), Status: ptr(cms.StatusPublished)})
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/posts/" + p.ID
	b.Get(t, path).MustStatus(t, 200).MustNotContain(t, `id="redirects-section"`)
	if p, err = e.Svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Slug: ptr("toddler-early-waking"),
		Redirects: &[]string{"/2024/03/early-waking/", "/?p=101"}, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	b.Get(t, path).MustStatus(t, 200).MustContain(t, `id="redirects-section"`,
		"<code>/2024/03/early-waking/</code>", "<code>/?p=101</code>", "<code>early-waking</code>", "Old slug", "Old link",
		`name="from" value="/?p=101"`, `formaction="`+path+`/redirects/remove"`)

	// A form from before another save removes nothing.
	b.PostCSRF(t, path+"/redirects/remove", url.Values{"from": {"/?p=101"}, "version": {itoa(p.Version - 1)}}).MustRedirect(t, path)
	b.Get(t, path).MustContain(t, "Nothing was removed", "<code>/?p=101</code>")

	b.PostCSRF(t, path+"/redirects/remove", url.Values{"from": {"/?p=101"}, "version": {itoa(p.Version)}}).MustRedirect(t, path)
	b.Get(t, path).MustContain(t, "Removed /?p=101", "<code>early-waking</code>").MustNotContain(t, "<code>/?p=101</code>")
	got := e.MustStored(t, p.ID)
	want := []string{"/2024/03/early-waking/", "early-waking"}
	if len(got.Redirects) != 2 || got.Redirects[0].From != want[0] || got.Redirects[1].From != want[1] || got.Version != p.Version+1 {
		t.Errorf("after Remove: %+v v%d; want %v at v%d", got.Redirects, got.Version, want, p.Version+1)
	}
	b.PostCSRF(t, path+"/redirects/remove", url.Values{"from": {"/?p=101"}, "version": {itoa(got.Version)}}).MustRedirect(t, path)
	b.Get(t, path).MustContain(t, "already removed")
	if again := e.MustStored(t, p.ID); again.Version != got.Version {
		t.Errorf("removing a gone address saved the post: v%d, want v%d", again.Version, got.Version)
	}
}
