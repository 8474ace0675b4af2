package cite_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cite"
)

// A Zotero RIS export of a journal article.
const zoteroRIS = `TY  - JOUR
TI  - Behavioral treatment of bedtime problems and night wakings in infants and young children
AU  - Mindell, Jodi A.
AU  - Kuhn, Brett
AU  - Lewin, Daniel S.
AU  - Meltzer, Lisa J.
AU  - Sadeh, Avi
T2  - Sleep
J2  - Sleep
DA  - 2006/10//
PY  - 2006
DO  - 10.1093/sleep/29.10.1263
DP  - PubMed
VL  - 29
IS  - 10
SP  - 1263
EP  - 1276
SN  - 0161-8105
AN  - 17068979
UR  - https://academic.oup.com/sleep/article/29/10/1263/2709273
Y2  - 2024/03/04/10:12:00
ER  - 
`

func TestParseRISZotero(t *testing.T) {
	cs, err := cite.ParseRIS(zoteroRIS)
	if err != nil {
		t.Fatal(err)
	}
	want := cite.Reference{Type: cite.Article,
		Authors: []cite.Name{pn("Mindell", "Jodi A."), pn("Kuhn", "Brett"), pn("Lewin", "Daniel S."), pn("Meltzer", "Lisa J."), pn("Sadeh", "Avi")},
		Year:    2006, Month: 10,
		Title:     "Behavioral treatment of bedtime problems and night wakings in infants and young children",
		Container: "Sleep", Volume: "29", Issue: "10", Pages: "1263-1276", DOI: "10.1093/sleep/29.10.1263", PMID: "17068979",
		URL: "https://academic.oup.com/sleep/article/29/10/1263/2709273", Accessed: "2024-03-04"}
	if len(cs) != 1 || !reflect.DeepEqual(cs[0], want) {
		t.Fatalf("got  %+v\nwant %+v", cs, want)
	}
	if got, w := cite.FormatAMA(&cs[0]).Text, "Mindell JA, Kuhn B, Lewin DS, Meltzer LJ, Sadeh A. Behavioral treatment of bedtime problems and night wakings in infants and young children. Sleep. 2006;29(10):1263-1276. doi:10.1093/sleep/29.10.1263"; got != w {
		t.Errorf("AMA\n got: %s\nwant: %s", got, w)
	}
}

func TestParseRISCRLFAndMissingER(t *testing.T) {
	src := "\uFEFFTY  - JOUR\r\nAU  - Price, A.M.H.\r\nAU  - Wake, M.\r\nTI  - Five-year follow-up of harms and benefits of behavioral infant\r\n  sleep intervention: randomized trial\r\nJO  - Pediatrics\r\nJA  - Pediatrics\r\nPY  - 2012///\r\nVL  - 130\r\nIS  - 4\r\nSP  - 643-51\r\nDO  - https://doi.org/10.1542/peds.2011-3467\r\nER  -\r\n" +
		"TY  - JOUR\r\nAU  - Gradisar, M\r\nTI  - Behavioral interventions for infant sleep problems: a randomized controlled trial\r\nT2  - Pediatrics\r\nPY  - 2016\r\nVL  - 137\r\nIS  - 6\r\nSP  - e20151486\r\n" + // no ER before the next TY
		"TY  - BOOK\rAU  - Ferber, Richard\rTI  - Solve Your Child's Sleep Problems\rET  - Rev.\rPB  - Fireside\rCY  - New York\rPY  - 2006" // CR only, no final ER
	cs, err := cite.ParseRIS(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Fatalf("got %d records, want 3", len(cs))
	}
	p := cs[0]
	if p.Title != "Five-year follow-up of harms and benefits of behavioral infant sleep intervention: randomized trial" ||
		p.Pages != "643-651" || p.DOI != "10.1542/peds.2011-3467" || p.Year != 2012 || p.ContainerShort != "" ||
		!reflect.DeepEqual(p.Authors, []cite.Name{pn("Price", "A.M.H."), pn("Wake", "M.")}) {
		t.Errorf("first: %+v", p)
	}
	if got, w := cite.FormatAPA(&p).Text, "Price, A. M. H., & Wake, M. (2012). Five-year follow-up of harms and benefits of behavioral infant sleep intervention: Randomized trial. Pediatrics, 130(4), 643–651. https://doi.org/10.1542/peds.2011-3467"; got != w {
		t.Errorf("APA\n got: %s\nwant: %s", got, w)
	}
	if g := cs[1]; g.ArticleNumber != "e20151486" || g.Pages != "" || g.Container != "Pediatrics" {
		t.Errorf("second: %+v", g)
	}
	if f := cs[2]; f.Type != cite.Book || f.Publisher != "Fireside" || f.PublisherPlace != "New York" || f.Year != 2006 || f.Edition != "Rev." {
		t.Errorf("third: %+v", f)
	}
}

func TestParseRISTypes(t *testing.T) {
	src := `TY  - CHAP
AU  - Carskadon, Mary A.
AU  - Dement, William C.
A2  - Kryger, Meir H.
A2  - Roth, Thomas
A2  - Dement, William C.
TI  - Normal human sleep: an overview
T2  - Principles and Practice of Sleep Medicine
ET  - 5
PB  - Elsevier Saunders
PY  - 2011
SP  - 16
EP  - 26
ER  - 

TY  - RPRT
AU  - World Health Organization
TI  - Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age
PB  - World Health Organization
PY  - 2019
UR  - https://apps.who.int/iris/handle/10665/311664
ER  - 

TY  - ELEC
AU  - NHS
TI  - Helping your baby to sleep
T2  - NHS
UR  - https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/
Y2  - 2024/03/04/
ER  - 

TY  - GEN
TI  - Something unusual
ER  - 

TY  - JOUR
TI  - A PubMed record
AN  - PMID: 22966034
M1  - e20162938
ER  - 
`
	cs, err := cite.ParseRIS(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 5 {
		t.Fatalf("got %d", len(cs))
	}
	if got, w := cite.FormatAMA(&cs[0]).Text, "Carskadon MA, Dement WC. Normal human sleep: an overview. In: Kryger MH, Roth T, Dement WC, eds. Principles and Practice of Sleep Medicine. 5th ed. Elsevier Saunders; 2011:16-26."; got != w {
		t.Errorf("chapter AMA\n got: %s\nwant: %s", got, w)
	}
	if got, w := cite.FormatAPA(&cs[1]).Text, "World Health Organization. (2019). Guidelines on physical activity, sedentary behaviour and sleep for children under 5 years of age. https://apps.who.int/iris/handle/10665/311664"; got != w {
		t.Errorf("report APA\n got: %s\nwant: %s", got, w)
	}
	if got, w := cite.FormatAPA(&cs[2]).Text, "NHS. (n.d.). Helping your baby to sleep. Retrieved March 4, 2024, from https://www.nhs.uk/conditions/baby/caring-for-a-newborn/helping-your-baby-to-sleep/"; got != w {
		t.Errorf("web APA\n got: %s\nwant: %s", got, w)
	}
	if cs[3].Type != cite.Report {
		t.Errorf("GEN without URL: %s", cs[3].Type)
	}
	if cs[4].PMID != "22966034" || cs[4].ArticleNumber != "e20162938" {
		t.Errorf("PMID/article number: %+v", cs[4])
	}
}

func TestParseRISEndNoteNotes(t *testing.T) {
	src := "TY  - JOUR\nA1  - Galland, B. C.\nT1  - Normal sleep patterns in infants and children\nJF  - Sleep Medicine Reviews\nJA  - Sleep Med Rev\n" +
		"Y1  - 2012/06/01/\nN1  - PMID: 21784676\nM3  - doi: 10.1016/j.smrv.2011.06.001\nER  - \n"
	cs, err := cite.ParseRIS(src)
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	if c.DOI != "10.1016/j.smrv.2011.06.001" || c.PMID != "21784676" || c.Container != "Sleep Medicine Reviews" || c.ContainerShort != "Sleep Med Rev" ||
		c.Year != 2012 || c.Month != 6 || c.Day != 1 || c.Title != "Normal sleep patterns in infants and children" {
		t.Errorf("%+v", c)
	}
}

func TestParseRISErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"ErrEmpty", "", "No RIS records found"},
		{"ErrNotRIS", "@article{k, title={x}}", "No RIS records found"},
		{"ErrTagOutsideRecord", "TY  - JOUR\nTI  - A\nER  - \nAU  - Stray, Author\n", "line 4: AU outside a record"},
		{"ErrEROnly", "ER  - \n", "line 1: ER"},
		{"ErrTooLarge", "TY  - JOUR\nTI  - " + strings.Repeat("x", 1<<20) + "\n", "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cite.ParseRIS(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	var b strings.Builder
	b.WriteString("TY  - JOUR\nTI  - Many\n")
	for i := 0; i < 10000; i++ {
		b.WriteString("AU  - Author, A.\n")
	}
	if _, err := cite.ParseRIS(b.String()); err == nil || !strings.Contains(err.Error(), "more than 2000") {
		t.Errorf("10,000 authors: %v", err)
	}
	// A value wrapped over a very large number of lines stays linear.
	b.Reset()
	b.WriteString("TY  - JOUR\nTI  - Long\n")
	for b.Len() < 1<<20-100 {
		b.WriteString("x\n")
	}
	start := time.Now()
	cs, err := cite.ParseRIS(b.String())
	if err != nil || len(cs[0].Title) < 500_000 {
		t.Errorf("long wrapped title: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("long wrapped title took %v", d)
	}
	b.Reset()
	for i := 0; i < 501; i++ {
		b.WriteString("TY  - JOUR\nTI  - T\nER  - \n")
	}
	if _, err := cite.ParseRIS(b.String()); !isTooLarge(err) {
		t.Errorf("501 records: %v", err)
	}
}

func FuzzParseRIS(f *testing.F) {
	f.Add(zoteroRIS)
	f.Add("TY  - ELEC\r\nAU  - Org\r\nTI  - <script>alert(1)</script>\r\nUR  - javascript:alert(1)\r\n")
	f.Fuzz(func(t *testing.T, src string) {
		cs, err := cite.ParseRIS(src)
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
