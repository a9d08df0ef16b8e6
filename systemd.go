//go:build unix

// Socket activation: systemd (or another launcher, such as
// systemfd or a supervisor of your own) opens the listening socket and
// starts the program with it, as file descriptor 3 and LISTEN_FDS=1.

package flasky

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

// listenFDStart is the first descriptor systemd passes (SD_LISTEN_FDS_START).
const listenFDStart = 3

// activatedListener returns the socket a launcher passed this process,
// or nil when it was given none. The variables are removed, so that a
// program this one starts does not take the socket for its own.
func activatedListener() (net.Listener, error) {
	pid, fds := os.Getenv("LISTEN_PID"), os.Getenv("LISTEN_FDS")
	if fds == "" {
		return nil, nil
	}
	if pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return nil, nil // meant for another process, which passed its environment on
	}
	os.Unsetenv("LISTEN_PID")
	os.Unsetenv("LISTEN_FDS")
	os.Unsetenv("LISTEN_FDNAMES")
	n, err := strconv.Atoi(fds)
	if err != nil || n < 1 {
		return nil, fmt.Errorf("flasky: LISTEN_FDS=%q: want the number of sockets passed, 1 or more", fds)
	}
	f := os.NewFile(listenFDStart, "LISTEN_FD_3")
	ln, err := net.FileListener(f)
	f.Close() // FileListener made its own copy of the descriptor
	if err != nil {
		return nil, fmt.Errorf("flasky: LISTEN_FDS=%s: descriptor %d is not a listening socket: %w", fds, listenFDStart, err)
	}
	return ln, nil
}
