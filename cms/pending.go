package cms

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// A published post's edits are not public until she presses Update, yet
// they must never live only in a browser tab. So every change of a
// published post is saved (by the editor's autosave, like a draft's) as
// the post's pending edit: one document per post, apart from the post,
// that the public read model never reads. "Update" publishes it (one
// save of the post, which is the commit point, after which the pending
// edit is dropped); "Discard changes" drops it.
//
// A pending edit keeps the input she sent (a PostInput: the fields
// given), not a whole post, so Update applies exactly her fields, and a
// field added to PostInput later is carried without a change here. Two
// versions guard it: BaseVersion, the post version the edit was made on
// (the post changed since: the edit is Stale, and publishing it is a
// Conflict until she saves it again on the current version), and
// Version, counting the pending edit's own saves (two tabs saving the same
// pending edit: the second, stale one is a Conflict naming
// "pendingVersion").

// When the post stops being published, its pending edit must not be left
// where no editor looks. Moved to draft or archived by a save that holds
// no content of its own, the post takes the pending edit into that save
// (one version, one revision "edited and unpublished"), when the edit was
// made on the version being saved over: what she wrote becomes the
// draft. Otherwise folding it in would overwrite something (her save's
// own fields, or a later version of the post), or make it public unseen
// (a scheduled post, a trashed one restored): the pending edit is kept,
// and the editor of the post, when it is not published and not in the
// trash, offers it: Restore (RestorePending: one save of its fields over
// the post as it is now; the previous text stays in the revisions) or
// Discard. A trashed post's pending edit is offered again when it is
// restored, published.

// PendingEdit is the unpublished edit of a published post.
type PendingEdit struct {
	PostID      string    `json:"postId"`
	Version     int       `json:"version"`     // 1 on the first save, +1 per save
	BaseVersion int       `json:"baseVersion"` // the post version it was made on
	Input       PostInput `json:"fields"`      // her fields; Input.Version is nil
	SavedAt     time.Time `json:"savedAt"`
	SavedBy     string    `json:"savedBy"` // user id

	// Stale says the post changed since the edit was made on it (set on
	// reads): publishing it is refused until it is saved again.
	Stale bool `json:"stale"`
	// UnresolvedCitations lists the keys the edited body cites that are
	// not in the library (set by SavePending): Update is refused while
	// any remain.
	UnresolvedCitations []string `json:"unresolvedCitations,omitempty"`
}

// Preview returns post p as it would be with the pending edit applied:
// the editor shows it. Nothing is validated or stored.
func (e *PendingEdit) Preview(p *Post) *Post {
	q := *p
	if p.Cover != nil {
		c := *p.Cover
		q.Cover = &c
	}
	q.Pins = slices.Clone(p.Pins)
	in := e.Input
	in.apply(&q, e.SavedAt)
	if in.Slug != nil && q.Slug == "" {
		q.Slug = Slugify(q.Title)
	}
	return &q
}

// GetPending returns the pending edit of post id, with Stale set when the
// post changed since. NotFound when there is none (or no such post).
func (s *Service) GetPending(ctx context.Context, id string) (*PendingEdit, error) {
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.pendingOf(ctx, p)
}

// PendingOf returns the pending edit of post p (as read), or nil when
// there is none: the editor asks for it when it opens a published post.
// Errors: KindUnavailable, KindInternal.
func (s *Service) PendingOf(ctx context.Context, p *Post) (*PendingEdit, error) {
	e, err := s.pendingOf(ctx, p)
	if IsKind(err, KindNotFound) {
		return nil, nil
	}
	return e, err
}

func (s *Service) pendingOf(ctx context.Context, p *Post) (*PendingEdit, error) {
	e, err := s.store.GetPending(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	e.Stale = e.BaseVersion != p.Version
	return e, nil
}

// SavePending stores in as the pending edit of published post id,
// replacing the one at pendingVersion (0: there is none yet). in.Version
// is required: the post version the edit was made on. The fields are
// checked as a draft's save checks them (a bad one is Invalid and nothing
// is stored); keys not in the library are a warning
// (UnresolvedCitations). When in changes nothing, the pending edit is
// dropped and SavePending returns nil. Errors: KindInvalid,
// KindNotFound, KindConflict (a post that is not published; "version"
// when the post changed; "pendingVersion" when the pending edit did),
// KindUnavailable, KindInternal.
func (s *Service) SavePending(ctx context.Context, actor *User, id string, in PostInput, pendingVersion int) (*PendingEdit, error) {
	const op = "cms.SavePending"
	base, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	pr := Problems{}
	if pendingVersion < 0 {
		pr.Add("pendingVersion", "Must be 0 (no pending edit yet) or the version of the pending edit.")
	}
	// A pending edit holds content: its status and its place on the
	// featured list change with Update (PublishChanges) or at once.
	for field, set := range map[string]bool{"status": in.Status != nil, "publishAt": in.PublishAt != nil, "featured": in.Featured != nil} {
		if set {
			pr.Add(field, "Unpublished changes hold the post's content only; change this with the post itself.")
		}
	}
	if err := pr.Err(op); err != nil {
		return nil, err
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Public() {
		return nil, Errorf(KindConflict, op, "Only a published post keeps unpublished changes; save this post directly.")
	}
	if p.Version != base {
		return nil, staleError(op, p.Version)
	}
	in.Version = nil
	e := &PendingEdit{PostID: p.ID, Version: pendingVersion + 1, BaseVersion: p.Version, Input: in, SavedAt: s.timeNow(), SavedBy: actor.ID}
	q := e.Preview(p)
	// Checked as a draft would be: a draft may cite works not yet in the
	// library, and so may a pending edit (Update refuses them).
	q.Status = StatusDraft
	if err := s.preparePost(ctx, op, q); err != nil {
		return nil, err
	}
	e.UnresolvedCitations = q.UnresolvedCitations
	if sameContent(p, q) {
		if pendingVersion > 0 {
			if err := s.store.DeletePending(ctx, p.ID, pendingVersion); err != nil && !IsKind(err, KindNotFound) {
				return nil, err
			}
		}
		return nil, nil
	}
	if err := s.store.SavePending(ctx, e, pendingVersion); err != nil {
		return nil, err
	}
	return e, nil
}

// sameContent reports whether saving q over p would change what the post
// holds. It compares the posts' JSON, less what every save changes, so
// a field added to Post later counts without a change here; when in
// doubt it says no (and the pending edit is kept).
func sameContent(p, q *Post) bool {
	strip := func(x *Post) []byte {
		c := *x
		c.Version, c.UpdatedAt, c.Status, c.Revisions, c.UnresolvedCitations = 0, time.Time{}, "", nil, nil
		c.MediaIDs = nil // made from the cover, pins and body on save
		b, err := json.Marshal(&c)
		if err != nil {
			return nil
		}
		return b
	}
	a, b := strip(p), strip(q)
	return a != nil && string(a) == string(b)
}

// PublishPending publishes the pending edit of post id: the post is saved
// with its fields (the commit point) and the pending edit is dropped.
// pendingVersion is the version of the pending edit she saw (0: whatever
// it is now). Errors: KindNotFound (no pending edit), KindConflict
// ("pendingVersion" when it changed; "version" when the post changed
// since the edit was made on it), KindInvalid (bad fields, unresolved
// citations), KindUnavailable, KindInternal; KindConflict too when the
// edit changes the text or reference list and the post would cite
// retracted or withdrawn works that ok does not confirm (cause: a
// *RetractedError, post_retracted.go).
func (s *Service) PublishPending(ctx context.Context, actor *User, id string, pendingVersion int, ok Confirmed) (*Post, error) {
	const op = "cms.PublishPending"
	e, err := s.store.GetPending(ctx, id)
	if err != nil {
		return nil, err
	}
	if pendingVersion != 0 && e.Version != pendingVersion {
		return nil, pendingStale(op)
	}
	in := e.Input
	in.Version, in.Confirmed = &e.BaseVersion, ok
	return s.PublishChanges(ctx, actor, id, in, e.Version)
}

// PublishChanges saves in over published post id (in.Version required:
// the version she started from) as one save (UpdatePost's: its place on
// the featured list may change with it), making the edit public, and
// drops the pending edit at pendingVersion, the one her edit replaces
// (0: none; a pending edit saved since, from another window, stays). The
// panel's Update uses it; in.Confirmed is what she confirmed. Errors: as
// UpdatePost, and KindConflict for a post that is not published.
func (s *Service) PublishChanges(ctx context.Context, actor *User, id string, in PostInput, pendingVersion int) (*Post, error) {
	const op = "cms.PublishChanges"
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	p, err := s.editPost(ctx, actor, id, in, version, func(p *Post) error {
		if !p.Public() {
			return Errorf(KindConflict, op, "The post is not published: save or publish it instead.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pendingVersion > 0 {
		if err := s.store.DeletePending(ctx, id, pendingVersion); err != nil && !IsKind(err, KindNotFound) && !IsKind(err, KindConflict) {
			// Published; the pending edit, now stale, is offered again
			// and can be discarded.
			s.log.Warn("cannot drop a published pending edit", "post", id, "err", err)
		}
	}
	return p, nil
}

// DiscardPending drops the pending edit of post id at pendingVersion (0:
// whatever it is). Errors: KindNotFound, KindConflict ("pendingVersion"
// when it changed), KindUnavailable, KindInternal.
func (s *Service) DiscardPending(ctx context.Context, actor *User, id string, pendingVersion int) error {
	if pendingVersion < 0 {
		return Problems{"pendingVersion": "Must be 0 or the version of the pending edit."}.Err("cms.DiscardPending")
	}
	return s.store.DeletePending(ctx, id, pendingVersion)
}

func pendingStale(op string) error {
	msg := "These unpublished changes were saved again in another window; reload to see them."
	return &Error{Kind: KindConflict, Op: op, Message: msg, Fields: map[string]string{"pendingVersion": msg}}
}

// foldablePending returns the pending edit of post id that a save moving
// it to status to, with no content of its own, takes in (see above), or
// nil: none, a status that keeps it apart, a post not published now, or
// an edit made on another version.
func (s *Service) foldablePending(ctx context.Context, id string, to PostStatus) (*PendingEdit, error) {
	if to != StatusDraft && to != StatusArchived {
		return nil, nil
	}
	e, err := s.store.GetPending(ctx, id)
	switch {
	case IsKind(err, KindNotFound) || IsKind(err, KindInvalid):
		return nil, nil // the save reports a bad id or a missing post
	case err != nil:
		return nil, err
	}
	p, err := s.store.GetPost(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Public() || e.BaseVersion != p.Version {
		return nil, nil
	}
	return e, nil
}

// dropFolded drops pending edit e once a save has taken it in. Should
// that fail, it stays, stale, and the editor offers it.
func (s *Service) dropFolded(ctx context.Context, e *PendingEdit) {
	if err := s.store.DeletePending(ctx, e.PostID, e.Version); err != nil && !IsKind(err, KindNotFound) {
		s.log.Warn("cannot drop a pending edit saved into its post", "post", e.PostID, "err", err)
	}
}

// UpdatePostOver is UpdatePost for an editor whose form showed the
// post's pending edit at pendingVersion (0: none): her save holds that
// edit, so once it is saved the pending edit at that version is dropped
// (one saved since, from another window, stays). The panel's Save and
// Unpublish use it. Errors: as UpdatePost.
func (s *Service) UpdatePostOver(ctx context.Context, actor *User, id string, in PostInput, pendingVersion int) (*Post, error) {
	p, err := s.UpdatePost(ctx, actor, id, in)
	if err != nil || pendingVersion <= 0 {
		return p, err
	}
	if err := s.store.DeletePending(ctx, id, pendingVersion); err != nil && !IsKind(err, KindNotFound) && !IsKind(err, KindConflict) {
		s.log.Warn("cannot drop a saved pending edit", "post", id, "err", err)
	}
	return p, nil
}

// RestorePending saves the pending edit of post id, which is no longer
// published, over the post as it is now (one save, as her own save of
// those fields: revision "edited"), and drops it: the pending edit kept
// when the post stopped being published. pendingVersion is the version of the
// pending edit she saw (0: whatever it is now). Errors: KindNotFound (no
// pending edit), KindConflict ("pendingVersion" when it changed; a
// published post, whose pending edit Update publishes; a trashed post),
// KindInvalid (bad fields, or unresolved citations of a scheduled post),
// KindUnavailable, KindInternal.
func (s *Service) RestorePending(ctx context.Context, actor *User, id string, pendingVersion int) (*Post, error) {
	const op = "cms.RestorePending"
	if pendingVersion < 0 {
		return nil, Problems{"pendingVersion": "Must be 0 or the version of the pending edit."}.Err(op)
	}
	e, err := s.store.GetPending(ctx, id)
	if err != nil {
		return nil, err
	}
	if pendingVersion != 0 && e.Version != pendingVersion {
		return nil, pendingStale(op)
	}
	// Restore is not asked about retracted works (post_retracted.go).
	in := e.Input
	in.Confirmed = Confirmed{Retracted: true}
	p, err := s.editPost(ctx, actor, id, in, 0, func(p *Post) error {
		switch {
		case p.Trashed():
			return Errorf(KindConflict, op, "The post is in the trash; restore it first.")
		case p.Public():
			return Errorf(KindConflict, op, "The post is published: continue editing the changes and press Update to publish them.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.dropFolded(ctx, e)
	return p, nil
}
