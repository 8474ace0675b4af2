package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/netguard"
	"github.com/lullabycms/lullaby/cms/refcheck"
)

// refCheckConfig is the reference checker's configuration: which outside
// services it asks and how often. The base URLs are config.CrossrefURL
// (shared with the DOI import), DOIURL and WaybackURL.
type refCheckConfig struct {
	// On turns the checker on; off (the default), nothing is fetched
	// whatever else is set.
	On bool
	// DOIURL is doi.org's handle API base; WaybackURL the Wayback
	// Machine's availability API base ("" each: that source off).
	DOIURL, WaybackURL string
	// Every is how often each reference is checked; Poll how often the
	// job looks for references due; HostInterval the spacing of requests
	// to one host.
	Every, Poll, HostInterval time.Duration
	// AllowPrivate lets the checker reach loopback and private addresses
	// (local development and tests).
	AllowPrivate bool

	onStr, everyStr, pollStr, hostStr, allowStr string
}

func (r *refCheckConfig) settings() []setting {
	return []setting{
		{"LULLABY_REFCHECK", "refcheck", "off", "on checks every reference's health in the background (Crossref retractions and corrections, DOIs, dead links, archived copies) with the services configured here; off fetches nothing", &r.onStr},
		{"LULLABY_DOI_URL", "doi-url", "", "doi.org's handle API for checking that references' DOIs resolve, e.g. https://doi.org (empty: off)", &r.DOIURL},
		{"LULLABY_WAYBACK_URL", "wayback-url", "", "Wayback Machine availability API for archived copies of dead reference links, e.g. https://archive.org (empty: off)", &r.WaybackURL},
		{"LULLABY_REFCHECK_EVERY", "refcheck-every", "168h", "how often each reference is checked (at least 1m); the checks spread out over time", &r.everyStr},
		{"LULLABY_REFCHECK_POLL", "refcheck-poll", "1m", "how often the reference checker looks for references due (\"Check now\" in this instance wakes it at once)", &r.pollStr},
		{"LULLABY_REFCHECK_HOST_INTERVAL", "refcheck-host-interval", "1s", "time between two requests of the reference checker to one host (Crossref, doi.org, the Wayback Machine, each site); doubled on each 429 or 503", &r.hostStr},
		{"LULLABY_REFCHECK_ALLOW_PRIVATE", "refcheck-allow-private", "0", "1 lets the reference checker reach loopback and private addresses (local development and tests only)", &r.allowStr},
	}
}

func (r *refCheckConfig) parse() error {
	switch strings.ToLower(strings.TrimSpace(r.onStr)) {
	case "on", "1", "true":
		r.On = true
	case "off", "0", "false", "":
		r.On = false
	default:
		return fmt.Errorf("LULLABY_REFCHECK: %q is not on or off", r.onStr)
	}
	switch strings.TrimSpace(r.allowStr) {
	case "1", "true":
		r.AllowPrivate = true
	case "0", "false", "":
		r.AllowPrivate = false
	default:
		return fmt.Errorf("LULLABY_REFCHECK_ALLOW_PRIVATE: %q is not 1 or 0", r.allowStr)
	}
	var v values
	r.Every = v.duration("LULLABY_REFCHECK_EVERY", r.everyStr, time.Minute)
	r.Poll = v.duration("LULLABY_REFCHECK_POLL", r.pollStr, 10*time.Millisecond)
	r.HostInterval = v.duration("LULLABY_REFCHECK_HOST_INTERVAL", r.hostStr, 10*time.Millisecond)
	return v.err
}

// engine is the service's reference checker configuration: the zero
// value (nothing fetched) unless the checker is on. Reference pages are
// fetched through a netguard client, since people type their URLs.
func (c *config) refChecks() cms.ReferenceCheckConfig {
	r := &c.RefCheck
	if !r.On {
		return cms.ReferenceCheckConfig{}
	}
	const timeout = 15 * time.Second
	guard := netguard.New(netguard.Options{AllowPrivate: r.AllowPrivate, Timeout: timeout, MaxBytes: 1 << 20})
	return cms.ReferenceCheckConfig{Every: r.Every, Poll: r.Poll, Engine: refcheck.Config{
		CrossrefBase: c.CrossrefURL, DOIBase: r.DOIURL, WaybackBase: r.WaybackURL, CheckLinks: true,
		Version: version, Client: guard.Client(), Timeout: timeout, Interval: r.HostInterval,
	}}
}
