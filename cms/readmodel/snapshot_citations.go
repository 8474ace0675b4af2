package readmodel

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cite"
)

// PublicCitation is a reference as the public API returns it: the
// structured fields (titles without their keep-case braces), both formats
// and CSL-JSON for any citation processor.
type PublicCitation struct {
	ID             string           `json:"id"`
	Key            string           `json:"key"`
	Type           cms.CitationType `json:"type"`
	Authors        []cms.Name       `json:"authors"`
	Editors        []cms.Name       `json:"editors"`
	Year           int              `json:"year,omitempty"`
	Month          int              `json:"month,omitempty"`
	Day            int              `json:"day,omitempty"`
	Title          string           `json:"title"`
	Container      string           `json:"container,omitempty"`
	ContainerShort string           `json:"containerShort,omitempty"`
	Volume         string           `json:"volume,omitempty"`
	Issue          string           `json:"issue,omitempty"`
	Pages          string           `json:"pages,omitempty"`
	ArticleNumber  string           `json:"articleNumber,omitempty"`
	Edition        string           `json:"edition,omitempty"`
	Publisher      string           `json:"publisher,omitempty"`
	PublisherPlace string           `json:"publisherPlace,omitempty"`
	DOI            string           `json:"doi,omitempty"`
	PMID           string           `json:"pmid,omitempty"`
	PMCID          string           `json:"pmcid,omitempty"`
	ISBN           string           `json:"isbn,omitempty"`
	URL            string           `json:"url,omitempty"`
	Accessed       string           `json:"accessed,omitempty"`
	// OriginalURL is the web URL as she entered it, when URL is the
	// archived copy that replaces it (the link is broken).
	OriginalURL string        `json:"originalUrl,omitempty"`
	Health      *PublicHealth `json:"health,omitempty"` // absent until the reference is checked
	APA         cms.Formatted `json:"apa"`
	AMA         cms.Formatted `json:"ama"`
	CSL         cms.CSLItem   `json:"csl"`
}

// PublicHealth is what the reference checker last found of a reference.
type PublicHealth struct {
	Status cms.HealthStatus `json:"status"`
	// Notice is for people: "Retracted on 2025-03-02, see doi:10.…".
	Notice    string    `json:"notice,omitempty"`
	NoticeURL string    `json:"noticeUrl,omitempty"` // the notice itself (https://doi.org/…)
	CheckedAt time.Time `json:"checkedAt"`
	// ArchiveDate is the date of the archived copy URL leads to, when
	// the link is broken (status archived).
	ArchiveDate string `json:"archiveDate,omitempty"`
}

// publicHealth is h as the API gives it (nil: none).
func publicHealth(h *cms.CitationHealth) *PublicHealth {
	if h == nil {
		return nil
	}
	p := &PublicHealth{Status: h.Status, Notice: h.Notice, NoticeURL: h.NoticeURL, CheckedAt: h.CheckedAt}
	if h.LinkArchived() {
		p.ArchiveDate = h.ArchiveDate
	}
	return p
}

// PublicReference is one entry of a post's reference list, which is in
// the order of the site's style (ReferenceList): APA's alphabetical
// order, AMA's order of first citation. Its apa form carries the year's
// letter when the list has several works by the same authors in one year.
type PublicReference struct {
	PublicCitation
	Number int    `json:"number"` // 1-based position in the list: the AMA number
	Anchor string `json:"anchor"` // "ref-<key>", the id in-text citations link to
}

// PublicCitationPage is GET /api/v1/citations/{key}: the reference and the
// published posts that cite it, newest first.
type PublicCitationPage struct {
	PublicCitation
	Posts []json.RawMessage `json:"posts"` // PublicPostSummary
}

// publicCitation is c as the API gives it, apa its APA form (with its
// year letter in a post's reference list).
func publicCitation(c *cms.Citation, apa cms.Formatted) PublicCitation {
	names := func(ns []cms.Name) []cms.Name {
		if ns == nil {
			return []cms.Name{}
		}
		return ns
	}
	return PublicCitation{
		ID: c.ID, Key: c.Key, Type: c.Type, Authors: names(c.Authors), Editors: names(c.Editors),
		Year: c.Year, Month: c.Month, Day: c.Day, Title: cite.PlainTitle(c.Title), Container: cite.PlainTitle(c.Container), ContainerShort: cite.PlainTitle(c.ContainerShort),
		Volume: c.Volume, Issue: c.Issue, Pages: c.Pages, ArticleNumber: c.ArticleNumber, Edition: c.Edition,
		Publisher: c.Publisher, PublisherPlace: c.PublisherPlace, DOI: c.DOI, PMID: c.PMID, PMCID: c.PMCID, ISBN: c.ISBN, URL: c.URL, Accessed: c.Accessed,
		APA: apa, AMA: cms.FormatAMA(c), CSL: cms.CSLJSON(c), Health: publicHealth(c.Health), OriginalURL: originalURL(c),
	}
}

// originalURL is the URL she entered, when c's is the archived copy.
func originalURL(c *cms.Citation) string {
	if c.Health.LinkArchived() && c.URL != c.Health.URL {
		return c.Health.URL
	}
	return ""
}

// publicReferences is a post's reference list as the API gives it.
func publicReferences(list *cms.ReferenceList) []PublicReference {
	out := make([]PublicReference, len(list.Entries))
	for i, e := range list.Entries {
		out[i] = PublicReference{PublicCitation: publicCitation(e.Citation, e.APA()), Number: e.Number, Anchor: "ref-" + e.Citation.Key}
	}
	return out
}

// citationDeps identifies the library's state: entries are rebuilt when
// any reference changes.
func citationDeps(cites []*cms.Citation) string {
	var b strings.Builder
	for _, c := range cites {
		b.WriteString(c.ID)
		b.WriteString(strconv.Itoa(c.Version))
		if c.Health != nil {
			b.WriteByte('h')
			b.WriteString(strconv.Itoa(c.Health.Version))
		}
	}
	return b.String()
}

// buildCitations makes the body of every reference's page.
func (s *Snapshot) buildCitations(cites []*cms.Citation) error {
	s.citations = make(map[string]*Body, len(cites))
	for _, c := range cites {
		page := PublicCitationPage{PublicCitation: publicCitation(c, cms.FormatAPA(c)), Posts: []json.RawMessage{}}
		for _, e := range s.posts {
			if slices.Contains(e.post.References, c.ID) {
				page.Posts = append(page.Posts, e.summary)
			}
		}
		body, err := marshal(struct {
			Data PublicCitationPage `json:"data"`
		}{page})
		if err != nil {
			return err
		}
		s.citations[c.Key] = NewBody(body)
	}
	return nil
}

// Citation returns the body of GET /api/v1/citations/{key}; key is
// matched case-insensitively. NotFound if no reference has it.
func (s *Snapshot) Citation(key string) (*Body, error) {
	if b := s.citations[strings.ToLower(key)]; b != nil {
		return b, nil
	}
	return nil, cms.Errorf(cms.KindNotFound, "readmodel.Snapshot.Citation", "No reference has the key %q.", truncate(key, 80))
}
