// Package netguard fetches URLs that someone else chose (an import's
// image URLs, a webhook's target) without letting them reach what only
// the server can reach: loopback, private and link-local networks, the
// cloud metadata address, carrier-grade NAT, IPv6 unique-local and
// link-local addresses, and any scheme other than http and https.
//
// The address is checked when the connection is made (net.Dialer's
// Control), after DNS resolution, for every connection including those of
// redirects: a name that resolves to a public address when checked and to
// 127.0.0.1 when dialed (DNS rebinding) is still refused. No proxy from
// the environment is used, since a proxy would make the dial to itself.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrBlocked is wrapped by every refusal of a URL or an address.
var ErrBlocked = errors.New("not allowed")

// ErrTooLarge is wrapped when a response is larger than Options.MaxBytes.
var ErrTooLarge = errors.New("response too large")

// Options tune a Guard. The zero value is ready to use.
type Options struct {
	// AllowPrivate lets connections reach loopback and private addresses.
	// Only for tests (httptest servers listen on 127.0.0.1) and local
	// development; never set it from a request.
	AllowPrivate bool
	// Allow lists blocked ranges that may be reached all the same, e.g.
	// 127.0.0.1/32 for a test server, a 10.0.0.0/8 office network.
	Allow []netip.Prefix
	// Timeout bounds one whole request, redirects and body included
	// (30 s if 0).
	Timeout time.Duration
	// MaxBytes bounds a body Fetch reads (32 MiB if 0).
	MaxBytes int64
	// MaxRedirects is how many redirects a request follows (5 if 0).
	MaxRedirects int
	// UserAgent is sent with every request ("Lullaby" if "").
	UserAgent string
}

// Guard makes guarded HTTP requests. It is safe for concurrent use.
type Guard struct {
	opt    Options
	client *http.Client
}

// New returns a Guard with its own client and connection pool.
func New(opt Options) *Guard {
	if opt.Timeout <= 0 {
		opt.Timeout = 30 * time.Second
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = 32 << 20
	}
	if opt.MaxRedirects <= 0 {
		opt.MaxRedirects = 5
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "Lullaby"
	}
	g := &Guard{opt: opt}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  15 * time.Second,
		IdleConnTimeout:        30 * time.Second,
		MaxIdleConnsPerHost:    2,
		MaxResponseHeaderBytes: 64 << 10,
	}
	g.client = &http.Client{Transport: transport, Timeout: opt.Timeout, CheckRedirect: g.checkRedirect}
	return g
}

// Client returns the guarded client, for callers that need more than
// Fetch (a POST with a body, their own headers). Its connections are
// checked the same way; the URL of the first request is not: call
// CheckURL first.
func (g *Guard) Client() *http.Client { return g.client }

// CheckURL parses raw and refuses what the guard never fetches: a scheme
// other than http or https, credentials in the URL, no host, and (unless
// AllowPrivate) a host that is a blocked IP address. A host name is
// checked when it is dialed. Refusals wrap ErrBlocked.
func (g *Guard) CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: unreadable URL: %v", ErrBlocked, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, fmt.Errorf("%w: %q is not an absolute URL", ErrBlocked, raw)
	default:
		return nil, fmt.Errorf("%w: scheme %s: only http and https are fetched", ErrBlocked, u.Scheme)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: URL with credentials", ErrBlocked)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("%w: URL without a host", ErrBlocked)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := g.blocked(ip); why != "" {
			return nil, fmt.Errorf("%w: %s is %s", ErrBlocked, host, why)
		}
	}
	return u, nil
}

// Fetch GETs raw and returns its body, at most MaxBytes; a status other
// than 200 is an error naming it. Refusals wrap ErrBlocked, an oversized
// body ErrTooLarge.
func (g *Guard) Fetch(ctx context.Context, raw string) ([]byte, error) {
	u, err := g.CheckURL(raw)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", g.opt.UserAgent)
	res, err := g.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", u.Redacted(), res.Status)
	}
	if res.ContentLength > g.opt.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, res.ContentLength, g.opt.MaxBytes)
	}
	data, err := io.ReadAll(io.LimitReader(res.Body, g.opt.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > g.opt.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, g.opt.MaxBytes)
	}
	return data, nil
}

// checkRedirect re-checks each redirect's URL and bounds their number;
// the address it leads to is checked when it is dialed.
func (g *Guard) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > g.opt.MaxRedirects {
		return fmt.Errorf("more than %d redirects", g.opt.MaxRedirects)
	}
	_, err := g.CheckURL(req.URL.String())
	return err
}

// control runs after name resolution, before each connection is made.
func (g *Guard) control(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp4", "tcp6":
	default:
		return fmt.Errorf("%w: network %s", ErrBlocked, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: address %q: %v", ErrBlocked, address, err)
	}
	if why := g.blocked(ap.Addr()); why != "" {
		return fmt.Errorf("%w: %s is %s", ErrBlocked, ap.Addr(), why)
	}
	return nil
}

// blocked is Blocked with the guard's allowances.
func (g *Guard) blocked(ip netip.Addr) string {
	why := Blocked(ip)
	if why == "" || g.opt.AllowPrivate {
		return ""
	}
	for _, p := range g.opt.Allow {
		if p.Contains(ip.Unmap()) {
			return ""
		}
	}
	return why
}

// blockedPrefixes are the ranges netip's predicates do not name.
var blockedPrefixes = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a \"this network\" address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("64:ff9b::/96"), "a NAT64 address"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a NAT64 address"},
	{netip.MustParsePrefix("2002::/16"), "a 6to4 address"},
	{netip.MustParsePrefix("2001::/32"), "a Teredo address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
}

// Blocked says why ip may not be reached ("a loopback address", ...), or
// "" when it may. IPv4 addresses written as IPv6 (::ffff:127.0.0.1) are
// judged as IPv4; the ranges that embed an IPv4 address (NAT64, 6to4,
// Teredo) are refused whole.
func Blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsUnspecified():
		return "the unspecified address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		if ip.Is6() {
			return "an IPv6 unique local address"
		}
		return "a private address"
	case ip.IsLinkLocalUnicast():
		if ip.Is4() {
			return "a link-local address (cloud metadata lives there)"
		}
		return "an IPv6 link-local address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case ip.Zone() != "":
		return "a scoped address"
	}
	for _, b := range blockedPrefixes {
		if b.prefix.Contains(ip) {
			return b.why
		}
	}
	return ""
}
