//go:build !linux

package cluster

import "syscall"

// childAttr is empty where there is no Pdeathsig (Linux only): a child
// is still stopped by Stop, but outlives a program that is killed.
func childAttr() *syscall.SysProcAttr { return nil }
