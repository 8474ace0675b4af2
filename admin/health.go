package admin

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Reference health on the admin surface: what the panel shows of a
// reference's health (a badge with its label and notice as text, never
// colour alone), and of the retracted or withdrawn works that cms refuses
// to put live unconfirmed (cms/post_retracted.go): the API lists them in
// its 409 ("retracted"), the panel in its warning with "Publish anyway".

// healthLabels name each status for people.
var healthLabels = map[cms.HealthStatus]string{
	cms.HealthOK:        "OK",
	cms.HealthCorrected: "Corrected",
	cms.HealthConcern:   "Expression of concern",
	cms.HealthWithdrawn: "Withdrawn",
	cms.HealthRetracted: "Retracted",
	cms.HealthBroken:    "Broken link",
	cms.HealthArchived:  "Archived copy in use",
}

// healthUnchecked is the filter and class name of references never
// checked (or not since their DOI or URL changed).
const healthUnchecked = "unchecked"

// healthView is what the panel shows of one reference's health.
// The admin API gives it as a citation's "health" (the editor's script
// shows the badge of a reference added from the library).
type healthView struct {
	Status string `json:"status"` // a cms.HealthStatus, or healthUnchecked
	Label  string `json:"label"`  // healthLabels, "Not checked yet"
	// Notice says what happened, for people: Crossref's notice
	// ("Retracted on 2025-03-02, see doi:…") or the link's problem.
	Notice    string `json:"notice"`
	NoticeURL string `json:"noticeUrl,omitempty"` // the retraction, correction … notice
	// ArchiveURL is the archived copy readers are sent to, of ArchiveDate.
	ArchiveURL  string    `json:"archiveUrl,omitempty"`
	ArchiveDate string    `json:"archiveDate,omitempty"`
	CheckedAt   time.Time `json:"checkedAt"`
	ChangedAt   time.Time `json:"changedAt"`
}

// newHealthView is the view of h; nil h is a reference not checked yet.
func newHealthView(h *cms.CitationHealth) healthView {
	if h == nil {
		return healthView{Status: healthUnchecked, Label: "Not checked yet"}
	}
	v := healthView{Status: string(h.Status), Label: healthLabels[h.Status], Notice: healthNotice(h), NoticeURL: h.NoticeURL,
		CheckedAt: h.CheckedAt, ChangedAt: h.ChangedAt}
	if v.Label == "" {
		v.Label = string(h.Status)
	}
	if h.LinkArchived() {
		v.ArchiveURL, v.ArchiveDate = h.ArchiveURL, h.ArchiveDate
	}
	return v
}

// Attention reports whether the reference needs her attention: checked,
// and not ok.
func (v healthView) Attention() bool {
	return v.Status != healthUnchecked && v.Status != string(cms.HealthOK)
}

// healthNotice says in words what the checker found of h: Crossref's
// notice of the work, then what is wrong with the link, if anything.
func healthNotice(h *cms.CitationHealth) string {
	var parts []string
	if h.Notice != "" {
		parts = append(parts, strings.TrimSuffix(h.Notice, ".")+".")
	}
	if h.Link != "" && h.Link != cms.LinkOK || h.Status == cms.HealthBroken {
		s := "The link no longer leads to the work"
		if h.Detail != "" {
			s += " (" + h.Detail + ")"
		}
		if h.LinkArchived() {
			s += "; readers get the archived copy"
			if h.ArchiveDate != "" {
				s += " of " + h.ArchiveDate
			}
		}
		parts = append(parts, s+".")
	}
	return strings.Join(parts, " ")
}

// healthByID returns the health of every checked reference, by citation
// id, as views.
func (a *Admin) healthByID(ctx context.Context) (map[string]healthView, error) {
	recs, err := a.svc.CitationHealthByID(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]healthView, len(recs))
	for id, h := range recs {
		out[id] = newHealthView(h)
	}
	return out, nil
}

// healthOf is the health of citation id in m (healthByID): not checked
// yet when m has none.
func healthOf(m map[string]healthView, id string) healthView {
	if v, ok := m[id]; ok {
		return v
	}
	return newHealthView(nil)
}

// retractedRef is a retracted or withdrawn work that a post about to go
// live cites, as the warning names it (and the API's problem lists it).
type retractedRef struct {
	ID        string           `json:"id"`
	Key       string           `json:"key"`
	Status    cms.HealthStatus `json:"status"`
	Notice    string           `json:"notice"`
	NoticeURL string           `json:"noticeUrl,omitempty"`

	cite   *cms.Citation       // the work, for the panel to format
	health *cms.CitationHealth // its record, for the panel's badge
}

// retractedRefs is what the surfaces show of the works a refused save
// cites (cms.RetractedError).
func retractedRefs(works []cms.ReferenceHealthItem) []retractedRef {
	out := make([]retractedRef, 0, len(works))
	for _, w := range works {
		if w.Citation == nil || w.Health == nil {
			continue
		}
		out = append(out, retractedRef{ID: w.Citation.ID, Key: w.Citation.Key, Status: w.Health.Status,
			Notice: healthNotice(w.Health), NoticeURL: w.Health.NoticeURL, cite: w.Citation, health: w.Health})
	}
	return out
}

// retractedOf returns the works of err when it refuses to put a post live
// citing retracted or withdrawn works she has not confirmed (a
// cms.RetractedError), else nil.
func retractedOf(err error) []retractedRef {
	var re *cms.RetractedError
	if !errors.As(err, &re) {
		return nil
	}
	return retractedRefs(re.Works)
}
