package admin

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/assets"
)

// assetSet is the panel's static files, each served at
// /admin/assets/<hash>/<path> where hash is the first 8 bytes of the
// file's SHA-256 in hex: the URL changes whenever the file does, so it can
// be cached for a year. The files are read from the (embedded) file
// system when served rather than held in memory: with those URLs a
// browser asks for each once, and a copy of every one (~2.4 MB, the
// vendored editor and charts mostly) would be held by every server for
// the odd request.
type assetSet struct {
	byPath map[string]*assetFile // "css/admin.css" -> file
	// vendored maps a vendored package to its one directory:
	// "easymde" -> "vendor/easymde@2.21.0".
	vendored map[string]string
}

type assetFile struct {
	fsys  fs.FS
	path  string // in fsys
	hash  string
	ctype string

	gzOnce sync.Once
	gz     []byte // gzip of the file, nil when not worth it
}

// loadAssets reads every file under static/ of fsys. Two versions of one
// vendored package are an error: which one a page loads would be a
// guess.
func loadAssets(fsys fs.FS) (*assetSet, error) {
	set := &assetSet{byPath: map[string]*assetFile{}, vendored: map[string]string{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		name := strings.TrimPrefix(p, "static/")
		set.byPath[name] = &assetFile{fsys: fsys, path: p, hash: hex.EncodeToString(sum[:8]), ctype: ctype}
		if pkg, dir, ok := vendoredDir(name); ok {
			if other := set.vendored[pkg]; other != "" && other != dir {
				return fmt.Errorf("%s and %s are both vendored: remove one (assets/vendor.sh keeps only the pinned version)", other, dir)
			}
			set.vendored[pkg] = dir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return set, nil
}

// url returns the hashed URL of the asset at name (e.g. "js/editor.js");
// an unknown name is an error, so a typo in a template fails its render.
func (s *assetSet) url(name string) (string, error) {
	f := s.byPath[name]
	if f == nil {
		return "", fmt.Errorf("asset %q does not exist under assets/static", name)
	}
	return assetPrefix + f.hash + "/" + name, nil
}

// vendorURL returns the hashed URL of a file of a vendored package,
// named without the package's version ("easymde/easymde.min.js"), so
// that bumping a library changes assets/vendor.sh and nothing in views/.
// An unknown package or file is an error, as for url.
func (s *assetSet) vendorURL(name string) (string, error) {
	pkg, file, ok := strings.Cut(name, "/")
	if strings.HasPrefix(pkg, "@") { // a scoped package: @scope/name/file
		var rest string
		rest, file, ok = strings.Cut(file, "/")
		pkg += "/" + rest
	}
	dir := s.vendored[pkg]
	if !ok || dir == "" {
		return "", fmt.Errorf("no package %q is vendored under assets/static/vendor (see assets/vendor.sh)", pkg)
	}
	return s.url(dir + "/" + file)
}

// vendoredDir returns, for the path of a vendored file
// ("vendor/easymde@2.21.0/easymde.min.js"), its package ("easymde") and
// the package's directory ("vendor/easymde@2.21.0").
func vendoredDir(name string) (pkg, dir string, ok bool) {
	rest, ok := strings.CutPrefix(name, "vendor/")
	if !ok {
		return "", "", false
	}
	segs := strings.Split(rest, "/")
	for i, seg := range segs[:len(segs)-1] {
		if at := strings.LastIndex(seg, "@"); at > 0 {
			pkg = strings.Join(append(segs[:i:i], seg[:at]), "/")
			return pkg, "vendor/" + strings.Join(segs[:i+1], "/"), true
		}
	}
	return "", "", false
}

// body returns the file's bytes, read anew.
func (f *assetFile) body() ([]byte, error) { return fs.ReadFile(f.fsys, f.path) }

// gzipped returns the gzip encoding of a text asset, made on first use
// and kept.
func (f *assetFile) gzipped() []byte {
	f.gzOnce.Do(func() {
		if !compressible(f.ctype) {
			return
		}
		body, err := f.body()
		if err != nil || len(body) < 1024 {
			return
		}
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = w.Write(body)
		if w.Close() == nil && b.Len() < len(body) {
			f.gz = bytes.Clone(b.Bytes())
		}
	})
	return f.gz
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg")
}

// handleAsset serves GET /admin/assets/:hash/*. A wrong hash is a 404 so
// that a stale URL never caches new content under the old name.
func (a *Admin) handleAsset(c *fiber.Ctx) error {
	f := a.assets.byPath[c.Params("*")]
	if f == nil || c.Params("hash") != f.hash {
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		return c.Status(fiber.StatusNotFound).SendString("Not found.")
	}
	// The gzip encoding is a representation of its own, with its own
	// strong ETag; choosing it first keeps a HEAD's headers those of its
	// GET.
	gz := f.gzipped()
	if gz == nil || !acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		gz = nil
	}
	etag := `"` + f.hash + `"`
	if gz != nil {
		etag = `"` + f.hash + `-gz"`
	}
	h := &c.Response().Header
	h.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderContentType, f.ctype)
	h.Set(fiber.HeaderETag, etag)
	h.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if gz != nil {
		h.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(gz)
	}
	body, err := f.body()
	if err != nil {
		return err
	}
	return c.Send(body)
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// panelAssets loads the embedded assets.
func panelAssets() (*assetSet, error) { return loadAssets(assets.FS) }
