package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

func TestReviewers(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	do := func(method, path string, body any) *Resp {
		return e.Do(t, Req{Method: method, Path: api + "/reviewers" + path, Token: s.Token, Body: body})
	}
	list := func() []string {
		t.Helper()
		var rs []cms.Reviewer
		do("GET", "", nil).MustStatus(t, 200).Data(t, &rs)
		names := []string{}
		for _, r := range rs {
			names = append(names, r.Name)
		}
		return names
	}
	MustEqual(t, "empty list", list(), []string{})

	photo := e.MustMedia(t, "ada.jpg", "", 400, 400)
	var ada cms.Reviewer
	r := do("POST", "", map[string]any{"name": " Ada Jones ", "credentials": "MD, FAAP", "bio": "Pediatrician.",
		"photoMediaId": photo.ID, "profileUrl": "https://clinic.example/ada"}).MustStatus(t, 201)
	r.Data(t, &ada)
	MustEqual(t, "Location", r.Header.Get("Location"), api+"/reviewers/"+ada.ID)
	MustEqual(t, "created", []any{ada.Name, ada.Credentials, ada.PhotoMediaID, ada.Version}, []any{"Ada Jones", "MD, FAAP", photo.ID, 1})
	var bo cms.Reviewer
	do("POST", "", map[string]any{"name": "bo Smith"}).MustStatus(t, 201).Data(t, &bo)
	MustEqual(t, "list by name", list(), []string{"Ada Jones", "bo Smith"})

	long := func(n int) string { return strings.Repeat("x", n) }
	for _, tc := range []struct {
		name   string
		body   any
		fields []string
	}{
		{"ErrNoName", map[string]any{"name": " "}, []string{"name"}},
		{"ErrLongName", map[string]any{"name": long(cms.MaxReviewerNameLen + 1)}, []string{"name"}},
		{"ErrLongCredentials", map[string]any{"name": "X", "credentials": long(cms.MaxReviewerCredentialsLen + 1)}, []string{"credentials"}},
		{"ErrLongBio", map[string]any{"name": "X", "bio": long(cms.MaxReviewerBioLen + 1)}, []string{"bio"}},
		{"ErrTwoLineName", map[string]any{"name": "A\nB"}, []string{"name"}},
		{"ErrURL", map[string]any{"name": "X", "profileUrl": "javascript:alert(1)"}, []string{"profileUrl"}},
		{"ErrPhotoID", map[string]any{"name": "X", "photoMediaId": "nope"}, []string{"photoMediaId"}},
		{"ErrUnknownPhoto", map[string]any{"name": "X", "photoMediaId": cms.NewID()}, []string{"photoMediaId"}},
		{"ErrUnknownField", map[string]any{"name": "X", "degree": "MD"}, []string{"degree"}},
		{"ErrEverything", map[string]any{"name": long(200), "credentials": long(200), "profileUrl": "ftp://x"}, []string{"name", "credentials", "profileUrl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			do("POST", "", tc.body).MustProblem(t, 400, tc.fields...)
		})
	}
	MustEqual(t, "nothing written by bad creates", list(), []string{"Ada Jones", "bo Smith"})

	do("GET", "/bad-id", nil).MustProblem(t, 400, "id")
	do("GET", "/"+cms.NewID(), nil).MustProblem(t, 404)
	do("PATCH", "/"+bo.ID, map[string]any{"credentials": "RN"}).MustProblem(t, 400, "version")
	do("PATCH", "/"+bo.ID, map[string]any{"credentials": "RN", "version": 7}).MustProblem(t, 409, "version")
	do("PATCH", "/"+bo.ID, map[string]any{"credentials": long(500), "version": 1}).MustProblem(t, 400, "credentials")
	var got cms.Reviewer
	do("GET", "/"+bo.ID, nil).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "unchanged by bad patches", []any{got.Credentials, got.Version}, []any{"", 1})
	do("PATCH", "/"+bo.ID, map[string]any{"credentials": "RN, IBCLC", "version": 1}).MustStatus(t, 200).Data(t, &got)
	MustEqual(t, "patched", []any{got.Name, got.Credentials, got.Version}, []any{"bo Smith", "RN, IBCLC", 2})

	t.Run("Post", func(t *testing.T) {
		p := e.MustPost(t, s.Token, map[string]any{"title": "Reviewed", "body": "Words."})
		posts := func(method, path string, body any) *Resp {
			return e.Do(t, Req{Method: method, Path: api + "/posts" + path, Token: s.Token, Body: body})
		}
		future := time.Now().AddDate(0, 0, 3).Format(cms.DateLayout)
		for _, tc := range []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"ErrBadDate", map[string]any{"reviewerIds": []string{ada.ID}, "lastReviewed": "2026-02-30"}, []string{"lastReviewed"}},
			{"ErrDateWithTime", map[string]any{"reviewerIds": []string{ada.ID}, "lastReviewed": "2026-01-02T10:00:00Z"}, []string{"lastReviewed"}},
			{"ErrDateNotString", map[string]any{"reviewerIds": []string{ada.ID}, "lastReviewed": 20260102}, []string{"lastReviewed"}},
			{"ErrFutureDate", map[string]any{"reviewerIds": []string{ada.ID}, "lastReviewed": future}, []string{"lastReviewed"}},
			{"ErrUnknownReviewer", map[string]any{"reviewerIds": []string{ada.ID, cms.NewID()}, "lastReviewed": "2026-01-02"}, []string{"reviewerIds"}},
			{"ErrMalformedReviewer", map[string]any{"reviewerIds": []string{"ada"}, "lastReviewed": "2026-01-02"}, []string{"reviewerIds"}},
			{"ErrNoDate", map[string]any{"reviewerIds": []string{ada.ID}}, []string{"lastReviewed"}},
			{"ErrNoReviewer", map[string]any{"lastReviewed": "2026-01-02"}, []string{"reviewerIds"}},
			{"ErrTooMany", map[string]any{"reviewerIds": []string{cms.NewID(), cms.NewID(), cms.NewID(), cms.NewID(), cms.NewID(), cms.NewID()}, "lastReviewed": "2026-01-02"}, []string{"reviewerIds"}},
			{"ErrWithTitle", map[string]any{"title": long(300), "reviewerIds": []string{ada.ID}, "lastReviewed": "2026-01-02"}, []string{"title"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.body["version"] = p.Version
				posts("PATCH", "/"+p.ID, tc.body).MustProblem(t, 400, tc.fields...)
			})
		}
		stored := e.MustGetPost(t, s.Token, p.ID)
		MustEqual(t, "nothing half-written", []any{stored.Version, stored.ReviewerIDs, stored.LastReviewed, stored.Title},
			[]any{p.Version, []string{}, "", "Reviewed"})

		var saved cms.Post
		posts("PATCH", "/"+p.ID, map[string]any{"reviewerIds": []string{bo.ID, ada.ID, bo.ID}, "lastReviewed": "2026-01-02",
			"status": "published", "version": p.Version}).MustStatus(t, 200).Data(t, &saved)
		MustEqual(t, "saved review", []any{saved.ReviewerIDs, saved.LastReviewed, saved.Status},
			[]any{[]string{bo.ID, ada.ID}, "2026-01-02", cms.StatusPublished})
		MustEqual(t, "a review is not a content update", saved.ContentUpdatedAt.Equal(p.ContentUpdatedAt), true)

		prob := do("DELETE", "/"+ada.ID, nil).MustProblem(t, 409, "posts")
		if !strings.Contains(prob.Detail, `"Reviewed"`) || prob.Errors["posts"] != p.ID {
			t.Errorf("409 = %+v, want the post named", prob)
		}
		MustEqual(t, "reviewer kept", list(), []string{"Ada Jones", "bo Smith"})
		posts("PATCH", "/"+p.ID, map[string]any{"reviewerIds": []string{bo.ID}, "version": saved.Version}).MustStatus(t, 200)
		do("DELETE", "/"+ada.ID, nil).MustStatus(t, 204)
		do("DELETE", "/"+ada.ID, nil).MustProblem(t, 404)
		MustEqual(t, "deleted", list(), []string{"bo Smith"})
	})
}
