package admin

import (
	"context"
	"html/template"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/views"
)

// The reference library screens: the list (search, each reference in the
// site's style, its key, type and how many posts cite it), the import box
// (paste a DOI, BibTeX or RIS: one entry fills the form, several make a
// list to save each), the add and edit form, and a reference's page with
// the posts citing it, delete and merge. assets/static/js/citations.js adds
// author rows and saving imported entries in place.

const citationsPath = panelPrefix + "/citations"

// citationTypes are the choices of the type select, in her words.
var citationTypes = []option{
	{string(cms.CiteArticle), "Journal article"},
	{string(cms.CiteBook), "Book"},
	{string(cms.CiteChapter), "Book chapter"},
	{string(cms.CiteReport), "Report, guideline or thesis"},
	{string(cms.CiteWebpage), "Web page"},
}

// typeLabel names a citation type for people.
func typeLabel(t cms.CitationType) string {
	for _, o := range citationTypes {
		if o.Value == string(t) {
			return o.Label
		}
	}
	return string(t)
}

// citationRow is one reference of the library list.
type citationRow struct {
	*cms.Citation
	Formatted template.HTML // in the site's style, sanitised by cms
	TypeLabel string
	CitedBy   int
	Health    healthView // its badge shows when it needs attention
}

// citationsPage is the data of views/citations.html.
type citationsPage struct {
	page
	Rows       []citationRow
	Q          string
	Total      int
	Style      string // "APA 7" or "AMA 11"
	ImportText string
	Errors     map[string]string // "text" of the import box, "q"
	Alert      string
}

// citationForm is the reference form: a record with its field errors.
type citationForm struct {
	C       cms.Citation
	Authors []cms.Name // with blank rows to fill
	Editors []cms.Name
	Errors  map[string]string
	Types   []option
}

// newCitationForm fills the form from c, with one blank author row and one
// blank editor row to add to.
func newCitationForm(c cms.Citation, errs map[string]string) citationForm {
	if errs == nil {
		errs = map[string]string{}
	}
	return citationForm{C: c, Authors: append(slices.Clone(c.Authors), cms.Name{}), Editors: append(slices.Clone(c.Editors), cms.Name{}),
		Errors: errs, Types: citationTypes}
}

// Num shows a number field's value: "" for 0.
func (f citationForm) Num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// citationPage is the data of views/citation.html: a new reference, or
// one of the library with the posts citing it.
type citationPage struct {
	page
	New       bool
	Form      citationForm
	Action    string
	Problem   string          // above the form
	Notice    string          // what the import filled in, or did not
	Duplicate *cms.Citation   // the library entry with the same DOI, PMID, PMCID or ISBN
	DupWhat   string          // which of them: "DOI", "PMID", "PMCID", "ISBN"
	DupHTML   template.HTML   // it, formatted
	Stored    *cms.Citation   // the reference (nil when New)
	Formatted template.HTML   // the stored reference in the site's style
	CitedBy   []citingPost    // posts citing it
	Health    *healthView     // the stored reference's health (nil when New)
	Others    []*cms.Citation // merge candidates
	Alert     string          // a refused delete or merge
	ImportAll []importEntry   // several imported entries, each to save
}

// importEntry is one entry of a multi-entry import.
type importEntry struct {
	Index     int
	Form      citationForm
	Formatted template.HTML
	Problems  map[string]string
	Duplicate *dupEntry
	DupField  string // the identifier it shares with Duplicate: "doi", "pmid", …
}

// dupEntry is the library reference an imported entry duplicates.
type dupEntry struct {
	ID, Key   string
	Formatted template.HTML
}

// siteStyle returns the site's citation style.
func (a *Admin) siteStyle(ctx context.Context) (cms.CitationStyle, error) {
	s, err := a.svc.GetSettings(ctx)
	if err != nil {
		return "", err
	}
	if s.CitationStyle == cms.StyleAMA {
		return cms.StyleAMA, nil
	}
	return cms.StyleAPA, nil
}

// formatted is c in style, as safe HTML (cms escapes every field).
func formatted(c *cms.Citation, style cms.CitationStyle) template.HTML {
	if style == cms.StyleAMA {
		return template.HTML(cms.FormatAMA(c).HTML)
	}
	return template.HTML(cms.FormatAPA(c).HTML)
}

// handleCitationsPage lists the library: ?q= searches.
func (a *Admin) handleCitationsPage(c *fiber.Ctx) error {
	p, err := a.citationsPageFor(c, strings.Clone(c.Query("q")))
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, views.Citations, p)
}

func (a *Admin) citationsPageFor(c *fiber.Ctx, q string) (*citationsPage, error) {
	ctx := c.UserContext()
	q = strings.TrimSpace(q)
	if len(q) > 200 {
		q = q[:200]
	}
	style, err := a.siteStyle(ctx)
	if err != nil {
		return nil, err
	}
	p := &citationsPage{page: a.newPage(c, "References", "citations"), Q: q, Errors: map[string]string{}, Style: "APA 7"}
	if style == cms.StyleAMA {
		p.Style = "AMA 11"
	}
	all, err := a.svc.ListCitations(ctx, q)
	if err != nil {
		return nil, err
	}
	p.Total = len(all)
	counts := map[string]int{}
	if len(all) > 0 {
		ids := make([]string, len(all))
		for i, ct := range all {
			ids[i] = ct.ID
		}
		posts, err := a.svc.CitingPosts(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, post := range posts {
			for _, id := range post.References {
				counts[id]++
			}
		}
	}
	health, err := a.healthByID(ctx)
	if err != nil {
		return nil, err
	}
	for _, ct := range all {
		p.Rows = append(p.Rows, citationRow{Citation: ct, Formatted: formatted(ct, style), TypeLabel: typeLabel(ct.Type), CitedBy: counts[ct.ID],
			Health: healthOf(health, ct.ID)})
	}
	return p, nil
}

// handleCitationNewPage shows an empty reference form.
func (a *Admin) handleCitationNewPage(c *fiber.Ctx) error {
	p := citationPage{page: a.newPage(c, "New reference", "citations"), New: true, Action: citationsPath,
		Form: newCitationForm(cms.Citation{Type: cms.CiteArticle}, nil)}
	return a.render(c, fiber.StatusOK, views.Citation, p)
}

// handleCitationImportForm reads the import box: one entry fills the new
// reference form (not saved yet), several make a list to save each; text
// that is none of a DOI, PMID, PMCID, PubMed link, ISBN, BibTeX or RIS
// comes back with the reason, as does a PubMed or ISBN lookup that found
// nothing or failed (at its status: 404, 429, 502).
func (a *Admin) handleCitationImportForm(c *fiber.Ctx) error {
	text := strings.Clone(c.FormValue("text"))
	ctx := c.UserContext()
	res, err := a.parseReferences(ctx, text)
	if err != nil {
		fields := cms.ErrorFields(err)
		if fields == nil {
			return err
		}
		p, perr := a.citationsPageFor(c, "")
		if perr != nil {
			return perr
		}
		p.ImportText, p.Errors = text, fields
		p.Alert = "Nothing was imported: " + fields["text"]
		return a.render(c, formStatus(c, err), views.Citations, p)
	}
	style, err := a.siteStyle(ctx)
	if err != nil {
		return err
	}
	p := citationPage{page: a.newPage(c, "New reference", "citations"), New: true, Action: citationsPath, Notice: res.Meta.Notice}
	if len(res.Data) == 1 {
		ct := *res.Data[0].Citation
		// Not submitted yet: what is missing (a title a DOI lookup could
		// not fetch) is said when she saves, not before she has typed.
		p.Form = newCitationForm(ct, nil)
		if d := res.dups[0]; d.Of != nil {
			p.Duplicate, p.DupWhat, p.DupHTML = d.Of, dupWords[d.Field], formatted(d.Of, style)
		}
		if p.Notice == "" {
			p.Notice = "Filled in from what you pasted: check it, then save."
		}
		return a.render(c, fiber.StatusOK, views.Citation, p)
	}
	p.Title = "Import " + strconv.Itoa(len(res.Data)) + " references"
	for i, v := range res.Data {
		e := importEntry{Index: i, Form: newCitationForm(*v.Citation, nil), Formatted: formatted(v.Citation, style), Problems: res.Problems[strconv.Itoa(i)]}
		if d := res.dups[i]; d.Of != nil {
			e.Duplicate = &dupEntry{ID: d.Of.ID, Key: d.Of.Key, Formatted: formatted(d.Of, style)}
			e.DupField = d.Field
		}
		p.ImportAll = append(p.ImportAll, e)
	}
	return a.render(c, fiber.StatusOK, views.CitationImport, p)
}

// nameField matches the names of the author and editor rows' fields:
// authors[3].family.
var nameField = regexp.MustCompile(`^(authors|editors)\[(\d{1,4})\]\.(family|given|literal)$`)

// readCitationForm reads the reference form; problems holds what cannot
// even be read (a year that is not a number).
func readCitationForm(c *fiber.Ctx) (cms.Citation, int, map[string]string) {
	all := formFields(c)
	first := func(k string) string {
		if vs := all[k]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	problems := map[string]string{}
	num := func(name, msg string) int {
		s := first(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			problems[name] = msg
		}
		return n
	}
	ct := cms.Citation{
		Key: first("key"), Type: cms.CitationType(first("type")),
		Year:  num("year", "The year must be a number such as 2012 (or empty)."),
		Month: num("month", "The month must be a number from 1 to 12 (or empty)."),
		Day:   num("day", "The day must be a number from 1 to 31 (or empty)."),
		Title: first("title"), Container: first("container"), ContainerShort: first("containerShort"),
		Volume: first("volume"), Issue: first("issue"), Pages: first("pages"), ArticleNumber: first("articleNumber"),
		Edition: first("edition"), Publisher: first("publisher"), PublisherPlace: first("publisherPlace"),
		DOI: first("doi"), PMID: first("pmid"), PMCID: first("pmcid"), ISBN: first("isbn"), URL: first("url"), Accessed: first("accessed"),
	}
	version, _ := strconv.Atoi(first("version"))
	rows := map[string]map[int]*cms.Name{"authors": {}, "editors": {}}
	for k, vs := range all {
		m := nameField.FindStringSubmatch(k)
		if m == nil || len(vs) == 0 {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		n := rows[m[1]][i]
		if n == nil {
			n = &cms.Name{}
			rows[m[1]][i] = n
		}
		v := strings.TrimSpace(vs[0])
		switch m[3] {
		case "family":
			n.Family = v
		case "given":
			n.Given = v
		case "literal":
			n.Literal = v
		}
	}
	list := func(r map[int]*cms.Name) []cms.Name {
		idx := make([]int, 0, len(r))
		for i := range r {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		var out []cms.Name
		for _, i := range idx {
			if !r[i].IsZero() {
				out = append(out, *r[i])
			}
		}
		return out
	}
	ct.Authors, ct.Editors = list(rows["authors"]), list(rows["editors"])
	return ct, version, problems
}

// handleCitationCreateForm saves a new reference from the form and goes to
// its page; bad fields re-render the form at 422, a DOI already in the
// library at 409 with a link to it and the choice to use that one.
// "action=check" re-renders the form without saving (an imported entry
// to look over first).
func (a *Admin) handleCitationCreateForm(c *fiber.Ctx) error {
	ct, _, problems := readCitationForm(c)
	p := citationPage{page: a.newPage(c, "New reference", "citations"), New: true, Action: citationsPath}
	if c.FormValue("action") == "check" {
		p.Form = newCitationForm(ct, nil)
		p.Notice = "Check the reference, then save it."
		return a.render(c, fiber.StatusOK, views.Citation, p)
	}
	if len(problems) > 0 {
		p.Form, p.Problem = newCitationForm(ct, problems), problemNotSaved
		return a.render(c, fiber.StatusUnprocessableEntity, views.Citation, p)
	}
	saved, err := a.svc.CreateCitation(c.UserContext(), actor(c), ct)
	if err == nil {
		return a.flashRedirect(c, citationsPath+"/"+saved.ID, "Saved as @"+saved.Key+". Cite it in a post with ["+"@"+saved.Key+"].")
	}
	fields := cms.ErrorFields(err)
	if fields == nil {
		return err
	}
	p.Form, p.Problem = newCitationForm(ct, fields), problemNotSaved
	if conflictOn(err, "doi") {
		if d, derr := a.svc.FindCitationByDOI(c.UserContext(), ct.DOI); derr == nil {
			style, serr := a.siteStyle(c.UserContext())
			if serr != nil {
				return serr
			}
			p.Duplicate, p.DupWhat, p.DupHTML = d, "DOI", formatted(d, style)
			p.Problem = "Not saved: this DOI is already in your library as @" + d.Key + "."
			delete(p.Form.Errors, "doi")
		}
	}
	return a.render(c, formStatus(c, err), views.Citation, p)
}

// handleCitationPage shows reference :id: the form, the posts citing it,
// delete and merge. ?reused=1 says she chose it over an import.
func (a *Admin) handleCitationPage(c *fiber.Ctx) error {
	ct, err := a.panelCitation(c)
	if err != nil {
		return err
	}
	p, err := a.citationPageFor(c, ct, newCitationForm(*ct, nil))
	if err != nil {
		return err
	}
	if c.Query("reused") == "1" {
		p.Notice = "Nothing new was saved: cite this reference with [@" + ct.Key + "]."
	}
	return a.render(c, fiber.StatusOK, views.Citation, p)
}

// panelCitation loads reference :id; a malformed id is a 404.
func (a *Admin) panelCitation(c *fiber.Ctx) (*cms.Citation, error) {
	id, err := panelID(c)
	if err != nil {
		return nil, err
	}
	return a.svc.GetCitation(c.UserContext(), id)
}

// citationPageFor builds the page of stored reference ct with the form f.
func (a *Admin) citationPageFor(c *fiber.Ctx, ct *cms.Citation, f citationForm) (citationPage, error) {
	ctx := c.UserContext()
	p := citationPage{page: a.newPage(c, "Reference @"+ct.Key, "citations"), Form: f, Action: citationsPath + "/" + ct.ID, Stored: ct}
	style, err := a.siteStyle(ctx)
	if err != nil {
		return p, err
	}
	p.Formatted = formatted(ct, style)
	if p.CitedBy, err = a.citingPosts(ctx, ct.ID); err != nil {
		return p, err
	}
	health, err := a.healthByID(ctx)
	if err != nil {
		return p, err
	}
	h := healthOf(health, ct.ID)
	p.Health = &h
	all, err := a.svc.ListCitations(ctx, "")
	if err != nil {
		return p, err
	}
	for _, o := range all {
		if o.ID != ct.ID {
			p.Others = append(p.Others, o)
		}
	}
	return p, nil
}

// handleCitationUpdateForm saves the form of reference :id from the
// version it was opened at.
func (a *Admin) handleCitationUpdateForm(c *fiber.Ctx) error {
	stored, err := a.panelCitation(c)
	if err != nil {
		return err
	}
	ct, version, problems := readCitationForm(c)
	if len(problems) == 0 {
		var saved *cms.Citation
		saved, err = a.svc.UpdateCitation(c.UserContext(), actor(c), stored.ID, ct, version)
		if err == nil {
			return a.flashRedirect(c, citationsPath+"/"+saved.ID, "Saved. Posts citing it show the change.")
		}
		problems = cms.ErrorFields(err)
		if problems == nil {
			return err
		}
	}
	ct.Version = version
	p, perr := a.citationPageFor(c, stored, newCitationForm(ct, problems))
	if perr != nil {
		return perr
	}
	p.Problem = problemNotSaved
	status := formStatus(c, err) // 422 for the form's own checks (err nil)
	if isStale(err) {
		p.Form.C.Version = stored.Version
		delete(p.Form.Errors, "version")
		p.Problem = "Someone else saved this reference since you opened it. Your changes are still in the form below; save again to replace theirs, or reload the page to see theirs."
	}
	return a.render(c, status, views.Citation, p)
}

// handleCitationDeleteForm deletes reference :id once confirmed; while a
// post cites it the page comes back with the reason.
func (a *Admin) handleCitationDeleteForm(c *fiber.Ctx) error {
	ct, err := a.panelCitation(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return a.rerenderCitation(c, ct, fiber.StatusUnprocessableEntity, "Press “Delete for good” to confirm.")
	}
	err = a.svc.DeleteCitation(c.UserContext(), actor(c), ct.ID)
	switch {
	case err == nil:
		return a.flashRedirect(c, citationsPath, "Deleted @"+ct.Key+".")
	case cms.IsKind(err, cms.KindConflict):
		return a.rerenderCitation(c, ct, formStatus(c, err), "Not deleted: "+cms.ErrorMessage(err))
	}
	return err
}

// handleCitationMergeForm merges reference :id and the one chosen
// ("other"), keeping the one she picked ("keep": "this" or "other").
func (a *Admin) handleCitationMergeForm(c *fiber.Ctx) error {
	ct, err := a.panelCitation(c)
	if err != nil {
		return err
	}
	other := strings.TrimSpace(strings.Clone(c.FormValue("other")))
	if !cms.ValidID(other) || other == ct.ID {
		return a.rerenderCitation(c, ct, fiber.StatusUnprocessableEntity, "Not merged: choose the other reference (the duplicate) first.")
	}
	keep, drop := ct.ID, other
	switch c.FormValue("keep") {
	case "this":
	case "other":
		keep, drop = other, ct.ID
	default:
		return a.rerenderCitation(c, ct, fiber.StatusUnprocessableEntity, "Not merged: choose which of the two references to keep.")
	}
	n, err := a.svc.MergeCitations(c.UserContext(), actor(c), keep, drop)
	if err != nil {
		if refused(err) || cms.IsKind(err, cms.KindNotFound) {
			return a.rerenderCitation(c, ct, formStatus(c, err), "Not merged: "+cms.ErrorMessage(err))
		}
		return err
	}
	kept, err := a.svc.GetCitation(c.UserContext(), keep)
	if err != nil {
		return err
	}
	msg := "Merged: @" + kept.Key + " is kept, the duplicate is gone."
	if n > 0 {
		msg += " " + strconv.Itoa(n) + " post(s) now cite @" + kept.Key + "."
	}
	return a.flashRedirect(c, citationsPath+"/"+keep, msg)
}

// rerenderCitation shows reference ct's page with alert.
func (a *Admin) rerenderCitation(c *fiber.Ctx, ct *cms.Citation, status int, alert string) error {
	p, err := a.citationPageFor(c, ct, newCitationForm(*ct, nil))
	if err != nil {
		return err
	}
	p.Alert = alert
	return a.render(c, status, views.Citation, p)
}

// citationNames returns the author or editor rows of the form.
func citationNames(f citationForm, group string) []cms.Name {
	if group == "editors" {
		return f.Editors
	}
	return f.Authors
}

// citeInput is the data of the "citeInput" partial: one input of a
// reference form. Kind is "", "numeric", "url", "date" or "key".
type citeInput struct {
	ID, Name, Label, Value, Error, Kind string
}

func newCiteInput(prefix, name, label, value string, errs map[string]string, kind string) citeInput {
	return citeInput{ID: prefix + "-" + name, Name: name, Label: label, Value: value, Error: errs[name], Kind: kind}
}
