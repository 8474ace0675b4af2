package readmodel

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lullabycms/lullaby/cms"
)

// The common forms of Ghost's filter language (NQL) the dialect answers:
//
//	field:value  field:-value  field:[a,b]  field:-[a,b]
//	field:>value field:>=value field:<value field:<=value (dates)
//	a+b (and), a,b (or; + binds tighter), (a,b)+c
//
// with values bare (sleep, true, 2024-01-01) or quoted ('a value', with \'
// for a quote). Anything else — another operator, a field the resource
// does not have here — is refused with a message naming it, rather than
// answered with a guess.

// nqlNode is a parsed filter: an or, an and, or a condition.
type nqlNode struct {
	or, and []*nqlNode
	cond    *nqlCond
}

type nqlCond struct {
	field  string
	op     string // "=", "!=", ">", ">=", "<", "<=", "in", "nin"
	values []string
	times  []time.Time // the values as times, for date fields
}

// maxFilterLen bounds a filter; more is refused rather than parsed.
const maxFilterLen = 2000

// ghostFieldKind is what a filterable field holds.
type ghostFieldKind int

const (
	kindString ghostFieldKind = iota // compared ignoring case
	kindBool
	kindTime
)

// ghostFilterFields are the fields each resource can be filtered on, by
// kind; aliases name the same fact.
var ghostFilterFields = map[GhostResource]map[string]ghostFieldKind{
	GhostPosts: {
		"id": kindString, "uuid": kindString, "slug": kindString, "title": kindString, "visibility": kindString, "status": kindString,
		"tag": kindString, "tags": kindString, "tags.slug": kindString, "tags.id": kindString, "primary_tag": kindString, "primary_tag.slug": kindString,
		"author": kindString, "authors": kindString, "authors.slug": kindString, "authors.id": kindString, "primary_author": kindString, "primary_author.slug": kindString,
		"featured": kindBool, "published_at": kindTime, "updated_at": kindTime, "created_at": kindTime,
	},
	GhostTags:    {"id": kindString, "slug": kindString, "name": kindString, "visibility": kindString},
	GhostAuthors: {"id": kindString, "slug": kindString, "name": kindString},
}

func init() { ghostFilterFields[GhostPages] = ghostFilterFields[GhostPosts] }

// parseGhostFilter parses filter for resource r. Errors: Invalid naming
// "filter".
func parseGhostFilter(r GhostResource, filter string) (*nqlNode, error) {
	if len(filter) > maxFilterLen {
		return nil, filterError("The filter is longer than %d characters.", maxFilterLen)
	}
	p := &nqlParser{src: filter, fields: ghostFilterFields[r]}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.pos < len(p.src) {
		return nil, filterError("Unexpected %q at position %d.", p.src[p.pos:p.pos+1], p.pos+1)
	}
	return n, nil
}

func filterError(format string, args ...any) error {
	return &cms.Error{Kind: cms.KindInvalid, Op: "readmodel.parseGhostFilter", Message: "Error parsing filter",
		Fields: map[string]string{"filter": fmt.Sprintf(format, args...)}}
}

type nqlParser struct {
	src    string
	pos    int
	fields map[string]ghostFieldKind
	depth  int
}

func (p *nqlParser) skipSpace() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *nqlParser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *nqlParser) or() (*nqlNode, error) {
	var parts []*nqlNode
	for {
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
		if p.peek() != ',' {
			break
		}
		p.pos++
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &nqlNode{or: parts}, nil
}

func (p *nqlParser) and() (*nqlNode, error) {
	var parts []*nqlNode
	for {
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		parts = append(parts, n)
		if p.peek() != '+' {
			break
		}
		p.pos++
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return &nqlNode{and: parts}, nil
}

func (p *nqlParser) unary() (*nqlNode, error) {
	if p.peek() != '(' {
		return p.cond()
	}
	if p.depth++; p.depth > 20 {
		return nil, filterError("Too many nested parentheses.")
	}
	p.pos++
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.peek() != ')' {
		return nil, filterError("A parenthesis opened is not closed.")
	}
	p.pos++
	p.depth--
	return n, nil
}

func (p *nqlParser) cond() (*nqlNode, error) {
	p.skipSpace()
	start := p.pos
	for p.pos < len(p.src) && (isFieldChar(p.src[p.pos])) {
		p.pos++
	}
	field := p.src[start:p.pos]
	if field == "" {
		if p.pos >= len(p.src) {
			return nil, filterError("The filter ends where a field:value was expected.")
		}
		return nil, filterError("Expected a field name at position %d, found %q.", p.pos+1, p.src[p.pos:p.pos+1])
	}
	kind, ok := p.fields[field]
	if !ok {
		return nil, filterError("Filtering on %q is not supported; supported fields: %s.", truncate(field, 60), strings.Join(sortedKeys(p.fields), ", "))
	}
	if p.pos >= len(p.src) || p.src[p.pos] != ':' {
		return nil, filterError("Expected ':' after %q.", field)
	}
	p.pos++
	c := &nqlCond{field: field, op: "="}
	if p.pos < len(p.src) && p.src[p.pos] == '-' {
		c.op = "!="
		p.pos++
	}
	for _, op := range []string{">=", "<=", ">", "<", "~"} {
		if strings.HasPrefix(p.src[p.pos:], op) {
			if op == "~" || c.op == "!=" {
				return nil, filterError("The operator %q is not supported (field %q).", strings.TrimPrefix(c.op, "=")+op, field)
			}
			c.op = op
			p.pos += len(op)
			break
		}
	}
	if p.pos < len(p.src) && p.src[p.pos] == '[' {
		if c.op != "=" && c.op != "!=" {
			return nil, filterError("A list of values goes only with ':' or ':-' (field %q).", field)
		}
		c.op = map[string]string{"=": "in", "!=": "nin"}[c.op]
		p.pos++
		for {
			v, err := p.value(field)
			if err != nil {
				return nil, err
			}
			c.values = append(c.values, v)
			if ch := p.peek(); ch == ',' {
				p.pos++
				continue
			} else if ch == ']' {
				p.pos++
				break
			}
			return nil, filterError("A list of values for %q is not closed with ']'.", field)
		}
	} else {
		v, err := p.value(field)
		if err != nil {
			return nil, err
		}
		c.values = []string{v}
	}
	if err := c.check(kind); err != nil {
		return nil, err
	}
	return &nqlNode{cond: c}, nil
}

// value reads one bare or quoted value.
func (p *nqlParser) value(field string) (string, error) {
	p.skipSpace()
	if p.pos < len(p.src) && (p.src[p.pos] == '\'' || p.src[p.pos] == '"') {
		q := p.src[p.pos]
		var b strings.Builder
		for p.pos++; p.pos < len(p.src); p.pos++ {
			ch := p.src[p.pos]
			switch {
			case ch == '\\' && p.pos+1 < len(p.src):
				p.pos++
				b.WriteByte(p.src[p.pos])
			case ch == q:
				p.pos++
				return b.String(), nil
			default:
				b.WriteByte(ch)
			}
		}
		return "", filterError("A quoted value for %q is not closed.", field)
	}
	start := p.pos
	for p.pos < len(p.src) && !strings.ContainsRune(",+()[]'\" ", rune(p.src[p.pos])) {
		p.pos++
	}
	if p.pos == start {
		return "", filterError("Expected a value for %q.", field)
	}
	return p.src[start:p.pos], nil
}

func isFieldChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.'
}

// check validates the values for the field's kind.
func (c *nqlCond) check(kind ghostFieldKind) error {
	switch kind {
	case kindBool:
		for _, v := range c.values {
			if v != "true" && v != "false" {
				return filterError("%q is true or false, not %q.", c.field, truncate(v, 60))
			}
		}
		if c.op != "=" && c.op != "!=" && c.op != "in" && c.op != "nin" {
			return filterError("%q cannot be compared with %q.", c.field, c.op)
		}
	case kindTime:
		for _, v := range c.values {
			t, ok := parseFilterTime(v)
			if !ok {
				return filterError("%q needs a date such as '2024-01-31' or '2024-01-31 12:00:00', not %q.", c.field, truncate(v, 60))
			}
			c.times = append(c.times, t)
		}
	default:
		if c.op != "=" && c.op != "!=" && c.op != "in" && c.op != "nin" {
			return filterError("%q cannot be compared with %q; only dates can.", c.field, c.op)
		}
		for i, v := range c.values {
			c.values[i] = strings.ToLower(v)
		}
	}
	return nil
}

func parseFilterTime(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ghostFacts is what a filter reads of one item.
type ghostFacts interface {
	strings(field string) []string // lower-cased
	boolean(field string) bool
	time(field string) time.Time
}

// match reports whether the item with facts f passes n (nil passes all).
func (n *nqlNode) match(f ghostFacts) bool {
	switch {
	case n == nil:
		return true
	case n.or != nil:
		return slices.ContainsFunc(n.or, func(c *nqlNode) bool { return c.match(f) })
	case n.and != nil:
		return !slices.ContainsFunc(n.and, func(c *nqlNode) bool { return !c.match(f) })
	}
	return n.cond.match(f)
}

func (c *nqlCond) match(f ghostFacts) bool {
	if c.times != nil {
		t := f.time(c.field)
		switch c.op {
		case ">":
			return t.After(c.times[0])
		case ">=":
			return !t.Before(c.times[0])
		case "<":
			return t.Before(c.times[0])
		case "<=":
			return !t.After(c.times[0])
		}
		eq := slices.ContainsFunc(c.times, t.Equal)
		return eq == (c.op == "=" || c.op == "in")
	}
	var have []string
	if _, isBool := boolFields[c.field]; isBool {
		have = []string{"false"}
		if f.boolean(c.field) {
			have[0] = "true"
		}
	} else {
		have = f.strings(c.field)
	}
	any := slices.ContainsFunc(have, func(h string) bool { return slices.Contains(c.values, h) })
	return any == (c.op == "=" || c.op == "in")
}

var boolFields = map[string]bool{"featured": true}

// postFacts are a post's facts for a filter.
type postFacts struct {
	e *postEntry
	g *ghostIndex
}

func (f postFacts) strings(field string) []string {
	p := f.e.post
	switch field {
	case "id":
		return []string{strings.ToLower(p.ID)}
	case "uuid":
		return []string{ghostUUID(p.ID)}
	case "slug":
		return []string{p.Slug}
	case "title":
		return []string{strings.ToLower(p.Title)}
	case "visibility":
		return []string{"public"}
	case "status":
		return []string{"published"}
	case "author", "authors", "authors.slug", "primary_author", "primary_author.slug":
		return []string{f.g.authorSlug}
	case "authors.id":
		return []string{f.g.authorID}
	}
	tags := f.g.tagsOf[f.e]
	if strings.HasPrefix(field, "primary_tag") {
		tags = tags[:min(len(tags), 1)]
	}
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.slug
		if field == "tags.id" {
			out[i] = t.id
		}
	}
	return out
}

func (f postFacts) boolean(string) bool { return f.g.featured[f.e.post.ID] }

func (f postFacts) time(field string) time.Time {
	switch field {
	case "updated_at":
		return f.e.post.UpdatedAt
	case "created_at":
		return f.e.post.CreatedAt
	}
	return f.e.post.PublishedAt
}

// tagFacts are a tag's facts for a filter.
type tagFacts struct{ t *ghostTag }

func (f tagFacts) strings(field string) []string {
	switch field {
	case "id":
		return []string{f.t.id}
	case "name":
		return []string{strings.ToLower(f.t.name)}
	case "visibility":
		return []string{"public"}
	}
	return []string{f.t.slug}
}

func (tagFacts) boolean(string) bool      { return false }
func (tagFacts) time(string) time.Time    { return time.Time{} }
func (authorFacts) boolean(string) bool   { return false }
func (authorFacts) time(string) time.Time { return time.Time{} }
func (f authorFacts) strings(field string) []string {
	switch field {
	case "id":
		return []string{f.g.authorID}
	case "name":
		return []string{strings.ToLower(f.name)}
	}
	return []string{f.g.authorSlug}
}

// authorFacts are the author's facts for a filter.
type authorFacts struct {
	g    *ghostIndex
	name string
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
