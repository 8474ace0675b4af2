package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

func TestMain(m *testing.M) {
	// A test that needs the real program as another process runs this
	// binary with LULLABY_TEST_RUN_MAIN=1 (see startChild).
	if os.Getenv("LULLABY_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	cmstest.Main(m, stopChromium)
}

// testKey signs the sessions of servers on the shared test database, which
// has no data folder for a key file.
const testKey = "a test key of at least thirty-two bytes"

// MustServer returns a server on a fresh database of the shared test
// server, not listening; use s.app.Test or s.app.Handler.
func MustServer(tb testing.TB) *server { tb.Helper(); return MustServerEnv(tb, nil) }

// MustServerEnv is MustServer with env as the environment (with testKey as
// LULLABY_JWT_SECRET unless env sets it).
func MustServerEnv(tb testing.TB, env map[string]string) *server {
	tb.Helper()
	return mustServerOn(tb, cmstest.New(tb), env, cmstest.Logger())
}

// serverOn returns a server over db, not listening.
func serverOn(tb testing.TB, db *mongodb.DB) *server {
	tb.Helper()
	return mustServerOn(tb, db, nil, cmstest.Logger())
}

// mustServerOn returns a server over db logging to log, not listening, with
// env as the environment (with testKey as LULLABY_JWT_SECRET unless env
// sets it).
func mustServerOn(tb testing.TB, db *mongodb.DB, env map[string]string, log *slog.Logger) *server {
	tb.Helper()
	getenv := func(k string) string {
		if v, ok := env[k]; ok || k != "LULLABY_JWT_SECRET" {
			return v
		}
		return testKey
	}
	cfg, err := loadConfig("serve", nil, getenv, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	s := &server{cfg: cfg, log: log, db: db}
	if err := s.init(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}
