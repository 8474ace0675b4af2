//go:build !unix

package mongodb

import "os"

// tryLock does nothing where flock is missing: one server per data folder
// is then up to the operator.
func tryLock(*os.File) (held bool, err error) { return false, nil }
