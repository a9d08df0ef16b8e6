// Draining is the first step of a graceful stop: stop accepting (after
// taking the connections the kernel has queued), and let connections
// already accepted get the answer to their first request before
// http.Server.Shutdown begins.

package flasky

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// newConns tracks the connections the server accepted whose first
// request has not yet been answered.
//
// net/http drops, unanswered, a request it reads once Shutdown has begun
// (golang/go#65802), so a client whose connection was accepted just
// before the stop, and whose request was read just after, would see its
// connection closed. Waiting for those connections first keeps the
// promise that every accepted request is answered. A connection counts
// as served only when it goes idle (its first answer is out) or closes:
// net/http marks it active before its own shutdown check, so waiting for
// "active" alone would leave a window in which the request is dropped.
type newConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// trackNewConns installs the tracker on srv, after any ConnState hook
// that ConfigureServer set, which still runs. The lock is taken when a
// connection opens and each time it goes idle or closes; StateActive
// passes straight through.
func trackNewConns(srv *http.Server) *newConns {
	t := &newConns{conns: map[net.Conn]struct{}{}}
	next := srv.ConnState
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			t.mu.Lock()
			t.conns[c] = struct{}{}
			t.mu.Unlock()
		case http.StateActive:
		default: // idle after an answer, closed or hijacked
			t.mu.Lock()
			delete(t.conns, c)
			t.mu.Unlock()
		}
		if next != nil {
			next(c, st)
		}
	}
	return t
}

func (t *newConns) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.conns)
}

// drain stops accepting on ln without dropping what the kernel already
// queued (see acceptQueue), waits for Serve to return (served), then
// waits up to limit for the accepted connections to get their first
// answer. A client that connected and sent nothing (a browser's spare
// connection, a slow client), or a first request still running, costs
// the stop at most limit; Shutdown then waits for requests in flight as
// usual.
func (t *newConns) drain(ln *acceptQueue, served <-chan error, limit time.Duration) {
	ln.stop()
	select {
	case <-served:
	case <-time.After(2 * queueLimit):
		// A listener whose SetDeadline does not wake Accept (a wrapper
		// of a user's): closing it does.
		ln.Close()
		<-served
	}
	ln.Close()
	for end := time.Now().Add(limit); t.count() > 0 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
}

// Closing a listening socket resets the connections still waiting in its
// accept queue: their handshake is done and the client has sent its
// request, yet it reads a reset. A stopping server therefore first takes
// what is queued, then closes.
const (
	// queueWait is how long an empty queue must stay empty to count as
	// drained. It also covers the moment between setting the deadline
	// and the accept(2) it bounds: a goroutine preempted in between
	// must not find the deadline passed and skip a queued connection.
	queueWait = 10 * time.Millisecond
	// queueLimit bounds the draining when connections keep coming.
	queueLimit = 100 * time.Millisecond
)

// acceptQueue is the listener Serve accepts from. Once stop is called,
// Accept still returns the connections the kernel has queued, and
// net.ErrClosed when the queue has stayed empty for queueWait (or after
// queueLimit), which ends http.Server.Serve. A listener without
// deadlines (a TLS listener, a wrapper) is closed at once instead.
type acceptQueue struct {
	net.Listener
	deadline interface{ SetDeadline(time.Time) error } // nil without deadlines
	stopping atomic.Bool
	until    time.Time // accept nothing after this; written before stopping is set
}

func newAcceptQueue(ln net.Listener) *acceptQueue {
	q := &acceptQueue{Listener: ln}
	q.deadline, _ = ln.(interface{ SetDeadline(time.Time) error })
	return q
}

// Accept implements net.Listener.
func (q *acceptQueue) Accept() (net.Conn, error) {
	if !q.stopping.Load() {
		c, err := q.Listener.Accept()
		if err == nil || !q.stopping.Load() {
			return c, err
		}
		// stop's deadline woke it: take what is queued.
	}
	if time.Now().After(q.until) {
		return nil, net.ErrClosed
	}
	if err := q.deadline.SetDeadline(time.Now().Add(queueWait)); err != nil {
		return nil, net.ErrClosed
	}
	c, err := q.Listener.Accept()
	if err != nil {
		return nil, net.ErrClosed // empty for queueWait, or closed
	}
	return c, nil
}

// stop makes Accept take only what is queued, waking an Accept that
// waits, or closes the listener when it has no deadlines.
func (q *acceptQueue) stop() {
	if q.deadline == nil {
		q.Listener.Close()
		return
	}
	q.until = time.Now().Add(queueLimit)
	q.stopping.Store(true)
	_ = q.deadline.SetDeadline(time.Now())
}
