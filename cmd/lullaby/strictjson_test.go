package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// appResponse is one answer of the composed app.
type appResponse struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request through the composed app.
func (s *server) do(tb testing.TB, method, path, token, body string, header ...string) appResponse {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return appResponse{res.StatusCode, res.Header, b}
}

// MustOwnerToken sets up the first owner through the admin API and
// returns a bearer token.
func MustOwnerToken(tb testing.TB, s *server) string {
	tb.Helper()
	if r := s.do(tb, "POST", "/admin/api/v1/setup", "", `{"email":"owner@example.com","name":"Sam Owner","password":"correct horse battery"}`); r.status != 201 {
		tb.Fatalf("setup: %d %s", r.status, r.body)
	}
	r := s.do(tb, "POST", "/admin/api/v1/session", "", `{"email":"owner@example.com","password":"correct horse battery"}`)
	var env struct{ Data struct{ Token string } }
	if err := json.Unmarshal(r.body, &env); err != nil || env.Data.Token == "" {
		tb.Fatalf("session: %d %s", r.status, r.body)
	}
	return env.Data.Token
}

// problemFields checks that r is a 400 problem+json and returns the
// names of its "errors", sorted.
func problemFields(tb testing.TB, r appResponse) []string {
	tb.Helper()
	if r.status != 400 || r.header.Get("Content-Type") != "application/problem+json" {
		tb.Fatalf("status %d %s: %s, want a 400 problem", r.status, r.header.Get("Content-Type"), r.body)
	}
	var p struct{ Errors map[string]string }
	if err := json.Unmarshal(r.body, &p); err != nil {
		tb.Fatal(err)
	}
	var names []string
	for k := range p.Errors {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// TestStrictJSON: the admin and the public API read JSON by the same
// strict rules — exact names, no duplicates, no unknown fields, no control
// characters — name every problem at once, and write nothing.
func TestStrictJSON(t *testing.T) {
	t.Parallel()
	s := MustServer(t)
	tok := MustOwnerToken(t, s)
	r := s.do(t, "POST", "/admin/api/v1/posts", tok, `{"title":"A post to edit","body":"Text."}`)
	var post struct{ Data struct{ ID string } }
	if err := json.Unmarshal(r.body, &post); err != nil || r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	postPath := "/admin/api/v1/posts/" + post.Data.ID
	const quiz = "/api/v1/quizzes/nap-quiz/answers"
	for _, tt := range []struct {
		name, method, path, body string
		want                     []string
	}{
		{"AdminCase", "POST", "/admin/api/v1/posts", `{"TITLE":"x"}`, []string{"TITLE"}},
		{"AdminDuplicate", "POST", "/admin/api/v1/posts", `{"title":"a","title":"b"}`, []string{"title"}},
		{"AdminNUL", "POST", "/admin/api/v1/posts", `{"title":"a\u0000b"}`, []string{"title"}},
		{"AdminDEL", "POST", "/admin/api/v1/categories", "{\"name\":\"a\x7f\"}", []string{"name"}},
		{"AdminNestedPin", "PATCH", postPath, `{"version":1,"pins":[{"mediaId":"","title":"ok"},{"mediaId":"","title":"\u0007"}]}`, []string{"pins[1].title"}},
		{"AdminNestedReference", "PATCH", postPath, `{"version":1,"references":["` + strings.Repeat("a", 24) + `","\u0000"]}`, []string{"references[1]"}},
		{"AdminNestedSettings", "PUT", "/admin/api/v1/settings", `{"version":0,"site":{"title":"T","Title":"U","description":"\u001b[31m"}}`, []string{"site.Title", "site.description"}},
		{"AdminEverythingAtOnce", "PATCH", postPath, `{"version":"1","titel":"x","tags":"sleep","body":5,"cover":[],"title":"a","title":"b"}`,
			[]string{"body", "cover", "tags", "titel", "title", "version"}},
		{"PublicCase", "POST", quiz, `{"AGEVALUE":2,"ageUnit":"years","bedtime":"19:00","wakeTime":"07:00","naps":1,"napMinutes":90,"nightWakings":1}`, []string{"AGEVALUE", "ageValue"}},
		{"PublicDuplicate", "POST", quiz, `{"ageValue":2,"ageValue":3,"ageUnit":"years","bedtime":"19:00","wakeTime":"07:00","naps":1,"napMinutes":90,"nightWakings":1}`, []string{"ageValue"}},
		{"PublicNUL", "POST", quiz, `{"ageValue":2,"ageUnit":"years","bedtime":"19:00\u0000","wakeTime":"07:00","naps":1,"napMinutes":90,"nightWakings":1}`, []string{"bedtime"}},
		{"PublicSixAtOnce", "POST", quiz, `{"childName":"Ada","ageValue":-2,"ageUnit":"weeks","bedtime":"25:00","wakeTime":"soon","naps":"two","nightWakings":1}`,
			[]string{"ageUnit", "ageValue", "bedtime", "childName", "naps", "wakeTime"}},
		{"PublicNotJSON", "POST", quiz, `{"ageValue":`, []string{"body"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := problemFields(t, s.do(t, tt.method, tt.path, tok, tt.body)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors name %q, want %q", got, tt.want)
			}
		})
	}

	// Nothing was written or counted.
	r = s.do(t, "GET", "/admin/api/v1/posts", tok, "")
	var list struct {
		Data []struct {
			Title   string
			Version int
		}
	}
	if err := json.Unmarshal(r.body, &list); err != nil || len(list.Data) != 1 || list.Data[0].Title != "A post to edit" || list.Data[0].Version != 1 {
		t.Errorf("posts after bad input: %s", r.body)
	}
	if r := s.do(t, "GET", "/admin/api/v1/categories", tok, ""); strings.Contains(string(r.body), `"name"`) {
		t.Errorf("categories after bad input: %s", r.body)
	}
	if n := s.quizzes.Pending(); n != 0 {
		t.Errorf("%d quiz results counted from bad answers", n)
	}
}
