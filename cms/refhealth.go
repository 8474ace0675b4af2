package cms

import (
	"net/mail"
	"strings"
	"time"
)

// HealthStatus is what the reference checker found of a reference: the
// state of the work behind its DOI (Crossref's update relations) and of
// its web page.
type HealthStatus string

// The statuses, from best to worst for a reader. A work's status (ok,
// corrected, concern, withdrawn, retracted) wins over its link's (broken,
// archived).
const (
	HealthOK        HealthStatus = "ok"
	HealthCorrected HealthStatus = "corrected" // a correction, erratum, addendum or partial retraction
	HealthConcern   HealthStatus = "concern"   // an expression of concern
	HealthWithdrawn HealthStatus = "withdrawn" // withdrawn or removed by the publisher
	HealthRetracted HealthStatus = "retracted"
	HealthBroken    HealthStatus = "broken"   // the link (or the DOI) does not lead to the work, and no archived copy was found
	HealthArchived  HealthStatus = "archived" // the link is broken; an archived copy is used instead
)

// Severity orders statuses for lists: 0 for ok, higher is worse.
func (h HealthStatus) Severity() int {
	switch h {
	case HealthCorrected:
		return 1
	case HealthArchived:
		return 2
	case HealthBroken:
		return 3
	case HealthConcern:
		return 4
	case HealthWithdrawn:
		return 5
	case HealthRetracted:
		return 6
	}
	return 0
}

// Link states of a reference's web page (CitationHealth.Link).
const (
	LinkOK      = "ok"
	LinkBroken  = "broken"  // 4xx/5xx, the name does not resolve, unreachable
	LinkMoved   = "moved"   // redirected to another site
	LinkSoft404 = "soft404" // a page saying "not found", or the site's home page
)

// HealthValidators are what a server said of a resource last time (ETag,
// Last-Modified), sent back to make the next check a conditional request.
type HealthValidators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// CitationHealth is the reference checker's record of one citation. It is
// kept apart from the citation (its own document, keyed by the citation's
// id, with its own version), so that her edits of the citation and the
// checker's writes never overwrite each other. DOI and URL are those that
// were checked: once she changes either, the record no longer describes
// the citation (Current) and the citation is checked again first.
type CitationHealth struct {
	CitationID string       `json:"citationId"`
	DOI        string       `json:"doi"` // as checked
	URL        string       `json:"url"` // as checked
	Status     HealthStatus `json:"status"`
	// Notice is for people: "Retracted on 2025-03-02, see
	// doi:10.1016/…", "Corrected on …"; "" for ok.
	Notice     string `json:"notice,omitempty"`
	NoticeDOI  string `json:"noticeDoi,omitempty"`  // the retraction, correction … notice
	NoticeURL  string `json:"noticeUrl,omitempty"`  // https://doi.org/<NoticeDOI>
	NoticeDate string `json:"noticeDate,omitempty"` // YYYY-MM-DD (or YYYY-MM, YYYY)
	// Link is the state of the web URL ("" when it has none or pages are
	// not checked); Detail says why it is not ok ("HTTP 404",
	// "redirected to example.org", "the DOI is not registered").
	Link   string `json:"link,omitempty"`
	Detail string `json:"detail,omitempty"`
	// ArchiveURL is the Wayback Machine's copy of the page closest to
	// the date she accessed it, and ArchiveDate its date (YYYY-MM-DD),
	// when the link is not ok.
	ArchiveURL  string `json:"archiveUrl,omitempty"`
	ArchiveDate string `json:"archiveDate,omitempty"`
	// CheckedAt is when the last check completed; ChangedAt when Status
	// last changed (a first check counts as a change only when it finds
	// something wrong: zero while the reference has only been found ok).
	CheckedAt time.Time `json:"checkedAt,omitzero"`
	ChangedAt time.Time `json:"changedAt,omitzero"`
	// TriedAt is the last attempt, completed or not; LastError why it did
	// not complete ("" when it did): a busy or failing service. The
	// findings of the last completed check stay meanwhile.
	TriedAt   time.Time `json:"triedAt,omitzero"`
	LastError string    `json:"lastError,omitempty"`
	// Crossref and Page make the next check conditional.
	Crossref HealthValidators `json:"-"`
	Page     HealthValidators `json:"-"`
	Version  int              `json:"version"`
}

// Current reports whether h describes c as it is now: the same DOI and
// URL, and a check completed.
func (h *CitationHealth) Current(c *Citation) bool {
	return h != nil && c != nil && h.CitationID == c.ID && h.DOI == c.DOI && h.URL == c.URL && !h.CheckedAt.IsZero()
}

// Retracted reports whether the work is retracted or withdrawn: citing
// it deserves a warning before publishing.
func (h *CitationHealth) Retracted() bool {
	return h != nil && (h.Status == HealthRetracted || h.Status == HealthWithdrawn)
}

// LinkArchived reports whether readers should be sent to the archived
// copy rather than to the web URL: the link is not ok and a copy exists.
func (h *CitationHealth) LinkArchived() bool {
	return h != nil && h.Link != "" && h.Link != LinkOK && h.ArchiveURL != ""
}

// Checkable reports whether the checker has anything to check of c: a DOI
// or a web URL.
func (c *Citation) Checkable() bool { return c.DOI != "" || c.URL != "" }

// ReferenceHealthItem is one citation with its health for the panel:
// Health is nil when the citation was never checked, or not since its DOI
// or URL changed.
type ReferenceHealthItem struct {
	Citation *Citation       `json:"citation"`
	Health   *CitationHealth `json:"health"`
	// Changed is set when the status changed at or after the time asked
	// for (ReferenceHealth's since).
	Changed bool `json:"changed"`
	// LastError says why the last attempt to check the citation did not
	// complete (a busy service), also when it was never checked; "" when
	// it did.
	LastError string `json:"lastError,omitempty"`
}

// ReferenceHealthReport is the "Reference health" screen's data.
type ReferenceHealthReport struct {
	// Enabled says whether the checker runs at all (a network source is
	// configured).
	Enabled bool `json:"enabled"`
	// Items are every checkable citation: those whose status changed
	// since the time asked for first (latest change first), then those
	// that are not ok (worst first), then the unchecked, then the rest by
	// key.
	Items []ReferenceHealthItem `json:"items"`
	// LastCheckedAt is the latest completed check (zero: none yet).
	LastCheckedAt time.Time `json:"lastCheckedAt,omitzero"`
	// Requested is when "Check now" was last asked for (zero: never).
	Requested time.Time `json:"requested,omitzero"`
}

// MaxContactEmailLen bounds Settings.ContactEmail.
const MaxContactEmailLen = 254

// ContactEmailProblem returns why s cannot be the contact address sent
// with the reference checker's requests, or "" when it can ("" itself
// can: no address is sent).
func ContactEmailProblem(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > MaxContactEmailLen {
		return "Must be at most 254 characters."
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " \t\r\n;()<>\"") || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "Must be an email address, such as you@example.com."
	}
	return ""
}
