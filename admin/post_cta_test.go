package admin_test

import (
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestPostCallToActionAPI checks that the admin API sets, returns,
// validates and removes a post's own call to action.
func TestPostCallToActionAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	s := e.MustSetup(t)
	own := cms.CallToAction{Heading: "Get the toddler guide", Text: "Twelve pages.", ButtonLabel: "Download", URL: "https://sleep.example.org/guide"}
	p := e.MustPost(t, s.Token, map[string]any{"title": "Bedtime battles", "callToAction": own})
	if p.CallToAction == nil || *p.CallToAction != own {
		t.Fatalf("created: callToAction = %+v, want %+v", p.CallToAction, own)
	}
	path := api + "/posts/" + p.ID
	for _, tc := range []struct {
		name  string
		cta   map[string]any
		field string
	}{
		{"ErrUserinfo", map[string]any{"heading": "x", "buttonLabel": "Go", "url": "https://user:pw@evil.example/"}, "callToAction.url"},
		{"ErrLabelWithoutURL", map[string]any{"heading": "x", "buttonLabel": "Go"}, "callToAction.url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{"callToAction": tc.cta, "version": p.Version}}).
				MustProblem(t, 400, tc.field)
			if got := e.MustGetPost(t, s.Token, p.ID); got.Version != p.Version || got.CallToAction == nil || *got.CallToAction != own {
				t.Errorf("after a refused edit: version %d, callToAction %+v; want %d and unchanged", got.Version, got.CallToAction, p.Version)
			}
		})
	}
	var got cms.Post
	e.Do(t, Req{Method: "PATCH", Path: path, Token: s.Token, Body: map[string]any{"callToAction": map[string]any{}, "version": p.Version}}).
		MustStatus(t, 200).Data(t, &got)
	if got.CallToAction != nil {
		t.Errorf("after removing: callToAction = %+v, want null", got.CallToAction)
	}
	if got := e.MustGetPost(t, s.Token, p.ID); got.CallToAction != nil {
		t.Errorf("stored after removing: callToAction = %+v, want null", got.CallToAction)
	}
}
