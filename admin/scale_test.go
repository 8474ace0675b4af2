package admin_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// TestWriteScale measures what admin API writes cost as the site grows,
// through the app on the test database: posts created and published in
// one request each (POST /admin/api/v1/posts with "status": "published")
// and featured-list changes (PUT and DELETE
// /admin/api/v1/lists/featured/posts/{id}), first on an empty site, then
// after LULLABY_SCALE published posts of about 4 KB were saved as an
// import saves them. It is skipped without LULLABY_SCALE; with it, it
// fails when the writes on the full site miss the targets: a post costs
// no more than twice what the first posts cost, a featured-list change
// under 50 ms (medians of 10).
//
//	LULLABY_SCALE=2000 go test ./admin -run WriteScale -v
func TestWriteScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("LULLABY_SCALE"))
	if n <= 0 {
		t.Skip("set LULLABY_SCALE=2000 to measure admin API writes at that many posts")
	}
	const samples = 10
	e := MustNewEnv(t)
	owner := e.MustSetup(t)
	writes := func(first int) (create, feature, unfeature time.Duration) {
		var c, f, u []time.Duration
		var ids []string
		for i := range samples {
			start := time.Now()
			p := e.MustPost(t, owner.Token, map[string]any{"title": fmt.Sprintf("Written through the API %d", first+i), "body": scaleBody, "status": "published"})
			c = append(c, time.Since(start))
			ids = append(ids, p.ID)
		}
		for _, id := range ids {
			start := time.Now()
			e.Do(t, Req{Method: "PUT", Path: api + "/lists/featured/posts/" + id, Token: owner.Token}).MustStatus(t, 200)
			f = append(f, time.Since(start))
			start = time.Now()
			e.Do(t, Req{Method: "DELETE", Path: api + "/lists/featured/posts/" + id, Token: owner.Token}).MustStatus(t, 200)
			u = append(u, time.Since(start))
		}
		return median(c), median(f), median(u)
	}
	create1, feature1, unfeature1 := writes(1)
	t.Logf("empty site: create and publish %s, feature %s, unfeature %s", create1, feature1, unfeature1)

	start := time.Now()
	run, err := e.Svc.StartImport(t.Context(), &cms.User{ID: owner.User.ID, Role: cms.RoleOwner})
	if err != nil {
		t.Fatal(err)
	}
	published := cms.StatusPublished
	for i := range n {
		title, body := fmt.Sprintf("Seeded night %d", i+1), scaleBody
		in := cms.PostInput{Title: &title, Body: &body, Status: &published}
		if _, _, err := run.Save(t.Context(), "scale:"+strconv.Itoa(i), time.Now().Add(-time.Duration(i)*time.Hour), in); err != nil {
			t.Fatal(err)
		}
	}
	run.Refresh(t.Context())
	t.Logf("seeded %d posts in %s", n, time.Since(start).Round(time.Millisecond))

	create, feature, unfeature := writes(samples + n + 1)
	t.Logf("%d posts: create and publish %s, feature %s, unfeature %s", n, create, feature, unfeature)
	if create > 2*create1 {
		t.Errorf("create and publish at %d posts: %s, more than twice the %s of the first posts", n, create, create1)
	}
	for _, c := range []struct {
		what string
		took time.Duration
	}{{"feature", feature}, {"unfeature", unfeature}} {
		if c.took > 50*time.Millisecond {
			t.Errorf("%s at %d posts: %s, want under 50 ms", c.what, n, c.took)
		}
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// scaleBody is a post body of about 4 KB of Markdown.
var scaleBody = func() string {
	var b []byte
	for i := 0; len(b) < 4000; i++ {
		b = fmt.Appendf(b, "## Night %d\n\nBabies move through lighter and deeper sleep many times a night, and brief *wakings* are normal.\n\n- a short routine\n- the same bedtime\n\n", i+1)
	}
	return string(b)
}()
