//go:build !linux

package redistest

import (
	"os"
	"syscall"
)

// childAttr is empty where there is no Pdeathsig (Linux only): the server
// is still stopped by Kill, but outlives a test binary that is killed.
func childAttr() *syscall.SysProcAttr { return nil }

// terminate is os.Interrupt, which every system defines (Windows cannot
// send it to another process: Stop then kills after its wait).
var terminate os.Signal = os.Interrupt
