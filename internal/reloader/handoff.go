package reloader

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// handoff lets a stopping child finish every connection it accepted.
// http.Server.Shutdown drops a connection whose first request it reads
// after shutting down began: the client sees EOF. Connections a child
// accepted just before the supervisor stopped it are exactly those, so a
// child first stops accepting (the next child accepts on the same
// socket), waits until each connection it accepted has reached the
// handler or closed, and only then shuts down.
type handoff struct {
	net.Listener // the inherited socket

	mu      sync.Mutex
	pending map[net.Conn]bool // accepted, first request not yet handled
	stop    chan struct{}     // closed by drain: accept no more
	parked  chan struct{}     // closed when Accept has seen stop
	closed  chan struct{}     // closed by Close
	stops   sync.Once
	parks   sync.Once
	closes  sync.Once
	lnOnce  sync.Once // the socket copy is closed once, by drain or Close
	lnErr   error
}

func newHandoff(ln net.Listener) *handoff {
	return &handoff{Listener: ln, pending: map[net.Conn]bool{},
		stop: make(chan struct{}), parked: make(chan struct{}), closed: make(chan struct{})}
}

// Accept implements net.Listener. Once drain has stopped accepting it
// blocks until Close, so the server keeps serving what it has.
func (h *handoff) Accept() (net.Conn, error) {
	c, err := h.Listener.Accept()
	select {
	case <-h.stop:
		if c != nil {
			h.add(c) // accepted as the socket closed: serve it all the same
			return c, nil
		}
		h.parks.Do(func() { close(h.parked) })
		<-h.closed
		return nil, net.ErrClosed
	default:
	}
	if err != nil {
		return nil, err
	}
	h.add(c)
	return c, nil
}

func (h *handoff) add(c net.Conn) {
	h.mu.Lock()
	h.pending[c] = true
	h.mu.Unlock()
}

func (h *handoff) done(c net.Conn) {
	h.mu.Lock()
	delete(h.pending, c)
	h.mu.Unlock()
}

// Close implements net.Listener.
func (h *handoff) Close() error {
	h.closes.Do(func() { close(h.closed) })
	return h.closeListener()
}

func (h *handoff) closeListener() error {
	h.lnOnce.Do(func() { h.lnErr = h.Listener.Close() })
	return h.lnErr
}

type connKey struct{}

// prepare hooks srv so the handoff knows when a connection's first
// request reaches the handler, or the connection closes first. Hooks
// already set on srv keep working.
func (h *handoff) prepare(srv *http.Server) {
	next, cc, cs := srv.Handler, srv.ConnContext, srv.ConnState
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, ok := r.Context().Value(connKey{}).(net.Conn); ok {
			h.done(c)
		}
		next.ServeHTTP(w, r)
	})
	srv.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if cc != nil {
			ctx = cc(ctx, c)
		}
		return context.WithValue(ctx, connKey{}, c)
	}
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateClosed || st == http.StateHijacked {
			h.done(c)
		}
		if cs != nil {
			cs(c, st)
		}
	}
}

// drain stops accepting and waits, at most max, until every connection
// accepted so far has had its first request handled or has closed.
func (h *handoff) drain(max time.Duration) {
	deadline := time.Now().Add(max)
	h.stops.Do(func() { close(h.stop) })
	_ = h.closeListener() // wakes Accept; the supervisor and the next child keep the socket
	select {
	case <-h.parked:
	case <-h.closed:
	case <-time.After(time.Until(deadline)):
	}
	for time.Now().Before(deadline) {
		h.mu.Lock()
		n := len(h.pending)
		h.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
