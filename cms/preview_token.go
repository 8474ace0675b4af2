package cms

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Draft preview on her own site: "Preview on site" mints a preview token
// for one post (PreviewToken), her frontend's preview page receives it
// (the URL template in Settings.PreviewURL) and asks the public API for
// the post with it (OpenPreview), which answers the post as if it were
// published, whatever its status.
//
// A token is a JWT (HS256 only) with the post id as subject, the audience
// previewAudience and an expiry (ServiceConfig.PreviewTTL, default an
// hour): about 200 characters, short enough for a URL, and readable by
// any JWT library (a frontend can show when it expires). It is signed
// with a key of its own, made once (32 random bytes) and kept among the
// store's secrets, so that every instance verifies what any instance
// minted. Unlike the session key, which stays out of the database
// (whoever holds it could sign in as anyone), this one may live there:
// it opens nothing but drafts, which whoever reads the database reads
// anyway. The audience and the key both differ from a session's, so a
// session token is never a preview token nor the other way round.
//
// A token names a post, not a version: the preview follows her saves
// until it expires. Nothing is stored per token; a token cannot be
// revoked before it expires, other than by deleting or trashing the post.

// Preview token parameters.
const (
	DefaultPreviewTTL = time.Hour
	// MaxPreviewTokenLen is the longest token worth verifying: ours are
	// about 200 characters.
	MaxPreviewTokenLen = 1024
	previewAudience    = "lullaby-preview"
	previewIssuer      = "lullaby"
	previewSecretName  = "preview-token"
	previewKeyLen      = 32
)

// PreviewToken is a minted preview token.
type PreviewToken struct {
	Token     string    `json:"token"`
	PostID    string    `json:"postId"`
	ExpiresAt time.Time `json:"expiresAt"`
	// URL is her frontend's preview page for the post with the token
	// (Settings.PreviewURL filled in); "" while no template is set.
	URL string `json:"url"`
}

// previewKey holds the signing key once read; shared by the copies of a
// Service (StartImport's).
type previewKey struct{ key atomic.Pointer[[]byte] }

// signingKey returns the preview signing key, made and stored on first
// use. Errors: KindUnavailable, KindInternal.
func (s *Service) previewSigningKey(ctx context.Context) ([]byte, error) {
	if k := s.previewKey.key.Load(); k != nil {
		return *k, nil
	}
	k, err := s.store.Secret(ctx, previewSecretName, func() ([]byte, error) {
		b := make([]byte, previewKeyLen)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	if len(k) < previewKeyLen {
		return nil, &Error{Kind: KindInternal, Op: "cms.previewSigningKey", Err: errors.New("the stored preview key is too short")}
	}
	s.previewKey.key.Store(&k)
	return k, nil
}

// PreviewToken mints a preview token for post id, for any logged-in
// user (whoever may edit a post may see it), with the preview page's URL
// when the settings have a template. The URL names the post by its slug
// as it would be published (a published post's pending edit included).
// Errors: Unauthenticated (no actor), NotFound (no such post, or in the
// trash), Invalid (a bad id), Unavailable, Internal.
func (s *Service) PreviewToken(ctx context.Context, actor *User, id string) (*PreviewToken, error) {
	const op = "cms.PreviewToken"
	if actor == nil {
		return nil, Errorf(KindUnauthenticated, op, "Log in to preview posts.")
	}
	p, err := s.previewPost(ctx, op, id)
	if err != nil {
		return nil, err
	}
	key, err := s.previewSigningKey(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Second)
	exp := now.Add(s.previewTTL)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Issuer: previewIssuer, Subject: p.ID, Audience: jwt.ClaimStrings{previewAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
	}).SignedString(key)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: err}
	}
	st, err := s.store.GetSettings(ctx)
	if err != nil {
		return nil, err
	}
	return &PreviewToken{Token: tok, PostID: p.ID, ExpiresAt: exp, URL: PreviewLink(st.PreviewURL, p, tok)}, nil
}

// OpenPreview returns the post that token previews, as if it were
// published now: a draft, scheduled or archived post as last saved, a
// published post with its pending edit applied (unless the edit is
// stale), each with a slug and a publication time (PublishAt for a
// scheduled post, else now). Nothing is written; the post need not be
// valid. Errors: Unauthenticated (a malformed, forged or expired token:
// the message says which in general terms), NotFound (the post was
// deleted or is in the trash), Unavailable, Internal.
func (s *Service) OpenPreview(ctx context.Context, token string) (*Post, error) {
	const op = "cms.OpenPreview"
	bad := Errorf(KindUnauthenticated, op, "The preview token is not valid.")
	if token == "" || len(token) > MaxPreviewTokenLen {
		return nil, bad
	}
	key, err := s.previewSigningKey(ctx)
	if err != nil {
		return nil, err
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(previewIssuer),
		jwt.WithAudience(previewAudience),
		jwt.WithTimeFunc(s.now),
	)
	var cl jwt.RegisteredClaims
	_, err = p.ParseWithClaims(token, &cl, func(*jwt.Token) (any, error) { return key, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, Errorf(KindUnauthenticated, op, "The preview token has expired; open the preview again from the editor.")
	case err != nil:
		bad.Err = err
		return nil, bad
	case !ValidID(cl.Subject):
		return nil, bad
	}
	return s.previewPost(ctx, op, cl.Subject)
}

// previewPost reads post id as OpenPreview returns it.
func (s *Service) previewPost(ctx context.Context, op, id string) (*Post, error) {
	p, err := s.store.GetPost(ctx, id)
	switch {
	case IsKind(err, KindNotFound):
		return nil, Errorf(KindNotFound, op, "The post to preview no longer exists.")
	case err != nil:
		return nil, err
	case p.Trashed():
		return nil, Errorf(KindNotFound, op, "The post to preview is in the trash.")
	}
	if p.Status == StatusPublished {
		e, err := s.PendingOf(ctx, p)
		if err != nil {
			return nil, err
		}
		if e != nil && !e.Stale {
			// The read side brings the settings, categories and
			// reviewers: only the references are resolved here.
			library, err := s.store.ListCitations(ctx)
			if err != nil {
				return nil, err
			}
			if err := s.applyPreview(ctx, op, p, e.Input, library); err != nil {
				return nil, err
			}
			p.UpdatedAt = e.SavedAt
			return p, nil
		}
	}
	asPublished(p, s.timeNow())
	return p, nil
}

// asPublished gives p what a post shown as if published needs and may
// lack: a slug (from the title) and a publication time (the scheduled
// one, else now).
func asPublished(p *Post, now time.Time) {
	if p.Slug == "" {
		p.Slug = Slugify(p.Title)
	}
	if p.PublishedAt.IsZero() {
		p.PublishedAt = p.PublishAt
	}
	if p.PublishedAt.IsZero() {
		p.PublishedAt = now
	}
}

// The placeholders of a preview URL template.
const (
	PreviewSlug             = "{slug}"
	PreviewID               = "{id}"
	PreviewTokenPlaceholder = "{token}"
)

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// PreviewURLProblem returns why t is not a preview URL template, or "":
// it must contain {token}, may contain {slug} and {id}, no other
// placeholder, and be an absolute http(s) URL once they are filled in.
func PreviewURLProblem(t string) string {
	for _, ph := range placeholderRE.FindAllString(t, -1) {
		if ph != PreviewSlug && ph != PreviewID && ph != PreviewTokenPlaceholder {
			return "Unknown placeholder " + ph + ": use {slug}, {id} and {token}."
		}
	}
	if !strings.Contains(t, PreviewTokenPlaceholder) {
		return "Must contain {token}, where the preview token goes, e.g. https://www.example.com/preview/{slug}?token={token}."
	}
	sample := strings.NewReplacer(PreviewSlug, "a-post", PreviewID, "0123456789abcdef01234567", PreviewTokenPlaceholder, "token").Replace(t)
	if msg := URLProblem(sample); msg != "" {
		return msg
	}
	return ""
}

// PreviewLink fills the preview URL template t in for post p and token:
// "" when t is "".
func PreviewLink(t string, p *Post, token string) string {
	if t == "" {
		return ""
	}
	slug := p.Slug
	if slug == "" {
		slug = Slugify(p.Title)
	}
	return strings.NewReplacer(PreviewSlug, url.PathEscape(slug), PreviewID, url.PathEscape(p.ID),
		PreviewTokenPlaceholder, url.QueryEscape(token)).Replace(t)
}
