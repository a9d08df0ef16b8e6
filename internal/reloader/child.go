package reloader

import (
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// envFDs names the file descriptors a supervisor hands its child: the
// listening socket, the write end of the ready pipe and the read end of
// the life pipe, as "3,4,5".
const envFDs = "FLASKY_RELOADER_FDS"

// Child is the reloader's end in a child process: the socket to serve
// and the ways to talk to the supervisor.
type Child struct {
	// Listener accepts on the socket the supervisor owns. Closing it
	// closes this process's copy only, so a stopping child can finish
	// what it accepted (App.Serve drains before shutting down) while the
	// next child accepts.
	Listener net.Listener

	ready     *os.File
	readyOnce sync.Once
	gone      chan struct{}
}

// Inherited returns the Child when this process was started by a
// supervisor, or nil when it was not. It removes the variable from the
// environment, so programs this one starts are not children too.
func Inherited() (*Child, error) {
	v, ok := os.LookupEnv(envFDs)
	if !ok {
		return nil, nil
	}
	os.Unsetenv(envFDs)
	parts := strings.Split(v, ",")
	var fds [3]uintptr
	if len(parts) != len(fds) {
		return nil, fmt.Errorf("reloader: %s=%q: want three file descriptors", envFDs, v)
	}
	for i := range fds {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 3 {
			return nil, fmt.Errorf("reloader: %s=%q: bad file descriptor %q", envFDs, v, parts[i])
		}
		fds[i] = uintptr(n)
	}
	closeOnExec(fds[1])
	closeOnExec(fds[2])
	f := os.NewFile(fds[0], "flasky-listener")
	ln, err := net.FileListener(f) // a duplicate: f is no longer needed
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("reloader: inherited socket (fd %d): %w", fds[0], err)
	}
	c := &Child{Listener: ln, ready: os.NewFile(fds[1], "flasky-ready"), gone: make(chan struct{})}
	life := os.NewFile(fds[2], "flasky-life")
	go func() {
		// Nothing is ever written: the read ends when the supervisor's
		// write end closes, that is when the supervisor has exited.
		_, _ = io.Copy(io.Discard, life)
		life.Close()
		close(c.gone)
	}()
	return c, nil
}

// Ready tells the supervisor that this child serves, so the previous
// one may stop. Calls after the first do nothing.
func (c *Child) Ready() {
	c.readyOnce.Do(func() {
		_, _ = c.ready.Write([]byte{1})
		c.ready.Close()
	})
}

// Gone is closed when the supervisor has exited (killed, for instance):
// the child should then stop rather than hold the socket on its own.
func (c *Child) Gone() <-chan struct{} { return c.gone }
