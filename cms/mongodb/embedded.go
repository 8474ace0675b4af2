package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Files of the embedded server inside its data folder.
const (
	// SocketName is the Unix socket the embedded server listens on.
	SocketName = "mongodb.sock"
	// LockName is the lock file: whoever holds a lock on it owns the
	// folder. It holds that process's id and socket path.
	LockName = "lullaby.lock"
)

// maxSocketPath is the longest socket path used: Linux allows 107 bytes,
// macOS and the BSDs 103.
const maxSocketPath = 103

// EmbeddedConfig configures StartEmbedded.
type EmbeddedConfig struct {
	// DataDir holds the SQLite files (default DefaultDataDir); created if
	// missing.
	DataDir string
	// Logger receives FerretDB's logs through a filter (a text handler on
	// stderr when nil): errors only, or every level when Debug is set.
	// (FerretDB logs every error reply at Warn, with the whole message:
	// each taken slug and each client disconnect would print a dozen
	// lines.)
	Logger *slog.Logger
	Debug  bool
	// DebugAddr, when set, also opens a TCP listener on this loopback
	// address, without authentication: any process on the machine can
	// then read and change everything. For looking inside with mongosh.
	DebugAddr string
}

// Embedded is an in-process FerretDB server (SQLite handler) listening on a
// Unix socket inside its data folder, which it holds locked while it runs.
// Several databases, and several clients, can share one.
type Embedded struct {
	uri, dir, sock string
	tmpDir         string // a private folder for the socket when dir's path is too long
	debugAddr      string
	lock           *os.File
	cancel         context.CancelFunc
	done           chan struct{}
	once           sync.Once
}

// startMu serialises FerretDB start-ups: ferretdb.New writes package-level
// state.
var startMu sync.Mutex

// InUseError is returned by StartEmbedded when another server holds the
// data folder.
type InUseError struct {
	Dir string
	// PID is the holder's process id, 0 if it has not written it yet.
	PID int
	// Socket is the holder's socket, "" if it has not written it yet.
	Socket string
}

func (e *InUseError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("process %d", e.PID)
	}
	return fmt.Sprintf("the data folder %s is in use by %s (it holds %s); the embedded database serves one process at a time", e.Dir, who, filepath.Join(e.Dir, LockName))
}

// URI returns the connection string of the holder's socket, "" if unknown.
func (e *InUseError) URI() string {
	if e.Socket == "" {
		return ""
	}
	return socketURI(e.Socket)
}

// StartEmbedded starts FerretDB with its SQLite files in cfg.DataDir. It
// locks the folder (a second server on it gets an *InUseError), makes the
// folder 0700 and every file in it 0600, and listens on a Unix socket in
// it, or in a private temporary folder when the folder's path is too long
// for a socket. It fails with a message naming the folder when the folder
// cannot be written or made private.
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("mongodb: data folder %q: %w", cfg.DataDir, err)
	}
	if strings.ContainsAny(dir, "?#%") {
		// FerretDB copies the path into an SQLite URI without escaping it.
		return nil, fmt.Errorf("mongodb: the data folder %s cannot be used: its path must not contain ?, # or %%", dir)
	}
	if cfg.DebugAddr != "" {
		if err := checkLoopback(cfg.DebugAddr); err != nil {
			return nil, err
		}
	}
	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	e := &Embedded{dir: dir, debugAddr: cfg.DebugAddr, done: make(chan struct{})}
	if e.lock, err = lockDir(dir); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			e.release()
		}
	}()
	if err := makePrivate(dir); err != nil {
		return nil, err
	}
	if e.sock, err = e.socketPath(); err != nil {
		return nil, err
	}
	// Only a socket left by a crash can be there: this process holds the
	// lock.
	if fi, err := os.Lstat(e.sock); err == nil && fi.Mode()&os.ModeSocket != 0 {
		_ = os.Remove(e.sock)
	}

	startMu.Lock()
	defer startMu.Unlock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: e.sock, TCP: cfg.DebugAddr},
		Handler:   "sqlite",
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/"}).String(),
		Logger:    ferretLogger(cfg.Logger, cfg.Debug),
	})
	if err != nil {
		return nil, fmt.Errorf("mongodb: cannot start the embedded database in %s: %w", dir, err)
	}
	if cfg.DebugAddr != "" {
		if u, err := url.Parse(f.MongoDBURI()); err == nil {
			e.debugAddr = u.Host // the port actually bound
		}
	}
	if err := os.Chmod(e.sock, 0o600); err != nil {
		return nil, fmt.Errorf("mongodb: the socket %s: %w", e.sock, err)
	}
	if err := writeLockInfo(e.lock, e.sock); err != nil {
		return nil, fmt.Errorf("mongodb: the lock file in %s: %w", dir, err)
	}
	// FerretDB opened the existing databases: their files are fixed. New
	// ones get the process umask (cmd sets 077); SQLite gives -wal and
	// -shm files the mode of their database.
	if err := makePrivate(dir); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.uri, e.cancel = socketURI(e.sock), cancel
	embeddedDirs.Store(e.uri, dir)
	go func() {
		defer close(e.done)
		_ = f.Run(ctx) // always nil; it returns once everything is closed
	}()
	ok = true
	return e, nil
}

// socketPath returns where the socket goes: in the data folder, or in a
// new private temporary folder when that path would be too long.
func (e *Embedded) socketPath() (string, error) {
	sock := filepath.Join(e.dir, SocketName)
	if len(sock) <= maxSocketPath {
		return sock, nil
	}
	var err error
	for _, parent := range []string{os.TempDir(), "/tmp"} {
		var tmp string
		tmp, err = os.MkdirTemp(parent, "lullaby-db-") // 0700
		if err != nil {
			continue
		}
		if sock := filepath.Join(tmp, SocketName); len(sock) <= maxSocketPath {
			e.tmpDir = tmp
			return sock, nil
		}
		_ = os.Remove(tmp)
		err = fmt.Errorf("%s is too long a path for a socket", tmp)
	}
	return "", fmt.Errorf("mongodb: the path of the data folder %s is too long for its socket (at most %d bytes), and no short temporary folder could be made: %w", e.dir, maxSocketPath-len(SocketName)-1, err)
}

// socketURI is the connection string of the socket at path.
func socketURI(path string) string {
	// The driver wants the socket's path, escaped, as the host.
	return (&url.URL{Scheme: "mongodb", Host: path, Path: "/"}).String()
}

// checkLoopback refuses a debug address that other machines could reach.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mongodb: the debug address %q is not host:port (e.g. 127.0.0.1:27017)", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("mongodb: the debug address %q must be on loopback (127.0.0.1, ::1 or localhost): the database has no authentication", addr)
	}
	return nil
}

// URI returns the MongoDB connection string of the server (its socket).
func (e *Embedded) URI() string { return e.uri }

// DataDir returns the absolute path of the folder holding the data.
func (e *Embedded) DataDir() string { return e.dir }

// Socket returns the path of the server's Unix socket.
func (e *Embedded) Socket() string { return e.sock }

// DebugAddr returns the loopback TCP address the server also listens on,
// "" when none.
func (e *Embedded) DebugAddr() string { return e.debugAddr }

// Close stops the server, waits until it has closed every connection and
// its files, then releases the data folder. FerretDB gives connected
// clients up to 3 seconds to go away, so disconnect them first for a quick
// stop. Calling Close again does nothing.
func (e *Embedded) Close() error {
	e.once.Do(func() {
		embeddedDirs.Delete(e.uri)
		e.cancel()
		<-e.done
		e.release()
	})
	return nil
}

// release unlocks the data folder and removes the temporary socket folder.
func (e *Embedded) release() {
	if e.tmpDir != "" {
		_ = os.RemoveAll(e.tmpDir)
	}
	if e.lock != nil {
		_ = e.lock.Close() // closing the file drops the lock
	}
}

// makePrivate makes dir and every folder below it 0700 and every file
// 0600 (symbolic links are left alone), so that no other user of the
// machine can read the database. It fails naming the folder when a mode
// cannot be changed.
func makePrivate(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && path != dir {
				return nil // removed meanwhile (a journal)
			}
			return fmt.Errorf("mongodb: the data folder %s cannot be made private: %w", dir, err)
		}
		want := os.FileMode(0o600)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			return nil
		case d.IsDir():
			want = 0o700
		}
		fi, err := d.Info()
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err == nil && fi.Mode().Perm() == want {
			return nil
		}
		if err == nil {
			err = os.Chmod(path, want)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("mongodb: the data folder %s cannot be made private (folders 0700, files 0600): %w", dir, err)
		}
		return nil
	})
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
