package admin

import (
	"context"
	"strconv"

	"github.com/lullabycms/lullaby/cms"
)

// The dashboard's quiz card: how many readers took the Nap Quiz in the
// last 30 days, and the spread of their results — overall and in each age
// band — as stacked bars in a small inline SVG (classes only; no script,
// no style attributes).

// Quiz chart sizes: the SVG's user units (CSS scales it).
const (
	quizChartWidth = 300
	quizRowHeight  = 16
	quizRowGap     = 6
	quizLabelWidth = 96 // the band's label, left of its bar
	quizCountWidth = 34 // the count, right of the bar
)

// quizChart is the data of the dashboard's quiz card.
type quizChart struct {
	Available bool // false when the counts could not be read
	Total     int64
	Results   quizCounts
	Percent   quizCounts // of Total, rounded
	Rows      []quizChartRow
	Width     int
	Height    int
	From, To  string
}

// quizChartRow is one stacked bar: all readers, or one band's.
type quizChartRow struct {
	Label    string
	Total    int64
	Y, TextY string
	CountX   string
	Segs     []quizSeg
	All      bool
	BandKey  string
}

// quizSeg is one result's part of a bar.
type quizSeg struct {
	Class, X, W, Label string
}

// quizChart reads the quiz's last 30 days and lays out the chart.
func (a *Admin) quizChart(ctx context.Context) (quizChart, error) {
	ch := quizChart{Width: quizChartWidth}
	s, err := a.quizSummary(ctx, cms.NapQuizSlug, quizStatsDays)
	if err != nil {
		if cms.IsKind(err, cms.KindUnavailable) {
			return ch, nil
		}
		return ch, err
	}
	ch.Available, ch.Total, ch.Results, ch.From, ch.To = true, s.Total, s.Results, s.From, s.To
	if s.Total > 0 {
		pct := func(n int64) int64 { return (n*100 + s.Total/2) / s.Total }
		ch.Percent = quizCounts{Below: pct(s.Results.Below), Within: pct(s.Results.Within), Above: pct(s.Results.Above)}
	}
	rows := []quizBandSummary{{Label: "All readers", Total: s.Total, Results: s.Results}}
	for _, b := range s.Bands {
		if b.Total > 0 || b.Label != "" && !isEarlierBand(b) {
			rows = append(rows, b)
		}
	}
	var most int64 = 1
	for _, r := range rows {
		most = max(most, r.Total)
	}
	barW := float64(quizChartWidth - quizLabelWidth - quizCountWidth)
	for i, r := range rows {
		y := float64(i * (quizRowHeight + quizRowGap))
		row := quizChartRow{Label: r.Label, Total: r.Total, All: i == 0, BandKey: r.Key, Y: num(y), TextY: num(y + quizRowHeight*0.75)}
		x := float64(quizLabelWidth)
		for _, part := range []struct {
			class, name string
			n           int64
		}{{"seg-below", "below the range", r.Results.Below}, {"seg-within", "within the range", r.Results.Within}, {"seg-above", "above the range", r.Results.Above}} {
			if part.n == 0 {
				continue
			}
			w := float64(part.n) * barW / float64(most)
			row.Segs = append(row.Segs, quizSeg{Class: part.class, X: num(x), W: num(w),
				Label: r.Label + ": " + strconv.FormatInt(part.n, 10) + " " + part.name})
			x += w
		}
		row.CountX = num(x + 4)
		ch.Rows = append(ch.Rows, row)
	}
	ch.Height = len(ch.Rows)*(quizRowHeight+quizRowGap) - quizRowGap
	return ch, nil
}

// isEarlierBand reports whether b is a band no longer in the quiz.
func isEarlierBand(b quizBandSummary) bool { return b.Label == bandKeyLabel(b.Key) }
