package main

import (
	"context"
	"math"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestConfigMemoryLimit: LULLABY_MEMORY_LIMIT (or --memory-limit) is a
// size with its unit, none by default; a bad one is refused naming it.
func TestConfigMemoryLimit(t *testing.T) {
	t.Parallel()
	load := func(v string, args ...string) (*config, error) {
		return loadConfig("serve", args, func(k string) string {
			if k == "LULLABY_MEMORY_LIMIT" {
				return v
			}
			return ""
		}, &strings.Builder{})
	}
	for v, want := range map[string]int64{"": 0, "200MiB": 200 << 20, " 1GiB ": 1 << 30, "32MiB": 32 << 20, "65536KiB": 64 << 20, "1TiB": 1 << 40, "104857600B": 100 << 20} {
		cfg, err := load(v)
		if err != nil || cfg.MemoryLimit != want {
			t.Errorf("LULLABY_MEMORY_LIMIT=%q: %d, %v; want %d", v, cfg.MemoryLimit, err, want)
		}
	}
	if cfg, err := load("", "--memory-limit", "300MiB"); err != nil || cfg.MemoryLimit != 300<<20 {
		t.Errorf("--memory-limit 300MiB: %+v, %v", cfg, err)
	}
	for _, v := range []string{"200", "200MB", "lots", "31MiB", "0", "0MiB", "-1GiB", "1.5GiB", "MiB", "9999999TiB", "off"} {
		if _, err := load(v); err == nil || !strings.Contains(err.Error(), "LULLABY_MEMORY_LIMIT") {
			t.Errorf("LULLABY_MEMORY_LIMIT=%q: err = %v, want one naming it", v, err)
		}
	}
}

// TestServeSetsMemoryLimit: lullaby serve gives the runtime the limit set.
// Not parallel: the limit is the whole test binary's.
func TestServeSetsMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(math.MaxInt64) // none, whatever it was
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	ctx, cancel := context.WithCancel(context.Background())
	out := &cmstest.SyncBuffer{}
	done := make(chan error, 1)
	env := map[string]string{"LULLABY_MEMORY_LIMIT": "8GiB", "LULLABY_LOG_LEVEL": "warn"}
	go func() {
		done <- runServe(ctx, []string{"--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, func(k string) string { return env[k] }, out, out)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "listening on") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got := debug.SetMemoryLimit(-1)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got != 8<<30 {
		t.Errorf("memory limit while serving: %d, want %d (output: %s)", got, int64(8<<30), out.String())
	}
}
