package main

import (
	"strings"
	"testing"
)

// TestConfigCatalogURLs: the PubMed and Open Library settings are off by
// default, must be http(s) URLs, keep the ID Converter's trailing slash,
// refuse a key with spaces, and reach the service.
func TestConfigCatalogURLs(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := loadConfig("serve", nil, env(nil), &strings.Builder{})
	if err != nil || cfg.NCBIURL != "" || cfg.OpenLibraryURL != "" || cfg.PMCIDConvURL != "" {
		t.Fatalf("defaults: %+v, %v", cfg, err)
	}
	cfg, err = loadConfig("serve", nil, env(map[string]string{
		"LULLABY_NCBI_URL": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", "LULLABY_NCBI_IDCONV_URL": "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/",
		"LULLABY_OPENLIBRARY_URL": "https://openlibrary.org/", "LULLABY_NCBI_API_KEY": " abc123 ", "LULLABY_NCBI_EMAIL": "me@example.org",
	}), &strings.Builder{})
	if err != nil || cfg.NCBIURL != "https://eutils.ncbi.nlm.nih.gov/entrez/eutils" || cfg.OpenLibraryURL != "https://openlibrary.org" ||
		cfg.PMCIDConvURL != "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/" || cfg.NCBIAPIKey != "abc123" || cfg.NCBIEmail != "me@example.org" {
		t.Errorf("set: %+v, %v", cfg, err)
	}
	for k, v := range map[string]string{
		"LULLABY_NCBI_URL": "eutils.ncbi.nlm.nih.gov", "LULLABY_NCBI_IDCONV_URL": "ftp://x", "LULLABY_OPENLIBRARY_URL": "https://openlibrary.org/?x=1",
		"LULLABY_NCBI_API_KEY": "a b",
	} {
		if _, err := loadConfig("serve", nil, env(map[string]string{k: v}), &strings.Builder{}); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%q: err = %v, want one naming it", k, v, err)
		}
	}
	r := MustStart(t, map[string]string{"LULLABY_DATA_DIR": t.TempDir(), "LULLABY_LOG_LEVEL": "warn"},
		"--ncbi-url", "http://127.0.0.1:1", "--openlibrary-url", "http://127.0.0.1:1")
	if !r.srv.svc.PubMedEnabled() || !r.srv.svc.ISBNLookupEnabled() {
		t.Error("--ncbi-url and --openlibrary-url did not turn lookups on")
	}
}
