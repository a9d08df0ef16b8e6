package redistest

import (
	"os"
	"syscall"
)

// childAttr makes the kernel kill redis-server when the program that
// started it dies without stopping it, so that no server is left behind.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

var terminate os.Signal = syscall.SIGTERM
