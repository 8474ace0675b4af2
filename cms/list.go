package cms

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Reserved list slugs. "featured" always exists; "popular" holds the pins
// and exclusions of the computed popular list and is not a curated list.
const (
	FeaturedSlug = "featured"
	PopularSlug  = "popular"
)

// Limits of lists.
const (
	MaxListEntries = 200
	MaxLists       = 100
	MaxListNameLen = 100
)

// List is a named, hand-ordered list of posts ("Featured", "Start here").
// Entries keep their place whatever the state of their post: the public
// API leaves out those whose post is not published or whose time window
// is not open, and shows them again when it is.
type List struct {
	ID      string      `json:"id"`
	Slug    string      `json:"slug"`
	Name    string      `json:"name"`
	Entries []ListEntry `json:"entries"` // in her order; never nil
	// Excluded are posts kept out of the popular list (the "popular"
	// document only); its Entries are the pinned posts.
	Excluded []string `json:"excluded,omitempty"`
	// Pending are the featured list's changes made by saves of posts
	// that may not have committed yet (featured.go); readers see the
	// list through SettleFeatured.
	Pending   []PendingFeature `json:"-"`
	Version   int              `json:"version"`
	CreatedAt time.Time        `json:"createdAt"`
	UpdatedAt time.Time        `json:"updatedAt"`
}

// ListEntry is one post of a list, shown between Start and End when set.
type ListEntry struct {
	PostID string    `json:"postId"`
	Start  time.Time `json:"start,omitzero"` // zero: from now on
	End    time.Time `json:"end,omitzero"`   // zero: for good
}

// Open reports whether the entry's time window includes t.
func (e ListEntry) Open(t time.Time) bool {
	return (e.Start.IsZero() || !t.Before(e.Start)) && (e.End.IsZero() || t.Before(e.End))
}

// ListInput carries a create or a rename of a list.
type ListInput struct {
	Name    *string `json:"name"`
	Slug    *string `json:"slug"`
	Version *int    `json:"version"`
}

// Reserved reports whether the list is one of the lists that always exist
// (featured, popular): they cannot be deleted nor change slug.
func (l *List) Reserved() bool { return l.Slug == FeaturedSlug || l.Slug == PopularSlug }

// Validate checks the list's fields.
func (l *List) Validate() error {
	pr := Problems{}
	switch n := utf8.RuneCountInString(l.Name); {
	case n == 0:
		pr.Add("name", "A name is required.")
	case n > MaxListNameLen:
		pr.Add("name", "The name must be at most 100 characters.")
	}
	if msg := slugProblem(l.Slug); msg != "" && !(l.Slug == "" && l.Name == "") {
		pr.Add("slug", msg)
	}
	checkLine(pr, "name", l.Name)
	if len(l.Entries) > MaxListEntries {
		pr.Add("entries", "A list holds at most "+strconv.Itoa(MaxListEntries)+" posts.")
	}
	seen := make(map[string]bool, len(l.Entries))
	for i, e := range l.Entries {
		field := "entries[" + strconv.Itoa(i) + "]"
		switch {
		case !ValidID(e.PostID):
			pr.Add(field+".postId", "Must be a post id (24 hexadecimal characters).")
		case seen[e.PostID]:
			pr.Add(field+".postId", "This post is already in the list.")
		}
		seen[e.PostID] = true
		if !e.Start.IsZero() && !e.End.IsZero() && !e.End.After(e.Start) {
			pr.Add(field+".end", "The end must be after the start.")
		}
	}
	return pr.Err("cms.List.Validate")
}

// normaliseEntries lower-cases ids and rounds times to what the database
// keeps; nil becomes empty.
func normaliseEntries(in []ListEntry) []ListEntry {
	out := make([]ListEntry, len(in))
	for i, e := range in {
		out[i] = ListEntry{PostID: strings.ToLower(strings.TrimSpace(e.PostID)),
			Start: e.Start.UTC().Truncate(time.Millisecond), End: e.End.UTC().Truncate(time.Millisecond)}
		if e.Start.IsZero() {
			out[i].Start = time.Time{}
		}
		if e.End.IsZero() {
			out[i].End = time.Time{}
		}
	}
	return out
}

// PostState is what list checks need of a post.
type PostState struct {
	Status  PostStatus
	Trashed bool
}

// Public reports whether the post is published and not in the trash.
func (s PostState) Public() bool { return s.Status == StatusPublished && !s.Trashed }
