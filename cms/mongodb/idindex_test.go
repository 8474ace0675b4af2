package mongodb_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/mongodb"
)

// TestIDLookupsUseAnIndex: on the embedded database, every collection of
// the store exists from the start, and SQLite answers a lookup by _id, in
// the form FerretDB 1.24 queries it, from an index rather than a scan of
// the table; reopening the data folder keeps it so.
func TestIDLookupsUseAnIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for range 2 {
		db, err := mongodb.Open(ctx, mongodb.Config{DataDir: dir, Logger: cmstest.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, mongodb.DefaultDatabase+".sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			t.Fatal(err)
		}
		tables[name] = table
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"users", "posts", "post_bodies", "post_revisions", "post_pending", "categories", "settings", "state",
		"media", "media.files", "media.chunks", "citations", "lists", "post_views", "quizzes", "quiz_results", "reviewers",
		"content_keys", "webhooks", "webhook_events", "webhook_messages", "webhook_payloads", "webhook_deliveries"} {
		table, ok := tables[c]
		if !ok {
			t.Errorf("collection %s does not exist after Open", c)
			continue
		}
		var id, parent, unused int
		var plan string
		err := conn.QueryRow(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ?`, `{"$o":"0"}`).Scan(&id, &parent, &unused, &plan)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if !strings.Contains(plan, "USING INDEX") {
			t.Errorf("%s: a lookup by _id is planned as %q, want an index search", c, plan)
		}
	}
}
