package admin_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestPanelReviewers walks the Reviewers screen (add, a bad field kept at
// 422, edit, a refused delete naming the post, delete), the editor's
// "Medical review" section saved with the post, the settings' review
// period and author credentials, and the dashboard's "Due for review".
func TestPanelReviewers(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)

	b.PostCSRF(t, "/admin/reviewers", url.Values{"name": {"Ada Jones"}, "credentials": {"MD, FAAP"}, "bio": {"Pediatrician."},
		"profileUrl": {"https://clinic.example/ada"}}).MustRedirect(t, "/admin/reviewers")
	b.Get(t, "/admin/reviewers").MustContain(t, "Added the reviewer “Ada Jones”.", `<span class="credentials">MD, FAAP</span>`)
	b.PostCSRF(t, "/admin/reviewers", url.Values{"name": {"Bo"}, "profileUrl": {"javascript:x"}, "bio": {"Kept <text>"}}).
		MustStatus(t, 422).MustContain(t, `id="new-profileUrl-error"`, "Kept &lt;text&gt;</textarea>")
	rs, err := e.Svc.ListReviewers(t.Context())
	if err != nil || len(rs) != 1 {
		t.Fatalf("reviewers = %v, %v; want Ada alone", rs, err)
	}
	ada := rs[0]
	b.PostCSRF(t, "/admin/reviewers/"+ada.ID, url.Values{"name": {"Dr Ada Jones"}, "credentials": {"MD, FAAP"},
		"version": {strconv.Itoa(ada.Version)}}).MustRedirect(t, "/admin/reviewers")
	b.PostCSRF(t, "/admin/reviewers/"+ada.ID, url.Values{"name": {"Stale"}, "version": {strconv.Itoa(ada.Version)}}).
		MustStatus(t, 409).MustContain(t, "Someone else changed this reviewer")

	// The editor names her with a date, in the post's one save.
	title := "Safe sleep"
	p, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	b.Get(t, "/admin/posts/"+p.ID).MustContain(t, "Medical review", `name="reviewerIds" value="`+ada.ID+`"`, "Dr Ada Jones, MD, FAAP")
	form := url.Values{"title": {title}, "slug": {p.Slug}, "body": {"Back to sleep."}, "version": {strconv.Itoa(p.Version)}, "action": {"save"},
		"review": {"1"}, "reviewerIds": {ada.ID}, "lastReviewed": {"2025-13-01"}}
	b.PostCSRF(t, "/admin/posts/"+p.ID, form).MustStatus(t, 422).MustContain(t, `id="lastReviewed-error"`)
	if got := mustPost(t, e, p.ID); got.Version != p.Version || got.Body != "" {
		t.Fatalf("a refused save wrote: %+v", got)
	}
	old := time.Now().AddDate(-2, 0, 0).Format(cms.DateLayout)
	form.Set("lastReviewed", old)
	form.Set("action", "publish")
	b.PostCSRF(t, "/admin/posts/"+p.ID, form)
	got := mustPost(t, e, p.ID)
	if !got.Public() || got.LastReviewed != old || len(got.ReviewerIDs) != 1 || got.Body != "Back to sleep." || got.Version != p.Version+1 {
		t.Fatalf("saved post = %+v, want published with the review in one save", got)
	}

	b.Get(t, "/admin").MustContain(t, `id="due-for-review"`, ">Safe sleep</a>", "last reviewed")
	b.PostCSRF(t, "/admin/reviewers/"+ada.ID+"/delete", nil).MustStatus(t, 409).MustContain(t, "&#34;Safe sleep&#34;", "Name another reviewer")

	st, err := e.Svc.GetSettings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b.PostCSRF(t, "/admin/settings", url.Values{"site.title": {"Sleep"}, "author.name": {"Jo"}, "author.credentials": {"MA, CPSC"},
		"reviewPeriodMonths": {"abc"}, "version": {strconv.Itoa(st.Version)}}).MustStatus(t, 422).MustContain(t, `id="reviewPeriodMonths-error"`)
	b.PostCSRF(t, "/admin/settings", url.Values{"site.title": {"Sleep"}, "author.name": {"Jo"}, "author.credentials": {"MA, CPSC"},
		"reviewPeriodMonths": {"36"}, "version": {strconv.Itoa(st.Version)}}).MustRedirect(t, "/admin/settings")
	if st, _ = e.Svc.GetSettings(t.Context()); st.ReviewPeriodMonths != 36 || st.Author.Credentials != "MA, CPSC" {
		t.Fatalf("settings = %+v", st)
	}
	b.Get(t, "/admin").MustContain(t, "No post is due").MustNotContain(t, ">Safe sleep</a>\n      <span class=\"meta\">last reviewed")
}

func mustPost(tb testing.TB, e *Env, id string) *cms.Post {
	tb.Helper()
	p, err := e.Svc.GetPost(tb.Context(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
