package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/lullabycms/lullaby/cms/mongodb"
)

// With -beacon, lullaby-bench measures POST /api/v1/posts/{slug}/views,
// the read beacon. The server trusts X-Forwarded-For from 127.0.0.1
// (LULLABY_TRUSTED_PROXIES), so that one wrk can play many readers:
//
//   - a fixed client: one address, one user agent, one post (the path of
//     a repeat reader: counted once, then deduplicated and rate-limited);
//   - rotating readers: 20,000 distinct (address, user agent, post)
//     triples over every published post.
//
// After the runs the server is stopped (which flushes the counted views)
// and the views stored in post_views are summed: at most one per distinct
// reader per post, and the writes are one $inc per post and day per flush,
// never one per view.

// beaconServerFlags are the extra server flags of -beacon.
func beaconServerFlags() []string { return []string{"--trusted-proxies", "127.0.0.1"} }

const benchUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

// beaconScripts writes the wrk scripts of the two beacon cases into dir.
func beaconScripts(dir string, slugs []string) (fixed, rotating string, err error) {
	fixed = filepath.Join(dir, "beacon-fixed.lua")
	s := fmt.Sprintf("wrk.method = \"POST\"\nwrk.path = %q\nwrk.headers[\"User-Agent\"] = %q\nwrk.headers[\"X-Forwarded-For\"] = \"203.0.113.10\"\n",
		"/api/v1/posts/"+slugs[0]+"/views", benchUA)
	if err = os.WriteFile(fixed, []byte(s), 0o644); err != nil {
		return "", "", err
	}
	var b strings.Builder
	b.WriteString("local slugs = {\n")
	for _, s := range slugs {
		fmt.Fprintf(&b, "  %q,\n", s)
	}
	b.WriteString("}\n")
	b.WriteString(`local uas = {
  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
}
local reqs = {}
local i = 0
init = function(args)
  for k = 1, 20000 do
    local ip = "10." .. (k % 250) .. "." .. (math.floor(k / 250) % 250) .. "." .. (k % 7 + 1)
    local hdr = {["User-Agent"] = uas[k % #uas + 1], ["X-Forwarded-For"] = ip}
    reqs[k] = wrk.format("POST", "/api/v1/posts/" .. slugs[k % #slugs + 1] .. "/views", hdr)
  end
end
request = function()
  i = i + 1
  return reqs[(i % #reqs) + 1]
end
`)
	rotating = filepath.Join(dir, "beacon-rotating.lua")
	return fixed, rotating, os.WriteFile(rotating, []byte(b.String()), 0o644)
}

// storedViews sums the views in post_views of the (stopped) server's
// embedded database in dir, and counts the buckets.
func storedViews(ctx context.Context, dir string) (views int64, buckets int, err error) {
	db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close(context.Background())
	totals, err := db.ViewTotals(ctx, "")
	if err != nil {
		return 0, 0, err
	}
	for _, n := range totals {
		views += n
		buckets++
	}
	return views, buckets, nil
}
