package admin_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// TestCitationCheckAPI: POST /citations/check answers the hints of a text
// and list as sent, saves nothing, and refuses bad input naming the field.
func TestCitationCheckAPI(t *testing.T) {
	t.Parallel()
	e := MustNewEnv(t)
	tok := e.MustSetup(t).Token
	price := mustCitation(t, e, tok, map[string]any{"key": "price2012", "type": "article-journal", "title": "Five-year follow-up of sleep intervention",
		"year": 2012, "doi": "10.1542/peds.2011-3467"})
	web := mustCitation(t, e, tok, map[string]any{"key": "aap2022", "type": "webpage", "title": "Safe sleep", "year": 2022,
		"url": "https://www.aap.org/safe-sleep"})
	check := func(body any) *Resp {
		return e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/check", Token: tok, Body: body})
	}
	type hint struct {
		Code    cms.CitationHintCode
		Keys    []string
		Message string
	}
	codes := func(hints []hint) []string {
		var out []string
		for _, h := range hints {
			out = append(out, string(h.Code)+" "+strings.Join(h.Keys, ","))
		}
		return out
	}

	t.Run("OK", func(t *testing.T) {
		var hints []hint
		check(map[string]any{"body": "Sleep [@price2012] and [@nobody2024].", "references": []string{price.ID, web.ID}}).
			MustStatus(t, http.StatusOK).Data(t, &hints)
		want := []string{"uncited aap2022", "noAccessDate aap2022", "unknownKey nobody2024"}
		if got := codes(hints); !slices.Equal(got, want) {
			t.Errorf("hints %q, want %q", got, want)
		}
	})
	t.Run("NothingToSay", func(t *testing.T) {
		var hints []hint
		check(map[string]any{"body": "Sleep [@price2012].", "references": []string{price.ID}}).MustStatus(t, http.StatusOK).Data(t, &hints)
		if hints == nil || len(hints) != 0 {
			t.Errorf("hints %+v, want []", hints)
		}
	})
	t.Run("ErrUnknownField", func(t *testing.T) {
		check(`{"body":"x","refs":[]}`).MustProblem(t, http.StatusBadRequest, "refs")
	})
	t.Run("ErrTooManyReferences", func(t *testing.T) {
		refs := make([]string, cms.MaxPostReferences+1)
		for i := range refs {
			refs[i] = price.ID
		}
		check(map[string]any{"body": "", "references": refs}).MustProblem(t, http.StatusBadRequest, "references")
	})
	t.Run("ErrTooLong", func(t *testing.T) {
		check(map[string]any{"body": strings.Repeat("a", cms.MaxBodyBytes+1)}).MustProblem(t, http.StatusRequestEntityTooLarge, "body")
	})
	t.Run("ErrNoSession", func(t *testing.T) {
		e.Do(t, Req{Method: http.MethodPost, Path: api + "/citations/check", Body: map[string]any{"body": ""}}).MustProblem(t, http.StatusUnauthorized)
	})
}
