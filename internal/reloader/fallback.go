package reloader

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// fallback is the supervisor serving the socket itself while no child
// can: after a failed build or a crash, every request gets the error
// page. It stops accepting without closing the socket, so children and
// the supervisor take turns on one socket that never closes.
type fallback struct {
	ln    *net.TCPListener
	srv   *http.Server
	conns *connQueue

	mu      sync.Mutex
	page    []byte
	stop    chan struct{} // non-nil while accepting
	stopped chan struct{} // closed when the accept loop has returned
}

func newFallback(ln *net.TCPListener, wrap func(http.Handler) http.Handler) *fallback {
	f := &fallback{ln: ln, conns: newConnQueue(ln.Addr())}
	var h http.Handler = http.HandlerFunc(f.serveHTTP)
	if wrap != nil {
		h = wrap(h)
	}
	f.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = f.srv.Serve(f.conns) }()
	return f
}

func (f *fallback) serveHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	page := f.page
	f.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// One request per connection: once a child serves again, a kept-alive
	// connection must not keep showing this page.
	h.Set("Connection", "close")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(page)
}

// show serves page from now on, starting to accept if needed.
func (f *fallback) show(page []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.page = page
	if f.stop != nil {
		return
	}
	f.stop, f.stopped = make(chan struct{}), make(chan struct{})
	_ = f.ln.SetDeadline(time.Time{}) // pause may have left one
	go f.accept(f.stop, f.stopped)
}

// accept hands connections to the server until stop is closed.
func (f *fallback) accept(stop, stopped chan struct{}) {
	defer close(stopped)
	for {
		c, err := f.ln.Accept()
		select {
		case <-stop:
			if c != nil {
				f.conns.put(c) // accepted as the child took over: still answer it
			}
			return
		default:
		}
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(50 * time.Millisecond) // out of file descriptors, say
			continue
		}
		f.conns.put(c)
	}
}

// pause stops accepting, leaving the socket open, and returns once the
// accept loop is out.
func (f *fallback) pause() {
	f.mu.Lock()
	stop, stopped := f.stop, f.stopped
	f.stop, f.stopped = nil, nil
	f.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	// A deadline in the past wakes Accept; it belongs to this process's
	// poller only, so the children accept on as before.
	_ = f.ln.SetDeadline(time.Now())
	<-stopped
	_ = f.ln.SetDeadline(time.Time{})
}

// close stops accepting and finishes the requests in flight.
func (f *fallback) close(ctx context.Context) {
	f.pause()
	_ = f.srv.Shutdown(ctx)
}

// connQueue is a net.Listener fed with connections the accept loop took.
type connQueue struct {
	addr   net.Addr
	c      chan net.Conn
	done   chan struct{}
	closer sync.Once
}

func newConnQueue(addr net.Addr) *connQueue {
	return &connQueue{addr: addr, c: make(chan net.Conn), done: make(chan struct{})}
}

func (q *connQueue) put(c net.Conn) {
	select {
	case q.c <- c:
	case <-q.done:
		c.Close()
	}
}

// Accept implements net.Listener.
func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.c:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener; the socket itself stays open.
func (q *connQueue) Close() error {
	q.closer.Do(func() { close(q.done) })
	return nil
}

// Addr implements net.Listener.
func (q *connQueue) Addr() net.Addr { return q.addr }
