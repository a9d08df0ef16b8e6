//go:build unix

package reloader

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// supported is true where a child can inherit the socket.
const supported = true

// socketFile returns a duplicate of ln's socket to hand to children.
//
// It is not ln.File(): exec calls Fd on the files it passes, and Fd on a
// file from ln.File() puts the socket into blocking mode. That mode is
// shared by every copy of the socket, in every process, so an accept in
// progress would then block its thread and a graceful shutdown would
// hang. A file made by os.NewFile keeps the socket as it is.
func socketFile(ln *net.TCPListener) (*os.File, error) {
	rc, err := ln.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("reloader: socket of %s: %w", ln.Addr(), err)
	}
	var fd int
	var dupErr error
	err = rc.Control(func(s uintptr) {
		syscall.ForkLock.RLock() // no exec between dup and close-on-exec
		defer syscall.ForkLock.RUnlock()
		if fd, dupErr = syscall.Dup(int(s)); dupErr == nil {
			syscall.CloseOnExec(fd)
		}
	})
	if err == nil {
		err = dupErr
	}
	if err != nil {
		return nil, fmt.Errorf("reloader: duplicate socket of %s: %w", ln.Addr(), err)
	}
	return os.NewFile(uintptr(fd), "flasky-listener"), nil
}

// closeOnExec keeps an inherited pipe out of the programs the child
// itself starts.
func closeOnExec(fd uintptr) { syscall.CloseOnExec(int(fd)) }
