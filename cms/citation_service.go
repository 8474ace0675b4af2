package cms

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The reference library. It is small (hundreds of entries, not
// thousands): each operation reads it whole, in one scan, which keeps
// duplicate and key checks simple and exact.

// CreateCitation stores a new reference. An empty key is generated from
// the first author and the year ("price2012", then "price2012a"). A DOI,
// PMID or PMCID already in the library is a Conflict naming "doi", "pmid"
// or "pmcid" and the existing key, so the editor can offer to reuse it
// (an ISBN is not: the chapters of one book share it). Errors:
// KindInvalid naming fields, KindConflict (doi, pmid, pmcid, key),
// KindUnavailable, KindInternal.
func (s *Service) CreateCitation(ctx context.Context, actor *User, in Citation) (*Citation, error) {
	const op = "cms.CreateCitation"
	c := in
	now := s.timeNow()
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = NewID(), 1, now, now
	c.Normalize()
	autoKey := c.Key == ""
	for attempt := 0; ; attempt++ {
		all, err := s.store.ListCitations(ctx)
		if err != nil {
			return nil, err
		}
		if err := checkCitation(op, &c, all); err != nil {
			return nil, err
		}
		err = s.store.CreateCitation(ctx, &c)
		if err == nil {
			s.citationsChanged(ctx)
			return &c, nil
		}
		// A concurrent save took the generated key: make another.
		if !autoKey || attempt > 3 || !IsKind(err, KindConflict) || ErrorFields(err)["key"] == "" {
			return nil, err
		}
		c.Key = ""
	}
}

// checkCitation fills an empty key, validates c and checks its key and DOI
// against the rest of the library.
func checkCitation(op string, c *Citation, all []*Citation) error {
	others := slices.DeleteFunc(slices.Clone(all), func(o *Citation) bool { return o.ID == c.ID })
	if c.Key == "" {
		c.Key = GenerateKey(c, func(k string) bool {
			return slices.ContainsFunc(others, func(o *Citation) bool { return o.Key == k })
		})
	}
	if err := c.Validate(); err != nil {
		return err
	}
	for _, o := range others {
		if o.Key == c.Key {
			return &Error{Kind: KindConflict, Op: op, Message: "This citation key is already used by another reference.",
				Fields: map[string]string{"key": "@" + c.Key + " is already used by \"" + o.Title + "\"."}}
		}
		if c.DOI != "" && strings.EqualFold(o.DOI, c.DOI) {
			msg := "This DOI is already in the library as @" + o.Key + "."
			return &Error{Kind: KindConflict, Op: op, Message: msg, Fields: map[string]string{"doi": msg}}
		}
		if c.PMID != "" && o.PMID == c.PMID {
			msg := "This PMID is already in the library as @" + o.Key + "."
			return &Error{Kind: KindConflict, Op: op, Message: msg, Fields: map[string]string{"pmid": msg}}
		}
		if c.PMCID != "" && o.PMCID == c.PMCID {
			msg := "This PMCID is already in the library as @" + o.Key + "."
			return &Error{Kind: KindConflict, Op: op, Message: msg, Fields: map[string]string{"pmcid": msg}}
		}
	}
	return nil
}

// UpdateCitation replaces the fields of reference id with in; version is
// the version the edit started from. A reference cited by posts keeps its
// key (their bodies say [@key]): changing it is a Conflict naming "key".
// Errors: KindInvalid, KindNotFound, KindConflict, KindUnavailable,
// KindInternal.
func (s *Service) UpdateCitation(ctx context.Context, actor *User, id string, in Citation, version int) (*Citation, error) {
	const op = "cms.UpdateCitation"
	if version < 1 {
		return nil, Problems{"version": "The version the edit started from is required."}.Err(op)
	}
	old, err := s.store.GetCitation(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.Version != version {
		return nil, staleError(op, old.Version)
	}
	c := in
	c.ID, c.CreatedAt, c.Version, c.UpdatedAt = old.ID, old.CreatedAt, version+1, s.timeNow()
	c.Normalize()
	if c.Key == "" {
		c.Key = old.Key
	}
	all, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkCitation(op, &c, all); err != nil {
		return nil, err
	}
	if c.Key != old.Key {
		citing, err := s.store.PostsCiting(ctx, []string{old.ID})
		if err != nil {
			return nil, err
		}
		if len(citing) > 0 {
			msg := fmt.Sprintf("@%s is cited by %s: its key cannot change.", old.Key, postTitles(citing))
			return nil, &Error{Kind: KindConflict, Op: op, Message: msg, Fields: map[string]string{"key": msg}}
		}
	}
	if err := s.store.UpdateCitation(ctx, &c, version); err != nil {
		return nil, err
	}
	s.citationsChanged(ctx)
	return &c, nil
}

// GetCitation returns one reference. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (s *Service) GetCitation(ctx context.Context, id string) (*Citation, error) {
	return s.store.GetCitation(ctx, id)
}

// ListCitations returns the references whose key, title, container, DOI
// or authors contain query (case-insensitive; all for ""), by key.
// Errors: KindUnavailable, KindInternal.
func (s *Service) ListCitations(ctx context.Context, query string) ([]*Citation, error) {
	all, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return all, nil
	}
	return slices.DeleteFunc(all, func(c *Citation) bool { return !c.matches(q) }), nil
}

// matches reports whether the lower-cased query q is in c's key, title,
// container, DOI or author names.
func (c *Citation) matches(q string) bool {
	fields := []string{c.Key, c.Title, c.Container, c.DOI}
	for _, n := range c.Authors {
		fields = append(fields, n.Family, n.Given, n.Literal)
	}
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}

// FindCitationByDOI returns the reference with that DOI (any accepted
// spelling), or NotFound. Errors: KindInvalid (not a DOI), KindNotFound,
// KindUnavailable, KindInternal.
func (s *Service) FindCitationByDOI(ctx context.Context, doi string) (*Citation, error) {
	d, err := NormalizeDOI(doi)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range all {
		if strings.EqualFold(c.DOI, d) {
			return c, nil
		}
	}
	return nil, &Error{Kind: KindNotFound, Op: "cms.FindCitationByDOI", Message: "No reference in the library has this DOI."}
}

// CitingPosts returns the posts (live and trashed) whose reference lists
// hold any of ids, without bodies. Errors: KindUnavailable, KindInternal.
func (s *Service) CitingPosts(ctx context.Context, ids []string) ([]*Post, error) {
	return s.store.PostsCiting(ctx, ids)
}

// DeleteCitation removes reference id unless a post (trashed ones
// included) cites it. Errors: KindInvalid, KindNotFound, KindConflict
// naming the posts, KindUnavailable, KindInternal.
func (s *Service) DeleteCitation(ctx context.Context, actor *User, id string) error {
	const op = "cms.DeleteCitation"
	c, err := s.store.GetCitation(ctx, id)
	if err != nil {
		return err
	}
	citing, err := s.store.PostsCiting(ctx, []string{c.ID})
	if err != nil {
		return err
	}
	if len(citing) > 0 {
		return &Error{Kind: KindConflict, Op: op, Message: fmt.Sprintf(
			"@%s is cited by %s. Remove it from them first (posts in the trash count too), or merge it into another reference.", c.Key, postTitles(citing))}
	}
	if err := s.store.DeleteCitation(ctx, c.ID); err != nil {
		return err
	}
	s.citationsChanged(ctx)
	return nil
}

// MergeCitations folds reference dropID into keepID: every post citing
// the dropped one cites the kept one instead (in its list and in its body,
// [@dropkey] becoming [@keepkey]), then the dropped reference is deleted.
// Each post is saved on its own; if a save fails, running the merge again
// finishes it. It returns the number of posts changed. Errors: KindInvalid,
// KindNotFound, KindConflict, KindUnavailable, KindInternal.
func (s *Service) MergeCitations(ctx context.Context, actor *User, keepID, dropID string) (int, error) {
	const op = "cms.MergeCitations"
	if strings.EqualFold(keepID, dropID) {
		return 0, Problems{"dropId": "Choose two different references."}.Err(op)
	}
	keep, err := s.store.GetCitation(ctx, keepID)
	if err != nil {
		return 0, err
	}
	drop, err := s.store.GetCitation(ctx, dropID)
	if err != nil {
		return 0, err
	}
	citing, err := s.store.PostsCiting(ctx, []string{drop.ID})
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, p := range citing {
		_, err := s.changePost(ctx, actor, p.ID, 0, "merged @"+drop.Key+" into @"+keep.Key, nil, func(p *Post) error {
			p.Body = replaceCitationKey(p.Body, drop.Key, keep.Key)
			refs := make([]string, 0, len(p.References))
			for _, r := range p.References {
				if r == drop.ID {
					r = keep.ID
				}
				if !slices.Contains(refs, r) {
					refs = append(refs, r)
				}
			}
			p.References = refs
			return nil
		})
		if err != nil {
			return changed, err
		}
		changed++
	}
	if err := s.store.DeleteCitation(ctx, drop.ID); err != nil && !IsKind(err, KindNotFound) {
		return changed, err
	}
	s.citationsChanged(ctx)
	return changed, nil
}

// postTitles names up to three posts, and how many more.
func postTitles(posts []*Post) string {
	titles := make([]string, 0, 3)
	for _, p := range posts[:min(len(posts), 3)] {
		titles = append(titles, strconv.Quote(p.Title))
	}
	out := strings.Join(titles, ", ")
	if len(posts) > 3 {
		out += fmt.Sprintf(" and %d more", len(posts)-3)
	}
	if len(posts) == 1 {
		return "the post " + out
	}
	return fmt.Sprintf("%d posts: %s", len(posts), out)
}

// citationsChanged refreshes public content: formatted references are
// part of published posts.
func (s *Service) citationsChanged(ctx context.Context) { s.published(ctx) }

// resolveReferences checks p's reference list and the works cited in its
// body (keys, from rendering it) against the library, and appends the
// cited works the list lacks. An unknown reference id is Invalid naming
// "references". A key that is not in the library is no error: it is
// returned among the unresolved keys, in order of first citation, for the
// caller to warn about (a draft) or refuse (a post going public).
func (s *Service) resolveReferences(ctx context.Context, op string, p *Post, keys []string) ([]string, error) {
	if len(keys) == 0 && len(p.References) == 0 {
		return nil, nil
	}
	all, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, err
	}
	refs, unknownIDs, unknownKeys := matchReferences(all, p.References, keys)
	if len(unknownIDs) > 0 {
		return nil, Problems{"references": "Unknown reference " + unknownIDs[0] + ": it is not in the library."}.Err(op)
	}
	p.References = make([]string, len(refs))
	for i, c := range refs {
		p.References[i] = c.ID
	}
	return unknownKeys, nil
}

// UnresolvedCitationsError is the Invalid error naming "body" that refuses
// to make public (or schedule) a post whose body cites keys that are not
// in the library.
func UnresolvedCitationsError(op string, keys []string) error {
	return Problems{"body": "Unresolved citations: @" + strings.Join(keys, ", @") +
		". Add them to the reference library (or correct the keys) before publishing."}.Err(op)
}

// PostReferences returns what a post with reference list ids and Markdown
// body would cite once saved: the entries of ids in order, then the works
// cited in body that ids lack; ids not in the library are left out, and
// keys not in the library are returned as unresolved, in order of first
// citation. The editor's preview uses it. Errors: KindUnavailable,
// KindInternal.
func (s *Service) PostReferences(ctx context.Context, ids []string, body string) (refs []*Citation, unresolved []string, err error) {
	keys := CitationKeys(body)
	if len(ids) == 0 && len(keys) == 0 {
		return nil, nil, nil
	}
	all, err := s.store.ListCitations(ctx)
	if err != nil {
		return nil, nil, err
	}
	refs, _, unresolved = matchReferences(all, ids, keys)
	return refs, unresolved, nil
}

// matchReferences looks ids and then cited keys up in the library: the
// references in order without repeats, and the ids and keys it lacks.
func matchReferences(all []*Citation, ids, keys []string) (refs []*Citation, unknownIDs, unknownKeys []string) {
	byID := make(map[string]*Citation, len(all))
	byKey := make(map[string]*Citation, len(all))
	for _, c := range all {
		byID[c.ID], byKey[c.Key] = c, c
	}
	add := func(c *Citation) {
		if !slices.Contains(refs, c) {
			refs = append(refs, c)
		}
	}
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			add(c)
		} else {
			unknownIDs = append(unknownIDs, id)
		}
	}
	for _, k := range keys {
		if c, ok := byKey[k]; ok {
			add(c)
		} else {
			unknownKeys = append(unknownKeys, k)
		}
	}
	return refs, unknownIDs, unknownKeys
}
