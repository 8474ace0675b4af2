package admin

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// The reference library in the admin JSON API: list, create, read (with
// the posts citing it), replace, delete, merge two references into one,
// and parse pasted text (a DOI, BibTeX or RIS) into unsaved references for
// the form.

// citationBody is a reference as a client sends it: every field of the
// record (a PUT or PATCH replaces them all), and for edits the version it
// started from.
type citationBody struct {
	Key            string           `json:"key"`
	Type           cms.CitationType `json:"type"`
	Authors        []cms.Name       `json:"authors"`
	Editors        []cms.Name       `json:"editors"`
	Year           int              `json:"year"`
	Month          int              `json:"month"`
	Day            int              `json:"day"`
	Title          string           `json:"title"`
	Container      string           `json:"container"`
	ContainerShort string           `json:"containerShort"`
	Volume         string           `json:"volume"`
	Issue          string           `json:"issue"`
	Pages          string           `json:"pages"`
	ArticleNumber  string           `json:"articleNumber"`
	Edition        string           `json:"edition"`
	Publisher      string           `json:"publisher"`
	PublisherPlace string           `json:"publisherPlace"`
	DOI            string           `json:"doi"`
	PMID           string           `json:"pmid"`
	PMCID          string           `json:"pmcid"`
	ISBN           string           `json:"isbn"`
	URL            string           `json:"url"`
	Accessed       string           `json:"accessed"`
	Version        *int             `json:"version"`
}

// citation returns the record the body describes.
func (b citationBody) citation() cms.Citation {
	return cms.Citation{Key: b.Key, Type: b.Type, Authors: b.Authors, Editors: b.Editors,
		Year: b.Year, Month: b.Month, Day: b.Day, Title: b.Title, Container: b.Container, ContainerShort: b.ContainerShort,
		Volume: b.Volume, Issue: b.Issue, Pages: b.Pages, ArticleNumber: b.ArticleNumber, Edition: b.Edition,
		Publisher: b.Publisher, PublisherPlace: b.PublisherPlace, DOI: b.DOI, PMID: b.PMID, PMCID: b.PMCID, ISBN: b.ISBN, URL: b.URL, Accessed: b.Accessed}
}

// citationView is a reference as the admin API shows it: the record, its
// APA and AMA forms, what the reference checker last found of it (lists
// and single GET; left out when it was never checked) and (single GET)
// the posts citing it.
type citationView struct {
	*cms.Citation
	APA     cms.Formatted `json:"apa"`
	AMA     cms.Formatted `json:"ama"`
	Health  *healthView   `json:"health,omitempty"`
	CitedBy *[]citingPost `json:"citedBy,omitempty"`
}

// withHealth sets v's health from health (healthByID), if checked.
func (v *citationView) withHealth(health map[string]healthView) {
	if h, ok := health[v.ID]; ok {
		v.Health = &h
	}
}

// citingPost is a post that cites a reference.
type citingPost struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

func newCitationView(c *cms.Citation) citationView {
	if c.Authors == nil {
		c.Authors = []cms.Name{}
	}
	if c.Editors == nil {
		c.Editors = []cms.Name{}
	}
	return citationView{Citation: c, APA: cms.FormatAPA(c), AMA: cms.FormatAMA(c)}
}

// handleCitationList lists the library by key; ?q= filters by key, title,
// container, DOI or author.
func (a *Admin) handleCitationList(c *fiber.Ctx) error {
	q := strings.TrimSpace(strings.Clone(c.Query("q")))
	if utf8.RuneCountInString(q) > 200 {
		return invalid("admin.listCitations", "q", "Search for at most 200 characters.")
	}
	all, err := a.svc.ListCitations(c.UserContext(), q)
	if err != nil {
		return err
	}
	health, err := a.healthByID(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]citationView, len(all))
	for i, ct := range all {
		out[i] = newCitationView(ct)
		out[i].withHealth(health)
	}
	return ok(c, out)
}

// handleCitationCreate stores a new reference: 201 with Location. An empty
// key is generated; a DOI already in the library is 409 naming "doi".
func (a *Admin) handleCitationCreate(c *fiber.Ctx) error {
	var in citationBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ct, err := a.svc.CreateCitation(c.UserContext(), actor(c), in.citation())
	if err != nil {
		return err
	}
	return created(c, ct.ID, newCitationView(ct))
}

// handleCitationGet returns one reference with citedBy, the posts (trashed
// ones included) whose reference lists hold it.
func (a *Admin) handleCitationGet(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	ct, err := a.svc.GetCitation(ctx, id)
	if err != nil {
		return err
	}
	citing, err := a.citingPosts(ctx, ct.ID)
	if err != nil {
		return err
	}
	health, err := a.healthByID(ctx)
	if err != nil {
		return err
	}
	v := newCitationView(ct)
	v.CitedBy = &citing
	v.withHealth(health)
	return ok(c, v)
}

// citingPosts lists the posts citing reference id.
func (a *Admin) citingPosts(ctx context.Context, id string) ([]citingPost, error) {
	posts, err := a.svc.CitingPosts(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	out := make([]citingPost, len(posts))
	for i, p := range posts {
		out[i] = citingPost{ID: p.ID, Title: p.Title}
	}
	return out, nil
}

// handleCitationUpdate replaces every field of a reference (PUT and
// PATCH alike); "version" is required. A cited reference keeps its key.
func (a *Admin) handleCitationUpdate(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in citationBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Version == nil {
		return invalid("admin.updateCitation", "version", "The version you started from is required (it guards against overwriting someone else's changes).")
	}
	ct, err := a.svc.UpdateCitation(c.UserContext(), actor(c), id, in.citation(), *in.Version)
	if err != nil {
		return err
	}
	return ok(c, newCitationView(ct))
}

// handleCitationDelete removes a reference no post cites: 204; 409 while
// one does.
func (a *Admin) handleCitationDelete(c *fiber.Ctx) error {
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	if err := a.svc.DeleteCitation(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// mergeBody is the body of a merge: the reference folded into :id.
type mergeBody struct {
	DropID *string `json:"dropId"`
}

// handleCitationMerge folds reference dropId into :id (posts citing it
// cite :id instead; it is deleted): 200 with the kept reference and
// meta.postsChanged.
func (a *Admin) handleCitationMerge(c *fiber.Ctx) error {
	const op = "admin.mergeCitations"
	id, err := pathID(c, "id", "id")
	if err != nil {
		return err
	}
	var in mergeBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.DropID == nil || !cms.ValidID(*in.DropID) {
		return invalid(op, "dropId", "Give the id of the reference to merge into this one (24 hexadecimal characters).")
	}
	ctx := c.UserContext()
	n, err := a.svc.MergeCitations(ctx, actor(c), id, *in.DropID)
	if err != nil {
		return err
	}
	kept, err := a.svc.GetCitation(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(struct {
		Data citationView   `json:"data"`
		Meta map[string]int `json:"meta"`
	}{newCitationView(kept), map[string]int{"postsChanged": n}})
}

// parseBody is the body of a parse: the pasted text.
type parseBody struct {
	Text *string `json:"text"`
}

// parseResult is what pasted text became: unsaved references for the
// form, the library entries that already have their identifiers (keyed by
// the bare DOI, or by "pmid:…", "pmcid:…" or "isbn:…"), what each still
// lacks before it can be saved (keyed by its index in Data), what the
// text was read as, and a note for her (a DOI lookup that failed, say).
type parseResult struct {
	Data       []citationView               `json:"data"`
	Duplicates map[string]citationView      `json:"duplicates"`
	Problems   map[string]map[string]string `json:"problems"`
	Meta       parseMeta                    `json:"meta"`

	dups []duplicate // by index in Data, for the panel
}

type parseMeta struct {
	Format string `json:"format"` // "doi", "pubmed", "isbn", "bibtex" or "ris"
	Lookup string `json:"lookup"` // for an identifier: "found", "failed", "off"; else ""
	Notice string `json:"notice,omitempty"`
}

// duplicate is the library reference an imported entry repeats, and the
// identifier they share ("doi", "pmid", "pmcid", "isbn"; nil: none).
type duplicate struct {
	Of    *cms.Citation
	Field string
}

// handleCitationParse reads {"text": "..."} (a DOI in any spelling, a
// PMID, PMCID or PubMed link, an ISBN, BibTeX entries or RIS records) and
// answers the references it holds, unsaved. Nothing is stored.
func (a *Admin) handleCitationParse(c *fiber.Ctx) error {
	var in parseBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Text == nil {
		return invalid("admin.parseCitations", "text", "Paste a DOI, a PMID, a PMCID, an ISBN, a BibTeX entry or a RIS record as \"text\".")
	}
	res, err := a.parseReferences(c.UserContext(), *in.Text)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// risStart finds a RIS record's first line.
var risStart = regexp.MustCompile(`(?m)^\s*TY  ?-`)

// bibStart finds a BibTeX entry's start.
var bibStart = regexp.MustCompile(`(?m)^\s*@[A-Za-z]+\s*[{(]`)

// parseReferences reads pasted text: RIS when a line starts with "TY  -",
// BibTeX when a line starts with "@type{", else one identifier (a DOI, a
// PMID, a PMCID, a PubMed link, an ISBN) looked up online. Errors name
// "text": Invalid (or TooLarge) for the text, and for a PubMed or ISBN
// lookup NotFound, RateLimited or Upstream (the catalogue failed).
func (a *Admin) parseReferences(ctx context.Context, text string) (*parseResult, error) {
	const op = "admin.parseCitations"
	fieldErr := func(err error) error {
		msg := cms.ErrorMessage(err)
		kind := cms.ErrorKind(err)
		switch kind {
		case cms.KindTooLarge, cms.KindNotFound, cms.KindRateLimited, cms.KindUpstream, cms.KindUnavailable:
		default:
			kind = cms.KindInvalid
		}
		e := &cms.Error{Kind: kind, Op: op, Message: msg, Fields: map[string]string{"text": msg}, Err: err}
		var ce *cms.Error
		if errors.As(err, &ce) {
			e.RetryAfter = ce.RetryAfter
		}
		return e
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return nil, invalid(op, "text", "Paste a DOI, a PMID, a PMCID, an ISBN, a BibTeX entry or a RIS record.")
	case len(text) > cms.MaxImportBytes:
		return nil, fieldErr(cms.Errorf(cms.KindTooLarge, op, "The text is larger than 1 MiB: import it in parts."))
	}
	res := &parseResult{Duplicates: map[string]citationView{}, Problems: map[string]map[string]string{}}
	var found []cms.Citation
	var err error
	switch {
	case risStart.MatchString(text):
		res.Meta.Format = "ris"
		found, err = cms.ParseRIS(text)
	case bibStart.MatchString(text):
		res.Meta.Format = "bibtex"
		found, err = cms.ParseBibTeX(text)
	default:
		var ct *cms.Citation
		ct, err = a.parseIdentifier(ctx, text, &res.Meta)
		if ct != nil {
			found = []cms.Citation{*ct}
		}
	}
	if err != nil {
		return nil, fieldErr(err)
	}
	lib, err := a.svc.ListCitations(ctx, "")
	if err != nil {
		return nil, err
	}
	byKey := map[string]*cms.Citation{}
	for _, ct := range lib {
		byKey[ct.Key] = ct
	}
	res.Data = make([]citationView, len(found))
	res.dups = make([]duplicate, len(found))
	for i := range found {
		ct := &found[i]
		if ct.Type == "" {
			ct.Type = cms.CiteArticle
		}
		res.Data[i] = newCitationView(ct)
		pr := map[string]string{}
		if err := ct.Validate(); err != nil {
			for k, v := range cms.ErrorFields(err) {
				pr[k] = v
			}
		}
		if d := duplicateOf(ct, lib); d.Of != nil {
			res.dups[i] = d
			key := ct.DOI // as imported, whatever its case
			if d.Field != "doi" {
				key = d.Field + ":" + dupKeys[d.Field](ct)
			}
			res.Duplicates[key] = newCitationView(d.Of)
			pr[d.Field] = "This " + dupWords[d.Field] + " is already in the library as @" + d.Of.Key + "."
		} else if old, ok := byKey[ct.Key]; ok && ct.Key != "" {
			pr["key"] = "@" + ct.Key + " is already used by \"" + old.Title + "\"."
		}
		if len(pr) > 0 {
			res.Problems[strconv.Itoa(i)] = pr
		}
	}
	return res, nil
}

// dupKeys read the identifiers an imported entry is matched on, in order.
var dupKeys = map[string]func(*cms.Citation) string{
	"doi":   func(c *cms.Citation) string { return strings.ToLower(c.DOI) },
	"pmid":  func(c *cms.Citation) string { return c.PMID },
	"pmcid": func(c *cms.Citation) string { return c.PMCID },
	"isbn": func(c *cms.Citation) string {
		if c.Type != cms.CiteBook {
			return "" // the chapters of one book share its ISBN
		}
		return c.ISBN
	},
}

// dupWords name the identifiers for people.
var dupWords = map[string]string{"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID", "isbn": "ISBN"}

// duplicateOf finds the library reference with ct's DOI, PMID, PMCID or
// (for a book) ISBN.
func duplicateOf(ct *cms.Citation, lib []*cms.Citation) duplicate {
	for _, f := range []string{"doi", "pmid", "pmcid", "isbn"} {
		v := dupKeys[f](ct)
		if v == "" {
			continue
		}
		for _, old := range lib {
			if dupKeys[f](old) == v {
				return duplicate{Of: old, Field: f}
			}
		}
	}
	return duplicate{}
}

// parseIdentifier reads text as one identifier and looks it up: a DOI at
// Crossref (a failed lookup is no error: see parseDOI), a PMID or PMCID at
// PubMed, an ISBN at Open Library. With a lookup off, the citation holds
// the identifier alone and meta says so.
func (a *Admin) parseIdentifier(ctx context.Context, text string, meta *parseMeta) (*cms.Citation, error) {
	id, err := cms.IdentifyWork(text)
	if err != nil {
		if _, junk := cms.ErrorFields(err)["text"]; junk {
			return nil, cms.Errorf(cms.KindInvalid, "admin.parseCitations", "This is not a DOI, a PMID, a PMCID, a PubMed link, an ISBN, "+
				"a BibTeX entry (@article{key, …}) or a RIS record (TY  - JOUR … ER  - ).")
		}
		return nil, err
	}
	var err2 error
	var ct *cms.Citation
	switch id.Kind {
	case cms.WorkPMID, cms.WorkPMCID:
		meta.Format = "pubmed"
		if !a.svc.PubMedEnabled() {
			ct = &cms.Citation{Type: cms.CiteArticle, PMID: id.Value}
			if id.Kind == cms.WorkPMCID {
				ct = &cms.Citation{Type: cms.CiteArticle, PMCID: id.Value}
			}
			meta.Lookup, meta.Notice = "off", "Only the "+dupWords[string(id.Kind)]+" was filled in: looking PubMed up online is turned off. Fill in the rest from the article."
			return ct, nil
		}
		ct, err2 = a.svc.LookupPubMed(ctx, id)
	case cms.WorkISBN:
		meta.Format = "isbn"
		if !a.svc.ISBNLookupEnabled() {
			meta.Lookup, meta.Notice = "off", "Only the ISBN was filled in: looking ISBNs up online is turned off. Fill in the rest from the book."
			return &cms.Citation{Type: cms.CiteBook, ISBN: id.Value}, nil
		}
		ct, err2 = a.svc.LookupISBN(ctx, id.Value)
	default:
		meta.Format = "doi"
		ct, meta.Lookup, meta.Notice, err2 = a.parseDOI(ctx, text)
		return ct, err2
	}
	if err2 != nil {
		meta.Lookup = "failed"
		return nil, err2
	}
	meta.Lookup = "found"
	return ct, nil
}

// parseDOI reads text as one DOI, in any spelling ("10.…", "doi:10.…",
// "DOI 10.…", "https://doi.org/10.…", with a stray full stop after it) and,
// when lookups are on, fills the rest from Crossref. A failed lookup is
// not an error: the citation holds the DOI alone and notice says why.
func (a *Admin) parseDOI(ctx context.Context, text string) (ct *cms.Citation, lookup, notice string, err error) {
	const op = "admin.parseCitations"
	s := strings.TrimRight(text, ".,;")
	if len(s) > 4 && strings.EqualFold(s[:4], "doi ") {
		s = strings.TrimSpace(s[4:])
	}
	doi, derr := cms.NormalizeDOI(s)
	if derr != nil {
		low := strings.ToLower(text)
		if !strings.Contains(low, "10.") && !strings.Contains(low, "doi") {
			return nil, "", "", cms.Errorf(cms.KindInvalid, op,
				"This is not a DOI, a BibTeX entry (@article{key, …}) or a RIS record (TY  - JOUR … ER  - ).")
		}
		return nil, "", "", cms.Errorf(cms.KindInvalid, op, "%s", cms.ErrorMessage(derr))
	}
	base := &cms.Citation{Type: cms.CiteArticle, DOI: doi}
	if !a.svc.CrossrefEnabled() {
		return base, "off", "Only the DOI was filled in: looking DOIs up online is turned off. Fill in the rest from the article.", nil
	}
	found, lerr := a.svc.LookupDOI(ctx, doi)
	switch {
	case lerr == nil:
		return found, "found", "", nil
	case cms.IsKind(lerr, cms.KindNotFound):
		return base, "failed", "Crossref does not know this DOI: fill in the rest by hand.", nil
	default:
		return base, "failed", "Crossref did not answer in time: fill in the rest by hand (or try the import again later).", nil
	}
}
