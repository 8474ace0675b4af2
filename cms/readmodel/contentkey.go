package readmodel

import (
	"crypto/sha256"
	"strings"

	"github.com/lullabycms/lullaby/cms"
)

// ContentKey is a content key as the public API checks it: what the
// snapshot keeps of a key that is not revoked.
type ContentKey struct {
	ID        string
	Name      string
	RateLimit int             // requests a minute on each instance; 0: none
	origins   map[string]bool // lower-cased
}

// AllowsOrigin reports whether the key's own origins include origin
// (compared without case or a trailing slash). It does not allocate for
// an origin already in lower case.
func (k *ContentKey) AllowsOrigin(origin string) bool {
	return len(k.origins) > 0 && k.origins[strings.ToLower(strings.TrimRight(origin, "/"))]
}

// contentKeys is what a snapshot knows of the content keys.
type contentKeys struct {
	require bool                     // the site setting RequireContentKey
	byHash  map[[32]byte]*ContentKey // keys not revoked, by the SHA-256 of the secret
	origins map[string]bool          // every working key's origins, lower-cased
}

func newContentKeys(require bool, keys []*cms.ContentKey) contentKeys {
	ck := contentKeys{require: require, byHash: map[[32]byte]*ContentKey{}, origins: map[string]bool{}}
	for _, k := range keys {
		var h [32]byte
		if k.Revoked() || !decodeHash(k.Hash, &h) {
			continue
		}
		e := &ContentKey{ID: k.ID, Name: k.Name, RateLimit: k.RateLimit, origins: make(map[string]bool, len(k.Origins))}
		for _, o := range k.Origins {
			o = strings.ToLower(o)
			e.origins[o], ck.origins[o] = true, true
		}
		ck.byHash[h] = e
	}
	return ck
}

// decodeHash reads a hex SHA-256 into h.
func decodeHash(s string, h *[32]byte) bool {
	if len(s) != 64 {
		return false
	}
	for i := range h {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		h[i] = hi<<4 | lo
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// RequireContentKey reports whether the site setting requires a content
// key on the public APIs.
func (s *Snapshot) RequireContentKey() bool { return s.keys.require }

// HasContentKeys reports whether any content key works: when none does
// and none is required, a request's key need not be looked at.
func (s *Snapshot) HasContentKeys() bool { return len(s.keys.byHash) > 0 }

// ContentKey returns the working key whose secret is secret, or nil when
// it is unknown or revoked. It is a hash and a map lookup: no database
// call and no allocation.
func (s *Snapshot) ContentKey(secret []byte) *ContentKey {
	if len(secret) != cms.ContentKeyLen {
		return nil
	}
	return s.keys.byHash[sha256.Sum256(secret)]
}

// ContentKeyOrigin reports whether origin is among the origins of any
// working key: a preflight, which carries no key, may then go ahead (the
// response itself is readable only with the key).
func (s *Snapshot) ContentKeyOrigin(origin string) bool {
	if len(s.keys.origins) == 0 {
		return false
	}
	return s.keys.origins[strings.ToLower(strings.TrimRight(origin, "/"))]
}
