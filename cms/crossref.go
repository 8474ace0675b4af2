package cms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms/cite"
)

// Looking a DOI up online: Crossref's REST API (GET {base}/works/{doi})
// fills a citation from the DOI alone. Reading the answer is cite's
// (cite.ParseCrossref); asking is the service's, since it owns the
// configuration (CrossrefURL), the time a lookup may take and what a
// failure means to the user (Unavailable, NotFound), and cite stays free
// of the network. It is optional and off unless
// ServiceConfig.CrossrefURL is set; a lookup is bounded by
// CrossrefTimeout and its failure never stands in the way of saving: the
// caller keeps what it had.

// CrossrefTimeout bounds one lookup, the request and reading its answer.
const CrossrefTimeout = 3 * time.Second

// maxCrossrefBytes bounds a Crossref answer (a work is a few KB; one with
// a long reference list a few hundred).
const maxCrossrefBytes = 2 << 20

// crossrefClient asks one Crossref-compatible server about DOIs.
type crossrefClient struct {
	base string // "https://api.crossref.org", no trailing slash
	http *http.Client
}

// newCrossrefClient checks base (an absolute http(s) URL) and returns a
// client, or nil for "" (lookups off).
func newCrossrefClient(base string) (*crossrefClient, error) {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" {
		return nil, nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cms.NewService: CrossrefURL %q is not an http(s) URL such as https://api.crossref.org", base)
	}
	return &crossrefClient{base: base, http: &http.Client{Timeout: CrossrefTimeout}}, nil
}

// CrossrefEnabled reports whether DOIs can be looked up online.
func (s *Service) CrossrefEnabled() bool { return s.crossref != nil }

// LookupDOI asks Crossref for the work with doi (any accepted spelling)
// and returns it as an unsaved, normalised, unvalidated citation with no
// key. Errors: KindInvalid (not a DOI), KindNotFound (Crossref does not
// know it), KindUnavailable (lookups are off, the server did not answer
// within CrossrefTimeout or answered something unusable).
func (s *Service) LookupDOI(ctx context.Context, doi string) (*Citation, error) {
	const op = "cms.LookupDOI"
	d, err := NormalizeDOI(doi)
	if err != nil {
		return nil, err
	}
	if s.crossref == nil {
		return nil, Errorf(KindUnavailable, op, "Looking DOIs up online is turned off (LULLABY_CROSSREF_URL).")
	}
	c, err := s.crossref.work(ctx, d)
	if err != nil {
		var ce *Error
		if !errors.As(err, &ce) || ce.Kind != KindNotFound {
			s.log.Warn("crossref lookup", "doi", d, "err", err)
		}
		return nil, err
	}
	return c, nil
}

// work fetches and converts one work.
func (cl *crossrefClient) work(ctx context.Context, doi string) (*Citation, error) {
	const op = "cms.LookupDOI"
	ctx, cancel := context.WithTimeout(ctx, CrossrefTimeout)
	defer cancel()
	segs := strings.Split(doi, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cl.base+"/works/"+strings.Join(segs, "/"), nil)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "The DOI could not be looked up.", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Lullaby/1 (https://github.com/lullabycms/lullaby)")
	res, err := cl.http.Do(req)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref did not answer in time; fill the form in by hand.", Err: err}
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, &Error{Kind: KindNotFound, Op: op, Message: "Crossref does not know this DOI."}
	case res.StatusCode != http.StatusOK:
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref could not answer just now; fill the form in by hand.",
			Err: fmt.Errorf("crossref: status %d", res.StatusCode)}
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxCrossrefBytes+1))
	if err != nil || len(body) > maxCrossrefBytes {
		if err == nil {
			err = errors.New("crossref: answer too large")
		}
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref's answer could not be read.", Err: err}
	}
	r, err := cite.ParseCrossref(body, doi)
	if err != nil {
		return nil, &Error{Kind: KindUnavailable, Op: op, Message: "Crossref's answer could not be read.", Err: err}
	}
	c := citationOf(r)
	return &c, nil
}
