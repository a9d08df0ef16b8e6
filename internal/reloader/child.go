package reloader

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// envFDs names the file descriptors a supervisor hands its child: the
// listening socket, the write end of the ready pipe and the read end of
// the life pipe, as "3,4,5".
const envFDs = "FLASKY_RELOADER_FDS"

// Child is the reloader's end in a child process: the socket to serve
// and the ways to talk to the supervisor.
type Child struct {
	// Listener accepts on the socket the supervisor owns. Closing it
	// closes this process's copy only.
	Listener net.Listener

	handoff   *handoff
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
	h := newHandoff(ln)
	c := &Child{Listener: h, handoff: h, ready: os.NewFile(fds[1], "flasky-ready"), gone: make(chan struct{})}
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

// Prepare hooks the server that serves Listener, so that Drain can tell
// when the connections it accepted have reached the handler.
func (c *Child) Prepare(srv *http.Server) { c.handoff.prepare(srv) }

// DrainTimeout is how long a stopping child waits for the connections it
// accepted to bring their first request (see Child.Drain).
const DrainTimeout = 2 * time.Second

// Drain stops accepting and waits, at most max, until each connection
// already accepted has had its first request handled or has closed.
// Call it before shutting the server down: http.Server.Shutdown would
// drop those connections' requests, and a reload must lose none.
func (c *Child) Drain(max time.Duration) { c.handoff.drain(max) }

// Gone is closed when the supervisor has exited (killed, for instance):
// the child should then stop rather than hold the socket on its own.
func (c *Child) Gone() <-chan struct{} { return c.gone }
