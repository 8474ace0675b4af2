package admin

import (
	"context"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// reviewForm is the post's medical review in the editor: who reviewed it
// and the date (an <input type="date">, "2026-03-01").
type reviewForm struct {
	// Field says the form carries the fields (review=1); without them the
	// stored review stays.
	Field        bool
	ReviewerIDs  []string
	LastReviewed string
}

// reviewerOption is one reviewer she can tick in the editor.
type reviewerOption struct {
	ID, Byline string
	Checked    bool
}

// parseReviewFields reads the medical review fields of the editor form.
func parseReviewFields(c *fiber.Ctx, f *postForm) {
	f.Review = reviewForm{Field: c.FormValue("review") == "1", ReviewerIDs: formValues(c, "reviewerIds"),
		LastReviewed: strings.TrimSpace(strings.Clone(c.FormValue("lastReviewed")))}
}

// reviewFromPost fills the form's medical review from the stored post.
func reviewFromPost(f *postForm, p *cms.Post) {
	f.Review = reviewForm{Field: true, ReviewerIDs: slices.Clone(nonNil(p.ReviewerIDs)), LastReviewed: p.LastReviewed}
}

// reviewInput sets the medical review of in when the form carries it:
// saved with the rest of the post, in the same save.
func (f postForm) reviewInput(in *cms.PostInput) {
	if f.Review.Field {
		ids, date := nonNil(slices.Clone(f.Review.ReviewerIDs)), f.Review.LastReviewed
		in.ReviewerIDs, in.LastReviewed = &ids, &date
	}
}

// reviewChangedFrom reports whether saving f would change p's review.
func (f postForm) reviewChangedFrom(p *cms.Post) bool {
	return f.Review.Field && (!slices.Equal(nonNil(f.Review.ReviewerIDs), nonNil(p.ReviewerIDs)) || f.Review.LastReviewed != p.LastReviewed)
}

// editorReviewers lists every reviewer, those the form names ticked; a
// named reviewer since deleted is listed by id, so that unticking it is
// possible.
func (a *Admin) editorReviewers(ctx context.Context, f postForm) ([]reviewerOption, error) {
	rs, err := a.svc.ListReviewers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]reviewerOption, 0, len(rs))
	known := map[string]bool{}
	for _, r := range rs {
		known[r.ID] = true
		out = append(out, reviewerOption{ID: r.ID, Byline: r.Byline(), Checked: slices.Contains(f.Review.ReviewerIDs, r.ID)})
	}
	for _, id := range f.Review.ReviewerIDs {
		if !known[id] {
			out = append(out, reviewerOption{ID: id, Byline: "(unknown reviewer " + id + ")", Checked: true})
		}
	}
	return out, nil
}
