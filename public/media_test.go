package public_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/public"
)

// MustMediaApp returns an app serving /media over a fresh database, and a
// stored image.
func MustMediaApp(tb testing.TB) (*fiber.App, *cms.Media) {
	tb.Helper()
	app, m, _ := MustMediaService(tb)
	return app, m
}

// MustMediaService is MustMediaApp with the service that wrote the image.
func MustMediaService(tb testing.TB) (*fiber.App, *cms.Media, *cms.Service) {
	tb.Helper()
	f := MustFixture(tb)
	m, err := f.svc.UploadMedia(context.Background(), nil, "pin.jpg", "", bytes.NewReader(cmstest.MustJPEG(tb, 600, 900)))
	if err != nil {
		tb.Fatal(err)
	}
	f.svc.Refresh(context.Background())
	return f.app, m, f.svc
}

// TestMediaDeletedIsNotServedFromCache: a deleted photo stops being served
// at once, although it was hot in the cache.
func TestMediaDeletedIsNotServedFromCache(t *testing.T) {
	t.Parallel()
	app, m, svc := MustMediaService(t)
	url := "/media/" + m.ID + "/pin"
	for range 2 {
		if res, _ := mediaDo(t, app, "GET", url, nil); res.StatusCode != 200 {
			t.Fatalf("GET %s = %d, want 200", url, res.StatusCode)
		}
	}
	if err := svc.DeleteMedia(context.Background(), &cms.User{Role: cms.RoleOwner}, m.ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := mediaDo(t, app, "GET", url, nil); res.StatusCode != 404 {
		t.Fatalf("GET %s after delete = %d, want 404", url, res.StatusCode)
	}
}

func mediaDo(tb testing.TB, app *fiber.App, method, target string, header map[string]string) (*http.Response, []byte) {
	tb.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res, body
}

func TestMediaDelivery(t *testing.T) {
	t.Parallel()
	app, m := MustMediaApp(t)
	pin, _ := m.Variant("pin")
	url := "/media/" + m.ID + "/pin"

	res, body := mediaDo(t, app, http.MethodGet, url, nil)
	if res.StatusCode != 200 || int64(len(body)) != pin.Bytes {
		t.Fatalf("GET = %d, %d bytes; want 200, %d", res.StatusCode, len(body), pin.Bytes)
	}
	for k, want := range map[string]string{
		"ETag":                         pin.ETag,
		"Cache-Control":                "public, max-age=31536000, immutable",
		"Content-Type":                 "image/jpeg",
		"X-Content-Type-Options":       "nosniff",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"Accept-Ranges":                "bytes",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	t.Run("NotModified", func(t *testing.T) {
		res, body := mediaDo(t, app, http.MethodGet, url, map[string]string{"If-None-Match": pin.ETag})
		if res.StatusCode != 304 || len(body) != 0 || res.Header.Get("ETag") != pin.ETag {
			t.Errorf("revalidation = %d, %d bytes, etag %q", res.StatusCode, len(body), res.Header.Get("ETag"))
		}
	})
	t.Run("Range", func(t *testing.T) {
		res, got := mediaDo(t, app, http.MethodGet, url, map[string]string{"Range": "bytes=10-19"})
		if res.StatusCode != 206 || !bytes.Equal(got, body[10:20]) {
			t.Errorf("range = %d, %d bytes", res.StatusCode, len(got))
		}
		if cr, want := res.Header.Get("Content-Range"), "bytes 10-19/"+strconv.Itoa(len(body)); cr != want {
			t.Errorf("Content-Range = %q, want %q", cr, want)
		}
		res, got = mediaDo(t, app, http.MethodGet, url, map[string]string{"Range": "bytes=-5"})
		if res.StatusCode != 206 || !bytes.Equal(got, body[len(body)-5:]) {
			t.Errorf("suffix range = %d, %d bytes", res.StatusCode, len(got))
		}
		res, _ = mediaDo(t, app, http.MethodGet, url, map[string]string{"Range": "bytes=" + strconv.Itoa(len(body)) + "-"})
		if res.StatusCode != 416 || res.Header.Get("Content-Range") != "bytes */"+strconv.Itoa(len(body)) {
			t.Errorf("unsatisfiable = %d, %q", res.StatusCode, res.Header.Get("Content-Range"))
		}
		res, got = mediaDo(t, app, http.MethodGet, url, map[string]string{"Range": "bytes=0-3", "If-Range": `"other"`})
		if res.StatusCode != 200 || len(got) != len(body) {
			t.Errorf("stale If-Range = %d, %d bytes", res.StatusCode, len(got))
		}
	})
	t.Run("Head", func(t *testing.T) {
		res, got := mediaDo(t, app, http.MethodHead, url, nil)
		if res.StatusCode != 200 || len(got) != 0 || res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("HEAD = %d, %d bytes, Content-Length %q", res.StatusCode, len(got), res.Header.Get("Content-Length"))
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		for _, target := range []string{
			"/media/" + m.ID + "/huge", "/media/" + cms.NewID() + "/pin", "/media/not-an-id/pin", "/media/" + m.ID,
		} {
			res, _ := mediaDo(t, app, http.MethodGet, target, nil)
			if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("GET %s = %d %q, want 404 problem+json", target, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	})
}

// countingSource is a MediaSource that counts its reads and takes a while
// to answer, as a database would.
type countingSource struct {
	reads atomic.Int32
}

func (s *countingSource) MediaVariant(ctx context.Context, id, variant string) (*cms.MediaVariant, []byte, error) {
	s.reads.Add(1)
	time.Sleep(50 * time.Millisecond)
	return &cms.MediaVariant{Name: variant, ContentType: "image/jpeg", ETag: `"x"`, Bytes: 3}, []byte("abc"), nil
}

// TestMediaConcurrentMissesReadOnce checks that requests missing the cache
// together share one read, and that later ones come from the cache.
func TestMediaConcurrentMissesReadOnce(t *testing.T) {
	t.Parallel()
	src := &countingSource{}
	api, err := public.New(public.Config{Content: emptyContent{}, Logger: cmstest.Logger(), Media: src})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	api.MediaRoutes(app.Group("/media"))
	url := "/media/" + cms.NewID() + "/pin"
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, body := mediaDo(t, app, http.MethodGet, url, nil); res.StatusCode != 200 || string(body) != "abc" {
				t.Errorf("GET = %d %q", res.StatusCode, body)
			}
		}()
	}
	wg.Wait()
	mediaDo(t, app, http.MethodGet, url, nil)
	if n := src.reads.Load(); n != 1 {
		t.Errorf("%d reads, want 1", n)
	}
}

type emptyContent struct{}

func (emptyContent) Snapshot() *readmodel.Snapshot { return nil }

// TestMediaAnyOrigin: published images may be read from any origin (a
// frontend draws a pin on a canvas or fetch()es it), even when the API
// allows only some origins; the header never varies, so no Vary: Origin
// splits caches, and embedding stays allowed by CORP.
func TestMediaAnyOrigin(t *testing.T) {
	t.Parallel()
	f := MustFixture(t, "https://blog.example")
	m, err := f.svc.UploadMedia(context.Background(), nil, "pin.jpg", "", bytes.NewReader(cmstest.MustJPEG(t, 600, 900)))
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Refresh(context.Background())
	url := "/media/" + m.ID + "/pin"
	pin, _ := m.Variant("pin")
	for _, tt := range []struct {
		name, method, url string
		header            map[string]string
		status            int
	}{
		{"GET", http.MethodGet, url, map[string]string{"Origin": "https://elsewhere.example"}, 200},
		{"GETWithoutOrigin", http.MethodGet, url, nil, 200},
		{"HEAD", http.MethodHead, url, map[string]string{"Origin": "https://elsewhere.example"}, 200},
		{"NotModified", http.MethodGet, url, map[string]string{"Origin": "https://elsewhere.example", "If-None-Match": pin.ETag}, 304},
		{"Range", http.MethodGet, url, map[string]string{"Origin": "https://elsewhere.example", "Range": "bytes=0-9"}, 206},
		{"NotFound", http.MethodGet, "/media/" + cms.NewID() + "/pin", map[string]string{"Origin": "https://elsewhere.example"}, 404},
		{"Preflight", http.MethodOptions, url, map[string]string{"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "range"}, 204},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := mediaDo(t, f.app, tt.method, tt.url, tt.header)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
			}
			if v := res.Header.Values("Vary"); strings.Contains(strings.Join(v, ","), "Origin") {
				t.Errorf("Vary = %q: the answer does not depend on Origin", v)
			}
			if tt.status < 300 && tt.method != http.MethodOptions && res.Header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
				t.Errorf("Cross-Origin-Resource-Policy = %q", res.Header.Get("Cross-Origin-Resource-Policy"))
			}
			if tt.method == http.MethodOptions && !strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Range") {
				t.Errorf("preflight allows headers %q, want Range", res.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}
