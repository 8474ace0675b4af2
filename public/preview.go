package public

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// Draft preview (docs/api.md, "Draft preview"): a preview token, minted
// in the editor ("Preview on site") for one post, lets a frontend read
// that post whatever its status, in exactly the shape of a published one:
//
//   - GET /api/v1/preview?token=T: the post the token names (a draft may
//     have no slug a frontend knows);
//   - ?preview=T on the routes that read one post: /api/v1/posts/{slug},
//     the Ghost dialect's /posts/{id}/ and /posts/slug/{slug}/ (and
//     /pages/…), the WordPress dialect's /wp/v2/posts/{id}, where {id}
//     may also be the post's own id. The path must name the token's post.
//
// Lists never include drafts (the parameter does nothing there). A token
// that is malformed, forged or expired is a 401 naming the parameter; a
// valid token for another post a 403; a post deleted or trashed since, a
// 404; each in the surface's own error shape. Answers are private and
// never stored (Cache-Control: private, no-store, no ETag). Content keys
// apply as to any read.

// Previews opens preview tokens: the post a token names, as if published
// (cms.Service.OpenPreview), and a snapshot that holds it among the
// published posts (readmodel.ReadModel.WithDraft). cmd/lullaby wires both.
type Previews interface {
	OpenPreview(ctx context.Context, token string) (*cms.Post, error)
	WithDraft(p *cms.Post) (*readmodel.Snapshot, error)
}

// queryPreview is the parameter of the one-post routes that carries a
// preview token; queryToken that of GET /api/v1/preview.
const (
	queryPreview = "preview"
	queryToken   = "token"
)

var (
	valuePrivate   = []byte("private, no-store")
	headerRobots   = []byte("X-Robots-Tag")
	valueNoIndex   = []byte("noindex, nofollow")
	valueWWWAuthPV = []byte(`Preview realm="drafts"`)
)

// isPreview reports whether the request carries ?preview=.
func isPreview(c *fiber.Ctx) bool {
	return c.Context().QueryArgs().Has(queryPreview)
}

// openPreview opens the token in the query parameter param: the snapshot
// holding its post, and the post. Refusals name param.
func (a *API) openPreview(c *fiber.Ctx, param string) (*readmodel.Snapshot, *cms.Post, error) {
	const op = "public.preview"
	token := c.Query(param)
	if token == "" {
		return nil, nil, a.previewRefusal(c, cms.Errorf(cms.KindUnauthenticated, op, "A preview token is required."), param)
	}
	if a.previews == nil {
		return nil, nil, cms.Errorf(cms.KindNotFound, op, "This server does not serve previews.")
	}
	p, err := a.previews.OpenPreview(c.UserContext(), token)
	if err != nil {
		return nil, nil, a.previewRefusal(c, err, param)
	}
	snap, err := a.previews.WithDraft(p)
	if err != nil {
		return nil, nil, err
	}
	return snap, p, nil
}

// previewRefusal names param in a refused token (401, with
// WWW-Authenticate) and returns other errors as they are.
func (a *API) previewRefusal(c *fiber.Ctx, err error, param string) error {
	var ce *cms.Error
	if !errors.As(err, &ce) || ce.Kind != cms.KindUnauthenticated {
		return err
	}
	c.Response().Header.SetCanonical(headerWWWAuth, valueWWWAuthPV)
	named := *ce
	named.Fields = map[string]string{param: ce.Message}
	return &named
}

// errOtherPost refuses a valid token for another post than the path's.
func errOtherPost() error {
	return &cms.Error{Kind: cms.KindForbidden, Op: "public.preview", Message: "This preview token is for another post.",
		Fields: map[string]string{queryPreview: "This preview token is for another post."}}
}

// sendPrivate writes a body made for one reader: in the best encoding the
// client accepts, without an ETag, never stored by any cache, and kept
// out of search engines.
func (a *API) sendPrivate(c *fiber.Ctx, b *readmodel.Body) error {
	parts, _, enc := chooseEncoding(c, b)
	h := &c.Response().Header
	h.SetCanonical(headerCacheControl, valuePrivate)
	h.SetCanonical(headerRobots, valueNoIndex)
	h.SetCanonical(headerVary, valueVary)
	h.SetContentTypeBytes(valueJSON)
	if enc != nil {
		h.SetCanonical(headerContentEncoding, enc)
	}
	readmodel.WriteBody(c.Response(), parts)
	return nil
}

// handlePreview serves GET /api/v1/preview?token=: the post the token
// names, as GET /posts/{slug} would answer it were it published.
func (a *API) handlePreview(c *fiber.Ctx) error {
	snap, p, err := a.openPreview(c, queryToken)
	if err != nil {
		return err
	}
	body, err := snap.PostByID(p.ID)
	if err != nil {
		return err
	}
	return a.sendPrivate(c, body)
}

// previewPost serves GET /api/v1/posts/{key}?preview=: key is the
// post's slug or id.
func (a *API) previewPost(c *fiber.Ctx, key string) error {
	snap, p, err := a.openPreview(c, queryPreview)
	if err != nil {
		return err
	}
	if key != p.ID && key != snap.PostSlug(p.ID) {
		return errOtherPost()
	}
	body, err := snap.PostByID(p.ID)
	if err != nil {
		return err
	}
	return a.sendPrivate(c, body)
}

// ghostPreview serves a Ghost read of a post or page with ?preview=.
func (a *API) ghostPreview(c *fiber.Ctx, res readmodel.GhostResource, bySlug bool, key string) error {
	snap, p, err := a.openPreview(c, queryPreview)
	if err != nil {
		return err
	}
	if bySlug && key != snap.PostSlug(p.ID) || !bySlug && !strings.EqualFold(key, p.ID) {
		return errOtherPost()
	}
	b, err := snap.GhostRead(res, bySlug, key, nil, ghostParams(c))
	if err != nil {
		return err
	}
	c.Response().Header.SetCanonical(headerContentVersion, valueContentVersion)
	return a.sendPrivate(c, b)
}

// wpPreview serves /wp/v2/posts/{id}?preview=: id is the dialect's
// numeric id of the post or its own id.
func (a *API) wpPreview(c *fiber.Ctx, id string) error {
	snap, p, err := a.openPreview(c, queryPreview)
	var ce *cms.Error
	if errors.As(err, &ce) && ce.Kind == cms.KindNotFound {
		// WordPress's code for a missing post, with the reason.
		return &wpError{status: fiber.StatusNotFound, code: wpNotFound[readmodel.WPPosts].code, message: ce.Message}
	}
	if err != nil {
		return err
	}
	n := strconv.FormatInt(snap.WPPostID(p.ID), 10)
	if id != n && !strings.EqualFold(id, p.ID) {
		return errOtherPost()
	}
	r, err := snap.WPRead(readmodel.WPPosts, n, nil, wpParams(c))
	if err != nil {
		return err
	}
	return a.sendPrivate(c, r.Body)
}
