package main

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/lullabycms/lullaby/cms"
)

// TestBrowserCitationHints: a draft whose list holds a work the text
// never cites, and whose text cites a key the library lacks, opens with
// both hints beside the reference list. Citing no unknown key any more
// takes that hint away as she types; removing the uncited work from the
// list takes the last one away, and the box hides.
func TestBrowserCitationHints(t *testing.T) {
	r, b, owner := mustEditorSession(t, "/admin/posts")
	var refs []string
	for _, key := range []string{"price2012", "smith2010"} {
		c, err := r.srv.svc.CreateCitation(t.Context(), owner, cms.Citation{Key: key, Type: cms.CiteArticle, Title: "A study called " + key,
			Year: 2012, Container: "Pediatrics", DOI: "10.1000/" + key, Authors: []cms.Name{{Family: "Price", Given: "Anna"}}})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, c.ID)
	}
	title, body := "Night waking", "Babies wake at night [@price2012], as a trial found [@jones2019]."
	post, err := r.srv.svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body, References: &refs})
	if err != nil {
		t.Fatal(err)
	}
	const (
		uncited = "@smith2010 is in the list, but the text never cites it"
		unknown = "@jones2019 is not in the reference library"
	)
	b.Do(t, "the editor opens with both hints",
		navigate(r.base+"/admin/posts/"+post.ID),
		chromedp.WaitVisible(chromedp.CSS(".CodeMirror")),
		chromedp.WaitVisible(chromedp.ID("refs-hints")),
		waitText("#refs-hints-list", uncited),
		waitText("#refs-hints-list", unknown),
		waitJS(`document.querySelectorAll('#refs-hints-list li').length === 2`),
	)
	b.Screenshot(t, "editor-citation-hints")
	b.Do(t, "citing no unknown key takes its hint away",
		setEditorBody("Babies wake at night [@price2012], as a trial found."),
		waitJS(`document.querySelectorAll('#refs-hints-list li').length === 1`),
		waitText("#refs-hints-list", uncited),
		waitJS(`!document.getElementById('refs-hints-list').textContent.includes('jones2019')`),
	)
	b.Do(t, "removing the uncited work takes the last hint away",
		chromedp.Click(chromedp.CSS(`.ref-item[data-key="smith2010"] .ref-remove`)),
		waitJS(`document.getElementById('refs-hints').hidden`),
		waitJS(`document.querySelectorAll('#refs-hints-list li').length === 0`),
	)
}
