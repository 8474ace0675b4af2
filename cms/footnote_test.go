package cms

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// secondMarker is a second marker's id or link with the post id taken
// out ("fnref:1-2"), to turn back into goldmark's ("fnref1:1").
var secondMarker = regexp.MustCompile(`fnref:(\d+)-2"`)

func TestPostFootnotes(t *testing.T) {
	const id = "65f0c0ffee0000000000abcd"
	tests := []struct {
		name, body, postID string
		want               []Footnote
		html               []string // in the HTML
		notHTML            []string // not in the HTML
	}{
		{name: "None", body: "No notes here. A link to [#fn:1](#fn:1) stays.", postID: id, want: nil,
			html: []string{`href="#fn:1"`}},
		{name: "ThreeSections", postID: id,
			body: "# One\n\nFirst.[^a]\n\n## Two\n\nSecond[^b] with *emphasis*.\n\n## Three\n\n- Third.[^c]\n\n" +
				"[^a]: Note **a**.\n[^b]: Note b.\n[^c]: Note c, see [AAP](https://aap.org).\n",
			want: []Footnote{
				{Number: 1, ID: "fn-" + id + "-1", HTML: "<p>Note <strong>a</strong>.</p>", RefID: "fnref-" + id + "-1",
					RefIDs: []string{"fnref-" + id + "-1"}, Paragraph: FootnoteParagraph{Index: 1, Text: "First."}, Section: "one"},
				{Number: 2, ID: "fn-" + id + "-2", HTML: "<p>Note b.</p>", RefID: "fnref-" + id + "-2",
					RefIDs: []string{"fnref-" + id + "-2"}, Paragraph: FootnoteParagraph{Index: 3, Text: "Second with emphasis."}, Section: "two"},
				{Number: 3, ID: "fn-" + id + "-3", HTML: `<p>Note c, see <a href="https://aap.org">AAP</a>.</p>`,
					RefID: "fnref-" + id + "-3", RefIDs: []string{"fnref-" + id + "-3"}, Paragraph: FootnoteParagraph{Index: 5, Text: "Third."}, Section: "three"},
			},
			html: []string{`<sup id="fnref-` + id + `-1"><a href="#fn-` + id + `-1"`, `<li id="fn-` + id + `-3">`,
				`<a href="#fnref-` + id + `-2" class="footnote-backref"`},
			notHTML: []string{"fn:", "fnref:"}},
		{name: "CitedTwice", postID: "abc", body: "Once[^n] and twice[^n].\n\n[^n]: The note.\n",
			want: []Footnote{{Number: 1, ID: "fn-abc-1", HTML: "<p>The note.</p>", RefID: "fnref-abc-1",
				RefIDs: []string{"fnref-abc-1", "fnref-abc-1-2"}, Paragraph: FootnoteParagraph{Index: 0, Text: "Once and twice."}}},
			html: []string{`<sup id="fnref-abc-1-2">`, `<a href="#fnref-abc-1-2" class="footnote-backref"`}},
		{name: "TwoParagraphNote", postID: "abc", body: "Text.[^long]\n\n[^long]: First part.\n\n    Second part.\n",
			want: []Footnote{{Number: 1, ID: "fn-abc-1", HTML: "<p>First part.</p>\n<p>Second part.</p>", RefID: "fnref-abc-1",
				RefIDs: []string{"fnref-abc-1"}, Paragraph: FootnoteParagraph{Index: 0, Text: "Text."}}}},
		{name: "NumberedByFirstCitation", postID: "p", body: "B first[^b], then a[^a].\n\n[^a]: A.\n[^b]: B.\n",
			want: []Footnote{
				{Number: 1, ID: "fn-p-1", HTML: "<p>B.</p>", RefID: "fnref-p-1", RefIDs: []string{"fnref-p-1"},
					Paragraph: FootnoteParagraph{Text: "B first, then a."}},
				{Number: 2, ID: "fn-p-2", HTML: "<p>A.</p>", RefID: "fnref-p-2", RefIDs: []string{"fnref-p-2"},
					Paragraph: FootnoteParagraph{Text: "B first, then a."}},
			}},
		{name: "NoPostID", postID: "", body: "Text.[^1]\n\n[^1]: Note.\n",
			want: []Footnote{{Number: 1, ID: "fn-1", HTML: "<p>Note.</p>", RefID: "fnref-1", RefIDs: []string{"fnref-1"},
				Paragraph: FootnoteParagraph{Text: "Text."}}},
			html: []string{`<li id="fn-1">`, `href="#fnref-1"`}},
		{name: "UnsafePostID", postID: `x"><script>`, body: "Text.[^1]\n\n[^1]: Note.\n",
			want: []Footnote{{Number: 1, ID: "fn-xscript-1", HTML: "<p>Note.</p>", RefID: "fnref-xscript-1", RefIDs: []string{"fnref-xscript-1"},
				Paragraph: FootnoteParagraph{Text: "Text."}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := RenderMarkdown(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			html, got := PostFootnotes(r.HTML, tt.postID)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("footnotes\ngot  %+v\nwant %+v", got, tt.want)
			}
			for _, s := range tt.html {
				if !strings.Contains(html, s) {
					t.Errorf("the HTML lacks %q:\n%s", s, html)
				}
			}
			for _, s := range tt.notHTML {
				if strings.Contains(html, s) {
					t.Errorf("the HTML still has %q:\n%s", s, html)
				}
			}
			// Only the ids and links change: undoing them gives the input.
			undo := strings.NewReplacer("fnref-"+tt.postID+"-", "fnref:", "fn-"+tt.postID+"-", "fn:")
			if tt.postID == "" || strings.ContainsAny(tt.postID, `"<`) {
				return
			}
			back := secondMarker.ReplaceAllString(undo.Replace(html), `fnref1:$1"`)
			if back != r.HTML {
				t.Errorf("more than the footnote ids changed:\ngot  %s\nwant %s", back, r.HTML)
			}
			// Every link to a footnote or a marker has its target.
			for _, fn := range got {
				for _, id := range append([]string{fn.ID}, fn.RefIDs...) {
					if !strings.Contains(html, `id="`+id+`"`) || !strings.Contains(html, `href="#`+id+`"`) {
						t.Errorf("%s is not both an id and a link's target:\n%s", id, html)
					}
				}
			}
		})
	}
}
