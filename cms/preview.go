package cms

import "context"

// PreviewPost returns what GET /api/v1/posts/{slug} would answer for post
// id (a new post when id is "") with in applied, as if it were published,
// without saving anything: the reader preview of her unsaved edits. It is
// built by the code that builds the public snapshot, from the current
// settings, categories and reference library. Images are resolved as a
// save resolves them; cited keys and references missing from the library
// are left out, as a draft may cite works not yet added. The post need
// not be valid (a preview of a draft without a title is fine).
// Errors: NotFound (no post id), Invalid (an image not in the media
// library, a bad id), Unavailable, Internal.
func (s *Service) PreviewPost(ctx context.Context, id string, in PostInput) (*PublicPost, error) {
	const op = "cms.PreviewPost"
	p := &Post{Status: StatusDraft}
	if id != "" {
		var err error
		if p, err = s.store.GetPost(ctx, id); err != nil {
			return nil, err
		}
	}
	in.apply(p)
	if p.Slug == "" {
		p.Slug = Slugify(p.Title)
	}
	if p.PublishedAt.IsZero() {
		p.PublishedAt = p.PublishAt
	}
	if p.PublishedAt.IsZero() {
		p.PublishedAt = s.timeNow()
	}
	p.UpdatedAt = s.timeNow()
	if err := s.resolveImages(ctx, op, p); err != nil {
		return nil, err
	}
	r, err := RenderMarkdownWith(p.Body, RenderOptions{NoPin: p.NoPinMediaIDs})
	if err != nil {
		return nil, err
	}
	p.HTML, p.WordCount, p.ReadingTime = r.HTML, r.WordCount, r.ReadingTime
	citations, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	refs, _, _ := matchReferences(citations, p.References, r.CitationKeys)
	p.References = make([]string, len(refs))
	for i, c := range refs {
		p.References[i] = c.ID
	}
	st, err := s.store.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*catEntry, len(cats))
	for _, c := range cats {
		byID[c.ID] = &catEntry{cat: PublicCategory{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position}}
	}
	_, full := newEntryEnv(byID, st, s.content.PublicURL(), citations).publicPost(p)
	return &full, nil
}
