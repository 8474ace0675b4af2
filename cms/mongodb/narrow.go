package mongodb

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// FerretDB 1.24 pushes a filter down to SQLite only when it is exactly
// {_id: value}; {_id: value, version: n} scans the whole collection, so a
// version-checked save would cost time in proportion to the number of
// posts. Inside the gate (which makes the read and the write one step for
// this process) a write filtered on _id and more is therefore split: the
// document is read by _id alone, the rest of the filter is checked here,
// and the write is made by _id alone.

// errNoMatch says the document exists but does not match the filter.
var errNoMatch = errors.New("mongodb: document does not match the filter")

// narrow returns the {_id} part of filter and checks the rest against the
// stored document: errNoMatch when it does not match, mongo.ErrNoDocuments
// when there is no document. ok is false when filter does not start with a
// plain _id, or has nothing else: then filter is to be used as it is.
func (db *DB) narrow(ctx context.Context, coll *mongo.Collection, filter any) (idOnly bson.D, ok bool, err error) {
	d, isD := filter.(bson.D)
	if db.gate == nil || !isD || len(d) < 2 || d[0].Key != "_id" || isOperatorDoc(d[0].Value) {
		return nil, false, nil
	}
	idOnly = bson.D{d[0]}
	var doc bson.M
	if err := coll.FindOne(ctx, idOnly).Decode(&doc); err != nil {
		return idOnly, true, err
	}
	if !matches(doc, d[1:]) {
		return idOnly, true, errNoMatch
	}
	return idOnly, true, nil
}

func isOperatorDoc(v any) bool {
	d, ok := v.(bson.D)
	return ok && len(d) > 0 && len(d[0].Key) > 0 && d[0].Key[0] == '$'
}

// matches evaluates the small filter language the store uses: equality,
// $eq/$ne/$lt/$lte/$gt/$gte on numbers, strings, times and ids, and $or.
func matches(doc bson.M, filter bson.D) bool {
	for _, e := range filter {
		if e.Key == "$or" {
			alts, _ := e.Value.(bson.A)
			any := false
			for _, alt := range alts {
				if sub, ok := alt.(bson.D); ok && matches(doc, sub) {
					any = true
					break
				}
			}
			if !any {
				return false
			}
			continue
		}
		got, present := doc[e.Key]
		if ops, ok := e.Value.(bson.D); ok && isOperatorDoc(ops) {
			for _, op := range ops {
				if !compare(got, present, op.Key, op.Value) {
					return false
				}
			}
			continue
		}
		if !compare(got, present, "$eq", e.Value) {
			return false
		}
	}
	return true
}

func compare(got any, present bool, op string, want any) bool {
	if want == nil {
		isNull := !present || got == nil
		switch op {
		case "$eq":
			return isNull
		case "$ne":
			return !isNull
		}
		return false
	}
	if !present || got == nil {
		return op == "$ne"
	}
	c, comparable := order(got, want)
	if !comparable {
		return op == "$ne"
	}
	switch op {
	case "$eq":
		return c == 0
	case "$ne":
		return c != 0
	case "$lt":
		return c < 0
	case "$lte":
		return c <= 0
	case "$gt":
		return c > 0
	case "$gte":
		return c >= 0
	}
	return false
}

// order compares a stored value with a filter value of the same kind.
func order(a, b any) (int, bool) {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return cmp3(x < y, x > y), true
		}
		return 0, false
	}
	if x, ok := instant(a); ok {
		if y, ok := instant(b); ok {
			return x.Compare(y), true
		}
		return 0, false
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return cmp3(x < y, x > y), true
		}
	case bson.ObjectID:
		if y, ok := b.(bson.ObjectID); ok {
			return cmp3(x.Hex() < y.Hex(), x.Hex() > y.Hex()), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp3(false, x != y), true
		}
	}
	return 0, false
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func instant(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case *time.Time:
		if t != nil {
			return *t, true
		}
	case bson.DateTime:
		return t.Time(), true
	}
	return time.Time{}, false
}
