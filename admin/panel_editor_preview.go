package admin

import (
	"bytes"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
	"github.com/lullabycms/lullaby/cms/readmodel"
)

// previewPage is the data of views/editor_preview.html, a page of its own
// (not inside the panel's layout) that reads like the published post: it
// is built from the post the public API would serve.
type previewPage struct {
	Post       *readmodel.PublicPost
	Title      string
	OwnExcerpt bool          // she wrote an excerpt (else it is the first paragraph, shown anyway)
	HTML       template.HTML // sanitised by cms.RenderMarkdown
	References []previewRef
	Pins       []readmodel.PublicPin // the visible ones
	CTA        cms.CallToAction
	// AuthorSrcset lists the widths of her photo when it is from the
	// media library.
	AuthorSrcset string
	Style        cms.CitationStyle
	Status       statusView
	Public       bool // the post is live
	Unsaved      bool // made from the editor's form, saved or not
	EditURL      string
}

// previewRef is one entry of the preview's reference list.
type previewRef struct {
	Anchor string
	HTML   template.HTML // made by cms's formatters, which escape
}

// handlePostPreview shows post :id as readers would see it, as last
// saved, whatever its status, without publishing it; search engines are
// told to stay away.
func (a *Admin) handlePostPreview(c *fiber.Ctx) error {
	post, err := a.panelPost(c)
	if err != nil {
		return err
	}
	return a.renderPreview(c, post, cms.PostInput{})
}

// handleFormPreview shows the editor's form, as posted (saved or not), as
// readers would see it: POST /posts/preview for a post not yet created,
// /posts/:id/preview for post :id. Nothing is saved.
func (a *Admin) handleFormPreview(c *fiber.Ctx) error {
	var post *cms.Post
	if c.Params("id") != "" {
		var err error
		if post, err = a.panelPost(c); err != nil {
			return err
		}
	}
	f := parsePostForm(c)
	in := f.input(post == nil)
	in.Version = nil
	return a.renderPreview(c, post, in)
}

// renderPreview renders the reader preview of post (nil: a new one) with
// in applied.
func (a *Admin) renderPreview(c *fiber.Ctx, post *cms.Post, in cms.PostInput) error {
	ctx := c.UserContext()
	id, unsaved := "", in.Title != nil
	p := previewPage{Unsaved: unsaved, Status: statusView{Key: "new", Label: "New draft"}, EditURL: "/admin/posts/new"}
	if post != nil {
		id, p.Status, p.Public, p.EditURL = post.ID, postStatus(post), post.Public(), editorPath(post.ID)
	}
	pv, err := a.svc.PreviewPost(ctx, id, in)
	if err != nil {
		return err
	}
	full := a.read.PublicPreview(pv)
	settings, err := a.svc.GetSettings(ctx)
	if err != nil {
		return err
	}
	p.Post, p.Title, p.HTML, p.Style = full, displayTitle(full.Title), template.HTML(full.HTML), settings.CitationStyle
	if full.CallToAction != nil { // the post's own, else the site's
		p.CTA = full.CallToAction.CallToAction
	}
	p.OwnExcerpt = in.Excerpt != nil && *in.Excerpt != "" || in.Excerpt == nil && post != nil && post.Excerpt != ""
	for _, r := range full.References {
		f := r.APA
		if p.Style == cms.StyleAMA {
			f = r.AMA
		}
		p.References = append(p.References, previewRef{Anchor: r.Anchor, HTML: template.HTML(f.HTML)})
	}
	for _, pin := range full.Pins {
		if !pin.Hidden {
			p.Pins = append(p.Pins, pin)
		}
	}
	var buf bytes.Buffer
	if err := a.renderView(&buf, tmplEditorPreview, p); err != nil {
		return err
	}
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
