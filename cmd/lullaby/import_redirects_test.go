package main

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// redirectEntry is one entry of GET /api/v1/redirects.
type redirectEntry struct {
	From   string `json:"from"`
	Type   string `json:"type"`
	To     string `json:"to"`
	PostID string `json:"postId"`
	Status int    `json:"status"`
}

// getRedirects returns the status, headers and entries of GET target, a
// list of redirects or one.
func getRedirects(t *testing.T, s *server, target string) (int, []redirectEntry, string) {
	t.Helper()
	res, err := s.app.Test(httptest.NewRequest("GET", target, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	var list []redirectEntry
	if !strings.HasPrefix(string(body.Data), "[") {
		var one redirectEntry
		if json.Unmarshal(body.Data, &one) == nil {
			list = []redirectEntry{one}
		}
	} else if err := json.Unmarshal(body.Data, &list); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, list, res.Header.Get("Location")
}

// TestImportWordPressRedirects: the old addresses of an imported blog
// answer through the whole program: its old paths are listed for the
// frontend, an old WordPress slug answers 301 to the post, and a second
// run of the import lists each address once.
func TestImportWordPressRedirects(t *testing.T) {
	t.Parallel()
	db, getenv := importEnv(t)
	file := fixture(t, nil)
	if out, errs, err := runImportCmd(t, getenv, file); err != nil {
		t.Fatalf("import: %v\n%s\n%s", err, out, errs)
	}
	s := serverOn(t, db)
	code, list, _ := getRedirects(t, s, "/api/v1/redirects")
	if code != 200 {
		t.Fatalf("GET /api/v1/redirects: %d", code)
	}
	for _, want := range []redirectEntry{
		{From: "/2024/03/toddler-early-waking/", Type: "path", To: "toddler-early-waking", Status: 301},
		{From: "/2024/03/toddler-up-at-5am/", Type: "path", To: "toddler-early-waking", Status: 301},
		{From: "/?p=101", Type: "path", To: "toddler-early-waking", Status: 301},
		{From: "/about/", Type: "path", To: "about", Status: 301},
		{From: "/?page_id=110", Type: "path", To: "about", Status: 301},
		{From: "toddler-up-at-5am", Type: "slug", To: "toddler-early-waking", Status: 301},
	} {
		if !slices.ContainsFunc(list, func(r redirectEntry) bool { r.PostID = ""; return r == want }) {
			t.Errorf("no redirect %+v in %+v", want, list)
		}
	}
	// Drafts and scheduled posts are not public: neither are their old
	// addresses.
	if slices.ContainsFunc(list, func(r redirectEntry) bool { return r.From == "/?p=103" }) {
		t.Errorf("the draft's old address is listed: %+v", list)
	}

	_, _, loc := getRedirects(t, s, "/api/v1/posts/toddler-up-at-5am?utm_source=pinterest")
	if code, _ := importedPost(t, s, "toddler-up-at-5am"); code != 301 || loc != "/api/v1/posts/toddler-early-waking?utm_source=pinterest" {
		t.Errorf("GET the old WordPress slug: %d, Location %q; want 301 to the post", code, loc)
	}
	// A path as the old site's visitors have it: lower-case escapes.
	code, one, _ := getRedirects(t, s, "/api/v1/redirects?path=/2021/06/%25e5%25a4%259c-bedtime/")
	if code != 200 || len(one) != 1 || one[0].From != "/2021/06/%E5%A4%9C-bedtime/" {
		t.Fatalf("GET ?path= for the percent-encoded link: %d %+v", code, one)
	}
	if code, _ := importedPost(t, s, one[0].To); code != 200 {
		t.Errorf("the post the old link goes to, %q: %d", one[0].To, code)
	}

	if out, errs, err := runImportCmd(t, getenv, file); err != nil {
		t.Fatalf("second import: %v\n%s\n%s", err, out, errs)
	}
	s = serverOn(t, db)
	_, again, _ := getRedirects(t, s, "/api/v1/redirects")
	if !slices.Equal(again, list) {
		t.Errorf("after a second import:\n got %+v\nwant %+v", again, list)
	}
}
