package cmstest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// pgRunAs is the user PostgreSQL runs as when the tests run as root, which
// PostgreSQL refuses to be: Debian's postgresql package creates it.
const pgRunAs = "postgres"

// pgUserOK reports why PostgreSQL cannot run here: as root, only as
// pgRunAs, which must exist.
func pgUserOK() error {
	if os.Geteuid() != 0 {
		return nil
	}
	if _, err := user.Lookup(pgRunAs); err != nil {
		return fmt.Errorf("the tests run as root, and PostgreSQL does not, but there is no user %q to run it as", pgRunAs)
	}
	return nil
}

// pgCredential returns the user and group PostgreSQL runs as when the tests
// run as root; nil otherwise (it runs as the tests do).
func pgCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(pgRunAs)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// pgOwn hands dir to the user PostgreSQL runs as.
func pgOwn(dir string) error {
	c, err := pgCredential()
	if err != nil || c == nil {
		return err
	}
	return os.Chown(dir, int(c.Uid), int(c.Gid))
}

// pgSysProcAttr makes cmd run as PostgreSQL's user and die with the test
// process, so that a crashed test leaves no PostgreSQL behind.
func pgSysProcAttr(cmd *exec.Cmd) {
	c, _ := pgCredential()                                                            // checked by pgOwn before any command runs
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c, Pdeathsig: syscall.SIGQUIT} // SIGQUIT: immediate shutdown
}
