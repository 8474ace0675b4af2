package readmodel

import "context"

// Recheck runs one re-check of the content against the database, as Run
// does every recheckEvery, and reports whether it swapped a snapshot in.
func (rm *ReadModel) Recheck(ctx context.Context) (bool, error) { return rm.recheck(ctx) }

// BodyParts exposes a body's parts to the package's external tests.
func BodyParts(b *Body) [][]byte { return b.parts }
