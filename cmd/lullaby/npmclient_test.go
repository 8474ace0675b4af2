package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// clientSite is a running Lullaby for a test that drives an npm client
// (pinned in testdata/npm) against it: the site is titled, its author
// named, and the test fills it as owner before running the client.
type clientSite struct {
	t     *testing.T
	r     *running
	svc   *cms.Service
	ctx   context.Context
	owner *cms.User
	day0  time.Time // the date of the first post publish makes
}

// startClientSite starts the site for a test of the npm package pkg;
// without node or pkg installed the test is skipped, unless
// LULLABY_E2E=1 (see cmstest.NodePackage).
func startClientSite(t *testing.T, pkg string) *clientSite {
	t.Helper()
	cmstest.NodePackage(t, pkg)
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	s := &clientSite{t: t, r: r, svc: r.srv.svc, ctx: context.Background(),
		owner: &cms.User{ID: cms.NewID(), Name: "Jo Doe", Role: cms.RoleOwner},
		day0:  time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	cur, err := s.svc.GetSettings(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.UpdateSettings(s.ctx, s.owner, cms.SettingsInput{Version: &cur.Version,
		Site:   &cms.SiteSettings{Title: "Little Sleepers", URL: "https://sleep.example", Description: "Evidence-based sleep help"},
		Author: &cms.AuthorProfile{Name: "Jo Doe", Title: "Certified pediatric sleep consultant"},
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// category creates a category and returns its id.
func (s *clientSite) category(name string) string {
	s.t.Helper()
	c, err := s.svc.CreateCategory(s.ctx, s.owner, cms.CategoryInput{Name: &name})
	if err != nil {
		s.t.Fatal(err)
	}
	return c.ID
}

// publish publishes a post dated days after day0.
func (s *clientSite) publish(title, body string, days int, tags []string, cats ...string) *cms.Post {
	s.t.Helper()
	p, err := s.svc.ImportPost(s.ctx, s.owner, cms.PostInput{Title: &title, Body: &body, Tags: &tags, CategoryIDs: &cats},
		cms.StatusPublished, s.day0.AddDate(0, 0, days))
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

// feature makes p the one post of the Featured list and refreshes what
// the public API serves.
func (s *clientSite) feature(p *cms.Post) {
	s.t.Helper()
	featured, err := s.svc.FeaturedList(s.ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.SetListEntries(s.ctx, s.owner, featured.ID, []cms.ListEntry{{PostID: p.ID}}, featured.Version); err != nil {
		s.t.Fatal(err)
	}
	s.svc.Refresh(s.ctx)
}

// runClient runs the node script with the site's base URL and args, and
// returns what it printed; a failing script fails the test with its
// stderr.
func (s *clientSite) runClient(script string, args ...string) []byte {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script, s.r.base}, args...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+cmstest.NodeModules(s.t))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	return out
}
