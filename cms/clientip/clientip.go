// Package clientip finds a request's client address behind trusted
// proxies, for per-client limits (login attempts, quiz answers, read
// beacons).
//
// Fiber's c.IP() returns the whole proxy header when the peer is a
// trusted proxy (or its leftmost valid entry with IP validation on), and
// the leftmost entries are whatever the client sent: counting by them
// would let one client pose as many and escape every limit. The client is
// instead the rightmost address of the header that is not a trusted
// proxy, which only the nearest trusted proxy could have written.
package clientip

import (
	"net"
	"net/netip"
	"strings"
)

// Resolver knows which peers are trusted proxies and which header they
// set. It is safe for concurrent use.
type Resolver struct {
	header   string // "" when no proxy header is believed
	all      bool   // the header is believed from any peer
	prefixes []netip.Prefix
}

// New returns a Resolver for an app whose proxy header is header ("":
// none, the peer is the client), believing it from the peers in trusted
// (addresses or CIDR prefixes; unparsable entries are ignored) when
// checkTrusted is set, and from any peer otherwise (Fiber's
// EnableTrustedProxyCheck, ProxyHeader and TrustedProxies).
func New(header string, checkTrusted bool, trusted []string) *Resolver {
	r := &Resolver{header: header, all: !checkTrusted}
	for _, p := range trusted {
		if pre, err := netip.ParsePrefix(p); err == nil {
			r.prefixes = append(r.prefixes, pre.Masked())
		} else if addr, err := netip.ParseAddr(p); err == nil {
			r.prefixes = append(r.prefixes, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
		}
	}
	return r
}

// Header returns the proxy header the resolver reads, "" for none.
func (r *Resolver) Header() string { return r.header }

// Client returns the client's address given the peer's and the value of
// the proxy header (see Header): the peer's, or, when the peer is a
// trusted proxy, the rightmost entry of the header that is not a trusted
// proxy (or the peer's, when every entry is one). The result is a new
// string or an entry of headerValue: copy headerValue first if it points
// into a reused buffer and the result is kept.
func (r *Resolver) Client(peer net.IP, headerValue string) string {
	if r.header == "" {
		return peer.String()
	}
	if addr, ok := netip.AddrFromSlice(peer); !ok || !r.all && !r.listed(addr.Unmap()) {
		return peer.String()
	}
	for xff := headerValue; xff != ""; {
		part := xff
		if i := strings.LastIndexByte(xff, ','); i >= 0 {
			part, xff = xff[i+1:], xff[:i]
		} else {
			xff = ""
		}
		part = strings.TrimSpace(part)
		addr, err := netip.ParseAddr(part)
		if err != nil || !r.listed(addr.Unmap()) {
			return part
		}
	}
	return peer.String()
}

// listed reports whether addr is one of the trusted proxies. (Believing
// the header from any peer does not make the addresses in it proxies.)
func (r *Resolver) listed(addr netip.Addr) bool {
	for _, p := range r.prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
