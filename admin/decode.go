package admin

import (
	"bytes"
	"mime"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/lullabycms/lullaby/cms"
)

// maxJSONBody is the largest JSON request body accepted (the app-wide
// BodyLimit is larger, for uploads).
const maxJSONBody = 2 << 20

const opDecode = "admin.decode"

// requireJSON guards routes that take a JSON body: at most 2 MiB (413,
// naming "body" as the public API's limits do), no
// Content-Encoding (415; a compressed body could inflate without bound),
// and a JSON Content-Type whenever there is a body (415).
func (a *Admin) requireJSON(c *fiber.Ctx) error {
	if enc := strings.TrimSpace(c.Get(fiber.HeaderContentEncoding)); enc != "" && !strings.EqualFold(enc, "identity") {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Compressed request bodies are not accepted; send plain JSON.")
	}
	body := c.Request().Body()
	if len(body) > maxJSONBody {
		return &cms.Error{Kind: cms.KindTooLarge, Op: opDecode, Message: "The request body is too large: the limit is 2 MiB.",
			Fields: map[string]string{"body": "At most 2 MiB."}}
	}
	if len(body) > 0 && !isJSONType(c.Get(fiber.HeaderContentType)) {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "The request body must be JSON, sent with Content-Type: application/json.")
	}
	return c.Next()
}

func isJSONType(header string) bool {
	mt, params, err := mime.ParseMediaType(header)
	if err != nil {
		return false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false
	}
	return mt == fiber.MIMEApplicationJSON || strings.HasSuffix(mt, "+json")
}

// decodeJSON decodes the request body into dst by the one strict decoder
// of both APIs (cms.DecodeJSON): exact names, no duplicates, no unknown
// fields, values of the right type, no control characters; every problem
// is named at once. An empty body is an error.
func decodeJSON(c *fiber.Ctx, dst any) error {
	body := c.Request().Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid(opDecode, "body", "A JSON request body is required.")
	}
	return cms.DecodeJSON(opDecode, body, dst)
}

// decodeOptionalJSON is decodeJSON for routes whose body may be empty; an
// empty body leaves dst as it is.
func decodeOptionalJSON(c *fiber.Ctx, dst any) error {
	body := c.Request().Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return cms.DecodeJSON(opDecode, body, dst)
}

// param returns path parameter name, copied out of fasthttp's buffer.
func param(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

// pathID returns the id in path parameter name, or an Invalid error naming
// field when it is not a well-formed id.
func pathID(c *fiber.Ctx, name, field string) (string, error) {
	id := param(c, name)
	if !cms.ValidID(id) {
		return "", invalid("admin.pathID", field, "Must be a 24-character hexadecimal id.")
	}
	return id, nil
}

// query reads query parameters, copying them and collecting problems.
type query struct {
	c  *fiber.Ctx
	pr cms.Problems
}

func newQuery(c *fiber.Ctx) *query { return &query{c: c, pr: cms.Problems{}} }

// str returns parameter name, copied.
func (q *query) str(name string) string { return strings.Clone(q.c.Query(name)) }

// positive returns parameter name as a whole number of at least 1, or 0
// when it is absent (so that the default applies).
func (q *query) positive(name string) int {
	s := q.c.Query(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		q.pr.Add(name, "Must be a whole number of at least 1.")
		return 0
	}
	return n
}

// boolean returns parameter name as true or false, false when absent.
func (q *query) boolean(name string) bool {
	switch q.c.Query(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	q.pr.Add(name, "Must be true or false.")
	return false
}

// err returns the collected problems as an Invalid error, or nil.
func (q *query) err() error { return q.pr.Err("admin.query") }

// versionBody is the optional body of post actions: {"version": n}.
type versionBody struct {
	Version *int `json:"version"`
}

// version returns the version to check, 0 to skip the check when absent.
func (b versionBody) version() (int, error) {
	if b.Version == nil {
		return 0, nil
	}
	if *b.Version < 1 {
		return 0, invalid(opDecode, "version", "Must be a positive integer.")
	}
	return *b.Version, nil
}
