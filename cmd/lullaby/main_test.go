package main

import (
	"context"
	"io"
	"testing"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestMain(m *testing.M) { cmstest.Main(m) }

// MustServer returns a server on a fresh database of the shared test
// server, not listening; use s.app.Test or s.app.Handler.
func MustServer(tb testing.TB) *server { tb.Helper(); return MustServerEnv(tb, nil) }

// MustServerEnv is MustServer with env as the environment.
func MustServerEnv(tb testing.TB, env map[string]string) *server {
	tb.Helper()
	db := cmstest.New(tb)
	cfg, err := loadConfig("serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	s := &server{cfg: cfg, log: cmstest.Logger(), db: db}
	if err := s.init(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}
