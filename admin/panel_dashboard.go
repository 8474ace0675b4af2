package admin

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
	"github.com/lullabycms/lullaby/views"
)

// dashboardPage is the data of views/dashboard.html.
type dashboardPage struct {
	page
	*readmodel.Dashboard
	DraftCount, PublishedCount int
	Views                      viewsChart
	Quiz                       quizChart
	Backup                     *backupCard // nil: not shown
	// DisabledWebhooks are the endpoints to flag to owners: disabled,
	// each with why.
	DisabledWebhooks []*cms.Webhook
	Review           reviewCard
	// RefAttention counts the references that need attention (checked,
	// not ok), Retracted those of them retracted or withdrawn.
	RefAttention, RefRetracted int
}

// reviewCard is the dashboard's "Due for review": published posts whose
// medical review is older than her period, oldest first.
type reviewCard struct {
	Months int             // the period, from the settings
	Due    []cms.DueReview // at most dueShown
	More   int             // how many more are due
}

// dueShown is how many posts due for review the dashboard lists.
const dueShown = 20

// Dashboard chart sizes: the SVG's user units (CSS scales it).
const (
	chartDays      = 30
	chartTopPosts  = 5
	chartWidth     = 300
	chartHeight    = 60
	sparkWidth     = 100
	sparkHeight    = 20
	chartBarMargin = 1
)

// viewsChart is the dashboard's views chart: the daily views of the most
// read posts over the last 30 days as bars, and each of those posts with
// its total and a sparkline. It is drawn as inline SVG by the template
// (no script; styled by classes).
type viewsChart struct {
	Bars      []chartBar
	Max       int64
	Total     int64
	From, To  string // first and last day shown
	Top       []topPost
	Width     int
	Height    int
	SparkW    int
	SparkH    int
	Available bool // false when the counts could not be read
}

// chartBar is one day's bar.
type chartBar struct {
	X, Y, W, H string
	Label      string // "2030-01-31: 12 views"
}

// topPost is one of the most read posts with its daily views.
type topPost struct {
	ID, Title string
	Views     int64
	Points    string // the sparkline's polyline points
}

// handleDashboard shows drafts, scheduled posts (in her time zone),
// recently published posts, quick links, the references that need
// attention, the views chart, the quiz's results and, to owners, the
// backups.
func (a *Admin) handleDashboard(c *fiber.Ctx) error {
	d, err := a.posts.Dashboard(c.UserContext())
	if err != nil {
		return err
	}
	chart, err := a.chart.get(a.now(), func() (viewsChart, error) { return a.viewsChart(c.UserContext()) })
	if err != nil {
		return err
	}
	quiz, err := a.quizChart(c.UserContext())
	if err != nil {
		return err
	}
	p := dashboardPage{page: a.newPage(c, "Dashboard", "dashboard"), Dashboard: d,
		DraftCount: d.Counts[cms.StatusDraft], PublishedCount: d.Counts[cms.StatusPublished], Views: chart, Quiz: quiz}
	p.Backup = a.backupCard(c.UserContext(), p.User)
	p.DisabledWebhooks = a.disabledWebhooks(c.UserContext(), p.User)
	st, err := a.svc.GetSettings(c.UserContext())
	if err != nil {
		return err
	}
	health, err := a.healthByID(c.UserContext())
	if err != nil {
		return err
	}
	for _, h := range health {
		if h.Attention() {
			p.RefAttention++
		}
		if h.Status == string(cms.HealthRetracted) || h.Status == string(cms.HealthWithdrawn) {
			p.RefRetracted++
		}
	}
	due := d.DueForReview(st.ReviewPeriodMonths, a.now())
	p.Review = reviewCard{Months: st.ReviewPeriodMonths, Due: due[:min(len(due), dueShown)], More: max(0, len(due)-dueShown)}
	return a.render(c, fiber.StatusOK, views.Dashboard, p)
}

// chartTTL is how long the dashboard reuses its views chart: reading the
// daily views scans the post_views collection on the embedded database.
const chartTTL = time.Minute

// chartCache keeps the last views chart for chartTTL.
type chartCache struct {
	mu    sync.Mutex
	chart viewsChart
	at    time.Time
}

// get returns the cached chart if it is fresh at now, else the one made
// by compute (kept when it succeeds).
func (cc *chartCache) get(now time.Time, compute func() (viewsChart, error)) (viewsChart, error) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if !cc.at.IsZero() && now.Sub(cc.at) < chartTTL && now.After(cc.at) {
		return cc.chart, nil
	}
	ch, err := compute()
	if err == nil && ch.Available {
		cc.chart, cc.at = ch, now
	}
	return ch, err
}

// viewsChart reads the 5 most read posts of the last 30 days with the
// daily views of each (one read of the counts), and lays out the chart:
// the bars are the sum of those posts' daily views.
func (a *Admin) viewsChart(ctx context.Context) (viewsChart, error) {
	ch := viewsChart{Width: chartWidth, Height: chartHeight, SparkW: sparkWidth, SparkH: sparkHeight}
	top, err := a.svc.TopPostsByDay(ctx, chartDays, chartTopPosts)
	if err != nil {
		if cms.IsKind(err, cms.KindUnavailable) {
			return ch, nil
		}
		return ch, err
	}
	ids := make([]string, len(top))
	for i, t := range top {
		ids[i] = t.PostID
	}
	posts, err := a.posts.Posts(ctx, ids)
	if err != nil {
		return ch, err
	}
	daily := make([]int64, chartDays)
	var days []cms.DayViews
	for _, t := range top {
		days = t.Days
		title := "(a deleted post)"
		if p := posts[t.PostID]; p != nil {
			title = p.Title
		}
		tp := topPost{ID: t.PostID, Title: title, Views: t.Views}
		var most int64 = 1
		for i, d := range days {
			daily[i] += d.Views
			most = max(most, d.Views)
		}
		pts := make([]string, len(days))
		for i, d := range days {
			x := float64(i) * sparkWidth / float64(max(1, len(days)-1))
			y := sparkHeight - 1 - float64(d.Views)*(sparkHeight-2)/float64(most)
			pts[i] = num(x) + "," + num(y)
		}
		tp.Points = strings.Join(pts, " ")
		ch.Top = append(ch.Top, tp)
	}
	if len(days) != chartDays { // no views at all: still show the 30 days
		now := a.now().UTC()
		days = make([]cms.DayViews, chartDays)
		for i := range days {
			days[i].Day = cms.Day(now.AddDate(0, 0, i-(chartDays-1)))
		}
	}
	ch.Available = true
	ch.From, ch.To = days[0].Day, days[len(days)-1].Day
	for _, v := range daily {
		ch.Max = max(ch.Max, v)
		ch.Total += v
	}
	w := float64(chartWidth) / chartDays
	for i, v := range daily {
		h := 0.0
		if ch.Max > 0 {
			h = float64(v) * (chartHeight - 1) / float64(ch.Max)
		}
		if v > 0 && h < 1 {
			h = 1
		}
		label := strconv.FormatInt(v, 10) + " views"
		if v == 1 {
			label = "1 view"
		}
		ch.Bars = append(ch.Bars, chartBar{X: num(float64(i)*w + chartBarMargin/2.0), Y: num(chartHeight - 1 - h),
			W: num(w - chartBarMargin), H: num(h), Label: days[i].Day + ": " + label})
	}
	return ch, nil
}

// num formats a chart coordinate with at most one decimal.
func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
