package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestDemoPostsHaveImages(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	ctx := context.Background()
	var logs cmstest.SyncBuffer
	if err := loadDemo(ctx, s.svc, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	// Loading takes a while: the log says what it is doing, post by post.
	for _, want := range []string{"loading demo content", "post=1/" + fmt.Sprint(len(demoPosts)), fmt.Sprintf("post=%d/%d", len(demoPosts), len(demoPosts)), "demo content loaded"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, logs.String())
		}
	}
	posts, _, err := s.svc.ListPosts(ctx, cms.PostFilter{Status: cms.StatusPublished, Limit: 100})
	if err != nil || len(posts) != len(demoPosts) {
		t.Fatalf("published demo posts: %d, %v", len(posts), err)
	}
	cited := 0
	for _, p := range posts {
		if p.Cover == nil || p.Cover.Width != 1600 || p.Cover.Alt == "" {
			t.Errorf("%s: cover %+v", p.Title, p.Cover)
		}
		if len(p.Pins) != 1 || p.Pins[0].Width != cms.PinWidth || p.Pins[0].Height != cms.PinHeight || p.Pins[0].Description == "" {
			t.Fatalf("%s: pins %+v", p.Title, p.Pins)
		}
		if len(p.References) == 2 {
			cited++
		}
		if w := p.Pins[0].PinWarnings(); len(w) > 0 {
			t.Errorf("%s: the demo pin has warnings %q", p.Title, w)
		}
	}
	if cited != 1 {
		t.Errorf("%d demo posts cite both consensus statements, want 1", cited)
	}
}
