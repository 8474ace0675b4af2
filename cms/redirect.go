package cms

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// A post keeps the addresses it answered at before, so that links already
// shared (Pinterest pins, search results, other blogs) keep working: its
// old slugs, recorded whenever the slug of a post that has been published
// changes, and the old URL paths of the site it came from, recorded by an
// import. They live on the post document itself (Post.Redirects), not in
// a collection of their own: a save stays one document write (there are
// no transactions), deleting a post drops its redirects with it, an
// export carries them with the post, and the read model, which already
// reads every published post in one scan, builds its redirect map from
// what it reads anyway.
//
// Two posts may claim the same old address (one left a slug, a second took
// it and left it too). Nothing writes to the other post to settle it; the
// read model does, the same way on every instance: a live slug wins over
// any old one, and between old claims the newest (Redirect.Since) wins.

// Limits on a post's old addresses.
const (
	MaxRedirects       = 50   // old addresses kept per post; a rename drops the oldest past it
	MaxRedirectPathLen = 1000 // bytes of an old path, percent-encoded, with its query
)

// Redirect is an address a post answered at before, which now redirects
// to it (301).
type Redirect struct {
	// From is an old slug ("toddler-wakes-early"), as the API's
	// /posts/{slug} takes it, or an old URL path of the site, starting
	// with "/" and with its query if it had one
	// ("/2024/03/toddler-early-waking/", "/?p=101").
	From string `json:"from"`
	// Since is when the post left the address (or an import or an edit
	// gave it): between two posts claiming one address, the newer wins.
	Since time.Time `json:"since"`
}

// IsPath reports whether r is an old URL path rather than an old slug.
func (r Redirect) IsPath() bool { return strings.HasPrefix(r.From, "/") }

// NormaliseRedirect returns the stored form of an old address: a slug
// as it is, a path with its percent-encoding made canonical (upper-case
// hex, nothing escaped that need not be) and its query kept. ok is false
// when s is neither; RedirectProblem says why.
func NormaliseRedirect(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if RedirectProblem(s) != "" {
		return s, false
	}
	if !strings.HasPrefix(s, "/") {
		return s, true
	}
	u, _ := url.Parse(s) // RedirectProblem parsed it
	out := (&url.URL{Path: u.Path}).EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out, len(out) <= MaxRedirectPathLen
}

// RedirectProblem returns why s cannot be an old address, or "".
func RedirectProblem(s string) string {
	if !strings.HasPrefix(s, "/") {
		if msg := slugProblem(s); msg != "" {
			return "Each old address is an old slug (lower-case letters, digits and single hyphens) or a path starting with / (e.g. /2024/03/early-waking/)."
		}
		return ""
	}
	switch {
	case len(s) > MaxRedirectPathLen:
		return "Each old path must be at most 1000 characters."
	case strings.HasPrefix(s, "//"):
		return "Give the path only, without the site's name (e.g. /2024/03/early-waking/)."
	case strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "An old path cannot contain spaces or control characters."
	case strings.Contains(s, "#"):
		return "An old path cannot have a #fragment: browsers never send it."
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "Give the path only, without the site's name (e.g. /2024/03/early-waking/)."
	}
	if u.Path == "/" && u.RawQuery == "" {
		return "The home page cannot redirect to a post."
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return "An old path cannot contain . or .. segments."
		}
	}
	return ""
}

// setRedirects replaces p's old addresses with the given ones (normalised,
// without repeats or the post's own slug); one it had already keeps its
// Since, a new one gets now. An entry that is not a valid address is kept
// as given, for Validate to name.
func (p *Post) setRedirects(given []string, now time.Time) {
	had := make(map[string]time.Time, len(p.Redirects))
	for _, r := range p.Redirects {
		had[r.From] = r.Since
	}
	seen := make(map[string]bool, len(given))
	out := make([]Redirect, 0, len(given))
	for _, s := range given {
		from, _ := NormaliseRedirect(s)
		if from == "" || seen[from] || from == p.Slug {
			continue
		}
		seen[from] = true
		since, ok := had[from]
		if !ok {
			since = now
		}
		out = append(out, Redirect{From: from, Since: since})
	}
	p.Redirects = out
}

// importRedirects sets the old addresses an import found: its paths
// replace the post's old paths (a re-run of the import brings no
// duplicates and drops what the export no longer has), its slugs join
// the post's old slugs. Past MaxRedirects the first ones given are kept.
func (p *Post) importRedirects(given []string, now time.Time) {
	var keep []string
	for _, r := range p.Redirects {
		if !r.IsPath() {
			keep = append(keep, r.From)
		}
	}
	all := append(slices.Clone(given), keep...)
	p.setRedirects(all, now)
	if len(p.Redirects) > MaxRedirects {
		p.Redirects = p.Redirects[:MaxRedirects]
	}
}

// leaveSlug records old, the slug p had before this save, as an old slug
// when the post has been published (readers may have its links), and
// drops p's current slug from its old addresses. Past MaxRedirects the
// oldest go.
func (p *Post) leaveSlug(old string, now time.Time) {
	if old == p.Slug {
		return
	}
	p.Redirects = slices.DeleteFunc(p.Redirects, func(r Redirect) bool { return r.From == p.Slug || r.From == old })
	if !p.PublishedAt.IsZero() && old != "" {
		p.Redirects = append(p.Redirects, Redirect{From: old, Since: now})
	}
	if extra := len(p.Redirects) - MaxRedirects; extra > 0 {
		slices.SortStableFunc(p.Redirects, func(a, b Redirect) int { return a.Since.Compare(b.Since) })
		p.Redirects = slices.Clone(p.Redirects[extra:])
	}
}

// validateRedirects adds the problems of p's old addresses to pr.
func (p *Post) validateRedirects(pr Problems) {
	if len(p.Redirects) > MaxRedirects {
		pr.Add("redirects", "A post can keep at most 50 old addresses.")
	}
	for _, r := range p.Redirects {
		if msg := RedirectProblem(r.From); msg != "" {
			pr.Add("redirects", msg)
		}
	}
}
