package cms

import "strings"

// Fingerprint sums up a set of stored documents by their ids and
// versions: how many there are, and the sum (wrapping) of a hash of each
// (id, version) pair. Every save of a document moves its version, so an
// edit, an insert or a delete changes the fingerprint, also when several
// happen together: one document deleted and another edited leave neither
// the count nor the sum as they were, where a count, a sum of versions
// and a latest update time can all come out equal (a post deleted and
// another published, or edited by an instance whose clock is behind).
// The order of the documents does not matter, and Remove takes a pair
// out again, so a fingerprint can follow one change at a time.
type Fingerprint struct {
	Count int
	Sum   uint64
}

// Add counts the document id at version.
func (f *Fingerprint) Add(id string, version int) {
	f.Count++
	f.Sum += pairHash(id, version)
}

// Remove takes out the document id at version, added before.
func (f *Fingerprint) Remove(id string, version int) {
	f.Count--
	f.Sum -= pairHash(id, version)
}

// pairHash is FNV-1a over the id and the version, mixed by the finaliser
// of SplitMix64 so that sums of nearby pairs spread over all 64 bits.
func pairHash(id string, version int) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	h ^= uint64(version) * 0x9e3779b97f4a7c15
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// ContentFingerprint is the Fingerprint of each kind of stored document
// the public content is built from: what the read model compares to tell,
// without reading the content, whether anything changed that no content
// version announced (a writer stopped between a save and its bump).
type ContentFingerprint struct {
	Posts          Fingerprint // published, untrashed posts
	Categories     Fingerprint
	Settings       Fingerprint // the settings document, added with id "", when one is stored
	Citations      Fingerprint
	CitationHealth Fingerprint // by citation id
	Lists          Fingerprint // the popular list too
	Quizzes        Fingerprint // by slug
	ContentKeys    Fingerprint
	Reviewers      Fingerprint
	Users          Fingerprint // a byline falls back on the owner's name
}

// Diff names the kinds of documents whose fingerprints differ between f
// and g, comma-separated ("" when none do).
func (f ContentFingerprint) Diff(g ContentFingerprint) string {
	var out []string
	for _, c := range []struct {
		name string
		a, b Fingerprint
	}{
		{"posts", f.Posts, g.Posts}, {"categories", f.Categories, g.Categories}, {"settings", f.Settings, g.Settings},
		{"citations", f.Citations, g.Citations}, {"citation health", f.CitationHealth, g.CitationHealth},
		{"lists", f.Lists, g.Lists}, {"quizzes", f.Quizzes, g.Quizzes}, {"content keys", f.ContentKeys, g.ContentKeys},
		{"reviewers", f.Reviewers, g.Reviewers}, {"users", f.Users, g.Users},
	} {
		if c.a != c.b {
			out = append(out, c.name)
		}
	}
	return strings.Join(out, ", ")
}
