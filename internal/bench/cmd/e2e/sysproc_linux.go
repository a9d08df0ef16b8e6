package main

import "syscall"

// childAttr makes the kernel kill a server when this program dies
// without stopping it, so that no server is left pinned to a CPU.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
