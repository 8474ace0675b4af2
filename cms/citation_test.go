package cms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

func TestNormalizeDOI(t *testing.T) {
	good := []struct{ in, want string }{
		{"10.1542/peds.2011-3467", "10.1542/peds.2011-3467"},
		{"  10.1542/peds.2011-3467\n", "10.1542/peds.2011-3467"},
		{"doi:10.5664/jcsm.5866", "10.5664/jcsm.5866"},
		{"DOI: 10.5664/jcsm.5866", "10.5664/jcsm.5866"},
		{"https://doi.org/10.1093/sleep/29.10.1263", "10.1093/sleep/29.10.1263"},
		{"HTTPS://DOI.ORG/10.1093/sleep/29.10.1263", "10.1093/sleep/29.10.1263"},
		{"http://dx.doi.org/10.1016/j.sleh.2014.12.010", "10.1016/j.sleh.2014.12.010"},
		{"https://dx.doi.org/10.1111/j.1365-2869.2008.00699.x", "10.1111/j.1365-2869.2008.00699.x"},
		{"doi.org/10.17226/11617", "10.17226/11617"},
		{"https://doi.org/10.1002/%28SICI%291097-4679%28199911%2955%3A11%3C1433%3A%3AAID-JCLP11%3E3.0.CO%3B2-%23", "10.1002/(SICI)1097-4679(199911)55:11<1433::AID-JCLP11>3.0.CO;2-#"},
		{"10.1000.10/123456", "10.1000.10/123456"},
		{"10.123456789/x", "10.123456789/x"},
	}
	for _, tt := range good {
		got, err := cms.NormalizeDOI(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeDOI(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	bad := []string{
		"",
		"doi:",
		"https://doi.org/",
		"10.1542/peds 2011-3467",      // space
		"10.1542/peds\u00a02011-3467", // no-break space
		"10.1542/peds.2011-3467\x00",
		"10.1542/\u202epeds", // bidi override
		"11.1542/peds.2011-3467",
		"10.154/peds",         // 3-digit registrant
		"10.1234567890/x",     // 10 digits
		"10.abcd/x",           // letters
		"10.1542",             // no suffix
		"10.1542/",            // empty suffix
		"peds.2011-3467",      //
		"https://doi.org/%zz", // bad escape
		"https://doi.org/10.1542/a%20b",
		"javascript:alert(1)",
		"10.1542/" + strings.Repeat("x", 400),
	}
	for _, in := range bad {
		if got, err := cms.NormalizeDOI(in); err == nil || !cms.IsKind(err, cms.KindInvalid) {
			t.Errorf("NormalizeDOI(%q) = %q, %v; want an Invalid error", in, got, err)
		}
	}
}

func validCitation() cms.Citation {
	return cms.Citation{Key: "price2012", Type: cms.CiteArticle, Authors: []cms.Name{pn("Price", "Anna M. H.")}, Year: 2012,
		Title: "Five-year follow-up", Container: "Pediatrics", DOI: "10.1542/peds.2011-3467", PMID: "22966034",
		URL: "https://pediatrics.aappublications.org/", Accessed: "2024-03-04"}
}

func TestCitationValidate(t *testing.T) {
	c := validCitation()
	if err := c.Validate(); err != nil {
		t.Fatalf("valid citation: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(c *cms.Citation)
		field string
	}{
		{"ErrTitleRequired", func(c *cms.Citation) { c.Title = "  " }, "title"},
		{"ErrTitleTooLong", func(c *cms.Citation) { c.Title = strings.Repeat("é", 1001) }, "title"},
		{"ErrTitleControl", func(c *cms.Citation) { c.Title = "a\x1bb" }, "title"},
		{"ErrTitleUTF8", func(c *cms.Citation) { c.Title = "a\xffb" }, "title"},
		{"ErrType", func(c *cms.Citation) { c.Type = "thesis" }, "type"},
		{"ErrTypeEmpty", func(c *cms.Citation) { c.Type = "" }, "type"},
		{"ErrURLJavascript", func(c *cms.Citation) { c.URL = "javascript:alert(1)" }, "url"},
		{"ErrURLData", func(c *cms.Citation) { c.URL = "data:text/html,<script>alert(1)</script>" }, "url"},
		{"ErrURLRelative", func(c *cms.Citation) { c.URL = "/local" }, "url"},
		{"ErrURLNewline", func(c *cms.Citation) { c.URL = "https://a.example/\nx" }, "url"},
		{"ErrDOISpace", func(c *cms.Citation) { c.DOI = "10.1542/peds 2011" }, "doi"},
		{"ErrDOIPrefix", func(c *cms.Citation) { c.DOI = "10.15/peds" }, "doi"},
		{"ErrDOINotBare", func(c *cms.Citation) { c.DOI = "https://doi.org/10.1542/peds.2011-3467" }, "doi"},
		{"ErrPMID", func(c *cms.Citation) { c.PMID = "PMID22966034" }, "pmid"},
		{"ErrKeyUpper", func(c *cms.Citation) { c.Key = "Price2012" }, "key"},
		{"ErrKeyLong", func(c *cms.Citation) { c.Key = strings.Repeat("a", 65) }, "key"},
		{"ErrKeyStart", func(c *cms.Citation) { c.Key = "-price" }, "key"},
		{"ErrKeySpace", func(c *cms.Citation) { c.Key = "price 2012" }, "key"},
		{"ErrAuthorFamily", func(c *cms.Citation) {
			c.Authors = []cms.Name{pn("A", "B"), pn("B", "C"), pn("C", "D"), {Given: "Only"}}
		}, "authors[3].family"},
		{"ErrAuthorEmpty", func(c *cms.Citation) { c.Authors = append(c.Authors, cms.Name{}) }, "authors[1]"},
		{"ErrAuthorControl", func(c *cms.Citation) { c.Authors[0].Given = "A\u0007" }, "authors[0].given"},
		{"ErrEditorLiteralLong", func(c *cms.Citation) { c.Editors = []cms.Name{org(strings.Repeat("x", 301))} }, "editors[0].literal"},
		{"ErrYear", func(c *cms.Citation) { c.Year = 12 }, "year"},
		{"ErrMonth", func(c *cms.Citation) { c.Month = 13 }, "month"},
		{"ErrDay", func(c *cms.Citation) { c.Month, c.Day = 2, 30 }, "day"},
		{"ErrDayWithoutMonth", func(c *cms.Citation) { c.Day = 3 }, "day"},
		{"ErrAccessed", func(c *cms.Citation) { c.Accessed = "4 March 2024" }, "accessed"},
		{"ErrPagesLong", func(c *cms.Citation) { c.Pages = strings.Repeat("1", 101) }, "pages"},
		{"ErrContainerShortControl", func(c *cms.Citation) { c.ContainerShort = "J\tSleep" }, "containerShort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validCitation()
			c.Authors = append([]cms.Name(nil), c.Authors...)
			tt.edit(&c)
			err := c.Validate()
			if !cms.IsKind(err, cms.KindInvalid) {
				t.Fatalf("Validate() = %v, want Invalid", err)
			}
			if _, ok := cms.ErrorFields(err)[tt.field]; !ok {
				t.Errorf("Validate() fields = %v, want %q among them", cms.ErrorFields(err), tt.field)
			}
		})
	}
}

func TestCitationValidateTenThousandAuthors(t *testing.T) {
	c := validCitation()
	c.Authors = make([]cms.Name, 10000)
	for i := range c.Authors {
		c.Authors[i] = pn("Author", "A")
	}
	start := time.Now()
	err := c.Validate()
	if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)["authors"] == "" {
		t.Fatalf("Validate() = %v, want an Invalid error on authors", err)
	}
	if len(cms.ErrorFields(err)) != 1 {
		t.Errorf("want one message for the list, got %v", cms.ErrorFields(err))
	}
	// Formatting such a list stays short and quick.
	a, m := cms.FormatAPA(&c), cms.FormatAMA(&c)
	if len(a.HTML) > 2000 || len(m.HTML) > 2000 || !strings.Contains(a.Text, ". . . Author, A.") || !strings.Contains(m.Text, "et al.") {
		t.Errorf("formatted 10,000 authors: APA %d bytes, AMA %d bytes", len(a.HTML), len(m.HTML))
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestCitationNormalize(t *testing.T) {
	c := cms.Citation{Key: " Price2012 ", Title: " Five-year\n  follow-up\t", DOI: " https://doi.org/10.1542/PEDS.2011-3467 ",
		Authors: []cms.Name{{}, pn(" Price ", " Anna  M. H. ")}}
	c.Normalize()
	if c.Key != "price2012" || c.Title != "Five-year follow-up" || c.DOI != "10.1542/PEDS.2011-3467" ||
		len(c.Authors) != 1 || c.Authors[0] != pn("Price", "Anna M. H.") {
		t.Errorf("Normalize: %+v", c)
	}
}

func TestCitationGenerateKey(t *testing.T) {
	taken := map[string]bool{}
	isTaken := func(k string) bool { return taken[k] }
	c := cms.Citation{Authors: []cms.Name{pn("Price", "Anna")}, Year: 2012}
	for _, want := range []string{"price2012", "price2012a", "price2012b"} {
		got := cms.GenerateKey(&c, isTaken)
		if got != want {
			t.Fatalf("GenerateKey = %q, want %q", got, want)
		}
		taken[got] = true
	}
	for i := 0; i < 24; i++ {
		taken[cms.GenerateKey(&c, isTaken)] = true
	}
	if got := cms.GenerateKey(&c, isTaken); got != "price2012aa" {
		t.Errorf("after z: %q, want price2012aa", got)
	}
	tests := []struct {
		c    cms.Citation
		want string
	}{
		{cms.Citation{Authors: []cms.Name{pn("O'Donnell", "Anne")}, Year: 2015}, "odonnell2015"},
		{cms.Citation{Authors: []cms.Name{pn("Müller-Lüdenscheidt", "Jörg")}, Year: 2001}, "mullerludenscheidt2001"},
		{cms.Citation{Authors: []cms.Name{pn("Adams Hillard", "Paula")}, Year: 2015}, "adamshillard2015"},
		{cms.Citation{Authors: []cms.Name{org("World Health Organization")}, Year: 2019}, "world2019"},
		{cms.Citation{Authors: []cms.Name{org("NHS")}}, "nhsnd"},
		{cms.Citation{Editors: []cms.Name{pn("Kryger", "M")}, Year: 2017}, "kryger2017"},
		{cms.Citation{Title: "“Sleep” facts", Year: 2001}, "sleep2001"},
		{cms.Citation{}, "refnd"},
		{cms.Citation{Authors: []cms.Name{pn("的", "")}, Year: 2020}, "de2020"},
	}
	for _, tt := range tests {
		got := cms.GenerateKey(&tt.c, nil)
		if got != tt.want {
			t.Errorf("GenerateKey(%+v) = %q, want %q", tt.c.Authors, got, tt.want)
		}
		if !cms.ValidCitationKey(got) {
			t.Errorf("GenerateKey gave invalid key %q", got)
		}
	}
}

func pn(family, given string) cms.Name { return cms.Name{Family: family, Given: given} }
func org(name string) cms.Name         { return cms.Name{Literal: name} }

// The parsers live in cms/cite; cms hands back citations and its own kinds.
func TestParseCitationsKinds(t *testing.T) {
	cs, err := cms.ParseBibTeX("@book{ferber2006, author = {Ferber, Richard}, title = {Solve Your Child's {Sleep} Problems}, year = 2006}")
	if err != nil || len(cs) != 1 || cs[0].Key != "ferber2006" || cs[0].Type != cms.CiteBook || cs[0].Title != "Solve Your Child's {Sleep} Problems" {
		t.Fatalf("ParseBibTeX = %+v, %v", cs, err)
	}
	if _, err := cms.ParseBibTeX("@article{k, title = {open"); !cms.IsKind(err, cms.KindInvalid) || !strings.Contains(cms.ErrorMessage(err), "unbalanced braces") {
		t.Errorf("bad BibTeX: %v", err)
	}
	if _, err := cms.ParseRIS(strings.Repeat("x", cms.MaxImportBytes+1)); !cms.IsKind(err, cms.KindTooLarge) {
		t.Errorf("large RIS: %v", err)
	}
	if _, err := cms.NormalizeDOI("11.1000/x"); !cms.IsKind(err, cms.KindInvalid) {
		t.Errorf("not a DOI: %v", err)
	}
	c := cms.Citation{ID: "id1", Type: cms.CiteWebpage, Title: "T"}
	if it := cms.CSLJSON(&c); it.ID != "id1" {
		t.Errorf("CSL id without a key = %q, want the store id", it.ID)
	}
}
