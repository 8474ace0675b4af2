package cite

import (
	"strings"
	"testing"
)

// TestIdentify reads every accepted spelling of each identifier, and
// refuses junk naming the field at fault.
func TestIdentify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		kind IDKind
		want string
	}{
		// PMIDs
		{"PMID: 22966034", IDPMID, "22966034"},
		{"PMID 22966034", IDPMID, "22966034"},
		{"pmid:22966034", IDPMID, "22966034"},
		{"  PMID:22966034. ", IDPMID, "22966034"},
		{"PubMed ID: 22966034", IDPMID, "22966034"},
		{"22966034", IDPMID, "22966034"},
		{"1", IDPMID, "1"},
		{"022966034", IDPMID, "22966034"},
		{"https://pubmed.ncbi.nlm.nih.gov/22966034/", IDPMID, "22966034"},
		{"https://pubmed.ncbi.nlm.nih.gov/22966034", IDPMID, "22966034"},
		{"http://pubmed.ncbi.nlm.nih.gov/22966034/?from_term=sleep#abstract", IDPMID, "22966034"},
		{"pubmed.ncbi.nlm.nih.gov/22966034/", IDPMID, "22966034"},
		{"https://www.ncbi.nlm.nih.gov/pubmed/22966034", IDPMID, "22966034"},
		{"https://ncbi.nlm.nih.gov/pubmed/22966034/", IDPMID, "22966034"},
		// PMCIDs
		{"PMC104332", IDPMCID, "PMC104332"},
		{"pmc104332", IDPMCID, "PMC104332"},
		{"PMCID: PMC104332", IDPMCID, "PMC104332"},
		{"PMCID PMC104332;", IDPMCID, "PMC104332"},
		{"pmcid:104332", IDPMCID, "PMC104332"},
		{"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC104332/", IDPMCID, "PMC104332"},
		{"http://www.ncbi.nlm.nih.gov/pmc/articles/PMC104332", IDPMCID, "PMC104332"},
		{"https://pmc.ncbi.nlm.nih.gov/articles/PMC3657259/", IDPMCID, "PMC3657259"},
		{"https://pmc.ncbi.nlm.nih.gov/articles/PMC3657259/#sec1", IDPMCID, "PMC3657259"},
		{"pmc.ncbi.nlm.nih.gov/articles/pmc3657259", IDPMCID, "PMC3657259"},
		// ISBNs
		{"978-0-7432-0161-2", IDISBN, "9780743201612"},
		{"9780743201612", IDISBN, "9780743201612"},
		{"978 0 7432 0161 2", IDISBN, "9780743201612"},
		{"0743201612", IDISBN, "9780743201612"},
		{"0-7432-0161-2", IDISBN, "9780743201612"},
		{"ISBN 978-0-7432-0161-2", IDISBN, "9780743201612"},
		{"ISBN: 0-7432-0161-2", IDISBN, "9780743201612"},
		{"ISBN-13: 978-0-7432-0161-2", IDISBN, "9780743201612"},
		{"ISBN-10: 0-449-00402-3.", IDISBN, "9780449004029"},
		{"isbn10 080442957x", IDISBN, "9780804429573"},
		{"ISBN 0-8044-2957-X", IDISBN, "9780804429573"},
		{"979-10-90636-07-1", IDISBN, "9791090636071"},
		// DOIs, as before
		{"10.1542/peds.2011-3467", IDDOI, "10.1542/peds.2011-3467"},
		{"doi:10.1542/peds.2011-3467", IDDOI, "10.1542/peds.2011-3467"},
		{"DOI 10.1542/peds.2011-3467.", IDDOI, "10.1542/peds.2011-3467"},
		{"https://doi.org/10.1542/peds.2011-3467", IDDOI, "10.1542/peds.2011-3467"},
		{"https://doi.org/10.1136/bmj.324.7345.1062", IDDOI, "10.1136/bmj.324.7345.1062"},
	} {
		got, err := Identify(tc.in)
		if err != nil || got.Kind != tc.kind || got.Value != tc.want {
			t.Errorf("Identify(%q) = %+v, %v; want %s %q", tc.in, got, err, tc.kind, tc.want)
		}
	}
	for _, tc := range []struct{ in, field, msg string }{
		{"", "text", "Paste a DOI"},
		{"   ", "text", "Paste a DOI"},
		{"hello world", "text", "not a DOI, a PMID"},
		{"Price 2012 sleep", "text", "not a DOI"},
		{"https://example.org/22966034", "text", "not a DOI"},
		{"https://pubmed.ncbi.nlm.nih.gov/about/", "text", "not a DOI"},
		{"12345678901", "text", "not a DOI"},                         // 11 digits: neither
		{"123456789012", "text", "not a DOI"},                        // 12 digits: neither
		{"2012-10-01", "text", "not a DOI"},                          // a date
		{"0", "pmid", "A PMID is a number"},                          // no PMID 0
		{"PMID: 1234567890", "pmid", "A PMID is a number"},           // too long
		{"PMC", "pmcid", "A PMCID is"},                               // no digits
		{"PMCabc", "pmcid", "A PMCID is"},                            // not digits
		{"PMC12345678901", "pmcid", "A PMCID is"},                    // too long
		{"978-0-7432-0161-3", "isbn", "wrong check digit"},           // ISBN-13 check
		{"0-7432-0161-3", "isbn", "wrong check digit"},               // ISBN-10 check
		{"ISBN 977-0-7432-0161-2", "isbn", "starts with 978 or 979"}, // not a book prefix
		{"ISBN 12345", "isbn", "10 or 13 digits"},
		{"ISBN 0-8044-2957-Y", "isbn", "10 or 13 digits"},
		{"10.1542", "doi", "prefix and a suffix"},
		{"doi: nothing", "doi", "starts with"},
		{strings.Repeat("1", 400), "text", "too long"},
	} {
		got, err := Identify(tc.in)
		ce, ok := err.(*Error)
		if !ok || ce.Field != tc.field || !strings.Contains(ce.Message, tc.msg) {
			t.Errorf("Identify(%q) = %+v, %v; want an error naming %s saying %q", tc.in, got, err, tc.field, tc.msg)
		}
	}
}

// TestNormalizeISBN: ISBN-10s become ISBN-13s; an X check digit is read.
func TestNormalizeISBN(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0-306-40615-2":     "9780306406157",
		"978-0-306-40615-7": "9780306406157",
		"0-8044-2957-x":     "9780804429573",
		"1-86197-271-7":     "9781861972712",
	} {
		if got, err := NormalizeISBN(in); err != nil || got != want {
			t.Errorf("NormalizeISBN(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if r := (&Reference{ISBN: "0-306-40615-2", PMCID: "pmc104332"}); true {
		r.Normalize()
		if r.ISBN != "9780306406157" || r.PMCID != "PMC104332" {
			t.Errorf("Normalize: ISBN %q, PMCID %q", r.ISBN, r.PMCID)
		}
	}
}
