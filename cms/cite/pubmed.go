package cite

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// PubMed's answers, read without the network: E-utilities' efetch
// (db=pubmed, retmode=xml: a PubmedArticleSet, the shape of NLM's PubMed
// DTD, https://dtd.nlm.nih.gov/ncbi/pubmed/out/) and the PMC ID
// Converter's JSON (https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/).

// ParsePubMedArticle reads efetch's XML for one PMID into a journal
// article reference, normalised but not validated: authors (collective
// names as organisations), title, journal (full title in title case and
// its abbreviation), year, volume, issue, pages or eLocator, DOI, PMID and
// PMCID. An answer without that PMID's article is an *Error naming "pmid"
// whose NoRecord reports true; an answer that is not PubMed XML is an
// *Error naming "pmid".
func ParsePubMedArticle(body []byte, pmid string) (*Reference, error) {
	var set pubmedSet
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&set); err != nil {
		return nil, &Error{Field: "pmid", Message: "PubMed's answer could not be read: " + err.Error()}
	}
	if set.XMLName.Local != "PubmedArticleSet" {
		return nil, &Error{Field: "pmid", Message: "PubMed's answer could not be read: no PubmedArticleSet."}
	}
	for _, a := range set.Articles {
		if strings.TrimSpace(a.Citation.PMID) == pmid {
			return a.reference(), nil
		}
	}
	return nil, &Error{Field: "pmid", Message: "No PubMed record " + pmid + ".", NoRecord: true}
}

type pubmedSet struct {
	XMLName  xml.Name        `xml:""`
	Articles []pubmedArticle `xml:"PubmedArticle"`
}

type pubmedArticle struct {
	Citation struct {
		PMID    string `xml:"PMID"`
		Article struct {
			Journal struct {
				Volume  string     `xml:"JournalIssue>Volume"`
				Issue   string     `xml:"JournalIssue>Issue"`
				Year    string     `xml:"JournalIssue>PubDate>Year"`
				Medline string     `xml:"JournalIssue>PubDate>MedlineDate"`
				Title   pubmedText `xml:"Title"`
				ISO     string     `xml:"ISOAbbreviation"`
			} `xml:"Journal"`
			Title      pubmedText `xml:"ArticleTitle"`
			Pagination struct {
				Start   string `xml:"StartPage"`
				End     string `xml:"EndPage"`
				Medline string `xml:"MedlinePgn"`
			} `xml:"Pagination"`
			ELocations  []pubmedID     `xml:"ELocationID"`
			Authors     []pubmedAuthor `xml:"AuthorList>Author"`
			ArticleDate struct {
				Year string `xml:"Year"`
			} `xml:"ArticleDate"`
		} `xml:"Article"`
		MedlineTA string `xml:"MedlineJournalInfo>MedlineTA"`
	} `xml:"MedlineCitation"`
	IDs []pubmedID `xml:"PubmedData>ArticleIdList>ArticleId"`
}

// pubmedText is an element whose text may carry inline markup (<i>,
// <sup>): its inner XML, read by text.
type pubmedText struct {
	Inner string `xml:",innerxml"`
}

// text strips the markup and decodes entities.
func (t pubmedText) text() string { return crossrefText(t.Inner) }

type pubmedID struct {
	Type  string `xml:"IdType,attr"`
	EType string `xml:"EIdType,attr"`
	Valid string `xml:"ValidYN,attr"`
	Value string `xml:",chardata"`
}

type pubmedAuthor struct {
	Valid      string     `xml:"ValidYN,attr"`
	Last       string     `xml:"LastName"`
	Fore       string     `xml:"ForeName"`
	Initials   string     `xml:"Initials"`
	Suffix     string     `xml:"Suffix"`
	Collective pubmedText `xml:"CollectiveName"`
}

// yearRE finds a year in free text: "2012 Sep-Oct", "c1985.", "May 30, 2006".
var yearRE = regexp.MustCompile(`(?:^|[^0-9])(1[5-9][0-9]{2}|2[0-9]{3})(?:[^0-9]|$)`)

// firstYear is the first year in s, or 0.
func firstYear(s string) int {
	if m := yearRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	return 0
}

func (a *pubmedArticle) reference() *Reference {
	art := &a.Citation.Article
	r := &Reference{
		Type:      Article,
		Title:     pubmedTitle(art.Title.text()),
		Container: JournalTitle(art.Journal.Title.text()),
		Volume:    art.Journal.Volume,
		Issue:     art.Journal.Issue,
		PMID:      strings.TrimSpace(a.Citation.PMID),
	}
	short := strings.ReplaceAll(html.UnescapeString(art.Journal.ISO), ".", "")
	if strings.TrimSpace(short) == "" {
		short = a.Citation.MedlineTA
	}
	if r.ContainerShort = CollapseSpace(short); strings.EqualFold(r.ContainerShort, r.Container) {
		r.ContainerShort = ""
	}
	for _, s := range []string{art.Journal.Year, art.Journal.Medline, art.ArticleDate.Year} {
		if r.Year = firstYear(s); r.Year != 0 {
			break
		}
	}
	r.Pages, r.ArticleNumber = pubmedPages(art.Pagination.Start, art.Pagination.End, art.Pagination.Medline)
	for _, au := range art.Authors {
		if strings.EqualFold(au.Valid, "N") {
			continue
		}
		if c := au.Collective.text(); c != "" {
			if c == strings.ToUpper(c) && len(strings.Fields(c)) > 2 { // "TASK FORCE ON …"
				c = JournalTitle(strings.ToLower(c))
			}
			r.Authors = append(r.Authors, Name{Literal: c})
			continue
		}
		given := au.Fore
		if given == "" {
			given = strings.Join(strings.Split(au.Initials, ""), " ")
		}
		family := au.Last
		if au.Suffix != "" {
			given += ", " + au.Suffix
		}
		r.Authors = append(r.Authors, Name{Family: family, Given: given})
	}
	for _, id := range art.ELocations {
		if strings.EqualFold(id.EType, "doi") && !strings.EqualFold(id.Valid, "N") && r.DOI == "" {
			r.DOI = strings.TrimSpace(id.Value)
		}
		if strings.EqualFold(id.EType, "pii") && r.ArticleNumber == "" && r.Pages == "" && isELocator(id.Value) {
			r.ArticleNumber = strings.TrimSpace(id.Value)
		}
	}
	for _, id := range a.IDs {
		v := strings.TrimSpace(id.Value)
		switch strings.ToLower(id.Type) {
		case "doi":
			if r.DOI == "" {
				r.DOI = v
			}
		case "pmc":
			if p, ok := NormalizePMCID(v); ok {
				r.PMCID = p
			}
		}
	}
	r.Normalize()
	return r
}

// pubmedTitle drops the full stop PubMed ends every title with, and the
// brackets around a translated title ("[Sleep in infancy].").
func pubmedTitle(t string) string {
	t = strings.TrimSuffix(strings.TrimSpace(t), ".")
	if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
		t = t[1 : len(t)-1]
	}
	return t
}

var eLocatorRE = regexp.MustCompile(`^[eE][0-9]+$`)

func isELocator(s string) bool { return eLocatorRE.MatchString(strings.TrimSpace(s)) }

// pubmedPages reads the pagination: "643-51" in MedlinePgn is 643-651;
// an eLocator ("e20151486") is an article number, not a page.
func pubmedPages(start, end, medline string) (pages, article string) {
	start, end, medline = strings.TrimSpace(start), strings.TrimSpace(end), strings.TrimSpace(medline)
	if start == "" && medline != "" {
		start, end, _ = strings.Cut(medline, "-")
		if strings.Contains(medline, ",") || strings.Contains(medline, ";") { // "1-5, 7"
			return medline, ""
		}
	}
	if isELocator(start) && end == "" {
		return "", start
	}
	// Abbreviated end pages take the start's leading digits: 643-51.
	if allDigits(start) && allDigits(end) && len(end) < len(start) {
		end = start[:len(start)-len(end)] + end
	}
	if end == "" || end == start {
		return start, ""
	}
	return start + "-" + end, ""
}

// smallWords stay lower case inside a title-cased journal title.
var smallWords = map[string]bool{"a": true, "an": true, "and": true, "as": true, "at": true, "but": true, "by": true,
	"for": true, "from": true, "in": true, "into": true, "nor": true, "of": true, "on": true, "or": true, "the": true,
	"to": true, "with": true, "du": true, "de": true, "la": true, "le": true, "der": true, "und": true, "für": true}

// JournalTitle turns NLM's catalogue title of a journal ("The Journal of
// pediatrics", "Journal of clinical sleep medicine : JCSM : official
// publication of …", "BMJ (Clinical research ed.)") into the title a
// reference list prints: the part before " : " or " (", in title case,
// words already holding capitals kept as they are.
func JournalTitle(s string) string {
	s = CollapseSpace(s)
	if i := strings.Index(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	if i := strings.Index(s, " : "); i > 0 {
		s = s[:i]
	}
	words := strings.Fields(s)
	for i, w := range words {
		if w != strings.ToLower(w) {
			continue // "BMJ", "JAMA", "Pediatrics", "iScience"
		}
		if i > 0 && smallWords[w] {
			continue
		}
		words[i] = upperFirst(w)
	}
	return strings.Join(words, " ")
}

// upperFirst upper-cases the first letter of w (and of each part of a
// hyphenated word).
func upperFirst(w string) string {
	parts := strings.Split(w, "-")
	for i, p := range parts {
		for j, r := range p {
			if r >= 'a' && r <= 'z' || r > 127 {
				parts[i] = p[:j] + strings.ToUpper(string(r)) + p[j+len(string(r)):]
				break
			}
		}
	}
	return strings.Join(parts, "-")
}

// ParsePMCIDConversion reads the PMC ID Converter's JSON answer for one
// PMCID and returns the article's PMID. A record the converter does not
// know, or that has no PMID, is an *Error naming "pmcid" whose NoRecord
// reports true; an answer that is not such JSON is an *Error naming
// "pmcid".
func ParsePMCIDConversion(body []byte, pmcid string) (string, error) {
	var env struct {
		Status  string `json:"status"`
		Message string `json:"message"`
		Records []struct {
			PMCID  string          `json:"pmcid"`
			PMID   json.RawMessage `json:"pmid"` // a string; a number in newer answers
			Status string          `json:"status"`
			ErrMsg string          `json:"errmsg"`
		} `json:"records"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return "", &Error{Field: "pmcid", Message: "PMC's answer could not be read: " + err.Error()}
	}
	if env.Records == nil && env.Status != "error" {
		return "", &Error{Field: "pmcid", Message: "PMC's answer could not be read: no records."}
	}
	for _, rec := range env.Records {
		if !strings.EqualFold(rec.PMCID, pmcid) && rec.PMCID != "" {
			continue
		}
		if rec.Status == "error" {
			break
		}
		s := strings.Trim(strings.TrimSpace(string(rec.PMID)), `"`)
		if s == "" || s == "null" {
			return "", &Error{Field: "pmcid", Message: pmcid + " has no PubMed record: fill in the form by hand.", NoRecord: true}
		}
		id, err := pmidOf(s)
		if err != nil {
			return "", &Error{Field: "pmcid", Message: "PMC's answer could not be read: the PMID is " + strconv.Quote(s) + "."}
		}
		return id, nil
	}
	return "", &Error{Field: "pmcid", Message: "No PubMed Central record " + pmcid + ".", NoRecord: true}
}

func pmidOf(s string) (string, error) {
	if !allDigits(s) {
		return "", errors.New("not digits")
	}
	id, err := pmid(s)
	return id.Value, err
}
