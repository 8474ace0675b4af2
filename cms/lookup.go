package cms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Asking outside catalogues (Crossref, PubMed, Open Library) about a work: one
// guarded GET each, bounded in time and size, spaced out to the
// catalogue's rate, with its failures turned into the domain's kinds. The
// base URLs come from the operator's configuration, never from a
// request; with a base URL empty the lookup is off and nothing is
// fetched.

// DefaultLookupTimeout bounds one request to a catalogue, its answer
// included, unless ServiceConfig.LookupTimeout says otherwise.
const DefaultLookupTimeout = 4 * time.Second

// userAgent names Lullaby to the catalogues.
const userAgent = "Lullaby/1 (https://github.com/lullabycms/lullaby)"

// remote is one catalogue: its name for messages, its base URL, its
// client and the spacing between requests.
type remote struct {
	name  string // "Crossref", "PubMed", "Open Library"
	base  string // no trailing slash
	http  *http.Client
	space *spacing
	max   int64 // largest answer read
}

// newRemote checks base (for setting, the configuration's name) and
// returns the catalogue, or nil for "" (off). every spaces requests;
// timeout bounds each.
func newRemote(setting, name, base string, every, timeout time.Duration, max int64) (*remote, error) {
	base = strings.TrimRight(strings.TrimSpace(base), "/")
	if base == "" {
		return nil, nil
	}
	if !baseURL(base) {
		return nil, fmt.Errorf("cms.NewService: %s %q is not an http(s) URL", setting, base)
	}
	return &remote{name: name, base: base, http: &http.Client{Timeout: timeout}, space: &spacing{every: every}, max: max}, nil
}

// baseURL reports whether s is an absolute http(s) URL without query or
// fragment.
func baseURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// get fetches u (a URL on the catalogue) and returns the body of a 200.
// Errors: KindNotFound for a 404 (the caller words it), KindRateLimited
// when the spacing would outlast ctx, KindUpstream for everything else
// the catalogue did (no answer in time, 429, 5xx, an answer over
// max). The wrapped causes never hold the URL: it may carry a key.
func (r *remote) get(ctx context.Context, op, u, accept string) ([]byte, error) {
	if err := r.space.wait(ctx, op, r.name); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.http.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Op: op, Err: errors.New("bad lookup URL")}
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", userAgent)
	res, err := r.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which may carry the API key
		}
		return nil, &Error{Kind: KindUpstream, Op: op, Message: r.name + " did not answer in time: try again, or fill in the form by hand.", Err: err}
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, &Error{Kind: KindNotFound, Op: op, Message: r.name + " has no such record."}
	case res.StatusCode == http.StatusTooManyRequests:
		return nil, &Error{Kind: KindUpstream, Op: op, Message: r.name + " is limiting requests just now: try again in a minute.",
			Err: errors.New("status 429")}
	case res.StatusCode != http.StatusOK:
		return nil, &Error{Kind: KindUpstream, Op: op, Message: r.name + " could not answer just now: try again, or fill in the form by hand.",
			Err: fmt.Errorf("status %d", res.StatusCode)}
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, r.max+1))
	if err == nil && int64(len(body)) > r.max {
		err = fmt.Errorf("answer over %d bytes", r.max)
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &Error{Kind: KindUpstream, Op: op, Message: r.name + "'s answer could not be read: try again, or fill in the form by hand.", Err: err}
	}
	return body, nil
}

// unreadable is the error for an answer that is not what the catalogue
// documents.
func (r *remote) unreadable(op string, err error) error {
	return &Error{Kind: KindUpstream, Op: op, Message: r.name + "'s answer could not be read: fill in the form by hand.", Err: err}
}

// spacing lets one request start every interval, in the order they ask.
type spacing struct {
	every time.Duration
	mu    sync.Mutex
	next  time.Time
}

// wait blocks until the caller's turn. A turn further off than ctx allows
// is KindRateLimited, with the wait as RetryAfter, and gives the turn
// back; a ctx already done is KindUnavailable.
func (s *spacing) wait(ctx context.Context, op, name string) error {
	if s == nil || s.every <= 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		// The caller gave up before its turn was asked: no wait to tell.
		return &Error{Kind: KindUnavailable, Op: op, Message: "The lookup at " + name + " was canceled.", Err: err}
	}
	s.mu.Lock()
	now := time.Now()
	at := s.next
	if at.Before(now) {
		at = now
	}
	if dl, ok := ctx.Deadline(); ok && at.After(dl) {
		s.mu.Unlock()
		return &Error{Kind: KindRateLimited, Op: op, Message: "Too many lookups at " + name + " at once: try again in a moment.", RetryAfter: at.Sub(now)}
	}
	s.next = at.Add(s.every)
	s.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return &Error{Kind: KindRateLimited, Op: op, Message: "Too many lookups at " + name + " at once: try again in a moment.", RetryAfter: d}
		}
	}
	return nil
}
