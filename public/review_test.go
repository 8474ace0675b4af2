package public_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// reviewedPost is what a frontend reads of a post's medical review.
type reviewedPost struct {
	Reviewers    []readmodel.PublicReviewer `json:"reviewers"`
	LastReviewed *string                    `json:"lastReviewed"`
	LastUpdated  time.Time                  `json:"lastUpdated"`
	Author       readmodel.PublicAuthor     `json:"author"`
	JSONLD       struct {
		Type         string                 `json:"@type"`
		DateModified string                 `json:"dateModified"`
		Author       readmodel.JSONLDPerson `json:"author"`
		Page         *struct {
			Type         string                   `json:"@type"`
			ID           string                   `json:"@id"`
			ReviewedBy   []readmodel.JSONLDPerson `json:"reviewedBy"`
			LastReviewed string                   `json:"lastReviewed"`
		} `json:"mainEntityOfPage"`
	} `json:"jsonLd"`
}

func (f *fixture) reviewed(tb testing.TB, slug string) reviewedPost {
	tb.Helper()
	r := f.Get(tb, "/api/v1/posts/"+slug)
	MustStatus(tb, r, http.StatusOK)
	var res struct{ Data reviewedPost }
	MustJSON(tb, r.body, &res)
	return res.Data
}

// TestPostMedicalReview checks that a published post carries who reviewed
// it and when, in our JSON, in its JSON-LD (on the WebPage, where
// schema.org defines reviewedBy and lastReviewed) and in both dialects;
// that a reviewer's edit shows at once; and that a review does not move
// "last updated", while a change to the words does.
func TestPostMedicalReview(t *testing.T) {
	t.Parallel()
	f := MustFixture(t)
	ctx := context.Background()
	f.MustSettings(t, "https://sleep.example")
	author := cms.AuthorProfile{Name: "Jo Doe", Title: "Certified pediatric sleep consultant", Credentials: "MA, CPSC"}
	st, err := f.svc.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{Author: &author, Version: &st.Version}); err != nil {
		t.Fatal(err)
	}
	photo := f.MustUpload(t, 500, 500)
	name, creds, bio, url, photoID := "Ada Jones", "MD, FAAP", "Pediatrician in Leeds.", "https://clinic.example/ada", photo.ID
	ada, err := f.svc.CreateReviewer(ctx, f.owner, cms.ReviewerInput{Name: &name, Credentials: &creds, Bio: &bio, ProfileURL: &url, PhotoMediaID: &photoID})
	if err != nil {
		t.Fatal(err)
	}
	p := f.MustPublished(t, "Safe sleep basics", "Back to sleep.", time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), nil)
	before := f.reviewed(t, p.Slug)
	if len(before.Reviewers) != 0 || before.LastReviewed != nil || before.JSONLD.Page == nil || before.JSONLD.Page.ReviewedBy != nil {
		t.Errorf("not reviewed: %+v", before)
	}
	if before.Author.Credentials != "MA, CPSC" || before.JSONLD.Author.HonorificSuffix != "MA, CPSC" {
		t.Errorf("author credentials: %+v / %+v, want MA, CPSC", before.Author, before.JSONLD.Author)
	}

	ids, date := []string{ada.ID}, "2026-02-10"
	p, err = f.svc.UpdatePost(ctx, f.owner, p.ID, cms.PostInput{ReviewerIDs: &ids, LastReviewed: &date, Version: &p.Version})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Refresh(ctx)
	got := f.reviewed(t, p.Slug)
	if len(got.Reviewers) != 1 || got.LastReviewed == nil || *got.LastReviewed != date {
		t.Fatalf("reviewed: %+v", got)
	}
	r := got.Reviewers[0]
	if r.Name != name || r.Credentials != creds || r.Bio != bio || r.URL != url || r.Photo == nil || r.PhotoURL != testPublicURL+"/media/"+photo.ID+"/w640" {
		t.Errorf("reviewer = %+v", r)
	}
	MustEqual(t, "a review is not an update", got.LastUpdated, before.LastUpdated)
	MustEqual(t, "dateModified", got.JSONLD.DateModified, before.LastUpdated.Format(time.RFC3339))
	page := got.JSONLD.Page
	if got.JSONLD.Type != "BlogPosting" || page == nil || page.Type != "WebPage" || page.ID != "https://sleep.example/"+p.Slug ||
		page.LastReviewed != date || len(page.ReviewedBy) != 1 {
		t.Fatalf("jsonLd = %+v, page %+v", got.JSONLD, page)
	}
	MustEqual(t, "reviewedBy", page.ReviewedBy[0], readmodel.JSONLDPerson{Type: "Person", Name: name, HonorificSuffix: creds,
		Description: bio, URL: url, Image: r.PhotoURL})

	for _, d := range []struct{ name, path string }{
		{"Ghost", ghostBase + "/posts/slug/" + p.Slug + "/"},
		{"WordPress", "/wp-json/wp/v2/posts?slug=" + p.Slug},
	} {
		res := f.Get(t, d.path)
		MustStatus(t, res, http.StatusOK)
		var body struct {
			Posts []struct{ Lullaby reviewedPost }
		}
		if d.name == "WordPress" {
			err = json.Unmarshal(res.body, &body.Posts)
		} else {
			err = json.Unmarshal(res.body, &body)
		}
		if err != nil || len(body.Posts) != 1 {
			t.Fatalf("%s: %v %s", d.name, err, res.body)
		}
		ours := body.Posts[0].Lullaby
		if len(ours.Reviewers) != 1 || ours.Reviewers[0].Credentials != creds || ours.LastReviewed == nil || *ours.LastReviewed != date ||
			!ours.LastUpdated.Equal(got.LastUpdated) {
			t.Errorf("%s: lullaby = %+v", d.name, ours)
		}
	}

	newName := "Dr Ada Jones"
	if _, err := f.svc.UpdateReviewer(ctx, f.owner, ada.ID, cms.ReviewerInput{Name: &newName, Version: &ada.Version}); err != nil {
		t.Fatal(err)
	}
	if got := f.reviewed(t, p.Slug); got.Reviewers[0].Name != newName || got.JSONLD.Page.ReviewedBy[0].Name != newName {
		t.Errorf("after renaming the reviewer: %+v", got.Reviewers)
	}

	body := "Back to sleep, always."
	if _, err := f.svc.UpdatePost(ctx, f.owner, p.ID, cms.PostInput{Body: &body, Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	f.svc.Refresh(ctx)
	if after := f.reviewed(t, p.Slug); !after.LastUpdated.After(got.LastUpdated) || after.LastReviewed == nil {
		t.Errorf("after editing the body: lastUpdated %v (was %v), lastReviewed %v", after.LastUpdated, got.LastUpdated, after.LastReviewed)
	}
}

// MustEqual fails unless got equals want (as compared by reflect).
func MustEqual[T any](tb testing.TB, what string, got, want T) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s:\n got: %+v\nwant: %+v", what, got, want)
	}
}
