// This file holds the first step of a graceful stop: stop accepting, and
// let connections already accepted send their request before
// http.Server.Shutdown begins.

package flasky

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// newConns tracks the connections the server accepted that have not yet
// sent a byte of their first request.
//
// net/http drops, unanswered, a request it reads once Shutdown has begun
// (golang/go#65802), so a client whose connection was accepted just
// before the stop, and whose request was read just after, would see its
// connection closed. Waiting for those connections first keeps the
// promise that every accepted request is answered.
type newConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// trackNewConns installs the tracker on srv, after any ConnState hook
// that WithServer set, which still runs.
func trackNewConns(srv *http.Server) *newConns {
	t := &newConns{conns: map[net.Conn]struct{}{}}
	next := srv.ConnState
	srv.ConnState = func(c net.Conn, st http.ConnState) {
		t.mu.Lock()
		if st == http.StateNew {
			t.conns[c] = struct{}{}
		} else {
			delete(t.conns, c)
		}
		t.mu.Unlock()
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
// limit for the accepted connections to start their request. A client
// that connected and sent nothing (a browser's spare connection, a slow
// client) costs the stop at most limit.
func (t *newConns) drain(ln net.Listener, served <-chan error, limit time.Duration) {
	ln.Close()
	<-served
	for end := time.Now().Add(limit); t.count() > 0 && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
}
