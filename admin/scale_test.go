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

// BenchmarkWriteScale measures what admin API writes cost as the site grows,
// through the app on the test database: posts created and published in
// one request each (POST /admin/api/v1/posts with "status": "published")
// and featured-list changes (PUT and DELETE
// /admin/api/v1/lists/featured/posts/{id}), first on an empty site, then
// after LULLABY_SCALE published posts of about 4 KB were saved as an
// import saves them (LULLABY_SCALE, 2,000 when unset). It reports the
// medians of 10 as metrics (the targets: a post at full size costs no
// more than twice the first ones, a featured-list change under 50 ms); it
// runs once whatever b.N is:
//
//	go test ./admin -run '^$' -bench WriteScale -benchtime 1x
func BenchmarkWriteScale(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("LULLABY_SCALE"))
	if n <= 0 {
		n = 2000
	}
	t := b
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
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(create1), "create-first-ms")
	b.ReportMetric(ms(create), "create-full-ms")
	b.ReportMetric(float64(create)/float64(create1), "create-full/first")
	b.ReportMetric(ms(feature), "feature-full-ms")
	b.ReportMetric(ms(unfeature), "unfeature-full-ms")
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
