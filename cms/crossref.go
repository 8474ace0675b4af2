package cms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Looking a DOI up online: Crossref's REST API (GET {base}/works/{doi})
// fills a citation from the DOI alone. It is optional and off unless
// ServiceConfig.CrossrefURL is set; a lookup is bounded by
// CrossrefTimeout and its failure never stands in the way of saving: the
// caller keeps what it had.

// CrossrefTimeout bounds one lookup, the request and reading its answer.
const CrossrefTimeout = 3 * time.Second

// maxCrossrefBytes bounds a Crossref answer (a work is a few KB; one with
// a long reference list a few hundred).
const maxCrossrefBytes = 2 << 20

// crossrefClient asks one Crossref-compatible server about DOIs.
type crossrefClient struct {
	base string // "https://api.crossref.org", no trailing slash
	http *http.Client
}

// newCrossrefClient checks base (an absolute http(s) URL) and returns a
// client, or nil for "" (lookups off).
func newCrossrefClient(base string) (*crossrefClient, error) {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" {
		return nil, nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cms.NewService: CrossrefURL %q is not an http(s) URL such as https://api.crossref.org", base)
	}
	return &crossrefClient{base: base, http: &http.Client{Timeout: CrossrefTimeout}}, nil
}

// CrossrefEnabled reports whether DOIs can be looked up online.
func (s *Service) CrossrefEnabled() bool { return s.crossref != nil }

// LookupDOI asks Crossref for the work with doi (any accepted spelling)
// and returns it as an unsaved, normalised, unvalidated citation with no
// key. Errors: KindInvalid (not a DOI), KindNotFound (Crossref does not
// know it), KindUnavailable (lookups are off, the server did not answer
// within CrossrefTimeout or answered something unusable).
func (s *Service) LookupDOI(ctx context.Context, doi string) (*Citation, error) {
	const op = "cms.LookupDOI"
	d, err := NormalizeDOI(doi)
	if err != nil {
		return nil, err
	}
	if s.crossref == nil {
		return nil, Errorf(KindUnavailable, op, "Looking DOIs up online is turned off (LULLABY_CROSSREF_URL).")
	}
	c, err := s.crossref.work(ctx, d)
	if err != nil {
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != KindNotFound {
			s.log.Warn("crossref lookup", "doi", d, "err", err)
		}
		return nil, err
	}
	return c, nil
}

// work fetches and converts one work.
func (cl *crossrefClient) work(ctx context.Context, doi string) (*Citation, error) {
	const op = "cms.LookupDOI"
	ctx, cancel := context.WithTimeout(ctx, CrossrefTimeout)
	defer cancel()
	segs := strings.Split(doi, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cl.base+"/works/"+strings.Join(segs, "/"), nil)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "The DOI could not be looked up.", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Lullaby/1 (https://github.com/lullabycms/lullaby)")
	res, err := cl.http.Do(req)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref did not answer in time; fill the form in by hand.", Err: err}
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, &Error{Kind: KindNotFound, Op: op, Message: "Crossref does not know this DOI."}
	case res.StatusCode != http.StatusOK:
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref could not answer just now; fill the form in by hand.",
			Err: fmt.Errorf("crossref: status %d", res.StatusCode)}
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxCrossrefBytes+1))
	if err != nil || len(body) > maxCrossrefBytes {
		if err == nil {
			err = errors.New("crossref: answer too large")
		}
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref's answer could not be read.", Err: err}
	}
	var env struct {
		Message *crossrefWork `json:"message"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Message == nil {
		if err == nil {
			err = errors.New("crossref: no message")
		}
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref's answer could not be read.", Err: err}
	}
	c := env.Message.citation()
	if c.DOI == "" {
		c.DOI = doi
	}
	return c, nil
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
	return collapseSpace(html.UnescapeString(crossrefMarkup.ReplaceAllString(s, "")))
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
func crossrefType(t, url string) CitationType {
	switch t {
	case "journal-article", "journal-issue", "magazine-article", "newspaper-article":
		return CiteArticle
	case "book", "monograph", "edited-book", "reference-book", "book-set", "book-series":
		return CiteBook
	case "book-chapter", "book-section", "book-part", "reference-entry", "proceedings-article", "book-track":
		return CiteChapter
	case "report", "report-component", "report-series", "dissertation", "standard", "posted-content", "dataset":
		return CiteReport
	}
	if url != "" {
		return CiteWebpage
	}
	return CiteReport
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

// citation converts the work; the result is normalised, not validated.
func (w *crossrefWork) citation() *Citation {
	c := &Citation{
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
				if d := get(2); d >= 1 && d <= 31 && c.Type == CiteWebpage {
					c.Day = d
				}
			}
		}
	}
	// Journal articles are cited by year (APA) and AMA wants no month
	// either; keep the month only where the styles print it.
	if c.Type != CiteWebpage {
		c.Month, c.Day = 0, 0
	}
	c.Normalize()
	return c
}
