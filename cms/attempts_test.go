package cms_test

import (
	"testing"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/cmstest"
)

// TestCountAttemptAcrossWindows: attempts made just before a window's
// edge still count just after it, and fade out over the next window, so
// a run of attempts crossing the edge does not start over.
func TestCountAttemptAcrossWindows(t *testing.T) {
	t.Parallel()
	const window = 5 * time.Minute
	edge := time.Date(2026, 12, 7, 9, 5, 0, 0, time.UTC)
	clk := cmstest.NewClock(edge.Add(-2 * time.Second))
	svc := cmstest.MustService(t, func(c *cms.ServiceConfig) { c.Now = clk.Now }).Svc
	count := func(who string, want int64) {
		t.Helper()
		n, ends, err := svc.CountAttempt(t.Context(), "login", who, window)
		if err != nil || n != want {
			t.Fatalf("at %s: CountAttempt(%s) = %d, %v; want %d", clk.Now().Format(time.TimeOnly), who, n, err, want)
		}
		if want := clk.Now().Truncate(window).Add(window); !ends.Equal(want) {
			t.Errorf("the window ends at %s, want %s", ends.Format(time.TimeOnly), want.Format(time.TimeOnly))
		}
	}
	for i := range 6 {
		count("192.0.2.1", int64(i+1))
	}
	clk.Set(edge.Add(time.Second)) // just past the edge: all six still count
	count("192.0.2.1", 7)
	count("192.0.2.2", 1)         // another client counts apart
	clk.Set(edge.Add(window / 2)) // half-way: half of the six
	count("192.0.2.1", 2+3)
	clk.Set(edge.Add(window + time.Minute)) // the window after: the two of the last window, at four fifths
	count("192.0.2.1", 1+2)
	clk.Set(edge.Add(3 * window)) // long after: starts over
	count("192.0.2.1", 1)
}
