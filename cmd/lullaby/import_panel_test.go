package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/archive"
)

// mustSleepBlog is the small WordPress export of cms/wordpress's tests,
// padded with an XML comment of pad bytes after its declaration.
func mustSleepBlog(tb testing.TB, pad int) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "cms", "wordpress", "testdata", "sleepblog.xml"))
	if err != nil {
		tb.Fatal(err)
	}
	if pad == 0 {
		return b
	}
	decl, rest, _ := bytes.Cut(b, []byte("\n"))
	out := append(append([]byte{}, decl...), "\n<!-- "...)
	out = append(out, bytes.Repeat([]byte("z"), pad)...)
	return append(append(out, " -->\n"...), rest...)
}

// postFile sends data as the multipart field "file" with a bearer token.
func postFile(tb testing.TB, url, token string, data []byte) (int, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile("file", "export.xml")
	if err != nil {
		tb.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req, err := http.NewRequest("POST", url, &buf)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

// headOnly sends the head of a multipart POST announcing size bytes and
// returns the status of the answer, which comes before any body is sent
// when the size is refused (0 when there is none within a few seconds).
func headOnly(tb testing.TB, base, path, token string, size int) int {
	tb.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: %d\r\n\r\n",
		path, strings.TrimPrefix(base, "http://"), token, size)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// TestImportUploadLimits: through the running server, a WordPress export
// larger than the app's body limit is taken on the import route (up to
// LULLABY_MAX_IMPORT_MB) while every other route keeps the app's limit;
// the import then runs in the background, and the export download is an
// archive that cms/archive checks.
func TestImportUploadLimits(t *testing.T) {
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_MAX_UPLOAD_MB": "1", "LULLABY_BODY_LIMIT_MB": "1", "LULLABY_MAX_IMPORT_MB": "6"})
	admin := r.base + "/admin/api/v1"
	MustCall(t, 201, "POST", admin+"/setup", "", map[string]string{"email": "jo@example.com", "name": "Jo", "password": "correct horse battery"}, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": "jo@example.com", "password": "correct horse battery"}, &session)
	tok := session.Token

	// The limits are decided from the request's head: a body announced
	// too large is refused before it is sent.
	big := mustSleepBlog(t, 4<<20) // 4 MiB: over the app's 2 MiB limit, under the import's 6 MiB
	for _, tc := range []struct {
		path string
		size int
		want int
	}{
		{"/admin/api/v1/media", 4 << 20, http.StatusRequestEntityTooLarge},
		{"/admin/api/v1/posts", 4 << 20, http.StatusRequestEntityTooLarge},
		{"/admin/api/v1/import/wordpress?dryRun=true", 8 << 20, http.StatusRequestEntityTooLarge},
		{"/admin/settings/import", 8 << 20, http.StatusRequestEntityTooLarge},
	} {
		if got := headOnly(t, r.base, tc.path, tok, tc.size); got != tc.want {
			t.Errorf("POST %s announcing %d bytes = %d, want %d", tc.path, tc.size, got, tc.want)
		}
	}
	status, body := postFile(t, admin+"/import/wordpress", tok, big)
	if status != http.StatusAccepted {
		t.Fatalf("4 MiB to /import/wordpress = %d, want 202: %s", status, body)
	}
	var job struct {
		Phase  string
		Error  string
		Report *struct{ Created int }
	}
	waitFor(t, "the import", 60*time.Second, func() bool {
		MustCall(t, 200, "GET", admin+"/import", tok, nil, &job)
		return job.Phase == "done" || job.Phase == "failed"
	})
	if job.Phase != "done" || job.Report == nil || job.Report.Created == 0 {
		t.Fatalf("import = %+v, want done with posts created", job)
	}
	var posts []postJSON
	MustCall(t, 200, "GET", admin+"/posts?limit=100", tok, nil, &posts)
	if len(posts) != job.Report.Created {
		t.Errorf("posts = %d, want %d", len(posts), job.Report.Created)
	}

	status, hdr, archiveBytes := call(t, "GET", admin+"/export", tok, nil)
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="lullaby-export-`) {
		t.Fatalf("export = %d %v", status, hdr)
	}
	path := filepath.Join(t.TempDir(), "export.tar.gz")
	if err := os.WriteFile(path, archiveBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := archive.Check(path, r.srv.db)
	if err != nil {
		t.Fatalf("archive.Check: %v", err)
	}
	if m.Counts["posts"] != int64(job.Report.Created) || m.WithUsers {
		b, _ := json.Marshal(m.Counts)
		t.Errorf("manifest counts %s, withUsers %v; want %d posts, no password hashes", b, m.WithUsers, job.Report.Created)
	}
}
