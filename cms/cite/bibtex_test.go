package cite_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cite"
)

// A Zotero "Better BibTeX"-style export of a journal article.
const zoteroArticle = `
@article{price2012,
	title = {Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial},
	volume = {130},
	issn = {0031-4005},
	shorttitle = {Five-year follow-up},
	url = {https://publications.aap.org/pediatrics/article/130/4/643/30277},
	doi = {10.1542/peds.2011-3467},
	number = {4},
	urldate = {2024-03-04},
	journal = {Pediatrics},
	author = {Price, Anna M. H. and Wake, Melissa and Ukoumunne, Obioha C. and Hiscock, Harriet},
	month = oct,
	year = {2012},
	pmid = {22966034},
	pages = {643--651},
}
`

func TestParseBibTeXZoteroArticle(t *testing.T) {
	cs, err := cite.ParseBibTeX(zoteroArticle)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("got %d citations", len(cs))
	}
	want := cite.Reference{Key: "price2012", Type: cite.Article,
		Authors: []cite.Name{pn("Price", "Anna M. H."), pn("Wake", "Melissa"), pn("Ukoumunne", "Obioha C."), pn("Hiscock", "Harriet")},
		Year:    2012, Month: 10,
		Title:     "Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial",
		Container: "Pediatrics", Volume: "130", Issue: "4", Pages: "643-651", DOI: "10.1542/peds.2011-3467", PMID: "22966034",
		URL: "https://publications.aap.org/pediatrics/article/130/4/643/30277", Accessed: "2024-03-04"}
	if !reflect.DeepEqual(cs[0], want) {
		t.Errorf("got  %+v\nwant %+v", cs[0], want)
	}
	apa := cite.FormatAPA(&cs[0]).Text
	if wantAPA := "Price, A. M. H., Wake, M., Ukoumunne, O. C., & Hiscock, H. (2012). Five-year follow-up of harms and benefits of behavioral infant sleep intervention: Randomized trial. Pediatrics, 130(4), 643–651. https://doi.org/10.1542/peds.2011-3467"; apa != wantAPA {
		t.Errorf("APA\n got: %s\nwant: %s", apa, wantAPA)
	}
}

func TestParseBibTeXAccents(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{\"o}`, "ö"},
		{`\"o`, "ö"},
		{`\"{o}`, "ö"},
		{`\'e`, "é"},
		{`{\'e}`, "é"},
		{`\'{\i}`, "í"},
		{`\'\i`, "í"},
		{`\~n`, "ñ"},
		{`\c{c}`, "ç"},
		{`\c c`, "ç"},
		{`{\ss}`, "ß"},
		{`Stra{\ss}e`, "Straße"},
		{`\v{S}koda`, "Škoda"},
		{`\aa{}ngstr\"om`, "ångström"},
		{`{\o}`, "ø"},
		{`\AE{}sop`, "Æsop"},
		{`\H{o}`, "ő"},
		{"\\`a", "à"},
		{`\^o`, "ô"},
		{`\l{}\'od\'z`, "łódź"},
		{`10--20`, "10–20"},
		{`a---b`, "a—b"},
		{`Smith \& Sons`, "Smith & Sons"},
		{`50\% of {DNA}`, "50% of {DNA}"}, // braces: keep the case
		{`\emph{Sleep} matters`, "{Sleep} matters"},
		{`\textit{in vivo}`, "{in vivo}"},
		{`Sleep~Med`, "Sleep Med"},
		{`$\alpha$-wave`, "α-wave"},
		{`\unknown{kept}`, "{kept}"},
	}
	for _, tt := range tests {
		src := "@article{k, title = {" + tt.in + "}}"
		cs, err := cite.ParseBibTeX(src)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if cs[0].Title != tt.want {
			t.Errorf("%s: title %q, want %q", tt.in, cs[0].Title, tt.want)
		}
	}
}

func TestParseBibTeXNames(t *testing.T) {
	src := `@book{k, author = {Price, Anna M. H. and Ludwig van Beethoven and {World Health Organization} and
	  Jean-Pierre Dupont and de la Fontaine, Jean and M{\"u}ller, J{\"o}rg and King, Jr., Martin Luther and {\"O}zt{\"u}rk, Ay{\c{s}}e and
	  {Barnes and Noble} and Plato and others}, editor = "Kryger, M. H. AND Roth, T.", title = {T}}`
	cs, err := cite.ParseBibTeX(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []cite.Name{
		pn("Price", "Anna M. H."), pn("van Beethoven", "Ludwig"), org("World Health Organization"), pn("Dupont", "Jean-Pierre"),
		pn("de la Fontaine", "Jean"), pn("Müller", "Jörg"), pn("King Jr.", "Martin Luther"), pn("Öztürk", "Ayşe"),
		org("Barnes and Noble"), pn("Plato", ""),
	}
	if !reflect.DeepEqual(cs[0].Authors, want) {
		t.Errorf("authors\n got %+v\nwant %+v", cs[0].Authors, want)
	}
	if wantEd := []cite.Name{pn("Kryger", "M. H."), pn("Roth", "T.")}; !reflect.DeepEqual(cs[0].Editors, wantEd) {
		t.Errorf("editors %+v, want %+v", cs[0].Editors, wantEd)
	}
}

func TestParseBibTeXMacrosAndConcatenation(t *testing.T) {
	src := `
% A comment line; text between entries is ignored.
@string{ped = "Pediatrics"}
@STRING(aap = {American Academy} # " of " # {Pediatrics})
@preamble{"\newcommand{\noop}[1]{}"}
@comment{ anything {nested} here }
@Article{Gradisar2016,
  author  = "Gradisar, Michael and Jackson, Kate and Spurrier, Nicola J. and Gibson, Joyce and Whitham, Justine and Williams, Anne Sved and Dolby, Robyn and Kennaway, David J.",
  title   = "Behavioral interventions for infant sleep problems: " # {a randomized {controlled} trial},
  journal = ped,
  year    = 2016,
  month   = jun,
  volume  = 137,
  number  = "6",
  eid     = {e20151486},
  doi     = {https://doi.org/10.1542/peds.2015-1486},
}
@misc{aap-safe-sleep,
  author = {{American Academy of Pediatrics}},
  title = {How to keep your sleeping baby safe},
  howpublished = {\url{https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx}},
  organization = aap,
  note = {Accessed 2024-03-04},
  year = {n.d.}
}`
	cs, err := cite.ParseBibTeX(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("got %d citations, want 2", len(cs))
	}
	g := cs[0]
	if g.Key != "gradisar2016" || g.Type != cite.Article || g.Container != "Pediatrics" || g.Year != 2016 || g.Month != 6 ||
		g.Volume != "137" || g.Issue != "6" || g.ArticleNumber != "e20151486" || g.DOI != "10.1542/peds.2015-1486" ||
		g.Title != "Behavioral interventions for infant sleep problems: a randomized {controlled} trial" || len(g.Authors) != 8 {
		t.Errorf("gradisar: %+v", g)
	}
	if got, want := cite.FormatAMA(&g).Text, "Gradisar M, Jackson K, Spurrier NJ, et al. Behavioral interventions for infant sleep problems: a randomized controlled trial. Pediatrics. 2016;137(6):e20151486. doi:10.1542/peds.2015-1486"; got != want {
		t.Errorf("AMA\n got: %s\nwant: %s", got, want)
	}
	w := cs[1]
	if w.Type != cite.Webpage || w.Container != "American Academy of Pediatrics" || w.Year != 0 ||
		w.URL != "https://www.healthychildren.org/English/ages-stages/baby/sleep/Pages/A-Parents-Guide-to-Safe-Sleep.aspx" ||
		!reflect.DeepEqual(w.Authors, []cite.Name{org("American Academy of Pediatrics")}) {
		t.Errorf("web page: %+v", w)
	}
}

func TestParseBibTeXTypes(t *testing.T) {
	src := `
@incollection{carskadon2011,
  author = {Carskadon, Mary A. and Dement, William C.},
  title = {Normal human sleep: an overview},
  booktitle = {Principles and Practice of Sleep Medicine},
  editor = {Kryger, Meir H. and Roth, Thomas and Dement, William C.},
  edition = {5},
  pages = {16--26},
  publisher = {Elsevier Saunders},
  address = {St. Louis},
  year = {2011}
}
@inbook{classic, author = {A, B}, title = {The Book}, chapter = {The Chapter}, year = 2000}
@inbook{numbered, author = {A, B}, title = {The Book}, chapter = {3}, year = 2000}
@techreport{who2019, author = {{World Health Organization}}, title = {Guidelines}, institution = {World Health Organization}, number = {WHO/1}, year = {2019}}
@phdthesis{t, author = {Doe, Jane}, title = {Infant sleep}, school = {University of Somewhere}, year = {2010}}
@online{nhs, author = {{NHS}}, title = {Helping your baby to sleep}, url = {https://www.nhs.uk/x_y\%20z}, urldate = {2024-03-04}, date = {2023-05-17}}
@book{ferber, author = {Ferber, Richard}, title = {Solve Your Child's Sleep Problems}, edition = {Revised}, publisher = {Fireside}, year = {2006}}
`
	cs, err := cite.ParseBibTeX(src)
	if err != nil {
		t.Fatal(err)
	}
	types := []cite.Type{cite.Chapter, cite.Chapter, cite.Book, cite.Report, cite.Report, cite.Webpage, cite.Book}
	if len(cs) != len(types) {
		t.Fatalf("got %d citations", len(cs))
	}
	for i, typ := range types {
		if cs[i].Type != typ {
			t.Errorf("entry %d (%s): type %s, want %s", i, cs[i].Key, cs[i].Type, typ)
		}
	}
	if got, want := cite.FormatAPA(&cs[0]).Text, "Carskadon, M. A., & Dement, W. C. (2011). Normal human sleep: An overview. In M. H. Kryger, T. Roth, & W. C. Dement (Eds.), Principles and practice of sleep medicine (5th ed., pp. 16–26). Elsevier Saunders."; got != want {
		t.Errorf("chapter APA\n got: %s\nwant: %s", got, want)
	}
	if cs[0].PublisherPlace != "St. Louis" {
		t.Errorf("place %q", cs[0].PublisherPlace)
	}
	if cs[1].Title != "The Chapter" || cs[1].Container != "The Book" {
		t.Errorf("classic inbook: %+v", cs[1])
	}
	if cs[3].Publisher != "World Health Organization" || cs[3].ArticleNumber != "WHO/1" {
		t.Errorf("techreport: %+v", cs[3])
	}
	if cs[4].Publisher != "University of Somewhere" {
		t.Errorf("thesis: %+v", cs[4])
	}
	n := cs[5]
	if n.Year != 2023 || n.Month != 5 || n.Day != 17 || n.Accessed != "2024-03-04" || n.URL != "https://www.nhs.uk/x_y%20z" {
		t.Errorf("online: %+v", n)
	}
}

func TestParseBibTeXErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"ErrUnbalanced", "\n\n@article{k,\n  title = {Unclosed,\n  year = 2012\n}\n", "unbalanced braces in entry starting at line 3"},
		{"ErrUnbalancedBeforeNext", "@article{a, title = {Open\n\n@article{b, title = {B}}", "unbalanced braces in entry starting at line 1"},
		{"ErrExtraClose", "@article{k, title = {A}}}, year = 2012}", ""}, // text after an entry is a comment: not an error
		{"ErrNoEnd", "@article{k, title = {A}", "unbalanced braces in entry starting at line 1"},
		{"ErrQuote", "@article{k, title = \"Unclosed}", "line 1"},
		{"ErrMissingComma", "@article{k, title = {A} year = 2012}", "expected ',' or the end of the entry"},
		{"ErrNoEntries", "just some text", "No BibTeX entries found"},
		{"ErrEmpty", "", "No BibTeX entries found"},
		{"ErrNoKey", "@article{title = {A}}", "no citation key"},
		{"ErrMissingBrace", "@article key, title = {A}", "expected '{' after @article"},
		{"StrayAtIsText", "Mail me@example.org.\n@misc(k, title = \"A {\"}quoted{\"} word\", year = 2001)", ""},
		{"ErrTooLarge", "@article{k, title = {" + strings.Repeat("x", 1<<20) + "}}", "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cite.ParseBibTeX(tt.src)
			if tt.want == "" {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if !isCiteError(err) {
				t.Errorf("not a *cite.Error: %#v", err)
			}
		})
	}
}

func TestParseBibTeXLimits(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 501; i++ {
		b.WriteString("@misc{k, title = {T}}\n")
	}
	if _, err := cite.ParseBibTeX(b.String()); !isTooLarge(err) {
		t.Errorf("501 entries: %v", err)
	}
	names := strings.TrimSuffix(strings.Repeat("A, B and ", 2001), " and ")
	if _, err := cite.ParseBibTeX("@article{k, title = {T}, author = {" + names + "}}"); err == nil || !strings.Contains(err.Error(), "more than 2000 names") {
		t.Errorf("2001 authors: %v", err)
	}
	// @string macros doubled again and again, then used many times.
	var bomb strings.Builder
	bomb.WriteString("@string{m0 = \"x\"}\n")
	for i := 1; i <= 19; i++ {
		fmt.Fprintf(&bomb, "@string{m%d = m%d # m%d}\n", i, i-1, i-1)
	}
	bomb.WriteString("@article{k, title = {T}")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&bomb, ", f%d = m19", i)
	}
	bomb.WriteString("}")
	start := time.Now()
	if _, err := cite.ParseBibTeX(bomb.String()); err == nil || !strings.Contains(err.Error(), "more than 4 MiB") {
		t.Errorf("macro bomb: %v", err)
	}
	if _, err := cite.ParseBibTeX("@string{m0 = \"xxxxxxxxxx\"}\n" + strings.Repeat("@string{m0 = m0 # m0}\n", 20)); err == nil || !strings.Contains(err.Error(), "value too long") {
		t.Errorf("macro doubling: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("macro bombs took %v", d)
	}
	deep := strings.Repeat("{", 5000) + "x" + strings.Repeat("}", 5000)
	cs, err := cite.ParseBibTeX("@article{k, title = " + deep + "}")
	if err != nil || cs[0].Title != "x" {
		t.Errorf("deep braces: %v %+v", err, cs)
	}
	deepAccent := strings.Repeat(`\'{`, 3000) + "e" + strings.Repeat("}", 3000)
	if _, err := cite.ParseBibTeX("@article{k, title = {" + deepAccent + "}}"); err != nil {
		t.Errorf("deep accents: %v", err)
	}
}

func FuzzParseBibTeX(f *testing.F) {
	f.Add(zoteroArticle)
	f.Add("@article{k, title = {\\\"o} # \" and \" # jan, author = {{Org} and van der Berg, J. and Jean Dupont}}")
	f.Fuzz(func(t *testing.T, src string) {
		cs, err := cite.ParseBibTeX(src)
		if err != nil {
			if !isCiteError(err) {
				t.Fatalf("not a *cite.Error: %#v", err)
			}
			return
		}
		for i := range cs {
			checkImported(t, &cs[i])
		}
	})
}

func TestParseBibTeXParenthesesAndQuotes(t *testing.T) {
	cs, err := cite.ParseBibTeX("Mail me@example.org.\n@misc(K1, title = \"A {\"}quoted{\"} word\", year = \"2001\", month = {Oct.},)")
	if err != nil {
		t.Fatal(err)
	}
	if c := cs[0]; c.Key != "k1" || c.Title != `A "quoted" word` || c.Year != 2001 || c.Month != 10 || c.Type != cite.Report {
		t.Errorf("%+v", c)
	}
}

// BibTeX's case-protecting braces survive import as the keep-case marker
// of stored titles: sentence case keeps what they hold, and no output
// shows them. A title wholly in braces (an exporter's habit) is a plain
// title; a braced accent is a letter, not a marker.
func TestParseBibTeXKeepCaseBraces(t *testing.T) {
	src := `@article{mindell2006,
  author = {Mindell, Jodi A. and Kuhn, Brett and Lewin, Daniel S. and Meltzer, Lisa J. and Sadeh, Avi},
  title = {Behavioral Treatment of Bedtime Problems and Night Wakings in Infants and Young Children: An {American Academy of Sleep Medicine} Review},
  journal = {Sleep}, year = {2006}, volume = {29}, number = {10}, pages = {1263--1276}, doi = {10.1093/sleep/29.10.1263}
}
@book{ferber2006, author = {Ferber, Richard}, title = {{Solve Your Child's Sleep Problems}}, publisher = {Fireside}, year = {2006}}
@book{k2, author = {M{\"u}ller, Anna}, title = {{\"U}ber {Schlaf} im {S}{\"a}uglingsalter}, year = {2001}}`
	cs, err := cite.ParseBibTeX(src)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Behavioral Treatment of Bedtime Problems and Night Wakings in Infants and Young Children: An {American Academy of Sleep Medicine} Review"; cs[0].Title != want {
		t.Errorf("title %q, want %q", cs[0].Title, want)
	}
	if got, want := cite.FormatAPA(&cs[0]).Text, "Mindell, J. A., Kuhn, B., Lewin, D. S., Meltzer, L. J., & Sadeh, A. (2006). Behavioral treatment of bedtime problems and night wakings in infants and young children: An American Academy of Sleep Medicine review. Sleep, 29(10), 1263–1276. https://doi.org/10.1093/sleep/29.10.1263"; got != want {
		t.Errorf("APA\n got: %s\nwant: %s", got, want)
	}
	if got, want := cite.FormatAMA(&cs[0]).Text, "Mindell JA, Kuhn B, Lewin DS, Meltzer LJ, Sadeh A. Behavioral treatment of bedtime problems and night wakings in infants and young children: an American Academy of Sleep Medicine review. Sleep. 2006;29(10):1263-1276. doi:10.1093/sleep/29.10.1263"; got != want {
		t.Errorf("AMA\n got: %s\nwant: %s", got, want)
	}
	if cs[1].Title != "Solve Your Child's Sleep Problems" || !strings.Contains(cite.FormatAPA(&cs[1]).Text, "Solve your child's sleep problems.") {
		t.Errorf("a wholly braced title: %q, %s", cs[1].Title, cite.FormatAPA(&cs[1]).Text)
	}
	if cs[2].Title != "Über {Schlaf} im {S}äuglingsalter" || !strings.Contains(cite.FormatAPA(&cs[2]).Text, "Über Schlaf im Säuglingsalter.") {
		t.Errorf("braced accents and words: %q, %s", cs[2].Title, cite.FormatAPA(&cs[2]).Text)
	}
	for _, f := range []cite.Formatted{cite.FormatAPA(&cs[0]), cite.FormatAMA(&cs[0]), cite.FormatAPA(&cs[2]), cite.FormatAMA(&cs[2])} {
		if strings.ContainsAny(f.Text+f.HTML, "{}") {
			t.Errorf("braces shown: %s", f.HTML)
		}
	}
}
