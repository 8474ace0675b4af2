package cms_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// mustCitation stores a citation with the given DOI and URL.
func mustCitation(tb testing.TB, svc *cms.Service, key, doi, url string) *cms.Citation {
	tb.Helper()
	c, err := svc.CreateCitation(tb.Context(), cmstest.Owner(), cms.Citation{Key: key, Type: cms.CiteArticle, Title: "Work " + key, Year: 2015,
		Authors: []cms.Name{{Family: "Author", Given: "A."}}, DOI: doi, URL: url, Accessed: "2019-01-01"})
	if err != nil {
		tb.Fatalf("CreateCitation %s: %v", key, err)
	}
	return c
}

func healthOf(tb testing.TB, svc *cms.Service, id string) *cms.CitationHealth {
	tb.Helper()
	m, err := svc.CitationHealthByID(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	return m[id]
}

// TestReferenceCheckRetraction: a work Crossref starts to report as
// retracted is marked within one cycle, with its notice, and the status
// change is dated; the citation's edit and the check never overwrite each
// other.
func TestReferenceCheckRetraction(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	clk := cmstest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	svc := cmstest.MustService(t, net.Configure(time.Millisecond), func(c *cms.ServiceConfig) { c.Now = clk.Now }).Svc
	ctx := t.Context()
	c := mustCitation(t, svc, "lecun2015", cmstest.RefWorkDOI, "")

	run, err := svc.CheckReferences(ctx)
	if err != nil || run.Checked != 1 || run.Due != 1 {
		t.Fatalf("first cycle: %+v, %v; want 1 due, 1 checked", run, err)
	}
	h := healthOf(t, svc, c.ID)
	if h == nil || h.Status != cms.HealthOK || !h.CheckedAt.Equal(clk.Now()) || !h.ChangedAt.IsZero() {
		t.Fatalf("after the first cycle: %+v, want ok checked now, and no change (found ok the first time)", h)
	}
	// Nothing is due until its turn comes.
	if run, err := svc.CheckReferences(ctx); err != nil || run.Due != 0 {
		t.Fatalf("second cycle at once: %+v, %v; want nothing due", run, err)
	}

	net.Retract()
	clk.Add(cms.DefaultReferenceCheckEvery)
	run, err = svc.CheckReferences(ctx)
	if err != nil || run.Checked != 1 || run.Changed != 1 {
		t.Fatalf("cycle after the retraction: %+v, %v; want 1 checked, 1 changed", run, err)
	}
	h = healthOf(t, svc, c.ID)
	want := "Retracted on 2025-03-02, see doi:" + cmstest.RefRetractionDOI
	if h == nil || h.Status != cms.HealthRetracted || h.Notice != want || h.NoticeURL != "https://doi.org/"+cmstest.RefRetractionDOI || !h.ChangedAt.Equal(clk.Now()) {
		t.Fatalf("after the retraction: %+v; want retracted, notice %q, changed now", h, want)
	}
	// The panel's list puts the change first; publishing a post citing
	// the work is held back (post_retracted_test.go).
	rep, err := svc.ReferenceHealth(ctx, clk.Now().Add(-7*24*time.Hour))
	if err != nil || len(rep.Items) != 1 || !rep.Items[0].Changed || !rep.Enabled {
		t.Fatalf("ReferenceHealth: %+v, %v", rep, err)
	}
	postTitle, body := "Cites it", "See [@lecun2015]."
	draft, err := svc.CreatePost(ctx, cmstest.Owner(), cms.PostInput{Title: &postTitle, Body: &body})
	if err != nil {
		t.Fatal(err)
	}
	var re *cms.RetractedError
	if _, err := svc.PublishPost(ctx, cmstest.Owner(), draft.ID, draft.Version, cms.Confirmed{}); !errors.As(err, &re) || len(re.Works) != 1 || re.Works[0].Citation.ID != c.ID {
		t.Fatalf("PublishPost of a post citing it: %v, want it held back naming the work", err)
	}

	// Her edit of the citation keeps the check, and a check keeps her edit.
	title := "Deep learning, edited"
	in := *c
	in.Title = title
	if _, err := svc.UpdateCitation(ctx, cmstest.Owner(), c.ID, in, c.Version); err != nil {
		t.Fatal(err)
	}
	if h := healthOf(t, svc, c.ID); h == nil || h.Status != cms.HealthRetracted {
		t.Fatalf("health after her edit: %+v", h)
	}
	clk.Add(cms.DefaultReferenceCheckEvery)
	if _, err := svc.CheckReferences(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := svc.GetCitation(ctx, c.ID)
	if err != nil || got.Title != title {
		t.Fatalf("citation after a check: %+v, %v; want her title", got, err)
	}
	if h := healthOf(t, svc, c.ID); h.ChangedAt.Equal(clk.Now()) || h.Status != cms.HealthRetracted {
		t.Fatalf("an unchanged status keeps its change date: %+v", h)
	}
	for _, ua := range net.UserAgents() {
		if !strings.HasPrefix(ua, "Lullaby/") {
			t.Errorf("User-Agent %q", ua)
		}
	}
}

// TestReferenceCheckArchivedLink: a dead web page gets its archived copy.
func TestReferenceCheckArchivedLink(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	svc := cmstest.MustService(t, net.Configure(time.Millisecond)).Svc
	c := mustCitation(t, svc, "page2019", "", net.URL+"/pages/gone-sleep")
	net.KillPage("gone-sleep")
	if _, err := svc.CheckReferences(t.Context()); err != nil {
		t.Fatal(err)
	}
	h := healthOf(t, svc, c.ID)
	if h == nil || h.Status != cms.HealthArchived || h.Link != cms.LinkBroken || !h.LinkArchived() ||
		!strings.HasPrefix(h.ArchiveURL, "http://web.archive.org/web/20190101000000/") || h.ArchiveDate != "2019-01-01" {
		t.Fatalf("health: %+v; want archived with the 2019 copy", h)
	}
	if !slices.ContainsFunc(net.Requests(), func(p string) bool { return strings.Contains(p, "timestamp=20190101") }) {
		t.Errorf("the Wayback Machine was not asked for the copy closest to the access date: %v", net.Requests())
	}
}

// TestReferenceCheckRateLimited: a 429 from Crossref holds the checker
// back for the time asked and slows it down; the reference is not marked
// broken, it is tried again later.
func TestReferenceCheckRateLimited(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	var mu = make(chan struct{}, 1)
	var sleeps []time.Duration
	eng := net.Engine(10 * time.Millisecond)
	eng.Sleep = func(ctx context.Context, d time.Duration) error {
		mu <- struct{}{}
		sleeps = append(sleeps, d)
		<-mu
		return nil // the wait is read, not waited
	}
	clk := cmstest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	svc := cmstest.MustService(t, func(c *cms.ServiceConfig) { c.ReferenceChecks.Engine = eng; c.Now = clk.Now }).Svc
	a := mustCitation(t, svc, "a2015", cmstest.RefWorkDOI, "")
	b := mustCitation(t, svc, "b1998", "10.1016/S0140-6736(97)11096-0", "")
	net.Limit(1, "2")

	run, err := svc.CheckReferences(t.Context())
	if err != nil || run.Deferred != 1 || run.Checked != 1 {
		t.Fatalf("cycle: %+v, %v; want 1 deferred, 1 checked", run, err)
	}
	mu <- struct{}{}
	got := slices.Clone(sleeps)
	<-mu
	if !slices.ContainsFunc(got, func(d time.Duration) bool { return d > time.Second }) {
		t.Errorf("waits %v: none held Crossref back for its Retry-After of 2 s", got)
	}
	deferred, checked := a, b
	if healthOf(t, svc, a.ID) != nil {
		deferred, checked = b, a
	}
	if h := healthOf(t, svc, checked.ID); h == nil || h.Status == cms.HealthBroken {
		t.Errorf("the other reference: %+v", h)
	}
	// Not marked, not retried at once, retried later.
	m, _ := svc.ReferenceHealth(t.Context(), time.Time{})
	for _, it := range m.Items {
		if it.Citation.ID == deferred.ID && (it.Health != nil || !strings.Contains(it.LastError, "429")) {
			t.Errorf("deferred reference: health %+v, last error %q (want none, and one naming the 429)", it.Health, it.LastError)
		}
	}
	if run, _ := svc.CheckReferences(t.Context()); run.Due != 0 {
		t.Errorf("a deferred reference was retried at once: %+v", run)
	}
	clk.Add(2 * time.Hour)
	if run, err := svc.CheckReferences(t.Context()); err != nil || run.Checked != 1 {
		t.Errorf("retry: %+v, %v", run, err)
	}
	if h := healthOf(t, svc, deferred.ID); h == nil || h.LastError != "" {
		t.Errorf("after the retry: %+v", h)
	}
}

// TestReferenceCheckOff: with no source configured nothing is fetched,
// and the background job returns at once.
func TestReferenceCheckOff(t *testing.T) {
	t.Parallel()
	dead := cmstest.RefCheckerOff(t)
	svc := cmstest.MustService(t).Svc
	mustCitation(t, svc, "page2019", "10.1038/nature14539", dead+"/pages/x")
	run, err := svc.CheckReferences(t.Context())
	if err != nil || run.Enabled || run.Checked != 0 {
		t.Fatalf("CheckReferences: %+v, %v", run, err)
	}
	done := make(chan struct{})
	go func() { svc.RunReferenceChecks(t.Context()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunReferenceChecks runs with no source configured")
	}
	if err := svc.RequestReferenceCheck(t.Context(), cmstest.Owner()); !cms.IsKind(err, cms.KindUnavailable) {
		t.Errorf("RequestReferenceCheck with the checker off: %v", err)
	}
}

// TestReferenceCheckNow: "Check now" makes every reference due at once,
// and only owners may ask.
func TestReferenceCheckNow(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	clk := cmstest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	svc := cmstest.MustService(t, net.Configure(time.Millisecond), func(c *cms.ServiceConfig) { c.Now = clk.Now }).Svc
	mustCitation(t, svc, "a2015", cmstest.RefWorkDOI, "")
	if _, err := svc.CheckReferences(t.Context()); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	if err := svc.RequestReferenceCheck(t.Context(), &cms.User{ID: cms.NewID(), Role: cms.RoleEditor}); !cms.IsKind(err, cms.KindForbidden) {
		t.Errorf("an editor's request: %v", err)
	}
	if err := svc.RequestReferenceCheck(t.Context(), cmstest.Owner()); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Second)
	if run, err := svc.CheckReferences(t.Context()); err != nil || run.Checked != 1 {
		t.Errorf("after Check now: %+v, %v", run, err)
	}
}

// TestContactEmailSetting: the contact address is validated, named on
// error, and sent in the User-Agent.
func TestContactEmailSetting(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	svc := cmstest.MustService(t, net.Configure(time.Millisecond)).Svc
	owner := cmstest.Owner()
	for _, bad := range []string{"not an address", "a@b", "Name <a@example.com>", "a@example.com\r\nX: y", strings.Repeat("a", 250) + "@example.com"} {
		_, err := svc.UpdateSettings(t.Context(), owner, cms.SettingsInput{ContactEmail: &bad, Version: ptr(0)})
		if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)["contactEmail"] == "" {
			t.Errorf("contactEmail %q: %v, want Invalid naming contactEmail", bad, err)
		}
	}
	good := "sleep@example.com"
	if _, err := svc.UpdateSettings(t.Context(), owner, cms.SettingsInput{ContactEmail: &good, Version: ptr(0)}); err != nil {
		t.Fatal(err)
	}
	mustCitation(t, svc, "a2015", cmstest.RefWorkDOI, "")
	if _, err := svc.CheckReferences(t.Context()); err != nil {
		t.Fatal(err)
	}
	uas := net.UserAgents()
	if len(uas) == 0 || !strings.Contains(uas[0], "mailto:sleep@example.com") {
		t.Errorf("User-Agents %q lack the contact address", uas)
	}
}

// TestReferenceCheckCost measures a cycle at the engine's default rate
// (one request per second per host) on a simulated clock: a reference
// with a DOI costs 2 requests (Crossref and doi.org), one with a live
// web page 1, and a cycle takes about one second per DOI, Crossref being
// the bottleneck: 2,000 references about 2,000 s, some 34 minutes.
func TestReferenceCheckCost(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	clk := cmstest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	eng := net.Engine(0) // the default interval
	eng.Now = clk.Now
	eng.Sleep = func(_ context.Context, d time.Duration) error { clk.Add(d); return nil }
	svc := cmstest.MustService(t, func(c *cms.ServiceConfig) { c.ReferenceChecks.Engine = eng }).Svc
	const dois, pages = 10, 5
	for i := range dois {
		mustCitation(t, svc, "doi"+string(rune('a'+i)), cmstest.RefWorkDOI+string(rune('a'+i)), "")
	}
	for i := range pages {
		mustCitation(t, svc, "page"+string(rune('a'+i)), "", net.URL+"/pages/live"+string(rune('a'+i)))
	}
	start := clk.Now()
	run, err := svc.CheckReferences(t.Context())
	if err != nil || run.Checked != dois+pages {
		t.Fatalf("cycle: %+v, %v", run, err)
	}
	if got, want := len(net.Requests()), 2*dois+pages; got != want {
		t.Errorf("%d requests for %d DOIs and %d live pages, want %d", got, dois, pages, want)
	}
	// Every request goes to one host here, so the cycle is spaced by
	// the one-per-second rule throughout.
	elapsed := clk.Now().Sub(start)
	if want := time.Duration(2*dois+pages-1) * time.Second; elapsed != want {
		t.Errorf("the cycle took %s of simulated time, want %s (one request a second)", elapsed, want)
	}
}

// TestReferenceCheckOneInstance: two instances on one database never
// check at once: while one runs a cycle, the other's is refused, so the
// per-host rate holds across instances.
func TestReferenceCheckOneInstance(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	inCycle, release := make(chan struct{}), make(chan struct{})
	var once bool
	// An hour between requests, slept in no time: the first wait comes
	// with the cycle's second request, whatever the machine's speed.
	eng := net.Engine(time.Hour)
	eng.Sleep = func(ctx context.Context, d time.Duration) error {
		if !once {
			once = true
			close(inCycle)
			<-release
		}
		return nil
	}
	a := cmstest.MustService(t, func(c *cms.ServiceConfig) { c.ReferenceChecks.Engine = eng })
	b := cmstest.MustServiceOn(t, a.DB, net.Configure(time.Millisecond))
	mustCitation(t, a.Svc, "a2015", cmstest.RefWorkDOI, "")
	mustCitation(t, a.Svc, "b2015", cmstest.RefWorkDOI+"b", "")
	done := make(chan error, 1)
	go func() { _, err := a.Svc.CheckReferences(t.Context()); done <- err }()
	<-inCycle
	if run, err := b.Svc.CheckReferences(t.Context()); !cms.IsKind(err, cms.KindConflict) || run.Checked != 0 {
		t.Errorf("the second instance during the first's cycle: %+v, %v; want a Conflict, nothing checked", run, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
