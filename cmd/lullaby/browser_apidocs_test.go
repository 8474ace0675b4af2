package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserAPIDocs opens /api/docs as a frontend developer would, then
// the admin API's document (?doc=admin): Redoc, served from the binary,
// renders each API's operations, and the page fetches nothing from
// another host and breaks no rule of its Content-Security-Policy (the
// violations are collected across both documents).
//
// Not parallel: rendering the admin document keeps the tab's renderer busy
// for seconds, which beside other tests on a small machine can pass a
// step's time limit.
func TestBrowserAPIDocs(t *testing.T) {
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	// Recorded from the first script on: a violation during the load too.
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(r.base)
	for _, doc := range []struct {
		name, path, section, spec string
		texts                     []string
	}{
		{"public", "/api/docs", `[data-section-id="operation/listPosts"]`, "/api/v1/openapi.json",
			[]string{"Lullaby public content API", "Published posts, newest first", "One variant of an image", "/api/v1/posts"}},
		{"admin", "/api/docs?doc=admin", `[data-section-id$="operation/createPost"]`, "/admin/api/v1/openapi.json",
			[]string{"Lullaby admin API", "Create a post", "Log in: the second step", "/admin/api/v1/posts/{id}/publish", "X-CSRF-Token"}},
	} {
		// Redoc lays out every operation at once: the admin document's 80
		// take it over 20 s on a busy 2-core machine, past b.Do's limit.
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Minute)
		err := chromedp.Do(ctx, navigate(r.base+doc.path), chromedp.WaitVisible(chromedp.CSS(doc.section)))
		cancel()
		if err != nil {
			b.fail(t, "open the "+doc.name+" API docs", err)
		}
		text := Get(t, b, "page text", chromedp.Text(chromedp.CSS("body")))
		for _, want := range doc.texts {
			if !strings.Contains(text, want) {
				t.Errorf("the %s docs page does not show %q", doc.name, want)
			}
		}
		resources := Get(t, b, "what the page fetched", chromedp.Evaluate[[]string](
			`performance.getEntriesByType("resource").map(e => e.name).concat([location.href])`))
		sawSpec := false
		for _, res := range resources {
			u, err := url.Parse(res)
			if err != nil || (u.Scheme != "blob" && u.Scheme != "data" && u.Host != base.Host) {
				t.Errorf("the %s docs page fetched %s, not from this server", doc.name, res)
			}
			sawSpec = sawSpec || (err == nil && u.Path == doc.spec)
		}
		if !sawSpec {
			t.Errorf("the %s docs page never fetched %s; it fetched %q", doc.name, doc.spec, resources)
		}
		// Recorded afresh for each page (the script runs on every new document).
		if v := Get(t, b, "CSP violations", chromedp.Evaluate[[]string](`window.__csp`)); len(v) > 0 {
			t.Errorf("Content-Security-Policy violations on the %s docs page: %q", doc.name, v)
		}
	}
}
