package public_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lullabycms/lullaby/cms"
)

// quizCTA is the call to action of a quiz result, null when it has none.
func (f *quizFixture) quizCTA(tb testing.TB) *cms.QuizCTA {
	tb.Helper()
	r := f.Answer(tb, "nap-quiz", "198.51.100.7", toddlerAnswers)
	MustStatus(tb, r, http.StatusOK)
	if strings.Contains(string(r.body), "example.com") {
		tb.Errorf("the result points readers at example.com: %s", r.body)
	}
	var res struct {
		Data struct {
			CTA *cms.QuizCTA `json:"cta"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.body, &res); err != nil {
		tb.Fatal(err)
	}
	return res.Data.CTA
}

// TestQuizResultTakesSiteCallToAction checks that the built-in quiz's
// results show the call to action of the settings, follow its changes,
// and that a result with a link of its own keeps it.
func TestQuizResultTakesSiteCallToAction(t *testing.T) {
	t.Parallel()
	f := MustQuizFixture(t, 1000)
	ctx := context.Background()
	if r := f.Get(t, "/api/v1/quizzes/nap-quiz"); strings.Contains(string(r.body), "example.com") {
		t.Errorf("the definition of a fresh install points at example.com: %s", r.body)
	}
	if cta := f.quizCTA(t); cta != nil {
		t.Errorf("fresh install: cta = %+v, want null (the settings have no link yet)", cta)
	}

	version := 0
	setCTA := func(c cms.CallToAction) {
		t.Helper()
		st, err := f.svc.UpdateSettings(ctx, f.owner, cms.SettingsInput{CallToAction: &c, Version: &version})
		if err != nil {
			t.Fatal(err)
		}
		version = st.Version
	}
	setCTA(cms.CallToAction{Heading: "Tired?", ButtonLabel: "Book a sleep consult", URL: "https://sleep.example.org/book"})
	if got, want := f.quizCTA(t), (cms.QuizCTA{Label: "Book a sleep consult", URL: "https://sleep.example.org/book"}); got == nil || *got != want {
		t.Errorf("after setting it: cta = %+v, want %+v", got, want)
	}
	setCTA(cms.CallToAction{Heading: "Let's talk", URL: "https://sleep.example.org/call"})
	if got, want := f.quizCTA(t), (cms.QuizCTA{Label: "Let's talk", URL: "https://sleep.example.org/call"}); got == nil || *got != want {
		t.Errorf("after changing it (no button label): cta = %+v, want %+v", got, want)
	}

	// Her own link on the result wins; the placeholder the built-in quiz
	// once carried (saved from the panel) does not.
	for _, tc := range []struct {
		own, want cms.QuizCTA
	}{
		{cms.QuizCTA{Label: "Toddler sleep guide", URL: "https://sleep.example.org/guide"}, cms.QuizCTA{Label: "Toddler sleep guide", URL: "https://sleep.example.org/guide"}},
		{cms.QuizCTA{Label: "Book a 15-minute call", URL: "https://example.com/book"}, cms.QuizCTA{Label: "Let's talk", URL: "https://sleep.example.org/call"}},
	} {
		q, err := f.svc.GetQuiz(ctx, cms.NapQuizSlug)
		if err != nil {
			t.Fatal(err)
		}
		q.Results.Within.CTA = tc.own
		if _, err := f.svc.UpdateQuiz(ctx, f.owner, cms.NapQuizSlug, cms.QuizInput{Title: q.Title, Intro: q.Intro, Questions: q.Questions,
			Bands: q.Bands, Results: q.Results, Version: &q.Version}); err != nil {
			t.Fatal(err)
		}
		if got := f.quizCTA(t); got == nil || *got != tc.want {
			t.Errorf("result's own link %+v: cta = %+v, want %+v", tc.own, got, tc.want)
		}
	}
}
