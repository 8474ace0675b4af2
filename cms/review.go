package cms

import (
	"cmp"
	"slices"
	"time"
)

// DueReview is a published post whose medical review is due.
type DueReview struct {
	Post *Post
	// Since is the date the period counts from: the last review, or, for
	// a post never reviewed, its publication.
	Since time.Time
	// Never is true for a post that was never reviewed.
	Never bool
}

// DueForReview returns the published, untrashed posts among posts whose
// last review is more than months ago at now, oldest first (ids break
// ties). A post never reviewed counts from its publication: it is due
// once it has been public for a whole period without a review. So a new
// post is not flagged the day it goes out (not every post is health
// advice that needs one), and a post public for a year with nobody
// having checked it shows up as surely as one whose review lapsed.
func DueForReview(posts []*Post, months int, now time.Time) []DueReview {
	if months <= 0 {
		months = DefaultReviewPeriodMonths
	}
	cutoff := now.AddDate(0, -months, 0)
	var out []DueReview
	for _, p := range posts {
		if !p.Public() {
			continue
		}
		d := DueReview{Post: p, Since: p.PublishedAt, Never: true}
		if t, ok := ParseDate(p.LastReviewed); ok {
			d.Since, d.Never = t, false
		}
		if !d.Since.IsZero() && d.Since.Before(cutoff) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b DueReview) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.Post.ID, b.Post.ID))
	})
	return out
}
