package readmodel_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

func ids(posts []*cms.Post) []string {
	out := []string{}
	for _, p := range posts {
		out = append(out, p.ID)
	}
	return out
}

// TestPostIndexMatchesStore checks that the index lists exactly what the
// store's queries list, for every filter and order.
func TestPostIndexMatchesStore(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc := f.Svc
	ctx := t.Context()
	owner := cmstest.Owner()
	var cats []string
	for _, name := range []string{"Naps", "Nights"} {
		c, err := svc.CreateCategory(ctx, owner, cms.CategoryInput{Name: &name})
		if err != nil {
			t.Fatal(err)
		}
		cats = append(cats, c.ID)
	}
	start := time.Now().Add(-time.Hour)
	for i := range 30 {
		title := fmt.Sprintf("%c post %d about Sleep", 'a'+rune(i*7%26), i)
		tags := []string{fmt.Sprintf("Tag%d", i%3)}
		catIDs := cats[:i%3]
		status := []cms.PostStatus{cms.StatusDraft, cms.StatusPublished, cms.StatusArchived}[i%3]
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Tags: &tags, CategoryIDs: &catIDs}, status,
			start.Add(time.Duration(i%5)*time.Minute)) // equal publication times: ids break ties
		if err != nil {
			t.Fatal(err)
		}
		if i%7 == 0 {
			if _, err := svc.TrashPost(ctx, owner, p.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	ix := readmodel.NewPostIndex(f.DB)
	for _, f := range []cms.PostFilter{
		{}, {Trashed: true}, {Status: cms.StatusDraft}, {CategoryID: cats[1]}, {Tag: "tag1"}, {Query: "POST 1"},
		{Sort: cms.SortNewest}, {Sort: cms.SortOldest}, {Sort: cms.SortTitle}, {Sort: cms.SortTitle, Page: 2, Limit: 7},
		{Status: cms.StatusPublished, Sort: cms.SortNewest, Limit: 5, Page: 3}, {Query: "nothing like this"},
	} {
		t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
			want, wantTotal, err := svc.ListPosts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got, total, err := ix.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), ids(want)) || total != wantTotal {
				t.Fatalf("index = %v (%d), store = %v (%d)", ids(got), total, ids(want), wantTotal)
			}
		})
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		if _, _, err := ix.List(ctx, cms.PostFilter{Status: "nonsense"}); !cms.IsKind(err, cms.KindInvalid) {
			t.Fatalf("err = %v, want Invalid", err)
		}
	})
}

// TestPostIndexFresh checks that every kind of change shows at once, also
// in the index of another instance.
func TestPostIndexFresh(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc := f.Svc
	ctx := t.Context()
	owner := cmstest.Owner()
	ix, other := readmodel.NewPostIndex(f.DB), readmodel.NewPostIndex(f.DB)
	check := func(t *testing.T, want ...string) {
		t.Helper()
		for _, x := range []*readmodel.PostIndex{ix, other} {
			got, _, err := x.List(ctx, cms.PostFilter{Sort: cms.SortTitle})
			if err != nil {
				t.Fatal(err)
			}
			titles := []string{}
			for _, p := range got {
				titles = append(titles, p.Title+":"+string(p.Status))
			}
			if !reflect.DeepEqual(titles, append([]string{}, want...)) {
				t.Fatalf("titles = %v, want %v", titles, want)
			}
		}
	}
	check(t)
	title := "A"
	a, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: &title}) // no content version bump
	if err != nil {
		t.Fatal(err)
	}
	check(t, "A:draft")
	title = "B"
	if _, err := svc.UpdatePost(ctx, owner, a.ID, cms.PostInput{Title: &title, Version: &a.Version}); err != nil {
		t.Fatal(err)
	}
	check(t, "B:draft")
	if _, err := svc.PublishPost(ctx, owner, a.ID, 0, cms.Confirmed{}); err != nil {
		t.Fatal(err)
	}
	check(t, "B:published")
	if _, err := svc.TrashPost(ctx, owner, a.ID, 0); err != nil {
		t.Fatal(err)
	}
	check(t)
	trashed, _, _ := ix.List(ctx, cms.PostFilter{Trashed: true})
	if len(trashed) != 1 {
		t.Fatalf("trash = %v", ids(trashed))
	}
	if err := svc.DeletePost(ctx, owner, a.ID); err != nil {
		t.Fatal(err)
	}
	trashed, _, _ = other.List(ctx, cms.PostFilter{Trashed: true})
	if len(trashed) != 0 {
		t.Fatalf("trash after delete = %v", ids(trashed))
	}
}

func TestPostIndexDashboard(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc := f.Svc
	ctx := t.Context()
	owner := cmstest.Owner()
	now := time.Now()
	mk := func(title string, status cms.PostStatus, at time.Time) *cms.Post {
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title}, status, at)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for i := range readmodel.DashboardLimit + 2 {
		mk(fmt.Sprintf("draft %d", i), cms.StatusDraft, time.Time{})
		mk(fmt.Sprintf("published %d", i), cms.StatusPublished, now.Add(-time.Duration(i)*time.Hour))
	}
	late, soon := mk("late", cms.StatusDraft, time.Time{}), mk("soon", cms.StatusDraft, time.Time{})
	for p, at := range map[*cms.Post]time.Time{late: now.Add(48 * time.Hour), soon: now.Add(time.Hour)} {
		if _, err := svc.SchedulePost(ctx, owner, p.ID, 0, at, cms.Confirmed{}); err != nil {
			t.Fatal(err)
		}
	}
	gone := mk("trashed", cms.StatusDraft, time.Time{})
	if _, err := svc.TrashPost(ctx, owner, gone.ID, 0); err != nil {
		t.Fatal(err)
	}
	d, err := readmodel.NewPostIndex(f.DB).Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	titles := func(posts []*cms.Post) []string {
		out := []string{}
		for _, p := range posts {
			out = append(out, p.Title)
		}
		return out
	}
	if got := titles(d.Scheduled); !reflect.DeepEqual(got, []string{"soon", "late"}) {
		t.Errorf("scheduled = %v", got)
	}
	if got := titles(d.Published); len(got) != readmodel.DashboardLimit || got[0] != "published 0" || got[1] != "published 1" {
		t.Errorf("published = %v", got)
	}
	if got := titles(d.Drafts); len(got) != readmodel.DashboardLimit || got[0] != "draft 9" {
		t.Errorf("drafts = %v", got)
	}
	want := map[cms.PostStatus]int{cms.StatusDraft: readmodel.DashboardLimit + 2, cms.StatusPublished: readmodel.DashboardLimit + 2, cms.StatusScheduled: 2}
	if !reflect.DeepEqual(d.Counts, want) {
		t.Errorf("counts = %v, want %v", d.Counts, want)
	}
}

func TestPostIndexRun(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc := f.Svc
	ix := readmodel.NewPostIndex(f.DB)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { ix.Run(ctx, 5*time.Millisecond); close(done) }()
	if _, _, err := ix.List(t.Context(), cms.PostFilter{}); err != nil { // in use from now on
		t.Fatal(err)
	}
	title := "Warm"
	if _, err := svc.CreatePost(t.Context(), cmstest.Owner(), cms.PostInput{Title: &title}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // a few rounds of Run
	got, _, err := ix.List(t.Context(), cms.PostFilter{})
	if err != nil || len(got) != 1 || got[0].Title != "Warm" {
		t.Fatalf("List = %v, %v", ids(got), err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func TestPostIndexPosts(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc := f.Svc
	ctx := t.Context()
	owner := cmstest.Owner()
	a := f.MustPost(t, cms.PostInput{Title: ptr("Kept")})
	b := f.MustPost(t, cms.PostInput{Title: ptr("Trashed")})
	if _, err := svc.TrashPost(ctx, owner, b.ID, b.Version); err != nil {
		t.Fatal(err)
	}
	ix := readmodel.NewPostIndex(f.DB)
	got, err := ix.Posts(ctx, []string{a.ID, b.ID, cms.NewID()})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[a.ID].Title != "Kept" || !got[b.ID].Trashed() {
		t.Errorf("Posts = %v, want the live and the trashed post, not the unknown id", got)
	}
}

func ptr[T any](v T) *T { return &v }
