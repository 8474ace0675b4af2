package mongodb

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is an in-process FerretDB server (SQLite handler) listening on a
// random loopback port. Several databases, and several clients, can share
// one.
type Embedded struct {
	uri    string
	dir    string
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// startMu serialises FerretDB start-ups: ferretdb.New writes package-level
// state.
var startMu sync.Mutex

// StartEmbedded starts FerretDB with its SQLite files in dataDir (created if
// missing) on 127.0.0.1 with a free port. FerretDB logs through logger's
// handler (a text handler on stderr when logger is nil): errors only, or
// every level when debug is set. (FerretDB logs every error reply at Warn,
// with the whole message: each taken slug and each client disconnect would
// print a dozen lines.) It fails with a message naming the folder when
// dataDir cannot be written.
func StartEmbedded(dataDir string, logger *slog.Logger, debug bool) (*Embedded, error) {
	if dataDir == "" {
		dataDir = DefaultDataDir
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("mongodb: data folder %q: %w", dataDir, err)
	}
	if strings.ContainsAny(dir, "?#%") {
		// FerretDB copies the path into an SQLite URI without escaping it.
		return nil, fmt.Errorf("mongodb: the data folder %s cannot be used: its path must not contain ?, # or %%", dir)
	}
	if err := checkWritable(dir); err != nil {
		return nil, err
	}

	startMu.Lock()
	defer startMu.Unlock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/"}).String(),
		Logger:    ferretLogger(logger, debug),
	})
	if err != nil {
		return nil, fmt.Errorf("mongodb: cannot start the embedded database in %s: %w", dir, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Embedded{uri: f.MongoDBURI(), dir: dir, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		_ = f.Run(ctx) // always nil; it returns once everything is closed
	}()
	return e, nil
}

// URI returns the MongoDB connection string of the server.
func (e *Embedded) URI() string { return e.uri }

// DataDir returns the absolute path of the folder holding the data.
func (e *Embedded) DataDir() string { return e.dir }

// Close stops the server and waits until it has closed every connection and
// its files. FerretDB gives connected clients up to 3 seconds to go away, so
// disconnect them first for a quick stop. Calling Close again does nothing.
func (e *Embedded) Close() error {
	e.once.Do(func() {
		e.cancel()
		<-e.done
	})
	return nil
}

// checkWritable creates dir if needed and proves that files can be created
// in it.
func checkWritable(dir string) error {
	fail := func(err error) error {
		return fmt.Errorf("mongodb: the data folder %s is not usable: it must be a writable folder: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fail(err)
	}
	f, err := os.CreateTemp(dir, ".lullaby-write-check-*")
	if err != nil {
		return fail(err)
	}
	name := f.Name()
	err = f.Close()
	if rmErr := os.Remove(name); err == nil {
		err = rmErr
	}
	if err != nil {
		return fail(err)
	}
	return nil
}

// ferretLogger returns the logger given to FerretDB: logger's handler (or a
// text handler on stderr) filtered to Error and above unless debug.
func ferretLogger(logger *slog.Logger, debug bool) *slog.Logger {
	level := slog.LevelError
	if debug {
		level = slog.LevelDebug
	}
	var h slog.Handler
	if logger != nil {
		h = logger.Handler()
	} else {
		h = slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})
	}
	return slog.New(levelHandler{min: level, h: h}).With("component", "ferretdb")
}

// levelHandler drops records below min before they reach h.
type levelHandler struct {
	min slog.Level
	h   slog.Handler
}

func (l levelHandler) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= l.min && l.h.Enabled(ctx, lv)
}

func (l levelHandler) Handle(ctx context.Context, r slog.Record) error { return l.h.Handle(ctx, r) }

func (l levelHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return levelHandler{min: l.min, h: l.h.WithAttrs(as)}
}

func (l levelHandler) WithGroup(name string) slog.Handler {
	return levelHandler{min: l.min, h: l.h.WithGroup(name)}
}
