package cms_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/webhook"
)

// mustRelay returns a service (private targets allowed) whose relay
// delivers to a local receiver subscribed to post events, until the test
// ends.
func mustRelay(t *testing.T) (*cmstest.Fixture, *cmstest.Receiver, string) {
	t.Helper()
	f := mustWebhookService(t, true)
	rc := cmstest.NewReceiver(t)
	_, secret, err := f.Svc.CreateWebhook(context.Background(), cmstest.Owner(), cms.WebhookInput{URL: ptr(rc.URL),
		Events: ptr([]string{"post.published", "post.updated", "post.unpublished"})})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Svc.RunWebhooks(ctx, cms.WebhookRelayConfig{Sender: webhook.New(webhook.Options{AllowPrivate: true, Timeout: 2 * time.Second}),
			Interval: 50 * time.Millisecond, TimeScale: 1e-4, PublicPost: f.Read.WebhookPost})
	}()
	t.Cleanup(func() { cancel(); <-done })
	return f, rc, secret
}

// TestOutboxCrashBeforeTheSave: a crash after the event's intent, before
// the post is saved, sends nothing; the save made again sends the event
// once, with the id it would have had.
func TestOutboxCrashBeforeTheSave(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, rc, secret := mustRelay(t)
	owner := cmstest.Owner()
	p := f.MustPost(t, cms.PostInput{Title: ptr("Naps")})
	publish := cms.PostInput{Status: ptr(cms.StatusPublished), Version: ptr(p.Version)}
	cms.SetCrash(f.Svc, func(step string) bool { return step == "event-intent" })
	if _, err := f.Svc.UpdatePost(ctx, owner, p.ID, publish); err != cms.ErrCrashed {
		t.Fatalf("publish: %v, want the crash", err)
	}
	cms.SetCrash(f.Svc, nil)
	if got, err := f.Svc.GetPost(ctx, p.ID); err != nil || got.Public() || got.Version != p.Version {
		t.Fatalf("after the crash: %+v, %v, want the draft as it was", got, err)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(rc.Got()); n != 0 {
		t.Fatalf("%d deliveries of a change never saved", n)
	}
	if _, err := f.Svc.UpdatePost(ctx, owner, p.ID, publish); err != nil {
		t.Fatal(err)
	}
	rc.WaitFor(t, 10*time.Second, "post.published", func(got []cmstest.Delivery) bool { return len(got) >= 1 })
	time.Sleep(300 * time.Millisecond)
	got := rc.Got()
	if len(got) != 1 || got[0].Type != cms.EventPostPublished || got[0].ID != cms.EventID(cms.EventPostPublished, p.ID, int64(p.Version+1)) {
		t.Fatalf("deliveries %+v, want one post.published", got)
	}
	cmstest.MustVerifyWebhooks(t, secret, got)
}

// TestOutboxIntentOfAnotherSaveIsDropped: an intent whose save crashed,
// when another save made that version instead, is dropped by the relay.
func TestOutboxIntentOfAnotherSaveIsDropped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, rc, secret := mustRelay(t)
	owner := cmstest.Owner()
	p := f.MustPost(t, cms.PostInput{Title: ptr("Naps")})
	cms.SetCrash(f.Svc, func(step string) bool { return step == "event-intent" })
	if _, err := f.Svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Status: ptr(cms.StatusPublished), Version: ptr(p.Version)}); err != cms.ErrCrashed {
		t.Fatalf("publish: %v, want the crash", err)
	}
	cms.SetCrash(f.Svc, nil)
	if _, err := f.Svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: ptr("Naps, a draft"), Version: ptr(p.Version)}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		pending, err := f.DB.Events(ctx, cms.EventPending, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the intent is still pending: %+v", pending[0])
		}
	}
	if n := len(rc.Got()); n != 0 {
		t.Fatalf("%d deliveries of a change never saved", n)
	}
	_ = secret // nothing was delivered to verify
}

// TestOutboxCrashAfterTheSave: a crash after the post is saved, before
// its event is marked ready, still sends the event, once: the relay finds
// the save and marks it.
func TestOutboxCrashAfterTheSave(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, rc, secret := mustRelay(t)
	owner := cmstest.Owner()
	p := f.MustPost(t, cms.PostInput{Title: ptr("Naps")})
	cms.SetCrash(f.Svc, func(step string) bool { return step == "event-committed" })
	if _, err := f.Svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Status: ptr(cms.StatusPublished), Version: ptr(p.Version)}); err != cms.ErrCrashed {
		t.Fatalf("publish: %v, want the crash", err)
	}
	cms.SetCrash(f.Svc, nil)
	if got, err := f.Svc.GetPost(ctx, p.ID); err != nil || !got.Public() {
		t.Fatalf("after the crash: %+v, %v, want the post published", got, err)
	}
	rc.WaitFor(t, 15*time.Second, "post.published", func(got []cmstest.Delivery) bool { return len(got) >= 1 })
	time.Sleep(500 * time.Millisecond)
	got := rc.Got()
	if len(got) != 1 || got[0].Type != cms.EventPostPublished {
		t.Fatalf("deliveries %+v, want one post.published", got)
	}
	cmstest.MustVerifyWebhooks(t, secret, got)
}

// TestOutboxEventCarriesTheSavedData: a save retried under another slug
// (the title's was taken) announces the post as it was saved, not as its
// first try would have saved it.
func TestOutboxEventCarriesTheSavedData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := mustWebhookService(t, true)
	f.MustPost(t, cms.PostInput{Title: ptr("Naps")})
	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	p, err := f.Svc.CreatePost(ctx, cmstest.Owner(), cms.PostInput{Title: ptr("Naps"), Status: ptr(cms.StatusScheduled), PublishAt: &at})
	if err != nil {
		t.Fatal(err)
	}
	if p.Slug == "naps" {
		t.Fatalf("slug %q, want another than the taken naps", p.Slug)
	}
	evs, err := f.DB.Events(ctx, cms.EventReady, 10)
	if err != nil || len(evs) != 1 || evs[0].Type != cms.EventPostScheduled {
		t.Fatalf("ready events %+v, %v, want one post.scheduled", evs, err)
	}
	var data struct{ Slug string }
	if err := json.Unmarshal(evs[0].Data, &data); err != nil || data.Slug != p.Slug {
		t.Fatalf("event data %s (%v), want the slug saved, %q", evs[0].Data, err, p.Slug)
	}
}
