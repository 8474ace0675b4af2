package cite

import (
	"encoding/json"
	"regexp"
	"strings"
)

// ParseOpenLibraryBook reads Open Library's Books API answer to
// /api/books?bibkeys=ISBN:{isbn}&format=json&jscmd=data (an object keyed
// by the bibkey, https://openlibrary.org/dev/docs/api/books) into a book
// reference, normalised but not validated: title (with its subtitle),
// authors, publisher and place, year, edition where given, and the ISBN.
// isbn is the 13 digits asked about. An empty answer ({}: Open Library
// does not know the ISBN) is an *Error naming "isbn" whose NoRecord
// reports true; an answer that is not such JSON is an *Error naming
// "isbn".
func ParseOpenLibraryBook(body []byte, isbn string) (*Reference, error) {
	var books map[string]openLibraryBook
	if err := json.Unmarshal(body, &books); err != nil {
		return nil, &Error{Field: "isbn", Message: "Open Library's answer could not be read: " + err.Error()}
	}
	b, ok := books["ISBN:"+isbn]
	if !ok && len(books) == 1 {
		for _, only := range books {
			b, ok = only, true
		}
	}
	if !ok {
		return nil, &Error{Field: "isbn", Message: "Open Library has no book with the ISBN " + isbn + ".", NoRecord: true}
	}
	if crossrefText(b.Title) == "" {
		return nil, &Error{Field: "isbn", Message: "Open Library's answer could not be read: the book has no title."}
	}
	return b.reference(isbn), nil
}

type openLibraryBook struct {
	Title       string            `json:"title"`
	Subtitle    string            `json:"subtitle"`
	Authors     []openLibraryName `json:"authors"`
	Publishers  []openLibraryName `json:"publishers"`
	Places      []openLibraryName `json:"publish_places"`
	PublishDate string            `json:"publish_date"`
	Edition     string            `json:"edition_name"`
	URL         string            `json:"url"`
	Identifiers struct {
		ISBN13 []string `json:"isbn_13"`
		ISBN10 []string `json:"isbn_10"`
	} `json:"identifiers"`
}

type openLibraryName struct {
	Name string `json:"name"`
}

func (b *openLibraryBook) reference(isbn string) *Reference {
	r := &Reference{Type: Book, Title: crossrefText(b.Title), ISBN: isbn, Edition: editionNumber(b.Edition)}
	sub := crossrefText(b.Subtitle)
	if editionStatement.MatchString(sub) { // "Third Edition": the edition, not a subtitle
		if r.Edition == "" {
			r.Edition = editionNumber(sub)
		}
		sub = ""
	}
	if sub != "" && !strings.Contains(strings.ToLower(r.Title), strings.ToLower(sub)) {
		r.Title = strings.TrimRight(r.Title, ":; ") + ": " + sub
	}
	for _, a := range b.Authors {
		if n := personName(crossrefText(a.Name)); !n.IsZero() {
			r.Authors = append(r.Authors, n)
		}
	}
	if len(b.Publishers) > 0 {
		r.Publisher = crossrefText(b.Publishers[0].Name)
	}
	if len(b.Places) > 0 {
		r.PublisherPlace = strings.Trim(crossrefText(b.Places[0].Name), "[] ")
	}
	r.Year = firstYear(b.PublishDate)
	r.Normalize()
	return r
}

// degrees are what follows a name on a cover, not part of it.
var degrees = map[string]bool{"md": true, "m.d.": true, "phd": true, "ph.d.": true, "faap": true, "rn": true,
	"ibclc": true, "dr.": true, "dr": true, "mph": true, "msc": true, "ma": true, "bsc": true, "facp": true}

// personName splits a name as a catalogue gives it: "Ferber, Richard" or
// "Richard Ferber" (the last word is the family name; "Jr." and degrees
// such as "M.D." are left out of it).
func personName(s string) Name {
	if family, given, ok := strings.Cut(s, ","); ok && !degrees[strings.ToLower(strings.TrimSpace(given))] {
		return Name{Family: strings.TrimSpace(family), Given: strings.TrimSpace(given)}
	}
	s, _, _ = strings.Cut(s, ",")
	words := strings.Fields(s)
	for len(words) > 1 && degrees[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	suffix := ""
	if n := len(words); n > 2 && (words[n-1] == "Jr." || words[n-1] == "Sr." || words[n-1] == "III") {
		suffix, words = words[n-1], words[:n-1]
	}
	switch len(words) {
	case 0:
		return Name{}
	case 1:
		return Name{Family: words[0]}
	}
	n := Name{Family: words[len(words)-1], Given: strings.Join(words[:len(words)-1], " ")}
	if suffix != "" {
		n.Given += ", " + suffix
	}
	return n
}

// editionStatement matches a subtitle that only states the edition.
var editionStatement = regexp.MustCompile(`(?i)^[0-9a-z.]+\s+(?:edition|ed\.?|edn)$`)

// ordinals are the spelled-out editions catalogues give.
var ordinals = map[string]string{"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5",
	"sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "revised": "Rev."}

// editionNumber reads "2nd ed.", "Second edition", "Rev. ed." as the
// edition field wants it: "2nd", "2", "Rev."; a first edition is no
// edition.
func editionNumber(s string) string {
	s = crossrefText(s)
	low := strings.ToLower(s)
	for _, suf := range []string{" edition", " ed.", " ed", " edn"} {
		if strings.HasSuffix(low, suf) {
			s, low = strings.TrimSpace(s[:len(s)-len(suf)]), low[:len(low)-len(suf)]
			break
		}
	}
	if o, ok := ordinals[strings.TrimSpace(low)]; ok {
		s = o
	}
	if s == "1" || strings.EqualFold(s, "1st") {
		return ""
	}
	return s
}
