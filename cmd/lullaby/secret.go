package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lullabycms/lullaby/admin"
)

const (
	// keyFileName is the session key's file in the embedded database's
	// data folder.
	keyFileName = "jwt.key"
	// legacySecretName is the name under which earlier versions kept the
	// session key in the database.
	legacySecretName = "jwt"
	// base64Prefix marks a key written as base64 (a key of any bytes).
	base64Prefix = "base64:"
)

// errNoSecret is the refusal to run on a MongoDB URI without a configured
// session key.
var errNoSecret = errors.New("LULLABY_JWT_SECRET (or LULLABY_JWT_SECRET_FILE) is required with LULLABY_MONGODB_URI: " +
	"every instance must sign sessions with the same key, and the key is not kept in the database " +
	"(whoever can read it could sign in as anyone). Make one with `openssl rand -base64 48` and give the same to every instance")

// sessionKey returns the key that signs admin session tokens (the CSRF key
// is derived from it): LULLABY_JWT_SECRET, else the file named by
// LULLABY_JWT_SECRET_FILE, else, on the embedded database, the file
// jwt.key in its data folder, made (0600) at first start. A key that an
// earlier version kept in the database is written to that file, so
// sessions survive the upgrade, then deleted from the database, whichever
// key is used.
func (s *server) sessionKey(ctx context.Context) ([]byte, error) {
	key, err := s.configuredKey()
	if err != nil {
		return nil, err
	}
	legacy, found, err := s.db.LookupSecret(ctx, legacySecretName)
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	if key == nil {
		emb := s.db.EmbeddedServer()
		if emb == nil {
			return nil, errNoSecret
		}
		path := filepath.Join(emb.DataDir(), keyFileName)
		if key, err = keyFile(path, legacy); err != nil {
			return nil, err
		}
		if found {
			s.log.Info("moved the session key out of the database into its own file", "file", path)
		}
	} else if found {
		s.log.Info("deleted the session key that an earlier version kept in the database; sessions it signed end")
	}
	if found {
		if err := s.db.DeleteSecret(ctx, legacySecretName); err != nil {
			return nil, fmt.Errorf("session key: deleting the copy in the database: %w", err)
		}
	}
	return key, nil
}

// configuredKey returns the key given by LULLABY_JWT_SECRET or
// LULLABY_JWT_SECRET_FILE, nil when neither is set.
func (s *server) configuredKey() ([]byte, error) {
	if s.cfg.JWTSecret != "" {
		return parseKey("LULLABY_JWT_SECRET", s.cfg.JWTSecret)
	}
	if s.cfg.JWTSecretFile == "" {
		return nil, nil
	}
	b, err := os.ReadFile(s.cfg.JWTSecretFile)
	if err != nil {
		return nil, fmt.Errorf("LULLABY_JWT_SECRET_FILE: %w", err)
	}
	return parseKey("LULLABY_JWT_SECRET_FILE "+s.cfg.JWTSecretFile, string(b))
}

// keyFile reads the key file at path or, when there is none, creates it
// with legacy (when not nil) or a new random key.
func keyFile(path string, legacy []byte) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return parseKey(path, string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("session key: %w", err)
	}
	text := base64Prefix + base64.StdEncoding.EncodeToString(legacy)
	if legacy == nil {
		raw := make([]byte, 48)
		if _, err := rand.Read(raw); err != nil {
			return nil, fmt.Errorf("session key: %w", err)
		}
		text = base64.RawURLEncoding.EncodeToString(raw) // 64 characters
	}
	if err := writeFileAtomic(path, []byte(text+"\n")); err != nil {
		return nil, fmt.Errorf("session key: writing %s: %w", path, err)
	}
	return parseKey(path, text)
}

// parseKey reads a key as given in the environment or a file: its text
// without trailing line breaks, or the bytes after base64: decoded; it must
// be at least 32 bytes long.
func parseKey(source, text string) ([]byte, error) {
	text = strings.TrimRight(text, "\r\n")
	key := []byte(text)
	if rest, ok := strings.CutPrefix(text, base64Prefix); ok {
		var err error
		if key, err = base64.StdEncoding.DecodeString(rest); err != nil {
			return nil, fmt.Errorf("%s: the key after %q is not valid base64", source, base64Prefix)
		}
	}
	if len(key) < admin.MinSecretLen {
		return nil, fmt.Errorf("%s: the key must be at least %d bytes (it is %d); e.g. openssl rand -base64 48", source, admin.MinSecretLen, len(key))
	}
	return key, nil
}

// writeFileAtomic writes data to a new 0600 file at path: a crash leaves
// the old state or the whole file, never part of it.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
