package admin_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// multipartBody returns a multipart/form-data body with the file field
// (named filename) and, if not empty, alt.
func multipartBody(tb testing.TB, filename string, data []byte, alt string) ([]byte, string) {
	tb.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if alt != "" {
		if err := w.WriteField("alt", alt); err != nil {
			tb.Fatal(err)
		}
	}
	if data != nil {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(data)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

type mediaResp struct {
	cms.Media
	URL      string `json:"url"`
	Srcset   string `json:"srcset"`
	Variants []struct {
		Name  string `json:"name"`
		URL   string `json:"url"`
		Width int    `json:"width"`
	} `json:"variants"`
}

func (e *Env) upload(tb testing.TB, token, filename string, data []byte, alt string) *Resp {
	tb.Helper()
	body, ct := multipartBody(tb, filename, data, alt)
	return e.Do(tb, Req{Method: http.MethodPost, Path: api + "/media", Token: token, Body: body,
		Header: map[string]string{"Content-Type": ct}})
}

func TestMediaAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnvFor(t, cmstest.MustService(t, func(c *cms.ServiceConfig) { c.MaxUploadBytes = 256 << 10 }))
	tok := e.MustSetup(t).Token
	jpg := cmstest.MustJPEG(t, 1200, 800)

	var m mediaResp
	r := e.upload(t, tok, "../../secret/../nap.jpg", jpg, "Baby asleep").MustStatus(t, http.StatusCreated)
	r.Data(t, &m)
	if m.Filename != "nap.jpg" || m.Alt != "Baby asleep" || m.Width != 1200 || m.URL != "/media/"+m.ID+"/original" {
		t.Errorf("upload = %+v", m)
	}
	if got := r.Header.Get("Location"); got != api+"/media/"+m.ID {
		t.Errorf("Location = %q", got)
	}
	if !strings.Contains(m.Srcset, "/media/"+m.ID+"/w640 640w") || len(m.Variants) < 7 || m.Variants[0].URL != "/media/"+m.ID+"/thumb" {
		t.Errorf("srcset %q, variants %+v", m.Srcset, m.Variants)
	}

	t.Run("Duplicate", func(t *testing.T) {
		// The same bytes again: 200 with the existing media, not 201.
		var again mediaResp
		r := e.upload(t, tok, "other.jpg", jpg, "").MustStatus(t, http.StatusOK)
		r.Data(t, &again)
		if again.ID != m.ID || again.Filename != "nap.jpg" {
			t.Errorf("duplicate upload got %s (%s), want %s (nap.jpg)", again.ID, again.Filename, m.ID)
		}
		if got := r.Header.Get("Location"); got != api+"/media/"+m.ID {
			t.Errorf("duplicate upload: Location = %q", got)
		}
	})

	refusals := []struct {
		name     string
		filename string
		data     []byte
		status   int
		field    string
	}{
		{"PNGBomb", "bomb.png", cmstest.PNGBomb(100000, 100000), 400, "file"},
		{"HTMLAsJPEG", "photo.jpg", []byte("<html><body><script>alert(1)</script></body></html>"), 400, "file"},
		{"SVG", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), 400, "file"},
		{"TruncatedJPEG", "half.jpg", jpg[:len(jpg)/3], 400, "file"},
		{"TooLarge", "big.jpg", bytes.Repeat([]byte{0xFF}, 256<<10+1), 413, "file"},
		{"NoFile", "", nil, 400, "file"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			e.upload(t, tok, tc.filename, tc.data, "").MustProblem(t, tc.status, tc.field)
		})
	}
	t.Run("NotMultipart", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/media", Token: tok, Body: jpg,
			Header: map[string]string{"Content-Type": "image/jpeg"}}).MustProblem(t, http.StatusUnsupportedMediaType)
	})
	t.Run("Unauthenticated", func(t *testing.T) {
		e.upload(t, "", "a.jpg", jpg, "").MustProblem(t, http.StatusUnauthorized)
	})

	t.Run("GetUpdateList", func(t *testing.T) {
		var got mediaResp
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/media/" + m.ID, Token: tok}).MustStatus(t, 200).Data(t, &got)
		if got.Hash != m.Hash || got.Version != 1 {
			t.Errorf("get = %+v", got)
		}
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/media/" + m.ID, Token: tok,
			Body: map[string]any{"alt": "Napping baby", "version": 1}}).MustStatus(t, 200).Data(t, &got)
		if got.Alt != "Napping baby" || got.Version != 2 {
			t.Errorf("patch = %+v", got)
		}
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/media/" + m.ID, Token: tok,
			Body: map[string]any{"alt": "x", "version": 1}}).MustProblem(t, http.StatusConflict, "version")
		e.Do(t, Req{Method: http.MethodPatch, Path: api + "/media/" + m.ID, Token: tok,
			Body: map[string]any{"alt": strings.Repeat("a", 1001), "version": 2}}).MustProblem(t, http.StatusBadRequest, "alt")
		var list []mediaResp
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/media?q=napping&limit=5", Token: tok}).MustStatus(t, 200).Data(t, &list)
		if len(list) != 1 || list[0].ID != m.ID {
			t.Errorf("list = %+v", list)
		}
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/media?page=0", Token: tok}).MustProblem(t, http.StatusBadRequest, "page")
	})

	t.Run("UnknownAndMalformedIDs", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/media/" + cms.NewID(), Token: tok}).MustProblem(t, http.StatusNotFound)
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/media/not-an-id", Token: tok}).MustProblem(t, http.StatusBadRequest, "id")
		e.Do(t, Req{Method: http.MethodDelete, Path: api + "/media/" + cms.NewID(), Token: tok}).MustProblem(t, http.StatusNotFound)
	})

	t.Run("Delete", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodDelete, Path: api + "/media/" + m.ID, Token: tok}).MustStatus(t, http.StatusNoContent)
		e.Do(t, Req{Method: http.MethodGet, Path: api + "/media/" + m.ID, Token: tok}).MustProblem(t, http.StatusNotFound)
	})
}
