package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
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

// chromium is the one headless chromium of the test binary, started by
// the first MustBrowser and stopped by TestMain (stopChromium): starting a
// browser costs seconds, a browser context (a fresh profile, as in an
// incognito window) a few milliseconds.
var chromium struct {
	once   sync.Once
	ctx    context.Context // its first tab, which keeps it running
	stop   func()
	dir    string // its profile and TMPDIR, removed when it stops
	err    error
	tmpErr string // set when it made no folder in its TMPDIR
}

// startChromium starts the shared chromium at path.
func startChromium(path string) {
	dir, err := os.MkdirTemp("", "lullaby-chromium-")
	if err != nil {
		chromium.err = err
		return
	}
	chromium.dir = dir
	// chromium makes a folder for its singleton socket in TMPDIR and
	// removes it only on a clean exit: give it a temporary folder,
	// removed when the tests end.
	tmp, profile := filepath.Join(dir, "tmp"), filepath.Join(dir, "profile")
	for _, d := range []string{tmp, profile} {
		if err := os.Mkdir(d, 0o700); err != nil {
			chromium.err = err
			return
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Env("TMPDIR="+tmp),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	chromium.ctx = ctx
	chromium.stop = func() {
		sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
		defer scancel()
		_ = chromedp.Cancel(sctx) // closes it gracefully
		cancel()
		cancelAlloc()
	}
	if err := chromedp.Do(ctx); err != nil {
		chromium.err = fmt.Errorf("start chromium %s: %w", path, err)
		return
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "org.chromium.Chromium.*")); len(left) == 0 {
		chromium.tmpErr = "chromium made no folder in its TMPDIR " + tmp + ": it writes elsewhere, and leaves it behind"
	}
}

// stopChromium stops the shared chromium, if one started, and removes its
// folders. TestMain calls it when the tests are done.
func stopChromium() {
	if chromium.stop != nil {
		chromium.stop()
	}
	if chromium.dir != "" {
		if err := os.RemoveAll(chromium.dir); err != nil {
			fmt.Fprintf(os.Stderr, "remove %s: %v\n", chromium.dir, err)
		}
	}
}

// MustBrowser opens a browser for the test: a new browser context (its
// own cookies, storage and cache, as an incognito window) of the test
// binary's headless chromium, closed when the test ends. It skips the test
// when there is no chromium — unless LULLABY_E2E=1, which CI sets after
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
	chromium.once.Do(func() { startChromium(path) })
	if chromium.err != nil {
		tb.Fatal(chromium.err)
	}
	if chromium.tmpErr != "" {
		tb.Error(chromium.tmpErr)
	}
	ctx, cancel := chromedp.NewContext(chromium.ctx, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("open a browser context: %v", err)
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
// A query that found its node in the document a navigation just replaced
// ("No node with given id found": chromedp had not yet seen the new
// document) is run again, within the same time limit.
func Get[T any](tb testing.TB, b *browser, what string, a chromedp.Action[T]) T {
	tb.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	for {
		v, err := chromedp.Run(ctx, a)
		if err != nil && strings.Contains(err.Error(), "No node with given id found") && sleep(ctx, 50*time.Millisecond) == nil {
			continue
		}
		if err != nil {
			b.fail(tb, what, err)
		}
		return v
	}
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

// navigate loads url in the tab and waits until that document has
// loaded. It does not use chromedp.Navigate: that one waits for the first
// "init" lifecycle event after it starts listening, and when the page
// asked for is started while a form the previous step submitted is still
// loading its answer (its redirect, then its scripts), the events of that
// other load can be taken for this one's — or this load is cancelled
// before it commits and no event of it ever comes — and Navigate waits
// until the deadline. Instead navigate knows its own load by the loader
// id Page.navigate answers and watches the frame until it shows that
// document, ready; a load another navigation superseded is asked for
// again, and so is one chromium reports aborted. A "beforeunload" dialog
// opened on the way is answered by acceptDialogs (and counted there).
func navigate(url string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for attempt := 0; ; attempt++ {
			res, err := cdp.Call(ctx, t, page.Navigate, page.NavigateParams{URL: url})
			switch {
			case err != nil:
				return err
			case res.ErrorText != "" && (!strings.Contains(res.ErrorText, "ERR_ABORTED") || attempt >= 5):
				return &chromedp.LoadError{ErrorText: res.ErrorText}
			case res.ErrorText != "":
				// Aborted by the load still under way: ask again.
			case res.LoaderID == "":
				return nil // within the same document: nothing to load
			default:
				done, err := loaded(ctx, t, res.LoaderID)
				if done || err != nil {
					return err
				}
				if attempt >= 5 {
					return fmt.Errorf("navigate to %s: superseded by another load %d times", url, attempt+1)
				}
			}
			if err := sleep(ctx, 200*time.Millisecond); err != nil {
				return err
			}
		}
	})
}

// loaded waits until the tab's main frame shows the document of loader
// and it is ready (document.readyState "complete"). It reports false when
// the frame still shows another document after a while: the load was
// superseded or cancelled.
func loaded(ctx context.Context, t *chromedp.Target, loader cdp.LoaderID) (bool, error) {
	current := func() cdp.LoaderID {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil || tree.FrameTree == nil || tree.FrameTree.Frame == nil {
			return ""
		}
		return tree.FrameTree.Frame.LoaderID
	}
	other := time.Now()
	for {
		if current() == loader {
			other = time.Now()
			// Ready, and still the same document after reading it.
			if state, err := chromedp.Evaluate[string]("document.readyState")(ctx, t); err == nil && state == "complete" && current() == loader {
				return true, nil
			}
		} else if time.Since(other) > 5*time.Second {
			return false, nil
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return false, err
		}
	}
}

// sleep waits d, or less when ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
