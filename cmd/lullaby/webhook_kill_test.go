package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// child is `lullaby serve` running as another process.
type child struct {
	cmd  *exec.Cmd
	base string
}

// startChild runs this test binary as `lullaby serve` (TestMain calls
// main for LULLABY_TEST_RUN_MAIN=1) on 127.0.0.1 with its own data folder
// dir and env, and waits until it listens.
func startChild(t *testing.T, dir string, env map[string]string) *child {
	t.Helper()
	return startChildLog(t, dir, env, os.Stderr)
}

// startChildLog is startChild with the child's log (its stderr) written
// to log.
func startChildLog(t *testing.T, dir string, env map[string]string, log io.Writer) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LULLABY_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "LULLABY_TEST_RUN_MAIN=1", "LULLABY_DATA_DIR="+dir, "LULLABY_LOG_LEVEL=warn")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd}
	t.Cleanup(c.kill)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), " listening on "); ok {
				found <- url
			}
		}
	}()
	select {
	case c.base = <-found:
	case <-time.After(60 * time.Second):
		t.Fatal("the child did not start listening within a minute")
	}
	return c
}

// kill ends the child with SIGKILL, as a crash would, and waits for it.
func (c *child) kill() { c.signal(syscall.SIGKILL) }

// stop ends the child with SIGTERM, as an orchestrator does, and waits
// until it has shut down (flushing its counts).
func (c *child) stop() { c.signal(syscall.SIGTERM) }

func (c *child) signal(sig syscall.Signal) {
	if c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Signal(sig)
		_ = c.cmd.Wait()
	}
}

// TestWebhookSurvivesKill: a `lullaby serve` process is killed (SIGKILL)
// after a change is saved, while its event's first attempt is in flight;
// restarted, it delivers the event, once. Then, with the receiver down,
// a second event's attempt fails and the process is killed again; the
// next process retries it with the same webhook-id once the receiver is
// back, once. Every request's signature is checked by the independent
// verifier.
func TestWebhookSurvivesKill(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"LULLABY_WEBHOOK_ALLOW_PRIVATE": "1", "LULLABY_WEBHOOK_TIMEOUT": "2s", "LULLABY_WEBHOOK_INTERVAL": "100ms"}
	rc := cmstest.NewReceiver(t)
	var mu sync.Mutex
	mode := "hold" // hold the first request; "down": 503; "up": 200
	answered := map[string]int{}
	held := make(chan struct{})
	release := make(chan struct{})
	rc.Respond(func(w http.ResponseWriter, _ *http.Request, d cmstest.Delivery) {
		mu.Lock()
		m := mode
		if m == "hold" {
			mode = "up"
		}
		mu.Unlock()
		switch m {
		case "hold":
			close(held)
			<-release // the sender is killed meanwhile: this is never its answer
		case "down":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			mu.Lock()
			answered[d.ID]++
			mu.Unlock()
			w.WriteHeader(http.StatusOK)
		}
	})
	defer close(release)

	a := startChild(t, dir, env)
	api := a.base + "/admin/api/v1"
	MustCall(t, 201, "POST", api+"/setup", "", map[string]string{"email": "o@example.com", "name": "O", "password": "correct horse battery"}, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", api+"/session", "", map[string]string{"email": "o@example.com", "password": "correct horse battery"}, &session)
	var hook struct{ ID, Secret string }
	MustCall(t, 201, "POST", api+"/webhooks", session.Token, map[string]any{"url": rc.URL, "events": []string{"post.published"}}, &hook)
	MustCall(t, 201, "POST", api+"/posts", session.Token, map[string]any{"title": "Naps", "body": "Short.", "status": "published"}, nil)
	select {
	case <-held:
	case <-time.After(20 * time.Second):
		t.Fatal("no attempt within 20 s")
	}
	a.kill()

	b := startChild(t, dir, env)
	got := rc.WaitFor(t, 30*time.Second, "the event after the restart", func([]cmstest.Delivery) bool {
		mu.Lock()
		defer mu.Unlock()
		return len(answered) == 1
	})
	first := got[0].ID

	// The receiver goes down; a second change's first attempt fails; the
	// process is killed before the retry (due 5 s later).
	mu.Lock()
	mode = "down"
	mu.Unlock()
	n := len(rc.Got())
	MustCall(t, 201, "POST", b.base+"/admin/api/v1/posts", session.Token, map[string]any{"title": "Night feeds", "body": "Often.", "status": "published"}, nil)
	rc.WaitFor(t, 20*time.Second, "the failed attempt", func(got []cmstest.Delivery) bool { return len(got) > n })
	time.Sleep(300 * time.Millisecond) // the failure is recorded
	b.kill()
	mu.Lock()
	mode = "up"
	mu.Unlock()

	startChild(t, dir, env)
	rc.WaitFor(t, 30*time.Second, "the second event after the restart", func([]cmstest.Delivery) bool {
		mu.Lock()
		defer mu.Unlock()
		return len(answered) == 2
	})
	time.Sleep(time.Second) // nothing more may come
	got = rc.Got()
	mu.Lock()
	defer mu.Unlock()
	ids := map[string]int{}
	for _, d := range got {
		ids[d.ID]++
	}
	if len(ids) != 2 || answered[first] != 1 || len(answered) != 2 {
		t.Fatalf("requests by webhook-id %v, answered %v: want two events, each answered once", ids, answered)
	}
	for id, n := range answered {
		if n != 1 || ids[id] < 2 {
			t.Errorf("event %s: %d requests, %d answered; want a failed or cut attempt, then one answered", id, ids[id], n)
		}
	}
	cmstest.MustVerifyWebhooks(t, hook.Secret, got)
}
