package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/lullabycms/lullaby/cms/wordpress/wpgen"
)

// The -scale mode: what writes cost as the site grows. It generates a
// WordPress export of n posts (cms/wordpress/wpgen, no media), and with
// the real lullaby binary on a fresh embedded database:
//
//  1. starts the server on the empty site and times `samples` posts
//     created and published through the admin API (POST
//     /admin/api/v1/posts with "status": "published", one request each)
//     and as many featured-list changes (PUT, then DELETE
//     /admin/api/v1/lists/featured/posts/{id});
//  2. times `lullaby import wordpress` of the export, with its peak
//     resident memory (the process's, embedded database included);
//  3. times `lullaby export` of the result and `lullaby import lullaby`
//     of that archive into a second fresh database;
//  4. starts the server on the imported site and times the same writes
//     as in 1, now posts number n+1 and on.
//
// Timings of single requests are the median, min and max of the samples.

const scaleEmail, scalePassword = "bench@example.com", "bench-password-1"

// runScale is the -scale mode; see above.
func runScale(ctx context.Context, n, samples int, keep bool, out io.Writer) error {
	dir, cleanup, err := workDir("lullaby-scale-", keep)
	if err != nil {
		return err
	}
	defer cleanup()
	bin, err := buildLullaby(dir)
	if err != nil {
		return err
	}
	wxr := filepath.Join(dir, "export.xml")
	if err := writeExport(wxr, n); err != nil {
		return err
	}
	site, restored, archive := filepath.Join(dir, "site"), filepath.Join(dir, "restored"), filepath.Join(dir, "site.lullaby")
	create := exec.Command(bin, "user", "create", "--email", scaleEmail, "--name", "Bench", "--data-dir", site)
	create.Stdin = strings.NewReader(scalePassword + "\n")
	if b, err := create.CombinedOutput(); err != nil {
		return fmt.Errorf("user create: %v\n%s", err, b)
	}

	empty, err := measureWrites(ctx, bin, site, samples, 1)
	if err != nil {
		return fmt.Errorf("writes on the empty site: %w", err)
	}
	imp, err := timed(ctx, bin, "import", "wordpress", wxr, "--data-dir", site)
	if err != nil {
		return err
	}
	exp, err := timed(ctx, bin, "export", archive, "--data-dir", site)
	if err != nil {
		return err
	}
	res, err := timed(ctx, bin, "import", "lullaby", archive, "--data-dir", restored)
	if err != nil {
		return err
	}
	full, err := measureWrites(ctx, bin, site, samples, samples+n+1)
	if err != nil {
		return fmt.Errorf("writes on the imported site: %w", err)
	}

	st, _ := os.Stat(wxr)
	fmt.Fprintf(out, "\n%d generated posts (WXR of %.1f MB, no media), %d samples per write\n\n", n, float64(st.Size())/(1<<20), samples)
	fmt.Fprintln(out, "| command | time | peak resident memory |")
	fmt.Fprintln(out, "| --- | ---: | ---: |")
	for _, r := range []struct {
		name string
		run  cmdRun
	}{{"lullaby import wordpress", imp}, {"lullaby export", exp}, {"lullaby import lullaby (restore)", res}} {
		fmt.Fprintf(out, "| %s | %s | %.0f MB |\n", r.name, r.run.took.Round(10*time.Millisecond), r.run.peakMB)
	}
	fmt.Fprintln(out, "\n| admin API write | empty site: median (min–max) | after the import: median (min–max) | ratio of medians |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: |")
	for _, w := range []struct {
		name        string
		empty, full []time.Duration
	}{
		{"create and publish a post (POST /admin/api/v1/posts)", empty.create, full.create},
		{"add to Featured (PUT /admin/api/v1/lists/featured/posts/{id})", empty.feature, full.feature},
		{"take off Featured (DELETE …/lists/featured/posts/{id})", empty.unfeature, full.unfeature},
	} {
		fmt.Fprintf(out, "| %s | %s | %s | %.2f |\n", w.name, spread(w.empty), spread(w.full), float64(median(w.full))/float64(median(w.empty)))
	}
	return nil
}

// buildLullaby builds ./cmd/lullaby into dir and returns the binary's path.
func buildLullaby(dir string) (string, error) {
	bin := filepath.Join(dir, "lullaby")
	build := exec.Command("go", "build", "-o", bin, "./cmd/lullaby")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/lullaby (run from the repository root): %w", err)
	}
	return bin, nil
}

func writeExport(file string, n int) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := wpgen.Write(f, n); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cmdRun is what one command took: wall time and peak resident memory.
type cmdRun struct {
	took   time.Duration
	peakMB float64
}

// timed runs the binary with args to completion, its output on stderr.
func timed(ctx context.Context, bin string, args ...string) (cmdRun, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	fmt.Fprintf(os.Stderr, "lullaby %s\n", strings.Join(args, " "))
	start := time.Now()
	err := cmd.Run()
	r := cmdRun{took: time.Since(start)}
	if err != nil {
		return r, fmt.Errorf("lullaby %s: %w", strings.Join(args, " "), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	fmt.Fprintf(os.Stderr, "  took %s, peak %.0f MB\n", r.took.Round(time.Millisecond), r.peakMB)
	return r, nil
}

// writeTimes are the durations of each kind of admin API write.
type writeTimes struct{ create, feature, unfeature []time.Duration }

// measureWrites starts the server on data, logs in and times samples
// posts created and published (numbered from first), then as many
// featured-list changes of them.
func measureWrites(ctx context.Context, bin, data string, samples, first int) (writeTimes, error) {
	var wt writeTimes
	addr := freeAddr()
	srv := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data-dir", data, "--log-level", "warn")
	srv.Stdout, srv.Stderr = io.Discard, os.Stderr
	if err := srv.Start(); err != nil {
		return wt, err
	}
	defer stop(srv)
	base := "http://" + addr
	if err := waitUp(base+"/readyz", 120*time.Second); err != nil {
		return wt, err
	}
	// Ready serves at once, while the search index and the compressed
	// bodies are still being made: time the writes once that is done.
	settle(srv.Process.Pid, 90*time.Second)
	var session struct{ Data struct{ Token string } }
	if err := call("POST", base+"/admin/api/v1/session", "", map[string]string{"email": scaleEmail, "password": scalePassword}, &session); err != nil {
		return wt, err
	}
	token := session.Data.Token
	var ids []string
	for i := range samples {
		title, body, status := fmt.Sprintf("Written through the API %d", first+i), benchBody(first+i), "published"
		var p struct{ Data struct{ ID string } }
		start := time.Now()
		if err := call("POST", base+"/admin/api/v1/posts", token, map[string]any{"title": title, "body": body, "status": status}, &p); err != nil {
			return wt, err
		}
		wt.create = append(wt.create, time.Since(start))
		ids = append(ids, p.Data.ID)
	}
	for _, id := range ids {
		start := time.Now()
		if err := call("PUT", base+"/admin/api/v1/lists/featured/posts/"+id, token, nil, nil); err != nil {
			return wt, err
		}
		wt.feature = append(wt.feature, time.Since(start))
		start = time.Now()
		if err := call("DELETE", base+"/admin/api/v1/lists/featured/posts/"+id, token, nil, nil); err != nil {
			return wt, err
		}
		wt.unfeature = append(wt.unfeature, time.Since(start))
	}
	return wt, nil
}

// settle waits until process pid uses under a tenth of a core for a
// second, or limit has passed.
func settle(pid int, limit time.Duration) {
	ticks := func() int64 { return cpuTicks(pid) }
	deadline := time.Now().Add(limit)
	prev := ticks()
	for time.Now().Before(deadline) && prev >= 0 {
		time.Sleep(time.Second)
		now := ticks()
		if now-prev < 10 { // clock ticks are 10 ms
			return
		}
		prev = now
	}
}

// cpuTicks is the processor time process pid has used, user and system,
// in clock ticks of 10 ms; -1 when it cannot be read.
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	var u, s int64
	fmt.Sscan(f[11], &u) // utime and stime, fields 14 and 15 of stat
	fmt.Sscan(f[12], &s)
	return u + s
}

// call sends a JSON request (no body when in is nil) with the bearer
// token, fails on a status other than 2xx, and decodes the answer into
// out when it is not nil.
func call(method, url, token string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s\n%s", method, url, res.Status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// spread is "median (min–max)" in milliseconds.
func spread(d []time.Duration) string {
	if len(d) == 0 {
		return "–"
	}
	ms := func(x time.Duration) string { return fmt.Sprintf("%.0f", float64(x.Microseconds())/1000) }
	return fmt.Sprintf("%s ms (%s–%s)", ms(median(d)), ms(slices.Min(d)), ms(slices.Max(d)))
}
