package cms

import (
	"context"
	"io"
	"time"
)

// Store is everything the services need from the database. cms/mongodb
// implements it; the interface lives here so that the domain depends on
// nothing below it. Every method returns *Error values: KindNotFound for a
// missing document, KindConflict for a stale version or a taken unique value
// (with Fields naming it), KindInvalid for a malformed id, KindUnavailable
// when the database cannot be reached, KindInternal otherwise.
type Store interface {
	PostStore
	CategoryStore
	SettingsStore
	UserStore
	StateStore
	MediaStore
	CitationStore
	ListStore
	ViewStore
	QuizStore
	ContentKeyStore
	WebhookStore
	ReviewerStore
	CitationHealthStore
	FingerprintStore
}

// FingerprintStore sums up the stored public content without reading it.
type FingerprintStore interface {
	// ContentFingerprint returns the Fingerprint of each kind of document
	// the read model is built from (see ContentFingerprint), read with
	// only ids and versions: one projected scan per collection, no
	// bodies. Errors: KindUnavailable, KindInternal.
	ContentFingerprint(ctx context.Context) (ContentFingerprint, error)
}

// CitationHealthStore keeps the reference checker's records
// (CitationHealth): one small document per citation, keyed by the
// citation's id, apart from the citation itself so that an edit of the
// citation (replaced whole) and a check result (replaced whole) never
// overwrite each other. DeleteCitation removes the citation's record too.
type CitationHealthStore interface {
	// ListCitationHealth returns every record: one scan.
	ListCitationHealth(ctx context.Context) ([]*CitationHealth, error)
	// SaveCitationHealth stores h (h.Version == prevVersion+1) for
	// citation h.CitationID, replacing the record at prevVersion (0:
	// there must be none). Another stored version, or a record stored
	// when none was expected, is a Conflict. Errors: KindInvalid (a
	// malformed id), KindConflict.
	SaveCitationHealth(ctx context.Context, h *CitationHealth, prevVersion int) error
	// RequestReferenceCheck records that every citation not tried since
	// at is to be checked at once ("Check now"), unless a later request
	// is recorded already.
	RequestReferenceCheck(ctx context.Context, at time.Time) error
	// ReferenceCheckRequest returns the time of the last request (zero:
	// none).
	ReferenceCheckRequest(ctx context.Context) (time.Time, error)
}

// ReviewerStore keeps the medical reviewers: one small document each.
type ReviewerStore interface {
	CreateReviewer(ctx context.Context, r *Reviewer) error                  // Invalid
	UpdateReviewer(ctx context.Context, r *Reviewer, prevVersion int) error // Conflict, NotFound
	GetReviewer(ctx context.Context, id string) (*Reviewer, error)          // NotFound, Invalid
	ListReviewers(ctx context.Context) ([]*Reviewer, error)                 // by name, one scan
	DeleteReviewer(ctx context.Context, id string) error                    // NotFound
}

// WebhookStore keeps webhook endpoints, the outbox of events, the
// messages on their way to each endpoint and the delivery log. With no
// transactions, every write here is one document, made safe to retry:
// events and messages have ids derived from what they are about, so
// writing one twice keeps one (webhook_outbox.go).
type WebhookStore interface {
	// CreateWebhook inserts w (ID, Version 1 and timestamps set).
	CreateWebhook(ctx context.Context, w *Webhook) error
	// GetWebhook returns one endpoint. Errors: KindNotFound, KindInvalid.
	GetWebhook(ctx context.Context, id string) (*Webhook, error)
	// ListWebhooks returns every endpoint, oldest first: one scan.
	ListWebhooks(ctx context.Context) ([]*Webhook, error)
	// UpdateWebhook replaces the endpoint stored at prevVersion with w
	// (w.Version == prevVersion+1). Errors: KindConflict, KindNotFound.
	UpdateWebhook(ctx context.Context, w *Webhook, prevVersion int) error
	// DeleteWebhook removes the endpoint, then its messages and its
	// delivery log. Errors: KindNotFound, KindInvalid.
	DeleteWebhook(ctx context.Context, id string) error

	// PutEventIntent records e (State EventPending) before the change it
	// announces is saved: inserted if new, else e.Revisions are added to
	// the stored ones (two saves racing for the same version each add
	// theirs; the one that commits marks it ready).
	PutEventIntent(ctx context.Context, e *WebhookEvent) error
	// MarkEventReady sets event id ready (upserted from e when it is gone)
	// with e's data (those of the save that committed, where the intent
	// may hold an earlier try's), unless it is ready or dispatched
	// already.
	MarkEventReady(ctx context.Context, e *WebhookEvent) error
	// AddEvent inserts e as it is (a ready event: a test, site.changed)
	// and reports false, writing nothing, when its id exists.
	AddEvent(ctx context.Context, e *WebhookEvent) (bool, error)
	// Events returns the events in state, oldest first, at most limit.
	Events(ctx context.Context, state string, limit int) ([]*WebhookEvent, error)
	// SetEventState moves event id from state from to state to; it
	// reports false when the event is not in state from.
	SetEventState(ctx context.Context, id, from, to string) (bool, error)
	// DeleteEvent removes event id if it is in state; it reports whether
	// it did.
	DeleteEvent(ctx context.Context, id, state string) (bool, error)

	// AddWebhookMessage inserts m and reports false, writing nothing,
	// when its id exists already.
	AddWebhookMessage(ctx context.Context, m *WebhookMessage) (bool, error)
	// GetWebhookMessage returns one message. Errors: KindNotFound.
	GetWebhookMessage(ctx context.Context, id string) (*WebhookMessage, error)
	// ClaimWebhookMessage takes one pending message due at now whose lease
	// is free or expired, for holder until leaseUntil, and returns it
	// (its Version bumped); KindNotFound when none is due.
	ClaimWebhookMessage(ctx context.Context, now time.Time, holder string, leaseUntil time.Time) (*WebhookMessage, error)
	// SaveWebhookMessage replaces m stored at prevVersion (m.Version ==
	// prevVersion+1). Errors: KindConflict (another instance took it over
	// or it was redelivered meanwhile), KindNotFound.
	SaveWebhookMessage(ctx context.Context, m *WebhookMessage, prevVersion int) error
	// NextWebhookAttempt returns when the earliest pending message is due
	// (zero: none is pending).
	NextWebhookAttempt(ctx context.Context) (time.Time, error)

	// AddWebhookDelivery appends d to the delivery log.
	AddWebhookDelivery(ctx context.Context, d *WebhookDelivery) error
	// WebhookDeliveries returns endpoint webhookID's attempts made before
	// before (zero: any), newest first, at most limit.
	WebhookDeliveries(ctx context.Context, webhookID string, before time.Time, limit int) ([]*WebhookDelivery, error)
	// PruneWebhooks deletes the attempts and finished messages older than
	// before, the dispatched events older than eventsBefore, and keeps at
	// most keep attempts per endpoint; it returns how many documents it
	// deleted.
	PruneWebhooks(ctx context.Context, before, eventsBefore time.Time, keep int) (int, error)
}

// ContentKeyStore keeps the content keys: one small document each, never
// edited but to be revoked.
type ContentKeyStore interface {
	// CreateContentKey inserts k (ID, Version 1 and CreatedAt set).
	CreateContentKey(ctx context.Context, k *ContentKey) error
	// RevokeContentKey sets the key's RevokedAt to at, if it is not revoked
	// yet, and returns the key as stored afterwards (revoked earlier: as it
	// was). Errors: KindNotFound, KindInvalid (a malformed id).
	RevokeContentKey(ctx context.Context, id string, at time.Time) (*ContentKey, error)
	// ListContentKeys returns every key, revoked ones too, oldest first:
	// one scan, for the read model and the panel.
	ListContentKeys(ctx context.Context) ([]*ContentKey, error)
}

// CitationStore keeps the reference library.
type CitationStore interface {
	CreateCitation(ctx context.Context, c *Citation) error                  // Conflict with Fields["key"] when taken
	UpdateCitation(ctx context.Context, c *Citation, prevVersion int) error // Conflict (version or key), NotFound
	GetCitation(ctx context.Context, id string) (*Citation, error)
	ListCitations(ctx context.Context) ([]*Citation, error) // the whole library by key, one scan
	DeleteCitation(ctx context.Context, id string) error    // NotFound
}

// PostStore keeps posts, their current bodies and their revisions.
//
// A post is saved as three documents with no transaction: the revision is
// inserted first, then the post document is updated with a version check (the
// commit point), then the current-body document is brought up to date. A
// crash between the steps leaves at worst an orphan revision or a stale body
// document, which readers detect by version and repair from the revision.
type PostStore interface {
	// CreatePost inserts p (ID, Version 1, timestamps and Revisions already
	// set by the caller) with rev as its first revision. A taken slug is a
	// Conflict with Fields["slug"].
	CreatePost(ctx context.Context, p *Post, rev *Revision) error
	// UpdatePost replaces the stored post whose version is prevVersion with p
	// (p.Version == prevVersion+1), storing rev as a new revision. Revision
	// ids in pruned are deleted afterwards. A different stored version is a
	// Conflict; a missing post is NotFound.
	UpdatePost(ctx context.Context, p *Post, prevVersion int, rev *Revision, pruned []string) error
	// GetPost returns the post with its Body, HTML and Revisions.
	GetPost(ctx context.Context, id string) (*Post, error)
	// FindPostBySlug returns the post (without body) whose current slug is
	// slug; NotFound if none.
	FindPostBySlug(ctx context.Context, slug string) (*Post, error)
	// FindPostBySource returns the post (without body), live or trashed,
	// an import made from source (see Post.Source). Errors: KindNotFound.
	FindPostBySource(ctx context.Context, source string) (*Post, error)
	// ImportedPosts returns every post, live or trashed, that an import
	// made (Source set), with only ID, Source and Version, in one scan.
	ImportedPosts(ctx context.Context) ([]*Post, error)
	// ListPosts returns one page of posts matching f (already normalised),
	// without Body and HTML, and the total number of matches.
	ListPosts(ctx context.Context, f PostFilter) ([]*Post, int, error)
	// DuePosts returns the scheduled, untrashed posts whose PublishAt is at
	// or before now, without Body and HTML.
	DuePosts(ctx context.Context, now time.Time) ([]*Post, error)
	// DeletePost removes the post, its body, its pending edit and all its
	// revisions for good.
	DeletePost(ctx context.Context, id string) error
	// GetRevision returns one revision of post postID.
	GetRevision(ctx context.Context, postID, revisionID string) (*Revision, error)

	// GetPending returns the pending edit of post postID (Stale unset);
	// NotFound when there is none.
	GetPending(ctx context.Context, postID string) (*PendingEdit, error)
	// SavePending stores e (Version == prevVersion+1) as the pending edit
	// of post e.PostID, replacing the one at prevVersion (0: there must be
	// none). Another stored version, or one stored when none was expected,
	// is a Conflict with Fields["pendingVersion"]; a pending edit gone
	// meanwhile too.
	SavePending(ctx context.Context, e *PendingEdit, prevVersion int) error
	// DeletePending removes the pending edit of post postID if its version
	// is version (0: any). NotFound when there is none; Conflict with
	// Fields["pendingVersion"] when its version differs.
	DeletePending(ctx context.Context, postID string, version int) error

	// PostsUsingMedia returns the posts, live and trashed, that use any of
	// mediaIDs (see Post.MediaIDs), without Body, HTML and Revisions.
	PostsUsingMedia(ctx context.Context, mediaIDs []string) ([]*Post, error)
	// PostsCiting returns the posts, live and trashed, whose References
	// hold any of citationIDs, without Body, HTML and Revisions.
	PostsCiting(ctx context.Context, citationIDs []string) ([]*Post, error)
	// PostsReviewedBy returns the posts, live and trashed, whose
	// ReviewerIDs hold any of reviewerIDs, without Body, HTML and
	// Revisions.
	PostsReviewedBy(ctx context.Context, reviewerIDs []string) ([]*Post, error)

	// PublishedPosts returns every published, untrashed post without Body
	// and HTML: one scan, used to (re)build the read model.
	PublishedPosts(ctx context.Context) ([]*Post, error)
	// PostBodies returns the current HTML of the given posts keyed by post
	// id, each with the version of the post it belongs to; Body (the
	// Markdown) is left empty, as readers need only the HTML. Missing ones
	// are simply absent.
	PostBodies(ctx context.Context, ids []string) (map[string]PostBody, error)
	// AllPostBodies returns every stored current body (HTML only),
	// drafts' too, keyed by post id, in one scan: what a first load
	// reads while it reads the posts.
	AllPostBodies(ctx context.Context) (map[string]PostBody, error)
}

// PostBody is a post's current Markdown and HTML, tagged with the post
// version it belongs to.
type PostBody struct {
	Version int
	Body    string
	HTML    string
}

// CategoryStore keeps categories.
type CategoryStore interface {
	CreateCategory(ctx context.Context, c *Category) error                  // Conflict on a taken slug
	UpdateCategory(ctx context.Context, c *Category, prevVersion int) error // Conflict, NotFound
	GetCategory(ctx context.Context, id string) (*Category, error)
	ListCategories(ctx context.Context) ([]*Category, error) // by Position, then Name
	DeleteCategory(ctx context.Context, id string) error     // NotFound
}

// SettingsStore keeps the one settings document.
type SettingsStore interface {
	// GetSettings returns the stored settings, or DefaultSettings() with
	// Version 0 when none were ever saved.
	GetSettings(ctx context.Context) (*Settings, error)
	// SaveSettings stores s (s.Version == prevVersion+1) if the stored
	// version is prevVersion (0: none stored yet); else Conflict.
	SaveSettings(ctx context.Context, s *Settings, prevVersion int) error
}

// UserStore keeps users.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error                  // Conflict with Fields["email"] when taken
	UpdateUser(ctx context.Context, u *User, prevVersion int) error // Conflict, NotFound
	GetUser(ctx context.Context, id string) (*User, error)
	GetUserByEmail(ctx context.Context, email string) (*User, error) // email already normalised
	ListUsers(ctx context.Context) ([]*User, error)                  // by creation time
	CountUsers(ctx context.Context) (int, error)
	DeleteUser(ctx context.Context, id string) error
	// RecordLoginFailure atomically counts a failed login and, once
	// FailedLogins reaches threshold, sets LockedUntil to lockUntil.
	RecordLoginFailure(ctx context.Context, id string, threshold int, lockUntil time.Time) error
	// RecordLoginSuccess resets FailedLogins and LockedUntil.
	RecordLoginSuccess(ctx context.Context, id string) error
	// BumpTokenVersion increments the user's TokenVersion, revoking every
	// token issued before, empties RevokedSessions (those tokens are all
	// older) and returns the new value.
	BumpTokenVersion(ctx context.Context, id string) (int, error)
	// RevokeSession adds r to the user's RevokedSessions and removes the
	// entries that expired before now; NotFound when the user is gone.
	RevokeSession(ctx context.Context, id string, r RevokedSession, now time.Time) error
	// SaveTwoFactor sets the user's TwoFactor to tf (nil: off) and
	// TwoFactorSeq to prevSeq+1, if TwoFactorSeq is still prevSeq: else
	// Conflict (NotFound when the user is gone).
	SaveTwoFactor(ctx context.Context, id string, tf *TwoFactor, prevSeq int64) error
}

// StateStore keeps small shared state: the content version that tells other
// instances to reload, leases, and generated secrets.
type StateStore interface {
	// ContentVersion returns the current content version (0 if never bumped).
	ContentVersion(ctx context.Context) (int64, error)
	// BumpContentVersion increments the content version and returns it.
	// It moves when public content changes: every instance then reloads
	// its snapshot.
	BumpContentVersion(ctx context.Context) (int64, error)
	// PostsVersion returns the posts version (0 if never bumped).
	PostsVersion(ctx context.Context) (int64, error)
	// BumpPostsVersion increments the posts version and returns it. It
	// moves with every change to any post, drafts included: the admin's
	// post index reloads on it.
	BumpPostsVersion(ctx context.Context) (int64, error)
	// AcquireLease takes or renews the named lease for holder until
	// now+ttl, if it is free, expired or already held by holder. It reports
	// whether holder now holds it.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Secret returns the named secret, storing the output of generate on
	// first use; every instance gets the same value.
	Secret(ctx context.Context, name string, generate func() ([]byte, error)) ([]byte, error)
	// CountAttempt adds one to the attempts counted under key in the
	// fixed window that starts at window, returns the count so far and
	// the count of the window that started at prev (0 if none), and
	// forgets the windows that started before prev.
	CountAttempt(ctx context.Context, key string, window, prev time.Time) (n, before int64, err error)
	// NextDue returns the earliest time a scheduled post may be due, as
	// last recorded, and the record's version; version 0 means nothing is
	// recorded (scan to find out), a zero time that no post is scheduled.
	NextDue(ctx context.Context) (time.Time, int, error)
	// LowerNextDue moves the recorded next due time earlier to at, if a
	// record exists and is later than at (or empty).
	LowerNextDue(ctx context.Context, at time.Time) error
	// SetNextDue records next (zero: nothing scheduled) if the record's
	// version is still prevVersion (0: none yet), and reports whether it did.
	SetNextDue(ctx context.Context, next time.Time, prevVersion int) (bool, error)
	// ClaimBackup takes the scheduled backup due at slot for holder, if
	// no instance has taken this slot or a later one, and reports whether
	// holder took it: however many instances run, one backs up per slot.
	ClaimBackup(ctx context.Context, slot time.Time, holder string) (bool, error)
	// ReleaseBackup gives back holder's claim of slot (a backup stopped by
	// a shutdown), so that the next instance to start takes it again.
	ReleaseBackup(ctx context.Context, slot time.Time, holder string) error
	// RecordBackup stores run as the last success (run.Error empty) or
	// the last failure, unless one of a later slot is recorded already.
	RecordBackup(ctx context.Context, run BackupRun) error
	// BackupStatus returns the runs RecordBackup stored.
	BackupStatus(ctx context.Context) (BackupStatus, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
}

// PostIndexStore is what the admin's post index (cms/readmodel.PostIndex)
// reads. cms/mongodb implements it; a Store that does not is listed
// straight from the database instead.
type PostIndexStore interface {
	// PostsVersion is bumped after every change to any post (see
	// StateStore).
	PostsVersion(ctx context.Context) (int64, error)
	// AllPosts returns every post, live and trashed, without Body, HTML
	// and Revisions: one scan.
	AllPosts(ctx context.Context) ([]*Post, error)
}

// ListStore keeps curated lists and the popular list's pins.
type ListStore interface {
	CreateList(ctx context.Context, l *List) error                  // Conflict with Fields["slug"] when taken
	UpdateList(ctx context.Context, l *List, prevVersion int) error // Conflict (version or slug), NotFound
	GetList(ctx context.Context, id string) (*List, error)          // Invalid, NotFound
	GetListBySlug(ctx context.Context, slug string) (*List, error)  // NotFound
	ListLists(ctx context.Context) ([]*List, error)                 // every list, popular included, by creation
	DeleteList(ctx context.Context, id string) error                // NotFound
	// PostStates returns the status of each existing post among ids (any
	// state, trashed included); unknown and malformed ids are absent.
	PostStates(ctx context.Context, ids []string) (map[string]PostState, error)
}

// MediaStore keeps media: a metadata document per image and its variants
// as files.
//
// With no transactions, CreateMedia writes every variant file first and
// the metadata document last (the commit point); on any failure it deletes
// the files it wrote, so nothing is left behind. DeleteMedia removes the
// metadata document first, then the files. A crash between the two steps
// of either leaves files no media refers to: SweepMediaFiles removes them.
type MediaStore interface {
	// CreateMedia stores m (ID, Version 1 and timestamps set) with the
	// bytes of each of m.Variants read from data (same order). When a
	// media with the same Hash already exists (a concurrent identical
	// upload), nothing is kept and the existing media is returned;
	// otherwise m.
	CreateMedia(ctx context.Context, m *Media, data []io.Reader) (*Media, error)
	// GetMedia returns one media. NotFound, Invalid (malformed id).
	GetMedia(ctx context.Context, id string) (*Media, error)
	// FindMediaByHash returns the media with that upload hash; NotFound.
	FindMediaByHash(ctx context.Context, hash string) (*Media, error)
	// ListMedia returns one page of media matching f (normalised), newest
	// first, and the total number of matches.
	ListMedia(ctx context.Context, f MediaFilter) ([]*Media, int, error)
	// UpdateMedia replaces the metadata stored at prevVersion with m.
	// Conflict on a stale version, NotFound.
	UpdateMedia(ctx context.Context, m *Media, prevVersion int) error
	// DeleteMedia removes the media and all its files. NotFound.
	DeleteMedia(ctx context.Context, id string) error
	// OpenMediaVariant returns the named variant of media id and its
	// bytes. NotFound for an unknown media or variant.
	OpenMediaVariant(ctx context.Context, id, name string) (*MediaVariant, []byte, error)
	// SweepMediaFiles deletes the stored files (and all their data) that
	// no media refers to and that were written before before, so that an
	// upload still in progress is never touched, and returns how many it
	// deleted. Errors: KindUnavailable, KindInternal.
	SweepMediaFiles(ctx context.Context, before time.Time) (int, error)
}

// QuizStore keeps quizzes (one small document each, keyed by slug) and
// the anonymous daily counts of their results.
type QuizStore interface {
	// GetQuiz returns the stored quiz with the slug; NotFound if none.
	GetQuiz(ctx context.Context, slug string) (*Quiz, error)
	// CreateQuiz stores q (Version 1); Conflict when the slug is taken.
	CreateQuiz(ctx context.Context, q *Quiz) error
	// UpdateQuiz replaces the quiz stored at prevVersion with q (whole);
	// Conflict on another version, NotFound.
	UpdateQuiz(ctx context.Context, q *Quiz, prevVersion int) error
	// ListQuizzes returns every stored quiz: one scan, for the read model.
	ListQuizzes(ctx context.Context) ([]*Quiz, error)
	// AddQuizResults adds each count to its daily bucket ($inc upserts).
	// When it fails part way, the counts it wrote have Count set to 0.
	AddQuizResults(ctx context.Context, counts []QuizResultCount) error
	// QuizResultCounts returns the daily buckets of quiz slug from fromDay
	// on, by day.
	QuizResultCounts(ctx context.Context, slug, fromDay string) ([]QuizResultCount, error)
}

// ViewStore keeps daily view counts and the daily salt of reader keys.
type ViewStore interface {
	// AddViews adds each count to its day's views ($inc upserts). When it
	// fails part way, the counts it wrote have Views set to 0.
	AddViews(ctx context.Context, counts []ViewCount) error
	// ViewTotals sums the views of each post over the days from fromDay
	// on ("": every day), keyed by post id.
	ViewTotals(ctx context.Context, fromDay string) (map[string]int64, error)
	// ViewsByDay returns every post's views on each day from fromDay on
	// ("": every day) that has any, keyed by post id and then day: one
	// read, for what needs several posts' days.
	ViewsByDay(ctx context.Context, fromDay string) (map[string]map[string]int64, error)
	// PostViews returns one post's views on each day from fromDay on that
	// has any, by day.
	PostViews(ctx context.Context, postID, fromDay string) ([]ViewCount, error)
	// ViewSalt returns the salt of day, storing the output of generate on
	// first use (every instance gets the same value), and forgets the
	// salts of earlier days.
	ViewSalt(ctx context.Context, day string, generate func() ([]byte, error)) ([]byte, error)
	// ClaimViewKeys records each reader key, shared by every instance,
	// and sets its Claim: ClaimNew for a key this call recorded (or that
	// an earlier call by owner recorded, for a key marked Retry),
	// ClaimSeen for one recorded before, ClaimUnknown where the database
	// did not answer (then it also returns the error).
	ClaimViewKeys(ctx context.Context, owner string, keys []ViewKey) error
	// DropViewKeys deletes the reader keys of the days before beforeDay.
	DropViewKeys(ctx context.Context, beforeDay string) error
}

// DumpOptions says what Dumper.Dump leaves out.
type DumpOptions struct {
	// WithUsers keeps users' password hashes, two-factor secrets and
	// sessions, and the store's secrets, as stored; without it they are
	// left out.
	WithUsers bool
}

// LoadResult says what Dumper.Load did with one document.
type LoadResult int

// The outcomes of Dumper.Load.
const (
	// Loaded: the document was inserted.
	Loaded LoadResult = iota
	// LoadedBefore: a document with the same id exists; it is left alone.
	LoadedBefore
	// LoadClash: another document holds one of its unique values (a slug,
	// an email); nothing was written.
	LoadClash
)

// Dumper copies a store's content out and back in, set by set, for
// `lullaby export` and `lullaby import lullaby`. A set is a kind of
// document (posts, revisions, users, ...); each document travels as one
// line of JSON that keeps its id, version and timestamps, so a load gives
// back exactly what was dumped. Files are the media bytes, by file id.
type Dumper interface {
	// DumpSets returns the names of the sets, in the order to dump and
	// load them. "media.files" describes the files, one per id.
	DumpSets() []string
	// Dump calls line with each document of set in id order, streaming,
	// and returns how many it passed. line may not keep its argument.
	Dump(ctx context.Context, set string, opts DumpOptions, line func([]byte) error) (int64, error)
	// DumpFileParts calls part with every part of every media file's
	// bytes, in the order the store keeps them (the parts of one file may
	// be interleaved with another's): the n-th part (from 0) of file id.
	// One pass over the bytes, however many files there are. part may not
	// keep data.
	DumpFileParts(ctx context.Context, part func(id string, n int, data []byte) error) error
	// ParseDump checks that line is a document Load of set would accept
	// and returns its id and, for "media.files", its file's size and chunk
	// size; it writes nothing.
	ParseDump(set string, line []byte) (DumpDoc, error)
	// Counts returns how many documents each set holds, leaving out
	// bookkeeping that every store has (leases, counters).
	Counts(ctx context.Context) (map[string]int64, error)
	// Load inserts one dumped document of set unless its id exists.
	Load(ctx context.Context, set string, line []byte) (LoadResult, error)
	// LoadFile writes the bytes of file id, whose "media.files" document
	// is doc, unless that document is stored already; then it inserts
	// doc. It reports whether it wrote anything.
	LoadFile(ctx context.Context, doc DumpDoc, r io.Reader) (bool, error)
}

// DumpDoc is what Dumper.ParseDump reads from a dumped document.
type DumpDoc struct {
	ID        string
	Size      int64 // media.files: the file's length
	ChunkSize int32 // media.files: its chunk size
	Name      string
	Raw       []byte // the line, for LoadFile
}
