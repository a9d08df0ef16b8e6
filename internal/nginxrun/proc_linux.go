package nginxrun

import "syscall"

// childAttr makes the kernel kill nginx's master when the program that
// started it dies without stopping it, so that no server is left on a
// port.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
