package cms

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// systemActor stands for Lullaby itself (the scheduler) in revisions.
var systemActor = &User{ID: "", Name: "Lullaby", Role: RoleOwner}

// CreatePost stores a new post written by actor: a draft, unless
// in.Status says otherwise (as UpdatePost takes it), and on the featured
// list with in.Featured, all in one save. An empty slug is made from the
// title (with a numeric suffix if taken); an explicit slug that is taken
// is a Conflict naming "slug". Returns Invalid for bad fields, and a
// Conflict whose cause is a *RetractedError for a post going live citing
// retracted or withdrawn works that in.Confirmed does not confirm
// (post_retracted.go).
func (s *Service) CreatePost(ctx context.Context, actor *User, in PostInput) (*Post, error) {
	return s.createPost(ctx, "cms.CreatePost", actor, in, nil, true)
}

// createPost is the one save behind CreatePost and ImportPost: in, then
// at (if any) to set the post before it is checked, then stored as one
// version with one revision; announce says whether readers' content is
// refreshed after it.
func (s *Service) createPost(ctx context.Context, op string, actor *User, in PostInput, at func(*Post), announce bool) (*Post, error) {
	moveTo, err := s.statusChange(op, in)
	if err != nil {
		return nil, err
	}
	now := s.timeNow()
	p := &Post{ID: NewID(), Status: StatusDraft, AuthorID: actor.ID, Version: 1, CreatedAt: now, UpdatedAt: now,
		Redirects: []Redirect{}, CategoryIDs: []string{}, Tags: []string{}, Pins: []Pin{}, NoPinMediaIDs: []string{}, MediaIDs: []string{}, References: []string{}, ReviewerIDs: []string{}}
	in.apply(p, now)
	if moveTo != nil {
		if err := moveTo(p); err != nil {
			return nil, err
		}
	}
	if at != nil {
		at(p)
	}
	if err := s.checkRetracted(ctx, op, &in, nil, p); err != nil {
		return nil, err
	}
	autoSlug := p.Slug == ""
	if autoSlug {
		p.Slug = Slugify(p.Title)
		if p.Slug == "" && p.Title != "" {
			p.Slug = "post-" + p.ID[len(p.ID)-6:]
		}
	}
	p.Redirects = slices.DeleteFunc(p.Redirects, func(r Redirect) bool { return r.From == p.Slug })
	if err := s.preparePost(ctx, op, p); err != nil {
		return nil, err
	}
	// A new post is committed once it exists: its mark names no revision.
	var mark *PendingFeature
	if in.Featured != nil && *in.Featured {
		if mark, err = s.markFeatured(ctx, op, p, true, ""); err != nil {
			return nil, err
		}
		if s.crash != nil && s.crash("marked") {
			return nil, errCrashed
		}
	}
	base := p.Slug
	evType := ""
	if announce && !s.quiet {
		evType = postEventType(false, false, time.Time{}, p)
	}
	var ev *WebhookEvent
	for attempt := 2; ; attempt++ {
		rev := newRevision(p, actor, "created", now)
		p.Revisions = []RevisionRef{rev.ref()}
		if evType != "" {
			if ev, err = s.putIntent(ctx, evType, p.ID, p.Version, rev.ID, postEventData(p)); err != nil {
				break
			}
		}
		err = s.store.CreatePost(ctx, p, rev)
		if err == nil || !autoSlug || !isSlugConflict(err) || attempt > 50 {
			break
		}
		p.Slug = suffixSlug(base, attempt)
	}
	if mark != nil {
		if err == nil && s.crash != nil && s.crash("committed") {
			return nil, errCrashed
		}
		s.finishFeatured(ctx, mark, err)
	}
	if err == nil {
		err = s.eventSaved(ctx, ev)
	}
	if err != nil {
		return nil, err
	}
	s.postsChanged(ctx)
	if !announce {
		return p, nil
	}
	if p.Status == StatusScheduled {
		if err := s.store.LowerNextDue(ctx, p.PublishAt); err != nil {
			s.log.Warn("cannot record the next due time; the scheduler's periodic check will find the post", "post", p.ID, "err", err)
		}
	}
	switch {
	case mark != nil:
		s.published(ctx)
	case p.Public():
		s.publishedPost(ctx, p)
	}
	return p, nil
}

// UpdatePost applies a partial edit to post id as one save: its fields,
// and, when given, a new status (in.Status, with in.PublishAt for
// "scheduled") and its place on the featured list (in.Featured). It is
// all or nothing: one version, one revision, one rendering of the body,
// and the featured list changes with it (featured.go) or not at all.
// in.Version must be the version the edit started from: a stale one is a
// Conflict and nothing is written. Changing the slug of a post that has
// been published keeps the old slug so that old links still resolve. A
// published post's changes are public at once. An edit that only
// features the post (or takes it off the list) saves the list alone: the
// post keeps its version. Errors: KindInvalid (bad fields, a publishAt
// not in the future, unresolved citations of a post going public, a full
// featured list), KindNotFound, KindConflict (stale version, taken slug,
// a trashed post asked to go public; a post put live, or a live post's
// text or references changed, citing retracted or withdrawn works that
// in.Confirmed does not confirm, whose cause is a *RetractedError:
// post_retracted.go), KindUnavailable, KindInternal.
func (s *Service) UpdatePost(ctx context.Context, actor *User, id string, in PostInput) (*Post, error) {
	const op = "cms.UpdatePost"
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	return s.editPost(ctx, actor, id, in, version, nil)
}

// editPost applies in to post id at version (0: whatever it is now, a
// concurrent save being redone on top), after check (if any) has
// accepted the post as stored: the one save behind UpdatePost, the state
// changes and PublishChanges.
func (s *Service) editPost(ctx context.Context, actor *User, id string, in PostInput, version int, check func(*Post) error) (*Post, error) {
	const op = "cms.UpdatePost"
	moveTo, err := s.statusChange(op, in)
	if err != nil {
		return nil, err
	}
	content := in.hasContent()
	if !content && moveTo == nil && in.Featured != nil {
		return s.featureOnly(ctx, id, version, *in.Featured, check)
	}
	// A published post going to draft or archived takes its pending edit
	// with it, in this save (pending.go).
	var fold *PendingEdit
	if moveTo != nil && !content {
		if fold, err = s.foldablePending(ctx, id, *in.Status); err != nil {
			return nil, err
		}
	}
	note := "edited"
	if moveTo != nil {
		note = statusNotes[*in.Status]
		if content || fold != nil {
			note = "edited and " + note
		}
	}
	p, err := s.changePost(ctx, actor, id, version, note, in.Featured, func(p *Post) error {
		if check != nil {
			if err := check(p); err != nil {
				return err
			}
		}
		oldSlug, now := p.Slug, s.timeNow()
		before := liveContentOf(p)
		if fold != nil {
			if !p.Public() || p.Version != fold.BaseVersion {
				return staleError(op, p.Version) // changed since foldablePending read it
			}
			fold.Input.apply(p, now)
		}
		in.apply(p, now)
		if (in.Slug != nil || fold != nil && fold.Input.Slug != nil) && p.Slug == "" {
			p.Slug = Slugify(p.Title)
		}
		if moveTo != nil {
			if err := moveTo(p); err != nil {
				return err
			}
		}
		if err := s.checkRetracted(ctx, op, &in, &before, p); err != nil {
			return err
		}
		p.leaveSlug(oldSlug, now)
		return nil
	})
	if err == nil && fold != nil {
		s.dropFolded(ctx, fold)
	}
	return p, err
}

// TrashPost moves post id to the trash; it disappears from the site and
// keeps its status for a later restore.
func (s *Service) TrashPost(ctx context.Context, actor *User, id string, version int) (*Post, error) {
	return s.changePost(ctx, actor, id, version, "trashed", nil, func(p *Post) error {
		if p.Trashed() {
			return nil
		}
		p.DeletedAt = s.timeNow()
		return nil
	})
}

// RestorePost takes post id out of the trash. A scheduled post whose time
// passed while it was in the trash comes back as a draft.
func (s *Service) RestorePost(ctx context.Context, actor *User, id string, version int) (*Post, error) {
	return s.changePost(ctx, actor, id, version, "restored", nil, func(p *Post) error {
		p.DeletedAt = time.Time{}
		if p.Status == StatusScheduled && !p.PublishAt.After(s.now()) {
			p.Status = StatusDraft
			p.PublishAt = time.Time{}
		}
		return nil
	})
}

// DeletePost removes a trashed post and its revisions for good. A post not
// in the trash is a Conflict: trash it first.
func (s *Service) DeletePost(ctx context.Context, actor *User, id string) error {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return err
	}
	if !p.Trashed() {
		return Errorf(KindConflict, "cms.DeletePost", "Only posts in the trash can be deleted for good; move it to the trash first.")
	}
	ev, err := s.putIntent(ctx, EventPostDeleted, p.ID, p.Version, "", postEventData(p))
	if err != nil {
		return err
	}
	if err := s.store.DeletePost(ctx, id); err != nil {
		s.dropIntent(ctx, ev)
		return err
	}
	if err := s.eventSaved(ctx, ev); err != nil {
		return err
	}
	s.postsChanged(ctx)
	s.published(ctx)
	return nil
}

// GetPost returns post id with its body. NotFound, Invalid for a bad id.
func (s *Service) GetPost(ctx context.Context, id string) (*Post, error) {
	return s.store.GetPost(ctx, id)
}

// ListPosts returns a page of posts (without bodies) and the total count.
// Invalid for a bad filter.
func (s *Service) ListPosts(ctx context.Context, f PostFilter) ([]*Post, int, error) {
	if err := f.Normalise(); err != nil {
		return nil, 0, err
	}
	return s.store.ListPosts(ctx, f)
}

// ListRevisions returns the stored revisions of post id, newest first.
func (s *Service) ListRevisions(ctx context.Context, id string) ([]RevisionRef, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(p.Revisions)
	slices.Reverse(out)
	return out, nil
}

// GetRevision returns one revision of post id. NotFound.
func (s *Service) GetRevision(ctx context.Context, id, revisionID string) (*Revision, error) {
	return s.store.GetRevision(ctx, id, revisionID)
}

// RestoreRevision brings back the title, excerpt, body, categories, tags and
// SEO fields that revision revisionID had, as a new save (so it can itself be
// undone). The slug and status stay as they are now.
func (s *Service) RestoreRevision(ctx context.Context, actor *User, id, revisionID string, version int) (*Post, error) {
	rev, err := s.store.GetRevision(ctx, id, revisionID)
	if err != nil {
		return nil, err
	}
	note := "restored version " + strconv.Itoa(rev.Version)
	return s.changePost(ctx, actor, id, version, note, nil, func(p *Post) error {
		p.Title, p.Excerpt, p.Body = rev.Title, rev.Excerpt, rev.Body
		p.CategoryIDs, p.Tags, p.SEO = slices.Clone(rev.CategoryIDs), slices.Clone(rev.Tags), rev.SEO
		return nil
	})
}

// PublishDue publishes every scheduled post whose time has come, records
// when the next one is due, and returns how many it published. The
// scheduler calls it while holding its lease.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	_, recVersion, err := s.store.NextDue(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	// Every scheduled post, soonest first: the due ones are published, the
	// first of the others is the next due time.
	scheduled, err := s.store.DuePosts(ctx, now.AddDate(100, 0, 0))
	if err != nil {
		return 0, err
	}
	n := 0
	var next time.Time
	for _, d := range scheduled {
		if d.PublishAt.After(now) {
			if next.IsZero() {
				next = d.PublishAt
			}
			continue
		}
		_, _, err := s.changePostQuiet(ctx, systemActor, d.ID, d.Version, "published as scheduled", nil, func(p *Post) error {
			if p.Status != StatusScheduled || p.Trashed() {
				return errSkip
			}
			p.Status = StatusPublished
			if p.PublishedAt.IsZero() {
				p.PublishedAt = p.PublishAt
			}
			p.PublishAt = time.Time{}
			return nil
		})
		switch {
		case err == errSkip || IsKind(err, KindConflict) || IsKind(err, KindNotFound):
			// Changed or removed meanwhile: look again soon.
			next = now
		case IsKind(err, KindInvalid):
			// It cannot go public as it is (an unresolved citation): it
			// stays scheduled, and the periodic check tries again.
			s.log.Warn("scheduler: a due post cannot be published", "post", d.ID, "err", err)
		case err != nil:
			return n, err
		default:
			n++
		}
	}
	// If someone scheduled a post since we read the record, their lower
	// time stands and this write is skipped.
	if _, err := s.store.SetNextDue(ctx, next, recVersion); err != nil {
		s.log.Warn("scheduler: cannot record the next due time", "err", err)
	}
	if n > 0 {
		s.published(ctx)
	}
	return n, nil
}

var errSkip = Errorf(KindConflict, "cms", "skip")

// changePost loads post id, checks version (unless 0), applies change,
// validates, renders and saves it as a new revision, with the featured
// list changed to featured when it is not nil (featured.go); then, if
// the post was or is public, or the list changed, refreshes public
// content (a draft's save does not make every instance reload). With
// version 0 a concurrent edit is retried on the new version.
func (s *Service) changePost(ctx context.Context, actor *User, id string, version int, note string, featured *bool, change func(*Post) error) (*Post, error) {
	p, out, err := s.changePostQuiet(ctx, actor, id, version, note, featured, change)
	if err != nil {
		return nil, err
	}
	switch {
	case out.listChanged:
		s.published(ctx) // the list too: one reload
	case out.public:
		s.publishedPost(ctx, p)
	}
	return p, nil
}

// saveOutcome says what a save changed that readers see.
type saveOutcome struct {
	public      bool // the post was or is public
	listChanged bool // the featured list changed with it
}

// errCrashed stops a save where a test's crash hook says (Service.crash).
var errCrashed = Errorf(KindUnavailable, "cms.changePost", "stopped as if the process had died")

func (s *Service) changePostQuiet(ctx context.Context, actor *User, id string, version int, note string, featured *bool, change func(*Post) error) (*Post, saveOutcome, error) {
	const op = "cms.changePost"
	for attempt := 0; ; attempt++ {
		p, err := s.store.GetPost(ctx, id)
		if err != nil {
			return nil, saveOutcome{}, err
		}
		if version != 0 && p.Version != version {
			return nil, saveOutcome{}, staleError(op, p.Version)
		}
		prev, wasPublic := p.Version, p.Public()
		wasScheduled, wasAt := p.Status == StatusScheduled && !p.Trashed(), p.PublishAt
		if err := change(p); err != nil {
			return nil, saveOutcome{}, err
		}
		if err := s.preparePost(ctx, op, p); err != nil {
			return nil, saveOutcome{}, err
		}
		now := s.timeNow()
		p.Version = prev + 1
		p.UpdatedAt = now
		rev := newRevision(p, actor, note, now)
		var pruned []string
		p.Revisions = append(p.Revisions, rev.ref())
		if extra := len(p.Revisions) - MaxRevisions; extra > 0 {
			for _, r := range p.Revisions[:extra] {
				pruned = append(pruned, r.ID)
			}
			p.Revisions = slices.Clone(p.Revisions[extra:])
		}
		// The event's intent (webhook_outbox.go), then the mark on the
		// list; the post's save below is the commit point of all.
		var ev *WebhookEvent
		if typ := postEventType(wasPublic, wasScheduled, wasAt, p); typ != "" && !s.quiet {
			if ev, err = s.putIntent(ctx, typ, p.ID, p.Version, rev.ID, postEventData(p)); err != nil {
				return nil, saveOutcome{}, err
			}
		}
		var mark *PendingFeature
		if featured != nil {
			if mark, err = s.markFeatured(ctx, op, p, *featured, rev.ID); err != nil {
				return nil, saveOutcome{}, err
			}
		}
		if mark != nil && s.crash != nil && s.crash("marked") {
			return nil, saveOutcome{}, errCrashed
		}
		err = s.store.UpdatePost(ctx, p, prev, rev, pruned)
		if mark != nil {
			if err == nil && s.crash != nil && s.crash("committed") {
				return nil, saveOutcome{}, errCrashed
			}
			s.finishFeatured(ctx, mark, err)
		}
		if err == nil && ev != nil {
			if err := s.eventSaved(ctx, ev); err != nil {
				return nil, saveOutcome{}, err
			}
		}
		if err == nil {
			s.postsChanged(ctx)
			if p.Status == StatusScheduled && !p.Trashed() {
				if err := s.store.LowerNextDue(ctx, p.PublishAt); err != nil {
					s.log.Warn("cannot record the next due time; the scheduler's periodic check will find the post", "post", p.ID, "err", err)
				}
			}
			return p, saveOutcome{public: wasPublic || p.Public(), listChanged: mark != nil}, nil
		}
		if version == 0 && IsKind(err, KindConflict) && !isSlugConflict(err) && attempt < 3 {
			continue // a concurrent save won; redo the change on its result
		}
		if IsKind(err, KindConflict) && !isSlugConflict(err) {
			return nil, saveOutcome{}, staleError(op, 0)
		}
		return nil, saveOutcome{}, err
	}
}

// preparePost validates p, checks its categories exist, renders its body
// and resolves its citations: a published or scheduled post citing a key
// that is not in the library is Invalid naming "body"; any other post
// keeps the keys in UnresolvedCitations, as a warning.
func (s *Service) preparePost(ctx context.Context, op string, p *Post) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := checkReviewDate(op, p, s.timeNow()); err != nil {
		return err
	}
	if err := s.checkReviewers(ctx, op, p); err != nil {
		return err
	}
	if len(p.CategoryIDs) > 0 {
		cats, err := s.store.ListCategories(ctx)
		if err != nil {
			return err
		}
		known := make(map[string]bool, len(cats))
		for _, c := range cats {
			known[c.ID] = true
		}
		for _, id := range p.CategoryIDs {
			if !known[id] {
				return Problems{"categoryIds": "Unknown category " + id + "."}.Err(op)
			}
		}
	}
	if err := s.resolveImages(ctx, op, p); err != nil {
		return err
	}
	r, err := RenderMarkdownWith(p.Body, RenderOptions{NoPin: p.NoPinMediaIDs})
	if err != nil {
		return err
	}
	unresolved, err := s.resolveReferences(ctx, op, p, r.CitationKeys)
	if err != nil {
		return err
	}
	// A draft may cite works not yet in the library; nothing readers see
	// (or will see at a set time) may.
	if len(unresolved) > 0 && !p.Trashed() && (p.Status == StatusPublished || p.Status == StatusScheduled) {
		return UnresolvedCitationsError(op, unresolved)
	}
	p.UnresolvedCitations = unresolved
	p.HTML, p.WordCount, p.ReadingTime = r.HTML, r.WordCount, r.ReadingTime
	return nil
}

func newRevision(p *Post, actor *User, note string, now time.Time) *Revision {
	return &Revision{ID: NewID(), PostID: p.ID, Version: p.Version, Title: p.Title, Slug: p.Slug, Excerpt: p.Excerpt,
		Body: p.Body, HTML: p.HTML, Status: p.Status, CategoryIDs: slices.Clone(p.CategoryIDs), Tags: slices.Clone(p.Tags),
		SEO: p.SEO, SavedAt: now, SavedBy: actor.ID, Note: note}
}

func (r *Revision) ref() RevisionRef {
	return RevisionRef{ID: r.ID, Version: r.Version, SavedAt: r.SavedAt, SavedBy: r.SavedBy, Note: r.Note}
}

func isSlugConflict(err error) bool {
	if !IsKind(err, KindConflict) {
		return false
	}
	_, ok := ErrorFields(err)["slug"]
	return ok
}

func suffixSlug(base string, n int) string {
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > MaxSlugLen {
		base = base[:MaxSlugLen-len(suffix)]
	}
	return base + suffix
}

// ImportPost stores a complete post in one save (one version, one
// revision, as CreatePost), in status draft, published or archived, with
// the given publication time (zero: now, for published posts). It does
// not refresh public content: call Refresh after a batch. Demo content,
// the benchmark and imports use it.
func (s *Service) ImportPost(ctx context.Context, actor *User, in PostInput, status PostStatus, publishedAt time.Time) (*Post, error) {
	const op = "cms.ImportPost"
	if !status.Valid() || status == StatusScheduled {
		return nil, Problems{"status": "Must be draft, published or archived."}.Err(op)
	}
	in.Status, in.PublishAt = &status, nil
	in.Confirmed = Confirmed{Retracted: true} // an import is not asked (post_retracted.go)
	at := func(p *Post) {
		if status == StatusPublished && !publishedAt.IsZero() {
			p.PublishedAt = publishedAt.UTC().Truncate(time.Millisecond)
		}
	}
	return s.createPost(ctx, op, actor, in, at, false)
}

// Refresh announces a change of posts and of public content to every
// instance and reloads the read model here: what a batch of saves that
// did not announce themselves (ImportPost, an Import) calls at its end.
func (s *Service) Refresh(ctx context.Context) {
	s.postsChanged(ctx)
	s.published(ctx)
}
