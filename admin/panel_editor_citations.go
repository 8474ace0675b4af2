package admin

import (
	"context"
	"html"
	"html/template"
	"slices"
	"strings"

	"github.com/lullabycms/lullaby/cms"
)

// The editor's references: the post's ordered list of works from the
// library, with the citation checks' hints beside it. They travel with the rest of the form (as repeated
// "references" fields, marked with refs=1 like the images' images=1, so a
// form without them leaves the stored list alone) and with the script's
// autosave as the API's "references". Works cited in the body ([@key]) are
// added by cms on save. The preview shows in-text citations in the site's
// style and the reference list, as readers will see them.

// refView is one reference of the editor's list.
type refView struct {
	ID, Key   string
	Formatted template.HTML // in the site's style; sanitised by cms
	Known     bool          // still in the library
	Health    healthView    // its badge shows when it needs attention
}

// editorRefs is what the editor shows of the post's references.
type editorRefs struct {
	Items []refView
	Style string // "apa" or "ama"
	Error string // the references field's error
	// Hints are the citation checks' findings (cms.CheckCitations) for
	// the form's text and list; the script refreshes them as she writes.
	Hints []cms.CitationHint
}

// referencesFromForm reads the references fields of the editor form into
// f (when it says refs=1).
func referencesFromForm(all map[string][]string, f *postForm) {
	f.Refs = len(all["refs"]) > 0 && all["refs"][0] == "1"
	if !f.Refs {
		return
	}
	f.References = []string{}
	for _, id := range all["references"] {
		id = strings.ToLower(strings.TrimSpace(id))
		if id != "" && !slices.Contains(f.References, id) {
			f.References = append(f.References, id)
		}
	}
}

// referencesChangedFrom reports whether saving f would change p's list.
func (f postForm) referencesChangedFrom(p *cms.Post) bool {
	return f.Refs && !slices.Equal(nonNil(f.References), nonNil(p.References))
}

// referenceInput sets the references of in from f, when the form has them.
func (f postForm) referenceInput(in *cms.PostInput) {
	if !f.Refs {
		return
	}
	refs := slices.Clone(nonNil(f.References))
	in.References = &refs
}

// editorRefsFor builds the references part of the editor for form f.
func (a *Admin) editorRefsFor(ctx context.Context, f postForm, style cms.CitationStyle, errs map[string]string) (editorRefs, error) {
	out := editorRefs{Style: string(style), Error: errs["references"]}
	hints, err := a.svc.CheckPostCitations(ctx, f.References, f.Body)
	if err != nil {
		return out, err
	}
	out.Hints = hints
	if len(f.References) == 0 {
		return out, nil
	}
	refs, _, err := a.svc.PostReferences(ctx, f.References, "")
	if err != nil {
		return out, err
	}
	health, err := a.healthByID(ctx)
	if err != nil {
		return out, err
	}
	byID := make(map[string]*cms.Citation, len(refs))
	for _, c := range refs {
		byID[c.ID] = c
	}
	for _, id := range f.References {
		c, ok := byID[id]
		if !ok {
			out.Items = append(out.Items, refView{ID: id, Formatted: "(not in the library any more)", Health: newHealthView(nil)})
			continue
		}
		out.Items = append(out.Items, refView{ID: c.ID, Key: c.Key, Formatted: formatted(c, style), Known: true, Health: healthOf(health, c.ID)})
	}
	return out, nil
}

// withReferences turns the citation placeholders of rendered HTML into
// in-text citations in style and appends the reference list in the
// style's order, as the public API's frontends show them.
//
// Footnotes get the public scheme of ids (cms.PostFootnotes) without a
// post id: the editor shows one post.
func withReferences(htmlIn string, style cms.CitationStyle, refs []*cms.Citation) string {
	htmlIn, _ = cms.PostFootnotes(htmlIn, "")
	if len(refs) == 0 {
		return cms.FormatCitations(htmlIn, style, nil)
	}
	list := cms.NewReferenceList(style, refs, htmlIn)
	var b strings.Builder
	b.WriteString(list.FormatCitations(htmlIn))
	b.WriteString(`<section class="references" aria-label="References"><h2>References</h2><ol class="reference-list reference-list-` + string(style) + `">`)
	for _, e := range list.Entries {
		b.WriteString(`<li id="ref-` + html.EscapeString(e.Citation.Key) + `">`)
		b.WriteString(e.Format(style).HTML) // escaped by cms
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ol></section>`)
	return b.String()
}

// previewWithReferences is the preview of rendered body HTML with the
// references ids and those the body cites, and the keys the body cites
// that are not in the library.
func (a *Admin) previewWithReferences(ctx context.Context, htmlIn, body string, ids []string) (string, []string, error) {
	style, err := a.siteStyle(ctx)
	if err != nil {
		return "", nil, err
	}
	refs, unresolved, err := a.svc.PostReferences(ctx, ids, body)
	if err != nil {
		return "", nil, err
	}
	return withReferences(htmlIn, style, refs), unresolved, nil
}
