package main

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

var screenshots = flag.Bool("screenshots", false, "write the admin panel screenshots to docs/screenshots/")

// browser is a headless chromium driven by chromedp, against one running
// Lullaby.
type browser struct {
	ctx     context.Context
	base    string
	dialogs *dialogLog
}

// dialogLog records the JavaScript dialogs a tab opened ("beforeunload"
// when leaving a page with unsaved changes asks first), each of which
// acceptDialogs accepted.
type dialogLog struct {
	mu    sync.Mutex
	types []page.DialogType
}

// Count returns how many dialogs of type typ opened so far.
func (d *dialogLog) Count(typ page.DialogType) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, t := range d.types {
		if t == typ {
			n++
		}
	}
	return n
}

// acceptDialogs accepts every JavaScript dialog of the tab ctx (a
// navigation away from a page with unsaved changes would otherwise wait
// for an answer forever) and records it.
func acceptDialogs(ctx context.Context) *dialogLog {
	d := &dialogLog{}
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range opening {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.types = append(d.types, ev.Type)
			d.mu.Unlock()
			// Answered from another goroutine than the one that
			// receives the events.
			go func() {
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			}()
		}
	}()
	return d
}

// chromiumPath finds Debian's chromium (or another Chrome). It returns ""
// when there is none.
func chromiumPath() string {
	if p := os.Getenv("LULLABY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// MustBrowser starts a headless chromium for the test, or skips the test
// when there is none — unless LULLABY_E2E=1, which CI sets after
// installing chromium: then a missing browser fails the test.
func MustBrowser(tb testing.TB, base string) *browser {
	tb.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("LULLABY_E2E") == "1" {
			tb.Fatal("LULLABY_E2E=1 but no chromium found: apt-get install chromium, or set LULLABY_CHROMIUM")
		}
		tb.Skip("browser test skipped: no chromium found (apt-get install chromium; LULLABY_E2E=1 makes this a failure)")
	}
	// chromium makes a folder for its singleton socket in TMPDIR and
	// removes it only on a clean exit, which a test's end is not: give it
	// a temporary folder of the test, removed with it.
	tmp := tb.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.Env("TMPDIR="+tmp),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium %s: %v", path, err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "org.chromium.Chromium.*")); len(left) == 0 {
		tb.Errorf("chromium made no folder in its TMPDIR %s: it writes elsewhere, and leaves it behind", tmp)
	}
	return &browser{ctx: ctx, base: base, dialogs: acceptDialogs(ctx)}
}

// Tab opens another tab of the same browser (sharing cookies).
func (b *browser) Tab(tb testing.TB) *browser {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatal(err)
	}
	return &browser{ctx: ctx, base: b.base, dialogs: acceptDialogs(ctx)}
}

// Do runs steps with a time limit, failing the test on error.
func (b *browser) Do(tb testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(tb, what, err)
	}
}

// Get runs one action that returns a value, failing the test on error.
func Get[T any](tb testing.TB, b *browser, what string, a chromedp.Action[T]) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(tb, what, err)
	}
	return v
}

func (b *browser) fail(tb testing.TB, what string, err error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	url, _ := chromedp.Run(ctx, chromedp.Location())
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
	if len(html) > 4000 {
		html = html[:4000] + "…"
	}
	tb.Fatalf("%s: %v\nat %s\n%s", what, err, url, html)
}

// Screenshot saves the page as docs/screenshots/name.png when the test
// runs with -screenshots.
func (b *browser) Screenshot(tb testing.TB, name string) {
	tb.Helper()
	if !*screenshots {
		return
	}
	b.writeScreenshot(tb, name, Get(tb, b, "screenshot "+name, chromedp.FullScreenshot(100)))
}

// ScreenshotView saves what the viewport shows (not the whole page) as
// docs/screenshots/name.png when the test runs with -screenshots: for a
// phone, whose bar pinned to the bottom belongs at the bottom.
func (b *browser) ScreenshotView(tb testing.TB, name string) {
	tb.Helper()
	if !*screenshots {
		return
	}
	b.writeScreenshot(tb, name, Get(tb, b, "screenshot "+name, chromedp.CaptureScreenshot()))
}

func (b *browser) writeScreenshot(tb testing.TB, name string, png []byte) {
	tb.Helper()
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// navigate is chromedp.Navigate, tried again when chromium reports the
// load aborted: that happens when a form the previous step submitted is
// still redirecting as the next page is asked for, and says nothing about
// the page asked for.
func navigate(url string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var err error
		for attempt := 0; attempt < 5; attempt++ {
			if _, err = chromedp.Navigate(url)(ctx, t); err == nil || !strings.Contains(err.Error(), "ERR_ABORTED") {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
		return err
	})
}
