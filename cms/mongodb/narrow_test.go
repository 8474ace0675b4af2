package mongodb

import (
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestMatches(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	oid := bson.NewObjectID()
	doc := bson.M{"version": int32(3), "holder": "a", "expiresAt": bson.NewDateTimeFromTime(now), "ref": oid, "gone": nil}
	tests := []struct {
		name   string
		filter bson.D
		want   bool
	}{
		{"EqualNumberAcrossTypes", bson.D{{Key: "version", Value: 3}}, true},
		{"StaleVersion", bson.D{{Key: "version", Value: 2}}, false},
		{"Lt", bson.D{{Key: "version", Value: bson.D{{Key: "$lt", Value: 4}}}}, true},
		{"LtEqual", bson.D{{Key: "version", Value: bson.D{{Key: "$lt", Value: 3}}}}, false},
		{"TimeLte", bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now}}}}, true},
		{"TimeLteEarlier", bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now.Add(-time.Second)}}}}, false},
		{"OrSecond", bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now.Add(-time.Hour)}}}},
			bson.D{{Key: "holder", Value: "a"}},
		}}}, true},
		{"OrNone", bson.D{{Key: "$or", Value: bson.A{bson.D{{Key: "holder", Value: "b"}}}}}, false},
		{"NullMatchesMissing", bson.D{{Key: "missing", Value: nil}}, true},
		{"NullMatchesNull", bson.D{{Key: "gone", Value: nil}}, true},
		{"NullDoesNotMatchValue", bson.D{{Key: "holder", Value: nil}}, false},
		{"ObjectID", bson.D{{Key: "ref", Value: oid}}, true},
		{"KindsDoNotMix", bson.D{{Key: "holder", Value: 1}}, false},
		{"MissingLt", bson.D{{Key: "missing", Value: bson.D{{Key: "$lt", Value: 1}}}}, false},
	}
	for _, tt := range tests {
		if got := matches(doc, tt.filter); got != tt.want {
			t.Errorf("%s: matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}
