package cmstest

import (
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/imaging"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// Fixture is a domain service on a test database together with the read
// model it publishes to, wired as cmd/lullaby wires them.
type Fixture struct {
	DB   *mongodb.DB
	Read *readmodel.ReadModel
	Svc  *cms.Service
}

// MustService returns a Fixture on a fresh database (see New). Each opt
// may change the service's configuration (Now, CrossrefURL, ...) before
// the service is built; images are processed by cms/imaging, as in
// cmd/lullaby.
func MustService(tb testing.TB, opts ...func(*cms.ServiceConfig)) *Fixture {
	tb.Helper()
	return MustServiceOn(tb, New(tb), opts...)
}

// MustServiceOn returns a Fixture on db: with a db another Fixture uses,
// it is a second instance of the program on the same database.
func MustServiceOn(tb testing.TB, db *mongodb.DB, opts ...func(*cms.ServiceConfig)) *Fixture {
	tb.Helper()
	cfg := cms.ServiceConfig{Store: db, Logger: Logger(), Images: imaging.Processor{}}
	for _, o := range opts {
		o(&cfg)
	}
	rm := readmodel.NewReadModel(db, cfg.Logger)
	cfg.Publisher = rm
	svc, err := cms.NewService(cfg)
	if err != nil {
		tb.Fatalf("cmstest: cms.NewService: %v", err)
	}
	return &Fixture{DB: db, Read: rm, Svc: svc}
}

// Owner returns an owner to act as. The services check the actor's role,
// not that the user is stored; MustUser stores one.
func Owner() *cms.User { return &cms.User{ID: cms.NewID(), Role: cms.RoleOwner} }

// MustPost creates a draft with in through the service, as an owner.
func (f *Fixture) MustPost(tb testing.TB, in cms.PostInput) *cms.Post {
	tb.Helper()
	p, err := f.Svc.CreatePost(tb.Context(), Owner(), in)
	if err != nil {
		tb.Fatalf("cmstest: CreatePost: %v", err)
	}
	return p
}

// MustPublished stores a post with in as published at at (now when zero),
// as one save, and returns it as saved. The read model serves it once
// MustPublished returns.
func (f *Fixture) MustPublished(tb testing.TB, in cms.PostInput, at time.Time) *cms.Post {
	tb.Helper()
	if at.IsZero() {
		at = time.Now()
	}
	p, err := f.Svc.ImportPost(tb.Context(), Owner(), in, cms.StatusPublished, at)
	if err != nil {
		tb.Fatalf("cmstest: ImportPost: %v", err)
	}
	f.Svc.Refresh(tb.Context())
	return p
}

// MustUser stores a user made from in, with what in leaves unset filled
// in (a new e-mail address, a name, the editor role, a password), and
// returns it. Tokens are the surfaces' business: admin's tests sign in
// or mint one for the user.
func (f *Fixture) MustUser(tb testing.TB, in cms.UserInput) *cms.User {
	tb.Helper()
	if in.Email == nil {
		in.Email = new("user-" + cms.NewID() + "@example.com")
	}
	if in.Name == nil {
		in.Name = new("Test User")
	}
	if in.Role == nil {
		in.Role = new(cms.RoleEditor)
	}
	if in.Password == nil {
		in.Password = new("a test password, long enough")
	}
	u, err := f.Svc.CreateUser(tb.Context(), nil, in)
	if err != nil {
		tb.Fatalf("cmstest: CreateUser: %v", err)
	}
	return u
}
