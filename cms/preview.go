package cms

import "context"

// Preview is what a reader preview of a post is made from: the post with
// her unsaved edits applied and rendered, as if it were published, and the
// current settings, categories and reference library it is shown with.
// The read side (cms/readmodel) turns it into the public shape.
type Preview struct {
	Post       *Post
	Settings   *Settings
	Categories []*Category
	Citations  []*Citation
	Reviewers  []*Reviewer
}

// PreviewPost prepares what GET /api/v1/posts/{slug} would answer for post
// id (a new post when id is "") with in applied, as if it were published,
// without saving anything: the reader preview of her unsaved edits. It
// reads the current settings, categories and reference library, which the
// read side's public shapes are built from. Images are resolved as a
// save resolves them; cited keys and references missing from the library
// are left out, as a draft may cite works not yet added. The post need
// not be valid (a preview of a draft without a title is fine).
// Errors: NotFound (no post id), Invalid (an image not in the media
// library, a bad id), Unavailable, Internal.
func (s *Service) PreviewPost(ctx context.Context, id string, in PostInput) (*Preview, error) {
	const op = "cms.PreviewPost"
	p := &Post{Status: StatusDraft}
	if id != "" {
		var err error
		if p, err = s.store.GetPost(ctx, id); err != nil {
			return nil, err
		}
	}
	citations, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.applyPreview(ctx, op, p, in, citations); err != nil {
		return nil, err
	}
	st, err := s.store.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	reviewers, err := s.store.ListReviewers(ctx)
	if err != nil {
		return nil, err
	}
	return &Preview{Post: p, Settings: st, Categories: cats, Citations: citations, Reviewers: reviewers}, nil
}

// applyPreview applies in to p and renders it as if published, its cited
// keys and references resolved against library (those missing left
// out). Errors: Invalid (an image not in the media library),
// Unavailable, Internal.
func (s *Service) applyPreview(ctx context.Context, op string, p *Post, in PostInput, library []*Citation) error {
	in.apply(p, s.timeNow())
	asPublished(p, s.timeNow())
	p.UpdatedAt = s.timeNow()
	if err := s.resolveImages(ctx, op, p); err != nil {
		return err
	}
	r, err := RenderMarkdownWith(p.Body, RenderOptions{NoPin: p.NoPinMediaIDs})
	if err != nil {
		return err
	}
	p.HTML, p.WordCount, p.ReadingTime = r.HTML, r.WordCount, r.ReadingTime
	refs, _, _ := matchReferences(library, p.References, r.CitationKeys)
	p.References = make([]string, len(refs))
	for i, c := range refs {
		p.References[i] = c.ID
	}
	return nil
}
