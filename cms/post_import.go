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
// the post is new. It looks source up on each call: an import of many
// items saves through StartImport instead. Errors: those of CreatePost
// and UpdatePost.
func (s *Service) SaveImported(ctx context.Context, actor *User, source string, publishedAt time.Time, in PostInput) (p *Post, created bool, err error) {
	if source == "" {
		return nil, false, importSourceError()
	}
	old, err := s.store.FindPostBySource(ctx, source)
	switch {
	case IsKind(err, KindNotFound):
		old = nil
	case err != nil:
		return nil, false, err
	}
	return s.saveImported(ctx, actor, source, old, publishedAt, in)
}

// saveImported is SaveImported once source has been looked up: old is
// the post it names (ID and Version are used), nil when there is none.
func (s *Service) saveImported(ctx context.Context, actor *User, source string, old *Post, publishedAt time.Time, in PostInput) (*Post, bool, error) {
	in.source, in.publishedAt = source, publishedAt
	in.Confirmed = Confirmed{Retracted: true} // an import is not asked (post_retracted.go)
	if old == nil {
		p, err := s.CreatePost(ctx, actor, in)
		return p, err == nil, err
	}
	in.Version = &old.Version
	p, err := s.UpdatePost(ctx, actor, old.ID, in)
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

func importSourceError() error {
	return Problems{"source": "An imported post needs its source."}.Err("cms.SaveImported")
}

// PostBySource returns the post, live or trashed, an import made from
// source, without its body: how a dry run tells an update from a new
// post. Errors: KindNotFound.
func (s *Service) PostBySource(ctx context.Context, source string) (*Post, error) {
	return s.store.FindPostBySource(ctx, source)
}

// importRefresh is how often an import in progress tells readers what it
// saved so far: a long import shows up on the site as it goes, while
// each save stays the cost of its own writes.
const importRefresh = 15 * time.Second

// Import is one run of an importer over many items. It reads which
// sources are already in once, when it starts (on the embedded database
// every lookup by source is a scan of the posts, so one lookup per item
// made an import's cost grow with the square of its size), and saves
// each item as SaveImported does, one save per item, without telling
// readers after each one: it refreshes every importRefresh and in Finish.
// An Import is used by one goroutine.
type Import struct {
	svc     *Service // quiet: saves do not announce
	loud    *Service // the service it was started from, which announces
	actor   *User
	known   map[string]*Post // source -> ID and Version
	pending bool             // saved since the last refresh
	last    time.Time        // of the last refresh
}

// StartImport starts an import by actor: it reads the source, id and
// version of every imported post (one scan). Errors: KindUnavailable,
// KindInternal.
func (s *Service) StartImport(ctx context.Context, actor *User) (*Import, error) {
	posts, err := s.store.ImportedPosts(ctx)
	if err != nil {
		return nil, err
	}
	quiet := *s
	quiet.quiet = true
	im := &Import{svc: &quiet, loud: s, actor: actor, known: make(map[string]*Post, len(posts)), last: s.now()}
	for _, p := range posts {
		im.known[p.Source] = p
	}
	return im, nil
}

// Has reports whether a post made from source was there when the import
// started or has been saved by it: how a dry run tells an update from a
// new post.
func (im *Import) Has(source string) bool { return im.known[source] != nil }

// Save stores the post made from source, as SaveImported does. When the
// post changed since the import read it (someone edited it meanwhile, or
// deleted it for good), it is looked up again and the save made once
// more. Errors: those of SaveImported.
func (im *Import) Save(ctx context.Context, source string, publishedAt time.Time, in PostInput) (p *Post, created bool, err error) {
	if source == "" {
		return nil, false, importSourceError()
	}
	p, created, err = im.svc.saveImported(ctx, im.actor, source, im.known[source], publishedAt, in)
	if old := im.known[source]; err != nil && old != nil && (IsKind(err, KindNotFound) || IsKind(err, KindConflict) && !isSlugConflict(err)) {
		p, created, err = im.svc.SaveImported(ctx, im.actor, source, publishedAt, in)
	}
	if err != nil {
		return nil, false, err
	}
	im.known[source] = &Post{ID: p.ID, Version: p.Version, Source: source}
	im.pending = true
	if im.svc.now().Sub(im.last) >= importRefresh {
		im.Refresh(ctx)
	}
	return p, created, nil
}

// Refresh tells readers about what the import saved since it last did
// (Service.Refresh): call it when the import ends, also when it ends
// early. Failures are logged, as after any save.
func (im *Import) Refresh(ctx context.Context) {
	if !im.pending {
		return
	}
	im.loud.Refresh(ctx)
	im.pending, im.last = false, im.svc.now()
}
