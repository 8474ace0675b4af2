// Command lullaby-bench measures Lullaby's public read path against a plain
// Fiber handler on the same machine, with wrk (Debian package "wrk"):
//
//	go run ./cmd/lullaby-bench [-posts 1000] [-duration 10s] [-connections 64]
//
// It seeds a fresh embedded database with published posts of about 8 KB,
// builds and starts the real lullaby binary on it, starts a constant 3 KB
// Fiber handler in a second process, and runs wrk against
// GET /api/v1/posts?limit=10, GET /api/v1/posts/{slug} rotating over every
// slug, the same through the Ghost dialect (an index page's list, a list
// of whole posts, a post by slug) and the WordPress dialect (a page of
// posts with _embed, a post by id, a post by slug), GET /api/v1/site,
// GET /api/v1/lists, and the constant handler; and, right after each endpoint, a constant handler sending
// that endpoint's own bytes (-matched, matched.go), since on the wire a
// body costs by its size. It prints
// requests per second, latency percentiles and the server's resident
// memory as a Markdown table, and the dialects' rates as shares of our
// own API's in the same run.
//
// With -scale N it instead measures what writes cost as the site grows:
// importing a generated N-post WordPress export, exporting and restoring
// it, and admin API writes on the empty and on the full site (scale.go):
//
//	go run ./cmd/lullaby-bench -scale 2000 [-samples 10]
//
// With -coldstart 1000,10000,50000 it instead times the server's start
// and measures its resident memory at each count of published posts, and
// the memory per post (coldstart.go).
//
// With -media it instead uploads one generated 2000x3000 photo and compares
// GET /media/{id}/pin (a hot image, served from the in-memory cache)
// against a plain Fiber handler sending the same pin bytes from memory.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/imaging"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "constant-server" {
		file := ""
		if len(os.Args) > 3 {
			file = os.Args[3]
		}
		if err := constantServer(os.Args[2], file); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lullaby-bench:", err)
		os.Exit(1)
	}
}

// constantServer is the baseline: a plain Fiber handler returning a
// constant 3 KB JSON body, or the bytes of file as a JPEG, or, when file
// is a folder, each of its files at /<name> (matched.go).
func constantServer(addr, file string) error {
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		return sameSizeServer(fiber.New(fiber.Config{DisableStartupMessage: true}), addr, file)
	}
	body, ct := []byte(`{"data":"`+strings.Repeat("x", 3*1024-11)+`"}`), fiber.MIMEApplicationJSON
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		body, ct = b, "image/jpeg"
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, ct)
		return c.Send(body)
	})
	return app.Listen(addr)
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("lullaby-bench", flag.ContinueOnError)
	posts := fs.Int("posts", 1000, "published posts to seed")
	duration := fs.Duration("duration", 10*time.Second, "wrk run per endpoint")
	conns := fs.Int("connections", 32, "wrk connections")
	threads := fs.Int("threads", 1, "wrk threads (1 leaves the other core of a 2-core machine to the server)")
	keep := fs.Bool("keep", false, "keep the temporary folder")
	serverFlags := fs.String("server-flags", "", "extra flags for lullaby serve, space-separated")
	dataDir := fs.String("data", "", "use (and on first use, seed) this data folder instead of a temporary one")
	media := fs.Bool("media", false, "benchmark GET /media/{id}/pin of a hot image instead of the posts API")
	beacon := fs.Bool("beacon", false, "benchmark POST /api/v1/posts/{slug}/views (the read beacon; see beacon.go) instead of the posts API")
	quiz := fs.Bool("quiz", false, "benchmark POST /api/v1/quizzes/nap-quiz/answers (the Nap Quiz's evaluation; see quiz.go) instead of the posts API")
	scale := fs.Int("scale", 0, "instead, measure import, export, restore and admin API writes with this many posts (see scale.go)")
	samples := fs.Int("samples", 10, "with -scale: writes timed on the empty and on the full site")
	coldstart := fs.String("coldstart", "", "instead, time cold starts and measure resident memory at these counts of published posts, e.g. 1000,10000,50000 (see coldstart.go; -data: a folder of one database per count)")
	matched := fs.Bool("matched", true, "also run each endpoint's own bytes from a constant handler, to separate the handler's cost from the body's (matched.go)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale > 0 {
		return runScale(ctx, *scale, *samples, *keep, out)
	}
	if *coldstart != "" {
		counts, err := parseCounts(*coldstart)
		if err != nil {
			return err
		}
		return runColdStart(ctx, counts, *dataDir, *keep, out)
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return errors.New("wrk not found: apt-get install wrk")
	}
	dir, cleanup, err := workDir("lullaby-bench-", *keep)
	if err != nil {
		return err
	}
	defer cleanup()

	data := filepath.Join(dir, "data")
	if *dataDir != "" {
		data = *dataDir
	}
	if _, err := os.Stat(filepath.Join(data, "lullaby.sqlite")); err != nil {
		fmt.Fprintf(os.Stderr, "seeding %d posts of 8,000 bytes of Markdown...\n", *posts)
		start := time.Now()
		if err := seed(ctx, data, *posts); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "seeded in %s\n", time.Since(start).Round(time.Millisecond))
	}

	var mediaID, pinFile string
	if *media {
		pinFile = filepath.Join(dir, "pin.jpg")
		if mediaID, err = seedMedia(ctx, data, pinFile); err != nil {
			return err
		}
	}

	bin, err := buildLullaby(dir)
	if err != nil {
		return err
	}
	lullabyAddr, constAddr := freeAddr(), freeAddr()
	extra := strings.Fields(*serverFlags)
	if *beacon || *quiz {
		extra = append(extra, beaconServerFlags()...)
	}
	srv := exec.Command(bin, append([]string{"serve", "--addr", lullabyAddr, "--data-dir", data, "--log-level", "warn"}, extra...)...)
	srv.Stdout, srv.Stderr = io.Discard, os.Stderr
	if err := srv.Start(); err != nil {
		return err
	}
	defer stop(srv)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cst := exec.Command(self, "constant-server", constAddr)
	if pinFile != "" {
		cst.Args = append(cst.Args, pinFile)
	}
	cst.Stderr = os.Stderr
	if err := cst.Start(); err != nil {
		return err
	}
	defer stop(cst)
	if err := waitUp("http://"+lullabyAddr+"/readyz", 60*time.Second); err != nil {
		return err
	}
	if err := waitUp("http://"+constAddr+"/", 10*time.Second); err != nil {
		return err
	}
	// Ready serves at once, while the search index and the compressed
	// bodies are still being made: idle is once that is done.
	settle(srv.Process.Pid, 5*time.Minute)
	idle := rss(srv.Process.Pid)
	slugs, err := publishedSlugs("http://" + lullabyAddr)
	if err != nil {
		return err
	}

	script, ghostScript := filepath.Join(dir, "rotate.lua"), filepath.Join(dir, "rotate-ghost.lua")
	if err := writeRotateScript(script, slugs, "/api/v1/posts/", ""); err != nil {
		return err
	}
	if err := writeRotateScript(ghostScript, slugs, ghostBase+"/posts/slug/", "/?key="+ghostKey+"&include=tags,authors"); err != nil {
		return err
	}
	ids, err := wpPostIDs("http://" + lullabyAddr)
	if err != nil {
		return err
	}
	wpByID, wpBySlug := filepath.Join(dir, "rotate-wp-id.lua"), filepath.Join(dir, "rotate-wp-slug.lua")
	if err := writeRotateScript(wpByID, ids, wpBase+"/posts/", "?_embed"); err != nil {
		return err
	}
	if err := writeRotateScript(wpBySlug, slugs, wpBase+"/posts?_embed&slug=", ""); err != nil {
		return err
	}
	wrkArgs := []string{"-t", strconv.Itoa(*threads), "-c", strconv.Itoa(*conns), "-d", duration.String(), "--latency"}
	type benchCase struct{ name, url, script, header, sample string } // sample: a path a script asks for
	cases := []benchCase{
		{"constant 3 KB Fiber handler", "http://" + constAddr + "/", "", "", ""},
		{"GET /api/v1/posts?limit=10", "http://" + lullabyAddr + "/api/v1/posts?limit=10", "", "", ""},
		{fmt.Sprintf("GET /api/v1/posts/{slug} (rotating over %d slugs)", len(slugs)), "http://" + lullabyAddr, script, "", "/api/v1/posts/" + slugs[0]},
		{"same, with Accept-Encoding: br (as browsers send)", "http://" + lullabyAddr, script, "Accept-Encoding: gzip, deflate, br", "/api/v1/posts/" + slugs[0]},
		{"Ghost: GET " + ghostBase + "/posts/?limit=10&include=tags&fields=… (an index page)", "http://" + lullabyAddr + ghostIndexPage, "", "", ""},
		{"Ghost: GET " + ghostBase + "/posts/?limit=10&include=tags,authors (whole posts, html included)", "http://" + lullabyAddr + ghostWholePosts, "", "", ""},
		{fmt.Sprintf("Ghost: GET %s/posts/slug/{slug}/?include=tags,authors (rotating over %d slugs)", ghostBase, len(slugs)), "http://" + lullabyAddr, ghostScript, "",
			ghostBase + "/posts/slug/" + slugs[0] + "/?key=" + ghostKey + "&include=tags,authors"},
		{"GET /api/v1/posts?limit=10, with Accept-Encoding as the Ghost client sends", "http://" + lullabyAddr + "/api/v1/posts?limit=10", "", ghostClientEncoding, ""},
		{"Ghost: the index page, with Accept-Encoding as the Ghost client sends", "http://" + lullabyAddr + ghostIndexPage, "", ghostClientEncoding, ""},
		{"WordPress: GET " + wpBase + "/posts?per_page=10&_embed (an index page, whole posts)", "http://" + lullabyAddr + wpBase + "/posts?per_page=10&_embed", "", "", ""},
		{fmt.Sprintf("WordPress: GET %s/posts/{id}?_embed (rotating over %d ids)", wpBase, len(ids)), "http://" + lullabyAddr, wpByID, "", wpBase + "/posts/" + ids[0] + "?_embed"},
		{fmt.Sprintf("WordPress: GET %s/posts?_embed&slug={slug} (a post page, rotating over %d slugs)", wpBase, len(slugs)), "http://" + lullabyAddr, wpBySlug, "", wpBase + "/posts?_embed&slug=" + slugs[0]},
		{"GET /api/v1/site", "http://" + lullabyAddr + "/api/v1/site", "", "", ""},
		{"GET /api/v1/lists", "http://" + lullabyAddr + "/api/v1/lists", "", "", ""},
	}
	if *media {
		cases = []benchCase{
			{"plain Fiber handler, the same pin bytes from memory", "http://" + constAddr + "/", "", "", ""},
			{"GET /media/{id}/pin (hot: from the LRU)", "http://" + lullabyAddr + "/media/" + mediaID + "/pin", "", "", ""},
		}
	}
	if *beacon {
		fixed, rotating, err := beaconScripts(dir, slugs)
		if err != nil {
			return err
		}
		cases = []benchCase{
			cases[0],
			{"POST /api/v1/posts/{slug}/views, one fixed client (deduplicated, rate-limited)", "http://" + lullabyAddr, fixed, "", ""},
			{"POST /api/v1/posts/{slug}/views, 20,000 rotating readers (X-Forwarded-For, 3 user agents, every post)", "http://" + lullabyAddr, rotating, "", ""},
		}
	}
	if *quiz {
		rotating, fixed, err := quizScripts(dir)
		if err != nil {
			return err
		}
		cases = []benchCase{
			cases[0],
			{"POST /api/v1/quizzes/nap-quiz/answers, 100,000 rotating clients (X-Forwarded-For)", "http://" + lullabyAddr, rotating, "", ""},
			{"POST /api/v1/quizzes/nap-quiz/answers, one fixed client (rate-limited: 429s)", "http://" + lullabyAddr, fixed, "", ""},
		}
	}
	var same *sameSize
	if *matched && !*media && !*beacon && !*quiz {
		paths, headers := make([]string, len(cases)), make([]string, len(cases))
		for i, c := range cases[1:] {
			paths[i+1], headers[i+1] = cmp.Or(c.sample, strings.TrimPrefix(c.url, "http://"+lullabyAddr)), c.header
		}
		if same, err = startSameSize(dir, self, "http://"+lullabyAddr, paths, headers); err != nil {
			return err
		}
		defer stop(same.cmd)
	}
	results, sameResults := make([]wrkResult, len(cases)), make([]wrkResult, len(cases))
	for i, c := range cases {
		if results[i], err = runWrk(ctx, wrk, wrkArgs, c.script, c.header, c.url); err != nil {
			return err
		}
		if same != nil && i > 0 { // right after, so that both meet the same load
			if sameResults[i], err = runWrk(ctx, wrk, wrkArgs, "", "", same.url(i)); err != nil {
				return err
			}
		}
	}
	loaded := rss(srv.Process.Pid)

	fmt.Fprintf(out, "\n%d published posts, wrk -t%d -c%d -d%s, %d CPU cores\n\n", len(slugs), *threads, *conns, duration, runtime.NumCPU())
	fmt.Fprintln(out, "| endpoint | requests/s | % of constant | % of the same bytes from a constant | p50 | p99 | non-2xx |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for i, c := range cases {
		r, matchedPct := results[i], "–"
		if same != nil && i > 0 {
			matchedPct = fmt.Sprintf("%.0f%% (%.1f KB)", 100*r.rps/sameResults[i].rps, sampleKB(dir, i))
		}
		fmt.Fprintf(out, "| %s | %.0f | %.0f%% | %s | %s | %s | %d |\n", c.name, r.rps, 100*r.rps/results[0].rps, matchedPct, r.p50, r.p99, r.non2xx)
	}
	if !*media && !*beacon && !*quiz {
		// The dialects against our own API, in this run: list 1, post 2,
		// Ghost index page 4, Ghost post 6; compressed, list 7 and Ghost
		// index page 8.
		fmt.Fprintf(out, "\nGhost index page / our list: %.0f%% (compressed as the Ghost client asks: %.0f%%); Ghost post by slug / our post: %.0f%%\n",
			100*results[4].rps/results[1].rps, 100*results[8].rps/results[7].rps, 100*results[6].rps/results[2].rps)
		if same != nil {
			rel := func(i int) float64 { return results[i].rps / sameResults[i].rps }
			fmt.Fprintf(out, "each as a share of its own bytes from a constant: %.0f%% (compressed: %.0f%%); %.0f%%\n", 100*rel(4)/rel(1), 100*rel(8)/rel(7), 100*rel(6)/rel(2))
		}
	}
	fmt.Fprintf(out, "\nlullaby resident memory: %.1f MB idle after start (settled), %.1f MB after the runs\n", idle, loaded)
	if *beacon {
		stop(srv) // a clean shutdown flushes the counted views
		views, buckets, err := storedViews(ctx, data)
		if err != nil {
			return err
		}
		var beacons float64
		for _, r := range results[1:] {
			beacons += r.rps * duration.Seconds()
		}
		fmt.Fprintf(out, "post_views after shutdown: %d views in %d posts' buckets, from about %.0f beacons\n", views, buckets, beacons)
	}
	if *quiz {
		stop(srv) // a clean shutdown flushes the counted results
		n, err := storedQuizResults(ctx, data)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "quiz_results after shutdown: %d answers counted (from about %.0f rotating-client answers and %d allowed to the fixed client per minute)\n",
			n, results[1].rps*duration.Seconds(), cms.DefaultQuizRate)
	}
	return nil
}

// publishedSlugs lists every published slug through the public API.
func publishedSlugs(base string) ([]string, error) {
	var slugs []string
	for page := 1; ; page++ {
		res, err := http.Get(fmt.Sprintf("%s/api/v1/posts?limit=100&page=%d", base, page))
		if err != nil {
			return nil, err
		}
		var body struct {
			Data []struct{ Slug string }
			Meta struct{ Pagination struct{ TotalPages int } }
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		for _, p := range body.Data {
			slugs = append(slugs, p.Slug)
		}
		if page >= body.Meta.Pagination.TotalPages {
			return slugs, nil
		}
	}
}

// wpBase is the WordPress dialect's namespace.
const wpBase = "/wp-json/wp/v2"

// wpPostIDs lists the numeric ids the WordPress dialect gives the
// published posts.
func wpPostIDs(base string) ([]string, error) {
	var ids []string
	for page := 1; ; page++ {
		res, err := http.Get(fmt.Sprintf("%s%s/posts?per_page=100&_fields=id&page=%d", base, wpBase, page))
		if err != nil {
			return nil, err
		}
		var body []struct{ ID int64 }
		err = json.NewDecoder(res.Body).Decode(&body)
		pages, _ := strconv.Atoi(res.Header.Get("X-WP-TotalPages"))
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		for _, p := range body {
			ids = append(ids, strconv.FormatInt(p.ID, 10))
		}
		if page >= pages {
			return ids, nil
		}
	}
}

// openService opens the embedded database in dir, quietly, and a service
// over it; call closeDB when done.
func openService(ctx context.Context, dir string) (svc *cms.Service, closeDB func(), err error) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: log})
	if err != nil {
		return nil, nil, err
	}
	closeDB = func() { db.Close(context.Background()) }
	svc, err = cms.NewService(cms.ServiceConfig{Store: db, Publisher: readmodel.NewReadModel(db, log), Logger: log, Images: imaging.Processor{}})
	if err != nil {
		closeDB()
		return nil, nil, err
	}
	return svc, closeDB, nil
}

// seed writes n published posts of about 8 KB into a fresh embedded
// database in dir.
func seed(ctx context.Context, dir string, n int) error {
	svc, closeDB, err := openService(ctx, dir)
	if err != nil {
		return err
	}
	defer closeDB()
	actor := &cms.User{Name: "Bench", Role: cms.RoleOwner}
	names := []string{"Baby sleep", "Toddler sleep", "Naps", "Night wakings", "Sleep science"}
	var cats []string
	for _, name := range names {
		c, err := svc.CreateCategory(ctx, actor, cms.CategoryInput{Name: &name})
		if err != nil {
			return err
		}
		cats = append(cats, c.ID)
	}
	base := time.Now().AddDate(-3, 0, 0)
	for i := 0; i < n; i++ {
		title := fmt.Sprintf("Sleep note %d: naps, bedtimes and night wakings", i+1)
		body, excerpt := benchBody(i), fmt.Sprintf("Practical sleep advice, part %d.", i+1)
		ids := []string{cats[i%len(cats)], cats[(i+2)%len(cats)]}
		tags := []string{"sleep", fmt.Sprintf("series-%d", i%10)}
		_, err := svc.ImportPost(ctx, actor, cms.PostInput{Title: &title, Body: &body, Excerpt: &excerpt, CategoryIDs: &ids, Tags: &tags},
			cms.StatusPublished, base.Add(time.Duration(i)*time.Hour))
		if err != nil {
			return err
		}
		if (i+1)%100 == 0 {
			fmt.Fprintf(os.Stderr, "  %d/%d\n", i+1, n)
		}
	}
	return nil
}

// seedMedia uploads a generated 2000x3000 photo into the database in dir
// (the same bytes every time, so a second run finds it) and writes its pin
// variant to pinFile. It returns the media id.
func seedMedia(ctx context.Context, dir, pinFile string) (string, error) {
	svc, closeDB, err := openService(ctx, dir)
	if err != nil {
		return "", err
	}
	defer closeDB()
	img := image.NewYCbCr(image.Rect(0, 0, 2000, 3000), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8((i*7 + i/2000*3 + i/17) % 256)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i%200), uint8(128+i%50)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return "", err
	}
	m, err := svc.UploadMedia(ctx, &cms.User{Name: "Bench"}, "bench.jpg", "A bench photo", &buf)
	if err != nil {
		return "", err
	}
	_, pin, err := svc.MediaVariant(ctx, m.ID, "pin")
	if err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "media %s: pin %d bytes\n", m.ID, len(pin))
	return m.ID, os.WriteFile(pinFile, pin, 0o644)
}

// bodyBytes is the size of each seeded post's Markdown: "~8 KB", as long
// as a typical evidence-based post.
const bodyBytes = 8000

// benchBody is bodyBytes of Markdown shaped like a real post: headings,
// paragraphs of prose, a list and a footnote.
func benchBody(i int) string {
	const footnote = "\n[^1]: A general observation, not medical advice.\n"
	var b strings.Builder
	fmt.Fprintf(&b, "Every baby is different, and note %d is no exception: sleep develops over the first years.[^1]\n\n", i+1)
	for s := 0; b.Len() < bodyBytes; s++ {
		fmt.Fprintf(&b, "## What changes in month %d\n\n", s+1)
		b.WriteString("Babies move through lighter and deeper sleep many times a night, and brief wakings between ")
		b.WriteString("cycles are a normal part of how sleep matures. What parents notice is whether a child can drift ")
		b.WriteString("back off on her own, which depends on age, temperament and the way she usually falls asleep at ")
		b.WriteString("bedtime. A short, predictable routine and a bedtime that suits her age help *most* families more ")
		b.WriteString("than any single trick, and changing one thing at a time makes it easier to see what helped.\n\n")
		b.WriteString("Crying is communication, not a sign of failure. Responding calmly and consistently builds trust, ")
		b.WriteString("and over the weeks most children need less help to settle. Keep the room dark, quiet and cool, ")
		b.WriteString("and watch for the early sleepy cues: a glazed stare, rubbing eyes, turning away from play.\n\n")
		b.WriteString("- Keep wake windows age-appropriate\n- Offer the same wind-down every night\n\n")
	}
	text := b.String()[:bodyBytes-len(footnote)]
	text = text[:strings.LastIndexByte(text, ' ')] + "."
	return text + strings.Repeat(" ", bodyBytes-len(footnote)-len(text)) + footnote
}

// The Ghost dialect's requests: what a Ghost theme's index page and post
// page ask for, with a key as Ghost's client sends one.
const (
	ghostBase       = "/ghost/api/content"
	ghostKey        = "0123456789abcdef0123456789"
	ghostIndexPage  = ghostBase + "/posts/?key=" + ghostKey + "&limit=10&include=tags&fields=id,slug,title,excerpt,published_at,url,feature_image,reading_time"
	ghostWholePosts = ghostBase + "/posts/?key=" + ghostKey + "&limit=10&include=tags,authors"
	// ghostClientEncoding is what @tryghost/content-api (axios on Node.js)
	// sends with every request; browsers send as much and more.
	ghostClientEncoding = "Accept-Encoding: gzip, compress, deflate, br"
)

// writeRotateScript writes a wrk script that asks for prefix+slug+suffix,
// rotating over slugs.
func writeRotateScript(path string, slugs []string, prefix, suffix string) error {
	var b strings.Builder
	// Requests are formatted once in init, so the Lua per request is a
	// table lookup and wrk itself stays cheap.
	b.WriteString("local paths = {\n")
	for _, s := range slugs {
		fmt.Fprintf(&b, "  %q,\n", prefix+s+suffix)
	}
	b.WriteString("}\nlocal reqs = {}\nlocal i = 0\n")
	b.WriteString("init = function(args)\n  for k, p in ipairs(paths) do reqs[k] = wrk.format(\"GET\", p) end\nend\n")
	b.WriteString("request = function()\n  i = i + 1\n  return reqs[(i % #reqs) + 1]\nend\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

type wrkResult struct {
	rps      float64
	p50, p99 string
	non2xx   int
}

var (
	rpsRe    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p50Re    = regexp.MustCompile(`\s50%\s+([0-9.]+[a-z]+)`)
	p99Re    = regexp.MustCompile(`\s99%\s+([0-9.]+[a-z]+)`)
	non2xxRe = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
)

func parseWrk(s string) (wrkResult, error) {
	var r wrkResult
	m := rpsRe.FindStringSubmatch(s)
	if m == nil {
		return r, errors.New("no Requests/sec in wrk output")
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := p50Re.FindStringSubmatch(s); m != nil {
		r.p50 = m[1]
	}
	if m := p99Re.FindStringSubmatch(s); m != nil {
		r.p99 = m[1]
	}
	if m := non2xxRe.FindStringSubmatch(s); m != nil {
		r.non2xx, _ = strconv.Atoi(m[1])
	}
	return r, nil
}

// rss returns a process's resident memory in MB, from /proc.
func rss(pid int) float64 { return procMB(pid, "VmRSS:") }

// procMB returns a size in MB from /proc/<pid>/status, e.g. "VmHWM:" (the
// peak resident memory).
func procMB(pid int, field string) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitUp(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if up(url) {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s not up after %s", url, limit)
}

// up reports whether a GET of url answers 200.
func up(url string) bool {
	res, err := http.Get(url)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
	}
}

// workDir makes a temporary folder for a run; cleanup removes it, unless
// keep, when the folder is named on stderr to look into afterwards.
func workDir(prefix string, keep bool) (dir string, cleanup func(), err error) {
	if dir, err = os.MkdirTemp("", prefix); err != nil {
		return "", nil, err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "keeping", dir)
		return dir, func() {}, nil
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
