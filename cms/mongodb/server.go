package mongodb

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// ServerConfig configures StartServer.
type ServerConfig struct {
	// PostgreSQLURL is the PostgreSQL database FerretDB keeps its data in,
	// as pgx reads it (postgres://user@/db?host=/socket/folder, say).
	PostgreSQLURL string
	// Addr is the loopback TCP address to listen on; "127.0.0.1:0" picks a
	// free port.
	Addr string
	// Logger and Debug are as in EmbeddedConfig.
	Logger *slog.Logger
	Debug  bool
}

// Server is a FerretDB server on PostgreSQL running in this process: a
// MongoDB-wire server that other processes reach over loopback TCP. It is
// what stands in, in tests and CI, for a MongoDB server shared by several
// Lullaby processes; Lullaby itself never starts one.
type Server struct {
	uri, addr string
	cancel    context.CancelFunc
	done      chan struct{}
	once      sync.Once
}

// StartServer starts FerretDB with its PostgreSQL handler on
// cfg.PostgreSQLURL, listening on cfg.Addr, which must be a loopback
// address: the server has no authentication. FerretDB connects to
// PostgreSQL lazily, so a server whose PostgreSQL is down starts, and
// answers every command with an error until PostgreSQL is back.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.PostgreSQLURL == "" {
		return nil, fmt.Errorf("mongodb: a FerretDB server needs a PostgreSQL URL")
	}
	if err := checkLoopback(cfg.Addr); err != nil {
		return nil, err
	}
	startMu.Lock()
	defer startMu.Unlock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: cfg.Addr},
		Handler:       "postgresql",
		PostgreSQLURL: cfg.PostgreSQLURL,
		Logger:        ferretLogger(cfg.Logger, cfg.Debug),
	})
	if err != nil {
		return nil, fmt.Errorf("mongodb: cannot start FerretDB on %s: %w", cfg.Addr, err)
	}
	s := &Server{done: make(chan struct{})}
	var ctx context.Context
	ctx, s.cancel = context.WithCancel(context.Background())
	go func() {
		defer close(s.done)
		_ = f.Run(ctx) // always nil; it returns once everything is closed
	}()
	// The listener is bound by New; MongoDBURI reads its address.
	u, err := url.Parse(f.MongoDBURI())
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("mongodb: FerretDB's URI: %w", err)
	}
	s.addr = u.Host
	if _, _, err := net.SplitHostPort(s.addr); err != nil {
		s.Close()
		return nil, fmt.Errorf("mongodb: FerretDB's address %q: %w", s.addr, err)
	}
	s.uri = (&url.URL{Scheme: "mongodb", Host: s.addr, Path: "/"}).String()
	return s, nil
}

// URI returns the server's connection string (mongodb://127.0.0.1:port/).
func (s *Server) URI() string { return s.uri }

// Addr returns the TCP address the server listens on, its port resolved.
func (s *Server) Addr() string { return s.addr }

// Close stops listening at once, gives connected clients up to 3 seconds
// to go away (FerretDB's grace), closes the rest and its PostgreSQL pool,
// and returns when all is closed. Calling it again does nothing.
func (s *Server) Close() {
	s.once.Do(func() {
		s.cancel()
		<-s.done
	})
}
