package cms

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/lullabycms/lullaby/cms/cite"
)

// Looking a PubMed article or a book up by its identifier: NCBI's
// E-utilities (efetch, XML) for a PMID, the PMC ID Converter first for a
// PMCID, Open Library's Books API for an ISBN. Reading the answers is
// cite's; asking is the service's, like a DOI at Crossref (crossref.go).
// Each is off unless its base URL is configured, and a failure never
// stands in the way of typing the reference by hand.

// Default addresses, for the documentation and the configuration's help.
const (
	DefaultNCBIURL        = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
	DefaultPMCIDConvURL   = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
	DefaultOpenLibraryURL = "https://openlibrary.org"
)

// NCBI asks for at most 3 requests a second without an API key, 10 with
// one; Open Library asks for restraint, and gets the same 3.
const (
	ncbiEvery        = time.Second/3 + time.Millisecond
	ncbiKeyEvery     = time.Second/10 + time.Millisecond
	openLibraryEvery = time.Second/3 + time.Millisecond
	maxPubMedBytes   = 4 << 20 // one article's XML; consortium author lists run long
	maxCatalogBytes  = 1 << 20
)

// WorkID is an identifier pasted to look a work up by (cite.ID): its kind
// and canonical value.
type WorkID = cite.ID

// Kinds of WorkID.
const (
	WorkDOI   = cite.IDDOI
	WorkPMID  = cite.IDPMID
	WorkPMCID = cite.IDPMCID
	WorkISBN  = cite.IDISBN
)

// IdentifyWork reads s as one DOI, PMID, PMCID, PubMed or PMC link, or
// ISBN (cite.Identify). Errors: KindInvalid naming the kind of identifier
// at fault ("isbn" for a wrong check digit, "doi", "pmid", "pmcid") or
// "text" when s is none of them.
func IdentifyWork(s string) (WorkID, error) {
	id, err := cite.Identify(s)
	if err != nil {
		var ce *cite.Error
		if errors.As(err, &ce) {
			return WorkID{}, &Error{Kind: KindInvalid, Op: "cms.IdentifyWork", Message: ce.Message, Fields: map[string]string{ce.Field: ce.Message}}
		}
		return WorkID{}, citeError("cms.IdentifyWork", err)
	}
	return id, nil
}

// pubmedClient asks NCBI.
type pubmedClient struct {
	eutils, idconv *remote
	key, email     string // never logged
}

func newPubMedClient(cfg *ServiceConfig) (*pubmedClient, error) {
	every := ncbiEvery
	if cfg.NCBIAPIKey != "" {
		every = ncbiKeyEvery
	}
	eu, err := newRemote("NCBIURL", "PubMed", cfg.NCBIURL, every, cfg.LookupTimeout, maxPubMedBytes)
	if eu == nil || err != nil {
		return nil, err
	}
	conv := cfg.PMCIDConvURL
	if conv == "" {
		conv = DefaultPMCIDConvURL
	}
	ic, err := newRemote("PMCIDConvURL", "PubMed Central", conv, 0, cfg.LookupTimeout, maxCatalogBytes)
	if err != nil {
		return nil, err
	}
	ic.space = eu.space // one pace for all of NCBI
	ic.base = conv      // as configured: the documented address ends in "/"
	return &pubmedClient{eutils: eu, idconv: ic, key: cfg.NCBIAPIKey, email: cfg.NCBIEmail}, nil
}

// params are the parameters NCBI asks every request to carry.
func (p *pubmedClient) params(v url.Values, key bool) string {
	v.Set("tool", "lullaby")
	if p.email != "" {
		v.Set("email", p.email)
	}
	if key && p.key != "" {
		v.Set("api_key", p.key)
	}
	return v.Encode()
}

// PubMedEnabled reports whether PMIDs and PMCIDs can be looked up online.
func (s *Service) PubMedEnabled() bool { return s.pubmed != nil }

// ISBNLookupEnabled reports whether ISBNs can be looked up online.
func (s *Service) ISBNLookupEnabled() bool { return s.openLibrary != nil }

// LookupPubMed asks PubMed for the article with id (a PMID, or a PMCID
// first turned into its PMID by the PMC ID Converter) and returns it as
// an unsaved, normalised, unvalidated citation with no key. Errors:
// KindInvalid (id is neither), KindNotFound ("No PubMed record 123."),
// KindUnavailable (lookups are off), KindRateLimited (too many lookups at
// once), KindUpstream (NCBI failed, was too slow or answered something
// unusable).
func (s *Service) LookupPubMed(ctx context.Context, id WorkID) (*Citation, error) {
	const op = "cms.LookupPubMed"
	if id.Kind != WorkPMID && id.Kind != WorkPMCID {
		return nil, Errorf(KindInvalid, op, "Give a PMID or a PMCID.")
	}
	if s.pubmed == nil {
		return nil, Errorf(KindUnavailable, op, "Looking PubMed up online is turned off (LULLABY_NCBI_URL).")
	}
	c, err := s.pubmed.lookup(ctx, op, id)
	if err != nil && !IsKind(err, KindNotFound) {
		s.log.Warn("pubmed lookup", string(id.Kind), id.Value, "err", err)
	}
	return c, err
}

func (p *pubmedClient) lookup(ctx context.Context, op string, id WorkID) (*Citation, error) {
	pmid := id.Value
	if id.Kind == WorkPMCID {
		body, err := p.idconv.get(ctx, op, p.idconv.base+"?"+p.params(url.Values{"ids": {id.Value}, "format": {"json"}}, false), "application/json")
		if IsKind(err, KindNotFound) {
			return nil, Errorf(KindNotFound, op, "No PubMed Central record %s.", id.Value)
		}
		if err != nil {
			return nil, err
		}
		if pmid, err = cite.ParsePMCIDConversion(body, id.Value); err != nil {
			return nil, p.idconv.answerError(op, err)
		}
	}
	q := p.params(url.Values{"db": {"pubmed"}, "id": {pmid}, "retmode": {"xml"}}, true)
	body, err := p.eutils.get(ctx, op, p.eutils.base+"/efetch.fcgi?"+q, "application/xml")
	if IsKind(err, KindNotFound) {
		return nil, Errorf(KindNotFound, op, "No PubMed record %s.", pmid)
	}
	if err != nil {
		return nil, err
	}
	r, err := cite.ParsePubMedArticle(body, pmid)
	if err != nil {
		return nil, p.eutils.answerError(op, err)
	}
	if id.Kind == WorkPMCID && r.PMCID == "" {
		r.PMCID = id.Value
	}
	c := citationOf(r)
	return &c, nil
}

// answerError turns cite's verdict on an answer into the domain's: no
// record is NotFound with cite's words, anything else unreadable.
func (r *remote) answerError(op string, err error) error {
	var ce *cite.Error
	if errors.As(err, &ce) && ce.NoRecord {
		return &Error{Kind: KindNotFound, Op: op, Message: ce.Message}
	}
	return r.unreadable(op, err)
}

// LookupISBN asks Open Library for the book with isbn (any spelling
// cite.NormalizeISBN accepts) and returns it as an unsaved, normalised,
// unvalidated citation with no key. Errors: KindInvalid naming "isbn" (a
// wrong length or check digit), KindNotFound, KindUnavailable (lookups
// are off), KindRateLimited, KindUpstream.
func (s *Service) LookupISBN(ctx context.Context, isbn string) (*Citation, error) {
	const op = "cms.LookupISBN"
	v, err := cite.NormalizeISBN(isbn)
	if err != nil {
		msg := ErrorMessage(citeError(op, err))
		return nil, &Error{Kind: KindInvalid, Op: op, Message: msg, Fields: map[string]string{"isbn": msg}}
	}
	if s.openLibrary == nil {
		return nil, Errorf(KindUnavailable, op, "Looking ISBNs up online is turned off (LULLABY_OPENLIBRARY_URL).")
	}
	ol := s.openLibrary
	q := url.Values{"bibkeys": {"ISBN:" + v}, "format": {"json"}, "jscmd": {"data"}}.Encode()
	body, err := ol.get(ctx, op, ol.base+"/api/books?"+q, "application/json")
	if err == nil {
		var r *cite.Reference
		if r, err = cite.ParseOpenLibraryBook(body, v); err == nil {
			c := citationOf(r)
			return &c, nil
		}
		err = ol.answerError(op, err)
	}
	if IsKind(err, KindNotFound) {
		return nil, Errorf(KindNotFound, op, "Open Library has no book with the ISBN %s.", v)
	}
	s.log.Warn("open library lookup", "isbn", v, "err", err)
	return nil, err
}
