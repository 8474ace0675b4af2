package cms

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Role decides what a user may do.
type Role string

// Roles. Owners manage users and settings; editors write posts.
const (
	RoleOwner  Role = "owner"
	RoleEditor Role = "editor"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleOwner || r == RoleEditor }

// User is a person who can log in to the admin panel.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"` // stored lower-cased
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"` // argon2id PHC string
	TokenVersion int       `json:"-"` // bumped to revoke every issued token
	FailedLogins int       `json:"-"` // consecutive failures
	LockedUntil  time.Time `json:"-"`
	// RevokedSessions lists the sessions logged out one by one that have
	// not expired yet (older ones are pruned when one is added).
	RevokedSessions []RevokedSession `json:"-"`
	// TwoFactor is her two-factor sign-in, nil when off; TwoFactorSeq
	// counts its changes and guards them (TwoFactorService).
	TwoFactor    *TwoFactor `json:"-"`
	TwoFactorSeq int64      `json:"-"`
	Version      int        `json:"version"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
}

// RevokedSession is one logged-out session: the id of its token (the JWT
// "jti") and when the token expires, after which the entry can go.
type RevokedSession struct {
	ID        string
	ExpiresAt time.Time
}

// SessionRevoked reports whether the session with token id jti was logged
// out.
func (u *User) SessionRevoked(jti string) bool {
	for _, r := range u.RevokedSessions {
		if r.ID == jti {
			return true
		}
	}
	return false
}

// MarshalJSON adds "twoFactor": whether two-factor sign-in is on.
func (u User) MarshalJSON() ([]byte, error) {
	type plain User
	return json.Marshal(struct {
		plain
		TwoFactor bool `json:"twoFactor"`
	}{plain(u), u.TwoFactor != nil})
}

// CanManageUsers reports whether u may create, change and remove users.
func (u *User) CanManageUsers() bool { return u.Role == RoleOwner }

// CanManageSettings reports whether u may change site settings.
func (u *User) CanManageSettings() bool { return u.Role == RoleOwner }

// UserInput carries a new user or a partial update.
type UserInput struct {
	Email    *string `json:"email"`
	Name     *string `json:"name"`
	Role     *Role   `json:"role"`
	Password *string `json:"password"`
	Version  *int    `json:"version"`
}

// Password limits.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// NormaliseEmail lower-cases and trims an email address.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the user's fields (not the password, see PasswordProblem).
func (u *User) Validate() error {
	pr := Problems{}
	if msg := emailProblem(u.Email); msg != "" {
		pr.Add("email", msg)
	}
	switch n := utf8.RuneCountInString(u.Name); {
	case n == 0:
		pr.Add("name", "A name is required.")
	case n > 200:
		pr.Add("name", "The name must be at most 200 characters.")
	}
	if !u.Role.Valid() {
		pr.Add("role", "Must be owner or editor.")
	}
	return pr.Err("cms.User.Validate")
}

func emailProblem(s string) string {
	if s == "" {
		return "An email address is required."
	}
	if len(s) > 254 {
		return "The email address is too long."
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "Must be an email address such as name@example.com."
	}
	return ""
}

// PasswordProblem returns why pw is not acceptable, or "".
func PasswordProblem(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("The password must be at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Sprintf("The password must be at most %d bytes.", MaxPasswordLen)
	}
	return ""
}

// argon2id parameters (OWASP's recommended minimum: m=19 MiB, t=2, p=1).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword derives an argon2id PHC string from pw with a random salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", &Error{Kind: KindInternal, Op: "cms.HashPassword", Err: err}
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the PHC string hash, in constant
// time with respect to the key.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when an email is unknown, so that a login for
// a missing account costs the same time as one for a real account.
// It is made on first use: an argon2 hash at every process start (each CLI
// command, each test binary) would cost for nothing.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("lullaby-timing-equaliser")
	return h
})
