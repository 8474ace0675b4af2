package main

import (
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// jsFileEvent returns a script that builds a File from base64 bytes and
// dispatches it to the Markdown editor as a paste ("paste") or a drop
// ("drop"), as a browser does when she pastes a screenshot or drops a
// photo onto the text.
func jsFileEvent(kind, name, mimeType string, data []byte) chromedp.Action[chromedp.Void] {
	n, _ := json.Marshal(name)
	m, _ := json.Marshal(mimeType)
	b64, _ := json.Marshal(base64.StdEncoding.EncodeToString(data))
	js := `(function(){
  var bin = atob(` + string(b64) + `), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var dt = new DataTransfer();
  dt.items.add(new File([bytes], ` + string(n) + `, {type: ` + string(m) + `}));
  var cm = document.querySelector('.CodeMirror').CodeMirror;
  cm.focus();
  cm.setCursor(cm.lineCount(), 0);
  if (` + `"` + kind + `"` + ` === "paste") {
    cm.getInputField().dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
  } else {
    var r = cm.getWrapperElement().querySelector('.CodeMirror-lines').getBoundingClientRect();
    cm.getScrollerElement().dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.left + 5, clientY: r.bottom - 5}));
  }
})()`
	return chromedp.Evaluate[chromedp.Void](js)
}

// solidPNG is a w x h PNG of one colour.
func solidPNG(tb testing.TB, w, h int, c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, c)
		}
	}
	return cmstest.MustPNG(tb, img)
}

var mediaIDInBody = regexp.MustCompile(`/media/([0-9a-f]{24})/w1024`)

// TestBrowserPinsAndMedia: she writes a post, uploads a pin image, gives
// it a title and a description, pastes and drops images into the text,
// marks one not pinnable and publishes; the public API then offers the pin
// with a Pinterest save link, and its image is served with long caching.
// In the media library she edits an alt text, and deleting the pin's
// image is refused with the reason.
func TestBrowserPinsAndMedia(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/api/v1/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/settings")

	// The site's address, so that posts have a URL (and pins a save link).
	const siteURL = "https://sleep.example"
	b.Do(t, "set the site URL",
		navigate(admin+"/settings"),
		chromedp.WaitVisible(chromedp.CSS(`[name="site.url"]`)),
		chromedp.SetValue(chromedp.CSS(`[name="site.title"]`), "Little Sleepers"),
		chromedp.SetValue(chromedp.CSS(`[name="site.url"]`), siteURL),
		chromedp.Submit(chromedp.CSS(`[name="site.url"]`)),
		waitText(".flash", "aved"),
	)

	// A new post with a pin image uploaded through the file input.
	pinFile := filepath.Join(t.TempDir(), "toddler-pin.jpg")
	if err := os.WriteFile(pinFile, cmstest.MustJPEG(t, 1000, 1500), 0o644); err != nil {
		t.Fatal(err)
	}
	const (
		title   = "Toddler nap schedules that work"
		pinT    = "Toddler nap schedule by age"
		pinDesc = "A calm, evidence-based nap schedule for toddlers from 12 to 36 months."
	)
	b.Do(t, "new post",
		navigate(admin+"/posts/new"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), title),
		setEditorBody("Most toddlers drop to one nap between 15 and 18 months.\n"),
	)
	b.Do(t, "upload a pin image",
		chromedp.SetUploadFiles(chromedp.ID("pin-file"), []string{pinFile}),
		chromedp.WaitVisible(chromedp.CSS(`#pins .pin-item[data-media-id] [data-pin="title"]`)),
		waitText("#pins-status", "Uploaded and added as a pin."),
	)
	pinID := Get(t, b, "pin media id", chromedp.Evaluate[string](`document.querySelector('#pins .pin-item').dataset.mediaId`))
	if warn := Get(t, b, "pin warnings", chromedp.Text(chromedp.CSS("#pins .pin-warnings"))); strings.TrimSpace(warn) != "" {
		t.Errorf("a 1000x1500 pin shows warnings: %q", warn)
	}
	b.Do(t, "fill the pin",
		chromedp.SendKeys(chromedp.CSS(`#pins [data-pin="title"]`), pinT),
		chromedp.SendKeys(chromedp.CSS(`#pins [data-pin="description"]`), pinDesc),
		waitText("#pins .pin-card-title", pinT),
		waitText(`#pins .length-hint`, "27/100 characters"),
	)

	// The cover: chosen from the library (where the pin's image now is).
	b.Do(t, "choose a cover from the library",
		chromedp.Click(chromedp.ID("cover-pick")),
		chromedp.WaitVisible(chromedp.CSS(`#media-picker-list .picker-item`)),
		chromedp.Click(chromedp.CSS(`#media-picker-list .picker-item`)),
		waitJS(`document.getElementById('cover.mediaId').value === `+jsString(pinID)+` && !document.getElementById('media-picker').open`),
		chromedp.SendKeys(chromedp.CSS(`[id="cover.alt"]`), "A toddler asleep in a cot"),
	)

	// Paste an image into the text, drop another, and paste a file that
	// is not an image (refused with a clear message).
	b.Do(t, "paste an image into the text",
		jsFileEvent("paste", "screenshot.png", "image/png", solidPNG(t, 64, 48, color.RGBA{200, 120, 90, 255})),
		waitText("#body-upload-status", "Uploaded “screenshot.png”"),
		waitJS(`/\/media\/[0-9a-f]{24}\/w1024\)/.test(document.querySelector('.CodeMirror').CodeMirror.getValue())`),
	)
	b.Do(t, "drop an image onto the text",
		jsFileEvent("drop", "nursery.png", "image/png", solidPNG(t, 80, 60, color.RGBA{60, 90, 160, 255})),
		waitText("#body-upload-status", "Uploaded “nursery.png”"),
		waitJS(`document.querySelector('.CodeMirror').CodeMirror.getValue().match(/\/w1024\)/g).length === 2`),
	)
	b.Do(t, "paste a file that is not an image",
		jsFileEvent("paste", "notes.txt", "text/plain", []byte("just notes")),
		waitText("#body-upload-status", "“notes.txt” is not an image"),
	)
	if state := Get(t, b, "upload status state", chromedp.Evaluate[string](`document.getElementById('body-upload-status').dataset.state`)); state != "error" {
		t.Errorf("upload status state = %q, want error", state)
	}
	body := Get(t, b, "body", chromedp.Evaluate[string](`document.querySelector('.CodeMirror').CodeMirror.getValue()`))
	ids := mediaIDInBody.FindAllStringSubmatch(body, -1)
	if len(ids) != 2 || strings.Contains(body, "Uploading") {
		t.Fatalf("body after the uploads = %q, want two images and no placeholder", body)
	}
	pastedID, droppedID := ids[0][1], ids[1][1]
	// The body's images are listed; the dropped one is not pinnable.
	b.Do(t, "mark the dropped image not pinnable",
		chromedp.WaitVisible(chromedp.ID("pinnable-"+droppedID)),
		chromedp.Click(chromedp.ID("pinnable-"+droppedID)),
	)

	// Autosave stores the images with the rest of the draft.
	b.Do(t, "autosave", waitJS(`location.pathname !== '/admin/posts/new'`))
	postID := strings.TrimPrefix(Get(t, b, "post path", chromedp.Evaluate[string](`location.pathname`)), "/admin/posts/")
	waitFor(t, "the autosave has the images", 10*time.Second, func() bool {
		p, err := r.srv.svc.GetPost(t.Context(), postID)
		return err == nil && len(p.Pins) == 1 && p.Pins[0].Title == pinT && p.Pins[0].Description == pinDesc &&
			p.Cover != nil && p.Cover.MediaID == pinID && len(p.NoPinMediaIDs) == 1 && p.NoPinMediaIDs[0] == droppedID
	})

	b.Do(t, "publish", chromedp.Click(chromedp.ID("publish")), waitText("#status-badge", "Published"))
	b.Do(t, "the pin is shown after saving",
		chromedp.WaitVisible(chromedp.CSS(`#pins .pin-item[data-media-id="`+pinID+`"]`)),
		waitJS(`document.querySelector('#pins [data-pin="title"]').value === `+jsString(pinT)),
		waitJS(`!document.getElementById('pinnable-`+droppedID+`').checked && document.getElementById('pinnable-`+pastedID+`').checked`),
		chromedp.ScrollIntoView(chromedp.ID("pins-section")),
	)
	b.Screenshot(t, "editor-pins")
	slug := Get(t, b, "slug", chromedp.Value(chromedp.ID("slug")))

	// The public API offers the pin with a Pinterest save link.
	type pinJSON struct {
		MediaID     string `json:"mediaId"`
		URL         string `json:"url"`
		Title       string `json:"title"`
		Description string `json:"description"`
		SaveURL     string `json:"saveUrl"`
	}
	var pub struct {
		Data struct {
			URL        string    `json:"url"`
			HTML       string    `json:"html"`
			Pins       []pinJSON `json:"pins"`
			CoverImage *struct {
				MediaID string `json:"mediaId"`
				Alt     string `json:"alt"`
			} `json:"coverImage"`
		} `json:"data"`
	}
	waitFor(t, "the post in the public API", 10*time.Second, func() bool {
		status, _, raw := call(t, "GET", r.base+"/api/v1/posts/"+slug, "", nil)
		return status == 200 && json.Unmarshal(raw, &pub) == nil
	})
	if pub.Data.URL != siteURL+"/"+slug {
		t.Errorf("data.url = %q, want %q", pub.Data.URL, siteURL+"/"+slug)
	}
	if c := pub.Data.CoverImage; c == nil || c.MediaID != pinID || c.Alt != "A toddler asleep in a cot" {
		t.Errorf("data.coverImage = %+v, want media %s with its alt text", c, pinID)
	}
	if len(pub.Data.Pins) != 1 {
		t.Fatalf("data.pins = %+v, want one pin (is the public pins field there yet?)", pub.Data.Pins)
	}
	pin := pub.Data.Pins[0]
	if !strings.HasSuffix(pin.URL, "/media/"+pinID+"/pin") || pin.Title != pinT || pin.Description != pinDesc {
		t.Errorf("pins[0] = %+v, want url …/media/%s/pin, title %q, description %q", pin, pinID, pinT, pinDesc)
	}
	save, err := url.Parse(pin.SaveURL)
	if err != nil {
		t.Fatalf("saveUrl %q: %v", pin.SaveURL, err)
	}
	q := save.Query()
	if save.Host != "www.pinterest.com" || save.Path != "/pin/create/button/" || q.Get("media") != pin.URL ||
		q.Get("description") != pinDesc || q.Get("url") != pub.Data.URL {
		t.Errorf("saveUrl = %s: host %q path %q media %q description %q url %q", pin.SaveURL, save.Host, save.Path, q.Get("media"), q.Get("description"), q.Get("url"))
	}
	if !strings.Contains(pub.Data.HTML, `data-pin-nopin="true"`) {
		t.Errorf("the image marked not pinnable has no data-pin-nopin in the HTML:\n%s", pub.Data.HTML)
	}

	// The pin's image: a JPEG, a strong ETag, cached for a year, 304 when
	// unchanged.
	pinURL, err := url.Parse(pin.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(r.base + pinURL.Path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(etag, `"`) ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET %s = %d, Content-Type %q, ETag %q, Cache-Control %q", pinURL.Path, res.StatusCode,
			res.Header.Get("Content-Type"), etag, res.Header.Get("Cache-Control"))
	}
	req, _ := http.NewRequest("GET", r.base+pinURL.Path, nil)
	req.Header.Set("If-None-Match", etag)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("GET %s with If-None-Match = %d, want 304", pinURL.Path, res.StatusCode)
	}

	// A change to a pin of the published post is kept on this device
	// until she presses Update, and offered back after a reload.
	b.Do(t, "edit the pin without saving, then reload",
		chromedp.SetValue(chromedp.CSS(`#pins [data-pin="title"]`), "Unsaved pin title"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#pins [data-pin="title"]').dispatchEvent(new Event('input', {bubbles: true}))`),
		waitText("#save-status", "Unsaved changes"),
		chromedp.Sleep(400*time.Millisecond),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("restore-banner")),
		chromedp.Click(chromedp.ID("restore-local")),
		waitJS(`document.querySelector('#pins [data-pin="title"]').value === "Unsaved pin title"`),
		waitText("#pins .pin-card-title", "Unsaved pin title"),
	)
	if n := Get(t, b, "pins after restoring", chromedp.Evaluate[int](`document.querySelectorAll('#pins .pin-item').length`)); n != 1 {
		t.Errorf("after restoring the local copy there are %d pins, want 1", n)
	}

	// The media library: the pasted image has no alt text yet; give it one.
	b.Do(t, "media library",
		navigate(admin+"/media"),
		chromedp.WaitVisible(chromedp.ID("media-grid")),
		chromedp.WaitVisible(chromedp.ID("missing-"+pastedID)),
		waitText("#media-"+pinID+" .media-used", title),
	)
	b.Do(t, "edit an alt text",
		chromedp.SetValue(chromedp.ID("alt-"+pastedID), "A sleepy baby in a sleep sack"),
		chromedp.Submit(chromedp.ID("alt-"+pastedID)),
		waitText(".flash", "Alt text saved."),
		chromedp.WaitVisible(chromedp.ID("media-grid")),
	)
	if v := Get(t, b, "alt after saving", chromedp.Value(chromedp.ID("alt-"+pastedID))); v != "A sleepy baby in a sleep sack" {
		t.Errorf("alt text after saving = %q", v)
	}
	if n := Get(t, b, "missing badge", chromedp.Evaluate[int](`document.querySelectorAll('#missing-`+pastedID+`').length`)); n != 0 {
		t.Errorf("the image still shows “No alt text” after saving one")
	}
	b.Do(t, "try to delete the pin's image",
		chromedp.Click(chromedp.CSS("#media-"+pinID+" .media-delete summary")),
		chromedp.Click(chromedp.CSS("#media-"+pinID+` button[name="confirm"]`)),
		waitText("#media-alert", "still used by 1 post"),
	)
	if msg := Get(t, b, "refusal", chromedp.Text(chromedp.ID("media-alert"))); !strings.Contains(msg, title) {
		t.Errorf("the refusal %q does not name the post", msg)
	}
	status, _, _ := call(t, "GET", r.base+"/media/"+pinID+"/thumb", "", nil)
	if status != 200 {
		t.Errorf("the used image is gone: GET thumb = %d", status)
	}
	b.Do(t, "media library for the screenshot", navigate(admin+"/media"), chromedp.WaitVisible(chromedp.ID("media-grid")))
	b.Screenshot(t, "media-library")

	// On a phone nothing scrolls sideways.
	b.Do(t, "phone width", chromedp.EmulateViewport(375, 812))
	for _, path := range []string{"/media", "/posts/new", "/posts/" + postID} {
		b.Do(t, "open "+path+" at 375 px", navigate(admin+path), chromedp.WaitVisible(chromedp.CSS("main")))
		if w := Get(t, b, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 375 {
			t.Errorf("/admin%s is %d px wide at a 375 px viewport: it scrolls sideways", path, w)
		}
	}
}

// jsString quotes s for a script.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
