// Package wpimport maps a WordPress export, as cms/wordpress reads it, onto
// Lullaby's posts and categories. It is the one place that knows both
// sides; the reader knows nothing of Lullaby and the domain nothing of
// WordPress.
//
// What maps to what:
//   - posts become posts; pages become posts in a "Pages" category.
//     Lullaby has one kind of content, with one public API, feed, search
//     and sitemap: a page as a post in its own category keeps its slug and
//     URL, shows up where her posts do and can be taken out of lists by
//     its category, without a second content type for a handful of pages;
//   - statuses: publish -> published at its date, future -> scheduled at
//     its date (a date that has passed -> draft, reported), draft and
//     pending -> draft, private and password-protected -> draft
//     (reported: Lullaby has neither), trash and auto-draft -> skipped
//     (reported), an unknown status -> draft (reported);
//   - what Lullaby's limits refuse is made to fit and reported (fit.go):
//     HTML out of titles, a missing title from the body's first words,
//     the first 30 tags and 20 categories, long fields cut;
//   - dates from post_date_gmt, else post_date, else the item's RSS
//     pubDate (reported);
//   - categories by slug, created when missing; Lullaby's categories are
//     flat, so a nested category keeps its own (leaf) name and its
//     parents are reported; tags by name;
//   - SEO title and description (Yoast, Rank Math) into the SEO fields;
//     sticky posts onto the Featured list; the author is the importing
//     user;
//   - images (see images.go): the featured image becomes the cover, every
//     image a post uses goes into the media library once, from a copy of
//     the uploads folder or downloaded by URL when allowed, body URLs are
//     rewritten to the media's, and the Pinterest plugins' meta and the
//     body's data-pin-* attributes become pins; attachment items are not
//     imported on their own (an unused image stays behind), nor are menu
//     items, reusable blocks and the rest: they are counted and skipped.
//   - the item's old URL paths (its link, the link with each old slug,
//     ?p=ID) and its old slugs (_wp_old_slug) into the post's old
//     addresses, which answer 301 to it; a re-run replaces the paths.
//
// Each item is one save (cms.Import.Save) matched by its source,
// "wordpress:<base site URL>:<id>" (by guid or link for an item whose id
// was lost), so running the import again updates the posts it made
// instead of adding new ones. Which sources are in is read once, when the
// import starts, and readers are told about the saves every few seconds
// and at the end, not after each one.
package wpimport

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/netguard"
	"github.com/lullabycms/lullaby/cms/wordpress"
)

// PagesCategory is the category pages are filed under.
const PagesCategory = "pages"

// Options are the settings of one import.
type Options struct {
	// DryRun reads and maps everything and writes nothing.
	DryRun bool
	// Actor is the importing user: the author of every post.
	Actor *cms.User
	// Progress, when set, is told about each item as it is done.
	Progress func(line string)
	// Step, when set, is told after each item of the export (of any type,
	// skipped ones included) how many are done of all the export holds.
	Step func(done, total int)
	// Uploads is a copy of the site's wp-content/uploads folder, where the
	// images are read from ("" for none).
	Uploads string
	// Download fetches the images that are not in Uploads by their URL,
	// through Guard: only over http(s), never from private addresses.
	Download bool
	// Guard makes the downloads (nil: one that refuses private addresses,
	// with the media upload limit). Tests give one that allows them.
	Guard *netguard.Guard
	// Now is the clock that decides whether a scheduled date has passed
	// (time.Now when nil).
	Now func() time.Time
}

// Import reads the export that open opens, twice (see Opener), and saves
// each post and page as one domain operation. It returns the report also when reading stops early
// (a truncated or malformed export): the items before the cut are in,
// and the error says where it stopped. An item that fails is skipped and
// reported; the others go on.
func Import(ctx context.Context, svc *cms.Service, open Opener, opt Options) (*Report, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Actor == nil {
		return nil, errors.New("wpimport: no importing user")
	}
	atts, err := index(ctx, open)
	if err != nil {
		return nil, err
	}
	rc, err := open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	rd, err := wordpress.NewReader(rc, wordpress.Options{})
	if err != nil {
		return nil, err
	}
	root, err := openUploads(opt.Uploads)
	if err != nil {
		return nil, err
	}
	if root != nil {
		defer root.Close()
	}
	im := &importer{svc: svc, opt: opt, site: rd.Site(), rep: newReport(opt.DryRun), cats: map[string]string{}, atts: atts,
		root: root, done: map[string]mediaResult{}}
	if opt.Download {
		im.guard = opt.Guard
		if im.guard == nil {
			im.guard = netguard.New(netguard.Options{MaxBytes: svc.MaxUploadBytes()})
		}
	}
	if err := im.loadCategories(ctx); err != nil {
		return nil, err
	}
	if im.run, err = svc.StartImport(ctx, opt.Actor); err != nil {
		return nil, err
	}
	// What was saved is announced also when the import stops early.
	defer im.run.Refresh(context.WithoutCancel(ctx))
	done := 0
	step := func() {
		if done++; opt.Step != nil {
			opt.Step(done, max(done, atts.items))
		}
	}
	for it, err := range rd.Items() {
		if ctx.Err() != nil {
			return im.rep, ctx.Err()
		}
		var ie *wordpress.ItemError
		switch {
		case errors.As(err, &ie):
			im.rep.count(typeOf(it))
			im.rep.skip(ie.ID, ie.Title, ie.Error())
			step()
			continue
		case err != nil:
			im.rep.Stopped = fmt.Sprintf("%v, after %d items: nothing after that was read", err, rd.Stats().Items)
			return im.rep, err
		}
		im.item(ctx, it)
		step()
	}
	return im.rep, nil
}

type importer struct {
	svc   *cms.Service
	run   *cms.Import // the saves, and which sources are in
	opt   Options
	site  *wordpress.Site
	rep   *Report
	cats  map[string]string      // slug -> category id ("" in a dry run for new ones)
	atts  *attachments           // the export's attachments, from the first pass
	root  *os.Root               // the uploads folder, or nil
	guard *netguard.Guard        // downloads, or nil when they are off
	done  map[string]mediaResult // the images brought over in this run
	seen  map[string]bool        // categories already reported
}

func typeOf(it *wordpress.Item) string {
	if it == nil || it.Type == "" {
		return "other"
	}
	return it.Type
}

func (im *importer) loadCategories(ctx context.Context) error {
	cs, err := im.svc.ListCategories(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		im.cats[c.Slug] = c.ID
	}
	return nil
}

// source names an item for re-runs: by its WordPress id, or, in an
// export edited by hand that lost the ids, by its guid or link (all such
// items would otherwise be one post, each saved over the one before); ok
// is false when the item has none of them.
func (im *importer) source(it *wordpress.Item) (src string, ok bool) {
	base := im.site.BaseSiteURL
	if base == "" {
		base = im.site.Link
	}
	base = "wordpress:" + strings.TrimRight(base, "/") + ":"
	switch {
	case it.ID > 0:
		return base + strconv.FormatInt(it.ID, 10), true
	case it.GUID != "":
		return base + "guid:" + it.GUID, true
	case it.Link != "":
		return base + "link:" + it.Link, true
	}
	return "", false
}

// item maps and saves one item of the export.
func (im *importer) item(ctx context.Context, it *wordpress.Item) {
	typ := typeOf(it)
	im.rep.count(typ)
	im.rep.Comments += it.Comments
	if typ != "post" && typ != "page" {
		im.rep.skipType(typ)
		return
	}
	for _, n := range it.Notes {
		if !strings.HasPrefix(n, "unknown status") { // status says what became of it
			im.rep.note(it.ID, it.Title, n)
		}
	}
	src, ok := im.source(it)
	if !ok {
		im.rep.skip(it.ID, it.Title, "no wp:post_id, guid or link: it could not be told apart from the others nor matched on a re-run")
		return
	}
	in, publishedAt, ok := im.status(it)
	if !ok {
		return
	}
	title, excerpt := im.title(it), excerptOf(it)
	body := it.Body.Markdown
	in.Title, in.Excerpt, in.Body = &title, &excerpt, &body
	if slug := strings.TrimSpace(it.Slug); slug != "" {
		if s := cms.Slugify(slug); s != slug {
			im.rep.note(it.ID, it.Title, fmt.Sprintf("slug %q became %q", slug, s))
			slug = s
		}
		in.Slug = &slug
	}
	cats, err := im.categories(ctx, it)
	if err != nil {
		im.rep.skip(it.ID, it.Title, "category: "+cms.ErrorMessage(err))
		return
	}
	cats = im.fitCategories(it, cats)
	in.CategoryIDs = &cats
	tags := im.tags(it)
	in.Tags = &tags
	if seoTitle, seoDesc := im.seo(it); seoTitle != "" || seoDesc != "" {
		in.SEOTitle, in.SEODescription = &seoTitle, &seoDesc
	}
	for _, v := range it.SEO.Unresolved {
		im.rep.note(it.ID, it.Title, "SEO variable "+v+" left as written")
	}
	if it.Sticky {
		on := true
		in.Featured = &on
	}
	for _, l := range it.Body.Lossy {
		im.rep.note(it.ID, it.Title, "body: "+l)
	}
	im.images(ctx, it, &in)
	in.ImportRedirects(im.oldAddresses(it))
	im.save(ctx, it, src, in, publishedAt)
}

// oldAddresses lists where the item answered on the old site, for the
// post to redirect from: its old URL paths (its link, with its old slugs
// in place of its slug, and ?p=ID), then its old slugs (_wp_old_slug) as
// Lullaby spells slugs, so that /api/v1/posts/{old slug} answers too.
// One that cannot be an old address (the home page, say) is reported
// and left out, and so are those past cms.MaxRedirects.
func (im *importer) oldAddresses(it *wordpress.Item) []string {
	all := slices.Clone(it.OldPaths)
	for _, old := range it.Meta["_wp_old_slug"] {
		if u, err := url.PathUnescape(strings.TrimSpace(old)); err == nil {
			if s := cms.Slugify(u); s != "" {
				all = append(all, s)
			}
		}
	}
	out := make([]string, 0, len(all))
	for _, a := range all {
		switch msg := cms.RedirectProblem(a); {
		case msg != "":
			im.rep.note(it.ID, it.Title, fmt.Sprintf("old address %q not kept: %s", a, msg))
		case len(out) == cms.MaxRedirects:
			im.rep.note(it.ID, it.Title, fmt.Sprintf("old address %q not kept: a post keeps at most %d", a, cms.MaxRedirects))
		default:
			out = append(out, a)
		}
	}
	return out
}

// status maps the item's status onto in; ok is false for a skipped item.
func (im *importer) status(it *wordpress.Item) (in cms.PostInput, publishedAt time.Time, ok bool) {
	date := it.DateGMT
	if date.IsZero() {
		date = it.Date
	}
	if date.IsZero() && !it.PubDate.IsZero() && it.Status != wordpress.StatusDraft && it.Status != wordpress.StatusPending {
		// Both dates unreadable: the feed's date of the item is the
		// same moment, rather than the time of the import.
		date = it.PubDate.UTC()
		im.rep.note(it.ID, it.Title, "dated by its pubDate, "+date.Format(time.RFC3339))
	}
	set := func(s cms.PostStatus) { in.Status = &s }
	if it.Password != "" && (it.Status == wordpress.StatusPublish || it.Status == wordpress.StatusFuture) {
		// On WordPress only those given the password read it; published
		// here, everyone would.
		set(cms.StatusDraft)
		im.rep.note(it.ID, it.Title, "password-protected: imported as a draft (Lullaby has no password-protected posts)")
		return in, publishedAt, true
	}
	switch it.Status {
	case wordpress.StatusPublish:
		set(cms.StatusPublished)
		publishedAt = date
	case wordpress.StatusFuture:
		if date.After(im.opt.Now()) {
			set(cms.StatusScheduled)
			in.PublishAt = &date
		} else {
			set(cms.StatusDraft)
			im.rep.note(it.ID, it.Title, "scheduled for "+date.UTC().Format(time.RFC3339)+", which has passed: imported as a draft")
		}
	case wordpress.StatusDraft:
		set(cms.StatusDraft)
	case wordpress.StatusPending:
		set(cms.StatusDraft)
		im.rep.note(it.ID, it.Title, "pending review: imported as a draft")
	case wordpress.StatusPrivate:
		set(cms.StatusDraft)
		im.rep.note(it.ID, it.Title, "private: imported as a draft (Lullaby has no private posts)")
	case wordpress.StatusTrash, wordpress.StatusAuto, wordpress.StatusInherit:
		im.rep.skip(it.ID, it.Title, "status "+string(it.Status))
		return in, publishedAt, false
	default:
		set(cms.StatusDraft)
		im.rep.note(it.ID, it.Title, "unknown status "+strconv.Quote(string(it.Status))+": imported as a draft")
	}
	return in, publishedAt, true
}

// categories returns the ids of the item's categories, creating missing
// ones (not in a dry run), and the "Pages" category for a page.
func (im *importer) categories(ctx context.Context, it *wordpress.Item) ([]string, error) {
	var ids []string
	add := func(slug, name string) error {
		id, ok := im.cats[slug]
		if !ok {
			im.rep.Categories++
			if !im.opt.DryRun {
				c, err := im.svc.CreateCategory(ctx, im.opt.Actor, cms.CategoryInput{Name: &name, Slug: &slug})
				if err != nil {
					return err
				}
				id = c.ID
			}
			im.cats[slug] = id
		}
		if id != "" {
			ids = append(ids, id)
		}
		return nil
	}
	if it.Type == "page" {
		if err := add(PagesCategory, "Pages"); err != nil {
			return nil, err
		}
	}
	for _, t := range it.Categories() {
		slug := cms.Slugify(t.Nicename)
		if slug == "" {
			slug = cms.Slugify(t.Name)
		}
		if slug == "uncategorized" || slug == "" {
			continue // WordPress's default, which Lullaby does not need
		}
		if path := im.site.CategoryPath(t.Nicename); len(path) > 1 && !im.seenCategory(slug) {
			names := make([]string, len(path))
			for i, c := range path {
				names[i] = c.Name
			}
			im.rep.Flattened = append(im.rep.Flattened, fmt.Sprintf("%s (under %s)", t.Name, strings.Join(names[:len(names)-1], " › ")))
		}
		if err := add(slug, t.Name); err != nil {
			return nil, err
		}
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}

func (im *importer) seenCategory(slug string) bool {
	if im.seen == nil {
		im.seen = map[string]bool{}
	}
	was := im.seen[slug]
	im.seen[slug] = true
	return was
}

// save makes the item's one save, retrying once without what a full list
// or a taken slug refused.
func (im *importer) save(ctx context.Context, it *wordpress.Item, src string, in cms.PostInput, publishedAt time.Time) {
	if im.opt.DryRun {
		im.rep.done(it, !im.run.Has(src))
		return
	}
	p, created, err := im.run.Save(ctx, src, publishedAt, in)
	if err != nil && in.Featured != nil && cms.ErrorFields(err)["featured"] != "" {
		im.rep.note(it.ID, it.Title, "sticky, but the Featured list is full: not featured")
		in.Featured = nil
		p, created, err = im.run.Save(ctx, src, publishedAt, in)
	}
	if err != nil && in.Slug != nil && cms.ErrorFields(err)["slug"] != "" {
		slug := *in.Slug + "-" + strconv.FormatInt(it.ID, 10)
		im.rep.note(it.ID, it.Title, fmt.Sprintf("slug %q is taken: saved as %q", *in.Slug, slug))
		in.Slug = &slug
		p, created, err = im.run.Save(ctx, src, publishedAt, in)
	}
	if err != nil {
		im.rep.skip(it.ID, it.Title, describe(err))
		return
	}
	im.rep.done(it, created)
	if im.opt.Progress != nil {
		verb := "updated"
		if created {
			verb = "created"
		}
		im.opt.Progress(fmt.Sprintf("%s %s %d %q as /%s (%s)", verb, it.Type, it.ID, p.Title, p.Slug, p.Status))
	}
}

// describe is a domain error with its fields, on one line.
func describe(err error) string {
	msg := cms.ErrorMessage(err)
	for k, v := range cms.ErrorFields(err) {
		msg += "; " + k + ": " + v
	}
	return msg
}

// plainExcerpt turns WordPress's excerpt (HTML) into Lullaby's plain one.
func plainExcerpt(html string) string {
	s := strings.Join(strings.Fields(textOf(html)), " ")
	if utf8.RuneCountInString(s) > cms.MaxExcerptLen {
		s = string([]rune(s)[:cms.MaxExcerptLen-1]) + "…"
	}
	return s
}
