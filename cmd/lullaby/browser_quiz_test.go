package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserQuizEdit: she opens the Nap Quiz, tries an 18-month-old who
// sleeps 13.5 h (within 11–14 h), lowers the 1–2 years band's maximum to
// 13 h and sees the live preview turn to "above" before saving, rewords
// the "within" result, saves, and the public API evaluates with the edit
// at once. The dashboard then charts the four answers sent.
func TestBrowserQuizEdit(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn",
		"LULLABY_VIEWS_FLUSH_INTERVAL": "100ms"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin/api/v1"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo Rivers", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/setup", "", creds, nil)
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": creds["email"], "password": creds["password"]}, &session)

	type result struct {
		Result     string
		Text       string
		TotalHours float64
		Band       struct{ Key string }
	}
	answer := func(wake string) result {
		var res result
		MustCall(t, 200, "POST", r.base+"/api/v1/quizzes/nap-quiz/answers", "", map[string]any{"ageValue": 18, "ageUnit": "months",
			"bedtime": "19:00", "wakeTime": wake, "naps": 1, "napMinutes": 90, "nightWakings": 1}, &res)
		return res
	}
	if res := answer("07:00"); res.Result != "within" || res.TotalHours != 13.5 || res.Band.Key != "12-35" {
		t.Fatalf("before the edit, 13.5 h at 18 months = %+v, want within in 12-35", res)
	}

	b.logIn(t, creds["email"], creds["password"], "/admin/quiz")
	maxHours := `input[name="bands[2].maxHours"]`
	outcome := `#quiz-result .quiz-outcome`
	b.Do(t, "open the quiz screen and try 13.5 h",
		navigate(r.base+"/admin/quiz"),
		chromedp.WaitVisible(chromedp.CSS(maxHours)),
		waitJS(`!!window.htmx`),
		chromedp.Clear(chromedp.CSS(`#try-bedtime`)),
		chromedp.SendKeys(chromedp.CSS(`#try-bedtime`), "19:00"),
		chromedp.Clear(chromedp.CSS(`#try-wakeTime`)),
		chromedp.SendKeys(chromedp.CSS(`#try-wakeTime`), "07:00"),
		chromedp.Click(chromedp.CSS(`#try-it`)),
		waitJS(`(document.querySelector('`+outcome+`')||{}).dataset?.result === 'within'`),
	)
	if got := Get(t, b, "preview", chromedp.Text(chromedp.CSS(outcome))); !strings.Contains(got, "13.5 h") {
		t.Errorf("preview = %q, want 13.5 h", got)
	}

	within := "Within the range: lovely. Keep the routine you have."
	b.Do(t, "lower 1–2 years to 13 h: the live preview follows the form",
		chromedp.Clear(chromedp.CSS(maxHours)),
		chromedp.SendKeys(chromedp.CSS(maxHours), "13"),
		waitJS(`(document.querySelector('`+outcome+`')||{}).dataset?.result === 'above'`),
		chromedp.Clear(chromedp.CSS(`textarea[name="results.within.text"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="results.within.text"]`), within),
	)
	b.Do(t, "back to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.Screenshot(t, "quiz")
	if res := answer("07:00"); res.Result != "within" {
		t.Fatalf("the unsaved edit reached the public API: %+v", res)
	}

	b.Do(t, "save",
		chromedp.Click(chromedp.CSS(`#save-quiz`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if v := Get(t, b, "max hours after saving", chromedp.Value(chromedp.CSS(maxHours))); v != "13" {
		t.Errorf("bands[2].maxHours after saving = %q, want 13", v)
	}
	if res := answer("07:00"); res.Result != "above" || res.TotalHours != 13.5 {
		t.Errorf("after the edit, 13.5 h at 18 months = %+v, want above", res)
	}
	if res := answer("06:30"); res.Result != "within" || res.Text != within {
		t.Errorf("after the edit, 13 h at 18 months = %+v, want within with %q", res, within)
	}
	var q struct {
		Bands []struct {
			Key      string
			MaxHours float64
		}
	}
	MustCall(t, 200, "GET", r.base+"/api/v1/quizzes/nap-quiz", "", nil, &q)
	if len(q.Bands) != 6 || q.Bands[2].MaxHours != 13 {
		t.Errorf("public quiz bands = %+v, want 1–2 years up to 13 h", q.Bands)
	}

	// The four answers sent (within, within, above, within) reach the
	// dashboard's chart once flushed.
	waitFor(t, "quiz results flushed", 10*time.Second, func() bool {
		var st struct{ Total int64 }
		MustCall(t, 200, "GET", admin+"/quizzes/nap-quiz/stats?days=1", session.Token, nil, &st)
		return st.Total == 4
	})
	b.Do(t, "the dashboard's quiz chart",
		navigate(r.base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS(`svg.quiz-chart g[data-band="12-35"] rect.seg-above`)),
	)
	if got := Get(t, b, "quiz summary", chromedp.Text(chromedp.CSS(`.quiz-summary`))); !strings.Contains(got, "4 readers") || !strings.Contains(got, "3 within") {
		t.Errorf("dashboard quiz summary = %q, want 4 readers, 3 within", got)
	}
}

// TestBrowserQuizSessionEnds: her session ends while she edits the quiz.
// The live preview says so instead of leaving the page, her edit stays in
// the form, and once she has logged in again in another tab, "Save quiz"
// saves it.
func TestBrowserQuizSessionEnds(t *testing.T) {
	t.Parallel()
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"})
	b := MustBrowser(t, r.base)
	admin := r.base + "/admin/api/v1"
	creds := map[string]string{"email": "jo@example.com", "name": "Jo", "password": "a long enough password"}
	MustCall(t, 201, "POST", admin+"/setup", "", creds, nil)
	b.logIn(t, creds["email"], creds["password"], "/admin/quiz")
	maxHours := `input[name="bands[2].maxHours"]`
	b.Do(t, "open the quiz screen",
		navigate(r.base+"/admin/quiz"),
		chromedp.WaitVisible(chromedp.CSS(maxHours)),
		waitJS(`!!window.htmx`),
	)

	// Every session of hers is revoked ("log out everywhere" elsewhere).
	var session struct{ Token string }
	MustCall(t, 200, "POST", admin+"/session", "", map[string]string{"email": creds["email"], "password": creds["password"]}, &session)
	MustCall(t, 204, "DELETE", admin+"/sessions", session.Token, nil, nil)

	b.Do(t, "edit after the session ended",
		chromedp.Clear(chromedp.CSS(maxHours)),
		chromedp.SendKeys(chromedp.CSS(maxHours), "13"),
		waitJS(`(document.querySelector('#quiz-result').textContent || '').includes('session has ended')`),
	)
	if path := Get(t, b, "path", chromedp.Evaluate[string](`location.pathname`)); path != "/admin/quiz" {
		t.Fatalf("after the session ended the page went to %s", path)
	}

	other := b.Tab(t)
	other.logIn(t, creds["email"], creds["password"], "/admin")
	b.Do(t, "save in the first tab",
		chromedp.Click(chromedp.CSS(`#save-quiz`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	var q struct {
		Bands []struct{ MaxHours float64 }
	}
	MustCall(t, 200, "GET", r.base+"/api/v1/quizzes/nap-quiz", "", nil, &q)
	if len(q.Bands) != 6 || q.Bands[2].MaxHours != 13 {
		t.Errorf("public quiz bands after saving = %+v, want 1–2 years up to 13 h", q.Bands)
	}
}
