package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserAPIDocs opens /api/docs as a frontend developer would: Redoc,
// served from the binary, renders the Content API's operations, and the
// page fetches nothing from another host and breaks no rule of its
// Content-Security-Policy.
func TestBrowserAPIDocs(t *testing.T) {
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	// Recorded from the first script on: a violation during the load too.
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}
	b.Do(t, "open the API docs", navigate(r.base+"/api/docs"),
		chromedp.WaitVisible(chromedp.CSS(`[data-section-id="operation/listPosts"]`)))
	text := Get(t, b, "page text", chromedp.Text(chromedp.CSS("body")))
	for _, want := range []string{"Lullaby public content API", "Published posts, newest first", "One variant of an image", "/api/v1/posts"} {
		if !strings.Contains(text, want) {
			t.Errorf("the docs page does not show %q", want)
		}
	}
	resources := Get(t, b, "what the page fetched", chromedp.Evaluate[[]string](
		`performance.getEntriesByType("resource").map(e => e.name).concat([location.href])`))
	base, _ := url.Parse(r.base)
	sawSpec := false
	for _, res := range resources {
		u, err := url.Parse(res)
		if err != nil || (u.Scheme != "blob" && u.Scheme != "data" && u.Host != base.Host) {
			t.Errorf("the docs page fetched %s, not from this server", res)
		}
		sawSpec = sawSpec || strings.HasSuffix(u.Path, "/api/v1/openapi.json")
	}
	if !sawSpec {
		t.Errorf("the page never fetched the document; it fetched %q", resources)
	}
	if v := Get(t, b, "CSP violations", chromedp.Evaluate[[]string](`window.__csp`)); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}
