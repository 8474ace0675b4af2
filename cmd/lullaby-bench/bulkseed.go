package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// bulkBatch is how many posts seedBulk inserts with one command per set.
const bulkBatch = 500

// seedBulk writes n published posts into a fresh embedded database in dir
// as seed does, fast: the first post is made through the service, the
// others are copies of its stored documents (the post, its body and its
// revision) with the number, slug, publication time, categories and tags
// that seed gives post i, inserted in batches (mongodb.DB.LoadMany). What
// the server reads is the same as after seed, but each post's Markdown
// and HTML differ from the first's only in its number. Through the
// service a post takes about 16 ms to save, so 50,000 would take a quarter
// of an hour.
func seedBulk(ctx context.Context, dir string, n int) error {
	if err := seed(ctx, dir, min(n, 1)); err != nil || n <= 1 {
		return err
	}
	db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	one := func(set string) (string, error) {
		var line string
		_, err := db.Dump(ctx, set, cms.DumpOptions{}, func(b []byte) error { line = string(b); return nil })
		return line, err
	}
	var cats []string
	if _, err := db.Dump(ctx, "categories", cms.DumpOptions{}, func(b []byte) error {
		cats = append(cats, jsonMember(string(b), `"_id":{"$oid":"`))
		return nil
	}); err != nil {
		return err
	}
	post, err := one("posts")
	if err != nil {
		return err
	}
	templates := map[string]string{"posts": post}
	for _, set := range []string{"post_bodies", "post_revisions"} {
		if templates[set], err = one(set); err != nil {
			return err
		}
	}
	postID, contentID := jsonMember(post, `"_id":{"$oid":"`), jsonMember(post, `"contentId":{"$oid":"`)
	published := jsonMember(post, `"publishedAt":{"$date":{"$numberLong":"`)
	catIDs := jsonMember(post, `"categoryIds":[`)
	if postID == "" || contentID == "" || published == "" || catIDs == "" || len(cats) < 5 {
		return fmt.Errorf("the seeded post's documents are not as expected: %.300s", post)
	}
	// seed's post i (from 0) is published at base + i hours, in categories
	// i and i+2 (of five, in the order made, which is id order) and tagged
	// series-(i%10).
	base, _ := strconv.ParseInt(published, 10, 64)
	lines := map[string][][]byte{}
	flush := func() error {
		for _, set := range []string{"posts", "post_bodies", "post_revisions"} {
			if err := db.LoadMany(ctx, set, lines[set]); err != nil {
				return err
			}
			lines[set] = lines[set][:0]
		}
		return nil
	}
	start := time.Now()
	for i := 1; i < n; i++ {
		r := strings.NewReplacer(
			postID, fmt.Sprintf("ffffffff%016x", 2*i), contentID, fmt.Sprintf("ffffffff%016x", 2*i+1),
			"Sleep note 1:", fmt.Sprintf("Sleep note %d:", i+1), "sleep note 1:", fmt.Sprintf("sleep note %d:", i+1),
			"sleep-note-1-", fmt.Sprintf("sleep-note-%d-", i+1), "part 1.", fmt.Sprintf("part %d.", i+1), "note 1 is", fmt.Sprintf("note %d is", i+1),
			`"$numberLong":"`+published+`"`, `"$numberLong":"`+strconv.FormatInt(base+int64(i)*int64(time.Hour/time.Millisecond), 10)+`"`,
			`"categoryIds":[`+catIDs, `"categoryIds":["`+cats[i%5]+`","`+cats[(i+2)%5]+`"]`,
			`"series-0"`, fmt.Sprintf(`"series-%d"`, i%10))
		for set, t := range templates {
			lines[set] = append(lines[set], []byte(r.Replace(t)))
		}
		if i%bulkBatch == 0 || i == n-1 {
			if err := flush(); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "  %d/%d (%s)\n", i+1, n, time.Since(start).Round(time.Second))
		}
	}
	return nil
}

// jsonMember returns what follows prefix in the JSON text s, up to the
// next quote or, after "[", the closing bracket; "" when s has no prefix.
func jsonMember(s, prefix string) string {
	_, rest, ok := strings.Cut(s, prefix)
	if !ok {
		return ""
	}
	end := `"`
	if strings.HasSuffix(prefix, "[") {
		end = "]"
	}
	v, _, _ := strings.Cut(rest, end)
	if end == "]" {
		v += "]"
	}
	return v
}
