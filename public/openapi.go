package public

import _ "embed"

// openAPIDocument describes this API (OpenAPI 3.1); it is served at
// /api/v1/openapi.json and every response in the tests is checked against it.
//
//go:embed openapi.json
var openAPIDocument []byte
