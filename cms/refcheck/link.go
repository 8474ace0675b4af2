package refcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// checkURL fetches the web page, classifies it, and for a page that is not
// ok looks for an archived copy.
func (c *Checker) checkURL(ctx context.Context, ref Reference, res *Result) error {
	raw := strings.TrimSpace(ref.URL)
	if raw == "" || !c.cfg.CheckLinks {
		return nil
	}
	link, detail, err := c.page(ctx, raw, res)
	if err != nil {
		return err
	}
	res.Link = link
	if link == LinkOK {
		return nil
	}
	if res.Detail == "" {
		res.Detail = detail
	}
	if c.cfg.WaybackBase != "" {
		at := ref.Accessed
		if at.IsZero() {
			at = c.cfg.Now()
		}
		if err := c.wayback(ctx, raw, at, res); err != nil {
			return err
		}
	}
	if res.Status == StatusOK {
		res.Status = StatusBroken
		if res.ArchiveURL != "" {
			res.Status = StatusArchived
		}
	}
	return nil
}

// page fetches raw and says what it is.
func (c *Checker) page(ctx context.Context, raw string, res *Result) (Link, string, error) {
	resp, err := c.get(ctx, raw, res.Page, "text/html,*/*;q=0.5")
	if err != nil {
		var later *errTryLater
		if errors.As(err, &later) || ctxErr(err) {
			return "", "", err
		}
		var dns *net.DNSError
		if errors.As(err, &dns) {
			return LinkBroken, "the host name does not resolve", nil
		}
		return LinkBroken, "unreachable: " + shortErr(err), nil
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return LinkOK, "", nil
	}
	if resp.StatusCode >= 400 {
		res.Page = Validators{}
		return LinkBroken, fmt.Sprintf("HTTP %d", resp.StatusCode), nil
	}
	orig, _ := url.Parse(raw)
	final := resp.Request.URL
	if site(orig.Hostname()) != site(final.Hostname()) {
		res.Page = Validators{}
		return LinkMoved, "redirected to " + final.Hostname(), nil
	}
	if final.String() != orig.String() && isHome(final) && !isHome(orig) {
		res.Page = Validators{}
		return LinkSoft404, "redirected to the site's home page", nil
	}
	body, err := c.read(resp.Body)
	if err != nil && ctxErr(err) {
		return "", "", err
	}
	if saysNotFound(body) {
		res.Page = Validators{}
		return LinkSoft404, "the page says it was not found", nil
	}
	res.Page = validators(resp.Header)
	return LinkOK, "", nil
}

// site is a host's registrable domain (example.co.uk for www.example.co.uk);
// IP addresses and names without a public suffix stand for themselves.
func site(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

func isHome(u *url.URL) bool {
	return (u.Path == "" || u.Path == "/") && u.RawQuery == ""
}

var (
	titleRe    = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	notFoundRe = regexp.MustCompile(`(?i)(^\s*404\b|\berror 404\b|\b404 error\b|\bnot found\b|\bpage (?:can ?not|could not|couldn't) be found|(?:page|article) (?:does not|doesn't) exist|no longer (?:available|exists)\b)`)
	bodyRe     = regexp.MustCompile(`(?i)(page not found|404 not found|error 404|the page you (?:requested|are looking for) (?:could not be found|does not exist|doesn't exist|was not found|cannot be found))`)
)

// saysNotFound reads a soft 404: a page answered 200 whose title, or whose
// text in plain words, says it was not found.
func saysNotFound(body []byte) bool {
	if m := titleRe.FindSubmatch(body); m != nil && notFoundRe.Match(m[1]) {
		return true
	}
	return bodyRe.Match(body) && !bytes.Contains(bytes.ToLower(body), []byte("<article"))
}

// wayback asks the availability API for the copy closest to at.
func (c *Checker) wayback(ctx context.Context, raw string, at time.Time, res *Result) error {
	q := url.Values{"url": {raw}, "timestamp": {at.UTC().Format("20060102")}}
	resp, err := c.get(ctx, c.cfg.WaybackBase+"/wayback/available?"+q.Encode(), Validators{}, "application/json")
	if err != nil {
		return asTryLater(err, "Wayback Machine")
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return &errTryLater{after: 5 * time.Minute, why: fmt.Sprintf("Wayback Machine answered %d", resp.StatusCode)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	body, err := c.read(resp.Body)
	if err != nil {
		return asTryLater(err, "Wayback Machine")
	}
	var a struct {
		Snapshots struct {
			Closest *struct {
				Available bool   `json:"available"`
				URL       string `json:"url"`
				Timestamp string `json:"timestamp"`
				Status    string `json:"status"`
			} `json:"closest"`
		} `json:"archived_snapshots"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return &errTryLater{after: 5 * time.Minute, why: "Wayback Machine's answer unreadable"}
	}
	cl := a.Snapshots.Closest
	if cl == nil || !cl.Available || cl.URL == "" || (cl.Status != "" && cl.Status != "200") {
		return nil
	}
	res.ArchiveURL = cl.URL
	if t, err := time.Parse("20060102150405", cl.Timestamp); err == nil {
		res.ArchiveDate = t.Format(time.DateOnly)
	}
	return nil
}

// ctxErr says whether err is a context ending (the caller's, not a
// request timeout, which is the page's fault).
func ctxErr(err error) bool {
	return errors.Is(err, context.Canceled)
}

// shortErr is err without the URL net/http repeats in it.
func shortErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}
