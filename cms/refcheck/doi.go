package refcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// update is one entry of a Crossref work's "updated-by" or "update-to".
type update struct {
	DOI     string `json:"DOI"`
	Type    string `json:"type"`
	Source  string `json:"source"`
	Label   string `json:"label"`
	Updated struct {
		DateParts [][]int `json:"date-parts"`
	} `json:"updated"`
}

// work is the part of Crossref's /works/{doi} answer the checker reads.
type work struct {
	Message struct {
		UpdatedBy []update `json:"updated-by"`
		UpdateTo  []update `json:"update-to"`
	} `json:"message"`
}

// kinds maps Crossref update types to a status and the notice's wording.
var kinds = map[string]struct {
	status Status
	word   string
}{
	"retraction":            {StatusRetracted, "Retracted"},
	"withdrawal":            {StatusWithdrawn, "Withdrawn"},
	"removal":               {StatusWithdrawn, "Removed"},
	"expression_of_concern": {StatusConcern, "Expression of concern"},
	"partial_retraction":    {StatusCorrected, "Partly retracted"},
	"correction":            {StatusCorrected, "Corrected"},
	"erratum":               {StatusCorrected, "Corrected"},
	"corrigendum":           {StatusCorrected, "Corrected"},
	"addendum":              {StatusCorrected, "Addendum"},
	"clarification":         {StatusCorrected, "Clarified"},
}

// severity orders the work statuses; ok is 0.
var severity = map[Status]int{StatusCorrected: 1, StatusConcern: 2, StatusWithdrawn: 3, StatusRetracted: 4}

func kindOf(t string) string {
	return strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(strings.TrimSpace(t)))
}

// escapeDOI escapes a DOI for a URL path, keeping its slashes.
func escapeDOI(doi string) string {
	parts := strings.Split(doi, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// checkDOI asks Crossref for updates to the work and doi.org whether the
// DOI is registered.
func (c *Checker) checkDOI(ctx context.Context, ref Reference, prev Result, res *Result) error {
	doi := strings.TrimSpace(ref.DOI)
	if doi == "" {
		return nil
	}
	if c.cfg.CrossrefBase != "" {
		if err := c.crossref(ctx, doi, prev, res); err != nil {
			return err
		}
	}
	if c.cfg.DOIBase != "" {
		return c.resolve(ctx, doi, res)
	}
	return nil
}

func (c *Checker) crossref(ctx context.Context, doi string, prev Result, res *Result) error {
	v := res.Crossref
	if severity[prev.Status] == 0 && prev.Status != StatusOK && prev.Status != "" {
		// The previous status came from the link, not from Crossref: a 304
		// would say nothing about the work, so ask unconditionally.
		v = Validators{}
	}
	resp, err := c.get(ctx, c.cfg.CrossrefBase+"/works/"+escapeDOI(doi), v, "application/json")
	if err != nil {
		return asTryLater(err, "Crossref")
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		if severity[prev.Status] > 0 {
			res.Status, res.Notice, res.NoticeDOI, res.NoticeDate = prev.Status, prev.Notice, prev.NoticeDOI, prev.NoticeDate
		}
		return nil
	case resp.StatusCode == http.StatusNotFound:
		// Not a Crossref DOI (DataCite, mEDRA …): no update relations to read.
		res.Crossref = Validators{}
		return nil
	case resp.StatusCode >= 500:
		return &errTryLater{after: 5 * time.Minute, why: fmt.Sprintf("Crossref answered %d", resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		res.Crossref = Validators{}
		return nil
	}
	body, err := c.read(resp.Body)
	if err != nil {
		return asTryLater(err, "Crossref")
	}
	var w work
	if err := json.Unmarshal(body, &w); err != nil {
		return &errTryLater{after: 5 * time.Minute, why: "Crossref's answer unreadable: " + err.Error()}
	}
	res.Crossref = validators(resp.Header)
	applyUpdates(w.Message.UpdatedBy, res)
	if res.Status == StatusOK && len(w.Message.UpdateTo) > 0 {
		u := w.Message.UpdateTo[0]
		res.Detail = fmt.Sprintf("this work is a %s notice for doi:%s", strings.ReplaceAll(kindOf(u.Type), "_", " "), u.DOI)
	}
	return nil
}

// applyUpdates sets res to the most serious update, the latest of its kind.
func applyUpdates(ups []update, res *Result) {
	best, bestDate := -1, ""
	for i, u := range ups {
		k, ok := kinds[kindOf(u.Type)]
		if !ok {
			continue
		}
		d := dateOf(u.Updated.DateParts)
		if best < 0 || severity[k.status] > severity[res.Status] || (k.status == res.Status && d > bestDate) {
			best, bestDate = i, d
			res.Status = k.status
		}
	}
	if best < 0 {
		return
	}
	u := ups[best]
	res.NoticeDOI, res.NoticeDate = u.DOI, bestDate
	n := kinds[kindOf(u.Type)].word
	if bestDate != "" {
		n += " on " + bestDate
	}
	if u.DOI != "" {
		n += ", see doi:" + u.DOI
	}
	res.Notice = n
}

// dateOf formats Crossref date-parts as YYYY-MM-DD (or YYYY-MM, YYYY).
func dateOf(parts [][]int) string {
	if len(parts) == 0 || len(parts[0]) == 0 {
		return ""
	}
	p := parts[0]
	switch len(p) {
	case 1:
		return fmt.Sprintf("%04d", p[0])
	case 2:
		return fmt.Sprintf("%04d-%02d", p[0], p[1])
	}
	return fmt.Sprintf("%04d-%02d-%02d", p[0], p[1], p[2])
}

// resolve asks the handle API whether the DOI exists (responseCode 1)
// or not (100).
func (c *Checker) resolve(ctx context.Context, doi string, res *Result) error {
	resp, err := c.get(ctx, c.cfg.DOIBase+"/api/handles/"+escapeDOI(doi), Validators{}, "application/json")
	if err != nil {
		return asTryLater(err, "doi.org")
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return &errTryLater{after: 5 * time.Minute, why: fmt.Sprintf("doi.org answered %d", resp.StatusCode)}
	}
	body, err := c.read(resp.Body)
	if err != nil {
		return asTryLater(err, "doi.org")
	}
	var h struct {
		ResponseCode int `json:"responseCode"`
	}
	if err := json.Unmarshal(body, &h); err != nil {
		return &errTryLater{after: 5 * time.Minute, why: "doi.org's answer unreadable"}
	}
	if h.ResponseCode == 100 {
		res.DOIUnregistered = true
		res.Detail = "the DOI is not registered (doi.org)"
		if res.Status == StatusOK {
			res.Status = StatusBroken
		}
	}
	return nil
}

// asTryLater turns a failure to reach a service into a try-later outcome,
// keeping a ctx ending as the error it is.
func asTryLater(err error, who string) error {
	if _, ok := err.(*errTryLater); ok {
		return err
	}
	if ctxErr(err) {
		return err
	}
	return &errTryLater{after: 5 * time.Minute, why: who + ": " + err.Error()}
}
