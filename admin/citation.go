package admin

import (
	"context"
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
	URL            string           `json:"url"`
	Accessed       string           `json:"accessed"`
	Version        *int             `json:"version"`
}

// citation returns the record the body describes.
func (b citationBody) citation() cms.Citation {
	return cms.Citation{Key: b.Key, Type: b.Type, Authors: b.Authors, Editors: b.Editors,
		Year: b.Year, Month: b.Month, Day: b.Day, Title: b.Title, Container: b.Container, ContainerShort: b.ContainerShort,
		Volume: b.Volume, Issue: b.Issue, Pages: b.Pages, ArticleNumber: b.ArticleNumber, Edition: b.Edition,
		Publisher: b.Publisher, PublisherPlace: b.PublisherPlace, DOI: b.DOI, PMID: b.PMID, URL: b.URL, Accessed: b.Accessed}
}

// citationView is a reference as the admin API shows it: the record, its
// APA and AMA forms, and (single GET) the posts citing it.
type citationView struct {
	*cms.Citation
	APA     cms.Formatted `json:"apa"`
	AMA     cms.Formatted `json:"ama"`
	CitedBy *[]citingPost `json:"citedBy,omitempty"`
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
	out := make([]citationView, len(all))
	for i, ct := range all {
		out[i] = newCitationView(ct)
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
	v := newCitationView(ct)
	v.CitedBy = &citing
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
// form, the library entries that already have their DOIs (keyed by DOI),
// what each still lacks before it can be saved (keyed by its index in
// Data), what the text was read as, and a note for her (a DOI lookup that
// failed, say).
type parseResult struct {
	Data       []citationView               `json:"data"`
	Duplicates map[string]citationView      `json:"duplicates"`
	Problems   map[string]map[string]string `json:"problems"`
	Meta       parseMeta                    `json:"meta"`
}

type parseMeta struct {
	Format string `json:"format"` // "doi", "bibtex" or "ris"
	Lookup string `json:"lookup"` // for a DOI: "found", "failed", "off"; else ""
	Notice string `json:"notice,omitempty"`
}

// handleCitationParse reads {"text": "..."} (a DOI in any spelling, BibTeX
// entries or RIS records) and answers the references it holds, unsaved.
// Nothing is stored.
func (a *Admin) handleCitationParse(c *fiber.Ctx) error {
	var in parseBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Text == nil {
		return invalid("admin.parseCitations", "text", "Paste a DOI, a BibTeX entry or a RIS record as \"text\".")
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
// BibTeX when a line starts with "@type{", else one DOI. Errors are
// Invalid (or TooLarge) naming "text".
func (a *Admin) parseReferences(ctx context.Context, text string) (*parseResult, error) {
	const op = "admin.parseCitations"
	fieldErr := func(err error) error {
		msg := cms.ErrorMessage(err)
		kind := cms.KindInvalid
		if cms.IsKind(err, cms.KindTooLarge) {
			kind = cms.KindTooLarge
		}
		return &cms.Error{Kind: kind, Op: op, Message: msg, Fields: map[string]string{"text": msg}}
	}
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return nil, invalid(op, "text", "Paste a DOI, a BibTeX entry or a RIS record.")
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
		res.Meta.Format = "doi"
		var ct *cms.Citation
		ct, res.Meta.Lookup, res.Meta.Notice, err = a.parseDOI(ctx, text)
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
	byDOI := map[string]*cms.Citation{}
	byKey := map[string]*cms.Citation{}
	for _, ct := range lib {
		if ct.DOI != "" {
			byDOI[strings.ToLower(ct.DOI)] = ct
		}
		byKey[ct.Key] = ct
	}
	res.Data = make([]citationView, len(found))
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
		if old, ok := byDOI[strings.ToLower(ct.DOI)]; ok && ct.DOI != "" {
			res.Duplicates[ct.DOI] = newCitationView(old)
			pr["doi"] = "This DOI is already in the library as @" + old.Key + "."
		}
		if old, ok := byKey[ct.Key]; ok && ct.Key != "" && pr["doi"] == "" {
			pr["key"] = "@" + ct.Key + " is already used by \"" + old.Title + "\"."
		}
		if len(pr) > 0 {
			res.Problems[strconv.Itoa(i)] = pr
		}
	}
	return res, nil
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
