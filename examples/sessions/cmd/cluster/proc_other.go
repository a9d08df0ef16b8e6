//go:build !linux

package main

import "syscall"

// childAttr is empty where there is no Pdeathsig (Linux only): a child
// is still stopped by this program's deferred stops, but outlives it if
// it is killed.
func childAttr() *syscall.SysProcAttr { return nil }
