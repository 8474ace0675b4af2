package cms

import (
	"context"
	"fmt"
	"strings"
)

// CreateReviewer stores a new reviewer. Errors: KindInvalid (bad fields,
// a photo not in the media library), KindUnavailable, KindInternal.
func (s *Service) CreateReviewer(ctx context.Context, actor *User, in ReviewerInput) (*Reviewer, error) {
	const op = "cms.CreateReviewer"
	now := s.timeNow()
	r := &Reviewer{ID: NewID(), Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(r)
	if err := s.prepareReviewer(ctx, op, r); err != nil {
		return nil, err
	}
	if err := s.store.CreateReviewer(ctx, r); err != nil {
		return nil, err
	}
	s.published(ctx)
	return r, nil
}

// UpdateReviewer changes reviewer id; in.Version is required. Posts
// naming the reviewer show the change at once. Errors: KindInvalid,
// KindNotFound, KindConflict (a stale version), KindUnavailable,
// KindInternal.
func (s *Service) UpdateReviewer(ctx context.Context, actor *User, id string, in ReviewerInput) (*Reviewer, error) {
	const op = "cms.UpdateReviewer"
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	r, err := s.store.GetReviewer(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Version != version {
		return nil, staleError(op, r.Version)
	}
	in.apply(r)
	if err := s.prepareReviewer(ctx, op, r); err != nil {
		return nil, err
	}
	r.Version, r.UpdatedAt = version+1, s.timeNow()
	if err := s.store.UpdateReviewer(ctx, r, version); err != nil {
		return nil, err
	}
	s.published(ctx)
	return r, nil
}

// prepareReviewer validates r and copies its photo's size and variants
// from the media library.
func (s *Service) prepareReviewer(ctx context.Context, op string, r *Reviewer) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.PhotoMediaID != "" && r.Photo == nil {
		im := &PostImage{MediaID: r.PhotoMediaID, Alt: r.Name}
		if err := s.resolveImage(ctx, op, "photoMediaId", im); err != nil {
			return err
		}
		r.Photo = im
	}
	return nil
}

// DeleteReviewer removes reviewer id, unless a post names them: a post's
// "Medically reviewed by" is a claim made to readers, so it is never
// dropped behind her back (and dropping it from many posts would be many
// writes with no transaction). She picks another reviewer on those posts
// first. Errors: KindConflict naming the posts (trashed ones count too),
// KindNotFound, KindInvalid, KindUnavailable, KindInternal.
func (s *Service) DeleteReviewer(ctx context.Context, actor *User, id string) error {
	const op = "cms.DeleteReviewer"
	r, err := s.store.GetReviewer(ctx, id)
	if err != nil {
		return err
	}
	naming, err := s.store.PostsReviewedBy(ctx, []string{r.ID})
	if err != nil {
		return err
	}
	if len(naming) > 0 {
		ids := make([]string, len(naming))
		for i, p := range naming {
			ids[i] = p.ID
		}
		return &Error{Kind: KindConflict, Op: op, Message: fmt.Sprintf(
			"%s reviewed %s. Name another reviewer on them first (posts in the trash count too).", r.Name, postTitles(naming)),
			Fields: map[string]string{"posts": strings.Join(ids, ", ")}}
	}
	if err := s.store.DeleteReviewer(ctx, r.ID); err != nil {
		return err
	}
	s.published(ctx)
	return nil
}

// GetReviewer returns reviewer id. Errors: KindNotFound, KindInvalid.
func (s *Service) GetReviewer(ctx context.Context, id string) (*Reviewer, error) {
	return s.store.GetReviewer(ctx, id)
}

// ListReviewers returns every reviewer by name.
func (s *Service) ListReviewers(ctx context.Context) ([]*Reviewer, error) {
	return s.store.ListReviewers(ctx)
}

// checkReviewers reports the first of p's reviewers that is not stored,
// as Invalid naming "reviewerIds".
func (s *Service) checkReviewers(ctx context.Context, op string, p *Post) error {
	if len(p.ReviewerIDs) == 0 {
		return nil
	}
	all, err := s.store.ListReviewers(ctx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(all))
	for _, r := range all {
		known[r.ID] = true
	}
	for _, id := range p.ReviewerIDs {
		if !known[id] {
			return Problems{"reviewerIds": "Unknown reviewer " + id + "."}.Err(op)
		}
	}
	return nil
}
