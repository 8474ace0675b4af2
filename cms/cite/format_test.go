package cite_test

import (
	"encoding/json"
	"errors"
	"html"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/lullabycms/lullaby/cms/cite"
)

func pn(family, given string) cite.Name { return cite.Name{Family: family, Given: given} }
func org(name string) cite.Name         { return cite.Name{Literal: name} }

// wantText drops the italic markers.
func wantText(marked string) string { return strings.ReplaceAll(marked, "*", "") }

// wantHTML escapes the marked form, turns *…* into <i>…</i> and the last
// word, when it is a DOI or URL, into a link.
func wantHTML(marked string) string {
	link := ""
	if i := strings.LastIndexByte(marked, ' '); i >= 0 {
		last := marked[i+1:]
		switch {
		case strings.HasPrefix(last, "doi:"):
			link = `<a href="https://doi.org/` + html.EscapeString(last[4:]) + `">` + html.EscapeString(last) + `</a>`
		case strings.HasPrefix(last, "https://") || strings.HasPrefix(last, "http://"):
			link = `<a href="` + html.EscapeString(last) + `">` + html.EscapeString(last) + `</a>`
		}
		if link != "" {
			marked = marked[:i+1]
		}
	}
	parts := strings.Split(marked, "*")
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			if i%2 == 1 {
				b.WriteString("<i>")
			} else {
				b.WriteString("</i>")
			}
		}
		b.WriteString(html.EscapeString(p))
	}
	return b.String() + link
}

// checkFormatted compares got with the marked form written by hand.
func checkFormatted(t *testing.T, style string, got cite.Formatted, marked string) {
	t.Helper()
	if w := wantText(marked); got.Text != w {
		t.Errorf("%s text\n got: %s\nwant: %s", style, got.Text, w)
	}
	if w := wantHTML(marked); got.HTML != w {
		t.Errorf("%s HTML\n got: %s\nwant: %s", style, got.HTML, w)
	}
}

func TestCitationFormatRealReferences(t *testing.T) {
	if len(realReferences) < 30 {
		t.Fatalf("only %d real references: the issue asks for at least 30", len(realReferences))
	}
	types := map[cite.Type]int{}
	for _, rr := range realReferences {
		t.Run(rr.name, func(t *testing.T) {
			c := rr.c
			c.Normalize()
			types[c.Type]++
			checkFormatted(t, "APA", cite.FormatAPA(&c), rr.apa)
			checkFormatted(t, "AMA", cite.FormatAMA(&c), rr.ama)
		})
	}
	for _, typ := range []cite.Type{cite.Article, cite.Book, cite.Chapter, cite.Report, cite.Webpage} {
		if types[typ] == 0 {
			t.Errorf("no real reference of type %s", typ)
		}
	}
}

// A few HTML forms written out in full, independent of wantHTML.
func TestCitationFormatHTMLExact(t *testing.T) {
	byName := map[string]cite.Reference{}
	for _, rr := range realReferences {
		c := rr.c
		c.Normalize()
		byName[rr.name] = c
	}
	tests := []struct {
		name, style, want string
	}{
		{"price2012 four authors", "APA", `Price, A. M. H., Wake, M., Ukoumunne, O. C., &amp; Hiscock, H. (2012). Five-year follow-up of harms and benefits of behavioral infant sleep intervention: Randomized trial. <i>Pediatrics</i>, <i>130</i>(4), 643–651. <a href="https://doi.org/10.1542/peds.2011-3467">https://doi.org/10.1542/peds.2011-3467</a>`},
		{"price2012 four authors", "AMA", `Price AMH, Wake M, Ukoumunne OC, Hiscock H. Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial. <i>Pediatrics</i>. 2012;130(4):643-651. <a href="https://doi.org/10.1542/peds.2011-3467">doi:10.1542/peds.2011-3467</a>`},
		{"paruthi2016 thirteen authors apostrophe", "AMA", `Paruthi S, Brooks LJ, D&#39;Ambrosio C, et al. Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine. <i>J Clin Sleep Med</i>. 2016;12(6):785-786. <a href="https://doi.org/10.5664/jcsm.5866">doi:10.5664/jcsm.5866</a>`},
		{"douglas2013 two authors", "APA", `Douglas, P. S., &amp; Hill, P. S. (2013). Behavioral sleep interventions in the first six months of life do not improve outcomes for mothers or infants: A systematic review. <i>Journal of Developmental &amp; Behavioral Pediatrics</i>, <i>34</i>(7), 497–507. <a href="https://doi.org/10.1097/DBP.0b013e31829cafa6">https://doi.org/10.1097/DBP.0b013e31829cafa6</a>`},
		{"carskadon2011 chapter", "APA", `Carskadon, M. A., &amp; Dement, W. C. (2011). Normal human sleep: An overview. In M. H. Kryger, T. Roth, &amp; W. C. Dement (Eds.), <i>Principles and practice of sleep medicine</i> (5th ed., pp. 16–26). Elsevier Saunders.`},
		{"kryger2017 edited book", "AMA", `Kryger MH, Roth T, Dement WC, eds. <i>Principles and Practice of Sleep Medicine</i>. 6th ed. Elsevier; 2017.`},
		{"nhs web page author is site", "APA", `NHS. (n.d.). <i>Helping your baby to sleep</i>. Retrieved March 4, 2024, from <a href="https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/">https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/</a>`},
		{"healthychildren web page", "AMA", `American Academy of Pediatrics. How to keep your sleeping baby safe: AAP policy explained. HealthyChildren.org. Accessed March 4, 2024. <a href="https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx">https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx</a>`},
	}
	for _, tt := range tests {
		c, ok := byName[tt.name]
		if !ok {
			t.Fatalf("no reference %q", tt.name)
		}
		got := cite.FormatAPA(&c)
		if tt.style == "AMA" {
			got = cite.FormatAMA(&c)
		}
		if got.HTML != tt.want {
			t.Errorf("%s %s HTML\n got: %s\nwant: %s", tt.name, tt.style, got.HTML, tt.want)
		}
	}
}

// Rules exercised with made-up works (not real references).
func TestCitationFormatAPAAMARules(t *testing.T) {
	many := func(n int) []cite.Name {
		ns := make([]cite.Name, n)
		for i := range ns {
			ns[i] = pn("Author"+string(rune('A'+i%26))+strings.Repeat("x", i/26), "Given Middle")
		}
		return ns
	}
	tests := []struct {
		name     string
		c        cite.Reference
		apa, ama string
	}{
		{
			// 25 placeholder authors (not a real paper): APA gives the
			// first 19, an ellipsis and the last; AMA the first 3.
			name: "APA21PlusAuthors",
			c:    cite.Reference{Type: cite.Article, Authors: many(25), Year: 2020, Title: "A large trial", Container: "Journal", Volume: "1", Pages: "1-2"},
			apa: "AuthorA, G. M., AuthorB, G. M., AuthorC, G. M., AuthorD, G. M., AuthorE, G. M., AuthorF, G. M., AuthorG, G. M., AuthorH, G. M., AuthorI, G. M., AuthorJ, G. M., " +
				"AuthorK, G. M., AuthorL, G. M., AuthorM, G. M., AuthorN, G. M., AuthorO, G. M., AuthorP, G. M., AuthorQ, G. M., AuthorR, G. M., AuthorS, G. M., . . . AuthorY, G. M. (2020). A large trial. *Journal*, *1*, 1–2.",
			ama: "AuthorA GM, AuthorB GM, AuthorC GM, et al. A large trial. *Journal*. 2020;1:1-2.",
		},
		{
			name: "AMASevenAuthors",
			c:    cite.Reference{Type: cite.Article, Authors: many(7), Year: 2020, Title: "Seven", Container: "J"},
			apa:  "AuthorA, G. M., AuthorB, G. M., AuthorC, G. M., AuthorD, G. M., AuthorE, G. M., AuthorF, G. M., & AuthorG, G. M. (2020). Seven. *J*.",
			ama:  "AuthorA GM, AuthorB GM, AuthorC GM, et al. Seven. *J*. 2020.",
		},
		{
			name: "WebPageDatedHyphenatedGiven",
			c: cite.Reference{Type: cite.Webpage, Authors: []cite.Name{pn("Dupont", "Jean-Pierre")}, Year: 2023, Month: 3, Day: 4,
				Title: "Why do babies wake?", Container: "Sleep Blog", URL: "https://example.org/wake?x=1&y=2", Accessed: "2024-01-02"},
			apa: "Dupont, J.-P. (2023, March 4). *Why do babies wake?* Sleep Blog. https://example.org/wake?x=1&y=2",
			ama: "Dupont J-P. Why do babies wake? Sleep Blog. Published March 4, 2023. Accessed January 2, 2024. https://example.org/wake?x=1&y=2",
		},
		{
			name: "NoAuthorNoDate",
			c:    cite.Reference{Type: cite.Report, Title: "Untitled guidance", Publisher: "Some Agency"},
			apa:  "*Untitled guidance*. (n.d.). Some Agency.",
			ama:  "*Untitled guidance*. Some Agency.",
		},
		{
			name: "ChapterOneEditorSinglePage",
			c: cite.Reference{Type: cite.Chapter, Authors: []cite.Name{pn("Smith", "Ann")}, Editors: []cite.Name{pn("Jones", "Bob")}, Year: 2001,
				Title: "A chapter", Container: "A Book", Pages: "7", Publisher: "Press"},
			apa: "Smith, A. (2001). A chapter. In B. Jones (Ed.), *A book* (p. 7). Press.",
			ama: "Smith A. A chapter. In: Jones B, ed. *A Book*. Press; 2001:7.",
		},
		{
			name: "ChapterTwoEditors",
			c: cite.Reference{Type: cite.Chapter, Authors: []cite.Name{pn("Smith", "Ann")}, Editors: []cite.Name{pn("Jones", "Bob"), pn("Brown", "Cy")}, Year: 2001,
				Title: "A chapter", Container: "A Book", Pages: "7--9", Publisher: "Press"},
			apa: "Smith, A. (2001). A chapter. In B. Jones & C. Brown (Eds.), *A book* (pp. 7–9). Press.",
			ama: "Smith A. A chapter. In: Jones B, Brown C, eds. *A Book*. Press; 2001:7-9.",
		},
		{
			name: "PubMedStyleInitials",
			c:    cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Price", "AMH")}, Year: 2012, Title: "T", Container: "J"},
			apa:  "Price, A. M. H. (2012). T. *J*.",
			ama:  "Price AMH. T. *J*. 2012.",
		},
		{
			name: "AbbreviatedPagesInFull",
			c:    cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Mindell", "Jodi A")}, Year: 2006, Title: "T", Container: "Sleep", Volume: "29", Issue: "10", Pages: "1263--76"},
			apa:  "Mindell, J. A. (2006). T. *Sleep*, *29*(10), 1263–1276.",
			ama:  "Mindell JA. T. *Sleep*. 2006;29(10):1263-1276.",
		},
		{
			name: "BadURLLeftOut",
			c:    cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("Org")}, Year: 2020, Title: "T", URL: "javascript:alert(1)"},
			apa:  "Org. (2020). *T*.",
			ama:  "Org. T. Published 2020.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, m := cite.FormatAPA(&tt.c), cite.FormatAMA(&tt.c)
			if w := wantText(tt.apa); a.Text != w {
				t.Errorf("APA\n got: %s\nwant: %s", a.Text, w)
			}
			if w := wantHTML(tt.apa); a.HTML != w {
				t.Errorf("APA HTML\n got: %s\nwant: %s", a.HTML, w)
			}
			if w := wantText(tt.ama); m.Text != w {
				t.Errorf("AMA\n got: %s\nwant: %s", m.Text, w)
			}
			if w := wantHTML(tt.ama); m.HTML != w {
				t.Errorf("AMA HTML\n got: %s\nwant: %s", m.HTML, w)
			}
		})
	}
}

func TestCitationFormatHTMLInTitleIsEscaped(t *testing.T) {
	c := cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("<b>Evil</b>", "<script>")}, Year: 2020,
		Title: `<script>alert("x")</script> & <img src=x onerror=alert(1)>`, Container: "<i>J</i>", DOI: `10.1234/a"><script>`}
	for _, f := range []cite.Formatted{cite.FormatAPA(&c), cite.FormatAMA(&c)} {
		if strings.Contains(f.HTML, "<script") || strings.Contains(f.HTML, "<img") || strings.Contains(f.HTML, "<b>") {
			t.Errorf("unescaped HTML: %s", f.HTML)
		}
		if !strings.Contains(f.Text, `<script>alert("x")</script> & <img src=x onerror=alert(1)>`) {
			t.Errorf("text lost the title as entered: %s", f.Text)
		}
		if !strings.Contains(f.HTML, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;`) {
			t.Errorf("title not escaped as expected: %s", f.HTML)
		}
		if !strings.Contains(f.HTML, `href="https://doi.org/10.1234/a%22%3E%3Cscript%3E"`) {
			t.Errorf("DOI link not encoded: %s", f.HTML)
		}
	}
}

func TestCitationAPAInText(t *testing.T) {
	one := cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Sadeh", "Avi")}, Year: 2011}
	two := cite.Reference{Type: cite.Article, Authors: []cite.Name{pn("Price", "A"), pn("Smith", "B")}, Year: 2012}
	four := realReferences[8].c
	orgc := cite.Reference{Type: cite.Report, Authors: []cite.Name{org("World Health Organization")}, Year: 2019}
	nd := cite.Reference{Type: cite.Webpage, Authors: []cite.Name{org("NHS")}}
	noAuthor := cite.Reference{Type: cite.Article, Title: "Sleep facts", Year: 2001}
	edited := cite.Reference{Type: cite.Book, Editors: []cite.Name{pn("Kryger", "M"), pn("Roth", "T"), pn("Dement", "W")}, Year: 2017}
	tests := []struct {
		c       cite.Reference
		locator string
		want    string
	}{
		{one, "", "Sadeh, 2011"},
		{two, "", "Price & Smith, 2012"},
		{four, "", "Price et al., 2012"},
		{four, "p. 645", "Price et al., 2012, p. 645"},
		{orgc, "", "World Health Organization, 2019"},
		{nd, "", "NHS, n.d."},
		{noAuthor, "", "“Sleep facts”, 2001"},
		{edited, "pp. 3–4", "Kryger et al., 2017, pp. 3–4"},
	}
	for _, tt := range tests {
		if got := cite.APAInText(&tt.c, tt.locator); got != tt.want {
			t.Errorf("APAInText(%v, %q) = %q, want %q", tt.c.Authors, tt.locator, got, tt.want)
		}
	}
}

func TestCitationCSLJSON(t *testing.T) {
	c := realReferences[8].c // price2012
	c.Key, c.PMID = "price2012", "22966034"
	got, err := json.Marshal(cite.CSLJSON(&c))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"price2012","type":"article-journal","title":"Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial","container-title":"Pediatrics",` +
		`"author":[{"family":"Price","given":"Anna M. H."},{"family":"Wake","given":"Melissa"},{"family":"Ukoumunne","given":"Obioha C."},{"family":"Hiscock","given":"Harriet"}],` +
		`"issued":{"date-parts":[[2012]]},"volume":"130","issue":"4","page":"643–651","DOI":"10.1542/peds.2011-3467","PMID":"22966034"}`
	if string(got) != want {
		t.Errorf("CSL-JSON\n got: %s\nwant: %s", got, want)
	}

	web := realReferences[len(realReferences)-1].c
	web.Key = "aap-nd"
	web.Year, web.Month, web.Day = 2023, 3, 4
	got, _ = json.Marshal(cite.CSLJSON(&web))
	want = `{"id":"aap-nd","type":"webpage","title":"How to keep your sleeping baby safe: AAP policy explained","container-title":"HealthyChildren.org","author":[{"literal":"American Academy of Pediatrics"}],` +
		`"issued":{"date-parts":[[2023,3,4]]},"accessed":{"date-parts":[[2024,3,4]]},"URL":"https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx"}`
	if string(got) != want {
		t.Errorf("CSL-JSON\n got: %s\nwant: %s", got, want)
	}

	ch := realReferences[len(realReferences)-4].c // carskadon2011 chapter
	it := cite.CSLJSON(&ch)
	if it.Type != "chapter" || len(it.Editor) != 3 || it.Editor[0].Family != "Kryger" || it.Edition != "5" || it.Page != "16–26" {
		t.Errorf("chapter CSL item: %+v", it)
	}
}

// checkImported runs everything a parsed citation goes through and checks
// that the HTML is safe: only <i> and <a href="http(s)://…"> tags, no
// script, no javascript: in any attribute, and the same words as the text.
func checkImported(t *testing.T, c *cite.Reference) {
	t.Helper()
	_ = cite.APAInText(c, "p. 1")
	if _, err := json.Marshal(cite.CSLJSON(c)); err != nil {
		t.Fatalf("CSL-JSON: %v", err)
	}
	for _, f := range []cite.Formatted{cite.FormatAPA(c), cite.FormatAMA(c)} {
		checkSafeHTML(t, f)
	}
}

func checkSafeHTML(t *testing.T, f cite.Formatted) {
	t.Helper()
	if strings.Contains(strings.ToLower(f.HTML), "<script") {
		t.Fatalf("<script in %q", f.HTML)
	}
	var text strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(f.HTML))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case xhtml.TextToken:
			text.WriteString(tok.Data)
		case xhtml.StartTagToken, xhtml.EndTagToken:
			switch tok.Data {
			case "i":
				if len(tok.Attr) > 0 {
					t.Fatalf("attributes on <i> in %q", f.HTML)
				}
			case "a":
				if tt == xhtml.EndTagToken {
					break
				}
				if len(tok.Attr) != 1 || tok.Attr[0].Key != "href" {
					t.Fatalf("unexpected attributes %v in %q", tok.Attr, f.HTML)
				}
				h := tok.Attr[0].Val
				if !strings.HasPrefix(h, "https://") && !strings.HasPrefix(h, "http://") || strings.Contains(strings.ToLower(h), "javascript:") {
					t.Fatalf("unsafe href %q in %q", h, f.HTML)
				}
			default:
				t.Fatalf("unexpected tag <%s> in %q", tok.Data, f.HTML)
			}
		default:
			t.Fatalf("unexpected token %v in %q", tt, f.HTML)
		}
	}
	if text.String() != f.Text {
		t.Fatalf("HTML text differs from Text\nhtml: %q\ntext: %q", text.String(), f.Text)
	}
}

// isCiteError reports whether err is cite's own error value.
func isCiteError(err error) bool {
	var ce *cite.Error
	return errors.As(err, &ce) && ce.Message != "" && ce.Field == "text"
}

// isTooLarge reports whether err is cite's error for input over the limits.
func isTooLarge(err error) bool {
	var ce *cite.Error
	return errors.As(err, &ce) && ce.TooLarge
}
