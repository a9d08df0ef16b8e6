//go:build !linux

package main

import "syscall"

// childAttr is empty where there is no Pdeathsig (Linux only). This
// program needs Linux anyway (run says so): this keeps it compiling, and
// vetted, everywhere.
func childAttr() *syscall.SysProcAttr { return nil }
