//go:build unix

package main

import (
	"sync"
	"syscall"
)

var umaskOnce sync.Once

// privateFiles makes every file the process creates from now on readable
// by its user only (umask 077): SQLite creates the files of a new database
// lazily, with mode 0644 less the umask.
func privateFiles() {
	umaskOnce.Do(func() { syscall.Umask(0o077) })
}
