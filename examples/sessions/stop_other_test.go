//go:build !unix

package main

import "os"

// terminate cannot be sent to another process on Windows: the test
// skips.
var terminate = os.Interrupt
