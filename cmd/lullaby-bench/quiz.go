package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// With -quiz, lullaby-bench measures POST /api/v1/quizzes/nap-quiz/answers,
// the Nap Quiz's evaluation, answered from memory. The server trusts
// X-Forwarded-For from 127.0.0.1 (as with -beacon), so that one wrk can
// play many readers:
//
//   - rotating readers: the same fixed JSON answers from 100,000 client
//     addresses, each well under its rate limit of 30 a minute at up to
//     about 200,000 requests/s (the answers are counted);
//   - a fixed client: one address, rate-limited after
//     cms.DefaultQuizRate answers a minute (the rest are 429s, reported
//     as non-2xx).
//
// After the runs the server is stopped (which flushes the counted
// results) and the counts stored in quiz_results are summed.

// quizBody is the answers every request posts.
const quizBody = `{"ageValue":8,"ageUnit":"months","bedtime":"19:30","wakeTime":"06:45","naps":2,"napMinutes":150,"nightWakings":1,"nightAwakeMinutes":20}`

// quizScripts writes the wrk scripts of the two quiz cases into dir.
func quizScripts(dir string) (rotating, fixed string, err error) {
	common := fmt.Sprintf("wrk.method = \"POST\"\nwrk.path = \"/api/v1/quizzes/%s/answers\"\nwrk.body = %q\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.headers[\"User-Agent\"] = %q\n",
		cms.NapQuizSlug, quizBody, benchUA)
	fixed = filepath.Join(dir, "quiz-fixed.lua")
	if err = os.WriteFile(fixed, []byte(common+"wrk.headers[\"X-Forwarded-For\"] = \"203.0.113.20\"\n"), 0o644); err != nil {
		return "", "", err
	}
	rotating = filepath.Join(dir, "quiz-rotating.lua")
	s := common + `local reqs = {}
local i = 0
init = function(args)
  for k = 1, 100000 do
    local ip = "10." .. (k % 250) .. "." .. (math.floor(k / 250) % 250) .. "." .. (math.floor(k / 62500) + 1)
    reqs[k] = wrk.format(nil, nil, {["X-Forwarded-For"] = ip})
  end
end
request = function()
  i = i + 1
  return reqs[(i % #reqs) + 1]
end
`
	return rotating, fixed, os.WriteFile(rotating, []byte(s), 0o644)
}

// storedQuizResults sums the counts in quiz_results of the (stopped)
// server's embedded database in dir.
func storedQuizResults(ctx context.Context, dir string) (int64, error) {
	db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return 0, err
	}
	defer db.Close(context.Background())
	counts, err := db.QuizResultCounts(ctx, cms.NapQuizSlug, "")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, c := range counts {
		n += c.Count
	}
	return n, nil
}
