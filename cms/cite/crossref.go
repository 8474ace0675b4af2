package cite

import (
	"encoding/json"
	"errors"
	"html"
	"regexp"
	"strings"
)

// ParseCrossref reads the answer of Crossref's REST API to GET
// /works/{doi} (an envelope {"message": work}) into a reference,
// normalised but not validated. doi fills the DOI when the work has none.
// An answer that is not such JSON is an error naming "doi"; cms does the
// asking (its timeouts, its size limit, its error kinds).
func ParseCrossref(body []byte, doi string) (*Reference, error) {
	var env struct {
		Message *crossrefWork `json:"message"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Message == nil {
		if err == nil {
			err = errors.New("no message")
		}
		return nil, &Error{Field: "doi", Message: "Crossref's answer could not be read: " + err.Error()}
	}
	r := env.Message.reference()
	if r.DOI == "" {
		r.DOI = doi
	}
	return r, nil
}

// crossrefWork is the part of Crossref's "work" message that a citation
// uses (https://api.crossref.org/swagger-ui/index.html, /works/{doi}).
type crossrefWork struct {
	Type                string          `json:"type"`
	Title               []string        `json:"title"`
	ContainerTitle      []string        `json:"container-title"`
	ShortContainerTitle []string        `json:"short-container-title"`
	Author              []crossrefName  `json:"author"`
	Editor              []crossrefName  `json:"editor"`
	Issued              crossrefDate    `json:"issued"`
	Volume              string          `json:"volume"`
	Issue               string          `json:"issue"`
	Page                string          `json:"page"`
	ArticleNumber       string          `json:"article-number"`
	Edition             json.RawMessage `json:"edition-number"` // a string, sometimes a number
	Publisher           string          `json:"publisher"`
	PublisherLocation   string          `json:"publisher-location"`
	DOI                 string          `json:"DOI"`
	URL                 string          `json:"URL"`
}

type crossrefName struct {
	Family string `json:"family"`
	Given  string `json:"given"`
	Name   string `json:"name"` // an organisation
}

// crossrefDate is {"date-parts": [[2012, 9, 10]]}; parts may be missing
// or null.
type crossrefDate struct {
	DateParts [][]*int `json:"date-parts"`
}

// crossrefMarkup matches the JATS and HTML tags Crossref titles carry
// ("<i>Homo sapiens</i>", "<scp>ADHD</scp>").
var crossrefMarkup = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9:_-]*(?:\s[^<>]*)?/?>`)

// crossrefText strips tags and decodes entities; the formatters escape what
// is left.
func crossrefText(s string) string {
	return CollapseSpace(html.UnescapeString(crossrefMarkup.ReplaceAllString(s, "")))
}

func crossrefFirst(ss []string) string {
	for _, s := range ss {
		if s = crossrefText(s); s != "" {
			return s
		}
	}
	return ""
}

// crossrefType maps Crossref's work types to ours.
func crossrefType(t, url string) Type {
	switch t {
	case "journal-article", "journal-issue", "magazine-article", "newspaper-article":
		return Article
	case "book", "monograph", "edited-book", "reference-book", "book-set", "book-series":
		return Book
	case "book-chapter", "book-section", "book-part", "reference-entry", "proceedings-article", "book-track":
		return Chapter
	case "report", "report-component", "report-series", "dissertation", "standard", "posted-content", "dataset":
		return Report
	}
	if url != "" {
		return Webpage
	}
	return Report
}

func crossrefNames(ns []crossrefName) []Name {
	out := make([]Name, 0, len(ns))
	for _, n := range ns {
		if n.Family == "" && n.Given == "" {
			out = append(out, Name{Literal: crossrefText(n.Name)})
			continue
		}
		out = append(out, Name{Family: crossrefText(n.Family), Given: crossrefText(n.Given)})
	}
	return out
}

// reference converts the work; the result is normalised, not validated.
func (w *crossrefWork) reference() *Reference {
	c := &Reference{
		Title:          crossrefFirst(w.Title),
		Container:      crossrefFirst(w.ContainerTitle),
		ContainerShort: crossrefFirst(w.ShortContainerTitle),
		Authors:        crossrefNames(w.Author),
		Editors:        crossrefNames(w.Editor),
		Volume:         crossrefText(w.Volume),
		Issue:          crossrefText(w.Issue),
		Pages:          crossrefText(w.Page),
		ArticleNumber:  crossrefText(w.ArticleNumber),
		Publisher:      crossrefText(w.Publisher),
		PublisherPlace: crossrefText(w.PublisherLocation),
		DOI:            strings.TrimSpace(w.DOI),
	}
	if len(w.Edition) > 0 {
		var s string
		if json.Unmarshal(w.Edition, &s) != nil {
			s = strings.Trim(string(w.Edition), `"`)
		}
		c.Edition = crossrefText(s)
	}
	if c.ContainerShort == c.Container {
		c.ContainerShort = ""
	}
	// The work's URL is usually its DOI link, which the DOI already gives.
	if u := strings.TrimSpace(w.URL); u != "" && !strings.Contains(strings.ToLower(u), "doi.org/") {
		c.URL = u
	}
	c.Type = crossrefType(w.Type, c.URL)
	if len(w.Issued.DateParts) > 0 {
		parts := w.Issued.DateParts[0]
		get := func(i int) int {
			if i < len(parts) && parts[i] != nil {
				return *parts[i]
			}
			return 0
		}
		if y := get(0); y >= 1000 && y <= 9999 {
			c.Year = y
			if m := get(1); m >= 1 && m <= 12 {
				c.Month = m
				if d := get(2); d >= 1 && d <= 31 && c.Type == Webpage {
					c.Day = d
				}
			}
		}
	}
	// Journal articles are cited by year (APA) and AMA wants no month
	// either; keep the month only where the styles print it.
	if c.Type != Webpage {
		c.Month, c.Day = 0, 0
	}
	c.Normalize()
	return c
}
