// Package cmstest is the test harness for code that needs a real store: one
// embedded FerretDB server per test binary, and a fresh, uniquely named
// database for every test, dropped when the test ends, so tests may run in
// parallel. Set LULLABY_TEST_MONGODB_URI to run against a MongoDB server
// instead of the embedded one.
//
// On top of it, fixture.go builds what tests of the domain and the
// surfaces start from: a service wired to its read model as cmd/lullaby
// wires them (MustService), posts, published posts and users.
//
// Call Main from TestMain so that the shared server is stopped and its
// files removed when the tests are done:
//
//	func TestMain(m *testing.M) { cmstest.Main(m) }
package cmstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lullabycms/lullaby/cms/mongodb"
)

// EnvURI names the environment variable that points the tests at a MongoDB
// server instead of the embedded one.
const EnvURI = "LULLABY_TEST_MONGODB_URI"

// shared is the server every test of the binary uses.
var shared struct {
	once sync.Once
	uri  string
	emb  *mongodb.Embedded
	dir  string
	err  error
}

var (
	dbCounter atomic.Uint64
	runID     = randomHex(4)
)

// server returns the URI of the shared server, starting the embedded one on
// first use.
func server() (string, error) {
	shared.once.Do(func() {
		if uri := os.Getenv(EnvURI); uri != "" {
			shared.uri = uri
			return
		}
		dir, err := os.MkdirTemp("", "lullaby-cmstest-")
		if err != nil {
			shared.err = err
			return
		}
		emb, err := mongodb.StartEmbedded(mongodb.EmbeddedConfig{DataDir: dir})
		if err != nil {
			_ = os.RemoveAll(dir)
			shared.err = err
			return
		}
		shared.dir, shared.emb, shared.uri = dir, emb, emb.URI()
	})
	return shared.uri, shared.err
}

// Logger returns a logger that drops everything, for stores under test.
func Logger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// New returns a store on a fresh database of the shared server. The
// database is dropped and the client closed when tb ends.
func New(tb testing.TB) *mongodb.DB {
	tb.Helper()
	db, _ := NewWithEnv(tb)
	return db
}

// NewWithEnv is New, with the environment (LULLABY_MONGODB_URI and
// LULLABY_MONGODB_DATABASE) that points a command run in-process at the
// same database.
func NewWithEnv(tb testing.TB) (*mongodb.DB, map[string]string) {
	tb.Helper()
	uri, err := server()
	if err != nil {
		tb.Fatalf("cmstest: cannot start the test database server: %v", err)
	}
	return newOn(tb, uri, true)
}

// Main runs the tests, then calls each of after (which stops what the
// package's tests shared: a browser, say), stops the shared embedded
// server (if one was started), removes its files and exits with the
// tests' status.
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	for _, f := range after {
		f()
	}
	if shared.emb != nil {
		_ = shared.emb.Close()
	}
	if shared.dir != "" {
		if err := os.RemoveAll(shared.dir); err != nil {
			fmt.Fprintf(os.Stderr, "cmstest: remove %s: %v\n", shared.dir, err)
		}
	}
	os.Exit(code)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
