package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestHeadMatchesGetPerEncoding: for every compressible public resource
// and every Accept-Encoding, HEAD answers exactly the headers of GET
// (Content-Encoding and Content-Length included); identity, gzip and
// brotli carry distinct strong ETags, and If-None-Match answers 304 for
// each encoding's own tag only.
func TestHeadMatchesGetPerEncoding(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	ctx := context.Background()
	// Enough posts that every list, feed and the sitemap is worth
	// compressing (1 KB or more).
	var p *cms.Post
	for i := range 12 {
		title, body := fmt.Sprintf("Why toddlers fight bedtime, part %d", i+1), strings.Repeat("Sleep is a skill children learn over time. ", 200)
		var err error
		p, err = s.svc.ImportPost(ctx, &cms.User{Name: "Owner", Role: cms.RoleOwner}, cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Now().Add(-time.Duration(i+1)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
	}
	s.svc.Refresh(ctx)
	send := func(method, path, accept, inm string) *http.Response {
		t.Helper()
		req := httptest.NewRequest(method, path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		res, err := s.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if method == "HEAD" && len(b) > 0 {
			t.Errorf("HEAD %s (%s): %d bytes of body", path, accept, len(b))
		}
		return res
	}
	for _, path := range []string{"/api/v1/posts/" + p.Slug, "/api/v1/posts", "/feed.xml", "/feed.json", "/feed.atom"} {
		t.Run(strings.ReplaceAll(strings.TrimPrefix(path, "/"), "/", "_"), func(t *testing.T) {
			etags := map[string]string{}
			for _, tt := range []struct{ accept, enc string }{{"", ""}, {"identity", ""}, {"gzip", "gzip"}, {"br", "br"}, {"gzip, deflate, br", "br"}} {
				get, head := send("GET", path, tt.accept, ""), send("HEAD", path, tt.accept, "")
				if get.StatusCode != 200 || head.StatusCode != 200 {
					t.Fatalf("Accept-Encoding %q: GET %d, HEAD %d", tt.accept, get.StatusCode, head.StatusCode)
				}
				if got := get.Header.Get("Content-Encoding"); got != tt.enc {
					t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tt.accept, got, tt.enc)
				}
				for _, h := range []string{"Content-Encoding", "Content-Type", "ETag", "Vary", "Cache-Control"} {
					if g, hd := get.Header.Get(h), head.Header.Get(h); g != hd {
						t.Errorf("Accept-Encoding %q: %s: GET %q, HEAD %q", tt.accept, h, g, hd)
					}
				}
				if get.ContentLength != head.ContentLength || get.ContentLength <= 0 {
					t.Errorf("Accept-Encoding %q: Content-Length: GET %d, HEAD %d", tt.accept, get.ContentLength, head.ContentLength)
				}
				if !strings.Contains(get.Header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("Vary %q", get.Header.Get("Vary"))
				}
				etag := get.Header.Get("ETag")
				if prev, ok := etags[tt.enc]; ok && prev != etag {
					t.Errorf("%q: ETag %s, and %s for the same encoding", tt.accept, etag, prev)
				}
				etags[tt.enc] = etag
			}
			if len(etags) != 3 || etags[""] == etags["gzip"] || etags[""] == etags["br"] || etags["gzip"] == etags["br"] {
				t.Fatalf("ETags by encoding %q, want three distinct ones", etags)
			}
			for enc, etag := range etags {
				if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
					t.Errorf("%s: ETag %s is not strong", enc, etag)
				}
				for other, otag := range etags {
					for _, method := range []string{"GET", "HEAD"} {
						r := send(method, path, enc, otag)
						want := 200
						if other == enc {
							want = 304
						}
						if r.StatusCode != want || r.Header.Get("ETag") != etag {
							t.Errorf("%s with Accept-Encoding %q, If-None-Match %s: %d ETag %s, want %d ETag %s",
								method, enc, otag, r.StatusCode, r.Header.Get("ETag"), want, etag)
						}
					}
				}
			}
		})
	}
}
