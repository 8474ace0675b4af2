package mongodb

import (
	"context"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

type userDoc struct {
	ID           bson.ObjectID `bson:"_id"`
	Email        string        `bson:"email"`
	Name         string        `bson:"name"`
	Role         string        `bson:"role"`
	PasswordHash string        `bson:"passwordHash"`
	TokenVersion int           `bson:"tokenVersion"`
	FailedLogins int           `bson:"failedLogins"`
	LockedUntil  *time.Time    `bson:"lockedUntil"`
	// Revoked is written only by RevokeSession and BumpTokenVersion, never
	// by UpdateUser, so a profile edit cannot undo a logout.
	Revoked []revokedDoc `bson:"revokedSessions,omitempty"`
	// TwoFactor and TwoFactorSeq are written only by SaveTwoFactor.
	TwoFactor    *twoFactorDoc `bson:"twoFactor,omitempty"`
	TwoFactorSeq int64         `bson:"twoFactorSeq"`
	Version      int           `bson:"version"`
	CreatedAt    *time.Time    `bson:"createdAt"`
	UpdatedAt    *time.Time    `bson:"updatedAt"`
}

type revokedDoc struct {
	ID        string    `bson:"id"`
	ExpiresAt time.Time `bson:"exp"`
}

type twoFactorDoc struct {
	Secret        string    `bson:"secret"` // sealed by cms
	EnabledAt     time.Time `bson:"enabledAt"`
	LastStep      int64     `bson:"lastStep"`
	RecoveryCodes []string  `bson:"recoveryCodes"` // keyed hashes
}

func toTwoFactorDoc(tf *cms.TwoFactor) *twoFactorDoc {
	if tf == nil {
		return nil
	}
	return &twoFactorDoc{Secret: tf.Secret, EnabledAt: tf.EnabledAt.UTC(), LastStep: tf.LastStep, RecoveryCodes: strs(tf.RecoveryCodes)}
}

func (d *twoFactorDoc) twoFactor() *cms.TwoFactor {
	if d == nil {
		return nil
	}
	return &cms.TwoFactor{Secret: d.Secret, EnabledAt: d.EnabledAt.UTC(), LastStep: d.LastStep, RecoveryCodes: strs(d.RecoveryCodes)}
}

func toUserDoc(id bson.ObjectID, u *cms.User) *userDoc {
	revoked := make([]revokedDoc, len(u.RevokedSessions))
	for i, r := range u.RevokedSessions {
		revoked[i] = revokedDoc{ID: r.ID, ExpiresAt: r.ExpiresAt}
	}
	return &userDoc{
		ID:           id,
		Email:        u.Email,
		Name:         u.Name,
		Role:         string(u.Role),
		PasswordHash: u.PasswordHash,
		TokenVersion: u.TokenVersion,
		FailedLogins: u.FailedLogins,
		LockedUntil:  toTime(u.LockedUntil),
		Revoked:      revoked,
		TwoFactor:    toTwoFactorDoc(u.TwoFactor),
		TwoFactorSeq: u.TwoFactorSeq,
		Version:      u.Version,
		CreatedAt:    toTime(u.CreatedAt),
		UpdatedAt:    toTime(u.UpdatedAt),
	}
}

func (d *userDoc) user() *cms.User {
	var revoked []cms.RevokedSession
	for _, r := range d.Revoked {
		revoked = append(revoked, cms.RevokedSession{ID: r.ID, ExpiresAt: r.ExpiresAt.UTC()})
	}
	return &cms.User{
		ID:              d.ID.Hex(),
		Email:           d.Email,
		Name:            d.Name,
		Role:            cms.Role(d.Role),
		PasswordHash:    d.PasswordHash,
		TokenVersion:    d.TokenVersion,
		FailedLogins:    d.FailedLogins,
		LockedUntil:     fromTime(d.LockedUntil),
		RevokedSessions: revoked,
		TwoFactor:       d.TwoFactor.twoFactor(),
		TwoFactorSeq:    d.TwoFactorSeq,
		Version:         d.Version,
		CreatedAt:       fromTime(d.CreatedAt),
		UpdatedAt:       fromTime(d.UpdatedAt),
	}
}

// CreateUser stores the new user u. Errors: KindInvalid, KindConflict with
// Fields["email"], KindUnavailable, KindInternal.
func (db *DB) CreateUser(ctx context.Context, u *cms.User) error {
	const op = "mongodb.CreateUser"
	id, err := objectID(op, "id", u.ID)
	if err != nil {
		return err
	}
	_, err = db.users.InsertOne(ctx, toUserDoc(id, u))
	return insertError(ctx, op, db.users, id, err)
}

// UpdateUser replaces the user stored at prevVersion with u, except that
// TokenVersion only ever grows (to u.TokenVersion if that is higher), so a
// concurrent BumpTokenVersion is never undone. Errors:
// KindInvalid, KindNotFound, KindConflict (Fields["version"] or
// Fields["email"]), KindUnavailable, KindInternal.
func (db *DB) UpdateUser(ctx context.Context, u *cms.User, prevVersion int) error {
	const op = "mongodb.UpdateUser"
	id, err := objectID(op, "id", u.ID)
	if err != nil {
		return err
	}
	d := toUserDoc(id, u)
	update := bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "email", Value: d.Email},
			{Key: "name", Value: d.Name},
			{Key: "role", Value: d.Role},
			{Key: "passwordHash", Value: d.PasswordHash},
			{Key: "failedLogins", Value: d.FailedLogins},
			{Key: "lockedUntil", Value: d.LockedUntil},
			{Key: "version", Value: d.Version},
			{Key: "createdAt", Value: d.CreatedAt},
			{Key: "updatedAt", Value: d.UpdatedAt},
		}},
		{Key: "$max", Value: bson.D{{Key: "tokenVersion", Value: d.TokenVersion}}},
	}
	return db.updateVersioned(ctx, op, db.users, id, prevVersion, update)
}

// GetUser returns one user. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) GetUser(ctx context.Context, id string) (*cms.User, error) {
	return findByID(ctx, "mongodb.GetUser", db.users, id, (*userDoc).user)
}

// GetUserByEmail returns the user with the given (normalised) email.
// Errors: KindNotFound, KindUnavailable, KindInternal.
func (db *DB) GetUserByEmail(ctx context.Context, email string) (*cms.User, error) {
	return db.findUser(ctx, "mongodb.GetUserByEmail", bson.D{{Key: "email", Value: email}})
}

func (db *DB) findUser(ctx context.Context, op string, filter bson.D) (*cms.User, error) {
	var d userDoc
	if err := db.users.FindOne(ctx, filter).Decode(&d); err != nil {
		return nil, storeError(op, collUsers, err)
	}
	return d.user(), nil
}

// ListUsers returns every user, oldest first. Errors: KindUnavailable,
// KindInternal.
func (db *DB) ListUsers(ctx context.Context) ([]*cms.User, error) {
	return findAll(ctx, "mongodb.ListUsers", db.users, bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}, (*userDoc).user)
}

// CountUsers returns the number of users. Errors: KindUnavailable,
// KindInternal.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	n, err := db.users.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, storeError("mongodb.CountUsers", collUsers, err)
	}
	return int(n), nil
}

// DeleteUser removes a user. Errors: KindInvalid, KindNotFound,
// KindUnavailable, KindInternal.
func (db *DB) DeleteUser(ctx context.Context, id string) error {
	return db.deleteByID(ctx, "mongodb.DeleteUser", db.users, id)
}

// RecordLoginFailure counts a failed login with an atomic increment and,
// when the count reaches threshold, sets LockedUntil to lockUntil (never
// shortening a longer lock). Concurrent failures are all counted. It does
// not change Version. Errors: KindInvalid, KindNotFound, KindUnavailable,
// KindInternal.
func (db *DB) RecordLoginFailure(ctx context.Context, id string, threshold int, lockUntil time.Time) error {
	const op = "mongodb.RecordLoginFailure"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	var d struct {
		FailedLogins int `bson:"failedLogins"`
	}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After) // FerretDB has no projection here
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "failedLogins", Value: 1}}}}
	if err := db.findOneAndUpdate(ctx, db.users, bson.D{{Key: "_id", Value: oid}}, inc, &d, opts); err != nil {
		return storeError(op, collUsers, err)
	}
	if d.FailedLogins < threshold {
		return nil
	}
	until := toTime(lockUntil)
	filter := bson.D{
		{Key: "_id", Value: oid},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "lockedUntil", Value: nil}},
			bson.D{{Key: "lockedUntil", Value: bson.D{{Key: "$lt", Value: until}}}},
		}},
	}
	_, err = db.updateOne(ctx, db.users, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "lockedUntil", Value: until}}}})
	return storeError(op, collUsers, err)
}

// RecordLoginSuccess resets FailedLogins and LockedUntil, without changing
// Version. Errors: KindInvalid, KindNotFound, KindUnavailable, KindInternal.
func (db *DB) RecordLoginSuccess(ctx context.Context, id string) error {
	const op = "mongodb.RecordLoginSuccess"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "failedLogins", Value: 0}, {Key: "lockedUntil", Value: nil}}}}
	res, err := db.updateOne(ctx, db.users, bson.D{{Key: "_id", Value: oid}}, update)
	if err != nil {
		return storeError(op, collUsers, err)
	}
	if res.MatchedCount == 0 {
		return notFound(op, collUsers)
	}
	return nil
}

// BumpTokenVersion increments the user's TokenVersion atomically, revoking
// every token issued before, and returns the new value. It does not change
// Version. Errors: KindInvalid, KindNotFound, KindUnavailable, KindInternal.
func (db *DB) BumpTokenVersion(ctx context.Context, id string) (int, error) {
	const op = "mongodb.BumpTokenVersion"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return 0, err
	}
	var d struct {
		TokenVersion int `bson:"tokenVersion"`
	}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After) // FerretDB has no projection here
	inc := bson.D{
		{Key: "$inc", Value: bson.D{{Key: "tokenVersion", Value: 1}, {Key: "revokedSeq", Value: 1}}},
		{Key: "$set", Value: bson.D{{Key: "revokedSessions", Value: bson.A{}}}},
	}
	if err := db.findOneAndUpdate(ctx, db.users, bson.D{{Key: "_id", Value: oid}}, inc, &d, opts); err != nil {
		return 0, storeError(op, collUsers, err)
	}
	return d.TokenVersion, nil
}

// RevokeSession appends r to the user's revoked sessions and counts the
// change in revokedSeq, in one atomic update, so concurrent logouts are
// all kept. It then drops the entries that expired before now by
// rewriting the list, filtered on the revokedSeq it saw: when another
// logout came in between, the write matches nothing and that logout's own
// pruning does the work. (FerretDB has no TTL indexes, and ignores a
// $pull with a condition.) A crash between the two only leaves expired
// entries for the next logout. It does not change Version. Errors:
// KindInvalid, KindNotFound, KindUnavailable, KindInternal.
func (db *DB) RevokeSession(ctx context.Context, id string, r cms.RevokedSession, now time.Time) error {
	const op = "mongodb.RevokeSession"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	var d struct {
		Revoked []revokedDoc `bson:"revokedSessions"`
		Seq     int64        `bson:"revokedSeq"`
	}
	opts := options.FindOneAndUpdate().SetReturnDocument(options.After) // FerretDB has no projection here
	push := bson.D{
		{Key: "$push", Value: bson.D{{Key: "revokedSessions", Value: revokedDoc{ID: r.ID, ExpiresAt: r.ExpiresAt.UTC()}}}},
		{Key: "$inc", Value: bson.D{{Key: "revokedSeq", Value: 1}}},
	}
	if err := db.findOneAndUpdate(ctx, db.users, bson.D{{Key: "_id", Value: oid}}, push, &d, opts); err != nil {
		return storeError(op, collUsers, err)
	}
	kept := make([]revokedDoc, 0, len(d.Revoked))
	for _, e := range d.Revoked {
		if !e.ExpiresAt.Before(now) {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(d.Revoked) {
		return nil
	}
	filter := bson.D{{Key: "_id", Value: oid}, {Key: "revokedSeq", Value: d.Seq}}
	_, err = db.updateOne(ctx, db.users, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "revokedSessions", Value: kept}}}})
	return storeError(op, collUsers, err)
}

// SaveTwoFactor sets the user's two-factor sign-in to tf (nil: off) if its
// twoFactorSeq is still prevSeq, and counts the change: the one guard
// that lets a TOTP step or a recovery code be accepted once, also by
// several instances at the same moment (on FerretDB the process's gate
// serialises the check and the write). It does not change Version.
// Errors: KindInvalid, KindNotFound, KindConflict (another change came
// first), KindUnavailable, KindInternal.
func (db *DB) SaveTwoFactor(ctx context.Context, id string, tf *cms.TwoFactor, prevSeq int64) error {
	const op = "mongodb.SaveTwoFactor"
	oid, err := objectID(op, "id", id)
	if err != nil {
		return err
	}
	seq := bson.D{{Key: "twoFactorSeq", Value: prevSeq}}
	if prevSeq == 0 { // users stored before two-factor sign-in existed have no field
		seq = bson.D{{Key: "$or", Value: bson.A{seq, bson.D{{Key: "twoFactorSeq", Value: nil}}}}}
	}
	filter := append(bson.D{{Key: "_id", Value: oid}}, seq...)
	update := bson.D{{Key: "$set", Value: bson.D{
		{Key: "twoFactor", Value: toTwoFactorDoc(tf)},
		{Key: "twoFactorSeq", Value: prevSeq + 1},
	}}}
	res, err := db.updateOne(ctx, db.users, filter, update)
	if err != nil {
		return storeError(op, collUsers, err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	if _, err := db.GetUser(ctx, id); err != nil {
		return err
	}
	return cms.Errorf(cms.KindConflict, op, "Two-factor sign-in changed meanwhile; try again.")
}
