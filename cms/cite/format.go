package cite

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Formatted is a reference rendered in one style: Text is plain text (no
// markup: italics are lost), HTML is safe to insert into a page as is (every
// field escaped; <i> for italics; DOIs and http(s) URLs as links).
type Formatted struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}

// refBuf builds a reference as plain text and HTML side by side.
type refBuf struct {
	text, html strings.Builder
}

func (b *refBuf) plain(s string) {
	b.text.WriteString(s)
	b.html.WriteString(html.EscapeString(s))
}

func (b *refBuf) italic(s string) {
	if s == "" {
		return
	}
	b.text.WriteString(s)
	b.html.WriteString("<i>")
	b.html.WriteString(html.EscapeString(s))
	b.html.WriteString("</i>")
}

// link writes a link to href (already checked to be http(s)) showing shown.
func (b *refBuf) link(href, shown string) {
	b.text.WriteString(shown)
	b.html.WriteString(`<a href="`)
	b.html.WriteString(html.EscapeString(href))
	b.html.WriteString(`">`)
	b.html.WriteString(html.EscapeString(shown))
	b.html.WriteString("</a>")
}

// space writes a space unless the reference is empty or already ends in one.
func (b *refBuf) space() {
	s := b.text.String()
	if s != "" && !strings.HasSuffix(s, " ") {
		b.plain(" ")
	}
}

// period ends an element with a period, unless it already ends with
// terminal punctuation.
func (b *refBuf) period() {
	if !endsWithTerminal(b.text.String()) {
		b.plain(".")
	}
}

func (b *refBuf) result() Formatted {
	return Formatted{Text: strings.TrimSpace(b.text.String()), HTML: strings.TrimSpace(b.html.String())}
}

func endsWithTerminal(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '?' || r == '!'
}

// DOIURL returns the https://doi.org/ link for a bare DOI with the
// characters that are special in URLs percent-encoded.
func DOIURL(doi string) string {
	var b strings.Builder
	b.WriteString("https://doi.org/")
	for i := 0; i < len(doi); i++ {
		c := doi[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~/:;()@!$*+,=[]'&", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// usableDOI returns the citation's DOI in bare form, or "" when it has none
// or it is not a DOI.
func usableDOI(c *Reference) string {
	if c.DOI == "" {
		return ""
	}
	d, err := NormalizeDOI(c.DOI)
	if err != nil {
		return ""
	}
	return d
}

// usableURL returns the citation's URL if it is an absolute http(s) URL
// without control characters, else "".
func usableURL(c *Reference) string {
	if !httpURL(c.URL) {
		return ""
	}
	return c.URL
}

// pageRange replaces every run of hyphens and dashes in pages with dash,
// and completes an abbreviated range ("1263-76" -> "1263-1276"): APA and
// AMA both give page numbers in full.
func pageRange(pages, dash string) string {
	var b strings.Builder
	inDash := false
	for _, r := range pages {
		if r == '-' || r == '–' || r == '—' || r == '‐' || r == '‑' || r == '−' {
			if !inDash {
				b.WriteString(dash)
			}
			inDash = true
			continue
		}
		inDash = false
		b.WriteRune(r)
	}
	out := b.String()
	if from, to, ok := strings.Cut(out, dash); ok && dash != "" && allDigits(from) && allDigits(to) && len(to) < len(from) && from[0] != '0' {
		out = from + dash + from[:len(from)-len(to)] + to
	}
	return out
}

func isPageRange(pages string) bool {
	return strings.ContainsAny(pages, "-–—‐‑−,")
}

// ordinal turns "3" into "3rd"; other editions are returned as entered.
func ordinal(ed string) string {
	if !allDigits(ed) {
		return ed
	}
	n, err := strconv.Atoi(ed)
	if err != nil {
		return ed
	}
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return ed + suffix
}

// editionLabel returns "3rd ed." (APA, with periods) or "3rd ed" (the AMA
// caller adds its own punctuation) from the edition as entered, or "" for a
// first or unknown edition.
func editionLabel(ed string, ama bool) string {
	ed = strings.TrimSpace(ed)
	switch strings.ToLower(ed) {
	case "", "1", "1st", "first":
		return ""
	}
	ed = ordinal(ed)
	low := strings.ToLower(ed)
	if !strings.HasSuffix(low, "ed.") && !strings.HasSuffix(low, "ed") && !strings.HasSuffix(low, "edition") {
		ed += " ed."
	}
	if ama {
		ed = strings.ReplaceAll(ed, ".", "")
	}
	return ed
}

// initials splits a given name into initials: "Anna M. H." and "AMH" give
// ["A", "M", "H"]; "Jean-Pierre" gives ["J-P"] (the caller decides the
// punctuation inside: "J.-P." in APA, "J-P" in AMA).
func initials(given string) [][]string {
	var out [][]string
	for _, tok := range strings.FieldsFunc(given, func(r rune) bool { return unicode.IsSpace(r) || r == '.' }) {
		// "AMH": initials run together, as PubMed and RIS exports give them.
		if n := utf8.RuneCountInString(tok); n >= 2 && n <= 3 && strings.ToUpper(tok) == tok && !strings.ContainsRune(tok, '-') {
			for _, r := range tok {
				if unicode.IsLetter(r) {
					out = append(out, []string{string(r)})
				}
			}
			continue
		}
		var parts []string
		for _, p := range strings.Split(tok, "-") {
			r, _ := utf8.DecodeRuneInString(p)
			if r != utf8.RuneError && unicode.IsLetter(r) {
				parts = append(parts, string(unicode.ToUpper(r)))
			}
		}
		if len(parts) > 0 {
			out = append(out, parts)
		}
	}
	return out
}

// apaInitials returns "A. M. H." or "J.-P.".
func apaInitials(given string) string {
	var ws []string
	for _, in := range initials(given) {
		ws = append(ws, strings.Join(in, ".-")+".")
	}
	return strings.Join(ws, " ")
}

// amaInitials returns "AMH" or "J-P".
func amaInitials(given string) string {
	var b strings.Builder
	for _, in := range initials(given) {
		b.WriteString(strings.Join(in, "-"))
	}
	return b.String()
}

// apaName returns "Price, A. M. H." (inverted) or "A. M. H. Price".
func apaName(n Name, inverted bool) string {
	if n.Literal != "" {
		return n.Literal
	}
	in := apaInitials(n.Given)
	switch {
	case in == "":
		return n.Family
	case inverted:
		return n.Family + ", " + in
	default:
		return in + " " + n.Family
	}
}

func amaName(n Name) string {
	if n.Literal != "" {
		return n.Literal
	}
	if in := amaInitials(n.Given); in != "" {
		return n.Family + " " + in
	}
	return n.Family
}

// apaNameList joins names APA's way: "A", "A, & B", "A, B, & C"; with 21
// or more, the first 19, an ellipsis and the last.
func apaNameList(names []Name, inverted bool) string {
	f := func(n Name) string { return apaName(n, inverted) }
	switch n := len(names); {
	case n == 0:
		return ""
	case n == 1:
		return f(names[0])
	case n > 20:
		parts := make([]string, 0, 20)
		for _, nm := range names[:19] {
			parts = append(parts, f(nm))
		}
		return strings.Join(parts, ", ") + ", . . . " + f(names[n-1])
	case n == 2 && !inverted:
		// Editors in a chapter: "A. Editor & B. Editor".
		return f(names[0]) + " & " + f(names[1])
	default:
		parts := make([]string, 0, n)
		for _, nm := range names[:n-1] {
			parts = append(parts, f(nm))
		}
		return strings.Join(parts, ", ") + ", & " + f(names[n-1])
	}
}

// amaNameList joins names AMA's way: all of up to 6, else the first 3 and
// "et al".
func amaNameList(names []Name) string {
	if len(names) > 6 {
		parts := []string{amaName(names[0]), amaName(names[1]), amaName(names[2]), "et al"}
		return strings.Join(parts, ", ")
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = amaName(n)
	}
	return strings.Join(parts, ", ")
}

func monthName(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return time.Month(m).String()
}

// apaDate returns "2012", "2023, March 4", "2023, March" or "n.d.", with
// the year suffix when there is one ("2012a", "n.d.-a").
func apaDate(c *Reference, suffix string) string {
	s := apaYear(c, suffix)
	if c.Year <= 0 {
		return s
	}
	if c.Type == Webpage || c.Type == Report {
		if m := monthName(c.Month); m != "" {
			s += ", " + m
			if c.Day > 0 {
				s += fmt.Sprintf(" %d", c.Day)
			}
		}
	}
	return s
}

// longDate returns "March 4, 2024", "March 2024" or "2024".
func longDate(y, m, d int) string {
	switch {
	case y <= 0:
		return ""
	case monthName(m) == "":
		return fmt.Sprint(y)
	case d <= 0:
		return fmt.Sprintf("%s %d", monthName(m), y)
	default:
		return fmt.Sprintf("%s %d, %d", monthName(m), d, y)
	}
}

func accessedDate(c *Reference) string {
	t, err := time.Parse("2006-01-02", c.Accessed)
	if err != nil {
		return ""
	}
	return longDate(t.Year(), int(t.Month()), t.Day())
}

// soleLiteral returns the organisation name when the only author is one.
func soleLiteral(names []Name) string {
	if len(names) == 1 {
		return names[0].Literal
	}
	return ""
}

// italicTitle reports whether the work's own title is set in italics (APA;
// AMA too, except for web pages).
func italicTitle(t Type) bool {
	return t == Book || t == Report || t == Webpage
}

// FormatAPA renders c in APA 7th edition reference-list style, on its own
// (in a List, Entry.APA adds the year's letter). The
// title is in sentence case (see sentenceCase), and so is the book a chapter
// is in; a journal or website keeps its name as entered.
func FormatAPA(c *Reference) Formatted { return formatAPA(c, "") }

// formatAPA is FormatAPA with suffix after the year ("a" for "2012a").
func formatAPA(c *Reference, suffix string) Formatted {
	var b refBuf
	authors := apaNameList(c.Authors, true)
	if authors == "" && c.Type == Book && len(c.Editors) > 0 {
		authors = apaNameList(c.Editors, true)
		if len(c.Editors) == 1 {
			authors += " (Ed.)"
		} else {
			authors += " (Eds.)"
		}
	}
	titleFirst := authors == ""
	if titleFirst {
		apaTitle(&b, c)
	} else {
		b.plain(authors)
		b.period()
	}
	b.space()
	b.plain("(" + apaDate(c, suffix) + ").")
	if !titleFirst {
		b.space()
		apaTitle(&b, c)
	}
	switch c.Type {
	case Article:
		if c.Container != "" {
			b.space()
			b.italic(PlainTitle(c.Container))
			if c.Volume != "" {
				b.plain(", ")
				b.italic(c.Volume)
			}
			if c.Issue != "" {
				b.plain("(" + c.Issue + ")")
			}
			switch {
			case c.ArticleNumber != "":
				b.plain(", Article " + c.ArticleNumber)
			case c.Pages != "":
				b.plain(", " + pageRange(c.Pages, "–"))
			}
			b.period()
		}
	case Chapter:
		b.space()
		b.plain("In ")
		if len(c.Editors) > 0 {
			b.plain(apaNameList(c.Editors, false))
			if len(c.Editors) == 1 {
				b.plain(" (Ed.), ")
			} else {
				b.plain(" (Eds.), ")
			}
		}
		b.italic(sentenceCase(c.Container, caseAPA))
		var paren []string
		if ed := editionLabel(c.Edition, false); ed != "" {
			paren = append(paren, ed)
		}
		if c.Pages != "" {
			if isPageRange(c.Pages) {
				paren = append(paren, "pp. "+pageRange(c.Pages, "–"))
			} else {
				paren = append(paren, "p. "+c.Pages)
			}
		}
		if len(paren) > 0 {
			b.plain(" (" + strings.Join(paren, ", ") + ")")
		}
		b.period()
		apaPublisher(&b, c)
	case Webpage:
		if c.Container != "" && !strings.EqualFold(PlainTitle(c.Container), soleLiteral(c.Authors)) {
			b.space()
			b.plain(PlainTitle(c.Container))
			b.period()
		}
	default: // book, report
		apaPublisher(&b, c)
	}
	if doi := usableDOI(c); doi != "" {
		b.space()
		b.link(DOIURL(doi), "https://doi.org/"+doi)
	} else if u := usableURL(c); u != "" {
		b.space()
		// Undated pages change: APA 7 (9.16) adds when they were read.
		if d := accessedDate(c); d != "" && c.Year <= 0 && c.Type == Webpage {
			b.plain("Retrieved " + d + ", from ")
		}
		b.link(u, u)
	}
	return b.result()
}

// apaTitle writes the title element in sentence case: italic for
// stand-alone works, with the edition in parentheses for books.
func apaTitle(b *refBuf, c *Reference) {
	if c.Title == "" {
		return
	}
	title := sentenceCase(c.Title, caseAPA)
	if !italicTitle(c.Type) {
		b.plain(title)
		b.period()
		return
	}
	b.italic(title)
	if c.Type == Book || c.Type == Report {
		if ed := editionLabel(c.Edition, false); ed != "" {
			b.plain(" (" + ed + ")")
		}
	}
	b.period()
}

// apaPublisher writes the publisher, left out when it is the (sole,
// organisation) author, as APA 7 asks.
func apaPublisher(b *refBuf, c *Reference) {
	if c.Publisher == "" || strings.EqualFold(c.Publisher, soleLiteral(c.Authors)) {
		return
	}
	b.space()
	b.plain(c.Publisher)
	b.period()
}

// FormatAMA renders c in AMA Manual of Style (11th edition) reference-list
// style. Article and chapter titles are in sentence case (see sentenceCase);
// book, report and web page titles keep their case, and journal names are
// printed as entered: ContainerShort (the NLM abbreviation) when set, else
// Container.
func FormatAMA(c *Reference) Formatted {
	var b refBuf
	container := PlainTitle(c.Container)
	authors := c.Authors
	if c.Type == Webpage && container != "" && strings.EqualFold(soleLiteral(authors), container) {
		authors = nil // the organisation is named as the site
	}
	if len(authors) > 0 {
		b.plain(amaNameList(authors))
		b.period()
	} else if c.Type == Book && len(c.Editors) > 0 {
		b.plain(amaNameList(c.Editors))
		if len(c.Editors) == 1 {
			b.plain(", ed.")
		} else {
			b.plain(", eds.")
		}
	}
	if c.Title != "" {
		b.space()
		switch {
		case c.Type == Article || c.Type == Chapter:
			b.plain(sentenceCase(c.Title, caseAMA))
		case italicTitle(c.Type) && c.Type != Webpage:
			b.italic(PlainTitle(c.Title))
		default:
			b.plain(PlainTitle(c.Title))
		}
		b.period()
	}
	year := ""
	if c.Year > 0 {
		year = fmt.Sprint(c.Year)
	}
	switch c.Type {
	case Article:
		if j := PlainTitle(firstNonEmpty(c.ContainerShort, c.Container)); j != "" {
			b.space()
			b.italic(j)
			b.period()
		}
		loc := year
		if c.Volume != "" {
			loc += ";" + c.Volume
		}
		if c.Issue != "" {
			loc += "(" + c.Issue + ")"
		}
		switch {
		case c.ArticleNumber != "":
			loc += ":" + c.ArticleNumber
		case c.Pages != "":
			loc += ":" + pageRange(c.Pages, "-")
		}
		if loc != "" {
			b.space()
			b.plain(loc)
			b.period()
		}
	case Chapter:
		b.space()
		b.plain("In: ")
		if len(c.Editors) > 0 {
			b.plain(amaNameList(c.Editors))
			if len(c.Editors) == 1 {
				b.plain(", ed. ")
			} else {
				b.plain(", eds. ")
			}
		}
		b.italic(container)
		b.period()
		amaEditionPublisher(&b, c, year, pageRange(c.Pages, "-"))
	case Webpage:
		if container != "" {
			b.space()
			b.plain(container)
			b.period()
		}
		if d := longDate(c.Year, c.Month, c.Day); d != "" {
			b.space()
			b.plain("Published " + d + ".")
		}
	default: // book, report
		amaEditionPublisher(&b, c, year, "")
	}
	if doi := usableDOI(c); doi != "" {
		b.space()
		b.link(DOIURL(doi), "doi:"+doi)
	} else if u := usableURL(c); u != "" {
		if d := accessedDate(c); d != "" {
			b.space()
			b.plain("Accessed " + d + ".")
		}
		b.space()
		b.link(u, u)
	}
	return b.result()
}

// amaEditionPublisher writes "3rd ed. Publisher; 2015:16-26."
func amaEditionPublisher(b *refBuf, c *Reference, year, pages string) {
	if ed := editionLabel(c.Edition, true); ed != "" {
		b.space()
		b.plain(ed + ".")
	}
	pub := c.Publisher
	if pub != "" && year != "" {
		pub += "; " + year
	} else if pub == "" {
		pub = year
	}
	if pages != "" {
		pub += ":" + pages
	}
	if pub != "" {
		b.space()
		b.plain(pub)
		b.period()
	}
}

// APAInText returns the APA 7 parenthetical citation for c without the
// parentheses: "Price et al., 2012", "Hiscock & Wake, 2002", "World Health
// Organization, 2019", "Sadeh, n.d."; locator ("p. 645") is appended after a
// comma. Works with no author use the title, as entered (APA keeps title
// case in the text). In a List, Entry.APAInText adds the year's letter
// ("Smith, 2012a"). (AMA cites by number: List numbers
// references in order of first citation.)
func APAInText(c *Reference, locator string) string { return apaInText(c, "", locator) }

// apaInText is APAInText with suffix after the year.
func apaInText(c *Reference, suffix, locator string) string {
	names := c.Authors
	if len(names) == 0 && c.Type == Book {
		names = c.Editors
	}
	short := func(n Name) string {
		if n.Literal != "" {
			return n.Literal
		}
		return n.Family
	}
	var who string
	switch len(names) {
	case 0:
		who = PlainTitle(c.Title)
		if !italicTitle(c.Type) {
			who = "“" + who + "”"
		}
	case 1:
		who = short(names[0])
	case 2:
		who = short(names[0]) + " & " + short(names[1])
	default:
		who = short(names[0]) + " et al."
	}
	s := who + ", " + apaYear(c, suffix)
	if locator = strings.TrimSpace(locator); locator != "" {
		s += ", " + locator
	}
	return s
}

// apaYear returns "2012", "2012a", "n.d." or "n.d.-a".
func apaYear(c *Reference, suffix string) string {
	if c.Year <= 0 {
		if suffix != "" {
			return "n.d.-" + suffix
		}
		return "n.d."
	}
	return fmt.Sprint(c.Year) + suffix
}

// CSLName is a name in CSL-JSON.
type CSLName struct {
	Family  string `json:"family,omitempty"`
	Given   string `json:"given,omitempty"`
	Literal string `json:"literal,omitempty"`
}

// CSLDate is a date in CSL-JSON: {"date-parts": [[2012, 10, 5]]}.
type CSLDate struct {
	DateParts [][]int `json:"date-parts"`
}

// CSLItem is one reference in CSL-JSON, the input format of citation
// processors such as citeproc-js and citeproc-rs.
type CSLItem struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"`
	Title          string    `json:"title,omitempty"`
	ContainerTitle string    `json:"container-title,omitempty"`
	Author         []CSLName `json:"author,omitempty"`
	Editor         []CSLName `json:"editor,omitempty"`
	Issued         *CSLDate  `json:"issued,omitempty"`
	Accessed       *CSLDate  `json:"accessed,omitempty"`
	Volume         string    `json:"volume,omitempty"`
	Issue          string    `json:"issue,omitempty"`
	Page           string    `json:"page,omitempty"`
	Number         string    `json:"number,omitempty"`
	Edition        string    `json:"edition,omitempty"`
	Publisher      string    `json:"publisher,omitempty"`
	PublisherPlace string    `json:"publisher-place,omitempty"`
	DOI            string    `json:"DOI,omitempty"`
	PMID           string    `json:"PMID,omitempty"`
	PMCID          string    `json:"PMCID,omitempty"`
	ISBN           string    `json:"ISBN,omitempty"`
	URL            string    `json:"URL,omitempty"`
}

// CSLJSON converts c to a CSL-JSON item. The id is the citation key; page ranges use an en dash as CSL expects;
// words kept in case with braces ("{Ferber}") are marked
// <span class="nocase">, as citation processors expect.
func CSLJSON(c *Reference) CSLItem {
	it := CSLItem{
		ID:             c.Key,
		Type:           string(c.Type),
		Title:          cslTitle(c.Title),
		ContainerTitle: cslTitle(c.Container),
		Author:         cslNames(c.Authors),
		Editor:         cslNames(c.Editors),
		Volume:         c.Volume,
		Issue:          c.Issue,
		Page:           pageRange(c.Pages, "–"),
		Number:         c.ArticleNumber,
		Edition:        c.Edition,
		Publisher:      c.Publisher,
		PublisherPlace: c.PublisherPlace,
		DOI:            usableDOI(c),
		PMID:           c.PMID,
		PMCID:          c.PMCID,
		ISBN:           c.ISBN,
		URL:            usableURL(c),
	}
	if !Type(it.Type).Valid() {
		it.Type = "document"
	}
	if c.Year > 0 {
		parts := []int{c.Year}
		if c.Month >= 1 && c.Month <= 12 {
			parts = append(parts, c.Month)
			if c.Day >= 1 && c.Day <= 31 {
				parts = append(parts, c.Day)
			}
		}
		it.Issued = &CSLDate{DateParts: [][]int{parts}}
	}
	if t, err := time.Parse("2006-01-02", c.Accessed); err == nil {
		it.Accessed = &CSLDate{DateParts: [][]int{{t.Year(), int(t.Month()), t.Day()}}}
	}
	return it
}

func cslNames(ns []Name) []CSLName {
	if len(ns) == 0 {
		return nil
	}
	out := make([]CSLName, len(ns))
	for i, n := range ns {
		if n.Literal != "" {
			out[i] = CSLName{Literal: n.Literal}
		} else {
			out[i] = CSLName{Family: n.Family, Given: n.Given}
		}
	}
	return out
}
