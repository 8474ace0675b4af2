package cms_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestPostImages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := MustMediaService(t, 0)
	owner := cmstest.Owner()
	pinMedia, err := svc.UploadMedia(ctx, owner, "pin.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 1000, 1500)))
	if err != nil {
		t.Fatal(err)
	}
	wide, err := svc.UploadMedia(ctx, owner, "wide.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 800, 400)))
	if err != nil {
		t.Fatal(err)
	}
	body := "Intro.\n\n![A baby](/media/" + wide.ID + "/w640)\n\n![Pin](/media/" + pinMedia.ID + "/pin)\n"
	p, err := svc.CreatePost(ctx, owner, cms.PostInput{
		Title: ptr("Naps"), Body: &body,
		Cover:         &cms.ImageInput{MediaID: strings.ToUpper(wide.ID), Alt: " A baby asleep "},
		Pins:          &[]cms.PinInput{{MediaID: pinMedia.ID, Title: "Nap schedules", Description: "By age.", Alt: "A pin", Hidden: true}},
		NoPinMediaIDs: &[]string{wide.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cover == nil || p.Cover.MediaID != wide.ID || p.Cover.Alt != "A baby asleep" || p.Cover.Width != 800 || len(p.Cover.Variants) == 0 {
		t.Errorf("cover = %+v", p.Cover)
	}
	if len(p.Pins) != 1 || p.Pins[0].Width != 1000 || p.Pins[0].Height != 1500 || !p.Pins[0].Hidden || p.Pins[0].Title != "Nap schedules" {
		t.Errorf("pins = %+v", p.Pins)
	}
	if w := p.Pins[0].PinWarnings(); len(w) != 0 {
		t.Errorf("a 1000x1500 pin has warnings %q", w)
	}
	if w := p.Cover.PinWarnings(); len(w) != 2 {
		t.Errorf("an 800x400 image as a pin: warnings %q, want 2", w)
	}
	if len(p.MediaIDs) != 2 {
		t.Errorf("mediaIds = %v, want both images", p.MediaIDs)
	}
	if !strings.Contains(p.HTML, `data-pin-nopin="true"`) || strings.Count(p.HTML, "data-pin-nopin") != 1 {
		t.Errorf("html = %s, want exactly the wide image marked not pinnable", p.HTML)
	}
	got, err := svc.GetPost(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Cover == nil || len(got.Pins) != 1 || got.Pins[0].Variants[0].Name == "" || len(got.NoPinMediaIDs) != 1 {
		t.Errorf("stored post lost its images: cover %+v pins %+v nopin %v", got.Cover, got.Pins, got.NoPinMediaIDs)
	}

	// Deleting a used image is refused, naming the post.
	err = svc.DeleteMedia(ctx, owner, pinMedia.ID)
	if !cms.IsKind(err, cms.KindConflict) || !strings.Contains(err.Error(), "Naps") {
		t.Errorf("deleting a used image: %v, want a conflict naming the post", err)
	}
	usage, err := svc.MediaUsage(ctx, []string{pinMedia.ID, wide.ID})
	if err != nil || len(usage[pinMedia.ID]) != 1 || len(usage[wide.ID]) != 1 {
		t.Errorf("usage = %v, %v", usage, err)
	}

	// Removing the pin and the cover keeps an edit's other images; then
	// the pin image is free to delete.
	p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Pins: &[]cms.PinInput{}, Version: &p.Version})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Pins) != 0 || p.Cover == nil {
		t.Errorf("after removing the pins: pins %v cover %v", p.Pins, p.Cover)
	}
	body = "No images."
	p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Body: &body, Version: &p.Version})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.MediaIDs) != 1 || p.MediaIDs[0] != wide.ID {
		t.Errorf("mediaIds = %v, want only the cover", p.MediaIDs)
	}
	if err := svc.DeleteMedia(ctx, owner, pinMedia.ID); err != nil {
		t.Errorf("deleting an unused image: %v", err)
	}
	if err := svc.DeleteMedia(ctx, owner, wide.ID); !cms.IsKind(err, cms.KindConflict) {
		t.Errorf("deleting the cover: %v, want a conflict", err)
	}
}

func TestPostImagesInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _ := MustMediaService(t, 0)
	owner := cmstest.Owner()
	m, err := svc.UploadMedia(ctx, owner, "pin.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 100, 150)))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 101)
	for _, tc := range []struct {
		name  string
		in    cms.PostInput
		field string
	}{
		{"unknown cover", cms.PostInput{Cover: &cms.ImageInput{MediaID: cms.NewID()}}, "cover.mediaId"},
		{"malformed cover", cms.PostInput{Cover: &cms.ImageInput{MediaID: "../x"}}, "cover.mediaId"},
		{"unknown pin", cms.PostInput{Pins: &[]cms.PinInput{{MediaID: m.ID}, {MediaID: cms.NewID()}}}, "pins[1].mediaId"},
		{"long pin title", cms.PostInput{Pins: &[]cms.PinInput{{MediaID: m.ID, Title: long}}}, "pins[0].title"},
		{"long pin description", cms.PostInput{Pins: &[]cms.PinInput{{MediaID: m.ID, Description: strings.Repeat("é", 501)}}}, "pins[0].description"},
		{"same pin twice", cms.PostInput{Pins: &[]cms.PinInput{{MediaID: m.ID}, {MediaID: m.ID}}}, "pins[1].mediaId"},
		{"bad no-pin id", cms.PostInput{NoPinMediaIDs: &[]string{"nope"}}, "noPinMediaIds"},
	} {
		tc.in.Title = ptr("A post")
		_, err := svc.CreatePost(ctx, owner, tc.in)
		if f := cms.ErrorFields(err); f[tc.field] == "" {
			t.Errorf("%s: %v (fields %v), want a problem with %s", tc.name, err, f, tc.field)
		}
	}
	if _, total, err := svc.ListPosts(ctx, cms.PostFilter{}); err != nil || total != 0 {
		t.Errorf("refused posts were stored: %d, %v", total, err)
	}
}

func ptr[T any](v T) *T { return &v }
