//go:build !unix

package reloader

import (
	"errors"
	"net"
	"os"
)

// supported is false: children cannot inherit a socket here.
const supported = false

func socketFile(*net.TCPListener) (*os.File, error) {
	return nil, errors.New("reloader: handing a socket to a child needs a Unix system")
}

func closeOnExec(uintptr) {}
