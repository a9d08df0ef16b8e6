//go:build !unix

package main

// syncDisks does nothing where there is no sync(2) (Windows): the
// measurements there share the disk's write-back.
func syncDisks() {}
