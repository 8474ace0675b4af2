package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The -coldstart mode: what a start costs as the site grows. For each
// count of published posts it seeds a database (as the read benchmark
// does; the time is reported on its own), then starts the real binary on
// it and measures:
//
//   - ready: from exec to the first 200 from /readyz (content loaded),
//     and the processor time the server used by then (on a busy machine
//     the wall time says more about the machine);
//   - settled: until the server logs that what it does in the background
//     after that (search index, compressed bodies) has ended and it has
//     handed the garbage back to the system;
//   - the resident memory at ready, once settled, and at its peak;
//   - the memory per published post: the settled resident memory less an
//     empty site's, divided by the count.
//
//	go run ./cmd/lullaby-bench -coldstart 1000,10000,50000 [-data DIR]
//
// With -data, each count's database is kept in DIR/<count> and reused by
// later runs (seeding 50,000 posts takes minutes).

// coldRun is one start of the server on a site.
type coldRun struct {
	posts                   int
	seeded                  time.Duration // 0: reused
	ready, settled          time.Duration
	cpuReady, cpuSettled    time.Duration // processor time used by then
	rssReady, rssIdle, peak float64       // MB
}

// runColdStart is the -coldstart mode; see above.
func runColdStart(ctx context.Context, counts []int, dataRoot string, keep bool, out io.Writer) error {
	dir, cleanup, err := workDir("lullaby-coldstart-", keep)
	if err != nil {
		return err
	}
	defer cleanup()
	if dataRoot == "" {
		dataRoot = filepath.Join(dir, "data")
	}
	bin, err := buildLullaby(dir)
	if err != nil {
		return err
	}
	var runs []coldRun
	for _, n := range append([]int{0}, counts...) {
		data := filepath.Join(dataRoot, strconv.Itoa(n))
		var seeded time.Duration
		if _, err := os.Stat(filepath.Join(data, "lullaby.sqlite")); err != nil {
			fmt.Fprintf(os.Stderr, "seeding %d posts of 8,000 bytes of Markdown into %s...\n", n, data)
			start := time.Now()
			if err := seedBulk(ctx, data, n); err != nil {
				return err
			}
			seeded = time.Since(start)
			fmt.Fprintf(os.Stderr, "seeded in %s\n", seeded.Round(time.Millisecond))
		}
		r, err := coldStart(ctx, bin, data)
		if err != nil {
			return fmt.Errorf("%d posts: %w", n, err)
		}
		r.posts, r.seeded = n, seeded
		fmt.Fprintf(os.Stderr, "%d posts: ready in %s, settled in %s, %.0f MB resident\n", n, r.ready.Round(time.Millisecond), r.settled.Round(time.Millisecond), r.rssIdle)
		runs = append(runs, r)
	}

	empty := runs[0]
	fmt.Fprintf(out, "\ncold starts of the real binary on the embedded database, %d CPU cores; an empty site settles at %.1f MB resident\n\n", runtime.NumCPU(), empty.rssIdle)
	fmt.Fprintln(out, "| published posts | seeding (not part of the start) | exec to ready (processor time) | exec to settled (processor time) | resident at ready | resident settled | peak | per published post |")
	fmt.Fprintln(out, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range runs[1:] {
		seeded := "reused"
		if r.seeded > 0 {
			seeded = r.seeded.Round(time.Second).String()
		}
		per := (r.rssIdle - empty.rssIdle) * 1024 / float64(r.posts)
		fmt.Fprintf(out, "| %d | %s | %s (%s) | %s (%s) | %.1f MB | %.1f MB | %.1f MB | %.1f KB |\n", r.posts, seeded,
			r.ready.Round(time.Millisecond), r.cpuReady, r.settled.Round(100*time.Millisecond), r.cpuSettled, r.rssReady, r.rssIdle, r.peak, per)
	}
	return nil
}

// coldStart starts the binary on data and measures it; see above.
func coldStart(ctx context.Context, bin, data string) (coldRun, error) {
	var r coldRun
	addr := freeAddr()
	srv := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--data-dir", data, "--log-level", "info")
	srv.Stdout = io.Discard
	logs, err := srv.StderrPipe()
	if err != nil {
		return r, err
	}
	start := time.Now()
	if err := srv.Start(); err != nil {
		return r, err
	}
	defer stop(srv)
	settled := make(chan struct{})
	go func() {
		// The server logs when its start's background work has ended; on
		// a busy machine a quiet processor says less (a starved process
		// is quiet too).
		sc := bufio.NewScanner(logs)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `msg="settled:`) {
				close(settled)
				break
			}
		}
		_, _ = io.Copy(io.Discard, logs)
	}()
	if err := waitReady("http://"+addr+"/readyz", 10*time.Minute); err != nil {
		return r, err
	}
	r.ready = time.Since(start)
	r.cpuReady = time.Duration(cpuTicks(srv.Process.Pid)) * 10 * time.Millisecond
	r.rssReady = rss(srv.Process.Pid)
	select {
	case <-settled:
	case <-time.After(20 * time.Minute):
		return r, errors.New("the server did not log that it settled within 20 minutes")
	}
	r.settled = time.Since(start)
	r.cpuSettled = time.Duration(cpuTicks(srv.Process.Pid)) * 10 * time.Millisecond
	r.rssIdle, r.peak = rss(srv.Process.Pid), procMB(srv.Process.Pid, "VmHWM:")
	return r, nil
}

// waitReady is waitUp polling more often, so that a start is timed to
// within a few milliseconds.
func waitReady(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if up(url) {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("%s not up after %s", url, limit)
}

// parseCounts reads a comma-separated list of post counts.
func parseCounts(s string) ([]int, error) {
	var counts []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-coldstart: %q is not a list of post counts, e.g. 1000,10000,50000", s)
		}
		counts = append(counts, n)
	}
	return counts, nil
}
