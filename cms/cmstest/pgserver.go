package cmstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/mongodb"
)

// PG is a MongoDB-wire server shared the way a production MongoDB is: a
// FerretDB server (PostgreSQL handler, in this process, on a loopback TCP
// port) on a PostgreSQL cluster of its own (a child process, in a private
// temporary folder, reached through a Unix socket there, no TCP). Several
// `lullaby serve` processes can use it through LULLABY_MONGODB_URI.
//
// Stop and Start stop and restart the FerretDB listener on the same port
// (clients get "connection refused", as from a stopped mongod);
// StopPostgreSQL and StartPostgreSQL do the same to PostgreSQL (FerretDB
// still accepts connections but every command fails). Both restart with
// the data kept.
type PG struct {
	dir, data string // the private folder (socket, log) and the cluster in it
	bin       string // the folder of initdb and postgres
	pgURL     string // FerretDB's PostgreSQL URL
	logger    *slog.Logger

	mu       sync.Mutex
	addr     string // FerretDB's address, kept across restarts
	uri      string
	srv      *mongodb.Server
	postgres *exec.Cmd
	exited   chan struct{} // closed when postgres exits
}

// pgSocketDirMax is the longest folder that fits PostgreSQL's socket name
// (".s.PGSQL.5432") in the 107 bytes Linux allows.
const pgSocketDirMax = 90

// PGServer starts a FerretDB-on-PostgreSQL server for tb, stopped and
// removed when tb ends. Without PostgreSQL on the machine the test is
// skipped, saying how to install it, unless LULLABY_E2E=1, which makes it
// a failure. Each call starts a cluster of its own (about 3 s), so a test
// may stop it without disturbing others; for many databases on one server
// use PG.New.
func PGServer(tb testing.TB) *PG {
	tb.Helper()
	bin, err := PostgreSQLBin()
	if err == nil {
		err = pgUserOK()
	}
	if err != nil {
		const how = "apt-get install postgresql (LULLABY_E2E=1 makes this a failure)"
		if os.Getenv("LULLABY_E2E") == "1" {
			tb.Fatalf("LULLABY_E2E=1 but %v: %s", err, how)
		}
		tb.Skipf("PostgreSQL test server skipped: %v: %s", err, how)
	}
	p, err := StartPG(bin, Logger())
	if err != nil {
		tb.Fatalf("cmstest: %v", err)
	}
	tb.Cleanup(func() {
		if err := p.Close(); err != nil {
			tb.Errorf("cmstest: %v", err)
		}
	})
	return p
}

// PostgreSQLBin returns the folder holding PostgreSQL's initdb and postgres:
// that of initdb on PATH, else the newest /usr/lib/postgresql/*/bin
// (Debian's postgresql package puts them there, off PATH).
func PostgreSQLBin() (string, error) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(found, func(i, j int) bool { return pgMajor(found[i]) > pgMajor(found[j]) })
	dirs = append(dirs, found...)
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", errors.New("no PostgreSQL found (initdb and postgres on PATH or in /usr/lib/postgresql/*/bin)")
}

// pgMajor reads the major version out of /usr/lib/postgresql/<major>/bin.
func pgMajor(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// StartPG creates a PostgreSQL cluster in a new private temporary folder
// with the tools in bin (see PostgreSQLBin), starts it, and starts FerretDB
// on it on a free loopback port. logger receives FerretDB's errors. Close
// stops both and removes the folder.
func StartPG(bin string, logger *slog.Logger) (*PG, error) {
	if err := pgUserOK(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "lullaby-pg-") // 0700
	if err == nil && len(dir) > pgSocketDirMax {
		_ = os.Remove(dir)
		dir, err = os.MkdirTemp("/tmp", "lullaby-pg-")
	}
	if err != nil {
		return nil, fmt.Errorf("a folder for PostgreSQL: %w", err)
	}
	p := &PG{dir: dir, data: filepath.Join(dir, "data"), bin: bin, logger: logger, addr: "127.0.0.1:0"}
	p.pgURL = "postgres://postgres@/postgres?host=" + dir
	ok := false
	defer func() {
		if !ok {
			_ = p.Close()
		}
	}()
	if err := pgOwn(dir); err != nil {
		return nil, fmt.Errorf("PostgreSQL's folder %s: %w", dir, err)
	}
	if err := p.initdb(); err != nil {
		return nil, err
	}
	if err := p.StartPostgreSQL(); err != nil {
		return nil, err
	}
	if err := p.Start(); err != nil {
		return nil, err
	}
	ok = true
	return p, nil
}

// initdb creates the cluster: trust on its Unix socket only (the folder is
// 0700), no TCP, and no fsync, since the data is thrown away.
func (p *PG) initdb() error {
	cmd := exec.Command(filepath.Join(p.bin, "initdb"), "-D", p.data, "-A", "trust", "-U", "postgres",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	p.prepare(cmd)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("initdb in %s: %w\n%s", p.data, err, out.Bytes())
	}
	conf := fmt.Sprintf(`
# cmstest.PGServer
listen_addresses = ''
unix_socket_directories = '%s'
unix_socket_permissions = 0700
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
`, p.dir)
	f, err := os.OpenFile(filepath.Join(p.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("PostgreSQL's configuration: %w", err)
	}
	_, err = f.WriteString(conf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// prepare runs cmd in the private folder, as the user PostgreSQL runs as.
func (p *PG) prepare(cmd *exec.Cmd) {
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	pgSysProcAttr(cmd)
}

// URI returns the server's connection string, with no database: set
// LULLABY_MONGODB_DATABASE, or use New, for one.
func (p *PG) URI() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.uri
}

// Dir returns the private folder holding PostgreSQL's cluster ("data"),
// its socket and its log ("postgres.log").
func (p *PG) Dir() string { return p.dir }

// New returns a store on a fresh database of the server, closed when tb
// ends, with the environment (LULLABY_MONGODB_URI and
// LULLABY_MONGODB_DATABASE) that points a `lullaby serve` process, or a
// command run in-process, at the same database. The database is not
// dropped: it goes with the server's folder, so the server may well be
// stopped when tb ends.
func (p *PG) New(tb testing.TB) (*mongodb.DB, map[string]string) {
	tb.Helper()
	return newOn(tb, p.URI(), false)
}

// Start starts FerretDB on the port it had, or on a free one the first
// time. Starting a running server does nothing.
func (p *PG) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.srv != nil {
		return nil
	}
	var err error
	// The port was just freed by Stop; another process could take it
	// meanwhile, which is unlikely enough to retry briefly, not to avoid.
	for i := 0; i < 50; i++ {
		p.srv, err = mongodb.StartServer(mongodb.ServerConfig{PostgreSQLURL: p.pgURL, Addr: p.addr, Logger: p.logger})
		if err == nil {
			p.addr, p.uri = p.srv.Addr(), p.srv.URI()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("FerretDB on PostgreSQL: %w", err)
}

// Stop stops FerretDB: new connections are refused at once, and the
// connected clients' connections are closed within FerretDB's 3 s grace.
// Stopping a stopped server does nothing.
func (p *PG) Stop() {
	p.mu.Lock()
	srv := p.srv
	p.srv = nil
	p.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// StartPostgreSQL starts PostgreSQL on the cluster and waits until it
// accepts connections. Starting it when it runs does nothing.
func (p *PG) StartPostgreSQL() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.postgres != nil {
		return nil
	}
	log, err := os.OpenFile(filepath.Join(p.dir, "postgres.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("PostgreSQL's log: %w", err)
	}
	defer log.Close()
	cmd := exec.Command(filepath.Join(p.bin, "postgres"), "-D", p.data)
	cmd.Stdout, cmd.Stderr = log, log
	p.prepare(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	p.postgres, p.exited = cmd, exited
	if err := p.waitReady(exited, 30*time.Second); err != nil {
		_ = cmd.Process.Kill()
		<-exited
		p.postgres = nil
		return err
	}
	return nil
}

// waitReady waits until postmaster.pid says "ready", as pg_ctl -w does.
func (p *PG) waitReady(exited <-chan struct{}, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		b, _ := os.ReadFile(filepath.Join(p.data, "postmaster.pid"))
		if lines := strings.Split(string(b), "\n"); len(lines) > 7 && strings.TrimSpace(lines[7]) == "ready" {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("PostgreSQL stopped while starting: %s", p.logTail())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("PostgreSQL not ready within %s: %s", timeout, p.logTail())
		}
	}
}

// logTail returns the end of PostgreSQL's log, for error messages.
func (p *PG) logTail() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "postgres.log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// StopPostgreSQL stops PostgreSQL (a fast shutdown: sessions are ended,
// nothing committed is lost) and waits until it has exited. Stopping it
// when it is stopped does nothing.
func (p *PG) StopPostgreSQL() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.postgres == nil {
		return nil
	}
	cmd, exited := p.postgres, p.exited
	p.postgres = nil
	_ = cmd.Process.Signal(os.Interrupt) // SIGINT: fast shutdown
	select {
	case <-exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		return errors.New("PostgreSQL did not stop within 30 s; killed")
	}
}

// Close stops FerretDB and PostgreSQL and removes the folder.
func (p *PG) Close() error {
	p.Stop()
	err := p.StopPostgreSQL()
	if rmErr := os.RemoveAll(p.dir); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("remove %s: %w", p.dir, rmErr))
	}
	return err
}

// newOn opens a store on a fresh database of the server at uri, closed,
// and dropped first if drop, when tb ends.
func newOn(tb testing.TB, uri string, drop bool) (*mongodb.DB, map[string]string) {
	tb.Helper()
	name := fmt.Sprintf("test_%s_%d", runID, dbCounter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := mongodb.Open(ctx, mongodb.Config{URI: uri, Database: name, Logger: Logger(), Timeout: 5 * time.Second})
	if err != nil {
		tb.Fatalf("cmstest: open database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if drop {
			if err := db.DropDatabase(ctx); err != nil {
				tb.Errorf("cmstest: drop database %s: %v", name, err)
			}
		}
		if err := db.Close(ctx); err != nil {
			tb.Errorf("cmstest: close database %s: %v", name, err)
		}
	})
	return db, map[string]string{"LULLABY_MONGODB_URI": uri, "LULLABY_MONGODB_DATABASE": name}
}
