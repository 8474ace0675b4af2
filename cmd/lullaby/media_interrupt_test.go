package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestMediaUploadInterrupted drives the real server over raw TCP: an
// upload whose client goes away half-way through the body, and one whose
// Content-Length is over the limit. Neither may leave anything in the
// media library or in GridFS, and the server must keep working.
func TestMediaUploadInterrupted(t *testing.T) {
	env := map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn", "LULLABY_MAX_UPLOAD_MB": "1"}
	r := MustStart(t, env)
	admin := r.base + "/admin/api/v1"
	host := strings.TrimPrefix(r.base, "http://")
	MustCall(t, 201, "POST", admin+"/setup", "", map[string]string{"email": "o@example.com", "name": "O", "password": "correct horse battery"}, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": "o@example.com", "password": "correct horse battery"}, &session)

	// A real multipart body of 1.5 MB: inside the app's body limit
	// (2 MiB with a 1 MiB upload limit), so only the missing half stops it.
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "nap.jpg")
	fw.Write(cmstest.MustJPEG(t, 64, 48))
	fw.Write(make([]byte, 1_500_000))
	w.Close()
	head := func(length int) string {
		return fmt.Sprintf("POST /admin/api/v1/media HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
			"Content-Type: %s\r\nContent-Length: %d\r\n\r\n", host, session.Token, w.FormDataContentType(), length)
	}

	t.Run("ClientGoesAwayHalfWay", func(t *testing.T) {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(conn, head(body.Len())); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write(body.Bytes()[:body.Len()/2]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // let the server read what came
		conn.Close()
	})

	t.Run("ContentLengthOverLimit", func(t *testing.T) {
		conn, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// Headers only: the answer must come without the 50 MB body.
		if _, err := io.WriteString(conn, head(50<<20)); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("no response before the body was sent: %v", err)
		}
		defer res.Body.Close()
		problem, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("status %d, type %q, body %s; want 413 problem+json", res.StatusCode, res.Header.Get("Content-Type"), problem)
		}
	})

	// The server still works: a whole upload goes through.
	MustCall(t, 200, "GET", r.base+"/healthz", "", nil, nil)
	var good bytes.Buffer
	w = multipart.NewWriter(&good)
	fw, _ = w.CreateFormFile("file", "ok.jpg")
	fw.Write(cmstest.MustJPEG(t, 80, 60))
	w.Close()
	req, _ := http.NewRequest("POST", admin+"/media", &good)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+session.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	created, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("upload after the interrupted ones = %d %s", res.StatusCode, created)
	}

	// The library holds that one media, and GridFS exactly its files.
	var list []struct {
		ID       string
		Variants []struct{ Name string }
	}
	MustCall(t, 200, "GET", admin+"/media", session.Token, nil, &list)
	if len(list) != 1 {
		t.Fatalf("the library holds %d media, want 1", len(list))
	}
	ctx := context.Background()
	files, chunks, err := r.srv.db.CountMediaFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if files != int64(len(list[0].Variants)) || chunks != files { // every variant of an 80x60 image fits one chunk
		t.Errorf("GridFS holds %d files and %d chunks, want %d of each", files, chunks, len(list[0].Variants))
	}
	if n, err := r.srv.db.SweepMediaFiles(ctx, time.Now().Add(time.Minute)); err != nil || n != 0 {
		t.Errorf("orphaned files: %d, %v; want none", n, err)
	}
}
