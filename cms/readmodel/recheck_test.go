package readmodel_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/imaging"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// unannounced is the real store, except that the content version never
// moves: a service on it is a writer killed after each save, before the
// bump that tells the read models.
type unannounced struct{ *mongodb.DB }

func (unannounced) BumpContentVersion(context.Context) (int64, error) {
	return 0, errors.New("killed between the save and the bump")
}

// mustKilledWriter returns a service on db whose saves no content
// version announces.
func mustKilledWriter(tb testing.TB, db *mongodb.DB) *cms.Service {
	tb.Helper()
	store := unannounced{db}
	svc, err := cms.NewService(cms.ServiceConfig{Store: store, Logger: cmstest.Logger(), Images: imaging.Processor{},
		Publisher: readmodel.NewReadModel(store, cmstest.Logger())})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// mustPublish publishes a post with title through svc.
func mustPublish(tb testing.TB, svc *cms.Service, title string) *cms.Post {
	tb.Helper()
	body, status := "Sleep comes in cycles.", cms.StatusPublished
	p, err := svc.CreatePost(context.Background(), cmstest.Owner(), cms.PostInput{Title: &title, Body: &body, Status: &status})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// mustShow fails unless the snapshot's post slug holds want (want "":
// there is no such post).
func mustShow(tb testing.TB, rm *readmodel.ReadModel, slug, want string) {
	tb.Helper()
	b, _, err := rm.Snapshot().Post(slug)
	switch {
	case want == "" && err == nil:
		tb.Fatalf("post %s is in the snapshot, want it gone", slug)
	case want != "" && err != nil:
		tb.Fatalf("post %s: %v, want it with %q", slug, err, want)
	case want != "" && !strings.Contains(string(b.Bytes()), want):
		tb.Fatalf("post %s = %.300s, want it with %q", slug, b.Bytes(), want)
	}
}

// TestRecheckFindsUnannouncedChanges: a change saved by a writer killed
// before its bump is in no snapshot until the re-check finds that the
// stored content differs from the snapshot's, whatever the change.
func TestRecheckFindsUnannouncedChanges(t *testing.T) {
	t.Parallel()
	owner := cmstest.Owner()
	for _, tc := range []struct {
		name  string
		write func(ctx context.Context, w *cms.Service, a, b *cms.Post) error
		check func(t *testing.T, rm *readmodel.ReadModel)
	}{
		{"Edit", func(ctx context.Context, w *cms.Service, a, _ *cms.Post) error {
			title := "Naps, edited"
			_, err := w.UpdatePost(ctx, owner, a.ID, cms.PostInput{Title: &title, Version: &a.Version})
			return err
		}, func(t *testing.T, rm *readmodel.ReadModel) { mustShow(t, rm, "naps", "Naps, edited") }},
		{"Unpublish", func(ctx context.Context, w *cms.Service, a, _ *cms.Post) error {
			_, err := w.UnpublishPost(ctx, owner, a.ID, a.Version)
			return err
		}, func(t *testing.T, rm *readmodel.ReadModel) { mustShow(t, rm, "naps", "") }},
		{"DeleteAndEdit", func(ctx context.Context, w *cms.Service, a, b *cms.Post) error {
			if _, err := w.TrashPost(ctx, owner, b.ID, b.Version); err != nil {
				return err
			}
			if err := w.DeletePost(ctx, owner, b.ID); err != nil {
				return err
			}
			title := "Naps, edited"
			_, err := w.UpdatePost(ctx, owner, a.ID, cms.PostInput{Title: &title, Version: &a.Version})
			return err
		}, func(t *testing.T, rm *readmodel.ReadModel) {
			mustShow(t, rm, "naps", "Naps, edited")
			mustShow(t, rm, "night-waking", "")
		}},
		{"Category", func(ctx context.Context, w *cms.Service, _, _ *cms.Post) error {
			name := "Toddler sleep"
			_, err := w.CreateCategory(ctx, owner, cms.CategoryInput{Name: &name})
			return err
		}, func(t *testing.T, rm *readmodel.ReadModel) {
			if b := rm.Snapshot().Categories(); !strings.Contains(string(b.Bytes()), "Toddler sleep") {
				t.Fatalf("categories = %s, want the new one", b.Bytes())
			}
		}},
		{"Settings", func(ctx context.Context, w *cms.Service, _, _ *cms.Post) error {
			v := 0
			_, err := w.UpdateSettings(ctx, owner, cms.SettingsInput{Version: &v, Site: &cms.SiteSettings{Title: "Calm Nights", URL: "https://sleep.example"}})
			return err
		}, func(t *testing.T, rm *readmodel.ReadModel) {
			if b := rm.Snapshot().Site(); !strings.Contains(string(b.Bytes()), "Calm Nights") {
				t.Fatalf("site = %s, want the new title", b.Bytes())
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := cmstest.MustService(t)
			a, b := mustPublish(t, f.Svc, "Naps"), mustPublish(t, f.Svc, "Night waking")
			rm, version := f.Read, f.Read.Snapshot().Version()
			if err := tc.write(ctx, mustKilledWriter(t, f.DB), a, b); err != nil {
				t.Fatal(err)
			}
			if v, err := f.DB.ContentVersion(ctx); err != nil || v != version {
				t.Fatalf("content version after the unannounced write = %d, %v; want %d", v, err, version)
			}
			if swapped, err := rm.Recheck(ctx); err != nil || !swapped {
				t.Fatalf("re-check = %v, %v; want a snapshot swapped in", swapped, err)
			}
			tc.check(t, rm)
			if got := rm.Snapshot().Version(); got != version {
				t.Errorf("snapshot version %d, want %d", got, version)
			}
			after := rm.Snapshot()
			if swapped, err := rm.Recheck(ctx); err != nil || swapped || rm.Snapshot() != after {
				t.Errorf("a second re-check = %v, %v; want nothing swapped", swapped, err)
			}
		})
	}
}

// TestRecheckFindsNothing: over content of every kind the snapshot is
// built from, a re-check finds the stored content as the snapshot has
// it and swaps nothing in, also after local saves applied in memory.
func TestRecheckFindsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := cmstest.MustService(t)
	// No author in the settings: the byline is the owner's name.
	owner := f.MustUser(t, cms.UserInput{Name: new("Dana Whitfield"), Role: new(cms.RoleOwner)})
	p := mustPublish(t, f.Svc, "Naps")
	if _, err := f.Svc.CreateCategory(ctx, owner, cms.CategoryInput{Name: new("Toddlers")}); err != nil {
		t.Fatal(err)
	}
	c, err := f.Svc.CreateCitation(ctx, owner, cms.Citation{Type: cms.CiteBook, Title: "Sleep", Authors: []cms.Name{{Family: "Mindell"}}, Year: 2005})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.DB.SaveCitationHealth(ctx, &cms.CitationHealth{CitationID: c.ID, Status: cms.HealthOK, Version: 1}, 0); err != nil {
		t.Fatal(err)
	}
	l, err := f.Svc.CreateList(ctx, owner, cms.ListInput{Name: new("Start here")})
	if err != nil {
		t.Fatal(err)
	}
	q := cms.DefaultNapQuiz(nil)
	q.Version = 1
	if err := f.DB.CreateQuiz(ctx, q); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Svc.CreateContentKey(ctx, owner, cms.ContentKeyInput{Name: new("Website")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.CreateReviewer(ctx, owner, cms.ReviewerInput{Name: new("Dr. Lee")}); err != nil {
		t.Fatal(err)
	}
	rm := f.Read
	if err := rm.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	mustNothing := func(when string) {
		t.Helper()
		before := rm.Snapshot()
		if swapped, err := rm.Recheck(ctx); err != nil || swapped || rm.Snapshot() != before {
			t.Fatalf("re-check %s = %v, %v; want nothing swapped", when, swapped, err)
		}
	}
	mustNothing("after a load")
	// Saves applied in memory (no reload) keep the snapshot's fingerprint.
	if _, err := f.Svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: new("Naps, edited"), Version: &p.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.AddToList(ctx, owner, l.ID, p.ID, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	mustShow(t, rm, "naps", "Naps, edited")
	mustNothing("after local saves")
}

// gate holds the next call of one store read, once armed, until opened.
type gate struct {
	mu      sync.Mutex
	armed   bool
	entered chan struct{} // closed when the held call arrives
	release chan struct{}
	once    sync.Once
}

func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

func (g *gate) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed = true
}

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

func (g *gate) pass() {
	g.mu.Lock()
	armed := g.armed
	g.armed = false
	g.mu.Unlock()
	if armed {
		close(g.entered)
		<-g.release
	}
}

// held waits until the armed call arrives at g.
func (g *gate) held(tb testing.TB, what string) {
	tb.Helper()
	select {
	case <-g.entered:
	case <-time.After(10 * time.Second):
		tb.Fatalf("%s never started", what)
	}
}

// gatedStore is the real store whose fingerprint and post heads reads
// can be held in the middle of a re-check.
type gatedStore struct {
	*mongodb.DB
	fingerprint, heads *gate
}

func (s gatedStore) ContentFingerprint(ctx context.Context) (cms.ContentFingerprint, error) {
	s.fingerprint.pass()
	return s.DB.ContentFingerprint(ctx)
}

func (s gatedStore) PublishedPosts(ctx context.Context) ([]*cms.Post, error) {
	s.heads.pass()
	return s.DB.PublishedPosts(ctx)
}

// within fails unless do returns within 10 s.
func within(tb testing.TB, what string, do func() error) {
	tb.Helper()
	done := make(chan error, 1)
	go func() { done <- do() }()
	select {
	case err := <-done:
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
	case <-time.After(10 * time.Second):
		tb.Fatalf("%s waited for the re-check's database read", what)
	}
}

type recheckResult struct {
	swapped bool
	err     error
}

// TestRecheckBlocksNothing: while a re-check reads the database (the
// fingerprint, then the content), the polls go on picking up other
// instances' writes and a local save is applied at once; the re-check's
// load, overtaken by the save, is dropped, and the next one swaps it in.
func TestRecheckBlocksNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := cmstest.New(t)
	store := gatedStore{DB: db, fingerprint: newGate(), heads: newGate()}
	t.Cleanup(store.fingerprint.open)
	t.Cleanup(store.heads.open)
	rm := readmodel.NewReadModel(store, cmstest.Logger())
	svc, err := cms.NewService(cms.ServiceConfig{Store: db, Logger: cmstest.Logger(), Images: imaging.Processor{}, Publisher: rm})
	if err != nil {
		t.Fatal(err)
	}
	owner := cmstest.Owner()
	p := mustPublish(t, svc, "Naps")
	recheck := func() <-chan recheckResult {
		out := make(chan recheckResult, 1)
		go func() {
			swapped, err := rm.Recheck(ctx)
			out <- recheckResult{swapped, err}
		}()
		return out
	}

	// The fingerprint read is held.
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() { defer close(ran); rm.Run(runCtx, 20*time.Millisecond) }()
	store.fingerprint.arm()
	first := recheck()
	store.fingerprint.held(t, "the fingerprint read")
	within(t, "a local save", func() error {
		var err error
		p, err = svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: new("Naps, edited here"), Version: &p.Version})
		return err
	})
	mustShow(t, rm, "naps", "Naps, edited here")
	mustPublish(t, cmstest.MustServiceOn(t, db).Svc, "Night waking")
	deadline := time.Now().Add(10 * time.Second)
	for _, _, err := rm.Snapshot().Post("night-waking"); err != nil; _, _, err = rm.Snapshot().Post("night-waking") {
		if time.Now().After(deadline) {
			t.Fatal("the poll did not pick up another instance's post while a re-check was held")
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case r := <-first:
		t.Fatalf("the held re-check returned %+v", r)
	default:
	}
	store.fingerprint.open()
	if r := <-first; r.err != nil || r.swapped {
		t.Fatalf("the re-check overtaken by the saves = %+v; want nothing swapped", r)
	}
	stop()
	<-ran

	// The content read is held, after a change no version announced.
	night, err := db.FindPostBySlug(ctx, "night-waking")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mustKilledWriter(t, db).UpdatePost(ctx, owner, night.ID, cms.PostInput{Title: new("Night waking, unannounced"), Version: &night.Version}); err != nil {
		t.Fatal(err)
	}
	store.heads.arm()
	second := recheck()
	store.heads.held(t, "the content read")
	within(t, "a local save", func() error {
		_, err := svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Title: new("Naps, edited again"), Version: &p.Version})
		return err
	})
	mustShow(t, rm, "naps", "Naps, edited again")
	store.heads.open()
	if r := <-second; r.err != nil || r.swapped {
		t.Fatalf("the re-check overtaken by a save = %+v; want its load dropped", r)
	}
	mustShow(t, rm, "night-waking", `"title":"Night waking"`)
	if swapped, err := rm.Recheck(ctx); err != nil || !swapped {
		t.Fatalf("the next re-check = %v, %v; want the unannounced change swapped in", swapped, err)
	}
	mustShow(t, rm, "night-waking", "Night waking, unannounced")
	mustShow(t, rm, "naps", "Naps, edited again")
}
