package cms_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

// mustService returns a service on a fresh test database.
func mustService(tb testing.TB) *cms.Service {
	tb.Helper()
	return cmstest.MustService(tb).Svc
}

// mustServiceParts returns a service on a fresh test database, with the
// database and read model behind it for tests that look at either.
func mustServiceParts(tb testing.TB) (*cms.Service, *mongodb.DB, *readmodel.ReadModel) {
	tb.Helper()
	f := cmstest.MustService(tb)
	return f.Svc, f.DB, f.Read
}
