package cms_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestPreviewToken: a token minted for a draft opens that draft as if
// published, on another instance of the same database too; it stops
// working when it expires, when its post is trashed, and it is refused
// when changed, made with another key, another algorithm or another
// audience (a session's), or is no JWT at all. A published post's
// preview shows its pending edit.
func TestPreviewToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).UnixMilli())
	now := func() time.Time { return time.UnixMilli(clock.Load()).UTC() }
	opts := func(c *cms.ServiceConfig) { c.Now, c.PreviewTTL = now, 10*time.Minute }
	f := cmstest.MustService(t, opts)
	svc, owner := f.Svc, cmstest.Owner()
	other := cmstest.MustServiceOn(t, f.DB, opts).Svc // a second instance

	draft := f.MustPost(t, cms.PostInput{Title: ptr("Early mornings"), Body: ptr("Wake at *six*.")})
	tok, err := svc.PreviewToken(ctx, owner, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tok.PostID != draft.ID || !tok.ExpiresAt.Equal(now().Add(10*time.Minute)) || tok.URL != "" || len(tok.Token) > 300 {
		t.Errorf("token = %+v (%d characters)", tok, len(tok.Token))
	}
	for name, s := range map[string]*cms.Service{"same instance": svc, "other instance": other} {
		p, err := s.OpenPreview(ctx, tok.Token)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.ID != draft.ID || p.Status != cms.StatusDraft || !strings.Contains(p.HTML, "<em>six</em>") || p.Slug != "early-mornings" || !p.PublishedAt.Equal(now()) {
			t.Errorf("%s: opened %s %q %q %s", name, p.Status, p.Slug, p.HTML, p.PublishedAt)
		}
	}

	t.Run("ErrRefused", func(t *testing.T) {
		parts := strings.Split(tok.Token, ".")
		sign := func(m jwt.SigningMethod, key any, cl jwt.RegisteredClaims) string {
			s, err := jwt.NewWithClaims(m, cl).SignedString(key)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		good := jwt.RegisteredClaims{Issuer: "lullaby", Subject: draft.ID, Audience: jwt.ClaimStrings{"lullaby-preview"},
			ExpiresAt: jwt.NewNumericDate(now().Add(time.Hour))}
		session := good
		session.Audience = jwt.ClaimStrings{"lullaby-admin"}
		for name, bad := range map[string]string{
			"empty":           "",
			"no JWT":          "not-a-token",
			"too long":        strings.Repeat("a", cms.MaxPreviewTokenLen+1),
			"changed payload": parts[0] + "." + parts[1] + "x." + parts[2],
			"changed sig":     parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
			"another key":     sign(jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), good),
			"alg none":        sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good),
			"HS512":           sign(jwt.SigningMethodHS512, []byte(strings.Repeat("k", 32)), good),
			"session-like":    sign(jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), session),
		} {
			if _, err := svc.OpenPreview(ctx, bad); !cms.IsKind(err, cms.KindUnauthenticated) {
				t.Errorf("%s: %v, want Unauthenticated", name, err)
			}
		}
	})

	t.Run("PendingEdit", func(t *testing.T) {
		pub := f.MustPublished(t, cms.PostInput{Title: ptr("Naps"), Body: ptr("Old text.")}, now().Add(-time.Hour))
		if _, err := svc.SavePending(ctx, owner, pub.ID, cms.PostInput{Body: ptr("New text."), Slug: ptr("naps-new"), Version: &pub.Version}, 0); err != nil {
			t.Fatal(err)
		}
		tok, err := svc.PreviewToken(ctx, owner, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.OpenPreview(ctx, tok.Token)
		if err != nil || !strings.Contains(p.HTML, "New text.") || p.Slug != "naps-new" {
			t.Fatalf("published post's preview: %v %+v", err, p)
		}
	})

	t.Run("URLTemplate", func(t *testing.T) {
		st, err := svc.GetSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := "https://www.example.com/preview/{slug}?id={id}&token={token}"
		if _, err := svc.UpdateSettings(ctx, owner, cms.SettingsInput{PreviewURL: &tmpl, Version: &st.Version}); err != nil {
			t.Fatal(err)
		}
		tok, err := svc.PreviewToken(ctx, owner, draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := "https://www.example.com/preview/early-mornings?id=" + draft.ID + "&token=" + tok.Token; tok.URL != want {
			t.Errorf("URL = %q, want %q", tok.URL, want)
		}
	})

	// Last: the clock moves and the post goes to the trash.
	clock.Add((10*time.Minute + time.Second).Milliseconds())
	if _, err := svc.OpenPreview(ctx, tok.Token); !cms.IsKind(err, cms.KindUnauthenticated) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired: %v", err)
	}
	fresh, err := svc.PreviewToken(ctx, owner, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TrashPost(ctx, owner, draft.ID, draft.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OpenPreview(ctx, fresh.Token); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("trashed: %v, want NotFound", err)
	}
	if _, err := svc.PreviewToken(ctx, owner, draft.ID); !cms.IsKind(err, cms.KindNotFound) {
		t.Errorf("minting for a trashed post: %v, want NotFound", err)
	}
	if _, err := svc.PreviewToken(ctx, nil, draft.ID); !cms.IsKind(err, cms.KindUnauthenticated) {
		t.Errorf("minting without a user: %v", err)
	}
}

// TestPreviewURLSetting: the preview URL template must be an absolute
// http(s) URL with {token}, and no placeholder but {slug}, {id} and
// {token}; the field is named.
func TestPreviewURLSetting(t *testing.T) {
	t.Parallel()
	for tmpl, want := range map[string]string{
		"https://www.example.com/preview/{slug}?token={token}": "",
		"http://localhost:4321/p?t={token}&id={id}":            "",
		"https://www.example.com/preview/{slug}":               "Must contain {token}",
		"https://www.example.com/p/{title}?token={token}":      "Unknown placeholder {title}",
		"/preview?token={token}":                               "absolute",
		"javascript:alert(1)//{token}":                         "absolute",
		"https://user:pw@example.com/?t={token}":               "user name",
	} {
		got := cms.PreviewURLProblem(tmpl)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q", tmpl, got, want)
		}
	}
	svc := mustService(t)
	ctx := context.Background()
	bad, v := "https://www.example.com/preview/{slug}", 0
	_, err := svc.UpdateSettings(ctx, cmstest.Owner(), cms.SettingsInput{PreviewURL: &bad, Version: &v})
	if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)["previewUrl"] == "" {
		t.Errorf("bad template saved: %v", err)
	}
}
