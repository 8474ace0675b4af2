package main

import (
	"context"
	"fmt"
	"strconv"
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
	// Two categories and two tags a post, as lullaby-bench seeds them:
	// what a Ghost post carries under include=tags.
	var cats []string
	for _, name := range []string{"Baby sleep", "Toddler sleep", "Naps", "Night wakings", "Sleep science"} {
		c, err := s.svc.CreateCategory(ctx, actor, cms.CategoryInput{Name: &name})
		if err != nil {
			b.Fatal(err)
		}
		cats = append(cats, c.ID)
	}
	for i := 0; i < 50; i++ {
		title, body := fmt.Sprintf("Post %d", i), benchMarkdown
		ids, tags := []string{cats[i%len(cats)], cats[(i+2)%len(cats)]}, []string{"sleep", fmt.Sprintf("series-%d", i%10)}
		p, err := s.svc.ImportPost(ctx, actor, cms.PostInput{Title: &title, Body: &body, CategoryIDs: &ids, Tags: &tags},
			cms.StatusPublished, time.Now().Add(-time.Duration(i)*time.Hour))
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
		enc  string // Accept-Encoding
	}{
		{"List", func(int) string { return "/api/v1/posts?limit=10" }, ""},
		{"Post", func(i int) string { return "/api/v1/posts/" + slugs[i%len(slugs)] }, ""},
		// The Ghost dialect: an index page's list, and a post as a
		// Ghost theme reads it.
		{"GhostList", func(int) string {
			return "/ghost/api/content/posts/?key=" + benchKey + "&limit=10&include=tags&fields=" + benchGhostFields
		}, ""},
		{"GhostPost", func(i int) string {
			return "/ghost/api/content/posts/slug/" + slugs[i%len(slugs)] + "/?key=" + benchKey + "&include=tags,authors"
		}, ""},
		// The same index page asked with a cache buster, as some
		// frontends do, or by many frontends with keys of their own:
		// every query string is new, the question is not.
		{"GhostListVaried", func(i int) string {
			return "/ghost/api/content/posts/?key=" + benchKey + "&limit=10&include=tags&fields=" + benchGhostFields + "&_=" + strconv.Itoa(i)
		}, ""},
		{"WPListVaried", func(i int) string { return "/wp-json/wp/v2/posts?per_page=10&_embed&_=" + strconv.Itoa(i) }, ""},
		// Compressed, as the Ghost client and browsers ask.
		{"ListCompressed", func(int) string { return "/api/v1/posts?limit=10" }, ghostClientEncoding},
		{"GhostListCompressed", func(int) string {
			return "/ghost/api/content/posts/?key=" + benchKey + "&limit=10&include=tags&fields=" + benchGhostFields
		}, ghostClientEncoding},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var rc fasthttp.RequestCtx
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				rc.Request.Reset()
				rc.Response.Reset()
				rc.Request.SetRequestURI(bc.uri(i))
				if bc.enc != "" {
					rc.Request.Header.Set(fiber.HeaderAcceptEncoding, bc.enc)
				}
				h(&rc)
				if rc.Response.StatusCode() != 200 {
					b.Fatalf("status %d", rc.Response.StatusCode())
				}
			}
			// What goes on the wire weighs more than the handler: the
			// size of the last body sent.
			b.ReportMetric(float64(len(rc.Response.Body())), "body-B")
		})
	}
}

// benchKey is a Content API key as Ghost's client sends it (any is
// accepted without content keys configured).
const benchKey = "0123456789abcdef0123456789"

// benchGhostFields are the fields an index page of a Ghost theme asks for.
const benchGhostFields = "id,slug,title,excerpt,published_at,url,feature_image,reading_time"

// ghostClientEncoding is the Accept-Encoding of @tryghost/content-api
// (axios on Node.js).
const ghostClientEncoding = "gzip, compress, deflate, br"

const benchMarkdown = "## Heading\n\nSome text about *sleep* and naps.\n\n- one\n- two\n"
