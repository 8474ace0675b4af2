package cite

import (
	"strings"
	"testing"
)

// The recorded answers themselves are read in cms (TestLookupCatalog);
// these are the cases they do not show.

func TestParsePubMedArticle(t *testing.T) {
	t.Parallel()
	const doc = `<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">1234</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>14</Volume><Issue>5</Issue>
<PubDate><MedlineDate>1954 Nov-Dec</MedlineDate></PubDate></JournalIssue>
<Title>Journal of clinical sleep medicine : JCSM : official publication of the American Academy of Sleep Medicine</Title>
<ISOAbbreviation>J. Clin. Sleep Med.</ISOAbbreviation></Journal>
<ArticleTitle>[Crying of <i>Homo sapiens</i> infants &amp; H<sub>2</sub>O].</ArticleTitle>
<Pagination><MedlinePgn>421-35</MedlinePgn></Pagination>
<AuthorList><Author ValidYN="Y"><LastName>Harris</LastName><Initials>GS</Initials><Suffix>Jr</Suffix></Author>
<Author ValidYN="N"><LastName>Wrong</LastName><ForeName>Name</ForeName></Author></AuthorList></Article>
<MedlineJournalInfo><MedlineTA>J Clin Sleep Med</MedlineTA></MedlineJournalInfo></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">1234</ArticleId><ArticleId IdType="pmc">PMC55</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle></PubmedArticleSet>`
	r, err := ParsePubMedArticle([]byte(doc), "1234")
	if err != nil {
		t.Fatal(err)
	}
	want := Reference{Type: Article, Title: "Crying of Homo sapiens infants & H2O", Container: "Journal of Clinical Sleep Medicine",
		ContainerShort: "J Clin Sleep Med", Volume: "14", Issue: "5", Pages: "421-435", Year: 1954, PMID: "1234", PMCID: "PMC55"}
	if r.Type != want.Type || r.Title != want.Title || r.Container != want.Container || r.ContainerShort != want.ContainerShort ||
		r.Volume != want.Volume || r.Issue != want.Issue || r.Pages != want.Pages || r.Year != want.Year || r.PMID != want.PMID || r.PMCID != want.PMCID {
		t.Errorf("got %+v\nwant %+v", *r, want)
	}
	if len(r.Authors) != 1 || r.Authors[0] != (Name{Family: "Harris", Given: "G S, Jr"}) {
		t.Errorf("authors = %+v", r.Authors)
	}
	for _, tc := range []struct {
		name, body, pmid, msg string
		noRecord              bool
	}{
		{"Empty", `<?xml version="1.0" ?><PubmedArticleSet></PubmedArticleSet>`, "1", "No PubMed record 1.", true},
		{"OtherPMID", doc, "99", "No PubMed record 99.", true},
		{"NotXML", `{"error":"nope"}`, "1", "could not be read", false},
		{"HTML", `<html><body>Down</body></html>`, "1", "no PubmedArticleSet", false},
		{"Truncated", doc[:400], "1234", "could not be read", false},
	} {
		_, err := ParsePubMedArticle([]byte(tc.body), tc.pmid)
		ce, ok := err.(*Error)
		if !ok || ce.Field != "pmid" || ce.NoRecord != tc.noRecord || !strings.Contains(ce.Message, tc.msg) {
			t.Errorf("%s: err = %#v, want %q (no record %v)", tc.name, err, tc.msg, tc.noRecord)
		}
	}
}

func TestPubMedPages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ start, end, medline, pages, article string }{
		{"643", "651", "643-51", "643-651", ""},
		{"", "", "643-51", "643-651", ""},
		{"", "", "1062-5", "1062-1065", ""},
		{"", "", "99-101", "99-101", ""},
		{"", "", "e20151486", "", "e20151486"},
		{"e20151486", "", "e20151486", "", "e20151486"},
		{"", "", "S12-8", "S12-8", ""},
		{"", "", "1-5, 7", "1-5, 7", ""},
		{"", "", "12", "12", ""},
		{"", "", "", "", ""},
	} {
		p, a := pubmedPages(tc.start, tc.end, tc.medline)
		if p != tc.pages || a != tc.article {
			t.Errorf("pubmedPages(%q, %q, %q) = %q, %q; want %q, %q", tc.start, tc.end, tc.medline, p, a, tc.pages, tc.article)
		}
	}
}

func TestJournalTitle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Pediatrics":                          "Pediatrics",
		"The Journal of pediatrics":           "The Journal of Pediatrics",
		"BMJ (Clinical research ed.)":         "BMJ",
		"BMJ open":                            "BMJ Open",
		"Lancet (London, England)":            "Lancet",
		"The New England journal of medicine": "The New England Journal of Medicine",
		"Archives of disease in childhood":    "Archives of Disease in Childhood",
		"Sleep medicine reviews":              "Sleep Medicine Reviews",
		"Journal of child psychology and psychiatry, and allied disciplines": "Journal of Child Psychology and Psychiatry, and Allied Disciplines",
		"Acta paediatrica (Oslo, Norway : 1992)":                             "Acta Paediatrica",
		"Evidence-based child health : a Cochrane review journal":            "Evidence-based Child Health",
	} {
		if got := JournalTitle(in); got != want {
			t.Errorf("JournalTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParsePMCIDConversion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, want, msg string
		noRecord              bool
	}{
		{"OK", `{"status":"ok","records":[{"pmcid":"PMC104332","pmid":"11991909","doi":"10.1136/bmj.324.7345.1062"}]}`, "11991909", "", false},
		{"NumericPMID", `{"status":"ok","records":[{"pmcid":"PMC104332","pmid":11991909}]}`, "11991909", "", false},
		{"NoPMID", `{"status":"ok","records":[{"pmcid":"PMC104332","doi":"10.1/x"}]}`, "", "has no PubMed record", true},
		{"ErrorRecord", `{"status":"ok","records":[{"pmcid":"PMC104332","status":"error","errmsg":"invalid article id"}]}`, "", "No PubMed Central record PMC104332.", true},
		{"ErrorStatus", `{"status":"error","message":"bad ids"}`, "", "No PubMed Central record", true},
		{"BadPMID", `{"status":"ok","records":[{"pmcid":"PMC104332","pmid":"12ab"}]}`, "", "could not be read", false},
		{"NoRecords", `{"status":"ok"}`, "", "could not be read", false},
		{"NotJSON", `<html>`, "", "could not be read", false},
	} {
		got, err := ParsePMCIDConversion([]byte(tc.body), "PMC104332")
		if tc.msg == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
			}
			continue
		}
		ce, ok := err.(*Error)
		if !ok || ce.Field != "pmcid" || ce.NoRecord != tc.noRecord || !strings.Contains(ce.Message, tc.msg) {
			t.Errorf("%s: err = %#v, want %q (no record %v)", tc.name, err, tc.msg, tc.noRecord)
		}
	}
}

func TestParseOpenLibraryBook(t *testing.T) {
	t.Parallel()
	r, err := ParseOpenLibraryBook([]byte(`{"ISBN:9780306406157": {"title": "Sleep &amp; the <i>Child</i>", "subtitle": "2nd ed.",
		"authors": [{"name": "Ferber, Richard"}, {"name": "Jane Q. Doe Jr."}, {"name": "Sam Smith, MD"}, {"name": "Plato"}],
		"publishers": [{"name": "Fireside"}], "publish_places": [{"name": "[New York]"}], "publish_date": "c1985."}}`), "9780306406157")
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != Book || r.Title != "Sleep & the Child" || r.Edition != "2nd" || r.Publisher != "Fireside" || r.PublisherPlace != "New York" ||
		r.Year != 1985 || r.ISBN != "9780306406157" {
		t.Errorf("got %+v", *r)
	}
	wantNames := []Name{{Family: "Ferber", Given: "Richard"}, {Family: "Doe", Given: "Jane Q., Jr."}, {Family: "Smith", Given: "Sam"}, {Family: "Plato"}}
	if len(r.Authors) != len(wantNames) {
		t.Fatalf("authors = %+v", r.Authors)
	}
	for i, n := range wantNames {
		if r.Authors[i] != n {
			t.Errorf("author %d = %+v, want %+v", i, r.Authors[i], n)
		}
	}
	for in, want := range map[string]string{"Second edition": "2", "2nd ed.": "2nd", "Rev. ed.": "Rev.", "1st ed.": "", "First Edition": "", "3": "3", "": ""} {
		if got := editionNumber(in); got != want {
			t.Errorf("editionNumber(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		name, body, msg string
		noRecord        bool
	}{
		{"Empty", `{}`, "no book with the ISBN 9780306406157", true},
		{"OtherKey", `{"ISBN:1": {"title": "A"}, "ISBN:2": {"title": "B"}}`, "no book", true},
		{"NoTitle", `{"ISBN:9780306406157": {"authors": [{"name": "X"}]}}`, "no title", false},
		{"NotJSON", `<html>`, "could not be read", false},
		{"Array", `[]`, "could not be read", false},
	} {
		_, err := ParseOpenLibraryBook([]byte(tc.body), "9780306406157")
		ce, ok := err.(*Error)
		if !ok || ce.Field != "isbn" || ce.NoRecord != tc.noRecord || !strings.Contains(ce.Message, tc.msg) {
			t.Errorf("%s: err = %#v, want %q (no record %v)", tc.name, err, tc.msg, tc.noRecord)
		}
	}
}
