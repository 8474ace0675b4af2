package cms

import (
	"context"
	"slices"
	"time"
)

// The status part of a post's save (PostInput.Status and PublishAt) and
// the state changes built on it; the featured part is in featured.go.

// statusNotes name the revision of a save that moves a post to a status.
var statusNotes = map[PostStatus]string{StatusPublished: "published", StatusDraft: "unpublished",
	StatusScheduled: "scheduled", StatusArchived: "archived"}

// statusChange checks the status part of in (Status, PublishAt) before
// anything is read and returns what it does to the post: nil when in
// moves nothing. Errors: KindInvalid naming "status" or "publishAt"; the
// returned function returns KindConflict for a trashed post asked to go
// public.
func (s *Service) statusChange(op string, in PostInput) (func(*Post) error, error) {
	if in.Status == nil {
		if in.PublishAt != nil {
			return nil, Problems{"publishAt": "A publication time goes with the status scheduled."}.Err(op)
		}
		return nil, nil
	}
	to := *in.Status
	switch {
	case !to.Valid():
		return nil, Problems{"status": "Must be one of draft, scheduled, published, archived."}.Err(op)
	case to != StatusScheduled && in.PublishAt != nil:
		return nil, Problems{"publishAt": "A publication time goes with the status scheduled."}.Err(op)
	case to != StatusScheduled:
		return func(p *Post) error {
			if to == StatusPublished {
				if p.Trashed() {
					return Errorf(KindConflict, op, "The post is in the trash; restore it before publishing.")
				}
				if p.PublishedAt.IsZero() {
					p.PublishedAt = s.timeNow()
				}
			}
			p.Status, p.PublishAt = to, time.Time{}
			return nil
		}, nil
	}
	var at time.Time
	if in.PublishAt != nil {
		at = *in.PublishAt
	}
	switch {
	case at.IsZero():
		return nil, Problems{"publishAt": "A publication time is required."}.Err(op)
	case !at.After(s.now()):
		return nil, Problems{"publishAt": "Must be in the future."}.Err(op)
	case at.After(s.now().AddDate(10, 0, 0)):
		return nil, Problems{"publishAt": "Must be within the next ten years."}.Err(op)
	}
	return func(p *Post) error {
		if p.Trashed() {
			return Errorf(KindConflict, op, "The post is in the trash; restore it before scheduling.")
		}
		p.Status, p.PublishAt = StatusScheduled, at.UTC().Truncate(time.Millisecond)
		return nil
	}, nil
}

// featureOnly puts post id on the featured list or takes it off, after
// checking its version (0: any) and check: one write, of the list (a post
// already there keeps its place and window). It returns the post as it
// is.
func (s *Service) featureOnly(ctx context.Context, id string, version int, on bool, check func(*Post) error) (*Post, error) {
	const op = "cms.UpdatePost"
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && p.Version != version {
		return nil, staleError(op, p.Version)
	}
	if check != nil {
		if err := check(p); err != nil {
			return nil, err
		}
	}
	f, err := s.FeaturedList(ctx)
	if err != nil {
		return nil, err
	}
	if members := f.members(); on && !members[p.ID] && len(members) >= MaxListEntries {
		return nil, fullError(op)
	}
	_, err = s.editEntries(ctx, op, f.ID, func(entries []ListEntry) []ListEntry {
		i := slices.IndexFunc(entries, func(e ListEntry) bool { return e.PostID == p.ID })
		switch {
		case on && i < 0:
			return append(entries, ListEntry{PostID: p.ID})
		case !on && i >= 0:
			return slices.Delete(entries, i, i+1)
		}
		return entries
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PublishPost makes post id public now: UpdatePost with status
// "published" and nothing else. The first publication sets PublishedAt;
// republishing keeps it. version may be 0 to skip the check. A trashed
// post must be restored first (Conflict); one citing retracted or
// withdrawn works that ok does not confirm is a Conflict whose cause is a
// *RetractedError (post_retracted.go).
func (s *Service) PublishPost(ctx context.Context, actor *User, id string, version int, ok Confirmed) (*Post, error) {
	return s.moveTo(ctx, actor, id, version, StatusPublished, nil, ok)
}

// UnpublishPost turns post id back into a draft; readers no longer see it.
func (s *Service) UnpublishPost(ctx context.Context, actor *User, id string, version int) (*Post, error) {
	return s.moveTo(ctx, actor, id, version, StatusDraft, nil, Confirmed{})
}

// SchedulePost sets post id to go public at `at`, which must be in the
// future; the scheduler publishes it then. Returns Invalid naming
// "publishAt" for a past time, and, for a post citing retracted or
// withdrawn works that ok does not confirm, a Conflict whose cause is a
// *RetractedError (post_retracted.go).
func (s *Service) SchedulePost(ctx context.Context, actor *User, id string, version int, at time.Time, ok Confirmed) (*Post, error) {
	return s.moveTo(ctx, actor, id, version, StatusScheduled, &at, ok)
}

// ArchivePost takes post id off the site but keeps it apart from drafts.
func (s *Service) ArchivePost(ctx context.Context, actor *User, id string, version int) (*Post, error) {
	return s.moveTo(ctx, actor, id, version, StatusArchived, nil, Confirmed{})
}

// moveTo is the save behind the state changes: an edit of the status
// alone, with what she confirmed.
func (s *Service) moveTo(ctx context.Context, actor *User, id string, version int, to PostStatus, at *time.Time, ok Confirmed) (*Post, error) {
	return s.editPost(ctx, actor, id, PostInput{Status: &to, PublishAt: at, Confirmed: ok}, version, nil)
}
