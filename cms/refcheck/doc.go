// Package refcheck checks the health of one reference: whether the work
// behind its DOI has been retracted, corrected, withdrawn or put under an
// expression of concern (Crossref's update relations, which carry the
// Retraction Watch data), whether the DOI still resolves (the doi.org
// handle API), and whether its web page still answers, with an archived
// copy from the Wayback Machine when it does not.
//
// It is a leaf package: stdlib and small libraries only, never cms. The
// caller owns the loop over references and the storage of results; a
// Checker only answers for one reference at a time and is safe for
// concurrent use.
//
// # Politeness
//
// Every request goes through a per-host limiter (default one request per
// second per host, Config.PerHost overrides it), carries a User-Agent with
// the site's contact address, and is conditional when the previous check
// left an ETag or Last-Modified. A 429, or a 503 with Retry-After, makes
// the limiter hold that host back for the time asked (30 s when not said)
// and doubles the host's interval (up to 32 times, halved again by each
// success); the reference comes back with TryLater set and its previous
// result unchanged, never marked broken because a service was busy.
// Requests have a timeout and read at most Config.MaxBody bytes. A base URL
// left empty turns that source off, and web pages are fetched only when
// Config.CheckLinks is set: the zero Config fetches nothing at all.
//
// # Cost
//
// Per reference per cycle: a DOI costs 1 Crossref request and 1 doi.org
// handle request; a web URL costs 1 GET, plus 1 Wayback availability
// request only when the page is not ok. Crossref is the bottleneck at the
// default one request per second (the handle requests go to another host
// and fit in the wait): checked one after another, a library of 2,000
// references with DOIs takes about 2,000 s, some 34 minutes per cycle, and
// 2,000 web-only references take about as long at worst (their hosts are
// mostly distinct, so usually far less; Wayback adds 1 s for each page that
// is not ok). A weekly cycle is thus about 4,000 requests to outside
// services, spread over half an hour.
package refcheck
