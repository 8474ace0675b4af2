package cite

import (
	"strings"
	"unicode/utf8"
)

// ParseRIS reads RIS records (as Zotero, Mendeley, EndNote, PubMed's "RIS"
// download and publishers export them) into citations, in order.
//
// A record starts with "TY  - " and ends with "ER  - ". Tags read:
//   - TY: JOUR, EJOUR, MGZN, NEWS → journal article; BOOK, EBOOK, EDBOOK →
//     book; CHAP, ECHAP, CONF, CPAPER → chapter; RPRT, GOVDOC, THES, STAND →
//     report; ELEC, WEB, BLOG → web page; others → web page with a UR, else
//     report;
//   - AU/A1 authors ("Family, Given"; a name without a comma is an
//     organisation), A2/ED editors (A2 is ignored on journal articles);
//   - PY/Y1/DA date ("YYYY/MM/DD/"), Y2 accessed date;
//   - TI/T1 title; T2/JF/JO/BT container (BT is the title of a BOOK);
//     J2/JA/J1 journal abbreviation;
//   - VL, IS, SP/EP pages (an SP starting with a letter and no EP, such as
//     "e20151486", is an article number; so is an M1 like it), ET, PB, CY;
//   - DO (or a DOI in M3), UR (the first), AN or N1 "PMID: 123" (or AN
//     alone when DB/DP says PubMed), ID (the key, when it is a valid one).
//
// Other tags are ignored. A line that is not a tag continues the previous
// field.
//
// Decisions: CRLF and CR line ends and a byte-order mark are accepted; a
// missing ER before the next TY or at the end of the input is accepted (the
// record ends there); a tag outside a record is an error naming its line.
// The result is normalised but not validated. Errors are *Error values
// (TooLarge past the limits); the parser never panics.
func ParseRIS(src string) ([]Reference, error) {
	if len(src) > MaxImportBytes {
		return nil, tooLarge("The RIS is larger than 1 MiB: import it in parts.")
	}
	if !utf8.ValidString(src) {
		src = strings.ToValidUTF8(src, "\uFFFD")
	}
	src = strings.TrimPrefix(src, "\uFEFF")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")

	// Join continuation lines to the tagged line before them first: a
	// builder per field keeps long wrapped values linear.
	type risField struct {
		line int
		tag  string
		val  strings.Builder
	}
	var fields []*risField
	for n, line := range strings.Split(src, "\n") {
		tag, val, ok := risLine(line)
		if !ok {
			if more := strings.TrimSpace(line); more != "" && len(fields) > 0 && fields[len(fields)-1].tag != "ER" {
				f := fields[len(fields)-1]
				f.val.WriteByte(' ')
				f.val.WriteString(more)
			}
			continue
		}
		f := &risField{line: n + 1, tag: tag}
		f.val.WriteString(val)
		fields = append(fields, f)
	}

	var (
		out []Reference
		rec *risRecord
	)
	finish := func() error {
		if rec == nil {
			return nil
		}
		if len(out) == MaxImportEntries {
			return tooLarge("RIS: more than %d records: import them in parts.", MaxImportEntries)
		}
		c, err := rec.reference()
		if err != nil {
			return errorf("text", "RIS: record starting at line %d: %s", rec.line, err.Error())
		}
		out = append(out, c)
		rec = nil
		return nil
	}
	for _, f := range fields {
		val := f.val.String()
		switch {
		case f.tag == "TY":
			if err := finish(); err != nil {
				return nil, err
			}
			rec = &risRecord{line: f.line, ty: strings.ToUpper(strings.TrimSpace(val)), tags: map[string][]string{}}
		case f.tag == "ER":
			if rec == nil {
				return nil, errorf("text", "RIS: line %d: ER (end of record) without a TY (start of record) before it.", f.line)
			}
			if err := finish(); err != nil {
				return nil, err
			}
		case rec == nil:
			return nil, errorf("text", "RIS: line %d: %s outside a record (a record starts with a \"TY  - \" line).", f.line, f.tag)
		default:
			if err := rec.add(f.tag, val); err != nil {
				return nil, errorf("text", "RIS: line %d: %s", f.line, err.Error())
			}
		}
	}
	if err := finish(); err != nil { // a last record without ER
		return nil, err
	}
	if len(out) == 0 {
		return nil, errorf("text", "No RIS records found (a record starts with a \"TY  - \" line and ends with \"ER  - \").")
	}
	return out, nil
}

// risLine splits "AU  - Price, Anna" into tag and value. It accepts one or
// two spaces before the hyphen and none or one after it ("ER  -").
func risLine(line string) (tag, val string, ok bool) {
	line = strings.TrimRight(line, " \t")
	line = strings.TrimLeft(line, " \uFEFF")
	if len(line) < 4 {
		return "", "", false
	}
	a, b := line[0], line[1]
	if !('A' <= a && a <= 'Z') || !('A' <= b && b <= 'Z' || '0' <= b && b <= '9') {
		return "", "", false
	}
	rest := line[2:]
	sp := len(rest) - len(strings.TrimLeft(rest, " "))
	if sp < 1 || sp > 2 || len(rest) <= sp || rest[sp] != '-' {
		return "", "", false
	}
	val = rest[sp+1:]
	if val != "" && val[0] != ' ' {
		return "", "", false
	}
	return line[:2], strings.TrimSpace(val), true
}

type risRecord struct {
	line  int
	ty    string
	tags  map[string][]string
	names int
}

func (r *risRecord) add(tag, val string) error {
	switch tag {
	case "AU", "A1", "A2", "ED", "A3", "A4":
		r.names++
		if r.names > 2*MaxNames {
			return errorf("text", "more than %d names in one record", MaxNames)
		}
	}
	if len(r.tags[tag]) >= 2*MaxNames {
		return nil // absurd repetition of another tag: keep the first ones
	}
	r.tags[tag] = append(r.tags[tag], val)
	return nil
}

func (r *risRecord) first(tags ...string) string {
	for _, t := range tags {
		for _, v := range r.tags[t] {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return ""
}

func (r *risRecord) reference() (Reference, error) {
	var c Reference
	switch r.ty {
	case "JOUR", "EJOUR", "JFULL", "MGZN", "NEWS", "ABST", "INPR":
		c.Type = Article
	case "BOOK", "EBOOK", "EDBOOK", "CLSWK":
		c.Type = Book
	case "CHAP", "ECHAP", "CONF", "CPAPER":
		c.Type = Chapter
	case "RPRT", "GOVDOC", "THES", "STAND", "MANSCPT", "UNPB", "PAT":
		c.Type = Report
	case "ELEC", "WEB", "BLOG", "ICOMM":
		c.Type = Webpage
	default:
		if r.first("UR") != "" {
			c.Type = Webpage
		} else {
			c.Type = Report
		}
	}
	authorTags := []string{"AU", "A1"}
	if len(r.tags["AU"])+len(r.tags["A1"]) > MaxNames || len(r.tags["A2"])+len(r.tags["ED"]) > MaxNames {
		return c, errorf("text", "more than %d authors or editors", MaxNames)
	}
	for _, t := range authorTags {
		for _, v := range r.tags[t] {
			c.Authors = append(c.Authors, risName(v))
		}
	}
	for _, t := range []string{"A2", "ED"} {
		if c.Type == Article && t == "A2" {
			continue // for journals A2 is sometimes the journal's editor: not cited
		}
		for _, v := range r.tags[t] {
			c.Editors = append(c.Editors, risName(v))
		}
	}
	c.Title = r.first("TI", "T1", "CT")
	switch c.Type {
	case Book:
		if c.Title == "" {
			c.Title = r.first("BT")
		}
	case Article:
		c.Container = r.first("T2", "JF", "JO", "JA", "J2", "J1", "BT")
		if c.ContainerShort = r.first("J2", "JA", "J1"); c.ContainerShort == c.Container {
			c.ContainerShort = ""
		}
	case Webpage:
		c.Container = r.first("T2", "PB", "DP")
	default:
		c.Container = r.first("T2", "BT", "JF", "JO")
	}
	if c.Type == Report {
		c.Container = "" // a series title is not cited in our report formats
	}
	c.Volume = r.first("VL")
	c.Issue = r.first("IS", "CP")
	sp, ep := r.first("SP"), r.first("EP")
	switch {
	case sp != "" && ep != "" && ep != sp:
		c.Pages = sp + "-" + ep
	case sp != "" && ep == "" && !strings.ContainsAny(sp, "-–") && c.Type == Article && (sp[0] < '0' || sp[0] > '9'):
		c.ArticleNumber = sp
	default:
		c.Pages = pageRange(sp, "-")
	}
	if c.Type == Article && c.ArticleNumber == "" && c.Pages == "" {
		c.ArticleNumber = r.first("M1", "C7")
		if !looksLikeArticleNumber(c.ArticleNumber) {
			c.ArticleNumber = ""
		}
	}
	c.Edition = r.first("ET")
	c.Publisher = r.first("PB")
	if c.Type == Webpage && c.Publisher == c.Container {
		c.Publisher = ""
	}
	c.PublisherPlace = r.first("CY", "PP")
	c.DOI = r.first("DO")
	if c.DOI == "" {
		if m := r.first("M3"); strings.HasPrefix(strings.ToLower(m), "10.") || strings.HasPrefix(strings.ToLower(m), "doi:") || strings.Contains(strings.ToLower(m), "doi.org/") {
			c.DOI = m
		}
	}
	c.URL = r.first("UR", "L2")
	c.Accessed = isoDate(r.first("Y2"))
	c.Year, c.Month, c.Day = parseDate(r.first("DA", "PY", "Y1"))
	if y, _, _ := parseDate(r.first("PY", "Y1")); y > 0 && y != c.Year {
		c.Year, c.Month, c.Day = y, 0, 0 // the publication year wins over a differing DA
	}
	c.PMID = risPMID(r)
	// SN is the ISSN of a journal and the ISBN of a book.
	if i, err := NormalizeISBN(r.first("SN")); err == nil && c.Type != Article {
		c.ISBN = i
	}
	if p, ok := NormalizePMCID(r.first("C2")); ok && strings.HasPrefix(strings.ToUpper(r.first("C2")), "PMC") {
		c.PMCID = p
	}
	if id := strings.ToLower(r.first("ID")); ValidKey(id) {
		c.Key = id
	}
	c.Normalize()
	return c, nil
}

func looksLikeArticleNumber(s string) bool {
	if s == "" || len(s) > 20 || strings.ContainsAny(s, " /") {
		return false
	}
	return s[0] == 'e' || s[0] == 'E' || allDigits(s)
}

// risPMID returns a PubMed id from AN ("PMID: 22966034", or digits when the
// record says it comes from PubMed), or from C1/M2-style "PMID: …" notes.
func risPMID(r *risRecord) string {
	for _, t := range []string{"AN", "C1", "C2", "M2", "N1"} {
		for _, v := range r.tags[t] {
			low := strings.ToLower(v)
			if i := strings.Index(low, "pmid:"); i >= 0 {
				rest := strings.TrimSpace(v[i+len("pmid:"):])
				if f := strings.Fields(rest); len(f) > 0 && allDigits(strings.TrimRight(f[0], ".;,")) {
					return strings.TrimRight(f[0], ".;,")
				}
			}
		}
	}
	an := r.first("AN")
	src := strings.ToLower(r.first("DB") + " " + r.first("DP"))
	if allDigits(an) && len(an) <= 9 && (strings.Contains(src, "pubmed") || strings.Contains(src, "medline") || strings.Contains(src, "nlm")) {
		return an
	}
	return ""
}

// risName parses "Price, Anna M. H." or "Price, A.M.H." (a person) or
// "World Health Organization" (no comma: an organisation).
func risName(v string) Name {
	v = strings.TrimSpace(v)
	fam, given, ok := strings.Cut(v, ",")
	if !ok {
		return Name{Literal: v}
	}
	// "Family, Given, Suffix": the suffix stays with the family name.
	if g, suffix, ok := strings.Cut(given, ","); ok {
		given = g
		fam = strings.TrimSpace(fam) + " " + strings.TrimSpace(suffix)
	}
	return Name{Family: strings.TrimSpace(fam), Given: strings.TrimSpace(given)}
}
