package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// footnoteBody has footnotes in three sections, one cited twice, and a
// citation in a note.
const footnoteBody = "Babies wake at night; that is normal.\n\n" +
	"## Sleep cycles\n\nInfant cycles last about 50 minutes.[^cycles]\n\n" +
	"## Night feeds\n\nMost babies still feed at night at six months.[^feeds] Many stop by nine.[^cycles]\n\n" +
	"## Settling\n\n- Put the baby down drowsy.[^drowsy]\n\n" +
	"[^cycles]: Adults' cycles last about 90 minutes.\n" +
	"[^feeds]: Ask your health visitor about *your* baby.\n" +
	"[^drowsy]: Drowsy, not asleep: see [the AAP](https://www.aap.org/).\n"

// TestFootnotesEverywhere publishes two posts with footnotes through the
// admin API and reads them back through every public path of the composed
// app: our API (html and footnotes), RSS, Atom, JSON Feed, and the Ghost
// and WordPress dialects (html, content.rendered and lullaby.footnotes).
// Everywhere the notes number 1, 2, 3 across the three sections, every
// marker and back-link has its target in the same entry, and two posts on
// one page (a feed) share no id.
func TestFootnotesEverywhere(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	token := MustOwnerToken(t, s)
	key := mustContentKey(t, s, token, `{"name":"Website"}`).Secret
	var ids []string
	for _, title := range []string{"Night waking", "Night waking, again"} {
		body, _ := json.Marshal(map[string]any{"title": title, "body": footnoteBody})
		r := s.do(t, "POST", "/admin/api/v1/posts", token, string(body))
		var created struct{ Data struct{ ID, Slug string } }
		if r.status != 201 || json.Unmarshal(r.body, &created) != nil {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if r := s.do(t, "POST", "/admin/api/v1/posts/"+created.Data.ID+"/publish", token, `{"version":1}`); r.status != 200 {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
		ids = append(ids, created.Data.ID)
	}
	get := func(path string) []byte {
		t.Helper()
		r := s.do(t, "GET", path, "", "")
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		return r.body
	}
	id := ids[0]

	var ours struct{ Data publicFootnotes }
	mustUnmarshal(t, get("/api/v1/posts/night-waking"), &ours)
	mustFootnoteHTML(t, "our API", ours.Data.HTML, id)
	mustFootnoteData(t, "our API", ours.Data.Footnotes, ours.Data.HTML, id)

	var ghost struct {
		Posts []struct {
			HTML    string
			Lullaby struct{ Footnotes []footnoteJSON }
		}
	}
	mustUnmarshal(t, get("/ghost/api/content/posts/slug/night-waking/?key="+key), &ghost)
	if len(ghost.Posts) != 1 || ghost.Posts[0].HTML != ours.Data.HTML {
		t.Errorf("Ghost html differs from ours:\n%+v", ghost.Posts)
	} else {
		mustFootnoteData(t, "Ghost", ghost.Posts[0].Lullaby.Footnotes, ghost.Posts[0].HTML, id)
	}

	var wp []struct {
		Content struct{ Rendered string }
		Lullaby struct{ Footnotes []footnoteJSON }
	}
	mustUnmarshal(t, get("/wp-json/wp/v2/posts?slug=night-waking"), &wp)
	if len(wp) != 1 || wp[0].Content.Rendered != ours.Data.HTML {
		t.Errorf("WordPress content.rendered differs from ours:\n%+v", wp)
	} else {
		mustFootnoteData(t, "WordPress", wp[0].Lullaby.Footnotes, wp[0].Content.Rendered, id)
	}

	var rss struct {
		Items []struct {
			GUID    string `xml:"guid"`
			Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"channel>item"`
	}
	var atom struct {
		Entries []struct {
			ID      string `xml:"id"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	var feed struct {
		Items []struct {
			ID          string
			ContentHTML string `json:"content_html"`
		}
	}
	mustXML(t, get("/feed.xml"), &rss)
	mustXML(t, get("/feed.atom"), &atom)
	mustUnmarshal(t, get("/feed.json"), &feed)
	entries := map[string]map[string]string{"RSS": {}, "Atom": {}, "JSON Feed": {}}
	for _, it := range rss.Items {
		entries["RSS"][it.GUID] = it.Content
	}
	for _, e := range atom.Entries {
		entries["Atom"][e.ID] = e.Content
	}
	for _, it := range feed.Items {
		entries["JSON Feed"][it.ID] = it.ContentHTML
	}
	for format, byID := range entries {
		var page strings.Builder // the whole feed, as a reader shows it on one page
		for _, postID := range ids {
			content, ok := byID["urn:lullaby:post:"+postID]
			if !ok {
				t.Errorf("%s: no entry for post %s", format, postID)
				continue
			}
			if postID == id && !strings.Contains(content, ours.Data.HTML) {
				t.Errorf("%s: the entry does not carry the post's html:\n%s", format, content)
			}
			mustFootnoteHTML(t, format, content, postID)
			page.WriteString(content)
		}
		// Heading ids are left as written (links to her sections from
		// elsewhere use them); footnote ids must not meet.
		if dup := duplicateIDs(page.String()); slices.ContainsFunc(dup, isFootnoteID) {
			t.Errorf("%s: two posts on one page share the ids %q", format, dup)
		}
	}
}

// publicFootnotes is the part of our API's post this test reads.
type publicFootnotes struct {
	HTML      string
	Footnotes []footnoteJSON
}

// footnoteJSON is one footnote of a post as our API and the dialects'
// "lullaby" give it.
type footnoteJSON struct {
	Number    int
	ID, HTML  string
	RefID     string
	RefIDs    []string
	Paragraph struct {
		Index int
		Text  string
	}
	Section string
}

func mustUnmarshal(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%v: %s", err, b)
	}
}

func mustXML(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := xml.Unmarshal(b, v); err != nil {
		tb.Fatalf("%v: %s", err, b)
	}
}

// htmlIDs returns the ids of the elements of an HTML fragment, in order,
// and the targets of its in-page links ("#x" -> "x").
func htmlIDs(fragment string) (ids, links []string, markers []string) {
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	inMarker := false
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ids, links, markers
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			t := z.Token()
			for _, a := range t.Attr {
				switch {
				case a.Key == "id":
					ids = append(ids, a.Val)
					if t.Data == "sup" && strings.HasPrefix(a.Val, "fnref-") {
						inMarker = true
					}
				case a.Key == "href" && strings.HasPrefix(a.Val, "#"):
					links = append(links, a.Val[1:])
				}
			}
		case xhtml.EndTagToken:
			if name, _ := z.TagName(); string(name) == "sup" {
				inMarker = false
			}
		case xhtml.TextToken:
			if inMarker {
				markers = append(markers, string(z.Text()))
			}
		}
	}
}

func isFootnoteID(id string) bool {
	return strings.HasPrefix(id, "fn-") || strings.HasPrefix(id, "fnref-")
}

// duplicateIDs returns the ids that occur more than once in fragment.
func duplicateIDs(fragment string) []string {
	seen := map[string]int{}
	var dup []string
	ids, _, _ := htmlIDs(fragment)
	for _, id := range ids {
		if seen[id]++; seen[id] == 2 {
			dup = append(dup, id)
		}
	}
	return dup
}

// mustFootnoteHTML checks the footnotes of one entry's HTML: markers
// numbered 1, 2, 1, 3 (the first note is cited twice), notes fn-<id>-1..3
// in order, and every in-page link's target in the entry.
func mustFootnoteHTML(t *testing.T, where, fragment, postID string) {
	t.Helper()
	ids, links, markers := htmlIDs(fragment)
	if want := []string{"1", "2", "1", "3"}; !slices.Equal(markers, want) {
		t.Errorf("%s: footnote markers %q, want %q", where, markers, want)
	}
	var notes []string
	for _, id := range ids {
		if strings.HasPrefix(id, "fn-") {
			notes = append(notes, id)
		}
	}
	want := []string{}
	for n := 1; n <= 3; n++ {
		want = append(want, fmt.Sprintf("fn-%s-%d", postID, n))
	}
	if !slices.Equal(notes, want) {
		t.Errorf("%s: notes %q, want %q", where, notes, want)
	}
	backs := 0
	for _, l := range links {
		if !slices.Contains(ids, l) {
			t.Errorf("%s: a link to #%s, which is not in the entry:\n%s", where, l, fragment)
		}
		if strings.HasPrefix(l, "fnref-") {
			backs++
		}
	}
	if backs != 4 {
		t.Errorf("%s: %d back-links, want 4 (one per marker):\n%s", where, backs, fragment)
	}
	if dup := duplicateIDs(fragment); len(dup) > 0 {
		t.Errorf("%s: duplicate ids %q", where, dup)
	}
}

// mustFootnoteData checks the structured footnotes against the HTML they
// came with.
func mustFootnoteData(t *testing.T, where string, got []footnoteJSON, fragment, postID string) {
	t.Helper()
	ids, _, _ := htmlIDs(fragment)
	want := []struct {
		section, text, html string
		refs                int
	}{
		{"sleep-cycles", "Infant cycles last about 50 minutes.", "<p>Adults’ cycles last about 90 minutes.</p>", 2},
		{"night-feeds", "Most babies still feed at night at six months. Many stop by nine.", "<p>Ask your health visitor about <em>your</em> baby.</p>", 1},
		{"settling", "Put the baby down drowsy.", `<p>Drowsy, not asleep: see <a href="https://www.aap.org/">the AAP</a>.</p>`, 1},
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d footnotes, want %d: %+v", where, len(got), len(want), got)
	}
	for i, w := range want {
		f, n := got[i], strconv.Itoa(i+1)
		if f.Number != i+1 || f.ID != "fn-"+postID+"-"+n || f.RefID != "fnref-"+postID+"-"+n || len(f.RefIDs) != w.refs ||
			f.Section != w.section || f.Paragraph.Text != w.text || f.HTML != w.html {
			t.Errorf("%s: footnote %d = %+v, want section %q, text %q, html %q, %d markers", where, i+1, f, w.section, w.text, w.html, w.refs)
		}
		for _, id := range append([]string{f.ID}, f.RefIDs...) {
			if !slices.Contains(ids, id) {
				t.Errorf("%s: footnote %d names %s, which is not in the html", where, i+1, id)
			}
		}
		// Paragraph.Index counts the top-level elements of the html.
		doc, err := xhtml.Parse(strings.NewReader(fragment))
		if err != nil {
			t.Fatal(err)
		}
		body := doc.FirstChild.LastChild // <html><head/><body>
		k := 0
		var block *xhtml.Node
		for c := body.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xhtml.ElementNode {
				if k == f.Paragraph.Index {
					block = c
				}
				k++
			}
		}
		if block == nil || !containsID(block, f.RefID) {
			t.Errorf("%s: footnote %d: top-level element %d does not hold %s", where, i+1, f.Paragraph.Index, f.RefID)
		}
	}
}

// containsID reports whether n or an element under it has the id.
func containsID(n *xhtml.Node, id string) bool {
	for _, a := range n.Attr {
		if a.Key == "id" && a.Val == id {
			return true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if containsID(c, id) {
			return true
		}
	}
	return false
}
