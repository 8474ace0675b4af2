package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// The tests of this file and multi_fault_test.go run three real `lullaby
// serve` processes on one database of a FerretDB-on-PostgreSQL server,
// the way a scaled-out site runs on MongoDB. They are skipped, saying so,
// where PostgreSQL is not installed (LULLABY_E2E=1 makes that a failure),
// and in the suite's run against a given server (LULLABY_TEST_MONGODB_URI),
// since they start, stop and cut off a server of their own.
// They do not run in parallel with other tests: they measure how soon a
// change shows on the other instances.

// cluster is several `lullaby serve` processes on one shared database.
type cluster struct {
	t     *testing.T
	pg    *cmstest.PG
	db    *mongodb.DB // the test's own handle on the database
	env   map[string]string
	nodes []*node
	token string // the owner's session
}

// node is one `lullaby serve` process and its log.
type node struct {
	*child
	log *cmstest.SyncBuffer
}

const (
	clusterOwner    = "owner@example.com"
	clusterPassword = "correct horse battery"
	firefoxUA       = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
)

// startCluster starts a FerretDB-on-PostgreSQL server, n instances on a
// fresh database of it with short intervals (sync 100 ms, scheduler
// 200 ms, counts flushed every 200 ms; extra adds or overrides
// settings), and signs the first owner in.
func startCluster(t *testing.T, n int, extra map[string]string) *cluster {
	t.Helper()
	if os.Getenv(cmstest.EnvURI) != "" {
		t.Skipf("runs its own FerretDB-on-PostgreSQL server, which it stops and cuts off: the run without %s covers it", cmstest.EnvURI)
	}
	pg := cmstest.PGServer(t)
	db, env := pg.New(t)
	for k, v := range map[string]string{
		"LULLABY_JWT_SECRET":           "a session key shared by every instance of the cluster",
		"LULLABY_SYNC_INTERVAL":        "100ms",
		"LULLABY_SCHEDULER_INTERVAL":   "200ms",
		"LULLABY_VIEWS_FLUSH_INTERVAL": "200ms",
		"LULLABY_TRUSTED_PROXIES":      "127.0.0.1", // X-Forwarded-For plays readers
		"LULLABY_LOG_LEVEL":            "warn",
	} {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	c := &cluster{t: t, pg: pg, db: db, env: env}
	for range n {
		c.start(nil)
	}
	admin := c.nodes[0].base + "/admin/api/v1"
	MustCall(t, 201, "POST", admin+"/setup", "", map[string]string{"email": clusterOwner, "name": "Sam Owner", "password": clusterPassword}, nil)
	c.token = c.login(0, "203.0.113.1", clusterPassword)
	return c
}

// start starts one more instance, with extra added to the cluster's
// settings, and returns its index.
func (c *cluster) start(extra map[string]string) int {
	c.t.Helper()
	env := maps.Clone(c.env)
	maps.Copy(env, extra)
	nd := &node{log: &cmstest.SyncBuffer{}}
	nd.child = startChildLog(c.t, c.t.TempDir(), env, nd.log)
	c.nodes = append(c.nodes, nd)
	c.t.Cleanup(func() {
		if c.t.Failed() {
			c.t.Logf("log of %s:\n%s", nd.base, nd.log.String())
		}
	})
	return len(c.nodes) - 1
}

// login signs the owner in on node i from client address ip, and returns
// the token.
func (c *cluster) login(i int, ip, password string) string {
	c.t.Helper()
	status, body := c.do(i, "POST", "/admin/api/v1/session", "", ip, map[string]string{"email": clusterOwner, "password": password})
	if status != 200 {
		c.t.Fatalf("sign-in on node %d = %d %s", i, status, body)
	}
	var session struct{ Data struct{ Token string } }
	if err := json.Unmarshal(body, &session); err != nil {
		c.t.Fatal(err)
	}
	return session.Data.Token
}

// do sends one request to node i, as client address ip when not "", with
// body as JSON when not nil, and returns the status and body. A failed
// connection is status 0.
func (c *cluster) do(i int, method, path, token, ip string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.nodes[i].base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ip != "" {
		req.Header.Set("X-Forwarded-For", ip)
	}
	req.Header.Set("User-Agent", firefoxUA)
	res, err := clusterClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

var clusterClient = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// must is do as the owner that fails the test unless the status is want,
// decoding the answer's data into out when not nil.
func (c *cluster) must(want, i int, method, path string, body, out any) {
	c.t.Helper()
	status, b := c.do(i, method, path, c.token, "", body)
	if status != want {
		c.t.Fatalf("node %d: %s %s = %d, want %d: %s", i, method, path, status, want, b)
	}
	if out != nil {
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(b, &env); err != nil {
			c.t.Fatal(err)
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

// shows reports whether GET path on node i answers want with a body that
// holds text (when not "").
func (c *cluster) shows(i int, path string, want int, text string) bool {
	status, body := c.do(i, "GET", path, "", "", nil)
	return status == want && (text == "" || bytes.Contains(body, []byte(text)))
}

// lag waits until every node but writer shows the change (see shows), and
// returns how long after start the last one did; past limit the test fails.
func (c *cluster) lag(writer int, start time.Time, limit time.Duration, what, path string, want int, text string) time.Duration {
	c.t.Helper()
	var last time.Duration
	for i := range c.nodes {
		if i == writer {
			continue
		}
		for !c.shows(i, path, want, text) {
			if time.Since(start) > limit {
				status, body := c.do(i, "GET", path, "", "", nil)
				c.t.Fatalf("%s: node %d does not show it after %s: GET %s = %d %.300s", what, i, limit, path, status, body)
			}
			time.Sleep(5 * time.Millisecond)
		}
		last = max(last, time.Since(start))
	}
	return last
}

// post is the part of an admin post answer the tests use.
type post struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Status  string `json:"status"`
	Version int    `json:"version"`
}

// createPost creates a post on node i, published unless draft.
func (c *cluster) createPost(i int, title string, draft bool) post {
	c.t.Helper()
	status := "published"
	if draft {
		status = "draft"
	}
	var p post
	c.must(201, i, "POST", "/admin/api/v1/posts", map[string]any{"title": title, "body": "About " + title + ".", "status": status}, &p)
	return p
}

// upload stores an image through node i and returns its id and the URL
// of its pin variant.
func (c *cluster) upload(i int) (id, pinURL string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "pin.jpg")
	_, _ = fw.Write(cmstest.MustJPEG(c.t, 400, 600))
	_ = w.Close()
	req, _ := http.NewRequest("POST", c.nodes[i].base+"/admin/api/v1/media", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := clusterClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var created struct {
		Data struct {
			ID       string
			Variants []struct{ Name, URL string }
		}
	}
	if res.StatusCode != 201 || json.Unmarshal(body, &created) != nil {
		c.t.Fatalf("upload on node %d = %d %s", i, res.StatusCode, body)
	}
	for _, v := range created.Data.Variants {
		if v.Name == "pin" {
			return created.Data.ID, v.URL
		}
	}
	c.t.Fatalf("no pin variant: %s", body)
	return "", ""
}

// TestInstancesSeeChanges makes 100 changes, each on one of three
// instances in turn — a post edited, published, unpublished, trashed and
// restored, the featured list changed, the site settings changed, the Nap
// Quiz changed, an image deleted — and measures how long each takes to
// show on the public API of the two others: every one within 2 s.
func TestInstancesSeeChanges(t *testing.T) {
	c := startCluster(t, 3, nil)
	const admin = "/admin/api/v1"
	edited := c.createPost(0, "Short sleep cycles", false)
	toggled := c.createPost(1, "Early bedtimes", true)
	trashed := c.createPost(2, "Contact naps", false)
	for i := range c.nodes {
		waitFor(t, "the first posts on every node", 10*time.Second, func() bool {
			return c.shows(i, "/api/v1/posts/"+trashed.Slug, 200, "")
		})
	}
	var lags []time.Duration
	kinds := map[string]int{}
	featured := false
	for n := range 100 {
		w := n % 3
		mark := fmt.Sprintf("change %d", n)
		var kind, path, text string
		want := 200
		var start time.Time
		switch n % 8 {
		case 0:
			kind, path, text = "edit", "/api/v1/posts/"+edited.Slug, mark
			start = time.Now()
			c.must(200, w, "PATCH", admin+"/posts/"+edited.ID, map[string]any{"title": mark, "version": edited.Version}, &edited)
		case 1:
			kind, path = "publish/unpublish", "/api/v1/posts/"+toggled.Slug
			action := "/publish"
			if toggled.Status == "published" {
				action, want = "/unpublish", 404
			}
			start = time.Now()
			c.must(200, w, "POST", admin+"/posts/"+toggled.ID+action, map[string]any{"version": toggled.Version}, &toggled)
		case 2:
			kind, path = "delete/restore", "/api/v1/posts/"+trashed.Slug
			action := "/restore"
			if trashed.Status != "trash" {
				action, want = "/trash", 404
			}
			start = time.Now()
			c.must(200, w, "POST", admin+"/posts/"+trashed.ID+action, map[string]any{"version": trashed.Version}, &trashed)
		case 3:
			kind = "list"
			var list struct{ Version int }
			c.must(200, w, "GET", admin+"/lists/featured", nil, &list)
			featured = !featured
			entries := []map[string]string{}
			if featured {
				entries = append(entries, map[string]string{"postId": edited.ID})
			}
			start = time.Now()
			c.must(200, w, "PUT", admin+"/lists/featured", map[string]any{"entries": entries, "version": list.Version}, nil)
			if !featured {
				lags = append(lags, c.lagWithout(w, start, kind, "/api/v1/lists/featured", edited.Slug))
				kinds[kind]++
				continue
			}
			path, text = "/api/v1/lists/featured", edited.Slug
		case 4:
			kind, path, text = "settings", "/api/v1/site", mark
			var st struct {
				Version int
				Site    map[string]any
			}
			c.must(200, w, "GET", admin+"/settings", nil, &st)
			st.Site["title"] = mark
			start = time.Now()
			c.must(200, w, "PUT", admin+"/settings", map[string]any{"version": st.Version, "site": st.Site}, nil)
		case 5:
			kind, path, text = "quiz", "/api/v1/quizzes/nap-quiz", mark
			var q map[string]any
			c.must(200, w, "GET", admin+"/quizzes/nap-quiz", nil, &q)
			for _, k := range []string{"slug", "createdAt", "updatedAt"} {
				delete(q, k)
			}
			q["title"] = mark
			start = time.Now()
			c.must(200, w, "PUT", admin+"/quizzes/nap-quiz", q, nil)
		case 7:
			kind = "edit"
			path, text = "/api/v1/posts/"+edited.Slug, mark+" again"
			start = time.Now()
			c.must(200, w, "PATCH", admin+"/posts/"+edited.ID, map[string]any{"title": text, "version": edited.Version}, &edited)
		case 6:
			kind = "media delete"
			id, pin := c.upload(w)
			for i := range c.nodes { // every node caches it first
				waitFor(t, "the new image on every node", 10*time.Second, func() bool { return c.shows(i, pin, 200, "") })
			}
			path, want = pin, 404
			start = time.Now()
			c.must(204, w, "DELETE", admin+"/media/"+id, nil, nil)
		}
		lags = append(lags, c.lag(w, start, 10*time.Second, kind, path, want, text))
		kinds[kind]++
	}
	slices.Sort(lags)
	p50, p99, worst := lags[len(lags)/2], lags[len(lags)*99/100-1], lags[len(lags)-1]
	t.Logf("sync lag over %d changes %v (LULLABY_SYNC_INTERVAL=100ms): p50 %s, p99 %s, max %s",
		len(lags), kinds, p50.Round(time.Millisecond), p99.Round(time.Millisecond), worst.Round(time.Millisecond))
	if p99 > 2*time.Second {
		t.Errorf("p99 sync lag %s, want within 2 s", p99)
	}
}

// lagWithout is lag for a change that removes text from what path shows.
func (c *cluster) lagWithout(writer int, start time.Time, what, path, text string) time.Duration {
	c.t.Helper()
	var last time.Duration
	for i := range c.nodes {
		if i == writer {
			continue
		}
		for {
			status, body := c.do(i, "GET", path, "", "", nil)
			if status == 200 && !strings.Contains(string(body), text) {
				break
			}
			if time.Since(start) > 10*time.Second {
				c.t.Fatalf("%s: node %d still shows %q after 10 s: %d %.300s", what, i, text, status, body)
			}
			time.Sleep(5 * time.Millisecond)
		}
		last = max(last, time.Since(start))
	}
	return last
}
