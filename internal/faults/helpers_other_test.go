//go:build !linux

package faults_test

import (
	"errors"
	"syscall"
)

// childAttr is empty where there is no Pdeathsig (Linux only): the
// test's cleanup still kills a faultapp, but one outlives a test binary
// that dies before its cleanup runs.
func childAttr() *syscall.SysProcAttr { return nil }

// rssKB is not implemented without /proc; the soak test skips first.
func rssKB(int) (int64, error) { return 0, errors.ErrUnsupported }
