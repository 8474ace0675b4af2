package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestScheduledPostOnceAcrossInstances: of three instances, one publishes
// a scheduled post when its time comes, once; when the instance holding
// the scheduler lease is killed just before the next post's time, another
// takes the lease over once it expires and publishes that post, once.
func TestScheduledPostOnceAcrossInstances(t *testing.T) {
	c := startCluster(t, 3, map[string]string{"LULLABY_LOG_LEVEL": "info"})
	const admin = "/admin/api/v1"
	first, second := c.createPost(0, "Dream feeds", true), c.createPost(1, "Split nights", true)
	atFirst := time.Now().Add(1500 * time.Millisecond).UTC().Truncate(time.Millisecond)
	atSecond := atFirst.Add(2 * time.Second)
	c.must(200, 1, "POST", admin+"/posts/"+first.ID+"/schedule", map[string]any{"version": first.Version, "publishAt": atFirst.Format(time.RFC3339Nano)}, &first)
	c.must(200, 2, "POST", admin+"/posts/"+second.ID+"/schedule", map[string]any{"version": second.Version, "publishAt": atSecond.Format(time.RFC3339Nano)}, &second)

	waitFor(t, "the first scheduled post goes live", 15*time.Second, func() bool {
		return c.shows(0, "/api/v1/posts/"+first.Slug, 200, "")
	})
	published := func() (holders []int, total int) {
		for i, n := range c.nodes {
			if k := strings.Count(n.log.String(), "published scheduled posts"); k > 0 {
				holders, total = append(holders, i), total+k
			}
		}
		return holders, total
	}
	holders, total := published()
	if len(holders) != 1 || total != 1 {
		t.Fatalf("instances that published the first post: %v (%d times), want one, once", holders, total)
	}
	holder := holders[0]
	if time.Until(atSecond) < 400*time.Millisecond {
		t.Fatalf("the first post went live too late (%s) to kill the lease holder before the second is due", time.Since(atFirst))
	}
	time.Sleep(time.Until(atSecond) - 300*time.Millisecond)
	c.nodes[holder].kill()
	other := (holder + 1) % len(c.nodes)
	start := time.Now()
	waitFor(t, "the second scheduled post goes live after the lease holder died", 20*time.Second, func() bool {
		return c.shows(other, "/api/v1/posts/"+second.Slug, 200, "")
	})
	t.Logf("with the lease holder killed 300 ms before the time, the post went live %s after it", time.Since(start).Round(time.Millisecond))
	time.Sleep(time.Second) // nobody publishes it again
	holders, total = published()
	if total != 2 || len(holders) != 2 {
		t.Errorf("scheduled publishes by instance %v, %d in all; want the first by the killed holder, the second by another", holders, total)
	}
	var got post
	c.must(200, other, "GET", admin+"/posts/"+second.ID, nil, &got)
	if got.Status != "published" || got.Version != second.Version+1 {
		t.Errorf("second post = %+v after scheduling at version %d: want published by one save", got, second.Version)
	}
}

// TestReaderCountedOnceAcrossInstances: one reader's beacons on three
// instances count one view; every quiz answer counts once; the instances,
// stopped at the same moment, flush their counts into the same post's and
// quiz's day at once, and nothing is lost or counted twice.
func TestReaderCountedOnceAcrossInstances(t *testing.T) {
	c := startCluster(t, 3, map[string]string{"LULLABY_VIEWS_FLUSH_INTERVAL": "1h"})
	p := c.createPost(0, "Early waking", false)
	for i := range c.nodes {
		waitFor(t, "the post on every node", 10*time.Second, func() bool { return c.shows(i, "/api/v1/posts/"+p.Slug, 200, "") })
	}
	beacon := func(i int, ip string) {
		t.Helper()
		if status, body := c.do(i, "POST", "/api/v1/posts/"+p.Slug+"/views", "", ip, nil); status != 204 {
			t.Fatalf("beacon on node %d = %d %s", i, status, body)
		}
	}
	for range 3 { // the same reader everywhere, again and again
		for i := range c.nodes {
			beacon(i, "203.0.113.7")
		}
	}
	beacon(1, "198.51.100.20") // two more readers
	beacon(1, "198.51.100.20")
	beacon(2, "198.51.100.30")

	answer := map[string]any{"ageValue": 8, "ageUnit": "months", "bedtime": "19:30", "wakeTime": "06:45",
		"naps": 2, "napMinutes": 150, "nightWakings": 1, "nightAwakeMinutes": 20}
	const answers = 30
	for n := range answers {
		if status, body := c.do(n%3, "POST", "/api/v1/quizzes/nap-quiz/answers", "", fmt.Sprintf("192.0.2.%d", n+1), answer); status != 200 {
			t.Fatalf("quiz answer on node %d = %d %s", n%3, status, body)
		}
	}

	views := func() int64 {
		m, err := c.db.ViewTotals(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		return m[p.ID]
	}
	if got := views(); got != 0 {
		t.Fatalf("%d views written before any flush", got)
	}
	var wg sync.WaitGroup
	for _, n := range c.nodes { // each flushes as it stops: all at once
		wg.Go(n.stop)
	}
	wg.Wait()
	results, err := c.db.QuizResultCounts(context.Background(), "nap-quiz", "")
	if err != nil {
		t.Fatal(err)
	}
	var quiz int64
	for _, r := range results {
		quiz += r.Count
	}
	if got := views(); got != 3 || quiz != answers {
		t.Errorf("after stopping: %d views, %d quiz results; want 3 (three readers) and %d", got, quiz, answers)
	}
}

// TestSessionsAndLockoutAcrossInstances: a session logged out on one
// instance, and every session revoked on another, is refused by all of
// them within the sync interval; wrong passwords tried on different
// instances lock the account on all of them; one client address's
// sign-in attempts are counted across instances.
func TestSessionsAndLockoutAcrossInstances(t *testing.T) {
	c := startCluster(t, 3, nil)
	const me = "/admin/api/v1/me"
	refusedEverywhere := func(what, token string) {
		t.Helper()
		start := time.Now()
		for i := range c.nodes {
			waitFor(t, what+" refused on node "+fmt.Sprint(i), time.Second, func() bool {
				status, _ := c.do(i, "GET", me, token, "", nil)
				return status == 401
			})
		}
		t.Logf("%s: refused everywhere %s later (sync interval 100 ms)", what, time.Since(start).Round(time.Millisecond))
	}
	session := c.login(1, "203.0.113.5", clusterPassword)
	for i := range c.nodes {
		if status, body := c.do(i, "GET", me, session, "", nil); status != 200 {
			t.Fatalf("a session signed in on node 1, on node %d: %d %s", i, status, body)
		}
	}
	if status, body := c.do(1, "DELETE", "/admin/api/v1/session", session, "", nil); status != 204 {
		t.Fatalf("log out on node 1 = %d %s", status, body)
	}
	refusedEverywhere("a session logged out on node 1", session)

	// Wrong passwords on every instance, from different addresses (the
	// per-address brake is per instance): the fifth locks the account.
	for n := range 5 {
		if status, body := c.do(n%3, "POST", "/admin/api/v1/session", "", fmt.Sprintf("198.51.100.%d", n+1),
			map[string]string{"email": clusterOwner, "password": "not the password"}); status != 401 {
			t.Fatalf("wrong password %d on node %d = %d %s", n+1, n%3, status, body)
		}
	}
	for i := range c.nodes {
		status, body := c.do(i, "POST", "/admin/api/v1/session", "", "198.51.100.99", map[string]string{"email": clusterOwner, "password": clusterPassword})
		if status != 429 || !strings.Contains(string(body), "locked") {
			t.Errorf("the right password on node %d after five wrong ones elsewhere = %d %s, want 429 locked", i, status, body)
		}
	}

	// One client address gets 10 sign-in attempts per 5 minutes in all,
	// whichever instances they reach.
	for n := range 10 {
		if status, body := c.do(n%3, "POST", "/admin/api/v1/session", "", "192.0.2.200",
			map[string]string{"email": fmt.Sprintf("nobody%d@example.com", n), "password": "not the password"}); status != 401 {
			t.Fatalf("sign-in attempt %d from one address on node %d = %d %s", n+1, n%3, status, body)
		}
	}
	for i := range c.nodes {
		status, body := c.do(i, "POST", "/admin/api/v1/session", "", "192.0.2.200", map[string]string{"email": "nobody@example.com", "password": "x"})
		if status != 429 {
			t.Errorf("an 11th sign-in attempt from one address, on node %d = %d %s, want 429", i, status, body)
		}
	}

	// Every session revoked on node 2: the owner's own too.
	if status, body := c.do(2, "DELETE", "/admin/api/v1/sessions", c.token, "", nil); status != 204 {
		t.Fatalf("revoke every session on node 2 = %d %s", status, body)
	}
	refusedEverywhere("every session revoked on node 2", c.token)
}
