// This file holds the first step of a graceful stop: stop accepting, and
// let connections already accepted get the answer to their first request
// before http.Server.Shutdown begins.

package flasky

import (
	"net"
	"net/http"
	"sync"
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
// that WithServer set, which still runs. The lock is taken when a
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

// drain closes ln, waits for Serve to return (served), then waits up to
// limit for the accepted connections to get their first answer. A client
// that connected and sent nothing (a browser's spare connection, a slow
// client), or a first request still running, costs the stop at most
// limit; Shutdown then waits for requests in flight as usual.
func (t *newConns) drain(ln net.Listener, served <-chan error, limit time.Duration) {
	ln.Close()
	<-served
	for end := time.Now().Add(limit); t.count() > 0 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
}
