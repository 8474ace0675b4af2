package cmstest

import (
	"testing"

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
