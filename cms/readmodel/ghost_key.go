package readmodel

import "strconv"

// appendKey appends q normalised: two requests with the same key get the
// same body.
func (q *ghostQuery) appendKey(b []byte) []byte {
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(q.limit), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(q.page), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(q.sel), 36)
	if q.counts {
		b = append(b, 'c')
	}
	b = append(b, ',')
	if !(len(q.order) == 1 && q.order[0] == ghostOrder{field: "published_at", desc: true}) {
		for _, o := range q.order {
			b = append(b, o.field...)
			b = append(b, "+-"[b2i(o.desc)])
		}
	}
	if q.fields != nil {
		b = append(b, 'f')
		for _, f := range q.fields {
			b = strconv.AppendQuote(b, f)
		}
	}
	b = append(b, ',')
	return q.filter.appendKey(b)
}

// appendKey appends the filter n (nil: none) unambiguously.
func (n *nqlNode) appendKey(b []byte) []byte {
	switch {
	case n == nil:
		return b
	case n.cond != nil:
		c := n.cond
		b = append(b, c.field...)
		b = append(b, c.op...)
		for _, v := range c.values {
			b = strconv.AppendQuote(b, v)
		}
		return b
	}
	parts, sep := n.and, byte('+')
	if n.or != nil {
		parts, sep = n.or, ','
	}
	b = append(b, '(')
	for i, c := range parts {
		if i > 0 {
			b = append(b, sep)
		}
		b = c.appendKey(b)
	}
	return append(b, ')')
}
