//go:build unix

package main

import "syscall"

var terminate = syscall.SIGTERM
