package main

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// fetchStatus fetches path from the page with key in the X-Lullaby-Key
// header ("" for none), past the browser's cache (an answer it keeps may
// be reused for max-age, revoked key or not), and waits for the status to
// be want.
func fetchStatus(tb testing.TB, b *browser, what, path, key string, want int) {
	tb.Helper()
	headers := "{}"
	if key != "" {
		headers = `{"X-Lullaby-Key": "` + key + `"}`
	}
	Get(tb, b, what, chromedp.Evaluate[bool](`(function(){window.__status=0; fetch("`+path+`", {cache: "no-store", headers: `+headers+`}).then(function(r){window.__status=r.status}, function(){window.__status=-1}); return true})()`))
	b.Do(tb, what, waitJS(`window.__status === `+itoa(want)))
}

// TestBrowserContentKey: the owner requires a content key, makes one in
// Settings, copies it from the page, and a fetch with it reads the API
// while one without is refused; once she revokes it, the fetch with it is
// refused too.
func TestBrowserContentKey(t *testing.T) {
	t.Parallel()
	_, b, _ := mustEditorSession(t, "/admin/settings")
	b.Do(t, "require a content key",
		chromedp.WaitVisible(chromedp.ID("requireContentKey")),
		chromedp.Click(chromedp.ID("requireContentKey")),
		chromedp.Click(chromedp.CSS(`.settings-form button[type=submit]`)),
		waitText(".flash", "Settings saved"),
	)
	fetchStatus(t, b, "fetch without a key", "/api/v1/posts", "", 401)
	b.Do(t, "create a key",
		chromedp.SendKeys(chromedp.CSS(`.content-key-form [name=name]`), "Website"),
		chromedp.Click(chromedp.ID("create-content-key")),
		chromedp.WaitVisible(chromedp.ID("new-content-key")),
		chromedp.Click(chromedp.ID("copy-content-key")),
		waitJS(`document.getElementById("copy-content-key-status").textContent !== ""`),
	)
	key := Get(t, b, "the key on the page", chromedp.Value(chromedp.ID("new-content-key")))
	if !regexp.MustCompile(`^[0-9a-f]{26}$`).MatchString(key) {
		t.Fatalf("key on the page %q", key)
	}
	fetchStatus(t, b, "fetch with the key", "/api/v1/posts", key, 200)
	fetchStatus(t, b, "Ghost fetch with the key", "/ghost/api/content/posts/?key="+key, "", 200)
	b.Do(t, "revoke the key",
		navigate(b.base+"/admin/settings"),
		chromedp.Click(chromedp.CSS(`.content-keys-table form[action$="/revoke"] button`)),
		waitText(".flash", "Revoked"),
	)
	fetchStatus(t, b, "fetch with the revoked key", "/api/v1/posts", key, 403)
}
