// Package assets holds the admin panel's static files, embedded into the
// binary: static/css (the panel's style sheet), static/js (its scripts)
// and static/vendor/<package>@<version>/ (third-party libraries, committed
// minified and refreshed from npm by vendor.sh).
package assets

import "embed"

// FS holds every file under static/; paths start with "static/".
//
//go:embed static
var FS embed.FS
