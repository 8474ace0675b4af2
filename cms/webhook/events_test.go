package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestMediaEvents: an upload and a delete each make one event (media.*
// subscribes to both); the same bytes uploaded again make none.
func TestMediaEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := start(t, setup{events: []string{"media.*"}})
	img := cmstest.MustJPEG(t, 120, 80)
	m, err := h.f.Svc.UploadMedia(ctx, h.owner, "cot.jpg", "A cot", bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := h.f.Svc.UploadMedia(ctx, h.owner, "cot-again.jpg", "", bytes.NewReader(img)); err != nil || again.ID != m.ID {
		t.Fatalf("same bytes again: %v, %v", again, err)
	}
	if err := h.f.Svc.DeleteMedia(ctx, h.owner, m.ID); err != nil {
		t.Fatal(err)
	}
	h.rc.WaitFor(t, 10*time.Second, "two media events", func(got []cmstest.Delivery) bool { return len(got) >= 2 })
	time.Sleep(300 * time.Millisecond)
	got := h.rc.Got()
	if types(got) != "media.uploaded,media.deleted" {
		t.Fatalf("events %s", types(got))
	}
	var up struct{ Data map[string]any }
	if err := json.Unmarshal(got[0].Body, &up); err != nil || up.Data["id"] != m.ID || up.Data["filename"] != "cot.jpg" {
		t.Fatalf("media.uploaded %s", got[0].Body)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, got)
}

// TestSiteChangedIsDebounced: a burst of changes to published content
// makes one site.changed once it has been quiet; a later change, one
// more.
func TestSiteChangedIsDebounced(t *testing.T) {
	t.Parallel()
	h := start(t, setup{events: []string{"site.changed"}, quiet: 2 * time.Second})
	for _, title := range []string{"Naps", "Night feeds", "Teething"} {
		h.publish(t, title)
	}
	h.rc.WaitFor(t, 10*time.Second, "site.changed", func(got []cmstest.Delivery) bool { return len(got) >= 1 })
	time.Sleep(time.Second) // less than the quiet period: a second event would be a second burst's
	if got := h.rc.Got(); len(got) != 1 || got[0].Type != cms.EventSiteChanged {
		t.Fatalf("after a burst: %s, want one site.changed", types(got))
	}
	h.publish(t, "Sleep regressions")
	got := h.rc.WaitFor(t, 10*time.Second, "a second site.changed", func(got []cmstest.Delivery) bool { return len(got) >= 2 })
	if got[1].ID == got[0].ID {
		t.Fatalf("the second site.changed has the first's id %s", got[0].ID)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, got)
}

// TestTwoInstancesDeliverOnce: two instances relaying from one database
// deliver each event once.
func TestTwoInstancesDeliverOnce(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	other := &harness{f: cmstest.MustServiceOn(t, h.f.DB, func(c *cms.ServiceConfig) { c.Webhooks.AllowPrivate = true }), owner: h.owner}
	other.run(t, setup{})
	for i, title := range []string{"Naps", "Night feeds", "Teething", "Sleep regressions", "Early waking", "Bedtime"} {
		f := h.f
		if i%2 == 1 {
			f = other.f
		}
		if _, err := f.Svc.CreatePost(context.Background(), h.owner, cms.PostInput{Title: ptr(title), Status: ptr(cms.StatusPublished)}); err != nil {
			t.Fatal(err)
		}
	}
	h.rc.WaitFor(t, 15*time.Second, "six events", func(got []cmstest.Delivery) bool { return len(got) >= 6 })
	time.Sleep(500 * time.Millisecond)
	got := h.rc.Got()
	ids := map[string]int{}
	for _, d := range got {
		ids[d.ID]++
	}
	if len(got) != 6 || len(ids) != 6 {
		t.Fatalf("%d requests with %d ids, want 6 each once: %v", len(got), len(ids), ids)
	}
	cmstest.MustVerifyWebhooks(t, h.secret, got)
}
