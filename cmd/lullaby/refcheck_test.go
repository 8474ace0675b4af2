package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// refEnv is the environment of a server whose reference checker asks
// net for everything.
func refEnv(t *testing.T, net *cmstest.RefNet) map[string]string {
	return map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_REFCHECK": "on", "LULLABY_CROSSREF_URL": net.URL, "LULLABY_DOI_URL": net.URL, "LULLABY_WAYBACK_URL": net.URL,
		"LULLABY_REFCHECK_ALLOW_PRIVATE": "1", "LULLABY_REFCHECK_POLL": "50ms", "LULLABY_REFCHECK_HOST_INTERVAL": "10ms"}
}

// publicRefs returns the references of the published post slug as the
// public API gives them, by key.
func publicRefs(t *testing.T, r *running, slug string) map[string]map[string]any {
	t.Helper()
	var post struct {
		References []map[string]any `json:"references"`
	}
	MustCall(t, 200, "GET", r.base+"/api/v1/posts/"+slug, "", nil, &post)
	out := map[string]map[string]any{}
	for _, ref := range post.References {
		out[ref["key"].(string)] = ref
	}
	return out
}

// waitRefs polls the public post until ok says its references are as
// wanted.
func waitRefs(t *testing.T, r *running, slug, what string, ok func(map[string]map[string]any) bool) map[string]map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		refs := publicRefs(t, r, slug)
		if ok(refs) {
			return refs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s; references: %v", what, refs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func health(ref map[string]any) map[string]any {
	h, _ := ref["health"].(map[string]any)
	return h
}

// TestReferenceCheckServe: `lullaby serve` with the checker on checks
// every reference in the background; after "Check now", a work Crossref
// now reports as retracted, and a dead page with its archived copy, are
// in the public API within that cycle.
func TestReferenceCheckServe(t *testing.T) {
	t.Parallel()
	net := cmstest.NewRefNet(t)
	r := MustStart(t, refEnv(t, net))
	ctx := context.Background()
	svc, owner := r.srv.svc, &cms.User{ID: cms.NewID(), Role: cms.RoleOwner}
	page := net.URL + "/pages/gone-guide"
	for _, c := range []cms.Citation{
		{Key: "lecun2015", Type: cms.CiteArticle, Title: "Deep learning", Authors: []cms.Name{{Family: "LeCun", Given: "Yann"}}, Year: 2015, DOI: cmstest.RefWorkDOI},
		{Key: "guide", Type: cms.CiteWebpage, Title: "Safe sleep guide", Authors: []cms.Name{{Literal: "Sleep Society"}}, Year: 2019, URL: page, Accessed: "2019-01-01"},
	} {
		if _, err := svc.CreateCitation(ctx, owner, c); err != nil {
			t.Fatal(err)
		}
	}
	title, body := "Evidence", "Learning [@lecun2015]. Sleep safely [@guide]."
	p, err := svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &body, Status: ptr(cms.StatusPublished)})
	if err != nil {
		t.Fatal(err)
	}
	waitRefs(t, r, p.Slug, "first check", func(refs map[string]map[string]any) bool {
		return health(refs["lecun2015"])["status"] == "ok" && health(refs["guide"])["status"] == "ok"
	})

	net.Retract()
	net.KillPage("gone-guide")
	time.Sleep(5 * time.Millisecond) // "Check now" is later than the first checks
	if err := svc.RequestReferenceCheck(ctx, owner); err != nil {
		t.Fatal(err)
	}
	refs := waitRefs(t, r, p.Slug, "retraction and archived copy", func(refs map[string]map[string]any) bool {
		return health(refs["lecun2015"])["status"] == "retracted" && health(refs["guide"])["status"] == "archived"
	})
	if n := health(refs["lecun2015"])["notice"]; n != "Retracted on 2025-03-02, see doi:"+cmstest.RefRetractionDOI {
		t.Errorf("notice = %v", n)
	}
	if g := refs["guide"]; !strings.HasPrefix(g["url"].(string), "http://web.archive.org/web/2019") || g["originalUrl"] != page {
		t.Errorf("dead page: url %v, originalUrl %v", g["url"], g["originalUrl"])
	}
}

// TestReferenceCheckServeOff: with the checker off, nothing is fetched,
// even with every URL set and references due.
func TestReferenceCheckServeOff(t *testing.T) {
	t.Parallel()
	dead := cmstest.RefCheckerOff(t)
	env := map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_CROSSREF_URL": dead, "LULLABY_DOI_URL": dead, "LULLABY_WAYBACK_URL": dead,
		"LULLABY_REFCHECK_ALLOW_PRIVATE": "1", "LULLABY_REFCHECK_POLL": "10ms"}
	r := MustStart(t, env)
	owner := &cms.User{ID: cms.NewID(), Role: cms.RoleOwner}
	if _, err := r.srv.svc.CreateCitation(context.Background(), owner, cms.Citation{Key: "x2020", Type: cms.CiteWebpage, Title: "X",
		Authors: []cms.Name{{Literal: "X"}}, Year: 2020, URL: dead + "/pages/x", DOI: cmstest.RefWorkDOI}); err != nil {
		t.Fatal(err)
	}
	if r.srv.svc.ReferenceChecksEnabled() {
		t.Fatal("the checker is on without LULLABY_REFCHECK=on")
	}
	time.Sleep(200 * time.Millisecond) // twenty polls, had the job started
}

// TestReferenceCheckConfig: bad values are refused naming the variable.
func TestReferenceCheckConfig(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for k, v := range map[string]string{
		"LULLABY_REFCHECK": "maybe", "LULLABY_DOI_URL": "doi.org", "LULLABY_WAYBACK_URL": "ftp://archive.org",
		"LULLABY_REFCHECK_EVERY": "1s", "LULLABY_REFCHECK_POLL": "soon", "LULLABY_REFCHECK_HOST_INTERVAL": "0s",
		"LULLABY_REFCHECK_ALLOW_PRIVATE": "yes",
	} {
		if _, err := loadConfig("serve", nil, env(map[string]string{k: v}), &strings.Builder{}); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: err = %v, want one naming it", k, v, err)
		}
	}
	cfg, err := loadConfig("serve", nil, env(map[string]string{"LULLABY_REFCHECK": "on", "LULLABY_DOI_URL": "https://doi.org/"}), &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	rc := cfg.refChecks()
	if rc.Engine.DOIBase != "https://doi.org" || rc.Engine.CrossrefBase != "" || !rc.Engine.CheckLinks || rc.Every != 168*time.Hour || rc.Engine.Client == nil {
		t.Errorf("refChecks = %+v", rc)
	}
	cfg, _ = loadConfig("serve", nil, env(map[string]string{"LULLABY_DOI_URL": "https://doi.org"}), &strings.Builder{})
	if rc := cfg.refChecks(); rc.Engine.DOIBase != "" || rc.Engine.CheckLinks {
		t.Errorf("off by default, yet %+v", rc)
	}
}
