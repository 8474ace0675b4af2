package readmodel

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/lullabycms/lullaby/cms"
)

// Post lists (GET /api/v1/posts and a category's posts) give summaries by
// default. view=full gives each post whole, exactly as the data of GET
// /api/v1/posts/{slug} (body HTML, references, related posts and all), so
// a frontend can render a page of posts from one call; fields=a,b keeps
// only the named members of each item, in the item's own order.

// maxFields is the most names fields may list.
const maxFields = 40

// SetView sets the item shape of a post-list query from the raw view
// ("", "summary" or "full") and fields (comma-separated member names of
// that shape) values. Errors: Invalid naming "view" or "fields".
func (q *PostQuery) SetView(view, fields string) error {
	const op = "readmodel.PostQuery.SetView"
	switch view {
	case "", "summary":
		q.Full = false
	case "full":
		q.Full = true
	default:
		return cms.Problems{"view": "Must be summary or full."}.Err(op)
	}
	q.Fields = nil
	if fields == "" {
		return nil
	}
	known := summaryFields()
	if q.Full {
		known = fullFields()
	}
	names := strings.Split(fields, ",")
	if len(names) > maxFields {
		return cms.Problems{"fields": "Lists too many names (at most 40)."}.Err(op)
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if !slices.Contains(known, n) {
			msg := "Unknown field " + quoteShort(n) + " for view=" + cmpOr(view, "summary") + "; known: " + strings.Join(known, ", ") + "."
			if !q.Full && slices.Contains(fullFields(), n) {
				msg = "Field " + quoteShort(n) + " is in view=full only."
			}
			return cms.Problems{"fields": msg}.Err(op)
		}
		if !slices.Contains(q.Fields, n) {
			q.Fields = append(q.Fields, n)
		}
	}
	slices.Sort(q.Fields) // one cache key for one selection
	return nil
}

func quoteShort(s string) string { return `"` + truncate(s, 40) + `"` }

// viewKey is the part of a page's cache key the view adds.
func (q PostQuery) viewKey() string {
	if !q.Full && q.Fields == nil {
		return ""
	}
	k := "\x00summary"
	if q.Full {
		k = "\x00full"
	}
	return k + "\x00" + strings.Join(q.Fields, ",")
}

var (
	summaryOnce, fullOnce sync.Once
	summaryNames          []string
	fullNames             []string
)

// summaryFields are the members of a post summary.
func summaryFields() []string {
	summaryOnce.Do(func() { summaryNames = jsonNames(reflect.TypeFor[PublicPostSummary]()) })
	return summaryNames
}

// fullFields are the members of a whole post, the per-snapshot links
// (composePost) included.
func fullFields() []string {
	fullOnce.Do(func() {
		fullNames = append(jsonNames(reflect.TypeFor[PublicPost]()), "related", "previous", "next")
	})
	return fullNames
}

// jsonNames lists the JSON member names of a struct type, embedded
// structs' members in their place.
func jsonNames(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			out = append(out, jsonNames(f.Type)...)
		case f.IsExported():
			out = append(out, cmpOr(name, f.Name))
		}
	}
	return out
}

// writeItem writes one list item of e in q's view.
func (s *Snapshot) writeItem(b *bodyBuilder, e *postEntry, q PostQuery) {
	item := e.summary
	if q.Full {
		full := s.postBody(e) // {"data":{…}}
		if q.Fields == nil {
			b.ShareBody(full, len(`{"data":`), 1)
			return
		}
		item = full.Bytes()
		item = item[len(`{"data":`) : len(item)-1]
	}
	if q.Fields == nil {
		b.Write(item)
		return
	}
	selectMembers(&b.Buffer, item, q.Fields)
}

// selectMembers writes the members of the JSON object obj named in keep,
// in obj's order.
func selectMembers(b *bytes.Buffer, obj []byte, keep []string) {
	dec := jsontext.NewDecoder(bytes.NewReader(obj))
	b.WriteByte('{')
	if _, err := dec.ReadToken(); err != nil { // '{'
		b.WriteByte('}')
		return
	}
	first := true
	for dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err != nil {
			break
		}
		name := tok.String() // before the next read voids tok
		v, err := dec.ReadValue()
		if err != nil {
			break
		}
		if !slices.Contains(keep, name) {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(`"` + name + `":`) // names are Go identifiers' JSON tags
		b.Write(v)
	}
	b.WriteByte('}')
}
