//go:build !linux

package cmstest

import (
	"errors"
	"os/exec"
)

// pgUserOK: the PostgreSQL test server is made for the Linux CI machines.
func pgUserOK() error {
	return errors.New("the PostgreSQL test server runs on Linux only")
}

func pgOwn(string) error { return pgUserOK() }

func pgSysProcAttr(*exec.Cmd) {}
