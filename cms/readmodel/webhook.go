package readmodel

import (
	"bytes"
	"encoding/json"
)

// WebhookPost returns published post id as the public API shows it alone
// (the data member of GET /api/v1/posts/{slug}) with the version of the
// post it was made from: the data of post.published and post.updated
// webhook events (cms.WebhookRelayConfig.PublicPost). ok is false when
// the snapshot has no such public post.
func (rm *ReadModel) WebhookPost(id string) (data json.RawMessage, version int, ok bool) {
	s := rm.Snapshot()
	i := s.index(id)
	if i < 0 {
		return nil, 0, false
	}
	e := s.posts[i]
	const prefix = `{"data":`
	b := e.full.Bytes()
	if !bytes.HasPrefix(b, []byte(prefix)) || !bytes.HasSuffix(b, []byte("}")) {
		return nil, 0, false
	}
	return json.RawMessage(b[len(prefix) : len(b)-1]), e.post.Version, true
}
