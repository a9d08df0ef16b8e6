package cluster

import "syscall"

// childAttr makes the kernel kill a child (an instance, nginx) when the
// program that started it dies without stopping it, so that no server is
// left on a port.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
