package cms

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-factor sign-in with an authenticator app: TOTP (RFC 6238, SHA-1, six
// digits, 30-second steps, the parameters every app supports), and ten
// one-time recovery codes.
//
// The TOTP secret is stored sealed with AES-256-GCM under a key derived
// from the server's session secret, which is kept outside the database, so
// whoever reads the database cannot make codes. Recovery codes carry 50
// random bits each; they are stored as HMAC-SHA256 under another derived
// key rather than argon2id: with that much entropy a slow hash adds
// nothing, the key keeps a database reader from even trying, and checking
// ten of them costs microseconds rather than a quarter of a second per
// attempt.
//
// A code is accepted once: the step it belongs to must be later than the
// last accepted one, and the user's TwoFactor is rewritten only if its
// TwoFactorSeq is still the one read, so two instances (or two requests)
// cannot both accept the same code.

// TwoFactor is a user's two-factor sign-in; nil on User when it is off.
type TwoFactor struct {
	Secret        string    // the TOTP secret, sealed
	EnabledAt     time.Time // when it was turned on; trusted devices name it
	LastStep      int64     // the last 30-second step a code was accepted for
	RecoveryCodes []string  // keyed hashes of the recovery codes not used yet
}

// Two-factor parameters.
const (
	RecoveryCodeCount = 10
	EnrolmentTTL      = 30 * time.Minute // to type the first code after seeing the QR code
	totpPeriod        = 30
	totpSkew          = 1 // steps either side of now: a clock off by up to 30 s still works
)

// TwoFactorService turns two-factor sign-in on and off and checks codes.
// It holds the keys that seal TOTP secrets and hash recovery codes; make
// it with Service.TwoFactor.
type TwoFactorService struct {
	s       *Service
	aead    cipher.AEAD
	codeKey []byte
	issuer  string
}

// TwoFactor returns the two-factor service keyed by key (at least 32
// secret bytes that are not in the database; the admin surface derives it
// from the session secret). issuer names the site in the authenticator
// app. Changing key makes every enrolment unusable.
func (s *Service) TwoFactor(key []byte, issuer string) (*TwoFactorService, error) {
	if len(key) < 32 {
		return nil, errors.New("cms.TwoFactor: key must be at least 32 bytes")
	}
	block, err := aes.NewCipher(macKey(key, "totp seal"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &TwoFactorService{s: s, aead: aead, codeKey: macKey(key, "recovery codes"), issuer: issuer}, nil
}

func macKey(key []byte, purpose string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("lullaby two-factor: " + purpose))
	return h.Sum(nil)
}

// Enrolment is a two-factor set-up in progress: the secret to show (as
// text and as the otpauth URL, for a QR code), and Token, which carries
// the sealed secret back with the first code (nothing is stored before).
type Enrolment struct {
	Secret string
	URL    string
	Token  string
}

// Begin starts setting up two-factor sign-in for actor. Conflict when it
// is on already.
func (t *TwoFactorService) Begin(actor *User) (*Enrolment, error) {
	const op = "cms.TwoFactor.Begin"
	if actor.TwoFactor != nil {
		return nil, Errorf(KindConflict, op, "Two-factor sign-in is on already; turn it off first to set up another app.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: t.issuer, AccountName: actor.Email, SecretSize: 20})
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	var at [8]byte
	binary.BigEndian.PutUint64(at[:], uint64(t.s.now().Unix()))
	tok, err := t.seal("enrol:"+actor.ID, append(at[:], key.Secret()...))
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), Token: tok}, nil
}

// Resume returns the enrolment of token again (to show the same QR code
// after a wrong first code). Invalid naming "enrolment" when the token is
// damaged, another user's or expired.
func (t *TwoFactorService) Resume(actor *User, token string) (*Enrolment, error) {
	secret, err := t.openEnrolment(actor, token)
	if err != nil {
		return nil, err
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(string(secret))
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: "cms.TwoFactor.Resume", Err: err}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: t.issuer, AccountName: actor.Email, Secret: raw})
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: "cms.TwoFactor.Resume", Err: err}
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), Token: token}, nil
}

func (t *TwoFactorService) openEnrolment(actor *User, token string) ([]byte, error) {
	const op = "cms.TwoFactor.Confirm"
	raw, err := t.open("enrol:"+actor.ID, token)
	if err != nil || len(raw) < 9 {
		return nil, Problems{"enrolment": "This set-up is not valid; start again."}.Err(op)
	}
	if time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0).Add(EnrolmentTTL).Before(t.s.now()) {
		return nil, Problems{"enrolment": "This set-up has expired; start again."}.Err(op)
	}
	return raw[8:], nil
}

// Confirm turns two-factor sign-in on for actor once code, from the app
// set up with the enrolment token, is right; it returns the recovery
// codes, which are shown this once. Invalid naming "code" (or "enrolment"
// when the token is damaged or older than EnrolmentTTL), Conflict when it
// is on already or changed meanwhile.
func (t *TwoFactorService) Confirm(ctx context.Context, actor *User, token, code string) ([]string, error) {
	const op = "cms.TwoFactor.Confirm"
	raw, err := t.openEnrolment(actor, token)
	if err != nil {
		return nil, err
	}
	secret := string(raw)
	step, ok := totpStep(secret, code, t.s.now(), 0)
	if !ok {
		return nil, Problems{"code": "That code is not right. Type the six digits the app shows now."}.Err(op)
	}
	u, err := t.s.store.GetUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	if u.TwoFactor != nil {
		return nil, Errorf(KindConflict, op, "Two-factor sign-in is on already.")
	}
	sealed, err := t.seal("totp:"+u.ID, []byte(secret))
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	codes, hashes, err := t.newRecoveryCodes(u.ID)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	tf := &TwoFactor{Secret: sealed, EnabledAt: t.s.timeNow(), LastStep: step, RecoveryCodes: hashes}
	if err := t.s.store.SaveTwoFactor(ctx, u.ID, tf, u.TwoFactorSeq); err != nil {
		return nil, err
	}
	return codes, nil
}

// Verify checks code, from the app or a recovery code, for user id, who
// has given the right password: the second step of a login. Wrong codes
// count towards the account lockout like wrong passwords; a code is
// accepted once. It returns the user; Unauthenticated for a wrong, used or
// replayed code, RateLimited while the account is locked.
func (t *TwoFactorService) Verify(ctx context.Context, id, code string) (*User, error) {
	const op = "cms.TwoFactor.Verify"
	bad := Errorf(KindUnauthenticated, op, "That code is not right, or it was used already. Type the code the app shows now, or a recovery code.")
	u, err := t.s.store.GetUser(ctx, id)
	switch {
	case IsKind(err, KindNotFound) || IsKind(err, KindInvalid):
		return nil, bad
	case err != nil:
		return nil, err
	case u.LockedUntil.After(t.s.now()):
		return nil, lockedError(op, u, t.s.now())
	case u.TwoFactor == nil: // turned off since the password was checked
		return u, nil
	}
	next, ok := t.check(u, code)
	if ok {
		err = t.s.store.SaveTwoFactor(ctx, u.ID, next, u.TwoFactorSeq)
		if IsKind(err, KindConflict) { // the same code, accepted elsewhere a moment ago
			ok, err = false, nil
		}
		if err != nil {
			return nil, err
		}
	}
	if !ok {
		if err := t.s.store.RecordLoginFailure(ctx, u.ID, MaxLoginFailures, t.s.timeNow().Add(LoginLockout)); err != nil {
			return nil, err
		}
		return nil, bad
	}
	if u.FailedLogins > 0 || !u.LockedUntil.IsZero() {
		if err := t.s.store.RecordLoginSuccess(ctx, u.ID); err != nil {
			return nil, err
		}
		u.FailedLogins, u.LockedUntil = 0, time.Time{}
	}
	u.TwoFactor, u.TwoFactorSeq = next, u.TwoFactorSeq+1
	return u, nil
}

// Disable turns two-factor sign-in off for actor, who proves it is her
// with her password or a code (from the app, or a recovery code). Invalid
// naming "password" or "code", Conflict when it is off or required for
// her role.
func (t *TwoFactorService) Disable(ctx context.Context, actor *User, password, code string) error {
	const op = "cms.TwoFactor.Disable"
	u, err := t.s.store.GetUser(ctx, actor.ID)
	if err != nil {
		return err
	}
	if u.TwoFactor == nil {
		return Errorf(KindConflict, op, "Two-factor sign-in is off already.")
	}
	if required, err := t.s.requireTwoFactor(ctx, u); err != nil {
		return err
	} else if required {
		return Errorf(KindConflict, op, "Owners must use two-factor sign-in on this site; an owner can change that in the settings.")
	}
	if _, err := t.prove(u, op, password, code); err != nil {
		return err
	}
	return t.s.store.SaveTwoFactor(ctx, u.ID, nil, u.TwoFactorSeq)
}

// RegenerateCodes replaces actor's recovery codes with ten new ones, after
// the same proof as Disable. Invalid, Conflict when two-factor sign-in is
// off.
func (t *TwoFactorService) RegenerateCodes(ctx context.Context, actor *User, password, code string) ([]string, error) {
	const op = "cms.TwoFactor.RegenerateCodes"
	u, err := t.s.store.GetUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	if u.TwoFactor == nil {
		return nil, Errorf(KindConflict, op, "Two-factor sign-in is off; turn it on first.")
	}
	next, err := t.prove(u, op, password, code)
	if err != nil {
		return nil, err
	}
	codes, hashes, err := t.newRecoveryCodes(u.ID)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	next.RecoveryCodes = hashes
	if err := t.s.store.SaveTwoFactor(ctx, u.ID, next, u.TwoFactorSeq); err != nil {
		return nil, err
	}
	return codes, nil
}

// prove checks the password, or else the code, and returns u's TwoFactor
// as it is after that (a code is used up by the caller's save).
func (t *TwoFactorService) prove(u *User, op, password, code string) (*TwoFactor, error) {
	switch {
	case password != "":
		if !CheckPassword(u.PasswordHash, password) {
			return nil, Problems{"password": "The password is incorrect."}.Err(op)
		}
		next := *u.TwoFactor
		return &next, nil
	case strings.TrimSpace(code) != "":
		next, ok := t.check(u, code)
		if !ok {
			return nil, Problems{"code": "That code is not right, or it was used already."}.Err(op)
		}
		return next, nil
	}
	return nil, Problems{"password": "Enter your password, or a code from your app."}.Err(op)
}

// ResetTwoFactor turns two-factor sign-in off for user id, who lost both
// her phone and her recovery codes: owners may do it for someone else,
// and the command line (actor nil) for anyone. She logs in with her
// password alone until she sets it up again. Forbidden, NotFound,
// Conflict (another change came first).
func (s *Service) ResetTwoFactor(ctx context.Context, actor *User, id string) error {
	const op = "cms.ResetTwoFactor"
	switch {
	case actor != nil && !actor.CanManageUsers():
		return forbidden(op, "Only owners can reset two-factor sign-in.")
	case actor != nil && actor.ID == id:
		return forbidden(op, "Turn your own two-factor sign-in off on your account page, with your password.")
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil || u.TwoFactor == nil {
		return err
	}
	return s.store.SaveTwoFactor(ctx, u.ID, nil, u.TwoFactorSeq)
}

// RequireTwoFactor reports whether u must set up two-factor sign-in before
// doing anything else: the site requires it of owners and u is an owner
// without it.
func (s *Service) RequireTwoFactor(ctx context.Context, u *User) (bool, error) {
	if u.TwoFactor != nil {
		return false, nil
	}
	return s.requireTwoFactor(ctx, u)
}

func (s *Service) requireTwoFactor(ctx context.Context, u *User) (bool, error) {
	if u.Role != RoleOwner {
		return false, nil
	}
	st, err := s.store.GetSettings(ctx)
	if err != nil {
		return false, err
	}
	return st.RequireOwnerTwoFactor, nil
}

// check returns u's TwoFactor after accepting code, a TOTP code of a step
// later than the last accepted one or an unused recovery code, and
// whether it was accepted.
func (t *TwoFactorService) check(u *User, code string) (*TwoFactor, bool) {
	code = normaliseCode(code)
	next := *u.TwoFactor
	if len(code) == 6 {
		secret, err := t.open("totp:"+u.ID, u.TwoFactor.Secret)
		if err != nil {
			return nil, false
		}
		step, ok := totpStep(string(secret), code, t.s.now(), u.TwoFactor.LastStep)
		if !ok {
			return nil, false
		}
		next.LastStep = step
		return &next, true
	}
	h := t.hashCode(u.ID, code)
	found := -1
	for i, stored := range u.TwoFactor.RecoveryCodes {
		if subtle.ConstantTimeCompare([]byte(stored), []byte(h)) == 1 {
			found = i
		}
	}
	if found < 0 {
		return nil, false
	}
	next.RecoveryCodes = append(append([]string{}, u.TwoFactor.RecoveryCodes[:found]...), u.TwoFactor.RecoveryCodes[found+1:]...)
	return &next, true
}

// totpStep returns the step within totpSkew of now, later than after,
// whose code is code.
func totpStep(secret, code string, now time.Time, after int64) (int64, bool) {
	code = normaliseCode(code)
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	cur := now.Unix() / totpPeriod
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && step > after && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// normaliseCode drops spaces and dashes and lower-cases: "123 456" and
// "ABCDE-FGHIJ" are typed either way.
func normaliseCode(code string) string {
	if len(code) > 64 {
		return ""
	}
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(code))
}

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCodes makes RecoveryCodeCount codes of ten base32 letters and
// digits (50 bits), shown as "abcde-fghij", and their hashes.
func (t *TwoFactorService) newRecoveryCodes(userID string) (codes, hashes []string, err error) {
	for range RecoveryCodeCount {
		var b [7]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, nil, err
		}
		c := strings.ToLower(recoveryEncoding.EncodeToString(b[:]))[:10]
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, t.hashCode(userID, c))
	}
	return codes, hashes, nil
}

func (t *TwoFactorService) hashCode(userID, normalised string) string {
	h := hmac.New(sha256.New, t.codeKey)
	h.Write([]byte(userID + ":" + normalised))
	return base64.RawStdEncoding.EncodeToString(h.Sum(nil))
}

// seal encrypts plain, bound to context (the user and purpose), as
// "v1." + base64(nonce || ciphertext).
func (t *TwoFactorService) seal(context string, plain []byte) (string, error) {
	nonce := make([]byte, t.aead.NonceSize(), t.aead.NonceSize()+len(plain)+t.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return "v1." + base64.RawURLEncoding.EncodeToString(t.aead.Seal(nonce, nonce, plain, []byte(context))), nil
}

func (t *TwoFactorService) open(context, sealed string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "v1."))
	if err != nil || !strings.HasPrefix(sealed, "v1.") || len(raw) < t.aead.NonceSize() {
		return nil, errors.New("cms: not a sealed value")
	}
	n := t.aead.NonceSize()
	return t.aead.Open(nil, raw[:n], raw[n:], []byte(context))
}
