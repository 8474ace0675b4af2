package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// importEnv is a test database with an owner, and the environment that
// points lullaby commands at it.
func importEnv(t *testing.T) (*mongodb.DB, func(k string) string) {
	t.Helper()
	db, env := cmstest.NewWithEnv(t)
	env["LULLABY_JWT_SECRET"] = testKey
	s := serverOn(t, db)
	pw := "correct horse battery"
	if _, err := s.svc.CreateUser(context.Background(), nil, cms.UserInput{Email: ptr("maren@example.com"), Name: ptr("Maren"), Password: &pw, Role: ptr(cms.RoleOwner)}); err != nil {
		t.Fatal(err)
	}
	return db, func(k string) string { return env[k] }
}

func ptr[T any](v T) *T { return &v }

// fixture writes the reader's test export, with edits, to a temporary file.
func fixture(t *testing.T, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "cms", "wordpress", "testdata", "sleepblog.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if edit != nil {
		s = edit(s)
	}
	path := filepath.Join(t.TempDir(), "export.xml")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runImportCmd(t *testing.T, getenv func(string) string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errw bytes.Buffer
	err = run(context.Background(), append([]string{"import", "wordpress"}, args...), getenv, strings.NewReader(""), &out, &errw)
	return out.String(), errw.String(), err
}

// importedPost is the post of the public API, the "data" of its answer.
func importedPost(t *testing.T, s *server, slug string) (int, map[string]any) {
	t.Helper()
	res, err := s.app.Test(httptest.NewRequest("GET", "/api/v1/posts/"+slug, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct {
		Data map[string]any `json:"data"`
	}
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m.Data
}

func countPosts(t *testing.T, s *server) int {
	t.Helper()
	_, n, err := s.svc.ListPosts(context.Background(), cms.PostFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportWordPress imports the reader's test export and checks what
// readers see, then imports it again: nothing is duplicated and a changed
// title is applied to the same post.
func TestImportWordPress(t *testing.T) {
	t.Parallel()
	db, getenv := importEnv(t)
	future := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
	reschedule := func(s string) string {
		s = strings.ReplaceAll(s, "2024-10-26 06:00:00", future.Format("2006-01-02 15:04:05"))
		return strings.ReplaceAll(s, "2024-10-26 07:00:00", future.Add(time.Hour).Format("2006-01-02 15:04:05"))
	}
	file := fixture(t, reschedule)
	out, progress, err := runImportCmd(t, getenv, file)
	if err != nil {
		t.Fatalf("import: %v\n%s\n%s", err, out, progress)
	}
	for _, want := range []string{"Posts created: 8, updated: 0", "private: imported as a draft", `unknown status "archived": imported as a draft`, "Contact naps & carriers (under Sleep › Naps)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not say %q:\n%s", want, out)
		}
	}
	if !strings.Contains(progress, "created post 101") {
		t.Errorf("no progress line on stderr:\n%s", progress)
	}
	s := serverOn(t, db)
	code, p := importedPost(t, s, "toddler-early-waking")
	if code != 200 {
		t.Fatalf("GET the imported post: %d %v\n%s", code, p, out)
	}
	if p["title"] != "Why your toddler wakes at 5am (and what helps)" || p["excerpt"] != "Early waking, and the three things that moved it." {
		t.Errorf("title, excerpt: %q, %q", p["title"], p["excerpt"])
	}
	if p["publishedAt"] != "2024-03-10T19:30:00Z" {
		t.Errorf("publishedAt %v, want the WordPress date", p["publishedAt"])
	}
	js, _ := json.Marshal(p)
	for _, want := range []string{`"Routines"`, `"Sleep"`, `Toddler up at 5am?`, `Early waking`, `Check the light first`} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("the post does not have %s: %s", want, js)
		}
	}
	ctx := context.Background()
	if fl, err := s.svc.FeaturedList(ctx); err != nil || len(fl.Entries) != 1 || fl.Entries[0].PostID != p["id"] {
		t.Errorf("featured list %+v, %v: want the sticky post", fl, err)
	}
	if code, p := importedPost(t, s, "about"); code != 200 || !bytes.Contains(must(json.Marshal(p)), []byte(`"Pages"`)) {
		t.Errorf("the page: %d %v", code, p)
	}
	posts, _, err := s.svc.ListPosts(ctx, cms.PostFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]cms.PostStatus{}
	for _, p := range posts {
		statuses[p.Title] = p.Status
	}
	want := map[string]cms.PostStatus{"Draft: the four-month regression": cms.StatusDraft, "Clocks going back: a survival plan": cms.StatusScheduled,
		"Our own nights, honestly": cms.StatusDraft, "About Maren": cms.StatusPublished, "Contact naps: a love letter": cms.StatusPublished}
	for title, st := range want {
		if statuses[title] != st {
			t.Errorf("%q is %q, want %q (all: %v)", title, statuses[title], st, statuses)
		}
	}

	// Again, with a title changed in WordPress: the same posts, updated.
	file = fixture(t, func(s string) string {
		return strings.Replace(reschedule(s), "Why your toddler wakes at 5am (and what helps)", "Why toddlers wake at 5am", 1)
	})
	before := countPosts(t, s)
	out, _, err = runImportCmd(t, getenv, file)
	if err != nil || !strings.Contains(out, "Posts created: 0, updated: 8") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	s = serverOn(t, db)
	if n := countPosts(t, s); n != before {
		t.Errorf("%d posts after the second import, %d before", n, before)
	}
	if code, p2 := importedPost(t, s, "toddler-early-waking"); code != 200 || p2["title"] != "Why toddlers wake at 5am" || p2["id"] != p["id"] {
		t.Errorf("after the second import: %d %v %v", code, p2["title"], p2["id"])
	}
	if fl, _ := s.svc.FeaturedList(ctx); len(fl.Entries) != 1 {
		t.Errorf("featured list after the second import: %+v", fl.Entries)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestImportWordPressDryRun writes nothing and prints the whole report.
func TestImportWordPressDryRun(t *testing.T) {
	t.Parallel()
	db, getenv := importEnv(t)
	trash := func(s string) string {
		return strings.Replace(s, "<wp:status><![CDATA[archived]]>", "<wp:status><![CDATA[trash]]>", 1)
	}
	out, _, err := runImportCmd(t, getenv, fixture(t, trash), "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Dry run: nothing was written.", "Posts would be created: 7", `item 106 "Half-finished: night weaning": status trash`, "Categories would be created: 4", "attachment       2",
		"page             1", "post             7", "has passed: imported as a draft", "slug \"夜-bedtime\" became \"ye-bedtime\"", "2 attachment items",
		"body: embed of https://vimeo.com/123456 turned into a link", "private: imported as a draft"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not say %q:\n%s", want, out)
		}
	}
	s := serverOn(t, db)
	if n := countPosts(t, s); n != 0 {
		t.Errorf("%d posts after a dry run", n)
	}
	if cs, _ := s.svc.ListCategories(context.Background()); len(cs) != 0 {
		t.Errorf("%d categories after a dry run", len(cs))
	}
}

// TestImportWordPressTruncated imports the whole items before the cut and
// says where it stopped.
func TestImportWordPressTruncated(t *testing.T) {
	t.Parallel()
	db, getenv := importEnv(t)
	file := fixture(t, func(s string) string {
		i := strings.Index(s, "<wp:post_id>103</wp:post_id>")
		return s[:i]
	})
	out, _, err := runImportCmd(t, getenv, file)
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err = %v, want truncated", err)
	}
	if !strings.Contains(out, "Posts created: 2") || !strings.Contains(out, "Stopped early: the export is truncated") {
		t.Errorf("report:\n%s", out)
	}
	if n := countPosts(t, serverOn(t, db)); n != 2 {
		t.Errorf("%d posts, want the 2 before the cut", n)
	}
}

// TestImportWordPressBadInput: a file that is not an export, and no file.
func TestImportWordPressBadInput(t *testing.T) {
	t.Parallel()
	_, getenv := importEnv(t)
	if _, _, err := runImportCmd(t, getenv, filepath.Join("..", "..", "cms", "wordpress", "testdata", "not-wxr.xml")); err == nil || !strings.Contains(err.Error(), "not a WordPress export") {
		t.Errorf("not WXR: %v", err)
	}
	if _, _, err := runImportCmd(t, getenv); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no file: %v", err)
	}
	if _, _, err := runImportCmd(t, getenv, fixture(t, nil), "--as", "nobody@example.com"); err == nil || !strings.Contains(err.Error(), "--as nobody@example.com") {
		t.Errorf("unknown user: %v", err)
	}
}

// TestImportWordPressUploads imports the reader's export with a copy of
// its uploads folder: covers with their alt text, body images and pins
// come through the public API; the missing ones are reported.
func TestImportWordPressUploads(t *testing.T) {
	t.Parallel()
	db, getenv := importEnv(t)
	uploads := t.TempDir()
	for i, name := range []string{"2024/03/dark-room.jpg", "2023/11/carrier.jpg"} {
		p := filepath.Join(uploads, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, cmstest.MustJPEG(t, 60+i, 90), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	file := fixture(t, nil)
	out, progress, err := runImportCmd(t, getenv, file, "--uploads", uploads)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(progress, "image added dark-room.jpg (uploads)") {
		t.Errorf("no progress line for the image on stderr:\n%s", progress)
	}
	for _, want := range []string{"Images copied from the uploads folder: 2, downloaded: 0; new in the media library: 2, already there: 0",
		"2024/03/dark-room-pin.jpg is not in the uploads folder"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not say %q:\n%s", want, out)
		}
	}
	s := serverOn(t, db)
	_, p := importedPost(t, s, "toddler-early-waking")
	cover, _ := p["coverImage"].(map[string]any)
	if cover == nil || cover["alt"] != "A dim nursery with blackout blinds" || !strings.Contains(cover["url"].(string), "/media/") {
		t.Fatalf("coverImage = %v, want dark-room.jpg with its alt text", p["coverImage"])
	}
	if html, _ := p["html"].(string); !strings.Contains(html, "/media/"+cover["mediaId"].(string)+"/w1024") || strings.Contains(html, "dark-room.jpg") {
		t.Errorf("body image not rewritten to the media URL:\n%s", html)
	}
	if _, q := importedPost(t, s, "contact-naps"); q["coverImage"] == nil {
		t.Errorf("contact-naps has no cover: %v", q)
	}

	again, _, err := runImportCmd(t, getenv, file, "--uploads", uploads)
	if err != nil || !strings.Contains(again, "new in the media library: 0, already there: 2") {
		t.Fatalf("re-run: %v\n%s", err, again)
	}
	if _, _, err := runImportCmd(t, getenv, file, "--uploads", filepath.Join(uploads, "nope")); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a missing --uploads folder: %v, want refused by name", err)
	}
}
