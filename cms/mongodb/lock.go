package mongodb

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lockDir takes the lock of the data folder dir, or returns an
// *InUseError naming the process that holds it. The lock is the
// operating system's (flock), so it goes away with the process, also after
// a crash; closing the returned file releases it.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("mongodb: the lock file of the data folder %s: %w", dir, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("mongodb: cannot lock the data folder %s: %w", dir, err)
	}
	if held {
		e := &InUseError{Dir: dir}
		b, _ := os.ReadFile(path)
		pid, sock, _ := strings.Cut(string(b), "\n")
		e.PID, _ = strconv.Atoi(strings.TrimSpace(pid))
		e.Socket = strings.TrimSpace(sock)
		f.Close()
		return nil, e
	}
	return f, nil
}

// writeLockInfo records this process's id and socket in the lock file,
// for the message a second server prints and for commands that connect to
// the running server.
func writeLockInfo(f *os.File, sock string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(fmt.Sprintf("%d\n%s\n", os.Getpid(), sock)), 0)
	return err
}
