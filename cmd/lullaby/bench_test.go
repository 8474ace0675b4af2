package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/public"
	"github.com/valyala/fasthttp"
)

// BenchmarkPublicRead measures the whole app's handler chain for public
// reads, without the network: what one request costs in CPU and memory,
// with the app as configured (Immutable) and, to price that setting, the
// same surfaces on an app without it.
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
	pub, err := public.New(public.Config{Content: s.rm, Logger: s.log, Media: s.svc, Views: s.views, Quizzes: s.quizzes})
	if err != nil {
		b.Fatal(err)
	}
	fc := appConfig(s.cfg, errorHandler(s.adm, pub))
	fc.Immutable = false
	for _, app := range []struct {
		name string
		app  *fiber.App
	}{
		{"Immutable", s.app},
		{"Mutable", registerSurfaces(fiber.New(fc), s.log, s.adm, pub, s.live, s.ready)},
	} {
		b.Run(app.name, func(b *testing.B) { benchmarkReads(b, app.app.Handler(), slugs) })
	}
}

func benchmarkReads(b *testing.B, h fasthttp.RequestHandler, slugs []string) {
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
