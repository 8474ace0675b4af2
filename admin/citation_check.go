package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// citationCheckBody is what POST /citations/check checks: a post's text
// and reference list (library ids, in order) as the editor has them,
// saved or not.
type citationCheckBody struct {
	Body       string   `json:"body"`
	References []string `json:"references"`
}

// handleCitationCheck answers the citation hints (cms.CheckCitations) of
// the body and reference list sent: a reference never cited, a key cited
// but not in the list or the library, one work under two keys, a web
// page without an access date, an article without DOI or PMID. Nothing
// is saved; the editor asks as she writes.
func (a *Admin) handleCitationCheck(c *fiber.Ctx) error {
	const op = "admin.checkCitations"
	var in citationCheckBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Body) > cms.MaxBodyBytes {
		return &cms.Error{Kind: cms.KindTooLarge, Op: op, Message: "The text is too long to check: the limit is 512 KiB.",
			Fields: map[string]string{"body": "At most 512 KiB."}}
	}
	if len(in.References) > cms.MaxPostReferences {
		return invalid(op, "references", "At most 500 references.")
	}
	hints, err := a.svc.CheckPostCitations(c.UserContext(), in.References, in.Body)
	if err != nil {
		return err
	}
	return ok(c, hints)
}
