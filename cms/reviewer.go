package cms

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a reviewer's fields, in characters.
const (
	MaxReviewerNameLen        = 120
	MaxReviewerCredentialsLen = 120
	MaxReviewerBioLen         = 1000
	// MaxPostReviewers is how many reviewers one post can name.
	MaxPostReviewers = 5
)

// Reviewer is a person who reviews posts for medical accuracy, e.g. a
// pediatrician: "Medically reviewed by Dr Ada Jones, MD, FAAP".
type Reviewer struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"` // e.g. "MD, FAAP"
	Bio         string `json:"bio"`
	// PhotoMediaID is their photo from the media library ("" for none).
	PhotoMediaID string `json:"photoMediaId"`
	// Photo is the size and variants of PhotoMediaID's media, copied when
	// it is chosen (as a post copies its cover's).
	Photo      *PostImage `json:"-"`
	ProfileURL string     `json:"profileUrl"` // their page: a practice, a hospital, a registry
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
}

// ReviewerInput carries a create or a partial update of a reviewer.
type ReviewerInput struct {
	Name         *string `json:"name"`
	Credentials  *string `json:"credentials"`
	Bio          *string `json:"bio"`
	PhotoMediaID *string `json:"photoMediaId"` // "" removes the photo
	ProfileURL   *string `json:"profileUrl"`
	Version      *int    `json:"version"`
}

func (in *ReviewerInput) apply(r *Reviewer) {
	trim := strings.TrimSpace
	if in.Name != nil {
		r.Name = trim(*in.Name)
	}
	if in.Credentials != nil {
		r.Credentials = trim(*in.Credentials)
	}
	if in.Bio != nil {
		r.Bio = trim(*in.Bio)
	}
	if in.PhotoMediaID != nil {
		if id := strings.ToLower(trim(*in.PhotoMediaID)); id != r.PhotoMediaID {
			r.PhotoMediaID, r.Photo = id, nil
		}
	}
	if in.ProfileURL != nil {
		r.ProfileURL = trim(*in.ProfileURL)
	}
}

// Validate checks the reviewer's fields.
func (r *Reviewer) Validate() error {
	pr := Problems{}
	if r.Name == "" {
		pr.Add("name", "A name is required.")
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{
		{"name", r.Name, MaxReviewerNameLen}, {"credentials", r.Credentials, MaxReviewerCredentialsLen}, {"bio", r.Bio, MaxReviewerBioLen},
	} {
		if utf8.RuneCountInString(f.v) > f.max {
			pr.Add(f.field, "Must be at most "+strconv.Itoa(f.max)+" characters.")
		}
	}
	checkLine(pr, "name", r.Name)
	checkLine(pr, "credentials", r.Credentials)
	checkText(pr, "bio", r.Bio)
	if r.PhotoMediaID != "" && !ValidID(r.PhotoMediaID) {
		pr.Add("photoMediaId", "Must be a media id.")
	}
	if r.ProfileURL != "" {
		if msg := URLProblem(r.ProfileURL); msg != "" {
			pr.Add("profileUrl", msg)
		}
	}
	return pr.Err("cms.Reviewer.Validate")
}

// Byline is the reviewer's name with their credentials: "Ada Jones, MD".
func (r *Reviewer) Byline() string {
	if r.Credentials == "" {
		return r.Name
	}
	return r.Name + ", " + r.Credentials
}

// DateLayout is how dates without a time (a post's LastReviewed) are
// written: ISO 8601, "2026-03-01".
const DateLayout = time.DateOnly

// ParseDate reads a date written as DateLayout. ok is false for anything
// else, including a calendar date that does not exist.
func ParseDate(s string) (t time.Time, ok bool) {
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

// validateReview checks a post's medical review: known-looking reviewer
// ids, at most MaxPostReviewers, a real date, and reviewers and a date
// together (a review without a date, or a date without a reviewer, says
// nothing a reader can trust).
func (p *Post) validateReview(pr Problems) {
	if len(p.ReviewerIDs) > MaxPostReviewers {
		pr.Add("reviewerIds", "A post can name at most "+strconv.Itoa(MaxPostReviewers)+" reviewers.")
	}
	for _, id := range p.ReviewerIDs {
		if !ValidID(id) {
			pr.Add("reviewerIds", "Each reviewer must be a reviewer id.")
			break
		}
	}
	if p.LastReviewed != "" {
		if _, ok := ParseDate(p.LastReviewed); !ok {
			pr.Add("lastReviewed", "Must be a date written as YYYY-MM-DD, e.g. 2026-03-01.")
		}
	}
	switch {
	case len(p.ReviewerIDs) > 0 && p.LastReviewed == "":
		pr.Add("lastReviewed", "Give the date of the review.")
	case len(p.ReviewerIDs) == 0 && p.LastReviewed != "":
		pr.Add("reviewerIds", "Name who reviewed the post, or clear the review date.")
	}
}

// checkReviewDate refuses a review dated after today (with a day's grace
// for time zones) or before 1990, as Invalid naming "lastReviewed".
func checkReviewDate(op string, p *Post, now time.Time) error {
	d, ok := ParseDate(p.LastReviewed)
	if !ok {
		return nil
	}
	switch {
	case d.After(now.Add(24 * time.Hour)):
		return Problems{"lastReviewed": "A review cannot be dated in the future."}.Err(op)
	case d.Year() < 1990:
		return Problems{"lastReviewed": "Must be a date from 1990 on."}.Err(op)
	}
	return nil
}
