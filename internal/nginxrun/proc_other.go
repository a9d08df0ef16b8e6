//go:build !linux

package nginxrun

import "syscall"

// childAttr is empty where there is no Pdeathsig (Linux only): nginx is
// still stopped by Stop, but outlives a program that is killed.
func childAttr() *syscall.SysProcAttr { return nil }
