package admin

import (
	"context"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// Reference health on the admin surface: what the panel shows of a
// reference's health (a badge with its label and notice as text, never
// colour alone), and the check made before a post goes live that it cites
// no retracted or withdrawn work unless she confirmed it (the panel's
// "Publish anyway", the API's "confirmRetracted": true). Drafts are never
// checked: only a save that publishes or schedules the post, or changes
// the references or text of a post that is live or scheduled.

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

// retractedCited returns the retracted or withdrawn works among those a
// post with reference list ids and Markdown body would cite once saved
// (the list, and the works the body cites), in the list's order.
func (a *Admin) retractedCited(ctx context.Context, ids []string, body string) ([]retractedRef, error) {
	refs, _, err := a.svc.PostReferences(ctx, ids, body)
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	all := make([]string, len(refs))
	for i, c := range refs {
		all[i] = c.ID
	}
	items, err := a.svc.RetractedCitations(ctx, all)
	if err != nil {
		return nil, err
	}
	out := make([]retractedRef, 0, len(items))
	for _, it := range items {
		if it.Citation == nil || it.Health == nil {
			continue
		}
		out = append(out, retractedRef{ID: it.Citation.ID, Key: it.Citation.Key, Status: it.Health.Status,
			Notice: healthNotice(it.Health), NoticeURL: it.Health.NoticeURL, cite: it.Citation, health: it.Health})
	}
	return out, nil
}

// retractedError refuses to put a post citing retracted works live until
// she confirms it: a Conflict naming confirmRetracted, whose problem
// lists the works ("retracted").
type retractedError struct {
	err  error
	refs []retractedRef
}

func (e *retractedError) Error() string { return e.err.Error() }
func (e *retractedError) Unwrap() error { return e.err }

func (e *retractedError) addTo(p *apiProblem) { p.Retracted = e.refs }

// refuseRetracted returns the retractedError for refs (nil when there are
// none).
func refuseRetracted(refs []retractedRef) error {
	if len(refs) == 0 {
		return nil
	}
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = "@" + r.Key
	}
	what := "a retracted or withdrawn work"
	if len(refs) > 1 {
		what = "retracted or withdrawn works"
	}
	msg := "This post cites " + what + ": " + strings.Join(keys, ", ") + ". Remove it, or send \"confirmRetracted\": true to publish anyway."
	return &retractedError{refs: refs, err: &cms.Error{Kind: cms.KindConflict, Op: "admin.publish", Message: msg,
		Fields: map[string]string{"confirmRetracted": "Cites " + strings.Join(keys, ", ") + ": confirm to publish anyway."}}}
}

// checkRetracted is the API's check before a save that puts a post live:
// unless confirmed, a post with reference list ids and body that cites
// retracted works is refused (retractedError).
func (a *Admin) checkRetracted(ctx context.Context, ids []string, body string, confirmed bool) error {
	if confirmed {
		return nil
	}
	refs, err := a.retractedCited(ctx, ids, body)
	if err != nil {
		return err
	}
	return refuseRetracted(refs)
}

// goesLive reports whether a save of in over post (nil: a new post) puts
// content live: it publishes or schedules the post, or changes the
// references or text of a post that is published or scheduled. Drafts
// are never checked.
func goesLive(post *cms.Post, in *cms.PostInput) bool {
	if in.Status != nil {
		return *in.Status == cms.StatusPublished || *in.Status == cms.StatusScheduled
	}
	return post != nil && (post.Public() || post.Status == cms.StatusScheduled) && (in.Body != nil || in.References != nil)
}

// afterSave returns the reference list and body a save of in over post
// (nil: a new post) leaves.
func afterSave(post *cms.Post, in *cms.PostInput) (ids []string, body string) {
	if post != nil {
		ids, body = post.References, post.Body
	}
	if in.References != nil {
		ids = *in.References
	}
	if in.Body != nil {
		body = *in.Body
	}
	return ids, body
}
