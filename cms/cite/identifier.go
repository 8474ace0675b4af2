package cite

import (
	"net/url"
	"regexp"
	"strings"
)

// Identifiers a work can be looked up by: what was pasted into the import
// box, read without the network.

// IDKind is the kind of identifier Identify recognised.
type IDKind string

// Identifier kinds.
const (
	IDDOI   IDKind = "doi"   // a DOI, any spelling NormalizeDOI accepts
	IDPMID  IDKind = "pmid"  // a PubMed id: digits
	IDPMCID IDKind = "pmcid" // a PubMed Central id: "PMC" and digits
	IDISBN  IDKind = "isbn"  // an ISBN-10 or -13, given as its ISBN-13
)

// ID is an identifier in its canonical form: a bare DOI, the digits of a
// PMID, "PMC" and digits, or the 13 digits of an ISBN.
type ID struct {
	Kind  IDKind
	Value string
}

// Limits of the identifiers Identify accepts.
const (
	MaxPMIDLen  = 9 // PMIDs are 8 digits today; one more leaves room
	MaxPMCIDLen = 12
)

var (
	// labelled: "PMID: 123", "PMID 123", "pmid:123", "PubMed ID: 123".
	pmidLabel = regexp.MustCompile(`(?i)^(?:pmid|pubmed(?:\s*id)?)\s*[:=#]?\s*([0-9]+)$`)
	// "PMC1234567", "PMCID: PMC1234567", "pmcid 1234567".
	pmcidRE = regexp.MustCompile(`(?i)^(?:pmcid\s*[:=#]?\s*)?(?:pmc)?\s*([0-9]+)$`)
	// "ISBN 978-…", "ISBN-13: …", "isbn10 0-…".
	isbnLabel = regexp.MustCompile(`(?i)^isbn(?:[- ]?1[03])?\s*[:=#]?\s*`)
	// an ISBN's characters: digits, a final X, hyphens and spaces.
	isbnChars = regexp.MustCompile(`^[0-9][0-9 -]*[0-9Xx]$`)
)

// Identify reads s as one identifier: a DOI in any spelling NormalizeDOI
// accepts; a PMID ("PMID: 22966034", a PubMed URL such as
// https://pubmed.ncbi.nlm.nih.gov/22966034/, or bare digits of at most
// MaxPMIDLen); a PMCID ("PMC3524543", "PMCID: PMC3524543", a PMC article
// URL on www.ncbi.nlm.nih.gov/pmc/articles/ or pmc.ncbi.nlm.nih.gov/articles/);
// or an ISBN-10 or -13 (with or without "ISBN", hyphens or spaces; bare 10
// or 13 digits are an ISBN). A stray full stop, comma or semicolon at the
// end is forgiven. An ISBN whose check digit is wrong is an *Error naming
// "isbn"; anything else that is none of these is an *Error naming "text"
// (with ok false). ok reports whether s looked like an identifier at all,
// so that a caller can tell "a DOI with a typo" from "not an identifier".
func Identify(s string) (id ID, err error) {
	s = strings.TrimRight(strings.TrimSpace(s), ".,; ")
	if s == "" {
		return ID{}, errorf("text", "Paste a DOI, a PMID, a PMCID, a PubMed link or an ISBN.")
	}
	if len(s) > MaxDOILen+40 {
		return ID{}, errorf("text", "This is too long to be a DOI, a PMID, a PMCID or an ISBN.")
	}
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") ||
		strings.HasPrefix(lower, "pubmed.ncbi") || strings.HasPrefix(lower, "www.ncbi") || strings.HasPrefix(lower, "pmc.ncbi") {
		if id, ok := pubmedURL(s); ok {
			return id, nil
		}
	}
	if m := pmidLabel.FindStringSubmatch(s); m != nil {
		return pmid(m[1])
	}
	if strings.HasPrefix(lower, "pmc") {
		if m := pmcidRE.FindStringSubmatch(s); m != nil {
			return pmcid(m[1])
		}
		return ID{}, errorf("pmcid", "A PMCID is \"PMC\" and digits (e.g. PMC3524543).")
	}
	if loc := isbnLabel.FindStringIndex(s); loc != nil {
		return isbn(s[loc[1]:])
	}
	if allDigits(s) && len(s) <= MaxPMIDLen && len(s) != 10 {
		return pmid(s)
	}
	if isbnChars.MatchString(s) {
		if n := len(isbnDigits(s)); n == 10 || n == 13 {
			return isbn(s)
		}
	}
	if d, err := NormalizeDOI(strings.TrimPrefix(strings.TrimPrefix(s, "DOI "), "doi ")); err == nil {
		return ID{Kind: IDDOI, Value: d}, nil
	} else if strings.Contains(lower, "10.") || strings.Contains(lower, "doi") {
		return ID{}, err
	}
	return ID{}, errorf("text", "This is not a DOI, a PMID, a PMCID, a PubMed link or an ISBN.")
}

// pubmedURL reads the PubMed and PMC article links: pubmed.ncbi.nlm.nih.gov/ID,
// www.ncbi.nlm.nih.gov/pubmed/ID, www.ncbi.nlm.nih.gov/pmc/articles/PMCID,
// pmc.ncbi.nlm.nih.gov/articles/PMCID (any trailing path, query or
// fragment).
func pubmedURL(s string) (ID, bool) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ID{}, false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	at := func(i int) string {
		if i < len(segs) {
			return segs[i]
		}
		return ""
	}
	var id ID
	var err2 error
	switch {
	case host == "pubmed.ncbi.nlm.nih.gov" && allDigits(at(0)):
		id, err2 = pmid(at(0))
	case host == "ncbi.nlm.nih.gov" && at(0) == "pubmed" && allDigits(at(1)):
		id, err2 = pmid(at(1))
	case host == "ncbi.nlm.nih.gov" && at(0) == "pmc" && at(1) == "articles":
		id, err2 = pmcidOf(at(2))
	case host == "pmc.ncbi.nlm.nih.gov" && at(0) == "articles":
		id, err2 = pmcidOf(at(1))
	default:
		return ID{}, false
	}
	return id, err2 == nil
}

func pmcidOf(seg string) (ID, error) {
	if len(seg) > 3 && strings.EqualFold(seg[:3], "pmc") && allDigits(seg[3:]) {
		return pmcid(seg[3:])
	}
	return ID{}, errorf("pmcid", "not a PMCID")
}

func pmid(digits string) (ID, error) {
	digits = strings.TrimLeft(digits, "0")
	if digits == "" || len(digits) > MaxPMIDLen {
		return ID{}, errorf("pmid", "A PMID is a number of 1 to %d digits (e.g. 22966034).", MaxPMIDLen)
	}
	return ID{Kind: IDPMID, Value: digits}, nil
}

func pmcid(digits string) (ID, error) {
	digits = strings.TrimLeft(digits, "0")
	if digits == "" || len(digits)+3 > MaxPMCIDLen {
		return ID{}, errorf("pmcid", "A PMCID is \"PMC\" and up to %d digits (e.g. PMC3524543).", MaxPMCIDLen-3)
	}
	return ID{Kind: IDPMCID, Value: "PMC" + digits}, nil
}

func isbn(s string) (ID, error) {
	v, err := NormalizeISBN(s)
	if err != nil {
		return ID{}, err
	}
	return ID{Kind: IDISBN, Value: v}, nil
}

// NormalizePMCID returns "PMC" and the digits of a PMCID written "PMC123",
// "pmc123" or "123", and false for anything else.
func NormalizePMCID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "pmc") {
		s = s[3:]
	}
	if !allDigits(s) {
		return "", false
	}
	id, err := pmcid(s)
	return id.Value, err == nil
}

// isbnDigits is s without hyphens and spaces, with a final x upper-cased.
func isbnDigits(s string) string {
	s = strings.NewReplacer("-", "", " ", "", "\u2010", "", "\u2011", "", "\u2013", "").Replace(s)
	return strings.ToUpper(s)
}

// NormalizeISBN returns the 13 digits of the ISBN s: an ISBN-13 or
// ISBN-10 with or without hyphens or spaces (an ISBN-10 becomes its
// ISBN-13 with the 978 prefix). A wrong length, a wrong character or a
// wrong check digit is an *Error naming "isbn".
func NormalizeISBN(s string) (string, error) {
	d := isbnDigits(strings.TrimSpace(s))
	switch {
	case len(d) == 10 && allDigits(d[:9]) && (allDigits(d[9:]) || d[9] == 'X'):
		if isbn10Check(d[:9]) != d[9] {
			return "", errorf("isbn", "The ISBN %s has a wrong check digit: check it against the book.", strings.TrimSpace(s))
		}
		b := "978" + d[:9]
		return b + string(isbn13Check(b)), nil
	case len(d) == 13 && allDigits(d):
		if !strings.HasPrefix(d, "978") && !strings.HasPrefix(d, "979") {
			return "", errorf("isbn", "An ISBN-13 starts with 978 or 979.")
		}
		if isbn13Check(d[:12]) != d[12] {
			return "", errorf("isbn", "The ISBN %s has a wrong check digit: check it against the book.", strings.TrimSpace(s))
		}
		return d, nil
	}
	return "", errorf("isbn", "An ISBN has 10 or 13 digits (the last of an ISBN-10 may be X), e.g. 978-0-7432-0161-2.")
}

// isbn10Check is the check character of the 9 digits d.
func isbn10Check(d string) byte {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += (10 - i) * int(d[i]-'0')
	}
	c := (11 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// isbn13Check is the check digit of the 12 digits d.
func isbn13Check(d string) byte {
	sum := 0
	for i := 0; i < 12; i++ {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += w * int(d[i]-'0')
	}
	return byte('0' + (10-sum%10)%10)
}
