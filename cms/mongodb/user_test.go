package mongodb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

func newUser(email string, at time.Time) *cms.User {
	return &cms.User{ID: cms.NewID(), Email: email, Name: "Name of " + email, Role: cms.RoleEditor,
		PasswordHash: "$argon2id$fake", Version: 1, CreatedAt: at, UpdatedAt: at}
}

// MustCreateUser stores u.
func MustCreateUser(tb testing.TB, db *mongodb.DB, u *cms.User) {
	tb.Helper()
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("CreateUser(%q): %v", u.Email, err)
	}
}

// MustGetUser reads user id.
func MustGetUser(tb testing.TB, db *mongodb.DB, id string) *cms.User {
	tb.Helper()
	u, err := db.GetUser(context.Background(), id)
	if err != nil {
		tb.Fatalf("GetUser(%s): %v", id, err)
	}
	return u
}

func TestUser(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()

	n, err := db.CountUsers(ctx)
	if err != nil || n != 0 {
		t.Fatalf("CountUsers() = %d, %v; want 0, nil", n, err)
	}
	owner := newUser("owner@example.com", t0)
	owner.Role = cms.RoleOwner
	editor := newUser("editor@example.com", t0.Add(time.Minute))
	MustCreateUser(t, db, editor)
	MustCreateUser(t, db, owner)

	t.Run("Get", func(t *testing.T) {
		MustEqual(t, "GetUser", MustGetUser(t, db, owner.ID), owner)
		got, err := db.GetUserByEmail(ctx, "editor@example.com")
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "GetUserByEmail", got, editor)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := db.GetUserByEmail(ctx, "nobody@example.com")
		MustKind(t, err, cms.KindNotFound, "")
		_, err = db.GetUser(ctx, cms.NewID())
		MustKind(t, err, cms.KindNotFound, "")
		MustKind(t, db.RecordLoginFailure(ctx, cms.NewID(), 5, t0), cms.KindNotFound, "")
		MustKind(t, db.RecordLoginSuccess(ctx, cms.NewID()), cms.KindNotFound, "")
		_, err = db.BumpTokenVersion(ctx, cms.NewID())
		MustKind(t, err, cms.KindNotFound, "")
	})
	t.Run("ListCount", func(t *testing.T) {
		list, err := db.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "ListUsers", list, []*cms.User{owner, editor})
		n, err := db.CountUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "CountUsers", n, 2)
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		err := db.CreateUser(ctx, newUser("owner@example.com", t0))
		MustKind(t, err, cms.KindConflict, "email")
	})
}

func TestUser_Update(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	u := newUser("a@example.com", t0)
	MustCreateUser(t, db, newUser("b@example.com", t0))
	MustCreateUser(t, db, u)

	u.Name, u.Version, u.UpdatedAt = "Renamed", 2, t0.Add(time.Minute)
	if err := db.UpdateUser(ctx, u, 1); err != nil {
		t.Fatal(err)
	}
	MustEqual(t, "GetUser", MustGetUser(t, db, u.ID), u)

	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := *u
		stale.Name = "Stale"
		MustKind(t, db.UpdateUser(ctx, &stale, 1), cms.KindConflict, "version")
		MustEqual(t, "GetUser", MustGetUser(t, db, u.ID), u)
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		taken := *u
		taken.Email, taken.Version = "b@example.com", 3
		MustKind(t, db.UpdateUser(ctx, &taken, 2), cms.KindConflict, "email")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		MustKind(t, db.UpdateUser(ctx, newUser("c@example.com", t0), 1), cms.KindNotFound, "")
	})
	t.Run("TokenVersionNeverShrinks", func(t *testing.T) {
		stale := MustGetUser(t, db, u.ID)
		if _, err := db.BumpTokenVersion(ctx, u.ID); err != nil { // a revocation meanwhile
			t.Fatal(err)
		}
		prev := stale.Version
		stale.Name, stale.Version = "Edited", prev+1
		if err := db.UpdateUser(ctx, stale, prev); err != nil {
			t.Fatal(err)
		}
		got := MustGetUser(t, db, u.ID)
		MustEqual(t, "TokenVersion", got.TokenVersion, 1)
		MustEqual(t, "Name", got.Name, "Edited")
	})
}

func TestUser_LoginCounters(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	u := newUser("a@example.com", t0)
	MustCreateUser(t, db, u)
	lock := t0.Add(15 * time.Minute)

	t.Run("ConcurrentFailures", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() { errs <- db.RecordLoginFailure(ctx, u.ID, 10, lock) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got := MustGetUser(t, db, u.ID)
		MustEqual(t, "FailedLogins", got.FailedLogins, 8)
		MustEqual(t, "LockedUntil", got.LockedUntil, time.Time{})
		MustEqual(t, "Version", got.Version, 1)
	})
	t.Run("Lock", func(t *testing.T) {
		for range 2 {
			if err := db.RecordLoginFailure(ctx, u.ID, 10, lock); err != nil {
				t.Fatal(err)
			}
		}
		got := MustGetUser(t, db, u.ID)
		MustEqual(t, "FailedLogins", got.FailedLogins, 10)
		MustEqual(t, "LockedUntil", got.LockedUntil, lock)
		// A later failure with an earlier end never shortens the lock.
		if err := db.RecordLoginFailure(ctx, u.ID, 10, lock.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "LockedUntil", MustGetUser(t, db, u.ID).LockedUntil, lock)
	})
	t.Run("Success", func(t *testing.T) {
		if err := db.RecordLoginSuccess(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		got := MustGetUser(t, db, u.ID)
		MustEqual(t, "FailedLogins", got.FailedLogins, 0)
		MustEqual(t, "LockedUntil", got.LockedUntil, time.Time{})
		MustEqual(t, "Version", got.Version, 1)
	})
	t.Run("BumpTokenVersion", func(t *testing.T) {
		for want := 1; want <= 3; want++ {
			got, err := db.BumpTokenVersion(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			MustEqual(t, "BumpTokenVersion", got, want)
		}
		got := MustGetUser(t, db, u.ID)
		MustEqual(t, "TokenVersion", got.TokenVersion, 3)
		MustEqual(t, "Version", got.Version, 1)
	})
	t.Run("Delete", func(t *testing.T) {
		if err := db.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.GetUser(ctx, u.ID)
		MustKind(t, err, cms.KindNotFound, "")
		MustKind(t, db.DeleteUser(ctx, u.ID), cms.KindNotFound, "")
	})
}

func TestUser_RevokeSession(t *testing.T) {
	t.Parallel()
	db := cmstest.New(t)
	ctx := context.Background()
	u := newUser("a@example.com", t0)
	MustCreateUser(t, db, u)
	revoke := func(t *testing.T, id string, exp, now time.Time) {
		t.Helper()
		if err := db.RevokeSession(ctx, u.ID, cms.RevokedSession{ID: id, ExpiresAt: exp}, now); err != nil {
			t.Fatalf("RevokeSession(%s): %v", id, err)
		}
	}
	ids := func(t *testing.T) []string {
		t.Helper()
		var out []string
		for _, r := range MustGetUser(t, db, u.ID).RevokedSessions {
			out = append(out, r.ID)
		}
		return out
	}

	t.Run("Concurrent", func(t *testing.T) {
		var wg sync.WaitGroup
		for _, id := range []string{"s1", "s2", "s3", "s4", "s5", "s6"} {
			wg.Go(func() { revoke(t, id, t0.Add(time.Hour), t0) })
		}
		wg.Wait()
		if got := ids(t); !sameSet(got, []string{"s1", "s2", "s3", "s4", "s5", "s6"}) {
			t.Fatalf("revoked = %v, want s1..s6", got)
		}
		got := MustGetUser(t, db, u.ID)
		if !got.SessionRevoked("s4") || got.SessionRevoked("s7") {
			t.Fatalf("SessionRevoked wrong for %v", got.RevokedSessions)
		}
		MustEqual(t, "Version", got.Version, 1)
	})
	t.Run("PrunesExpired", func(t *testing.T) {
		revoke(t, "late", t0.Add(3*time.Hour), t0.Add(2*time.Hour))
		MustEqual(t, "revoked", ids(t), []string{"late"})
	})
	t.Run("KeptByUpdateUser", func(t *testing.T) {
		stale := MustGetUser(t, db, u.ID)
		stale.RevokedSessions = nil
		stale.Name, stale.Version = "Edited", 2
		if err := db.UpdateUser(ctx, stale, 1); err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "revoked", ids(t), []string{"late"})
	})
	t.Run("EmptiedByBumpTokenVersion", func(t *testing.T) {
		if _, err := db.BumpTokenVersion(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		MustEqual(t, "revoked", ids(t), nil)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		err := db.RevokeSession(ctx, cms.NewID(), cms.RevokedSession{ID: "x", ExpiresAt: t0}, t0)
		MustKind(t, err, cms.KindNotFound, "")
	})
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		if m[s]--; m[s] < 0 {
			return false
		}
	}
	return true
}
