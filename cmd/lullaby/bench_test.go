package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/valyala/fasthttp"
)

// BenchmarkPublicRead measures the whole app's handler chain for public
// reads, without the network: what one request costs in CPU and memory.
func BenchmarkPublicRead(b *testing.B) {
	s := MustServer(b)
	ctx := context.Background()
	var slugs []string
	actor := &cms.User{Name: "Bench", Role: cms.RoleOwner}
	for i := 0; i < 50; i++ {
		title, body := fmt.Sprintf("Post %d", i), benchMarkdown
		p, err := s.svc.ImportPost(ctx, actor, cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Now().Add(-time.Duration(i)*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		slugs = append(slugs, p.Slug)
	}
	s.svc.Refresh(ctx)
	h := s.app.Handler()
	for _, bc := range []struct {
		name string
		uri  func(i int) string
	}{
		{"List", func(int) string { return "/api/v1/posts?limit=10" }},
		{"Post", func(i int) string { return "/api/v1/posts/" + slugs[i%len(slugs)] }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var rc fasthttp.RequestCtx
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				rc.Request.Reset()
				rc.Response.Reset()
				rc.Request.SetRequestURI(bc.uri(i))
				h(&rc)
				if rc.Response.StatusCode() != 200 {
					b.Fatalf("status %d", rc.Response.StatusCode())
				}
			}
		})
	}
}

const benchMarkdown = "## Heading\n\nSome text about *sleep* and naps.\n\n- one\n- two\n"
