//go:build unix

package main

import "syscall"

// privateFiles makes every file the process creates from now on readable
// by its user only (umask 077): SQLite creates the files of a new database
// lazily, with mode 0644 less the umask. main sets it for the whole
// program; tests do not, since the browsers they start inherit it (and
// chromium misbehaves under 077), and rely on the store fixing the modes.
func privateFiles() {
	syscall.Umask(0o077)
}
