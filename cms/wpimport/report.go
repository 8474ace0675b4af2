package wpimport

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/lullabycms/lullaby/cms/wordpress"
)

// Report is what an import did, or in a dry run would do.
type Report struct {
	DryRun bool
	// Items counts the export's items by WordPress type (post, page,
	// attachment, nav_menu_item, ...).
	Items map[string]int
	// Created and Updated count the posts saved (in a dry run: that
	// would be).
	Created, Updated int
	// Categories counts the categories created (would be, in a dry run).
	Categories int
	// Tags counts the distinct tags of the imported posts.
	Tags int
	// Flattened lists the nested categories, with their parents.
	Flattened []string
	// Skipped lists the items not imported, with the reason.
	Skipped []Line
	// Notes lists what was changed on the way in (status mapped, body
	// converted lossily, slug changed), per item.
	Notes []Line
	// MediaNew counts the images added to the media library; MediaReused
	// those it already had (the same bytes: a re-run, or the same picture
	// uploaded twice). In a dry run both stay 0.
	MediaNew, MediaReused int
	// FromUploads and Downloaded count the images read from the uploads
	// folder and downloaded (in a dry run: that would be).
	FromUploads, Downloaded int
	// Images lists, per item, the images that could not be imported, with
	// the reason; the item itself was imported without them.
	Images []Line
	// SkippedTypes counts the items of types this import does not take.
	SkippedTypes map[string]int
	// Stopped says why the reading ended early; "" when it read it all.
	Stopped string

	// Comments counts the comments of the items read, which are not
	// imported.
	Comments int

	tags  map[string]bool
	noted map[Line]int // index in Notes
}

// Line is one item's entry in the report.
type Line struct {
	ID     int64
	Title  string
	Reason string
	// Times counts the same note on the same item (notes only).
	Times int
}

func newReport(dryRun bool) *Report {
	return &Report{DryRun: dryRun, Items: map[string]int{}, SkippedTypes: map[string]int{}, tags: map[string]bool{}}
}

func (r *Report) count(typ string)    { r.Items[typ]++ }
func (r *Report) skipType(typ string) { r.SkippedTypes[typ]++ }
func (r *Report) skip(id int64, title, why string) {
	r.Skipped = append(r.Skipped, Line{ID: id, Title: title, Reason: why})
}

// note adds what was changed on an item, once: a body with twenty
// galleries says so in one line, with the count.
func (r *Report) note(id int64, title, what string) {
	if r.noted == nil {
		r.noted = map[Line]int{}
	}
	l := Line{ID: id, Title: title, Reason: what}
	if i, ok := r.noted[l]; ok {
		r.Notes[i].Times++
		return
	}
	r.noted[l] = len(r.Notes)
	l.Times = 1
	r.Notes = append(r.Notes, l)
}
func (r *Report) image(id int64, title, what string) {
	r.Images = append(r.Images, Line{ID: id, Title: title, Reason: what})
}
func (r *Report) mediaFrom(from string) {
	if from == fromUploads {
		r.FromUploads++
	} else {
		r.Downloaded++
	}
}
func (r *Report) mediaSaved(created bool) {
	if created {
		r.MediaNew++
	} else {
		r.MediaReused++
	}
}
func (r *Report) done(it *wordpress.Item, new bool) {
	if new {
		r.Created++
	} else {
		r.Updated++
	}
	for _, t := range it.Tags() {
		if !r.tags[t.Name] {
			r.tags[t.Name] = true
			r.Tags++
		}
	}
}

// SkippedCount is the number of items not imported, whatever the reason.
func (r *Report) SkippedCount() int {
	n := len(r.Skipped)
	for _, c := range r.SkippedTypes {
		n += c
	}
	return n
}

// WriteTo prints the report for a person.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var n int64
	p := func(format string, a ...any) {
		k, _ := fmt.Fprintf(w, format+"\n", a...)
		n += int64(k)
	}
	if r.DryRun {
		p("Dry run: nothing was written.")
	}
	p("Items in the export:")
	for _, typ := range slices.Sorted(maps.Keys(r.Items)) {
		p("  %-16s %d", typ, r.Items[typ])
	}
	would := ""
	if r.DryRun {
		would = "would be "
	}
	p("Posts %screated: %d, %supdated: %d", would, r.Created, would, r.Updated)
	p("Categories %screated: %d; tags: %d", would, r.Categories, r.Tags)
	if r.DryRun {
		p("Images that would be copied from the uploads folder: %d, downloaded: %d", r.FromUploads, r.Downloaded)
	} else {
		p("Images copied from the uploads folder: %d, downloaded: %d; new in the media library: %d, already there: %d",
			r.FromUploads, r.Downloaded, r.MediaNew, r.MediaReused)
	}
	p("Skipped: %d", r.SkippedCount())
	for _, typ := range slices.Sorted(maps.Keys(r.SkippedTypes)) {
		if typ == "attachment" {
			p("  %d attachment items (not imported on their own: their images come with the posts that use them)", r.SkippedTypes[typ])
			continue
		}
		p("  %d %s items (not imported in this version)", r.SkippedTypes[typ], typ)
	}
	for _, l := range r.Skipped {
		p("  %s: %s", itemName(l), l.Reason)
	}
	if len(r.Flattened) > 0 {
		p("Nested categories flattened (Lullaby's categories are flat; each keeps its own name):")
		for _, f := range r.Flattened {
			p("  %s", f)
		}
	}
	if len(r.Notes) > 0 {
		p("Changed on the way in:")
		for _, l := range r.Notes {
			if l.Times > 1 {
				p("  %s: %s (%d times)", itemName(l), l.Reason, l.Times)
			} else {
				p("  %s: %s", itemName(l), l.Reason)
			}
		}
	}
	if len(r.Images) > 0 {
		p("Images not imported (the items are in without them):")
		for _, l := range r.Images {
			p("  %s: %s", itemName(l), l.Reason)
		}
	}
	if r.Comments > 0 {
		p("Comments: %d, not imported (Lullaby has no comments)", r.Comments)
	}
	if r.Stopped != "" {
		p("Stopped early: %s", r.Stopped)
	}
	return n, nil
}

func itemName(l Line) string {
	if l.Title == "" {
		return "item " + strconv.FormatInt(l.ID, 10)
	}
	return "item " + strconv.FormatInt(l.ID, 10) + " " + strconv.Quote(l.Title)
}
