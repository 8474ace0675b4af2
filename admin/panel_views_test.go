package admin

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/views"
)

// MustViews loads the panel's assets and parses its templates, as New does.
func MustViews(tb testing.TB) (*assetSet, *html.Engine) {
	tb.Helper()
	as, err := panelAssets()
	if err != nil {
		tb.Fatal(err)
	}
	vw, err := newViews(as)
	if err != nil {
		tb.Fatal(err)
	}
	return as, vw
}

// TestPanelEveryTemplateRenders renders every page template of views/
// once, with its data struct filled in, and fails for a template that has
// no sample here: a template error shows up in tests, not in front of her.
// (The editor's templates, views/editor*.html, have their own test.)
func TestPanelEveryTemplateRenders(t *testing.T) {
	t.Parallel()
	_, vw := MustViews(t)
	now := time.Date(2030, 1, 2, 9, 30, 0, 0, time.UTC)
	owner := &cms.User{ID: "64b000000000000000000001", Name: "Olivia <Owner>", Email: "o@example.com", Role: cms.RoleOwner, Version: 1}
	editor := &cms.User{ID: "64b000000000000000000002", Name: "Edith", Email: "e@example.com", Role: cms.RoleEditor, Version: 1}
	pg := page{Title: "Title", User: owner, CSRF: "token", Flash: "Saved.", Nav: "posts"}
	post := &cms.Post{ID: "64b000000000000000000010", Title: "Naps <b>", Slug: "naps", Status: cms.StatusScheduled,
		PublishAt: now, UpdatedAt: now, DeletedAt: now, CategoryIDs: []string{"64b000000000000000000020"}}
	cat := &cms.Category{ID: "64b000000000000000000020", Name: "Newborn", Slug: "newborn", Description: "Zero to three months", Version: 1}
	errs := map[string]string{"email": "Bad.", "password": "Bad.", "name": "Bad.", "slug": "Bad.", "site.title": "Bad.", "q": "Bad.", "": "Bad."}
	list := postsPage{page: pg, Posts: []postRow{{Post: post, CategoryNames: []string{"Newborn"}, Featured: true}, {Post: post}}, Total: 41, Q: "naps",
		TextHits: []textHit{{ID: post.ID, Title: "Naps <b>", Snippet: "a <mark>nap</mark>"}},
		Status:   "draft", Categories: []*cms.Category{cat}, Errors: errs, Statuses: statusOptions, Sorts: sortOptions,
		Pager: pager{Page: 2, TotalPages: 3, PrevURL: "/admin/posts", NextURL: "/admin/posts?page=3"}}
	cite := &cms.Citation{ID: "64b000000000000000000040", Key: "price2012", Type: cms.CiteArticle, Title: "Sleep <b>training</b>", Year: 2012,
		Authors: []cms.Name{{Family: "Price", Given: "Anna"}, {Literal: "AAP <b>"}}, Container: "Pediatrics", DOI: "10.1542/peds.2011-3467", Version: 3}
	health := newHealthView(&cms.CitationHealth{CitationID: cite.ID, Status: cms.HealthRetracted, Notice: "Retracted on 2025-03-02 <b>",
		NoticeURL: "https://doi.org/10.1/x?<b>", Link: cms.LinkBroken, Detail: "HTTP 404 <b>", ArchiveURL: "https://web.archive.org/web/x<b>",
		ArchiveDate: "2019-01-01", CheckedAt: now, ChangedAt: now})
	hook := &cms.Webhook{ID: "64b000000000000000000050", URL: "https://a.example/hook?x=<b>", Description: "Build <b>", Events: []string{"post.published", "site.changed"},
		DisabledReason: "The endpoint answered 410 <b>Gone</b>.", DisabledAt: &now, Version: 3, CreatedAt: now}
	nap := cms.DefaultNapQuiz([]*cms.Citation{cite})
	out, err := nap.Evaluate(&cms.QuizAnswers{AgeValue: ptrF(18), AgeUnit: "months", Bedtime: "19:30", WakeTime: "06:30", Naps: ptrF(1), NapMinutes: ptrF(90), NightWakings: ptrF(0)})
	if err != nil {
		t.Fatal(err)
	}
	out.Text.Title = "Within <b>"
	quizForm := newQuizForm(nap)
	quizForm.Title = "Nap <b> quiz"
	quizErrs := map[string]string{"title": "Bad <b>.", "bands[2].maxHours": "Bad.", "questions[0].label": "Bad.", "results.below.cta.url": "Bad.",
		"bands": "Bad.", "questions": "Bad.", "version": "Stale.", "bands[0].citationIds": "Bad."}
	samples := map[string]any{
		views.Quiz: quizPage{page: pg, Form: quizForm, Errors: quizErrs, Alert: "Fix <b>.", Notice: "Not saved.",
			Refs: []refOption{{ID: cite.ID, Label: "price2012 — Sleep <b>"}}, Try: tryForm{AgeValue: "18", AgeUnit: "years", Bedtime: "19:30"},
			Tried: true, Outcome: newTryOutcome(out, cms.CallToAction{ButtonLabel: "Book", URL: "https://sleep.example.org/book"}), TryErrors: map[string]string{"bedtime": "Bad."}},
		views.QuizResult: quizPage{page: pg, Tried: true, TryAlert: "Fix <b>.", TryErrors: map[string]string{"bedtime": "Bad <b>."}},
		views.Error:      errorPage{page: pg, Status: 403, Message: "No."},
		views.Setup:      setupPage{page: page{Title: "Welcome"}, Email: "o@example.com", Name: "Olivia", Errors: errs},
		views.Login:      loginPage{page: page{Title: "Log in", Flash: "Bye."}, Email: "o@example.com", Next: "/admin/posts", Error: "Locked.", Locked: true, Errors: errs},
		views.Dashboard: dashboardPage{page: pg, Dashboard: &readmodel.Dashboard{Drafts: []*cms.Post{post}, Scheduled: []*cms.Post{post}, Published: []*cms.Post{post}}, DraftCount: 9, PublishedCount: 1, DisabledWebhooks: []*cms.Webhook{hook, hook},
			Review: reviewCard{Months: 12, Due: []cms.DueReview{{Post: post, Since: now, Never: true}, {Post: post, Since: now}}, More: 3},
			Views: viewsChart{Available: true, Width: 300, Height: 60, SparkW: 100, SparkH: 20, Max: 3, Total: 4, From: "2030-01-01", To: "2030-01-30",
				Bars: []chartBar{{X: "0.5", Y: "10.0", W: "9.0", H: "50.0", Label: "2030-01-01: 3 views <b>"}},
				Top:  []topPost{{ID: post.ID, Title: "Naps <b>", Views: 4, Points: "0.0,19.0 100.0,1.0"}}},
			Quiz: quizChart{Available: true, Total: 4, Results: quizCounts{Below: 1, Within: 3}, Percent: quizCounts{Below: 25, Within: 75},
				Width: 300, Height: 38, From: "2030-01-01", To: "2030-01-30", Rows: []quizChartRow{
					{Label: "All readers", Total: 4, All: true, Y: "0.0", TextY: "12.0", CountX: "270.0", Segs: []quizSeg{{Class: "seg-below", X: "96.0", W: "42.5", Label: "All <b>: 1 below"}}},
					{Label: "1–2 <b>", BandKey: "12-35", Total: 3, Y: "22.0", TextY: "34.0", CountX: "230.0", Segs: []quizSeg{{Class: "seg-within", X: "96.0", W: "127.5", Label: "3 within"}}}}}},
		views.Posts:        list,
		views.Trash:        list,
		views.TrashConfirm: trashConfirmPage{page: pg, Post: post},
		views.Categories: categoriesPage{page: pg, Alert: "Changed.", Script: true, New: categoryForm{Name: "x", Errors: errs},
			Rows: []categoryRow{{Category: cat, First: true, Form: categoryForm{Name: "y", Errors: errs, Open: true}}, {Category: cat, Last: true}}},
		views.Reviewers: reviewersPage{page: pg, Alert: "In <b>use.", New: reviewerForm{Name: "x", Errors: map[string]string{"name": "Bad <b>.", "photoMediaId": "Bad."}},
			Rows: []reviewerRow{{Reviewer: &cms.Reviewer{ID: "64b000000000000000000050", Name: "Ada <b>", Credentials: "MD", Bio: "Bio", PhotoMediaID: "64b000000000000000000051", ProfileURL: "https://x.example"},
				Form: reviewerForm{Name: "y", Errors: map[string]string{"": "Stale.", "profileUrl": "Bad."}, Open: true}}}},
		views.Lists: listsPage{page: pg, Alert: "Changed.", Script: true, New: listForm{Name: "x", Errors: errs},
			Search: listSearch{ListID: "64b000000000000000000030", Q: "nap", Done: true, Results: []*cms.Post{post}},
			Lists: []listView{{List: &cms.List{ID: "64b000000000000000000030", Slug: "featured", Name: "Featured"}, Featured: true, Version: 2, Alert: "Stale.",
				Entries: []entryView{{PostID: post.ID, Title: "Naps <b>", Status: "draft", Start: "2030-01-01T09:00", StartUTC: "2030-01-01T09:00:00Z",
					Errors: map[string]string{"end": "Bad."}, First: true}, {PostID: post.ID, Title: "(a deleted post)", Last: true, Public: true, Ended: true}, {PostID: post.ID, Public: true, Upcoming: true}},
				Rename: listForm{Name: "y", Errors: errs, Open: true}},
				{List: &cms.List{ID: "64b000000000000000000031", Slug: "start", Name: "Start here"}}},
			Popular: popularState{Version: 3, Window: "30d", Alert: "No.",
				Rows:     []popularRow{{PostID: post.ID, Title: "Naps", Views: 12, Pinned: true, Public: true}, {PostID: post.ID, Title: "B", Views: 3, Public: true}},
				Pinned:   []popularRow{{PostID: post.ID, Title: "Naps", First: true, Last: true, Status: "draft"}},
				Excluded: []popularRow{{PostID: post.ID, Title: "X"}}}},
		views.ImportExport: sampleTransferPage(pg, phaseChecked),
		views.Settings: settingsPage{page: pg, S: cms.DefaultSettings(), CORSOrigins: "https://a.example", Errors: errs, Alert: "Stale.",
			Keys: contentKeysSection{BaseURL: "https://cms.example", Alert: "Too <b>many.",
				Keys: []*cms.ContentKey{{ID: "64b000000000000000000040", Name: "Web <b>", Prefix: "ab12", Origins: []string{"https://a.example"}, RateLimit: 60, CreatedAt: now, CreatedByName: "Jo"},
					{ID: "64b000000000000000000041", Name: "Old", Prefix: "cd34", Origins: []string{}, CreatedAt: now, RevokedAt: &now}},
				New:  &createdContentKey{&cms.ContentKey{ID: "64b000000000000000000042", Name: "App"}, "0123456789abcdef0123456789"},
				Form: contentKeyForm{Name: "x", Origins: "ftp://x", RateLimit: "-1", Errors: map[string]string{"name": "Bad <b>.", "origins": "Bad.", "rateLimit": "Bad."}}}},
		views.Webhooks: webhooksPage{page: pg, Choices: webhookEventChoices, Alert: "Too <b>many.",
			Webhooks: []*cms.Webhook{hook, {ID: "64b000000000000000000051", URL: "https://b.example/x", Events: []string{"media.*"}, Enabled: true, FailingSince: &now, CreatedAt: now}},
			Form:     webhookForm{URL: "ftp://x <b>", Description: "d", Events: []string{"post.published"}, Errors: map[string]string{"url": "Bad <b>.", "events": "Bad.", "description": "Bad."}}},
		views.Webhook: webhookPage{page: pg, W: hook, Choices: webhookEventChoices, Alert: "Stale <b>.", New: &newWebhookSecret{Secret: "whsec_abc+/=", Rotated: true},
			Form: webhookForm{URL: hook.URL, Events: hook.Events, Version: 3, Errors: map[string]string{"url": "Bad."}}, Older: true, Next: "1700000000000",
			Deliveries: []*cms.WebhookDelivery{{ID: "d1", MessageID: "64b000000000000000000060", EventID: "msg_1", EventType: "post.published", Attempt: 2, Manual: true,
				At: now, Status: cms.DeliveryFailed, ResponseCode: 503, LatencyMs: 12, ResponseExcerpt: "<h1>down</h1>", Error: "Answered <b>503."},
				{ID: "d2", MessageID: "64b000000000000000000061", EventID: "msg_2", EventType: "webhook.test", Attempt: 1, At: now, Status: cms.DeliverySucceeded, ResponseCode: 200}}},
		views.Users: usersPage{page: pg, Users: []*cms.User{owner, editor}, Roles: roleOptions, Alert: "No.",
			New: userForm{Email: "x", Name: "y", Role: "owner", Errors: errs}},
		views.Account:   accountPage{page: pg, Errors: errs, Alert: "Slow down.", ExpiresAt: now, TwoFactorAlert: "No <b>.", TwoFactorErrors: map[string]string{"password": "Bad."}},
		views.LoginCode: loginCodePage{page: page{Title: "Two-factor sign-in"}, Error: "Wrong <b>.", Locked: true},
		views.TwoFactor: twoFactorPage{page: pg, Required: true, Errors: map[string]string{"code": "Bad <b>."},
			Setup: &twoFactorSetup{Secret: "ABCDEFGH", QRCode: "data:image/png;base64,iVBORw0KGgo=", Enrolment: "v1.x<b>"}},
		views.Media: mediaPage{page: pg, Q: "nap", Missing: true, Total: 30, Return: "/admin/media?q=nap", Alert: "Not deleted.",
			Errors: map[string]string{"file": "Bad."}, MaxMB: 20, Pager: pager{Page: 1, TotalPages: 2, NextURL: "/admin/media?page=2"},
			Cards: []mediaCard{
				{Media: &cms.Media{ID: "64b000000000000000000030", Filename: "nap <b>.jpg", ContentType: "image/jpeg", Width: 1000, Height: 1500, Version: 1, CreatedAt: now},
					Type: "JPEG", Size: "1.2 MB", UsedBy: []mediaUser{{ID: post.ID, Title: post.Title}}, Error: "In use."},
				{Media: &cms.Media{ID: "64b000000000000000000031", Filename: "b.png", Alt: "A <b>crib</b>", Version: 2, CreatedAt: now}, UsedBy: []mediaUser{}},
			}},
		views.Citations: citationsPage{page: pg, Q: "price <b>", Total: 1, Style: "APA 7", ImportText: "@article{x <b>", Alert: "Bad.",
			Errors: map[string]string{"text": "Bad <b>."}, Rows: []citationRow{{Citation: cite, Formatted: formatted(cite, cms.StyleAPA), TypeLabel: "Journal article", CitedBy: 2, Health: health}}},
		views.RefHealth: refHealthPage{page: pg, Enabled: true, CanCheck: true, Filter: filterAttention, Filters: healthFilters, Total: 2, Changed: 1,
			Attention: 1, LastCheckedAt: now, Requested: now, CheckMinutes: 1, Rows: []refHealthRow{
				{ID: cite.ID, Key: cite.Key, Formatted: formatted(cite, cms.StyleAPA), Health: health, Changed: true, Posts: []citingPost{{ID: post.ID, Title: post.Title}}},
				{ID: cite.ID, Key: cite.Key, Formatted: formatted(cite, cms.StyleAPA), Health: newHealthView(nil)}}},
		views.Citation: citationPage{page: pg, Form: newCitationForm(*cite, map[string]string{"title": "Bad.", "authors[0].family": "Bad.", "year": "Bad."}),
			Action: "/admin/citations/" + cite.ID, Problem: "Not saved.", Notice: "Filled in.", Duplicate: cite, DupHTML: formatted(cite, cms.StyleAMA),
			Stored: cite, Formatted: formatted(cite, cms.StyleAPA), CitedBy: []citingPost{{ID: post.ID, Title: post.Title}}, Others: []*cms.Citation{cite}, Alert: "No.", Health: &health},
		views.CitationImport: citationPage{page: pg, New: true, Action: "/admin/citations", Notice: "Only the DOI.",
			ImportAll: []importEntry{{Index: 0, Form: newCitationForm(*cite, nil), Formatted: formatted(cite, cms.StyleAPA), Problems: map[string]string{"url": "Bad <b>."}},
				{Index: 1, Form: newCitationForm(*cite, nil), Duplicate: &dupEntry{ID: cite.ID, Key: cite.Key, Formatted: formatted(cite, cms.StyleAPA)}}}},
	}
	files, err := fs.Glob(views.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(f, ".html")
		if name == views.Layout || name == "partials" || strings.HasPrefix(name, "editor") {
			continue
		}
		if name == views.APIDocs { // a page of public's, outside the layout: public/docs_test.go
			continue
		}
		data, ok := samples[name]
		if !ok {
			t.Errorf("views/%s has no sample data in this test", f)
			continue
		}
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := vw.Render(&buf, name, data, views.Layout); err != nil {
				t.Fatalf("render %s: %v", name, err)
			}
			out := buf.String()
			if !strings.HasPrefix(out, "<!doctype html>") || !strings.Contains(out, "</html>") || strings.Contains(out, "<b>") ||
				strings.Contains(out, "<Owner>") || strings.Contains(out, "<no value>") {
				t.Fatalf("render %s: unexpected output:\n%s", name, out)
			}
		})
	}
}

func ptrF(f float64) *float64 { return &f }

// TestPanelErrorPages checks that failures become whole HTML pages that
// show nothing internal: a panic, an internal error, a broken render.
func TestPanelErrorPages(t *testing.T) {
	t.Parallel()
	as, vw := MustViews(t)
	a := &Admin{views: func() (*html.Engine, error) { return vw, nil }, assets: as, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	app := fiber.New()
	g := app.Group("/admin", a.panelErrors, a.panelHeaders)
	g.Get("/panic", func(*fiber.Ctx) error { panic("secret detail") })
	g.Get("/internal", func(*fiber.Ctx) error { return errors.New("secret detail") })
	g.Get("/broken", func(c *fiber.Ctx) error { return a.render(c, 200, "no-such-template", nil) })
	g.Get("/half", func(c *fiber.Ctx) error { return a.render(c, 200, views.Dashboard, "not the right data") })
	g.Get("/json", func(*fiber.Ctx) error {
		return cms.Errorf(cms.KindConflict, "test", "Changed <meanwhile>.")
	})
	for _, path := range []string{"/admin/panic", "/admin/internal", "/admin/broken", "/admin/half"} {
		res, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 500 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
			!strings.Contains(string(body), "<h1>Something went wrong</h1>") || strings.Contains(string(body), "secret") ||
			strings.Count(string(body), "<html") != 1 {
			t.Errorf("GET %s = %d %q:\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	req := httptest.NewRequest("GET", "/admin/json", nil)
	req.Header.Set("Accept", "application/json")
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 409 || res.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(string(body), `"type":"urn:lullaby:problem:conflict"`) ||
		!strings.Contains(string(body), `"detail":"Changed \u003cmeanwhile\u003e."`) {
		t.Errorf("fetch error = %d %s", res.StatusCode, body)
	}
}
