package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Bytes weigh: on loopback, with wrk on the same two cores, a 20 KB body
// is answered at a fraction of the rate of a 3 KB one by any server, so
// "% of the constant 3 KB handler" mixes what a handler costs with what
// its body costs. With -matched (the default), each endpoint is also run
// against a constant Fiber handler sending that endpoint's own bytes,
// right after it, and the table gives the endpoint's rate as a share of
// that: what is left is the handler, the middleware and the lookups.

// sameSize is the second constant server, serving each case's sample.
type sameSize struct {
	addr string
	cmd  *exec.Cmd
}

// startSameSize fetches from base the sample of each case (path and the
// header the case sends; a case with no path gets none), writes them into
// dir/same and starts a constant server over them.
func startSameSize(dir, self, base string, paths, headers []string) (*sameSize, error) {
	folder := filepath.Join(dir, "same")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil, err
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for i, p := range paths {
		if p == "" {
			continue
		}
		b, err := fetchSample(client, base+p, headers[i])
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(folder, strconv.Itoa(i)), b, 0o644); err != nil {
			return nil, err
		}
	}
	s := &sameSize{addr: freeAddr()}
	s.cmd = exec.Command(self, "constant-server", s.addr, folder)
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitUp("http://"+s.addr+"/"+strconv.Itoa(len(paths)-1), 10*time.Second); err != nil {
		stop(s.cmd)
		return nil, err
	}
	return s, nil
}

// url is where the sample of case i is served.
func (s *sameSize) url(i int) string { return "http://" + s.addr + "/" + strconv.Itoa(i) }

// fetchSample returns the bytes url answers, as sent (not decompressed),
// to a request with header ("Name: value", or "").
func fetchSample(client *http.Client, url, header string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if name, value, ok := strings.Cut(header, ":"); ok {
		req.Header.Set(name, strings.TrimSpace(value))
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("sample %s: %s", url, res.Status)
	}
	return io.ReadAll(res.Body)
}

// sameSizeServer serves each file of folder at /<name>, as a constant.
func sameSizeServer(app *fiber.App, addr, folder string) error {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return errors.New("no samples in " + folder)
	}
	for _, e := range entries {
		body, err := os.ReadFile(filepath.Join(folder, e.Name()))
		if err != nil {
			return err
		}
		app.Get("/"+e.Name(), func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
			return c.Send(body)
		})
	}
	return app.Listen(addr)
}

// runWrk runs wrk with args, and a script and a header when given,
// against url.
func runWrk(ctx context.Context, wrk string, args []string, script, header, url string) (wrkResult, error) {
	a := append([]string{}, args...)
	if script != "" {
		a = append(a, "-s", script)
	}
	if header != "" {
		a = append(a, "-H", header)
	}
	a = append(a, url)
	fmt.Fprintf(os.Stderr, "wrk %s\n", strings.Join(a, " "))
	out, err := exec.CommandContext(ctx, wrk, a...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	r, err := parseWrk(string(out))
	if err != nil {
		return r, fmt.Errorf("%v\n%s", err, out)
	}
	return r, nil
}

// sampleKB is the size of case i's sample in dir, in KB.
func sampleKB(dir string, i int) float64 {
	st, err := os.Stat(filepath.Join(dir, "same", strconv.Itoa(i)))
	if err != nil {
		return 0
	}
	return float64(st.Size()) / 1024
}
