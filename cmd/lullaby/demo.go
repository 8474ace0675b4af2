package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

//go:embed demo/*.md
var demoFS embed.FS

type demoPost struct {
	file, title, excerpt string
	categories           []int // indexes into demoCategories
	tags                 []string
	daysAgo              int
}

var demoCategories = []struct{ name, description string }{
	{"Baby sleep", "Sleep from the newborn weeks to the first birthday."},
	{"Toddler sleep", "Naps, bedtimes and night wakings from one to five."},
	{"Sleep science", "What the research says, explained for parents."},
}

var demoPosts = []demoPost{
	{"01-sleep-needs-by-age.md", "How much sleep does my child need?", "Recommended total sleep by age, and the signs that a child is running a sleep debt.", []int{2, 1}, []string{"sleep needs", "naps"}, 9},
	{"02-the-wake-window.md", "Wake windows: the secret to easier naps", "How long a baby can stay happily awake between sleeps, and how to find your baby's own window.", []int{0}, []string{"naps", "wake windows"}, 6},
	{"03-calm-bedtime-routine.md", "A calm bedtime routine in four steps", "", []int{1}, []string{"bedtime", "routine"}, 3},
	{"04-night-wakings-after-six-months.md", "Night wakings after six months", "Why babies wake at night and three questions to ask before changing anything.", []int{0, 2}, []string{"night wakings"}, 1},
}

// demoReferences are real consensus statements the demo posts cite.
var demoReferences = []cms.Citation{
	{Key: "paruthi2016", Type: cms.CiteArticle, Year: 2016,
		Authors: demoNames("Paruthi", "Shalini", "Brooks", "Lee J.", "D'Ambrosio", "Carolyn", "Hall", "Wendy A.", "Kotagal", "Suresh",
			"Lloyd", "Robin M.", "Malow", "Beth A.", "Maski", "Kiran", "Nichols", "Cynthia", "Quan", "Stuart F.", "Rosen", "Carol L.",
			"Troester", "Matthew M.", "Wise", "Merrill S."),
		Title:     "Recommended amount of sleep for pediatric populations: a consensus statement of the American Academy of Sleep Medicine",
		Container: "Journal of Clinical Sleep Medicine", ContainerShort: "J Clin Sleep Med",
		Volume: "12", Issue: "6", Pages: "785-786", DOI: "10.5664/jcsm.5866"},
	{Key: "hirshkowitz2015", Type: cms.CiteArticle, Year: 2015,
		Authors: demoNames("Hirshkowitz", "Max", "Whiton", "Kaitlyn", "Albert", "Steven M.", "Alessi", "Cathy", "Bruni", "Oliviero",
			"DonCarlos", "Lydia", "Hazen", "Nancy", "Herman", "John", "Katz", "Eliot S.", "Kheirandish-Gozal", "Leila",
			"Neubauer", "David N.", "O'Donnell", "Anne E.", "Ohayon", "Maurice", "Peever", "John", "Rawding", "Robert",
			"Sachdeva", "Ramesh C.", "Setters", "Belinda", "Vitiello", "Michael V.", "Ware", "J. Catesby", "Adams Hillard", "Paula J."),
		Title:     "National Sleep Foundation's sleep time duration recommendations: methodology and results summary",
		Container: "Sleep Health", Volume: "1", Issue: "1", Pages: "40-43", DOI: "10.1016/j.sleh.2014.12.010"},
}

// demoNames pairs family and given names.
func demoNames(pairs ...string) []cms.Name {
	out := make([]cms.Name, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, cms.Name{Family: pairs[i], Given: pairs[i+1]})
	}
	return out
}

// demoActor is the author recorded on demo content.
var demoActor = &cms.User{Name: "Demo", Role: cms.RoleOwner}

// loadDemo adds the sample content unless there are posts already.
func loadDemo(ctx context.Context, svc *cms.Service, log *slog.Logger) error {
	_, total, err := svc.ListPosts(ctx, cms.PostFilter{Limit: 1})
	if err != nil {
		return err
	}
	if total > 0 {
		log.Info("demo content not loaded: there are posts already", "posts", total)
		return nil
	}
	start := time.Now()
	log.Info("loading demo content: categories, references, then each post with its cover and pin images (about 20 s)",
		"categories", len(demoCategories), "references", len(demoReferences), "posts", len(demoPosts)+1)
	var catIDs []string
	for _, c := range demoCategories {
		name, desc := c.name, c.description
		cat, err := svc.CreateCategory(ctx, demoActor, cms.CategoryInput{Name: &name, Description: &desc})
		if err != nil {
			return err
		}
		catIDs = append(catIDs, cat.ID)
	}
	for _, c := range demoReferences {
		if _, err := svc.CreateCitation(ctx, demoActor, c); err != nil && !cms.IsKind(err, cms.KindConflict) {
			return fmt.Errorf("reference %s: %w", c.Key, err)
		}
	}
	for i, p := range demoPosts {
		body, err := demoFS.ReadFile("demo/" + p.file)
		if err != nil {
			return err
		}
		log.Info("demo: drawing and uploading images", "post", fmt.Sprintf("%d/%d", i+1, len(demoPosts)), "title", p.title)
		cover, pin, err := demoImages(ctx, svc, i, p.title)
		if err != nil {
			return fmt.Errorf("%s: images: %w", p.file, err)
		}
		title, excerpt, md := p.title, p.excerpt, string(body)
		cats := make([]string, len(p.categories))
		for i, c := range p.categories {
			cats[i] = catIDs[c]
		}
		tags := p.tags
		pins := []cms.PinInput{{MediaID: pin.ID, Title: title, Description: demoPinDescription(p), Alt: "Pin: " + title}}
		in := cms.PostInput{Title: &title, Excerpt: &excerpt, Body: &md, CategoryIDs: &cats, Tags: &tags,
			Cover: &cms.ImageInput{MediaID: cover.ID, Alt: "A crescent moon in an evening sky"}, Pins: &pins}
		at := time.Now().AddDate(0, 0, -p.daysAgo)
		if _, err := svc.ImportPost(ctx, demoActor, in, cms.StatusPublished, at); err != nil {
			return fmt.Errorf("%s: %w", p.file, err)
		}
	}
	draftTitle, draftBody := "Early rising: why 5 a.m. starts happen (draft)", "Notes for a post on early waking.\n\n- light\n- bedtime too late or too early\n- hunger"
	if _, err := svc.CreatePost(ctx, demoActor, cms.PostInput{Title: &draftTitle, Body: &draftBody}); err != nil {
		return err
	}
	v := 0
	st := cms.SettingsInput{
		Version: &v,
		Site:    &cms.SiteSettings{Title: "Sweet Dreams Sleep Studio (demo)", URL: "https://sleep.example.com", Description: "Evidence-based, gentle sleep help for babies, toddlers and their tired parents."},
		Author: &cms.AuthorProfile{Name: "Jordan Rivers", Title: "Certified pediatric sleep consultant",
			Bio: "Jordan helps families find calm, realistic sleep plans grounded in research. Mother of two, former nurse."},
		CallToAction: &cms.CallToAction{Heading: "Ready for more sleep?", Text: "Book a free 15-minute call and we'll talk through your child's sleep together.",
			ButtonLabel: "Book a consultation", URL: "https://sleep.example.com/book"},
	}
	cur, err := svc.GetSettings(ctx)
	if err != nil {
		return err
	}
	if cur.Version == 0 {
		if _, err := svc.UpdateSettings(ctx, demoActor, st); err != nil {
			return err
		}
	}
	log.Info("demo: draft, settings and search index")
	svc.Refresh(ctx)
	log.Info("demo content loaded", "posts", len(demoPosts)+1, "categories", len(demoCategories), "took", time.Since(start).Round(100*time.Millisecond))
	return nil
}

// demoImages uploads the cover and the pin of demo post i.
func demoImages(ctx context.Context, svc *cms.Service, i int, title string) (cover, pin *cms.Media, err error) {
	c, err := demoCover(i)
	if err != nil {
		return nil, nil, err
	}
	if cover, err = svc.UploadMedia(ctx, demoActor, fmt.Sprintf("cover-%d.jpg", i+1), "A crescent moon in an evening sky", bytes.NewReader(c)); err != nil {
		return nil, nil, err
	}
	p, err := demoPin(i, title)
	if err != nil {
		return nil, nil, err
	}
	pin, err = svc.UploadMedia(ctx, demoActor, fmt.Sprintf("pin-%d.jpg", i+1), "Pin: "+title, bytes.NewReader(p))
	return cover, pin, err
}

// demoPinDescription is the Pinterest description of a demo post's pin.
func demoPinDescription(p demoPost) string {
	if p.excerpt != "" {
		return p.excerpt + " Gentle, evidence-based sleep tips."
	}
	return "Gentle, evidence-based sleep tips for tired parents."
}

func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("demo", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	svc, db, err := openService(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	if err := loadDemo(ctx, svc, log); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo content is in place. Start the server with: go run ./cmd/lullaby")
	return nil
}
