package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDatabaseOutageAcrossInstances: the database server stops for 30 s
// while three instances serve. Their public APIs keep answering from the
// snapshot, never 5xx; admin writes answer 503 saying the database is
// unreachable and write nothing; once it is back every instance syncs
// again and takes writes.
func TestDatabaseOutageAcrossInstances(t *testing.T) {
	c := startCluster(t, 3, map[string]string{"LULLABY_REQUEST_TIMEOUT": "3s"})
	const admin = "/admin/api/v1"
	p := c.createPost(0, "Bedtime routines", false)
	reads := []string{"/api/v1/posts", "/api/v1/posts/" + p.Slug, "/api/v1/site", "/api/v1/lists/featured", "/api/v1/quizzes/nap-quiz"}
	for i := range c.nodes {
		waitFor(t, "the post on every node", 10*time.Second, func() bool { return c.shows(i, reads[1], 200, "") })
	}

	c.pg.Stop()
	stopped := time.Now()
	wrote := false
	var served int
	for time.Since(stopped) < 30*time.Second {
		for i := range c.nodes {
			for _, path := range reads {
				if status, body := c.do(i, "GET", path, "", "", nil); status != 200 {
					t.Fatalf("%s into the outage, node %d: GET %s = %d %.300s", time.Since(stopped).Round(time.Millisecond), i, path, status, body)
				}
				served++
			}
		}
		if !wrote && time.Since(stopped) > 5*time.Second {
			wrote = true
			for i, w := range []struct {
				method, path string
				body         any
			}{
				{"PATCH", admin + "/posts/" + p.ID, map[string]any{"title": "Written during the outage", "version": p.Version}},
				{"POST", admin + "/posts", map[string]any{"title": "Created during the outage", "body": "Never.", "status": "published"}},
				{"POST", admin + "/posts/" + p.ID + "/unpublish", map[string]any{"version": p.Version}},
			} {
				status, body := c.do(i, w.method, w.path, c.token, "", w.body)
				if status != 503 || !strings.Contains(string(body), "database") {
					t.Errorf("node %d: %s %s during the outage = %d %s, want 503 saying the database is unreachable", i, w.method, w.path, status, body)
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := c.pg.Start(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	for i := range c.nodes {
		waitFor(t, fmt.Sprintf("node %d ready again", i), 30*time.Second, func() bool { return c.shows(i, "/readyz", 200, "") })
	}
	t.Logf("served %d public reads during a 30 s outage; every instance ready %s after the database came back",
		served, time.Since(back).Round(time.Millisecond))

	// Nothing of the refused writes was kept.
	var got post
	c.must(200, 2, "GET", admin+"/posts/"+p.ID, nil, &got)
	if got.Version != p.Version || got.Status != "published" {
		t.Errorf("after the outage the post is %+v, want it untouched at version %d", got, p.Version)
	}
	var list []struct{ Title string }
	c.must(200, 1, "GET", admin+"/posts?limit=100", nil, &list)
	for _, e := range list {
		if strings.Contains(e.Title, "outage") {
			t.Errorf("a post written during the outage exists: %q", e.Title)
		}
	}
	// Every instance takes writes and syncs again.
	for w := range c.nodes {
		mark := fmt.Sprintf("Bedtime routines, after %d", w)
		start := time.Now()
		c.must(200, w, "PATCH", admin+"/posts/"+p.ID, map[string]any{"title": mark, "version": p.Version}, &p)
		c.lag(w, start, 5*time.Second, "a write after the outage", "/api/v1/posts/"+p.Slug, 200, mark)
	}
}

// TestInstanceKilledDuringSave: an instance killed (SIGKILL) while saves
// are in flight leaves the others consistent: they agree with each other
// and with the database, and the post can be edited on.
func TestInstanceKilledDuringSave(t *testing.T) {
	c := startCluster(t, 3, nil)
	const admin = "/admin/api/v1"
	p := c.createPost(1, "Sleep regressions", false)
	var wg sync.WaitGroup
	long := strings.Repeat("A paragraph about sleep that makes the save bigger. ", 400)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				var cur post
				status, body := c.do(0, "GET", admin+"/posts/"+p.ID, c.token, "", nil)
				if status != 200 || json.Unmarshal(body, &struct{ Data *post }{&cur}) != nil {
					return // killed
				}
				status, _ = c.do(0, "PATCH", admin+"/posts/"+p.ID, c.token, "",
					map[string]any{"title": fmt.Sprintf("Regressions %d.%d", g, n), "body": long + fmt.Sprint(n), "version": cur.Version})
				if status == 0 {
					return
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	c.nodes[0].kill()
	wg.Wait()

	// The survivors agree with the database and with each other.
	var want post
	var title string
	defer func() {
		if t.Failed() {
			for i := 1; i < 3; i++ {
				_, pub := c.do(i, "GET", "/api/v1/posts/"+p.Slug, "", "", nil)
				_, ready := c.do(i, "GET", "/readyz", "", "", nil)
				t.Logf("node %d: admin title %q; public %.200s; readyz %s", i, title, pub, ready)
			}
		}
	}()
	// Agreeing is the same post on both and the same content version
	// (the last bump of a save can reach one a poll before the other).
	versions := func() (int64, int64) {
		var r1, r2 readyBody
		for i, r := range []*readyBody{&r1, &r2} {
			status, body := c.do(i+1, "GET", "/readyz", "", "", nil)
			if status != 200 || json.Unmarshal(body, r) != nil {
				t.Fatalf("node %d readyz = %d %s", i+1, status, body)
			}
		}
		return r1.ContentVersion, r2.ContentVersion
	}
	waitFor(t, "the survivors agree", 20*time.Second, func() bool {
		var a struct {
			post
			Title string `json:"title"`
		}
		c.must(200, 1, "GET", admin+"/posts/"+p.ID, nil, &a)
		want, title = a.post, a.Title
		v1, v2 := versions()
		return v1 == v2 && c.shows(1, "/api/v1/posts/"+p.Slug, 200, title) && c.shows(2, "/api/v1/posts/"+p.Slug, 200, title)
	})
	// The post takes an edit on a survivor, and a restarted instance sees it.
	c.must(200, 2, "PATCH", admin+"/posts/"+p.ID, map[string]any{"title": "Regressions, settled", "version": want.Version}, nil)
	again := c.start(nil)
	waitFor(t, "a restarted instance sees the last edit", 10*time.Second, func() bool {
		return c.shows(again, "/api/v1/posts/"+p.Slug, 200, "Regressions, settled") && c.shows(1, "/api/v1/posts/"+p.Slug, 200, "Regressions, settled")
	})
}

// TestPartitionedInstanceRecovers: one instance's connection to the
// database goes silent (a TCP proxy in between stops passing bytes, as a
// network partition does). It keeps serving its snapshot, its /readyz
// says it is cut off, and once the connection passes again it catches up
// with the others' writes without a restart.
func TestPartitionedInstanceRecovers(t *testing.T) {
	c := startCluster(t, 2, nil)
	const admin = "/admin/api/v1"
	proxy := startTCPProxy(t, c.env["LULLABY_MONGODB_URI"])
	cut := c.start(map[string]string{"LULLABY_MONGODB_URI": proxy.uri})
	before := c.createPost(0, "Overtiredness", false)
	waitFor(t, "the post on the proxied node", 10*time.Second, func() bool {
		return c.shows(cut, "/api/v1/posts/"+before.Slug, 200, "")
	})

	proxy.block()
	during := c.createPost(0, "Catnaps", false)
	waitFor(t, "the cut-off node says so on /readyz", 20*time.Second, func() bool { return c.shows(cut, "/readyz", 503, "") })
	for range 10 {
		if status, body := c.do(cut, "GET", "/api/v1/posts/"+before.Slug, "", "", nil); status != 200 {
			t.Fatalf("the cut-off node: GET a post = %d %s", status, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if c.shows(cut, "/api/v1/posts/"+during.Slug, 200, "") {
		t.Fatal("the cut-off node shows a post written while it was cut off: the proxy did not cut it off")
	}

	proxy.unblock()
	healed := time.Now()
	waitFor(t, "the healed node catches up", 30*time.Second, func() bool {
		return c.shows(cut, "/api/v1/posts/"+during.Slug, 200, "") && c.shows(cut, "/readyz", 200, "")
	})
	t.Logf("the healed node caught up %s after its connection passed again", time.Since(healed).Round(time.Millisecond))
	start := time.Now()
	mark := "Catnaps, edited on the healed node"
	c.must(200, cut, "PATCH", admin+"/posts/"+during.ID, map[string]any{"title": mark, "version": during.Version}, nil)
	c.lag(cut, start, 5*time.Second, "a write on the healed node", "/api/v1/posts/"+during.Slug, 200, mark)
}

// tcpProxy passes TCP connections to a server, and can stop passing
// bytes (and new connections) without closing anything, as a network
// partition does; unblock lets everything held through.
type tcpProxy struct {
	uri string // the server's URI with the proxy's address

	mu     sync.Mutex
	open   chan struct{} // closed while bytes pass
	target string
}

func startTCPProxy(t *testing.T, uri string) *tcpProxy {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{open: make(chan struct{}), target: u.Host}
	close(p.open)
	u.Host = ln.Addr().String()
	p.uri = u.String()
	var conns sync.Map
	t.Cleanup(func() {
		_ = ln.Close()
		p.unblock()
		conns.Range(func(k, _ any) bool { _ = k.(net.Conn).Close(); return true })
	})
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(in, nil)
			go func() {
				p.wait()
				out, err := net.Dial("tcp", p.target)
				if err != nil {
					_ = in.Close()
					return
				}
				conns.Store(out, nil)
				go p.pipe(out, in)
				p.pipe(in, out)
			}()
		}
	}()
	return p
}

// wait returns once bytes may pass.
func (p *tcpProxy) wait() {
	p.mu.Lock()
	open := p.open
	p.mu.Unlock()
	<-open
}

func (p *tcpProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.wait()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *tcpProxy) block() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.open:
		p.open = make(chan struct{})
	default:
	}
}

func (p *tcpProxy) unblock() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.open:
	default:
		close(p.open)
	}
}
