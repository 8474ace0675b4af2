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
	"errors"
	"log/slog"
	"maps"
	"reflect"
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
func (rm *ReadModel) Reload(ctx context.Context) error { return rm.reload(ctx, false) }

// recheckEvery is how often Run reads the content even though the content
// version did not move: a process killed between a save and the version
// bump after it leaves a change that no version announces.
func recheckEvery(interval time.Duration) time.Duration { return max(10*time.Second, 60*interval) }

// reload is Reload; with onlyChanged, a load that finds everything as the
// current snapshot has it swaps nothing in.
func (rm *ReadModel) reload(ctx context.Context, onlyChanged bool) error {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	// Read the version first: a write that lands during the reload bumps
	// it again, and the next poll picks that write up.
	start := time.Now()
	version, err := rm.store.ContentVersion(ctx)
	if err != nil {
		return err
	}
	heads, err := rm.store.PublishedPosts(ctx)
	if err != nil {
		return err
	}
	next := make(map[string]*cms.Post, len(heads))
	var need []*cms.Post
	for _, h := range heads {
		if old := rm.posts[h.ID]; old != nil && old.Version == h.Version {
			next[h.ID] = old
			continue
		}
		need = append(need, h)
	}
	if err := rm.fillBodies(ctx, need); err != nil {
		return err
	}
	for _, h := range need {
		next[h.ID] = h
	}
	cats, err := rm.store.ListCategories(ctx)
	if err != nil {
		return err
	}
	st, err := rm.store.GetSettings(ctx)
	if err != nil {
		return err
	}
	if st, err = rm.bylineFallback(ctx, st); err != nil {
		return err
	}
	cites, err := rm.store.ListCitations(ctx)
	if err != nil {
		return err
	}
	health, err := rm.store.ListCitationHealth(ctx)
	if err != nil {
		return err
	}
	// References carry their health, and a broken link its archived copy.
	cites = cms.WithHealth(cites, health)
	lists, err := rm.store.ListLists(ctx)
	if err != nil {
		return err
	}
	for i, l := range lists {
		// A save that features a post commits on the post: see featured.go.
		if lists[i], _, err = cms.SettleFeatured(ctx, rm.store, l, rm.clock()); err != nil {
			return err
		}
	}
	quizzes, err := rm.store.ListQuizzes(ctx)
	if err != nil {
		return err
	}
	keys, err := rm.store.ListContentKeys(ctx)
	if err != nil {
		return err
	}
	reviewers, err := rm.store.ListReviewers(ctx)
	if err != nil {
		return err
	}
	if onlyChanged && rm.loaded.Load() && version == rm.cur.Load().Version() {
		changed := rm.changedLocked(len(need) > 0 || len(next) != len(rm.posts), cats, st, cites, lists, quizzes, keys, reviewers)
		if changed == "" {
			rm.markSynced(start)
			return nil
		}
		// A write landing during this load changes content before its
		// bump; only a version that still has not moved is news.
		if now, err := rm.store.ContentVersion(ctx); err == nil && now == version {
			rm.log.Info("content changed without a new content version (a writer stopped between a save and its bump?): reloading",
				"version", version, "changed", changed)
		}
	}
	in := snapshotInput{version: version, posts: postList(next), cats: cats, settings: st,
		citations: cites, publicURL: rm.publicURL, lists: rm.listsInput(lists), quizzes: quizzes, keys: keys, reviewers: reviewers}
	if err := rm.swapLocked(in); err != nil {
		return &cms.Error{Kind: cms.KindInternal, Op: "readmodel.ReadModel.Reload", Err: err}
	}
	rm.posts, rm.cats, rm.settings, rm.citations = next, cats, st, cites
	rm.lv.lists = lists
	rm.quizzes, rm.keys, rm.reviewers = quizzes, keys, reviewers
	rm.loaded.Store(true)
	rm.markSynced(start)
	return nil
}

// changedLocked names what of a load differs from what the current
// snapshot was built from ("" for nothing). Call with rm.mu held.
func (rm *ReadModel) changedLocked(posts bool, cats []*cms.Category, st *cms.Settings, cites []*cms.Citation,
	lists []*cms.List, quizzes []*cms.Quiz, keys []*cms.ContentKey, reviewers []*cms.Reviewer) string {
	var out []string
	for _, c := range []struct {
		name string
		diff bool
	}{
		{"posts", posts}, {"categories", !reflect.DeepEqual(cats, rm.cats)}, {"settings", !reflect.DeepEqual(st, rm.settings)},
		{"citations", !reflect.DeepEqual(cites, rm.citations)}, {"lists", !reflect.DeepEqual(lists, rm.lv.lists)},
		{"quizzes", !reflect.DeepEqual(quizzes, rm.quizzes)}, {"content keys", !reflect.DeepEqual(keys, rm.keys)},
		{"reviewers", !reflect.DeepEqual(reviewers, rm.reviewers)},
	} {
		if c.diff {
			out = append(out, c.name)
		}
	}
	return strings.Join(out, ", ")
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
	next := maps.Clone(rm.posts)
	delete(next, p.ID)
	if p.Public() {
		light := *p
		light.Body, light.Revisions = "", nil
		next[p.ID] = &light
	}
	if rm.swapLocked(rm.input(version, postList(next))) != nil {
		return false
	}
	rm.posts = next
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
	lists := slices.Clone(rm.lv.lists)
	if i := slices.IndexFunc(lists, func(old *cms.List) bool { return old.ID == l.ID }); i >= 0 {
		lists[i] = l
	} else {
		lists = append(lists, l)
	}
	in := rm.input(version, postList(rm.posts))
	in.lists = rm.listsInput(lists)
	if rm.swapLocked(in) != nil {
		return false
	}
	rm.lv.lists = lists
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
	indexed := rm.indexSearch(snap, in.posts, in.cats, in.citations)
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

// bylineFallback returns st with the author's name set to the name of the
// first owner (the oldest) while the settings name no author, so that
// posts never answer an empty byline; st itself when they do.
func (rm *ReadModel) bylineFallback(ctx context.Context, st *cms.Settings) (*cms.Settings, error) {
	if st.Author.Name != "" {
		return st, nil
	}
	users, err := rm.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == cms.RoleOwner && u.Name != "" {
			withName := *st
			withName.Author.Name = u.Name
			return &withName, nil
		}
	}
	return st, nil
}

// postList returns the posts of m in no particular order.
func postList(m map[string]*cms.Post) []*cms.Post {
	list := make([]*cms.Post, 0, len(m))
	for _, p := range m {
		list = append(list, p)
	}
	return list
}

// fillBodies sets HTML on each post, from the current-body documents, or
// from the post's own revision where a body document lags behind.
func (rm *ReadModel) fillBodies(ctx context.Context, posts []*cms.Post) error {
	if len(posts) == 0 {
		return nil
	}
	var bodies map[string]cms.PostBody
	if len(posts) > smallReload {
		ids := make([]string, len(posts))
		for i, p := range posts {
			ids[i] = p.ID
		}
		var err error
		if bodies, err = rm.store.PostBodies(ctx, ids); err != nil {
			return err
		}
	}
	for _, p := range posts {
		if b, ok := bodies[p.ID]; ok && b.Version == p.Version {
			p.HTML = b.HTML
			continue
		}
		full, err := rm.store.GetPost(ctx, p.ID)
		if cms.IsKind(err, cms.KindNotFound) {
			continue // deleted meanwhile; it goes at the next reload
		}
		if err != nil {
			return err
		}
		if full.Version == p.Version {
			p.HTML = full.HTML
		} else {
			*p = *full // changed meanwhile: take the newer one
		}
		p.Body = ""
		p.Revisions = nil
	}
	return nil
}

// Run polls the content version every interval and reloads when it moved,
// until ctx ends; every recheckEvery it also reads the content, and
// reloads if it changed though the version did not. While the database is
// unreachable the last snapshot keeps being served; the outage and the
// recovery are logged once each.
func (rm *ReadModel) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	down := false
	lastCheck := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var err error
		if time.Since(lastCheck) >= recheckEvery(interval) {
			if err = rm.recheck(ctx, interval); err == nil {
				lastCheck = time.Now()
			}
		} else {
			err = rm.sync(ctx, interval)
		}
		rm.RefreshListWindows()
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && !down:
			down = true
			rm.log.Warn("database unreachable: serving the last content snapshot", "version", rm.Snapshot().Version(), "err", err)
		case err == nil && down:
			down = false
			rm.log.Info("database reachable again", "version", rm.Snapshot().Version())
		}
	}
}

// recheck loads the content and swaps in a new snapshot if anything
// changed.
func (rm *ReadModel) recheck(ctx context.Context, interval time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, max(30*time.Second, interval))
	defer cancel()
	err := rm.reload(ctx, true)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func (rm *ReadModel) sync(ctx context.Context, interval time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, max(5*time.Second, interval))
	defer cancel()
	start := time.Now()
	v, err := rm.store.ContentVersion(ctx)
	if err != nil {
		return err
	}
	if v == rm.Snapshot().Version() && rm.Loaded() {
		rm.markSynced(start)
		return nil
	}
	err = rm.Reload(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
