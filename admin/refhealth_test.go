package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// healthEnv is an app whose reference checker asks a local stand-in for
// Crossref and doi.org (cmstest.RefNet), with the owner logged in to the
// panel, @lecun2015 (the stand-in's work, to be retracted) in the
// library, and a draft citing it.
type healthEnv struct {
	*Env
	net   *cmstest.RefNet
	b     *Browser
	owner Session
	ref   *cms.Citation
	post  cms.Post
}

const retractedNotice = "Retracted on 2025-03-02, see doi:" + cmstest.RefRetractionDOI

func mustHealthEnv(t *testing.T) *healthEnv {
	t.Helper()
	net := cmstest.NewRefNet(t)
	e := MustNewEnvFor(t, cmstest.MustService(t, net.Configure(time.Millisecond)))
	h := &healthEnv{Env: e, net: net, b: e.MustPanelSetup(t)}
	h.owner = e.MustLogin(t, ownerEmail, ownerPassword)
	h.ref = e.MustLibraryCitation(t, cms.Citation{Key: "lecun2015", Type: cms.CiteArticle, Title: "Deep learning",
		Authors: []cms.Name{{Family: "LeCun", Given: "Yann"}}, Year: 2015, Container: "Nature", DOI: cmstest.RefWorkDOI})
	h.post = e.MustPost(t, h.owner.Token, map[string]any{"title": "Why babies dream", "body": "Networks learn [@lecun2015]."})
	return h
}

// mustCycle runs one cycle of the checker, as its background job does.
func (h *healthEnv) mustCycle(t *testing.T) cms.ReferenceCheckRun {
	t.Helper()
	run, err := h.Svc.CheckReferences(t.Context())
	if err != nil {
		t.Fatalf("CheckReferences: %v", err)
	}
	return run
}

// mustRetract has the stand-in retract the work, and "Check now" and a
// cycle find it.
func (h *healthEnv) mustRetract(t *testing.T) {
	t.Helper()
	h.net.Retract()
	h.b.PostCSRF(t, "/admin/citations/health/check", nil).MustRedirect(t, "/admin/citations/health")
	if run := h.mustCycle(t); run.Changed != 1 {
		t.Fatalf("cycle after Check now = %+v, want the retraction found", run)
	}
}

// TestPanelReferenceHealth: the screen lists the reference with its
// status (ok, then retracted after "Check now" and a cycle), its notice,
// its check date and the post citing it, changed this week first; the
// filter keeps what it names; the badge shows in the library, on the
// reference's page, in the editor's list and on the dashboard only once
// it needs attention.
func TestPanelReferenceHealth(t *testing.T) {
	t.Parallel()
	h := mustHealthEnv(t)
	b := h.b

	b.Get(t, "/admin/citations/health").MustStatus(t, 200).MustContain(t,
		`href="/admin/citations/health" aria-current="page">Reference health`, `id="health-`+h.ref.ID+`"`,
		`data-status="unchecked"`, "Not checked yet", `id="check-now"`)
	if run := h.mustCycle(t); run.Checked != 1 || run.Changed != 1 {
		t.Fatalf("first cycle = %+v, want the reference checked", run)
	}
	// Found ok the first time: checked, but no news.
	b.Get(t, "/admin/citations/health").MustStatus(t, 200).MustContain(t, `data-status="ok"`, `badge-health-ok">OK</span>`,
		"Cited by:", `<a href="/admin/posts/`+h.post.ID+`">Why babies dream</a>`, `<strong id="health-changed">0</strong>`).
		MustNotContain(t, `badge-changed">Changed this week`)
	// Not ok yet: no badge elsewhere, nothing on the dashboard.
	b.Get(t, "/admin/citations").MustStatus(t, 200).MustNotContain(t, "badge-health")
	b.Get(t, "/admin/posts/"+h.post.ID).MustStatus(t, 200).MustNotContain(t, "badge-health")
	b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, `id="refs-attention-link"`).MustNotContain(t, `id="refs-attention"`)

	h.mustRetract(t)
	p := b.Get(t, "/admin/citations/health").MustStatus(t, 200)
	p.MustContain(t, "Checking started.", `data-status="retracted"`, `badge-health-retracted">Retracted</span>`, retractedNotice,
		`href="https://doi.org/`+cmstest.RefRetractionDOI+`"`, `<strong id="health-attention">1</strong>`, `<strong id="health-changed">1</strong>`,
		"Last asked for:")
	if !strings.Contains(p.Body, `health-item health-item-changed" id="health-`+h.ref.ID) {
		t.Errorf("the retracted reference is not marked as changed this week:\n%s", p.Body)
	}

	t.Run("Filter", func(t *testing.T) {
		for status, want := range map[string]bool{"retracted": true, "attention": true, "changed": true, "": true, "ok": false, "unchecked": false} {
			p := b.Get(t, "/admin/citations/health?status="+status).MustStatus(t, 200)
			if got := strings.Contains(p.Body, `id="health-`+h.ref.ID+`"`); got != want {
				t.Errorf("?status=%s lists the retracted reference: %v, want %v", status, got, want)
			}
			if !want {
				p.MustContain(t, `id="health-empty"`)
			}
		}
		b.Get(t, "/admin/citations/health?status=bogus").MustStatus(t, http.StatusBadRequest)
	})

	t.Run("Badges", func(t *testing.T) {
		badge := `badge-health-retracted">Retracted</span> <span class="health-notice">` + retractedNotice
		b.Get(t, "/admin/citations").MustStatus(t, 200).MustContain(t, badge)
		b.Get(t, "/admin/citations/"+h.ref.ID).MustStatus(t, 200).MustContain(t, `id="citation-health"`, badge)
		editor := b.Get(t, "/admin/posts/"+h.post.ID).MustStatus(t, 200)
		editor.MustContain(t, `class="ref-item" data-id="`+h.ref.ID+`"`, badge)
		b.Get(t, "/admin").MustStatus(t, 200).MustContain(t, `id="refs-attention"`, "1 reference needs attention",
			"1 of them retracted or withdrawn", `href="/admin/citations/health?status=attention"`)
	})
}

// TestPanelReferenceCheckNow: "Check now" needs a session and the CSRF
// token, is for owners (editors see no button and are refused), records
// the request without waiting for the check, and says so when checks are
// off on the server.
func TestPanelReferenceCheckNow(t *testing.T) {
	t.Parallel()
	h := mustHealthEnv(t)

	t.Run("LoggedOut", func(t *testing.T) {
		p := h.NewBrowser().Post(t, "/admin/citations/health/check", url.Values{})
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/admin/login") {
			t.Fatalf("logged out: %d to %q, want 303 to the login page", p.Status, p.Header.Get("Location"))
		}
	})
	t.Run("NoCSRF", func(t *testing.T) {
		h.b.Post(t, "/admin/citations/health/check", url.Values{}).MustStatus(t, http.StatusForbidden)
		h.b.Post(t, "/admin/citations/health/check", url.Values{"_csrf": {"forged"}}).MustStatus(t, http.StatusForbidden)
		h.b.Get(t, "/admin/citations/health").MustNotContain(t, "Last asked for:")
	})
	t.Run("Editor", func(t *testing.T) {
		ed := h.MustPanelEditor(t)
		ed.Get(t, "/admin/citations/health").MustStatus(t, 200).MustNotContain(t, `id="check-now"`).MustContain(t, "Only owners can start a check.")
		ed.PostCSRF(t, "/admin/citations/health/check", nil).MustStatus(t, http.StatusForbidden)
		h.b.Get(t, "/admin/citations/health").MustNotContain(t, "Last asked for:")
	})
	t.Run("Owner", func(t *testing.T) {
		start := time.Now()
		h.b.PostCSRF(t, "/admin/citations/health/check", nil).MustRedirect(t, "/admin/citations/health")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Check now took %v: it should only ask for the check", d)
		}
		if n := len(h.net.Requests()); n != 0 {
			t.Errorf("Check now fetched %d times in the request; the background job checks", n)
		}
		h.b.Get(t, "/admin/citations/health").MustContain(t, "Checking started.", "Last asked for:")
	})
	t.Run("ChecksOff", func(t *testing.T) {
		e := MustNewEnv(t)
		b := e.MustPanelSetup(t)
		b.Get(t, "/admin/citations/health").MustStatus(t, 200).MustContain(t, `id="checks-off"`).MustNotContain(t, `id="check-now"`)
		b.PostCSRF(t, "/admin/citations/health/check", nil).MustRedirect(t, "/admin/citations/health")
		b.Get(t, "/admin/citations/health").MustContain(t, "Reference checks are off on this server")
	})
}

// TestPanelPublishRetracted: publishing (or scheduling) a post that cites
// a retracted work brings the editor back at 409 with her input, the work
// named with its notice and nothing saved; "Publish anyway" (the ids she
// confirmed) publishes. Saving the draft is never held back; saving a
// change to a scheduled post's text is.
func TestPanelPublishRetracted(t *testing.T) {
	t.Parallel()
	h := mustHealthEnv(t)
	h.mustCycle(t)
	h.mustRetract(t)
	b, id := h.b, h.post.ID
	form := func(action string, extra ...string) url.Values {
		v := url.Values{"action": {action}, "version": {itoa(h.MustGetPost(t, h.owner.Token, id).Version)}, "title": {"Why babies dream"},
			"body": {"Networks learn [@lecun2015]. Edited."}, "refs": {"1"}, "references": {h.ref.ID}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Add(extra[i], extra[i+1])
		}
		return v
	}

	t.Run("SaveDraft", func(t *testing.T) {
		b.PostCSRF(t, "/admin/posts/"+id, form("save")).MustRedirect(t, "/admin/posts/"+id)
	})
	for _, action := range []string{"publish", "schedule"} {
		t.Run("Warn_"+action, func(t *testing.T) {
			v := form(action, "publishAt", time.Now().Add(48*time.Hour).UTC().Format("2006-01-02T15:04"))
			v.Set("body", "Networks learn [@lecun2015]. Not saved.")
			p := b.PostCSRF(t, "/admin/posts/"+id, v).MustStatus(t, http.StatusConflict)
			p.MustContain(t, `id="retracted-warning"`, `data-key="lecun2015"`, retractedNotice, "Nothing was saved.",
				`name="confirmRetracted" value="`+h.ref.ID+`"`, `id="publish-anyway" name="action" value="`+action+`"`,
				"Not saved.</textarea>")
			if got := h.MustGetPost(t, h.owner.Token, id); got.Status != cms.StatusDraft || strings.Contains(got.Body, "Not saved.") {
				t.Fatalf("after the warning the post is %s with body %q, want the draft as it was", got.Status, got.Body)
			}
		})
	}
	t.Run("ConfirmOtherWork", func(t *testing.T) {
		// Confirming some other id is no confirmation of this one.
		b.PostCSRF(t, "/admin/posts/"+id, form("publish", "confirmRetracted", cms.NewID())).MustStatus(t, http.StatusConflict)
	})
	t.Run("PublishAnyway", func(t *testing.T) {
		b.PostCSRF(t, "/admin/posts/"+id, form("publish", "confirmRetracted", h.ref.ID)).MustRedirect(t, "/admin/posts/"+id)
		if got := h.MustGetPost(t, h.owner.Token, id); got.Status != cms.StatusPublished {
			t.Fatalf("after Publish anyway the post is %s, want published", got.Status)
		}
	})
	t.Run("Update", func(t *testing.T) {
		// Published: a change of the title alone goes out; one of the
		// text asks again.
		v := form("publish")
		v.Set("title", "Why babies dream, updated")
		b.PostCSRF(t, "/admin/posts/"+id, v).MustRedirect(t, "/admin/posts/"+id)
		v = form("publish")
		v.Set("body", "Networks learn more [@lecun2015].")
		b.PostCSRF(t, "/admin/posts/"+id, v).MustStatus(t, http.StatusConflict).MustContain(t, "Not updated yet", ">Update anyway</button>")
	})
	t.Run("NewPost", func(t *testing.T) {
		v := url.Values{"action": {"publish"}, "title": {"Dreams again"}, "body": {"As shown [@lecun2015]."}}
		b.PostCSRF(t, "/admin/posts", v).MustStatus(t, http.StatusConflict).MustContain(t, `id="retracted-warning"`, "Not published yet")
		v.Set("action", "save")
		b.PostCSRF(t, "/admin/posts", v).MustStatus(t, http.StatusSeeOther)
	})
	t.Run("SaveScheduled", func(t *testing.T) {
		// A scheduled post goes live by itself: Save of a change to its
		// text asks too, and "Save anyway" saves it.
		title, body := "Dreams later", "As shown [@lecun2015]."
		ctx, owner := t.Context(), cmstest.Owner()
		p, err := h.Svc.CreatePost(ctx, owner, cms.PostInput{Title: &title, Body: &body})
		if err == nil {
			p, err = h.Svc.SchedulePost(ctx, owner, p.ID, p.Version, time.Now().Add(48*time.Hour), cms.Confirmed{Retracted: true})
		}
		if err != nil {
			t.Fatal(err)
		}
		v := url.Values{"action": {"save"}, "version": {itoa(p.Version)}, "title": {title},
			"body": {"As shown again [@lecun2015]."}, "refs": {"1"}, "references": {h.ref.ID}}
		b.PostCSRF(t, "/admin/posts/"+p.ID, v).MustStatus(t, http.StatusConflict).
			MustContain(t, `id="retracted-warning"`, "Not saved yet", `id="publish-anyway" name="action" value="save"`, ">Save anyway</button>")
		if got := h.MustGetPost(t, h.owner.Token, p.ID); got.Version != p.Version || got.Body != body {
			t.Fatalf("after the warning the post is version %d with body %q, want version %d as it was", got.Version, got.Body, p.Version)
		}
		v.Add("confirmRetracted", h.ref.ID)
		b.PostCSRF(t, "/admin/posts/"+p.ID, v).MustRedirect(t, "/admin/posts/"+p.ID)
		if got := h.MustGetPost(t, h.owner.Token, p.ID); got.Status != cms.StatusScheduled || got.Body != "As shown again [@lecun2015]." {
			t.Fatalf("after Save anyway the post is %s with body %q, want scheduled with the new text", got.Status, got.Body)
		}
	})
}

// TestAPIPublishRetracted: every admin API operation that puts a post
// live refuses one citing a retracted work with a 409 naming
// confirmRetracted and listing the work, and goes ahead with
// "confirmRetracted": true; a draft's edits are never checked.
func TestAPIPublishRetracted(t *testing.T) {
	t.Parallel()
	h := mustHealthEnv(t)
	h.mustCycle(t)
	h.mustRetract(t)
	tok, id := h.owner.Token, h.post.ID
	refused := func(t *testing.T, r *Resp) {
		t.Helper()
		r.MustProblem(t, http.StatusConflict, "confirmRetracted")
		var p struct {
			Retracted []map[string]string `json:"retracted"`
		}
		if err := jsonUnmarshal(r.Body, &p); err != nil || len(p.Retracted) != 1 {
			t.Fatalf("problem %s: want one retracted work", r.Body)
		}
		MustEqual(t, "retracted", p.Retracted[0], map[string]string{"id": h.ref.ID, "key": "lecun2015", "status": "retracted",
			"notice": retractedNotice + ".", "noticeUrl": "https://doi.org/" + cmstest.RefRetractionDOI})
	}
	version := func() int { return h.MustGetPost(t, tok, id).Version }

	t.Run("CitationHealth", func(t *testing.T) {
		// The library as the editor's script reads it carries the badge.
		var list []struct {
			Key    string         `json:"key"`
			Health map[string]any `json:"health"`
		}
		h.Do(t, Req{Method: "GET", Path: api + "/citations", Token: tok}).MustStatus(t, 200).Data(t, &list)
		if len(list) != 1 || list[0].Health["status"] != "retracted" || list[0].Health["label"] != "Retracted" ||
			list[0].Health["notice"] != retractedNotice+"." || list[0].Health["noticeUrl"] != "https://doi.org/"+cmstest.RefRetractionDOI {
			t.Errorf("GET /citations = %+v, want lecun2015 with its retraction", list)
		}
		var one struct {
			Health map[string]any `json:"health"`
		}
		h.Do(t, Req{Method: "GET", Path: api + "/citations/" + h.ref.ID, Token: tok}).MustStatus(t, 200).Data(t, &one)
		if one.Health["status"] != "retracted" {
			t.Errorf("GET /citations/{id} health = %v, want retracted", one.Health)
		}
	})

	t.Run("DraftEdit", func(t *testing.T) {
		h.Do(t, Req{Method: "PATCH", Path: api + "/posts/" + id, Token: tok, Body: map[string]any{"version": version(), "body": "Still [@lecun2015]."}}).MustStatus(t, 200)
	})
	t.Run("Create", func(t *testing.T) {
		in := map[string]any{"title": "Straight out", "body": "See [@lecun2015].", "status": "published"}
		refused(t, h.Do(t, Req{Method: "POST", Path: api + "/posts", Token: tok, Body: in}))
		in["confirmRetracted"] = true
		h.Do(t, Req{Method: "POST", Path: api + "/posts", Token: tok, Body: in}).MustStatus(t, 201)
	})
	t.Run("Patch", func(t *testing.T) {
		refused(t, h.Do(t, Req{Method: "PATCH", Path: api + "/posts/" + id, Token: tok, Body: map[string]any{"version": version(), "status": "published"}}))
	})
	t.Run("Schedule", func(t *testing.T) {
		at := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		refused(t, h.Do(t, Req{Method: "POST", Path: api + "/posts/" + id + "/schedule", Token: tok, Body: map[string]any{"publishAt": at}}))
	})
	t.Run("Publish", func(t *testing.T) {
		refused(t, h.Do(t, Req{Method: "POST", Path: api + "/posts/" + id + "/publish", Token: tok}))
		if got := h.MustGetPost(t, tok, id); got.Status != cms.StatusDraft {
			t.Fatalf("refused publish left the post %s", got.Status)
		}
		h.Do(t, Req{Method: "POST", Path: api + "/posts/" + id + "/publish", Token: tok, Body: map[string]any{"confirmRetracted": true}}).MustStatus(t, 200)
	})
	t.Run("LiveEdit", func(t *testing.T) {
		// The post is live now: an edit of its text is checked; one of
		// its title alone is not, nor its text sent again unchanged.
		refused(t, h.Do(t, Req{Method: "PATCH", Path: api + "/posts/" + id, Token: tok, Body: map[string]any{"version": version(), "body": "Live [@lecun2015]."}}))
		h.Do(t, Req{Method: "PATCH", Path: api + "/posts/" + id, Token: tok, Body: map[string]any{"version": version(), "title": "Why babies dream, again"}}).MustStatus(t, 200)
		live := h.MustGetPost(t, tok, id)
		h.Do(t, Req{Method: "PATCH", Path: api + "/posts/" + id, Token: tok, Body: map[string]any{"version": live.Version, "body": live.Body}}).MustStatus(t, 200)
	})
	t.Run("PendingPublish", func(t *testing.T) {
		h.Do(t, Req{Method: "PUT", Path: api + "/posts/" + id + "/pending", Token: tok, Body: map[string]any{"body": "Pending [@lecun2015].", "version": version()}}).MustStatus(t, 200)
		refused(t, h.Do(t, Req{Method: "POST", Path: api + "/posts/" + id + "/pending/publish", Token: tok}))
		h.Do(t, Req{Method: "POST", Path: api + "/posts/" + id + "/pending/publish", Token: tok, Body: map[string]any{"confirmRetracted": true}}).MustStatus(t, 200)
	})
}
