package readmodel_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// TestGhostBodiesShared: the Ghost dialect makes one body per question
// and snapshot, whatever the spelling of the query string or the address
// of a read, and then finds it by the raw query string; a raw key is a
// copy, so the request's bytes may be reused.
func TestGhostBodiesShared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, rm, svc := mustReadModelService(t)
	owner := cmstest.Owner()
	var posts []*cms.Post
	for i, title := range []string{"Wake windows", "Bedtime routines", "Early rising"} {
		tags := []string{"naps"}
		p, err := svc.ImportPost(ctx, owner, cms.PostInput{Title: &title, Tags: &tags}, cms.StatusPublished, time.Now().Add(-time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	svc.Refresh(ctx)
	snap := rm.Snapshot()

	list := func(raw string, p readmodel.GhostParams) *readmodel.Body {
		t.Helper()
		b, err := snap.GhostList(readmodel.GhostPosts, []byte(raw), p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := list("key=aaaaaaaaaaaaaaaaaaaaaaaaaa&limit=2&include=tags", readmodel.GhostParams{Limit: "2", Include: "tags"})
	raw := []byte("include=tags&limit=2&key=bbbbbbbbbbbbbbbbbbbbbbbbbb")
	if b, err := snap.GhostList(readmodel.GhostPosts, raw, readmodel.GhostParams{Limit: " 2", Include: "tags, "}); err != nil || b != first {
		t.Fatalf("the same question spelt otherwise got another body (%v)", err)
	}
	copy(raw, strings.Repeat("x", len(raw))) // the request's buffer, reused
	if snap.GhostCachedList(readmodel.GhostPosts, []byte("include=tags&limit=2&key=bbbbbbbbbbbbbbbbbbbbbbbbbb")) != first {
		t.Error("the second spelling is not found by its raw query string")
	}
	if snap.GhostCachedList(readmodel.GhostPosts, raw) != nil || snap.GhostCachedList(readmodel.GhostPages, []byte("key=aaaaaaaaaaaaaaaaaaaaaaaaaa&limit=2&include=tags")) != nil {
		t.Error("a raw key matched another query string or resource")
	}
	if other := list("limit=1&include=tags", readmodel.GhostParams{Limit: "1", Include: "tags"}); other == first || other.ETag == first.ETag {
		t.Error("another question got the same body")
	}

	read := func(bySlug bool, key string) *readmodel.Body {
		t.Helper()
		b, err := snap.GhostRead(readmodel.GhostPosts, bySlug, key, []byte("include=tags"), readmodel.GhostParams{Include: "tags"})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bySlug := read(true, posts[1].Slug)
	if read(false, posts[1].ID) != bySlug || read(false, strings.ToUpper(posts[1].ID)) != bySlug {
		t.Error("a post read by id and by slug got two bodies")
	}
	if snap.GhostCachedRead(readmodel.GhostPosts, true, posts[1].Slug, []byte("include=tags")) != bySlug ||
		snap.GhostCachedRead(readmodel.GhostPosts, false, posts[1].Slug, []byte("include=tags")) != nil ||
		snap.GhostCachedRead(readmodel.GhostPosts, true, posts[1].Slug, nil) != nil {
		t.Error("reads are not found by slug, kind and raw query string alone")
	}
	if read(true, posts[2].Slug) == bySlug {
		t.Error("two posts got one body")
	}
}

// TestWPListsShared: the WordPress dialect's lists are made once per
// snapshot for each distinct query, as the Ghost dialect's are.
func TestWPListsShared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, rm, svc := mustReadModelService(t)
	var posts []*cms.Post
	for i, title := range []string{"Wake windows", "Bedtime routines"} {
		p, err := svc.ImportPost(ctx, cmstest.Owner(), cms.PostInput{Title: &title}, cms.StatusPublished, time.Now().Add(-time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	svc.Refresh(ctx)
	snap := rm.Snapshot()
	list := func(raw string, p readmodel.WPParams) *readmodel.WPResult {
		t.Helper()
		res, err := snap.WPList(readmodel.WPPosts, []byte(raw), p)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := list("per_page=1&_embed", readmodel.WPParams{PerPage: "1", Embed: true})
	if list("_embed=1&per_page=01&_=123", readmodel.WPParams{PerPage: "01", Embed: true}) != first {
		t.Error("the same list asked otherwise got another body")
	}
	if snap.WPCached(readmodel.WPPosts, "", []byte("_embed=1&per_page=01&_=123")) != first {
		t.Error("the second spelling is not found by its raw query string")
	}
	for _, p := range []readmodel.WPParams{{PerPage: "1"}, {PerPage: "1", Embed: true, Page: "2"}, {PerPage: "1", Embed: true, Fields: "id"}} {
		if res := list("other", p); res == first || res.Body.ETag == first.Body.ETag {
			t.Errorf("%+v got the body of per_page=1&_embed", p)
		}
	}

	// Reads too: one body per item and question, found by the id and
	// query string as asked.
	id := strconv.FormatInt(snap.WPPostID(posts[0].ID), 10)
	read := func(id, raw string) *readmodel.WPResult {
		t.Helper()
		res, err := snap.WPRead(readmodel.WPPosts, id, []byte(raw), readmodel.WPParams{Fields: "id,title"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one := read(id, "_fields=id,title")
	if read("0"+id, "_fields=title,id&_=1") != one || snap.WPCached(readmodel.WPPosts, "0"+id, []byte("_fields=title,id&_=1")) != one {
		t.Error("a read asked otherwise got another body, or is not found by its raw query string")
	}
	if other := read(strconv.FormatInt(snap.WPPostID(posts[1].ID), 10), "_fields=id,title"); other == one || other.Body.ETag == one.Body.ETag {
		t.Error("two posts got one body")
	}
}

// TestPostHTMLHeldOnce: a post's HTML is held once, however many bodies
// carry it: its body in our API (with related posts), its Ghost body,
// and its WordPress bodies read by id and by slug (a list of one, which
// also shares the read's other bytes).
func TestPostHTMLHeldOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, rm, svc := mustReadModelService(t)
	var posts []*cms.Post
	for i, title := range []string{"Wake windows", "Bedtime routines"} {
		body := strings.Repeat("A baby's wake window grows with age, and so does the nap. ", 40)
		p, err := svc.ImportPost(ctx, cmstest.Owner(), cms.PostInput{Title: &title, Body: &body}, cms.StatusPublished, time.Now().Add(-time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	svc.Refresh(ctx)
	snap := rm.Snapshot()
	ours, _, err := snap.Post(posts[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	var html []byte // the largest part of our body: the HTML
	for _, p := range readmodel.BodyParts(ours) {
		if len(p) > len(html) {
			html = p
		}
	}
	if !strings.HasPrefix(string(html), `"<p>A baby`) {
		t.Fatalf("the largest part of the post's body is not its HTML: %.60s", html)
	}
	ghost, err := snap.GhostRead(readmodel.GhostPosts, true, posts[0].Slug, nil, readmodel.GhostParams{Include: "tags,authors"})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(snap.WPPostID(posts[0].ID), 10)
	byID, err := snap.WPRead(readmodel.WPPosts, id, nil, readmodel.WPParams{Embed: true})
	if err != nil {
		t.Fatal(err)
	}
	bySlug, err := snap.WPList(readmodel.WPPosts, []byte("slug="+posts[0].Slug), readmodel.WPParams{Slug: posts[0].Slug, Embed: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]*readmodel.Body{"Ghost": ghost, "WordPress by id": byID.Body, "WordPress by slug": bySlug.Body} {
		if !slices.ContainsFunc(readmodel.BodyParts(b), func(p []byte) bool { return len(p) > 0 && &p[0] == &html[0] && len(p) == len(html) }) {
			t.Errorf("the %s body holds a copy of the HTML", name)
		}
	}
	if string(bySlug.Body.Bytes()) != "["+string(byID.Body.Bytes())+"]" {
		t.Errorf("the list by slug is not the read by id in brackets:\n%.200s\n%.200s", bySlug.Body.Bytes(), byID.Body.Bytes())
	}
	for _, p := range readmodel.BodyParts(byID.Body) {
		if len(p) >= 256 && !slices.ContainsFunc(readmodel.BodyParts(bySlug.Body), func(q []byte) bool { return len(q) > 0 && &q[0] == &p[0] }) {
			t.Errorf("the list by slug copies a part of the read by id: %.60s", p)
		}
	}
}

// TestDialectFieldsReadBack: the Ghost and WordPress fields of a post
// made from its body read back are those made from the post rendered
// again, for a post with references, footnotes, tags, a category, a
// call to action and an excerpt of its own, and for a plain one.
func TestDialectFieldsReadBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := cmstest.MustService(t)
	owner := cmstest.Owner()
	if _, err := f.Svc.CreateCitation(ctx, owner, cms.Citation{Key: "mindell2005", Type: cms.CiteBook, Title: "Sleeping through the night",
		Authors: []cms.Name{{Family: "Mindell", Given: "Jodi"}}, Year: 2005}); err != nil {
		t.Fatal(err)
	}
	cat, err := f.Svc.CreateCategory(ctx, owner, cms.CategoryInput{Name: ptrTo("Baby sleep")})
	if err != nil {
		t.Fatal(err)
	}
	rich := "Wake windows grow with age [@mindell2005].[^1] \"Drowsy but awake\" & <calm>.\n\n[^1]: A rule of thumb, not a law."
	excerpt := "When to put a baby down for a nap."
	for i, in := range []cms.PostInput{
		{Title: ptrTo("Wake windows"), Body: &rich, Excerpt: &excerpt, Tags: &[]string{"naps", "Wake windows"}, CategoryIDs: &[]string{cat.ID}},
		{Title: ptrTo("Early rising"), Body: ptrTo("Some babies wake at five.")},
	} {
		if _, err := f.Svc.ImportPost(ctx, owner, in, cms.StatusPublished, time.Now().Add(-time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	f.Svc.Refresh(ctx)
	snap := f.Read.Snapshot()
	if snap.PostCount() != 2 {
		t.Fatalf("%d posts published, want 2", snap.PostCount())
	}
	if b, _, err := snap.Post("wake-windows"); err != nil || !strings.Contains(string(b.Bytes()), `"references":[{`) || !strings.Contains(string(b.Bytes()), `"footnotes":[{`) {
		t.Fatalf("the rich post has no references or footnotes (%v)", err)
	}
	if differ := readmodel.DialectFieldsReadBack(snap); len(differ) > 0 {
		t.Errorf("the dialects' fields of %q differ when read back from the body", differ)
	}
}

func ptrTo[T any](v T) *T { return &v }
