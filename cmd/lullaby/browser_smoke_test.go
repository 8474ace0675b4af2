package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserSmoke(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	b.Do(t, "open the API", navigate(r.base+"/api/v1/site"))
	body := Get(t, b, "read", chromedp.Text(chromedp.CSS("body")))
	if !strings.Contains(body, `"title"`) {
		t.Fatalf("body = %q", body)
	}
}
