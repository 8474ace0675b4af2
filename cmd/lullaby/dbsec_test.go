package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/wiremessage"
)

// listeningTCP returns every TCP address this process listens on, from
// /proc/self/net/tcp{,6} filtered by the sockets among its open files.
func listeningTCP(tb testing.TB) []string {
	tb.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		tb.Fatal(err)
	}
	mine := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
			mine[strings.TrimSuffix(inode, "]")] = true
		}
	}
	var addrs []string
	for _, table := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // the header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !mine[fields[9]] { // 0A: LISTEN
				continue
			}
			addrs = append(addrs, procAddr(tb, fields[1]))
		}
		f.Close()
	}
	return addrs
}

// procAddr decodes a /proc/net/tcp address (hex IP in host-order 32-bit
// words, hex port); an unspecified IP becomes the loopback one.
func procAddr(tb testing.TB, s string) string {
	tb.Helper()
	ipHex, portHex, _ := strings.Cut(s, ":")
	raw, err := hex.DecodeString(ipHex)
	port, perr := strconv.ParseUint(portHex, 16, 16)
	if err != nil || perr != nil {
		tb.Fatalf("cannot read the address %q", s)
	}
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	ip := net.IP(raw)
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
		if len(raw) == 16 {
			ip = net.IPv6loopback
		}
	}
	return net.JoinHostPort(ip.String(), strconv.FormatUint(port, 10))
}

// speaksMongo reports whether addr answers the hello that every MongoDB
// client sends first (OP_MSG {hello: 1} on admin) with a MongoDB reply
// saying ok. It sends the driver's wire message itself, with deadlines: the
// driver's monitor can wait forever on a server that never answers (an
// HTTP server waiting for the end of a request line).
func speaksMongo(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(3 * time.Second)); err != nil {
		return err
	}
	doc, err := bson.Marshal(bson.D{{Key: "hello", Value: 1}, {Key: "$db", Value: "admin"}})
	if err != nil {
		return err
	}
	idx, msg := wiremessage.AppendHeaderStart(nil, wiremessage.NextRequestID(), 0, wiremessage.OpMsg)
	msg = wiremessage.AppendMsgFlags(msg, 0)
	msg = wiremessage.AppendMsgSectionType(msg, wiremessage.SingleDocument)
	msg = append(msg, doc...)
	binary.LittleEndian.PutUint32(msg[idx:], uint32(len(msg)))
	if _, err := conn.Write(msg); err != nil {
		return err
	}
	head := make([]byte, 16)
	if _, err := io.ReadFull(conn, head); err != nil {
		return err
	}
	length, _, _, op, _, ok := wiremessage.ReadHeader(head)
	if !ok || op != wiremessage.OpMsg || length < 21 || length > 1<<20 {
		return fmt.Errorf("not a MongoDB reply: % x", head)
	}
	body := make([]byte, length-16)
	if _, err := io.ReadFull(conn, body); err != nil {
		return err
	}
	_, rest, ok := wiremessage.ReadMsgFlags(body)
	if ok {
		_, rest, ok = wiremessage.ReadMsgSectionType(rest)
	}
	var reply bsoncore.Document
	if ok {
		reply, _, ok = wiremessage.ReadMsgSectionSingleDocument(rest)
	}
	if !ok {
		return errors.New("a malformed MongoDB reply")
	}
	if v, err := reply.LookupErr("ok"); err != nil || v.AsFloat64() != 1 {
		return fmt.Errorf("hello not ok: %v", reply)
	}
	return nil
}

// TestNoDatabaseOnTCP: of every TCP port the running program listens on,
// none answers a MongoDB client; the HTTP port is there and does not. The
// debug listener, when asked for, does answer: so the probe can tell.
// Not parallel: it sees every listener of the test process.
func TestNoDatabaseOnTCP(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	MustCall(t, 200, "GET", r.base+"/readyz", "", nil, nil)
	addrs := listeningTCP(t)
	httpSeen := false
	for _, a := range addrs {
		httpSeen = httpSeen || "http://"+a == r.base
		if err := speaksMongo(a); err == nil {
			t.Errorf("%s answers a MongoDB client", a)
		}
	}
	if !httpSeen {
		t.Fatalf("listeners %v do not include the HTTP port of %s: the probe is blind", addrs, r.base)
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}

	dbg := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn", "LULLABY_DB_DEBUG_ADDR": "127.0.0.1:0"})
	var answering []string
	for _, a := range listeningTCP(t) {
		if speaksMongo(a) == nil {
			answering = append(answering, a)
		}
	}
	if want := dbg.srv.db.EmbeddedServer().DebugAddr(); len(answering) != 1 || answering[0] != want {
		t.Errorf("with LULLABY_DB_DEBUG_ADDR, MongoDB answers on %v, want only %s", answering, want)
	}
	if out := dbg.out.String(); !strings.Contains(out, "without authentication") {
		t.Errorf("no warning about the debug listener in the log:\n%s", out)
	}
}

// TestDataFolderPrivate: after a start and some writes, the data folder
// (which existed as 0755 with a 0644 file) holds only 0700 folders and
// 0600 files, the socket included.
func TestDataFolderPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes", "todo.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": dir, "LULLABY_LOG_LEVEL": "warn"})
	tok := mustOwner(t, r)
	MustCall(t, 201, "POST", r.base+"/admin/api/v1/posts", tok, map[string]any{"title": "Naps", "body": "Short."}, nil)

	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(path)
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		seen[filepath.Base(path)] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"mongodb.sock", "lullaby.lock", "jwt.key", "lullaby.sqlite", "lullaby.sqlite-wal", "todo.txt"} {
		if !seen[name] {
			t.Errorf("%s not in the data folder (saw %v): nothing checked its mode", name, seen)
		}
	}
}

// mustOwner creates the first owner through the API and returns a token.
func mustOwner(tb testing.TB, r *running) string {
	tb.Helper()
	admin := r.base + "/admin/api/v1"
	MustCall(tb, 201, "POST", admin+"/setup", "", map[string]string{"email": "owner@example.com", "name": "Sam Owner", "password": "correct horse battery"}, nil)
	return mustLogin(tb, r, "owner@example.com")
}

func mustLogin(tb testing.TB, r *running, email string) string {
	tb.Helper()
	var session struct{ Token string }
	MustCall(tb, 200, "POST", r.base+"/admin/api/v1/session", "", map[string]string{"email": email, "password": "correct horse battery"}, &session)
	return session.Token
}

// resign returns token with its signature replaced by an HS256 one made
// with key, as someone holding key would forge it.
func resign(token string, key []byte) string {
	i := strings.LastIndexByte(token, '.')
	m := hmac.New(sha256.New, key)
	m.Write([]byte(token[:i]))
	return token[:i+1] + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// TestForgedTokenFromDatabase: whoever reads the whole database finds no
// session key in it, and a token signed with anything it holds is
// refused; the key from the key file (the control) signs valid tokens.
func TestForgedTokenFromDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": dir, "LULLABY_LOG_LEVEL": "warn"})
	tok := mustOwner(t, r)
	me := r.base + "/admin/api/v1/me"

	c, err := mongo.Connect(options.Client().ApplyURI(r.srv.db.URI()).SetServerSelectionTimeout(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(context.Background())
	ctx := context.Background()
	colls, err := c.Database(r.srv.db.Database()).ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var candidates [][]byte
	for _, coll := range colls {
		cur, err := c.Database(r.srv.db.Database()).Collection(coll).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if id, _ := d["_id"].(string); strings.Contains(id, "jwt") {
				t.Errorf("%s holds %q", coll, id)
			}
			for _, v := range d {
				switch v := v.(type) {
				case bson.Binary:
					candidates = append(candidates, v.Data)
				case string:
					candidates = append(candidates, []byte(v))
				}
			}
		}
	}
	if len(candidates) < 5 {
		t.Fatalf("only %d values read from the database", len(candidates))
	}
	for _, key := range candidates {
		if status, _, _ := call(t, "GET", me, resign(tok, key), nil); status != 401 {
			t.Fatalf("a token signed with %q from the database: %d, want 401", key, status)
		}
	}
	fileKey, err := keyFile(filepath.Join(dir, keyFileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	MustCall(t, 200, "GET", me, resign(tok, fileKey), nil, nil)
}

// TestSessionKey: the key file is made 0600 at first start and reused; a
// key that an earlier version kept in the database moves into it once, so
// its sessions survive; LULLABY_JWT_SECRET wins over the file; a MongoDB
// URI without a configured key is refused.
func TestSessionKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	legacy := []byte("an old key\nkept by an earlier version in the database")
	env := map[string]string{"LULLABY_DATA_DIR": dir, "LULLABY_LOG_LEVEL": "warn", "LULLABY_JWT_SECRET": "base64:" + base64.StdEncoding.EncodeToString(legacy)}

	// A session signed by the old key, then the old key put where the
	// earlier version kept it.
	r := MustStart(t, env)
	tok := mustOwner(t, r)
	if _, err := r.srv.db.Secret(context.Background(), legacySecretName, func() ([]byte, error) { return legacy, nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, keyFileName)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a key file was made although LULLABY_JWT_SECRET is set: %v", err)
	}

	delete(env, "LULLABY_JWT_SECRET")
	r = MustStart(t, env)
	MustCall(t, 200, "GET", r.base+"/admin/api/v1/me", tok, nil, nil)
	if _, found, err := r.srv.db.LookupSecret(context.Background(), legacySecretName); err != nil || found {
		t.Fatalf("the old key is still in the database (%v, %v)", found, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	moved, _ := os.ReadFile(path)
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}

	r = MustStart(t, env) // reused, unchanged
	MustCall(t, 200, "GET", r.base+"/admin/api/v1/me", tok, nil, nil)
	if again, _ := os.ReadFile(path); string(again) != string(moved) {
		t.Errorf("the key file changed at a restart")
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}

	env["LULLABY_JWT_SECRET"] = "another key, given in the environment, long enough"
	r = MustStart(t, env)
	if status, _, _ := call(t, "GET", r.base+"/admin/api/v1/me", tok, nil); status != 401 {
		t.Errorf("with LULLABY_JWT_SECRET set, a token of the key file: %d, want 401", status)
	}
	MustCall(t, 200, "GET", r.base+"/admin/api/v1/me", mustLogin(t, r, "owner@example.com"), nil, nil)

	// Fresh data folder: a new random key of 64 characters.
	fresh := t.TempDir()
	MustStart(t, map[string]string{"LULLABY_DATA_DIR": fresh, "LULLABY_LOG_LEVEL": "warn"})
	if b, err := os.ReadFile(filepath.Join(fresh, keyFileName)); err != nil || len(strings.TrimSpace(string(b))) != 64 {
		t.Errorf("new key file: %q, %v; want 64 characters", b, err)
	}

	err = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string {
		return map[string]string{"LULLABY_MONGODB_URI": r.srv.db.URI(), "LULLABY_LOG_LEVEL": "warn"}[k]
	}, nil, &cmstest.SyncBuffer{}, &cmstest.SyncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "LULLABY_JWT_SECRET (or LULLABY_JWT_SECRET_FILE) is required") {
		t.Errorf("MongoDB URI without a key: err = %v, want a refusal naming LULLABY_JWT_SECRET", err)
	}
}

// TestSecondServerRefused: a second `lullaby serve` on a data folder in use
// stops with a message naming the process that holds it and saying how to
// run several instances.
func TestSecondServerRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	MustStart(t, map[string]string{"LULLABY_DATA_DIR": dir, "LULLABY_LOG_LEVEL": "warn"})
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string {
		return map[string]string{"LULLABY_DATA_DIR": dir}[k]
	}, nil, &cmstest.SyncBuffer{}, &cmstest.SyncBuffer{})
	if err == nil {
		t.Fatal("a second server started on the same data folder")
	}
	for _, want := range []string{dir, fmt.Sprintf("process %d", os.Getpid()), "LULLABY_MONGODB_URI"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %q, want it to name %q", err, want)
		}
	}
}

// TestSetupHint: the command printed at start, followed as printed (with no
// environment), creates the owner in this server's database while it runs;
// the output says which public URL is used and how to change it. Then
// `lullaby db shell --print` gives a connection string that works.
func TestSetupHint(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "my site's data")
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": dir, "LULLABY_LOG_LEVEL": "warn"})
	out := r.out.String()
	if want := "public URL: " + r.base + " ("; !strings.Contains(out, want) || !strings.Contains(out, "LULLABY_PUBLIC_URL") {
		t.Errorf("start-up output does not say %q and how to set it:\n%s", want, out)
	}
	_, line, ok := strings.Cut(out, "go run ./cmd/lullaby ")
	line, _, _ = strings.Cut(line, "\n")
	args := shellWords(t, line)
	if !ok || len(args) < 4 || args[0] != "user" {
		t.Fatalf("no user create command in the output:\n%s", out)
	}
	var stdout cmstest.SyncBuffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader("correct horse battery\n"), &stdout, &stdout)
	if err != nil {
		t.Fatalf("%q: %v\n%s", args, err, stdout.String())
	}
	MustCall(t, 200, "GET", r.base+"/admin/api/v1/me", mustLogin(t, r, "you@example.com"), nil, nil)

	stdout = cmstest.SyncBuffer{}
	if err := run(context.Background(), []string{"db", "shell", "--print", "--data-dir", dir}, func(string) string { return "" }, nil, &stdout, &cmstest.SyncBuffer{}); err != nil {
		t.Fatal(err)
	}
	uri := strings.TrimSpace(stdout.String())
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(5 * time.Second))
	if err != nil {
		t.Fatalf("%s: %v", uri, err)
	}
	defer c.Disconnect(context.Background())
	n, err := c.Database("lullaby").Collection("users").CountDocuments(context.Background(), bson.D{})
	if err != nil || n != 1 {
		t.Errorf("users through %s: %d, %v; want 1", uri, n, err)
	}
}

// shellWords splits a POSIX shell command line of words, 'single' and
// "double" quoted strings and backslash escapes.
func shellWords(tb testing.TB, s string) []string {
	tb.Helper()
	var words []string
	var w strings.Builder
	in, quote, escaped := false, rune(0), false
	for _, r := range s {
		switch {
		case escaped:
			w.WriteRune(r)
			escaped = false
		case quote == 0 && r == '\\':
			escaped, in = true, true
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		tb.Fatalf("unbalanced quotes in %q", s)
	}
	if in {
		words = append(words, w.String())
	}
	return words
}
