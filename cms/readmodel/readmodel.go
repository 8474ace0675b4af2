// Package readmodel is Lullaby's read side: the immutable snapshot of
// published content and everything built from it. It owns the public JSON
// shapes (publicjson.go) and their JSON-LD, related posts, curated lists
// and popular posts, the full-text search index (bleve), the feeds
// (RSS and Atom with encoding/xml, JSON Feed with gorilla/feeds) and the sitemap, the ready-made response bodies with
// their ETags and encodings (body.go), the reader preview, and the admin's
// in-memory index of every post (postindex.go).
//
// A ReadModel loads published content from the cms.Store, keeps it fresh
// (as the cms.Publisher the services tell after each write, and by polling
// the content version for other instances' writes) and hands out the
// current Snapshot. It imports cms; cms never imports it. Only public,
// admin and cmd/lullaby import it.
package readmodel

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// ReadModel holds the current Snapshot of published content and keeps it
// fresh: the writing process reloads right after each write, and every
// process polls the content version and reloads when it moved. A reload
// fetches only the bodies of posts that changed.
type ReadModel struct {
	store cms.Store
	log   *slog.Logger

	cur    atomic.Pointer[Snapshot]
	loaded atomic.Bool
	built  atomic.Int64 // when the current snapshot was swapped in, Unix ns
	synced atomic.Int64 // when it was last known current, Unix ns; see Freshness

	mu        sync.Mutex           // serialises reloads
	posts     map[string]*cms.Post // published posts with HTML (no Markdown), by id
	cats      []*cms.Category      // as last loaded
	settings  *cms.Settings        // as last loaded
	citations []*cms.Citation      // as last loaded, with their health (cms.WithHealth)
	publicURL string               // prefix of image and media URLs; see SetPublicURL
	lv        listViews            // lists and popularity (snapshot_lists.go)
	search    *searchIndex         // published posts; see indexSearch
	quizzes   []*cms.Quiz          // as last loaded
	keys      []*cms.ContentKey    // as last loaded
	reviewers []*cms.Reviewer      // as last loaded
	// fp is the fingerprint of the stored documents the snapshot was
	// built from (kept up by ApplyPost and ApplyList); the users in it
	// count only with fpUsers, when the byline came from them.
	fp      cms.ContentFingerprint
	fpUsers bool
	down    atomic.Bool // Run finds the database unreachable

	swapped bool          // a snapshot has been swapped in (under mu)
	settled chan struct{} // closed by the first swap's background work; see Settled
}

// NewReadModel returns a read model over store holding an empty snapshot;
// call Reload before serving.
func NewReadModel(store cms.Store, logger *slog.Logger) *ReadModel {
	if logger == nil {
		logger = slog.Default()
	}
	rm := &ReadModel{store: store, log: logger, posts: map[string]*cms.Post{}, settled: make(chan struct{})}
	empty, _ := buildSnapshot(snapshotInput{settings: ptr(cms.DefaultSettings())}, nil)
	rm.cur.Store(empty)
	return rm
}

func ptr[T any](v T) *T { return &v }

// SetPublicURL sets the base URL at which readers' browsers reach this
// server (e.g. "https://cms.example.com"; a trailing slash is dropped):
// image URLs, srcsets, Pinterest links and the media links of post bodies
// start with it. Call it before the first Reload. Calling it later is safe
// too: the current snapshot is rebuilt at once, from memory, with the new
// URL. With none set, those URLs are relative ("/media/…").
func (rm *ReadModel) SetPublicURL(base string) {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if base == rm.publicURL {
		return
	}
	rm.publicURL = base
	// Until a reload builds it, the old URLs stay.
	rm.rebuildLocked("public URL")
}

// PublicURL is the base URL set by SetPublicURL ("" when none).
func (rm *ReadModel) PublicURL() string {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return rm.publicURL
}

// input is what the last load read, with posts and version. Call with
// rm.mu held.
func (rm *ReadModel) input(version int64, posts []*cms.Post) snapshotInput {
	return snapshotInput{version: version, posts: posts, cats: rm.cats, settings: rm.settings,
		citations: rm.citations, publicURL: rm.publicURL, lists: rm.listsInput(rm.lv.lists), quizzes: rm.quizzes, keys: rm.keys,
		reviewers: rm.reviewers}
}

// Snapshot returns the current snapshot; it is never nil.
func (rm *ReadModel) Snapshot() *Snapshot { return rm.cur.Load() }

// Loaded reports whether a snapshot has been loaded from the database.
func (rm *ReadModel) Loaded() bool { return rm.loaded.Load() }

// Freshness tells how current an instance's snapshot is: what /readyz
// reports so that a load balancer and a person see an instance lagging.
type Freshness struct {
	Version int64     // the snapshot's content version
	BuiltAt time.Time // when it was swapped in (zero: nothing loaded)
	// SyncedAt is when the snapshot was last known to be current: the
	// database's content version read equal to it (a poll, a reload) or
	// this instance's own write applied. Zero: never.
	SyncedAt time.Time
}

// Freshness returns the current snapshot's Freshness.
func (rm *ReadModel) Freshness() Freshness {
	f := Freshness{Version: rm.Snapshot().Version()}
	if ns := rm.built.Load(); ns != 0 && rm.Loaded() {
		f.BuiltAt = time.Unix(0, ns)
	}
	if ns := rm.synced.Load(); ns != 0 {
		f.SyncedAt = time.Unix(0, ns)
	}
	return f
}

// markSynced records that the snapshot was current at t.
func (rm *ReadModel) markSynced(t time.Time) {
	ns := t.UnixNano()
	for {
		old := rm.synced.Load()
		if old >= ns || rm.synced.CompareAndSwap(old, ns) {
			return
		}
	}
}

// smallReload is the number of changed posts up to which bodies are
// fetched one by one (by id, cheap everywhere) rather than in one scan.
const smallReload = 16

// Reload builds a new snapshot from the database and swaps it in. On error
// the current snapshot stays.
func (rm *ReadModel) Reload(ctx context.Context) error { return rm.reload(ctx) }

// reload reads the whole content and swaps it in, holding rm.mu
// throughout: a reload after a write ends with that write in the snapshot.
func (rm *ReadModel) reload(ctx context.Context) error {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	c, err := rm.load(ctx, rm.posts, rm.clock())
	if err != nil {
		return err
	}
	return rm.installLocked(c)
}

// installLocked swaps in a snapshot of c and keeps c as what the
// snapshot was built from. Call with rm.mu held.
func (rm *ReadModel) installLocked(c *content) error {
	in := snapshotInput{version: c.version, posts: postList(c.posts), cats: c.cats, settings: c.settings,
		citations: c.citations, publicURL: rm.publicURL, lists: rm.listsInput(c.lists), quizzes: c.quizzes, keys: c.keys, reviewers: c.reviewers}
	if err := rm.swapLocked(in); err != nil {
		return &cms.Error{Kind: cms.KindInternal, Op: "readmodel.ReadModel.Reload", Err: err}
	}
	lighten(c.posts, rm.cur.Load())
	rm.posts, rm.cats, rm.settings, rm.citations = c.posts, c.cats, c.settings, c.citations
	rm.lv.lists = c.lists
	rm.quizzes, rm.keys, rm.reviewers = c.quizzes, c.keys, c.reviewers
	rm.fp, rm.fpUsers = c.fp, c.byline
	rm.loaded.Store(true)
	rm.markSynced(c.start)
	return nil
}

// ApplyPost brings one saved post into the read model without reading the
// database, when it is the only change since the current snapshot: version
// is the content version the save bumped to, and the snapshot must be at
// version-1. It reports whether it applied the post; if not (another
// instance wrote in between, or nothing is loaded yet), call Reload.
func (rm *ReadModel) ApplyPost(p *cms.Post, version int64) bool {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if !rm.loaded.Load() || rm.cur.Load().Version() != version-1 || rm.settings == nil {
		return false
	}
	next, fp := maps.Clone(rm.posts), rm.fp
	if old := next[p.ID]; old != nil {
		fp.Posts.Remove(old.ID, old.Version)
		delete(next, p.ID)
	}
	if p.Public() {
		light := *p
		light.Body, light.Revisions = "", nil
		next[p.ID] = &light
		fp.Posts.Add(p.ID, p.Version)
	}
	if rm.swapLocked(rm.input(version, postList(next))) != nil {
		return false
	}
	lighten(next, rm.cur.Load())
	rm.posts, rm.fp = next, fp
	rm.markSynced(time.Now())
	return true
}

// ApplyList brings one saved curated list (or the popular list's
// settings) into the read model without reading the database, as
// ApplyPost does for a post: version is the content version the save
// bumped to. A list with open featured marks is not applied (settling
// them reads posts). It reports whether it applied the list; if not,
// call Reload.
func (rm *ReadModel) ApplyList(l *cms.List, version int64) bool {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if !rm.loaded.Load() || rm.cur.Load().Version() != version-1 || rm.settings == nil || len(l.Pending) > 0 {
		return false
	}
	saved := *l // kept: the caller's copy may change
	saved.Entries, saved.Excluded = slices.Clone(l.Entries), slices.Clone(l.Excluded)
	l = &saved
	lists, fp := slices.Clone(rm.lv.lists), rm.fp
	if i := slices.IndexFunc(lists, func(old *cms.List) bool { return old.ID == l.ID }); i >= 0 {
		fp.Lists.Remove(lists[i].ID, lists[i].Version)
		lists[i] = l
	} else {
		lists = append(lists, l)
	}
	fp.Lists.Add(l.ID, l.Version)
	in := rm.input(version, postList(rm.posts))
	in.lists = rm.listsInput(lists)
	if rm.swapLocked(in) != nil {
		return false
	}
	rm.lv.lists, rm.fp = lists, fp
	rm.markSynced(time.Now())
	return true
}

// rebuildLocked rebuilds the current snapshot from what is in memory (no
// database read) and swaps it in; a failure is logged with why. Call with
// rm.mu held.
func (rm *ReadModel) rebuildLocked(why string) bool {
	if !rm.loaded.Load() || rm.settings == nil {
		return false
	}
	if err := rm.swapLocked(rm.input(rm.cur.Load().Version(), postList(rm.posts))); err != nil {
		rm.log.Error("rebuilding the content snapshot", "reason", why, "err", err)
		return false
	}
	return true
}

// swapLocked builds a snapshot from in on top of the current one, brings
// the search index up to it, swaps it in and warms it. On error nothing
// changes. Call with rm.mu held.
func (rm *ReadModel) swapLocked(in snapshotInput) error {
	snap, err := buildSnapshot(in, rm.cur.Load())
	if err != nil {
		return err
	}
	indexed := rm.indexSearch(snap, in.cats, in.citations)
	rm.cur.Store(snap)
	rm.built.Store(time.Now().UnixNano())
	first := !rm.swapped
	rm.swapped = true
	go func() {
		snap.warm()
		if first {
			<-indexed
			close(rm.settled)
		}
	}()
	return nil
}

// Settled is closed once the work that follows the first load in the
// background has ended: the compressed encodings of its bodies and the
// first build of the search index. A server that starts reads every
// published body once and leaves much garbage; this is when to hand it
// back to the operating system.
func (rm *ReadModel) Settled() <-chan struct{} { return rm.settled }

// postList returns the posts of m in no particular order.
func postList(m map[string]*cms.Post) []*cms.Post {
	list := make([]*cms.Post, 0, len(m))
	for _, p := range m {
		list = append(list, p)
	}
	return list
}
