package admin_test

import (
	"regexp"
	"strings"
	"testing"
)

func TestPanelAssets(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.NewBrowser()
	login := b.Get(t, "/admin/setup").MustStatus(t, 200)
	m := regexp.MustCompile(`href="(/admin/assets/([0-9a-f]{16})/css/admin\.css)"`).FindStringSubmatch(login.Body)
	if m == nil {
		t.Fatalf("no hashed style sheet link in:\n%s", login.Body)
	}
	cssURL, hash := m[1], m[2]

	t.Run("OK", func(t *testing.T) {
		p := b.Get(t, cssURL).MustStatus(t, 200).MustContain(t, ":root")
		for k, want := range map[string]string{
			"Cache-Control":          "public, max-age=31536000, immutable",
			"X-Content-Type-Options": "nosniff",
			"Content-Type":           "text/css; charset=utf-8",
			"ETag":                   `"` + hash + `"`,
		} {
			if got := p.Header.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
	})
	t.Run("Gzip", func(t *testing.T) {
		p := b.Get(t, cssURL, "Accept-Encoding", "br, gzip").MustStatus(t, 200)
		if got := p.Header.Get("Content-Encoding"); got != "gzip" {
			t.Errorf("Content-Encoding = %q, want gzip", got)
		}
		// The gzip encoding has its own strong ETag.
		if got := p.Header.Get("ETag"); got != `"`+hash+`-gz"` {
			t.Errorf("gzip ETag = %q, want %q", got, `"`+hash+`-gz"`)
		}
		if p = b.Get(t, cssURL, "Accept-Encoding", "gzip;q=0"); p.Header.Get("Content-Encoding") != "" {
			t.Error("gzip sent although refused")
		}
	})
	t.Run("NotModified", func(t *testing.T) {
		b.Get(t, cssURL, "If-None-Match", `"`+hash+`"`).MustStatus(t, 304)
		b.Get(t, cssURL, "If-None-Match", `"`+hash+`-gz"`, "Accept-Encoding", "gzip").MustStatus(t, 304)
		b.Get(t, cssURL, "If-None-Match", `"`+hash+`"`, "Accept-Encoding", "gzip").MustStatus(t, 200)
		b.Get(t, cssURL, "If-None-Match", `"`+hash+`-gz"`).MustStatus(t, 200)
	})
	t.Run("ErrWrongHash", func(t *testing.T) {
		p := b.Get(t, strings.Replace(cssURL, hash, "0000000000000000", 1)).MustStatus(t, 404)
		if got := p.Header.Get("Cache-Control"); strings.Contains(got, "immutable") {
			t.Errorf("a 404 is cacheable: %q", got)
		}
		b.Get(t, "/admin/assets/"+hash+"/css/nothing.css").MustStatus(t, 404)
		b.Get(t, "/admin/assets/"+hash+"/../embed.go").MustStatus(t, 404)
	})
	t.Run("Vendored", func(t *testing.T) {
		// Scripts the pages load are served with a JavaScript type.
		m := regexp.MustCompile(`src="(/admin/assets/[0-9a-f]{16}/js/admin\.js)"`).FindStringSubmatch(login.Body)
		if m == nil {
			t.Fatal("no admin.js script")
		}
		p := b.Get(t, m[1]).MustStatus(t, 200)
		if ct := p.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
			t.Errorf("Content-Type = %q", ct)
		}
	})
}

func TestPanelDashboard(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, "No drafts.", "Nothing is scheduled.", "Nothing published yet.")
}
