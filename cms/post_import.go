package cms

import (
	"context"
	"time"
)

// SaveImported stores the post an import made from source (see
// Post.Source) as one save: it creates the post the first time and, on a
// re-run, updates the post that source names instead of adding another
// one, in place and with the same id. in carries the fields, the status
// (Status, PublishAt for "scheduled") and Featured as for CreatePost and
// UpdatePost; publishedAt (zero: now, for published posts) is the
// original publication time, kept on the post. created reports whether
// the post is new. Errors: those of CreatePost and UpdatePost.
func (s *Service) SaveImported(ctx context.Context, actor *User, source string, publishedAt time.Time, in PostInput) (p *Post, created bool, err error) {
	const op = "cms.SaveImported"
	if source == "" {
		return nil, false, Problems{"source": "An imported post needs its source."}.Err(op)
	}
	in.source, in.publishedAt = source, publishedAt
	old, err := s.store.FindPostBySource(ctx, source)
	switch {
	case IsKind(err, KindNotFound):
		p, err = s.CreatePost(ctx, actor, in)
		return p, err == nil, err
	case err != nil:
		return nil, false, err
	}
	in.Version = &old.Version
	p, err = s.UpdatePost(ctx, actor, old.ID, in)
	return p, false, err
}

// ImportRedirects gives the old addresses an import found for the post
// (old slugs, and old URL paths of the site it came from): SaveImported
// replaces the post's old paths with them, so that a re-run brings no
// duplicates, and adds the old slugs to those the post has. Past
// MaxRedirects the first given are kept. Only importers call it; no
// request can set it.
func (in *PostInput) ImportRedirects(froms []string) {
	in.imported = append([]string{}, froms...)
}

// PostBySource returns the post, live or trashed, an import made from
// source, without its body: how a dry run tells an update from a new
// post. Errors: KindNotFound.
func (s *Service) PostBySource(ctx context.Context, source string) (*Post, error) {
	return s.store.FindPostBySource(ctx, source)
}
