package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// hogbergBibTeX is a BibTeX entry as a reference manager exports it, with
// LaTeX accents and a doubled-dash page range.
const hogbergBibTeX = `@article{Hogberg2019,
  author  = {H{\"o}gberg, Lena and Price, Anna M. H.},
  title   = {Night waking in the first year: a cohort study},
  journal = {Sleep Medicine},
  year    = {2019},
  volume  = {54},
  number  = {2},
  pages   = {101--109},
  doi     = {10.1016/j.sleep.2018.10.021}
}`

// TestBrowserCitations: she pastes a BibTeX entry into the import box,
// checks the filled form (the LaTeX accent is a real "ö") and saves it;
// writes a post citing it with the "Insert citation" button and by
// typing, sees the formatted citation in the preview, and publishes. The
// public API then carries the APA in-text citation linking to the
// reference list and the formatted reference; with AMA chosen in the
// settings the citation is a superscript number.
func TestBrowserCitations(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/api/v1/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/citations")

	b.Do(t, "paste a BibTeX entry into the import box",
		navigate(admin+"/citations"),
		chromedp.WaitVisible(chromedp.ID("import-text")),
		chromedp.SetValue(chromedp.ID("import-text"), hogbergBibTeX),
		chromedp.Click(chromedp.ID("import-submit")),
		chromedp.WaitVisible(chromedp.ID("citation-form")),
		waitText("#citation-notice", "check it, then save"),
	)
	for id, want := range map[string]string{
		"cite-authors-0-family": "Högberg", "cite-authors-0-given": "Lena", "cite-authors-1-family": "Price",
		"cite-authors-1-given": "Anna M. H.", "cite-title": "Night waking in the first year: a cohort study",
		"cite-container": "Sleep Medicine", "cite-year": "2019", "cite-volume": "54", "cite-issue": "2",
		"cite-doi": "10.1016/j.sleep.2018.10.021", "cite-key": "hogberg2019", "cite-type": "article-journal",
	} {
		if got := Get(t, b, "field "+id, chromedp.Value(chromedp.ID(id))); got != want {
			t.Errorf("imported form: #%s = %q, want %q", id, got, want)
		}
	}
	if got := Get(t, b, "pages", chromedp.Value(chromedp.ID("cite-pages"))); got != "101-109" && got != "101–109" {
		t.Errorf("imported pages = %q", got)
	}
	b.Screenshot(t, "citations-import")
	// An author row more, added by the script, and removed again.
	b.Do(t, "add and remove an author row",
		chromedp.Click(chromedp.CSS(`.name-add[data-target="cite-authors"]`)),
		waitJS(`document.querySelectorAll('#cite-authors .name-row').length === 4`),
		waitJS(`document.querySelector('#cite-authors .name-row:last-child input').name === 'authors[3].family'`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#cite-authors .name-row:last-child .name-remove').click()`),
		waitJS(`document.querySelectorAll('#cite-authors .name-row').length === 3`),
	)
	b.Do(t, "save the reference",
		chromedp.Click(chromedp.ID("citation-save")),
		waitText(".flash", "Saved as @hogberg2019"),
		waitText("#citation-formatted", "Högberg, L., & Price, A. M. H. (2019)."),
	)
	stored, err := r.srv.svc.ListCitations(t.Context(), "hogberg")
	if err != nil || len(stored) != 1 {
		t.Fatalf("library after saving: %v, %v", stored, err)
	}
	ref := stored[0]
	if ref.Authors[0].Family != "Högberg" || ref.Pages == "" || ref.DOI != "10.1016/j.sleep.2018.10.021" {
		t.Errorf("stored = %+v", ref)
	}
	b.Do(t, "the library lists it",
		navigate(admin+"/citations"),
		waitText("#citation-list", "@hogberg2019"),
		waitText("#citation-list", "Not cited yet"),
	)
	b.Screenshot(t, "citations-library")

	// A post citing it: "Insert citation" puts [@hogberg2019] at the
	// cursor; a second citation is typed.
	const title = "Why babies wake at night"
	b.Do(t, "new post",
		navigate(admin+"/posts/new"),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.SendKeys(chromedp.ID("title"), title),
		setEditorBody("Night waking is normal in the first year"),
		chromedp.Evaluate[chromedp.Void](`(function(){var cm=document.querySelector('.CodeMirror').CodeMirror;cm.focus();cm.setCursor(0, cm.getLine(0).length);})()`),
		chromedp.Click(chromedp.ID("refs-cite")),
		chromedp.WaitVisible(chromedp.CSS(`#ref-picker-list .picker-ref[data-key="hogberg2019"]`)),
		chromedp.Click(chromedp.CSS(`#ref-picker-list .picker-ref[data-key="hogberg2019"]`)),
		waitJS(`document.querySelector('.CodeMirror').CodeMirror.getValue() === 'Night waking is normal in the first year [@hogberg2019]'`),
		waitJS(`!!document.querySelector('#refs .ref-item[data-key="hogberg2019"]')`),
	)
	b.Do(t, "type a second citation",
		chromedp.Evaluate[chromedp.Void](`(function(){var cm=document.querySelector('.CodeMirror').CodeMirror;cm.focus();cm.setCursor(cm.lastLine(), cm.getLine(cm.lastLine()).length);})()`),
		chromedp.SendKeys(chromedp.CSS(".CodeMirror textarea"), ". Most wake two or three times [@hogberg2019, p. 104]."),
		waitJS(`document.querySelector('.CodeMirror').CodeMirror.getValue().endsWith('[@hogberg2019, p. 104].')`),
	)
	b.Do(t, "the preview shows the formatted citations and the list",
		waitText("#preview", "(Högberg & Price, 2019)"),
		waitText("#preview", "(Högberg & Price, 2019, p. 104)"),
		waitText("#preview #ref-hogberg2019", "Night waking in the first year"),
	)
	b.Do(t, "autosave", waitJS(`location.pathname !== '/admin/posts/new'`), waitText("#save-status", "Saved"))
	postID := strings.TrimPrefix(Get(t, b, "post path", chromedp.Evaluate[string](`location.pathname`)), "/admin/posts/")
	waitFor(t, "the autosave has the reference", 10*time.Second, func() bool {
		p, err := r.srv.svc.GetPost(t.Context(), postID)
		return err == nil && len(p.References) == 1 && p.References[0] == ref.ID && strings.Contains(p.Body, "[@hogberg2019, p. 104]")
	})
	b.Do(t, "publish", chromedp.Click(chromedp.ID("publish")), waitText("#status-badge", "Published"),
		waitJS(`!!document.querySelector('#refs .ref-item[data-key="hogberg2019"]')`))
	slug := Get(t, b, "slug", chromedp.Value(chromedp.ID("slug")))

	// Removing the reference of the published post is kept on this device
	// until she presses Update, and offered back after a reload.
	b.Do(t, "remove the reference without saving, then reload",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#refs .ref-item[data-key="hogberg2019"] .ref-remove').click()`),
		waitJS(`document.querySelectorAll('#refs .ref-item').length === 0`),
		waitText("#save-status", "Unsaved changes"),
		chromedp.Sleep(400*time.Millisecond),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("restore-banner")),
		waitJS(`document.querySelectorAll('#refs .ref-item').length === 1`),
		chromedp.Click(chromedp.ID("restore-local")),
		waitJS(`document.querySelectorAll('#refs .ref-item').length === 0`),
		// And back: discard the local copy.
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("restore-banner")),
		chromedp.Click(chromedp.ID("discard-local")),
		waitJS(`document.querySelectorAll('#refs .ref-item').length === 1`),
	)

	type refJSON struct {
		Key    string        `json:"key"`
		Anchor string        `json:"anchor"`
		Number int           `json:"number"`
		APA    cms.Formatted `json:"apa"`
		AMA    cms.Formatted `json:"ama"`
	}
	var pub struct {
		Data struct {
			HTML       string    `json:"html"`
			References []refJSON `json:"references"`
		} `json:"data"`
	}
	getPost := func(cond func() bool) {
		waitFor(t, "the post in the public API", 10*time.Second, func() bool {
			status, _, raw := call(t, "GET", r.base+"/api/v1/posts/"+slug, "", nil)
			return status == 200 && json.Unmarshal(raw, &pub) == nil && cond()
		})
	}
	getPost(func() bool { return len(pub.Data.References) == 1 })
	wantCite := `<cite class="citation">(<a href="#ref-hogberg2019">Högberg &amp; Price, 2019</a>)</cite>`
	if !strings.Contains(pub.Data.HTML, wantCite) {
		t.Errorf("data.html lacks the APA in-text citation %s:\n%s", wantCite, pub.Data.HTML)
	}
	if !strings.Contains(pub.Data.HTML, `Högberg &amp; Price, 2019, p. 104</a>`) {
		t.Errorf("data.html lacks the citation with a page:\n%s", pub.Data.HTML)
	}
	got := pub.Data.References[0]
	want := cms.FormatAPA(ref).Text
	if got.Key != "hogberg2019" || got.Anchor != "ref-hogberg2019" || got.APA.Text != want {
		t.Errorf("data.references[0] = %+v, want key hogberg2019, anchor ref-hogberg2019, apa.text %q", got, want)
	}
	if !strings.HasPrefix(want, "Högberg, L., & Price, A. M. H. (2019). Night waking in the first year: A cohort study. Sleep Medicine, 54(2), 101–109.") &&
		!strings.HasPrefix(want, "Högberg, L., & Price, A. M. H. (2019). Night waking in the first year: a cohort study. Sleep Medicine, 54(2), 101–109.") {
		t.Errorf("apa.text = %q", want)
	}

	// AMA: a superscript number linking to the list.
	b.Do(t, "choose AMA in the settings",
		navigate(admin+"/settings"),
		chromedp.WaitVisible(chromedp.ID("citationStyle")),
		chromedp.SetValue(chromedp.ID("citationStyle"), "ama"),
		chromedp.Submit(chromedp.ID("citationStyle")),
		waitText(".flash", "aved"),
	)
	if s, err := r.srv.svc.GetSettings(t.Context()); err != nil || s.CitationStyle != cms.StyleAMA {
		t.Fatalf("style after saving the settings = %v, %v", s, err)
	}
	wantSup := `<sup class="citation"><a href="#ref-hogberg2019">1</a></sup>`
	getPost(func() bool { return strings.Contains(pub.Data.HTML, wantSup) })
	if pub.Data.References[0].Number != 1 || !strings.HasPrefix(pub.Data.References[0].AMA.Text, "Högberg L, Price AMH.") {
		t.Errorf("AMA reference = %+v", pub.Data.References[0])
	}
	b.Do(t, "the editor's preview follows the style",
		navigate(admin+"/posts/"+postID),
		chromedp.WaitVisible(chromedp.ID("preview")),
		waitJS(`!!document.querySelector('#preview sup.citation a[href="#ref-hogberg2019"]')`),
	)
}

// TestConfigCrossrefURL: LULLABY_CROSSREF_URL is off by default, must be
// an http(s) URL, and reaches the service (DOI lookups on).
func TestConfigCrossrefURL(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"", "", ""},
		{"https://api.crossref.org/", "https://api.crossref.org", ""},
		{"ftp://api.crossref.org", "", "LULLABY_CROSSREF_URL"},
		{"api.crossref.org", "", "LULLABY_CROSSREF_URL"},
	} {
		cfg, err := loadConfig("serve", nil, func(k string) string {
			if k == "LULLABY_CROSSREF_URL" {
				return tc.in
			}
			return ""
		}, &strings.Builder{})
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: err = %v, want one naming %s", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || cfg.CrossrefURL != tc.want):
			t.Errorf("%q: CrossrefURL = %q, %v; want %q", tc.in, cfg.CrossrefURL, err, tc.want)
		}
	}
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"}, "--crossref-url", "http://127.0.0.1:1")
	if !r.srv.svc.CrossrefEnabled() {
		t.Error("--crossref-url did not turn DOI lookups on")
	}
}
