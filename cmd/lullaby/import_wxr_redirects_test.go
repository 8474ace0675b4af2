package main

import (
	"slices"
	"strings"
	"testing"
)

// checkLittleOwlRedirects checks the old addresses of the realistic
// import: every published post's WordPress link, its ?p= / ?page_id=
// form and its _wp_old_slug (as a slug and in the link) are listed, and
// nothing of a post that is not public; an old slug answers 301.
func checkLittleOwlRedirects(t *testing.T, s *server) {
	t.Helper()
	code, list, _ := getRedirects(t, s, "/api/v1/redirects")
	if code != 200 {
		t.Fatalf("GET /api/v1/redirects: %d", code)
	}
	var got []string
	for _, r := range list {
		if r.Status != 301 || r.PostID == "" {
			t.Errorf("redirect %+v: want a 301 to a post", r)
		}
		got = append(got, r.Type+" "+r.From+" -> "+r.To)
	}
	want := []string{
		"path /2022/01/15/gentle-sleep-basics/ -> gentle-sleep-basics",
		"path /2023/11/05/four-month-regression/ -> four-month-regression",
		"path /2024/02/30/a-night-in-february/ -> a-night-in-february",
		"path /2024/03/10/toddler-5am-wake-ups/ -> toddler-5am-wake-ups",
		"path /2024/03/10/toddler-early-rising/ -> toddler-5am-wake-ups",
		"path /2024/05/18/nap-gallery/ -> naps-on-the-go",
		"path /2024/05/18/naps-on-the-go/ -> naps-on-the-go",
		"path /2024/05/18/pram-and-carrier-naps/ -> naps-on-the-go",
		"path /2024/06/02/two-year-old-bedtime/ -> two-year-old-bedtime",
		"path /?p=201 -> toddler-5am-wake-ups",
		"path /?p=202 -> four-month-regression",
		"path /?p=203 -> naps-on-the-go",
		"path /?p=209 -> gentle-sleep-basics",
		"path /?p=212 -> a-night-in-february",
		"path /?p=213 -> two-year-old-bedtime",
		"path /?page_id=210 -> about",
		"path /?page_id=211 -> work-with-me",
		"path /about/ -> about",
		"path /about/work-with-me/ -> work-with-me",
		"slug nap-gallery -> naps-on-the-go",
		"slug pram-and-carrier-naps -> naps-on-the-go",
		"slug toddler-early-rising -> toddler-5am-wake-ups",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("GET /api/v1/redirects:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for old, slug := range map[string]string{"toddler-early-rising": "toddler-5am-wake-ups", "nap-gallery": "naps-on-the-go"} {
		_, _, loc := getRedirects(t, s, "/api/v1/posts/"+old)
		if code, _ := importedPost(t, s, old); code != 301 || loc != "/api/v1/posts/"+slug {
			t.Errorf("GET /api/v1/posts/%s: %d to %q, want 301 to %s", old, code, loc, slug)
		}
	}
	code, one, _ := getRedirects(t, s, "/api/v1/redirects?path=/2024/03/10/toddler-early-rising/")
	if code != 200 || len(one) != 1 || one[0].To != "toddler-5am-wake-ups" {
		t.Errorf("GET ?path= of the old permalink: %d %+v", code, one)
	}
}
