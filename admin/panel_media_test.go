package admin_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// MustMedia uploads a w x h JPEG through the service.
func (e *Env) MustMedia(tb testing.TB, filename, alt string, w, h int) *cms.Media {
	tb.Helper()
	m, err := e.Svc.UploadMedia(tb.Context(), nil, filename, alt, bytes.NewReader(cmstest.MustJPEG(tb, w, h)))
	if err != nil {
		tb.Fatalf("upload %s: %v", filename, err)
	}
	return m
}

// PostMultipart sends fields and one file (field "file") as
// multipart/form-data, with the session's CSRF token unless noCSRF.
func (b *Browser) PostMultipart(tb testing.TB, path string, fields url.Values, filename string, data []byte, noCSRF bool) *Page {
	tb.Helper()
	if fields == nil {
		fields = url.Values{}
	}
	if !noCSRF {
		fields.Set("_csrf", b.CSRF(tb))
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				tb.Fatal(err)
			}
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
	ct := w.FormDataContentType()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", ct)
	return b.do(tb, req)
}

func TestMediaLibraryPage(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	b := e.MustPanelSetup(t)
	owner := e.MustOwner(t)
	used := e.MustMedia(t, "crib.jpg", "A crib by the window", 1000, 1500)
	bare := e.MustMedia(t, "nap-<b>.jpg", "", 1200, 800)
	title, body := "Naps & <b>rooms</b>", "![A crib](/media/"+used.ID+"/w1024)"
	post, err := e.Svc.CreatePost(t.Context(), owner, cms.PostInput{Title: &title, Body: &body})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("List", func(t *testing.T) {
		p := b.Get(t, "/admin/media").MustStatus(t, 200)
		p.MustContain(t, `href="/admin/media" aria-current="page"`, "crib.jpg", "nap-&lt;b&gt;.jpg",
			`id="missing-`+bare.ID+`"`, "No alt text", `/media/`+used.ID+`/thumb`, "1000×1500", "JPEG",
			`<a href="/admin/posts/`+post.ID+`">Naps &amp; &lt;b&gt;rooms&lt;/b&gt;</a>`, "Not used in any post.",
			`enctype="multipart/form-data"`, `id="media-grid"`)
		p.MustNotContain(t, `id="missing-`+used.ID+`"`, "<b>rooms")
	})
	t.Run("SearchAndMissingAlt", func(t *testing.T) {
		b.Get(t, "/admin/media?q=crib").MustStatus(t, 200).MustContain(t, "crib.jpg").MustNotContain(t, "nap-&lt;b&gt;.jpg")
		b.Get(t, "/admin/media?missing=1").MustStatus(t, 200).MustContain(t, "nap-&lt;b&gt;.jpg").MustNotContain(t, "crib.jpg")
		b.Get(t, "/admin/media?q=nothing-like-this").MustStatus(t, 200).MustContain(t, "No image matches.")
	})
	t.Run("EditAlt", func(t *testing.T) {
		res := b.PostCSRF(t, "/admin/media/"+bare.ID, url.Values{"alt": {"  A baby napping  "}, "version": {"1"}, "return": {"/admin/media?q=nap"}})
		res.MustRedirect(t, "/admin/media?q=nap")
		m, err := e.Svc.GetMedia(t.Context(), bare.ID)
		if err != nil || m.Alt != "A baby napping" || m.Version != 2 {
			t.Fatalf("after saving the alt text: %+v, %v", m, err)
		}
		b.Get(t, "/admin/media").MustContain(t, "Alt text saved.").MustNotContain(t, `id="missing-`+bare.ID+`"`)
		// A stale version: nothing saved, the card says why.
		b.PostCSRF(t, "/admin/media/"+bare.ID, url.Values{"alt": {"Old"}, "version": {"1"}}).MustStatus(t, http.StatusConflict).
			MustContain(t, `id="media-error-`+bare.ID+`"`, "changed in another window")
		// Too long: the card says so.
		b.PostCSRF(t, "/admin/media/"+bare.ID, url.Values{"alt": {strings.Repeat("a", 1001)}, "version": {"2"}}).
			MustStatus(t, http.StatusUnprocessableEntity).MustContain(t, "at most 1000 characters")
		// An unsafe return address is ignored.
		b.PostCSRF(t, "/admin/media/"+bare.ID, url.Values{"alt": {"Nap"}, "version": {"2"}, "return": {"https://evil.example/"}}).
			MustRedirect(t, "/admin/media")
	})
	t.Run("CSRFMissing", func(t *testing.T) {
		b.Post(t, "/admin/media/"+bare.ID, url.Values{"alt": {"x"}, "version": {"3"}}).MustStatus(t, http.StatusForbidden)
		b.Post(t, "/admin/media/"+bare.ID+"/delete", url.Values{"confirm": {"yes"}}).MustStatus(t, http.StatusForbidden)
		b.PostMultipart(t, "/admin/media", nil, "x.jpg", cmstest.MustJPEG(t, 10, 10), true).MustStatus(t, http.StatusForbidden)
	})
	t.Run("DeleteRefusedWhileUsed", func(t *testing.T) {
		p := b.PostCSRF(t, "/admin/media/"+used.ID+"/delete", url.Values{"confirm": {"yes"}}).MustStatus(t, http.StatusConflict)
		p.MustContain(t, `role="alert"`, "still used by 1 post", "Naps &amp; &lt;b&gt;rooms&lt;/b&gt;", `id="media-error-`+used.ID+`"`)
		if _, err := e.Svc.GetMedia(t.Context(), used.ID); err != nil {
			t.Fatalf("the used image is gone: %v", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		extra := e.MustMedia(t, "spare.jpg", "Spare", 300, 200)
		b.PostCSRF(t, "/admin/media/"+extra.ID+"/delete", nil).MustStatus(t, http.StatusUnprocessableEntity).MustContain(t, "to confirm")
		b.PostCSRF(t, "/admin/media/"+extra.ID+"/delete", url.Values{"confirm": {"yes"}}).MustRedirect(t, "/admin/media")
		if _, err := e.Svc.GetMedia(t.Context(), extra.ID); !cms.IsKind(err, cms.KindNotFound) {
			t.Fatalf("after deleting: %v, want NotFound", err)
		}
		b.PostCSRF(t, "/admin/media/not-an-id/delete", url.Values{"confirm": {"yes"}}).MustStatus(t, http.StatusNotFound)
	})
	t.Run("UploadForm", func(t *testing.T) {
		jpg := cmstest.MustJPEG(t, 640, 960)
		b.PostMultipart(t, "/admin/media", url.Values{"alt": {"Bedtime"}}, "bedtime.jpg", jpg, false).MustRedirect(t, "/admin/media")
		b.Get(t, "/admin/media").MustContain(t, "Uploaded “bedtime.jpg”.", "bedtime.jpg")
		b.PostMultipart(t, "/admin/media", nil, "again.jpg", jpg, false).MustRedirect(t, "/admin/media")
		b.Get(t, "/admin/media").MustContain(t, "already in the library").MustNotContain(t, "again.jpg")
		b.PostMultipart(t, "/admin/media", nil, "notes.jpg", []byte("<html>not an image</html>"), false).
			MustStatus(t, http.StatusUnprocessableEntity).MustContain(t, `id="media-file-error"`, "Nothing was uploaded.")
		b.PostMultipart(t, "/admin/media", nil, "", nil, false).MustStatus(t, http.StatusUnprocessableEntity).MustContain(t, "Choose an image file")
	})
	t.Run("PageOutOfRange", func(t *testing.T) {
		b.Get(t, "/admin/media?page=9").MustStatus(t, 200).MustContain(t, `id="media-empty"`)
	})
}

// TestMediaAPIUsedBy: the single-media GET names the posts that use it.
func TestMediaAPIUsedBy(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	tok := e.MustSetup(t).Token
	m := e.MustMedia(t, "pin.jpg", "Pin", 1000, 1500)
	title := "Wake windows"
	pins := []cms.PinInput{{MediaID: m.ID, Title: "Wake windows by age"}}
	post, err := e.Svc.CreatePost(t.Context(), e.MustOwner(t), cms.PostInput{Title: &title, Pins: &pins})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID     string `json:"id"`
		UsedBy []struct{ ID, Title string }
	}
	e.Do(t, Req{Method: http.MethodGet, Path: api + "/media/" + m.ID, Token: tok}).MustStatus(t, 200).Data(t, &got)
	if got.ID != m.ID || len(got.UsedBy) != 1 || got.UsedBy[0].ID != post.ID || got.UsedBy[0].Title != title {
		t.Errorf("usedBy = %+v", got)
	}
	free := e.MustMedia(t, "free.jpg", "", 100, 100)
	e.Do(t, Req{Method: http.MethodGet, Path: api + "/media/" + free.ID, Token: tok}).MustStatus(t, 200).Data(t, &got)
	if got.UsedBy == nil || len(got.UsedBy) != 0 {
		t.Errorf("usedBy of an unused image = %+v, want []", got.UsedBy)
	}
}
