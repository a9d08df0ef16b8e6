//go:build unix

package main

import "syscall"

// syncDisks flushes one run's write-back so that it does not fall on the
// next run's time.
func syncDisks() { syscall.Sync() }
