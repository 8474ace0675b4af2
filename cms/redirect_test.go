package cms_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

func TestNormaliseRedirect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"toddler-up-at-5am", "toddler-up-at-5am"},
		{"  /2024/03/toddler-early-waking/ ", "/2024/03/toddler-early-waking/"},
		{"/?p=101", "/?p=101"},
		{"/2024/03/%e5%a4%9c-bedtime/", "/2024/03/%E5%A4%9C-bedtime/"},
		{"/2024/03/夜-bedtime/", "/2024/03/%E5%A4%9C-bedtime/"},
		{"/a%7Eb/", "/a~b/"},
		{"/about", "/about"},
	} {
		got, ok := cms.NormaliseRedirect(tc.in)
		if !ok || got != tc.want {
			t.Errorf("NormaliseRedirect(%q) = %q, %v; want %q, true", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "https://old.example/x/", "//old.example/x/", "/x/#top", "/", "/a b/", "/a/../etc",
		"Bad_Slug", "-bad", "old slug", "/" + strings.Repeat("x", cms.MaxRedirectPathLen), "http:/x", "/x\x00"} {
		if _, ok := cms.NormaliseRedirect(bad); ok || cms.RedirectProblem(bad) == "" {
			t.Errorf("%q accepted as an old address", bad)
		}
	}
}

// TestPostRedirects follows one post's old addresses through the saves
// that change them: a slug change once published, an edit of the list,
// bad lists refused whole, and an import run twice.
func TestPostRedirects(t *testing.T) {
	t.Parallel()
	f := cmstest.MustService(t)
	svc, ctx, owner := f.Svc, t.Context(), cmstest.Owner()
	froms := func(p *cms.Post) []string {
		out := []string{}
		for _, r := range p.Redirects {
			out = append(out, r.From)
		}
		return out
	}
	update := func(p *cms.Post, in cms.PostInput) *cms.Post {
		t.Helper()
		in.Version = &p.Version
		q, err := svc.UpdatePost(ctx, owner, p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}

	draft := f.MustPost(t, cms.PostInput{Title: new("Naps at daycare")})
	draft = update(draft, cms.PostInput{Slug: new("daycare-naps")})
	if len(draft.Redirects) != 0 {
		t.Errorf("a draft's slug change kept %v: nobody has its links", froms(draft))
	}

	p := f.MustPublished(t, cms.PostInput{Title: new("Early waking")}, time.Time{})
	p = update(p, cms.PostInput{Slug: new("toddler-early-waking")})
	if got := froms(p); !slices.Equal(got, []string{"early-waking"}) || p.Redirects[0].Since.IsZero() {
		t.Fatalf("after a slug change: %+v, want the old slug, dated", p.Redirects)
	}
	stored, err := svc.GetPost(ctx, p.ID)
	if err != nil || !slices.Equal(stored.Redirects, p.Redirects) {
		t.Fatalf("stored %+v (%v), saved %+v", stored.Redirects, err, p.Redirects)
	}
	since := p.Redirects[0].Since

	// Her list: repeats and her own slug dropped, paths normalised, the
	// old slug she keeps keeps its date.
	p = update(p, cms.PostInput{Redirects: &[]string{"/2024/03/%e5%a4%9c/", "early-waking", "/2024/03/%E5%A4%9C/", "toddler-early-waking", "/?p=7"}})
	if got := froms(p); !slices.Equal(got, []string{"/2024/03/%E5%A4%9C/", "early-waking", "/?p=7"}) || !p.Redirects[1].Since.Equal(since) {
		t.Fatalf("after her list: %+v", p.Redirects)
	}
	// Back to the old slug: it is no longer an old address, the one she
	// leaves is.
	p = update(p, cms.PostInput{Slug: new("early-waking")})
	if got := froms(p); !slices.Equal(got, []string{"/2024/03/%E5%A4%9C/", "/?p=7", "toddler-early-waking"}) {
		t.Fatalf("after going back to the old slug: %v", got)
	}

	t.Run("ErrBadList", func(t *testing.T) {
		many := make([]string, cms.MaxRedirects+1)
		for i := range many {
			many[i] = "/old/" + strings.Repeat("x", i+1) + "/"
		}
		for _, bad := range [][]string{{"https://old.example/2024/03/x/"}, {"/"}, {"Not A Slug"}, {"/x#y"}, many} {
			v := p.Version
			_, err := svc.UpdatePost(ctx, owner, p.ID, cms.PostInput{Redirects: &bad, Version: &v})
			if !cms.IsKind(err, cms.KindInvalid) || cms.ErrorFields(err)["redirects"] == "" {
				t.Errorf("%.40q: %v, want Invalid naming redirects", bad, err)
			}
		}
		if got, err := svc.GetPost(ctx, p.ID); err != nil || got.Version != p.Version {
			t.Errorf("a refused list wrote: version %d, want %d (%v)", got.Version, p.Version, err)
		}
	})

	t.Run("ImportRunTwice", func(t *testing.T) {
		save := func(paths ...string) *cms.Post {
			in := cms.PostInput{Title: new("Contact naps"), Slug: new("contact-naps")}
			in.ImportRedirects(paths)
			q, _, err := svc.SaveImported(ctx, owner, "wordpress:https://old.example:9", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), in)
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		save("/2024/01/contact-naps/", "/?p=9", "naps-in-arms")
		q := save("/2024/01/contact-naps/", "/?p=9", "naps-in-arms", "contact-naps")
		if got := froms(q); !slices.Equal(got, []string{"/2024/01/contact-naps/", "/?p=9", "naps-in-arms"}) {
			t.Errorf("after a re-run: %v, want each once", got)
		}
		// A later export without a path: the path goes, the old slug stays.
		q = save("/?p=9")
		if got := froms(q); !slices.Equal(got, []string{"/?p=9", "naps-in-arms"}) {
			t.Errorf("after a re-run without the pretty path: %v", got)
		}
	})
}
