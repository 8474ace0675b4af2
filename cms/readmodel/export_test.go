package readmodel

import "context"

// Recheck runs one re-check of the content against the database, as Run
// does every recheckEvery, and reports whether it swapped a snapshot in.
func (rm *ReadModel) Recheck(ctx context.Context) (bool, error) { return rm.recheck(ctx) }

// BodyParts exposes a body's parts to the package's external tests.
func BodyParts(b *Body) [][]byte { return b.parts }

// DialectFieldsReadBack reports the posts of s whose Ghost or WordPress
// fields, made from the post read back from its body (postEntry.public),
// differ from those made from the post rendered again.
func DialectFieldsReadBack(s *Snapshot) []string {
	var differ []string
	for _, e := range s.posts {
		_, full := e.env.publicPost(e.sourced())
		g1, g2 := e.env.ghostPost(e.post, &full, e.html), e.env.ghostPost(e.post, e.public(), e.html)
		w1, w2 := e.env.wpPost(e.post, &full), e.env.wpPost(e.post, e.public())
		same := true
		for i := range g1.vals {
			same = same && string(g1.vals[i]) == string(g2.vals[i])
		}
		for i := range w1 {
			same = same && string(w1[i]) == string(w2[i])
		}
		if !same {
			differ = append(differ, e.post.Slug)
		}
	}
	return differ
}

// HTMLKept returns the ids of the read model's posts that keep their
// HTML rather than leaving it to their entries (source.go).
func HTMLKept(rm *ReadModel) []string {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	var kept []string
	for id, p := range rm.posts {
		if p.HTML != "" {
			kept = append(kept, id)
		}
	}
	for _, e := range rm.cur.Load().posts {
		if e.post.HTML != "" {
			kept = append(kept, e.post.ID)
		}
	}
	return kept
}
