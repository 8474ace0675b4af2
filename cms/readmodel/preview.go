package readmodel

import "github.com/lullabycms/lullaby/cms"

// PublicPreview returns the public shape of the post in pv, as
// GET /api/v1/posts/{slug} would answer it were the post published: built
// by the code that builds the public snapshot, with this read model's
// public URL.
func (rm *ReadModel) PublicPreview(pv *cms.Preview) *PublicPost {
	byID := make(map[string]*catEntry, len(pv.Categories))
	for _, c := range pv.Categories {
		byID[c.ID] = &catEntry{cat: PublicCategory{ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position}}
	}
	_, full := newEntryEnv(byID, pv.Settings, rm.PublicURL(), pv.Citations).publicPost(pv.Post)
	return &full
}
