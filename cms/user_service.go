package cms

import (
	"context"
	"strings"
	"time"
)

// Login lockout: after MaxLoginFailures wrong passwords in a row an account
// is locked for LoginLockout.
const (
	MaxLoginFailures = 5
	LoginLockout     = 15 * time.Minute
)

// CreateUser adds a user. actor nil means the trusted command line;
// otherwise only owners may. A taken email is a Conflict naming "email".
func (s *Service) CreateUser(ctx context.Context, actor *User, in UserInput) (*User, error) {
	const op = "cms.CreateUser"
	if actor != nil && !actor.CanManageUsers() {
		return nil, forbidden(op, "Only owners can add users.")
	}
	return s.createUser(ctx, op, in)
}

// Setup creates the first owner account. It works only while there are no
// users at all; afterwards it is a Conflict.
func (s *Service) Setup(ctx context.Context, in UserInput) (*User, error) {
	const op = "cms.Setup"
	n, err := s.store.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, Errorf(KindConflict, op, "Lullaby is already set up; log in instead.")
	}
	owner := RoleOwner
	in.Role = &owner
	u, err := s.newUser(op, in)
	if err != nil {
		return nil, err
	}
	// Two set-up forms sent at once: the lease lets only one through. It is
	// short, so a failure below blocks set-up for a minute at most.
	ok, err := s.store.AcquireLease(ctx, "setup", NewID(), time.Minute)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, Errorf(KindConflict, op, "Lullaby is being set up by someone else right now; log in instead.")
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	s.ownersChanged(ctx)
	return u, nil
}

// NeedsSetup reports whether no user exists yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.store.CountUsers(ctx)
	return n == 0, err
}

func (s *Service) createUser(ctx context.Context, op string, in UserInput) (*User, error) {
	u, err := s.newUser(op, in)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if u.Role == RoleOwner {
		s.ownersChanged(ctx)
	}
	return u, nil
}

// ownersChanged makes the read model reload after a change of the owners
// (one added, removed or renamed): posts fall back to the first owner's
// name while the settings name no author.
func (s *Service) ownersChanged(ctx context.Context) { s.published(ctx) }

// newUser validates in and returns the user it describes, password hashed.
func (s *Service) newUser(op string, in UserInput) (*User, error) {
	now := s.timeNow()
	u := &User{ID: NewID(), Role: RoleEditor, Version: 1, CreatedAt: now, UpdatedAt: now}
	in.fill(u)
	if err := NewUserProblems(in).Err(op); err != nil {
		return nil, err
	}
	hash, err := HashPassword(*in.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	return u, nil
}

// fill copies the email, name and role of in onto u, normalised.
func (in *UserInput) fill(u *User) {
	if in.Email != nil {
		u.Email = NormaliseEmail(*in.Email)
	}
	if in.Name != nil {
		u.Name = strings.TrimSpace(*in.Name)
	}
	if in.Role != nil {
		u.Role = *in.Role
	}
}

// NewUserProblems lists every problem of in as a new user (an editor
// unless in.Role says otherwise), keyed by field: a form can show them all
// at once, with its own (a repeated password that differs).
func NewUserProblems(in UserInput) Problems {
	u := &User{Role: RoleEditor}
	in.fill(u)
	pr := Problems{}
	for k, v := range ErrorFields(u.Validate()) {
		pr.Add(k, v)
	}
	if in.Password == nil {
		pr.Add("password", "A password is required.")
	} else if msg := PasswordProblem(*in.Password); msg != "" {
		pr.Add("password", msg)
	}
	return pr
}

// Authenticate checks an email and password (the first step of a login
// when u.TwoFactor is set: TwoFactorService.Verify is the second). Wrong credentials, and unknown
// emails, are the same Unauthenticated error and take the same time; a
// locked account is RateLimited.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*User, error) {
	const op = "cms.Authenticate"
	bad := Errorf(KindUnauthenticated, op, "The email or password is incorrect.")
	u, err := s.store.GetUserByEmail(ctx, NormaliseEmail(email))
	if IsKind(err, KindNotFound) {
		CheckPassword(dummyHash(), password)
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if u.LockedUntil.After(s.now()) {
		CheckPassword(dummyHash(), password)
		return nil, lockedError(op, u, s.now())
	}
	if !CheckPassword(u.PasswordHash, password) {
		if err := s.store.RecordLoginFailure(ctx, u.ID, MaxLoginFailures, s.timeNow().Add(LoginLockout)); err != nil {
			return nil, err
		}
		return nil, bad
	}
	// With two-factor sign-in the count goes on until the code is right
	// too (TwoFactorService.Verify): else the right password between wrong
	// codes would reset it, and codes could be guessed for ever.
	if u.TwoFactor == nil && (u.FailedLogins > 0 || !u.LockedUntil.IsZero()) {
		if err := s.store.RecordLoginSuccess(ctx, u.ID); err != nil {
			return nil, err
		}
		u.FailedLogins, u.LockedUntil = 0, time.Time{}
	}
	return u, nil
}

// lockedError is the RateLimited error of a locked account.
// Its RetryAfter is the time left.
func lockedError(op string, u *User, now time.Time) error {
	wait := u.LockedUntil.Sub(now)
	locked := Errorf(KindRateLimited, op, "Too many failed attempts: this account is locked. Try again in %d minutes.", int(wait.Minutes())+1)
	locked.RetryAfter = wait
	return locked
}

// GetUser returns user id. NotFound, Invalid.
func (s *Service) GetUser(ctx context.Context, id string) (*User, error) {
	return s.store.GetUser(ctx, id)
}

// UserByEmail returns the user with that email address (any case), for
// the command line. NotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.store.GetUserByEmail(ctx, NormaliseEmail(email))
}

// ListUsers returns every user. Only owners may.
func (s *Service) ListUsers(ctx context.Context, actor *User) ([]*User, error) {
	if !actor.CanManageUsers() {
		return nil, forbidden("cms.ListUsers", "Only owners can manage users.")
	}
	return s.store.ListUsers(ctx)
}

// UpdateUser changes a user's name, email or role (owners only; anyone may
// change their own name and email). The last owner cannot stop being one.
// Changing a role revokes the user's sessions.
func (s *Service) UpdateUser(ctx context.Context, actor *User, id string, in UserInput) (*User, error) {
	const op = "cms.UpdateUser"
	if !actor.CanManageUsers() && (actor.ID != id || in.Role != nil) {
		return nil, forbidden(op, "Only owners can manage users.")
	}
	if in.Password != nil {
		return nil, Problems{"password": "Use the change-password action to change a password."}.Err(op)
	}
	version, err := requireVersion(op, in.Version)
	if err != nil {
		return nil, err
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Version != version {
		return nil, staleError(op, u.Version)
	}
	roleChanged := in.Role != nil && *in.Role != u.Role
	wasOwner, oldName := u.Role == RoleOwner, u.Name
	if roleChanged && u.Role == RoleOwner {
		if err := s.checkNotLastOwner(ctx, op, u.ID); err != nil {
			return nil, err
		}
	}
	if in.Email != nil {
		u.Email = NormaliseEmail(*in.Email)
	}
	if in.Name != nil {
		u.Name = strings.TrimSpace(*in.Name)
	}
	if in.Role != nil {
		u.Role = *in.Role
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if roleChanged {
		u.TokenVersion++
	}
	u.Version, u.UpdatedAt = version+1, s.timeNow()
	if err := s.store.UpdateUser(ctx, u, version); err != nil {
		return nil, err
	}
	if (wasOwner || u.Role == RoleOwner) && (roleChanged || u.Name != oldName) {
		s.ownersChanged(ctx)
	}
	return u, nil
}

// ChangePassword sets actor's password after checking the current one, and
// revokes every session (the caller issues a fresh token).
func (s *Service) ChangePassword(ctx context.Context, actor *User, current, next string) (*User, error) {
	const op = "cms.ChangePassword"
	u, err := s.store.GetUser(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	if !CheckPassword(u.PasswordHash, current) {
		return nil, Problems{"currentPassword": "The current password is incorrect."}.Err(op)
	}
	if msg := PasswordProblem(next); msg != "" {
		return nil, Problems{"newPassword": msg}.Err(op)
	}
	if err := s.savePassword(ctx, u, next); err != nil {
		return nil, err
	}
	return u, nil
}

// savePassword stores password's hash on u, revokes u's sessions and
// lifts any lockout.
func (s *Service) savePassword(ctx context.Context, u *User, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	prev := u.Version
	u.PasswordHash, u.TokenVersion, u.Version, u.UpdatedAt = hash, u.TokenVersion+1, prev+1, s.timeNow()
	u.FailedLogins, u.LockedUntil = 0, time.Time{}
	return s.store.UpdateUser(ctx, u, prev)
}

// SetPassword sets user id's password without the current one: for owners
// resetting an editor's password, and the command line (actor nil).
func (s *Service) SetPassword(ctx context.Context, actor *User, id, password string) error {
	const op = "cms.SetPassword"
	if actor != nil && !actor.CanManageUsers() {
		return forbidden(op, "Only owners can reset passwords.")
	}
	if msg := PasswordProblem(password); msg != "" {
		return Problems{"password": msg}.Err(op)
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return err
	}
	return s.savePassword(ctx, u, password)
}

// RevokeSessions invalidates every token issued to user id so far.
func (s *Service) RevokeSessions(ctx context.Context, id string) error {
	_, err := s.store.BumpTokenVersion(ctx, id)
	return err
}

// RevokeSession logs out one session of user id: the token whose "jti"
// is sessionID, valid until expires, is refused from now on (User.
// SessionRevoked), on every instance. NotFound, Invalid.
func (s *Service) RevokeSession(ctx context.Context, id, sessionID string, expires time.Time) error {
	return s.store.RevokeSession(ctx, id, RevokedSession{ID: sessionID, ExpiresAt: expires.UTC()}, s.timeNow())
}

// DeleteUser removes user id (owners only). Owners cannot remove
// themselves, and the last owner cannot be removed.
func (s *Service) DeleteUser(ctx context.Context, actor *User, id string) error {
	const op = "cms.DeleteUser"
	if !actor.CanManageUsers() {
		return forbidden(op, "Only owners can remove users.")
	}
	if actor.ID == id {
		return Errorf(KindConflict, op, "You cannot remove your own account.")
	}
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return err
	}
	if u.Role == RoleOwner {
		if err := s.checkNotLastOwner(ctx, op, id); err != nil {
			return err
		}
	}
	if err := s.store.DeleteUser(ctx, id); err != nil {
		return err
	}
	if u.Role == RoleOwner {
		s.ownersChanged(ctx)
	}
	return nil
}

func (s *Service) checkNotLastOwner(ctx context.Context, op, id string) error {
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return err
	}
	owners := 0
	for _, u := range users {
		if u.Role == RoleOwner && u.ID != id {
			owners++
		}
	}
	if owners == 0 {
		return Errorf(KindConflict, op, "Lullaby needs at least one owner; make someone else an owner first.")
	}
	return nil
}
