package cms_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestUnresolvedCitations: a draft citing a key that is not in the
// library saves, with the key as a warning; publishing, scheduling and
// editing a published post are refused naming the key; once the
// reference is in the library the post publishes and the key resolves.
func TestUnresolvedCitations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, rm := mustServiceParts(t)
	owner := cmstest.Owner()

	body := "Babies wake at night [@smith2020; @jones2001, p. 4]. Again [@smith2020]."
	draft, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: ptr("Night waking"), Body: &body})
	if err != nil {
		t.Fatalf("a draft with unknown keys: %v, want it saved", err)
	}
	if want := []string{"smith2020", "jones2001"}; !slices.Equal(draft.UnresolvedCitations, want) {
		t.Errorf("unresolvedCitations = %q, want %q", draft.UnresolvedCitations, want)
	}
	if stored, err := svc.GetPost(ctx, draft.ID); err != nil || stored.Body != body {
		t.Fatalf("stored body = %q, %v", stored.Body, err)
	}

	refused := func(what string, err error, keys ...string) {
		t.Helper()
		msg := cms.ErrorFields(err)["body"]
		if !cms.IsKind(err, cms.KindInvalid) || msg == "" {
			t.Fatalf("%s: %v, want Invalid naming body", what, err)
		}
		for _, k := range keys {
			if !strings.Contains(msg, "@"+k) {
				t.Errorf("%s: body problem %q does not name @%s", what, msg, k)
			}
		}
	}
	_, err = svc.PublishPost(ctx, owner, draft.ID, draft.Version, cms.Confirmed{})
	refused("publish", err, "smith2020", "jones2001")
	_, err = svc.SchedulePost(ctx, owner, draft.ID, draft.Version, time.Now().Add(time.Hour), cms.Confirmed{})
	refused("schedule", err, "smith2020", "jones2001")
	if p, _ := svc.GetPost(ctx, draft.ID); p.Status != cms.StatusDraft || p.Version != draft.Version {
		t.Fatalf("after refusals: status %s version %d, want the draft untouched", p.Status, p.Version)
	}

	// One reference added: the other still blocks publishing.
	if _, err := svc.CreateCitation(ctx, owner, cms.Citation{Key: "smith2020", Type: cms.CiteArticle, Title: "Night waking", Year: 2020,
		Authors: []cms.Name{{Family: "Smith", Given: "Ann"}}}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.PublishPost(ctx, owner, draft.ID, draft.Version, cms.Confirmed{})
	refused("publish with one key left", err, "jones2001")
	if strings.Contains(cms.ErrorFields(err)["body"], "smith2020") {
		t.Errorf("the resolved key is still named: %v", cms.ErrorFields(err))
	}
	jones, err := svc.CreateCitation(ctx, owner, cms.Citation{Key: "jones2001", Type: cms.CiteBook, Title: "Sleep", Year: 2001,
		Authors: []cms.Name{{Family: "Jones", Given: "Bo"}}})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := svc.PublishPost(ctx, owner, draft.ID, draft.Version, cms.Confirmed{})
	if err != nil {
		t.Fatalf("publish once every key is in the library: %v", err)
	}
	if len(pub.UnresolvedCitations) != 0 || len(pub.References) != 2 || pub.References[1] != jones.ID {
		t.Errorf("published: unresolved %q, references %q", pub.UnresolvedCitations, pub.References)
	}
	if b, _, err := rm.Snapshot().Post(pub.Slug); err != nil || strings.Contains(string(b.Bytes()), "citation-unresolved") || !strings.Contains(string(b.Bytes()), "ref-jones2001") {
		t.Errorf("the published post in the snapshot: %v\n%s", err, b.Bytes())
	}

	// An edit of the published post citing an unknown key is refused
	// and changes nothing.
	edit := body + " New [@nobody1999]."
	_, err = svc.UpdatePost(ctx, owner, pub.ID, cms.PostInput{Body: &edit, Version: &pub.Version})
	refused("update of a published post", err, "nobody1999")
	if p, _ := svc.GetPost(ctx, pub.ID); p.Version != pub.Version || p.Body != body {
		t.Errorf("a refused update changed the post: version %d body %q", p.Version, p.Body)
	}
	// Unpublished, the same edit saves as a draft.
	un, err := svc.UnpublishPost(ctx, owner, pub.ID, pub.Version)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := svc.UpdatePost(ctx, owner, pub.ID, cms.PostInput{Body: &edit, Version: &un.Version})
	if err != nil || !slices.Equal(saved.UnresolvedCitations, []string{"nobody1999"}) {
		t.Errorf("draft edit: %v, unresolved %q", err, saved.UnresolvedCitations)
	}
}
