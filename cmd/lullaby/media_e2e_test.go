package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestUploadLimitConfig(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{map[string]string{}, 21 << 20},
		{map[string]string{"LULLABY_BODY_LIMIT_MB": "64"}, 64 << 20},
		{map[string]string{"LULLABY_MAX_UPLOAD_MB": "2"}, 4 << 20},
	} {
		cfg, err := loadConfig("serve", nil, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.bodyLimit(); got != tc.want {
			t.Errorf("%v: body limit %d, want %d", tc.env, got, tc.want)
		}
	}
	if _, err := loadConfig("serve", nil, func(k string) string {
		return map[string]string{"LULLABY_MAX_UPLOAD_MB": "0"}[k]
	}, io.Discard); err == nil || !strings.Contains(err.Error(), "LULLABY_MAX_UPLOAD_MB") {
		t.Errorf("LULLABY_MAX_UPLOAD_MB=0: err = %v", err)
	}
}

// TestMediaEndToEnd uploads through the real server and fetches the pin
// from the public media route.
func TestMediaEndToEnd(t *testing.T) {
	env := map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn", "LULLABY_MAX_UPLOAD_MB": "1"}
	r := MustStart(t, env)
	admin := r.base + "/admin/api/v1"
	MustCall(t, 201, "POST", admin+"/setup", "", map[string]string{"email": "o@example.com", "name": "O", "password": "correct horse battery"}, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": "o@example.com", "password": "correct horse battery"}, &session)

	upload := func(data []byte) (int, []byte) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", "pin.jpg")
		fw.Write(data)
		w.Close()
		req, _ := http.NewRequest("POST", admin+"/media", &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+session.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, body
	}

	status, body := upload(cmstest.MustJPEG(t, 800, 1200))
	if status != 201 {
		t.Fatalf("upload = %d %s", status, body)
	}
	var created struct {
		Data struct {
			ID       string
			Variants []struct{ Name, URL, ETag string }
		}
	}
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	var pinURL, etag string
	for _, v := range created.Data.Variants {
		if v.Name == "pin" {
			pinURL, etag = v.URL, v.ETag
		}
	}
	res, err := http.Get(r.base + pinURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || res.Header.Get("ETag") != etag ||
		res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("GET %s = %d %v", pinURL, res.StatusCode, res.Header)
	}

	// 1.5 MiB: inside the app's body limit (2 MiB), over the upload limit.
	status, body = upload(bytes.Repeat([]byte{0xFF}, 3<<19))
	if status != 413 || !strings.Contains(string(body), `"file"`) {
		t.Errorf("oversize upload = %d %s, want 413 naming file", status, body)
	}
}
