package cms

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms/cite"
)

// Looking a DOI up online: Crossref's REST API (GET {base}/works/{doi})
// fills a citation from the DOI alone. Reading the answer is cite's
// (cite.ParseCrossref); asking is the service's, since it owns the
// configuration (CrossrefURL), the time a lookup may take and what a
// failure means to the user (Upstream, NotFound), and cite stays free
// of the network. It is optional and off unless
// ServiceConfig.CrossrefURL is set; a lookup is bounded by
// CrossrefTimeout and its failure never stands in the way of saving: the
// caller keeps what it had.

// CrossrefTimeout bounds one lookup, the request and reading its answer.
const CrossrefTimeout = 3 * time.Second

// maxCrossrefBytes bounds a Crossref answer (a work is a few KB; one with
// a long reference list a few hundred).
const maxCrossrefBytes = 2 << 20

// newCrossrefClient checks base (an absolute http(s) URL) and returns
// Crossref as a catalogue (lookup.go: the same guarded GET as PubMed's and
// Open Library's, unspaced: Crossref's public pool allows far more than
// one person importing), or nil for "" (lookups off).
func newCrossrefClient(base string) (*remote, error) {
	return newRemote("CrossrefURL", "Crossref", base, 0, CrossrefTimeout, maxCrossrefBytes)
}

// CrossrefEnabled reports whether DOIs can be looked up online.
func (s *Service) CrossrefEnabled() bool { return s.crossref != nil }

// LookupDOI asks Crossref for the work with doi (any accepted spelling)
// and returns it as an unsaved, normalised, unvalidated citation with no
// key. Errors: KindInvalid (not a DOI), KindNotFound (Crossref does not
// know it), KindUnavailable (lookups are off), KindUpstream (the server
// did not answer within CrossrefTimeout, failed or answered something
// unusable).
func (s *Service) LookupDOI(ctx context.Context, doi string) (*Citation, error) {
	const op = "cms.LookupDOI"
	d, err := NormalizeDOI(doi)
	if err != nil {
		return nil, err
	}
	if s.crossref == nil {
		return nil, Errorf(KindUnavailable, op, "Looking DOIs up online is turned off (LULLABY_CROSSREF_URL).")
	}
	segs := strings.Split(d, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	body, err := s.crossref.get(ctx, op, s.crossref.base+"/works/"+strings.Join(segs, "/"), "application/json")
	if IsKind(err, KindNotFound) {
		return nil, Errorf(KindNotFound, op, "Crossref does not know this DOI.")
	}
	if err == nil {
		var r *cite.Reference
		if r, err = cite.ParseCrossref(body, d); err == nil {
			c := citationOf(r)
			return &c, nil
		}
		err = s.crossref.unreadable(op, err)
	}
	s.log.Warn("crossref lookup", "doi", d, "err", err)
	return nil, err
}
