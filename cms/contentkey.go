package cms

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// ContentKey is a read key of the public APIs, one per frontend (her
// website, a static build, an app). The secret is shown once, when the key
// is made; only its SHA-256 hash is kept, with a short prefix of it for
// people to tell keys apart. With the site setting RequireContentKey on,
// the public APIs answer only requests carrying a key that is not revoked.
type ContentKey struct {
	ID     string `json:"id"`
	Name   string `json:"name"`   // which frontend uses it
	Prefix string `json:"prefix"` // the secret's first ContentKeyPrefixLen characters, not secret
	// Hash is the hex SHA-256 of the secret. It never leaves the server.
	Hash string `json:"-"`
	// Origins are web origins (https://example.com) allowed by CORS to
	// read the public API with this key, beside the site's own.
	Origins []string `json:"origins"`
	// RateLimit is how many requests a minute the key may make on each
	// instance (0: no limit of its own).
	RateLimit     int        `json:"rateLimit"`
	CreatedBy     string     `json:"createdBy"`     // the user id
	CreatedByName string     `json:"createdByName"` // her name then, for the list
	CreatedAt     time.Time  `json:"createdAt"`
	RevokedAt     *time.Time `json:"revokedAt"` // nil while it works
	Version       int        `json:"version"`
}

// Revoked reports whether the key was revoked.
func (k *ContentKey) Revoked() bool { return k.RevokedAt != nil }

// Content key limits.
const (
	// ContentKeyLen is the length of a secret: 26 lowercase hexadecimal
	// digits (104 random bits), the form Ghost's official client insists on.
	ContentKeyLen = 26
	// ContentKeyPrefixLen is how much of the secret is kept to show: 4
	// digits (16 bits), leaving 88 unknown.
	ContentKeyPrefixLen = 4
	// MaxContentKeyRate bounds a key's own rate limit (requests a minute).
	MaxContentKeyRate = 100000
	// MaxContentKeys bounds the keys a site keeps, revoked ones included.
	MaxContentKeys = 200
)

// ContentKeyInput describes a new key.
type ContentKeyInput struct {
	Name      *string   `json:"name"`
	Origins   *[]string `json:"origins"`
	RateLimit *int      `json:"rateLimit"` // requests a minute; 0 or absent: none
}

// newContentKey validates in and returns the key to store with its secret.
func newContentKey(in ContentKeyInput) (*ContentKey, string, error) {
	const op = "cms.CreateContentKey"
	k := &ContentKey{Origins: []string{}}
	if in.Name != nil {
		k.Name = strings.TrimSpace(*in.Name)
	}
	if in.Origins != nil {
		for _, o := range dedupe(*in.Origins, true) {
			// Scheme and host know no case: kept as browsers send them.
			k.Origins = append(k.Origins, strings.ToLower(strings.TrimRight(o, "/")))
		}
	}
	if in.RateLimit != nil {
		k.RateLimit = *in.RateLimit
	}
	pr := Problems{}
	switch n := utf8.RuneCountInString(k.Name); {
	case n == 0:
		pr.Add("name", "A name is required: which frontend will use this key?")
	case n > 100:
		pr.Add("name", "At most 100 characters.")
	}
	checkLine(pr, "name", k.Name)
	if msg := originsProblem(k.Origins); msg != "" {
		pr.Add("origins", msg)
	}
	if k.RateLimit < 0 || k.RateLimit > MaxContentKeyRate {
		pr.Add("rateLimit", "Must be a whole number of requests a minute from 1 to 100000, or 0 for no limit.")
	}
	if err := pr.Err(op); err != nil {
		return nil, "", err
	}
	secret, err := NewContentKeySecret()
	if err != nil {
		return nil, "", &Error{Kind: KindInternal, Op: op, Err: err}
	}
	k.Prefix, k.Hash = secret[:ContentKeyPrefixLen], HashContentKey(secret)
	return k, secret, nil
}

// NewContentKeySecret returns a new secret: ContentKeyLen lowercase
// hexadecimal digits from crypto/rand.
func NewContentKeySecret() (string, error) {
	var b [ContentKeyLen / 2]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// HashContentKey returns the hex SHA-256 of a secret, as stored. A fast
// hash is right here, unlike for passwords: the secret is 104 random bits,
// so no dictionary or brute-force search of the hash can find it, and the
// public API checks it on every request.
func HashContentKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// originsProblem says what is wrong with a list of CORS origins, or "".
// The settings' origins and a key's are checked alike.
func originsProblem(origins []string) string {
	if len(origins) > 50 {
		return "At most 50 origins."
	}
	for _, o := range origins {
		if msg := URLProblem(o); msg != "" || strings.Count(o, "/") > 2 {
			return "Each origin must look like https://example.com (scheme and host only)."
		}
	}
	return ""
}
