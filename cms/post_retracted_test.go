package cms_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// retractedEnv is a service whose reference checker has found
// @lecun2015 retracted, with @sound2020 (nothing to check) beside it in
// the library.
type retractedEnv struct {
	svc       *cms.Service
	owner     *cms.User
	retracted *cms.Citation
	sound     *cms.Citation
}

func mustRetractedEnv(t *testing.T) *retractedEnv {
	t.Helper()
	net := cmstest.NewRefNet(t)
	svc := cmstest.MustService(t, net.Configure(time.Millisecond)).Svc
	e := &retractedEnv{svc: svc, owner: cmstest.Owner(),
		retracted: mustCitation(t, svc, "lecun2015", cmstest.RefWorkDOI, ""),
		sound:     mustCitation(t, svc, "sound2020", "", "")}
	net.Retract()
	if run, err := svc.CheckReferences(t.Context()); err != nil || run.Checked != 1 {
		t.Fatalf("CheckReferences: %+v, %v; want the work checked", run, err)
	}
	if h := healthOf(t, svc, e.retracted.ID); h == nil || h.Status != cms.HealthRetracted {
		t.Fatalf("health of @lecun2015 = %+v, want retracted", h)
	}
	return e
}

// draft creates a draft with body.
func (e *retractedEnv) draft(t *testing.T, title, body string) *cms.Post {
	t.Helper()
	p, err := e.svc.CreatePost(t.Context(), e.owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatalf("CreatePost %q: %v", title, err)
	}
	return p
}

// get reads post id as stored.
func (e *retractedEnv) get(t *testing.T, id string) *cms.Post {
	t.Helper()
	p, err := e.svc.GetPost(t.Context(), id)
	if err != nil {
		t.Fatalf("GetPost: %v", err)
	}
	return p
}

// mustHeld fails unless err is the Conflict naming confirmRetracted whose
// RetractedError lists @lecun2015 alone.
func (e *retractedEnv) mustHeld(t *testing.T, what string, err error) {
	t.Helper()
	var re *cms.RetractedError
	if !cms.IsKind(err, cms.KindConflict) || !errors.As(err, &re) {
		t.Fatalf("%s: err = %v, want a Conflict caused by a RetractedError", what, err)
	}
	if len(re.Works) != 1 || re.Works[0].Citation.ID != e.retracted.ID || re.Works[0].Health.Status != cms.HealthRetracted {
		t.Fatalf("%s: works = %+v, want @lecun2015 alone", what, re.Works)
	}
	if cms.ErrorFields(err)["confirmRetracted"] == "" {
		t.Fatalf("%s: fields = %v, want confirmRetracted named", what, cms.ErrorFields(err))
	}
}

// mustUnchanged fails unless post id is still as was: same version,
// status, body, references and revisions.
func (e *retractedEnv) mustUnchanged(t *testing.T, what string, was *cms.Post) {
	t.Helper()
	got := e.get(t, was.ID)
	if got.Version != was.Version || got.Status != was.Status || got.Body != was.Body ||
		!slices.Equal(got.References, was.References) || len(got.Revisions) != len(was.Revisions) {
		t.Fatalf("%s wrote: post is version %d, %s, body %q, refs %v, %d revisions; want version %d, %s, body %q, refs %v, %d revisions",
			what, got.Version, got.Status, got.Body, got.References, len(got.Revisions),
			was.Version, was.Status, was.Body, was.References, len(was.Revisions))
	}
}

// TestRetractedRule: a save that puts a post citing a retracted work
// live, or changes what a live post cites, is refused with a Conflict
// listing the work and writes nothing, unless she confirmed it; drafts,
// title changes and unpublishing are never held back.
func TestRetractedRule(t *testing.T) {
	t.Parallel()
	e := mustRetractedEnv(t)
	ctx, svc, owner := t.Context(), e.svc, e.owner
	published := cms.StatusPublished
	scheduled := cms.StatusScheduled

	t.Run("DraftNotHeld", func(t *testing.T) {
		p := e.draft(t, "Draft", "Networks learn [@lecun2015].")
		if !slices.Equal(p.References, []string{e.retracted.ID}) {
			t.Fatalf("references = %v, want @lecun2015", p.References)
		}
		body, refs := "Networks learn more [@lecun2015] [@sound2020].", []string{e.retracted.ID, e.sound.ID}
		if _, err := svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Body: &body, References: &refs, Version: &p.Version}); err != nil {
			t.Fatalf("a draft's edit: %v, want saved", err)
		}
	})

	t.Run("PublishHeld", func(t *testing.T) {
		p := e.draft(t, "Publish", "Networks learn [@lecun2015].")
		_, err := svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{})
		e.mustHeld(t, "PublishPost", err)
		e.mustUnchanged(t, "a refused PublishPost", p)
		_, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Status: &published, Version: &p.Version})
		e.mustHeld(t, "UpdatePost to published", err)
		e.mustUnchanged(t, "a refused UpdatePost", p)
		// Confirming another work is no confirmation of this one.
		_, err = svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{RetractedIDs: []string{e.sound.ID}})
		e.mustHeld(t, "PublishPost confirming another work", err)
		e.mustUnchanged(t, "a refused PublishPost", p)

		got, err := svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{RetractedIDs: []string{e.retracted.ID}})
		if err != nil || got.Status != cms.StatusPublished || got.Version != p.Version+1 {
			t.Fatalf("PublishPost confirming the work: %+v, %v; want published at version %d", got, err, p.Version+1)
		}
	})

	t.Run("PublishConfirmed", func(t *testing.T) {
		p := e.draft(t, "Confirmed", "Networks learn [@lecun2015].")
		got, err := svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{Retracted: true})
		if err != nil || got.Status != cms.StatusPublished {
			t.Fatalf("PublishPost confirmed: %+v, %v; want published", got, err)
		}
	})

	t.Run("CreateHeld", func(t *testing.T) {
		title, body := "Straight out", "See [@lecun2015]."
		in := cms.PostInput{Title: &title, Body: &body, Status: &published}
		_, err := svc.CreatePost(ctx, owner, in)
		e.mustHeld(t, "CreatePost published", err)
		if _, total, err := svc.ListPosts(ctx, cms.PostFilter{Query: title}); err != nil || total != 0 {
			t.Fatalf("after a refused CreatePost: %d posts titled %q (%v), want none", total, title, err)
		}
		in.Confirmed.Retracted = true
		if p, err := svc.CreatePost(ctx, owner, in); err != nil || p.Status != cms.StatusPublished {
			t.Fatalf("CreatePost confirmed: %+v, %v; want published", p, err)
		}
	})

	t.Run("ScheduleHeld", func(t *testing.T) {
		p := e.draft(t, "Schedule", "Networks learn [@lecun2015].")
		at := time.Now().Add(48 * time.Hour)
		_, err := svc.SchedulePost(ctx, owner, p.ID, p.Version, at, cms.Confirmed{})
		e.mustHeld(t, "SchedulePost", err)
		e.mustUnchanged(t, "a refused SchedulePost", p)
		_, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Status: &scheduled, PublishAt: &at, Version: &p.Version})
		e.mustHeld(t, "UpdatePost to scheduled", err)
		e.mustUnchanged(t, "a refused UpdatePost", p)
		got, err := svc.SchedulePost(ctx, owner, p.ID, p.Version, at, cms.Confirmed{Retracted: true})
		if err != nil || got.Status != cms.StatusScheduled {
			t.Fatalf("SchedulePost confirmed: %+v, %v; want scheduled", got, err)
		}
		// Scheduled: her edit of the text is checked like a live post's.
		body := "Networks learn later [@lecun2015]."
		_, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Body: &body, Version: &got.Version})
		e.mustHeld(t, "UpdatePost of a scheduled post's body", err)
		e.mustUnchanged(t, "a refused UpdatePost", got)
	})

	t.Run("LiveEditHeld", func(t *testing.T) {
		p := e.draft(t, "Live", "Sound work [@sound2020].")
		p, err := svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{})
		if err != nil {
			t.Fatalf("publishing a post citing nothing retracted: %v", err)
		}
		refs := []string{e.sound.ID, e.retracted.ID}
		_, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{References: &refs, Version: &p.Version})
		e.mustHeld(t, "UpdatePost adding the retracted work to a live post", err)
		e.mustUnchanged(t, "a refused UpdatePost", p)
		body := "Sound work [@sound2020], and [@lecun2015]."
		_, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Body: &body, Version: &p.Version})
		e.mustHeld(t, "UpdatePost citing the retracted work in a live post's text", err)
		e.mustUnchanged(t, "a refused UpdatePost", p)

		p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{References: &refs, Version: &p.Version, Confirmed: cms.Confirmed{Retracted: true}})
		if err != nil || !slices.Contains(p.References, e.retracted.ID) {
			t.Fatalf("UpdatePost confirmed: %+v, %v; want the work added", p, err)
		}
		// What it cites unchanged: a title change, or her text sent again
		// as it is, goes out; so does taking the post off the site.
		title := "Live, retitled"
		if p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: &title, Version: &p.Version}); err != nil {
			t.Fatalf("a live post's title change: %v, want saved", err)
		}
		same := p.Body
		if p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Body: &same, References: &p.References, Version: &p.Version}); err != nil {
			t.Fatalf("a live post's text saved unchanged: %v, want saved", err)
		}
		if p, err = svc.UnpublishPost(ctx, owner, p.ID, p.Version); err != nil || p.Status != cms.StatusDraft {
			t.Fatalf("UnpublishPost: %+v, %v; want a draft", p, err)
		}
	})

	t.Run("PendingPublishHeld", func(t *testing.T) {
		p := e.draft(t, "Pending", "Sound work [@sound2020].")
		p, err := svc.PublishPost(ctx, owner, p.ID, p.Version, cms.Confirmed{})
		if err != nil {
			t.Fatal(err)
		}
		body := "Sound work [@sound2020], and [@lecun2015]."
		// Saving the unpublished changes is a draft's save: not held.
		pend, err := svc.SavePending(ctx, owner, p.ID, cms.PostInput{Body: &body, Version: &p.Version}, 0)
		if err != nil {
			t.Fatalf("SavePending: %v", err)
		}
		_, err = svc.PublishPending(ctx, owner, p.ID, pend.Version, cms.Confirmed{})
		e.mustHeld(t, "PublishPending", err)
		e.mustUnchanged(t, "a refused PublishPending", p)
		if kept, err := svc.GetPending(ctx, p.ID); err != nil || kept.Version != pend.Version {
			t.Fatalf("pending edit after a refused PublishPending: %+v, %v; want it kept at version %d", kept, err, pend.Version)
		}
		// The panel's Update of the same text (PublishChanges) is held too.
		_, err = svc.PublishChanges(ctx, owner, p.ID, cms.PostInput{Body: &body, Version: &p.Version}, pend.Version)
		e.mustHeld(t, "PublishChanges", err)
		e.mustUnchanged(t, "a refused PublishChanges", p)

		got, err := svc.PublishPending(ctx, owner, p.ID, pend.Version, cms.Confirmed{Retracted: true})
		if err != nil || got.Body != body || got.Status != cms.StatusPublished {
			t.Fatalf("PublishPending confirmed: %+v, %v; want the edit live", got, err)
		}
	})

	t.Run("ImportNotHeld", func(t *testing.T) {
		title, body := "Imported", "See [@lecun2015]."
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Time{})
		if err != nil || p.Status != cms.StatusPublished {
			t.Fatalf("ImportPost: %+v, %v; want published", p, err)
		}
	})
}
