package cms

import (
	"net/url"
	"strings"
)

// URLProblem returns why s is not a URL the CMS stores, or "": every
// stored URL (canonical URLs, citation URLs, site, author photo and call
// to action URLs, quiz result links, CORS origins) is an absolute http(s)
// URL of at most MaxURLLen bytes, without spaces or control characters,
// and without a user name or password (http://user:pw@evil.example/ shows
// readers one host and sends them to another, and leaks credentials).
func URLProblem(s string) string {
	if len(s) > MaxURLLen {
		return "The URL must be at most 2048 characters."
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "Must be an absolute http:// or https:// URL."
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "Must be an absolute http:// or https:// URL."
	}
	if u.User != nil {
		return "Must not contain a user name or password."
	}
	return ""
}
