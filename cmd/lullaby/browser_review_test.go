package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestBrowserMedicalReview: she adds a reviewer (with a photo from the
// media library) on the Reviewers screen, names them on a draft with a
// review date in the editor's "Medical review" section and publishes. The
// public post's JSON-LD then says reviewedBy and lastReviewed on its
// WebPage; and once she moves the review date back beyond her period, the
// post is listed under "Due for review" on the dashboard.
func TestBrowserMedicalReview(t *testing.T) {
	r, b, owner := mustEditorSession(t, "/admin")
	svc := r.srv.svc
	photo, err := svc.UploadMedia(t.Context(), owner, "ada.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 600, 600)))
	if err != nil {
		t.Fatal(err)
	}
	title, body := "Safe sleep basics", "Back to sleep, every sleep."
	p, err := svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}

	b.Do(t, "add a reviewer",
		navigate(r.base+"/admin/reviewers"),
		chromedp.WaitVisible(chromedp.ID("new-name")),
		chromedp.SendKeys(chromedp.ID("new-name"), "Ada Jones"),
		chromedp.SendKeys(chromedp.ID("new-credentials"), "MD, FAAP"),
		chromedp.SendKeys(chromedp.ID("new-bio"), "Pediatrician in Leeds."),
		chromedp.SendKeys(chromedp.ID("new-profileUrl"), "https://clinic.example/ada"),
		chromedp.Click(chromedp.CSS(`#new-reviewer [data-photo-pick]`)),
		chromedp.WaitVisible(chromedp.CSS(`#media-picker-list .picker-item`)),
		chromedp.Click(chromedp.CSS(`#media-picker-list .picker-item[data-id="`+photo.ID+`"]`)),
		waitJS(`document.querySelector('#new-reviewer [data-photo-id]').value === `+jsString(photo.ID)+` && !document.getElementById('media-picker').open`),
		chromedp.Click(chromedp.CSS(`#new-reviewer button[type="submit"]`)),
		waitText(".flash", "Added the reviewer “Ada Jones”."),
	)
	rs, err := svc.ListReviewers(t.Context())
	if err != nil || len(rs) != 1 || rs[0].Credentials != "MD, FAAP" || rs[0].PhotoMediaID != photo.ID {
		t.Fatalf("reviewers = %+v, %v", rs, err)
	}
	ada := rs[0]

	reviewed := time.Now().AddDate(0, -1, 0).Format(cms.DateLayout)
	b.Do(t, "name the reviewer on the draft and publish",
		navigate(r.base+"/admin/posts/"+p.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.Click(chromedp.CSS(`#review-section .section-toggle`)),
		chromedp.WaitVisible(chromedp.CSS(`#review-section input[name="reviewerIds"]`)),
		chromedp.Click(chromedp.CSS(`#review-section input[name="reviewerIds"][value="`+ada.ID+`"]`)),
		// Ticking a reviewer dates the review today; she sets the real date.
		waitJS(`document.getElementById('lastReviewed').value !== ""`),
		setDate("lastReviewed", reviewed),
		chromedp.Click(chromedp.ID("publish")),
		waitText(".flash", "Published"),
		waitText("#status-badge", "Published"),
	)
	got, err := svc.GetPost(t.Context(), p.ID)
	if err != nil || !got.Public() || got.LastReviewed != reviewed || len(got.ReviewerIDs) != 1 || got.ReviewerIDs[0] != ada.ID {
		t.Fatalf("stored post = %+v, %v", got, err)
	}
	b.Screenshot(t, "editor-medical-review")

	var pub struct { // MustCall decodes "data"
		LastReviewed *string `json:"lastReviewed"`
		Reviewers    []struct{ Name, Credentials, PhotoURL string }
		JSONLD       struct {
			Type string `json:"@type"`
			Page struct {
				Type       string `json:"@type"`
				ReviewedBy []struct {
					Type            string `json:"@type"`
					Name            string `json:"name"`
					HonorificSuffix string `json:"honorificSuffix"`
					Image           string `json:"image"`
				} `json:"reviewedBy"`
				LastReviewed string `json:"lastReviewed"`
			} `json:"mainEntityOfPage"`
		} `json:"jsonLd"`
	}
	MustCall(t, 200, "GET", r.base+"/api/v1/posts/"+got.Slug, "", nil, &pub)
	page := pub.JSONLD.Page
	if pub.JSONLD.Type != "BlogPosting" || page.Type != "WebPage" || page.LastReviewed != reviewed || len(page.ReviewedBy) != 1 ||
		page.ReviewedBy[0].Name != "Ada Jones" || page.ReviewedBy[0].HonorificSuffix != "MD, FAAP" || !strings.Contains(page.ReviewedBy[0].Image, photo.ID) {
		t.Fatalf("public jsonLd = %+v", pub.JSONLD)
	}
	if pub.LastReviewed == nil || *pub.LastReviewed != reviewed || len(pub.Reviewers) != 1 || pub.Reviewers[0].Credentials != "MD, FAAP" {
		t.Errorf("public post review = %+v", pub)
	}

	b.Do(t, "the dashboard: nothing due", navigate(r.base+"/admin"), waitText("#due-for-review", "No post is due"))

	longAgo := time.Now().AddDate(-1, -1, 0).Format(cms.DateLayout)
	b.Do(t, "move the review date back and update",
		navigate(r.base+"/admin/posts/"+p.ID),
		chromedp.WaitVisible(chromedp.ID("lastReviewed")),
		setDate("lastReviewed", longAgo),
		chromedp.Click(chromedp.ID("publish")),
		waitText(".flash", "Updated"),
	)
	b.Do(t, "the dashboard lists the post as due",
		navigate(r.base+"/admin"),
		waitText("#due-for-review", title),
		waitText("#due-for-review", "last reviewed"),
	)
	b.ScreenshotView(t, "dashboard-due-for-review")
	MustCall(t, 200, "GET", r.base+"/api/v1/posts/"+got.Slug, "", nil, &pub)
	if pub.JSONLD.Page.LastReviewed != longAgo {
		t.Errorf("public lastReviewed after the update = %q, want %q", pub.JSONLD.Page.LastReviewed, longAgo)
	}
}

// setDate sets the date input id to day (YYYY-MM-DD) as a date picker
// does, with the input and change events the page listens to.
func setDate(id, day string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(function(){var e=document.getElementById(` + jsString(id) + `);e.value=` + jsString(day) +
		`;e.dispatchEvent(new Event('input',{bubbles:true}));e.dispatchEvent(new Event('change',{bubbles:true}));})()`)
}
