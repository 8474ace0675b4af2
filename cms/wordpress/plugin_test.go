package wordpress

import (
	"reflect"
	"strings"
	"testing"
)

func TestPins(t *testing.T) {
	t.Parallel()
	_, items, _ := MustReadAll(t, mustOpen(t, "testdata/sleepblog.xml"))
	m := byID(items)
	post := Pins{ImageURL: "https://quietnights.example/wp-content/uploads/2024/03/early-pin.jpg", ImageIDs: []int64{202},
		Description: "Three calm fixes for 5am toddler wake-ups", HiddenImageIDs: []int64{202, 203}}
	if !reflect.DeepEqual(m[101].Pins, post) {
		t.Errorf("post pins = %+v, want %+v", m[101].Pins, post)
	}
	if att := (Pins{Text: "Blackout blinds fixed our 5am wake-ups", Title: "Early waking: the room"}); !reflect.DeepEqual(m[201].Pins, att) {
		t.Errorf("attachment pins = %+v, want %+v", m[201].Pins, att)
	}
	if !m[204].Pins.NoPin || m[204].Pins.IsZero() || !m[103].Pins.IsZero() {
		t.Errorf("opt-out %+v, draft %+v", m[204].Pins, m[103].Pins)
	}
}

func TestPinsMetaShapes(t *testing.T) {
	t.Parallel()
	it := &Item{Meta: map[string][]string{
		"swp_pinterest_image":        {`a:2:{i:0;i:31;i:1;s:2:"32";}`},
		"tp_pinterest_hidden_image":  {" 40, 41 ,0"},
		"tp_pinterest_force_pinning": {"1"},
		"tp_pinterest_default_text":  {"Default pin text"},
		"tp_pinterest_default_title": {"Default pin title"},
		"tp_pinterest_repin_id":      {"99887766"},
	}}
	p := decodePins(it)
	if !reflect.DeepEqual(p.ImageIDs, []int64{31, 32}) || !reflect.DeepEqual(p.HiddenImageIDs, []int64{40, 41}) || !p.ForcePinning ||
		p.DefaultText != "Default pin text" || p.DefaultTitle != "Default pin title" || p.RepinID != "99887766" {
		t.Errorf("pins = %+v", p)
	}
}

func TestSEO(t *testing.T) {
	t.Parallel()
	_, items, _ := MustReadAll(t, mustOpen(t, "testdata/sleepblog.xml"))
	m := byID(items)
	yoast := SEO{Title: "Why your toddler wakes at 5am (and what helps) - Quiet Nights", Plugin: "yoast",
		Description: "Toddler up at 5am? Light, clocks and breakfast, in %%currentyear%%.", Unresolved: []string{"%%currentyear%%"}}
	if !reflect.DeepEqual(m[101].SEO, yoast) {
		t.Errorf("yoast = %+v, want %+v", m[101].SEO, yoast)
	}
	rankMath := SEO{Title: "Contact naps: a love letter - Quiet Nights", Description: "Why naps on a parent are not a habit to break.", Plugin: "rankmath"}
	if !reflect.DeepEqual(m[102].SEO, rankMath) {
		t.Errorf("rank math = %+v, want %+v", m[102].SEO, rankMath)
	}
	if !reflect.DeepEqual(m[103].SEO, SEO{}) {
		t.Errorf("no SEO meta: %+v", m[103].SEO)
	}
}

func TestSEOVariables(t *testing.T) {
	t.Parallel()
	site := &Site{Title: "Quiet Nights", Description: "Sleep help"}
	it := &Item{Title: "Naps", Excerpt: "<p>Short <em>naps</em></p>", Creator: "maren",
		Terms: []ItemTerm{{Domain: "category", Nicename: "sleep", Name: "Sleep"}},
		Meta: map[string][]string{"_yoast_wpseo_title": {"%%title%% %%sep%% %%category%% %%sep%% %%sitename%%"},
			"_yoast_wpseo_metadesc": {"%%excerpt%% | %%sitedesc%% %%cf_custom%%"}}}
	s := decodeSEO(site, it, "|")
	if s.Title != "Naps | Sleep | Quiet Nights" || s.Description != "Short naps | Sleep help %%cf_custom%%" || !reflect.DeepEqual(s.Unresolved, []string{"%%cf_custom%%"}) {
		t.Errorf("seo = %+v", s)
	}
	it.Meta = map[string][]string{"rank_math_title": {"%title% %sep% %sitename% %date(Y)%"}}
	if s := decodeSEO(site, it, "-"); s.Title != "Naps - Quiet Nights %date(Y)%" || !strings.Contains(strings.Join(s.Unresolved, ","), "%date(Y)%") {
		t.Errorf("rank math = %+v", s)
	}
}
