package mongodb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"

	_ "modernc.org/sqlite" // FerretDB's own SQLite driver, already linked
)

// FerretDB 1.24 (SQLite handler) keeps each collection in a table of one
// JSON column and indexes _id as `_ferretdb_sjson->"_id"`, but looks a
// document up by `_ferretdb_sjson->'$._id' = ?`. SQLite uses an index on
// an expression only for that very expression, so every find, update and
// delete by _id scanned the whole table: a post read by id cost ~8 ms at
// 1,000 posts and ~0.3 s at 2,000 on a busy machine, and every save, which
// reads and writes by id, grew with the site. indexIDPaths adds to each
// table an index on the expression the lookups use. SQLite maintains it
// like any other and drops it with its table; FerretDB does not know of
// it and needs not.

// idIndexSuffix names the index added to each table ("<table>_lullaby_id").
const idIndexSuffix = "_lullaby_id"

// embeddedDirs maps the URI of each embedded server this process started
// to its data folder, so that a store opened on that URI (the tests'
// shared server) finds the SQLite files too.
var embeddedDirs sync.Map // string -> string

// sqliteFile returns the SQLite file of database name when the server
// behind db is an embedded FerretDB that this process started: by Open,
// or elsewhere in the process (embeddedDirs). "" otherwise: a command
// attached to a running server's (Config.Attach) finds every collection
// made and indexed by that server's Open, and leaves its files alone.
func (db *DB) sqliteFile(name string) string {
	dir := ""
	if db.emb != nil {
		dir = db.emb.dir
	} else if d, ok := embeddedDirs.Load(db.uri); ok {
		dir = d.(string)
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, name+".sqlite")
}

// indexIDPaths creates every collection of the store that is missing
// (db.collections and the media bucket's two), so that each has its table,
// and with it the index, before the first document is written; then it
// adds, to the table of each collection in the SQLite file, the index its
// lookups by _id use (see above). It is idempotent.
func (db *DB) indexIDPaths(ctx context.Context, file string) error {
	names := []string{bucketMedia + ".files", bucketMedia + ".chunks"}
	for _, c := range db.collections() {
		names = append(names, c.name)
	}
	for _, name := range names {
		err := db.db.CreateCollection(ctx, name)
		var ce mongo.CommandError
		if err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // NamespaceExists
			return err
		}
	}
	u := url.URL{Scheme: "file", Path: file, RawQuery: "_pragma=busy_timeout(10000)"}
	conn, err := sql.Open("sqlite", u.String())
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, t := range tables {
		if strings.ContainsRune(t, '"') {
			continue // never made by FerretDB; nothing to quote safely
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS "%s%s" ON "%s" (_ferretdb_sjson->'$._id')`, t, idIndexSuffix, t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index _id of %s: %w", t, err)
		}
	}
	return nil
}
