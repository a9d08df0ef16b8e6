// Every limit on a request body lives here: sizes per app (Config) and
// per route, and the idle timeout that cuts off a body that stops
// sending, so a stalled client cannot hold its handler.

package flasky

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// uploadLimits are the limits in force for one request. A value <= 0 is
// no limit.
type uploadLimits struct {
	maxContent int64 // whole body, bytes
	maxMemory  int64 // text fields and file headers kept in memory, bytes
	maxParts   int   // parts of a multipart body
}

// routeLimits overrides some of the app's limits for one route.
type routeLimits struct {
	maxContent, maxMemory int64
	maxParts              int
	set                   uint8 // which fields are set: limitContent...
}

const (
	limitContent uint8 = 1 << iota
	limitMemory
	limitParts
)

// setLimit records one override for r. Set limits while registering
// routes, before serving, like the rest of the routing table.
func (r *Route) setLimit(which uint8, n int64) *Route {
	return r.each(func(r *Route) { r.setLimitNow(which, n) })
}

func (r *Route) setLimitNow(which uint8, n int64) {
	if r.limits == nil {
		r.limits = &routeLimits{}
	}
	switch which {
	case limitContent:
		r.limits.maxContent = n
	case limitMemory:
		r.limits.maxMemory = n
	case limitParts:
		r.limits.maxParts = int(min(n, int64(^uint(0)>>1)))
	}
	r.limits.set |= which
}

// SetMaxContentLength sets the largest request body this route accepts, in
// bytes, in place of Config.MaxContentLength (0: no limit). Use it to let
// one upload route take big files while the app keeps a small limit:
//
//	app.Config.MaxContentLength = 1 << 20                              // 1 MiB everywhere...
//	app.Route("/video", upload, "POST").SetMaxContentLength(4 << 30) // ...but 4 GiB here
//
// It returns the route for chaining.
func (r *Route) SetMaxContentLength(n int64) *Route { return r.setLimit(limitContent, n) }

// SetMaxFormMemory sets how many bytes of text fields (and file headers) of
// a multipart form this route keeps in memory, in place of
// Config.MaxFormMemory (0: no limit). It returns the route for chaining.
func (r *Route) SetMaxFormMemory(n int64) *Route { return r.setLimit(limitMemory, n) }

// SetMaxFormParts sets how many parts a multipart form sent to this route
// may have, in place of Config.MaxFormParts (0: no limit). It returns the
// route for chaining.
func (r *Route) SetMaxFormParts(n int) *Route { return r.setLimit(limitParts, int64(n)) }

// errTooLarge is wrapped by the errors of a body over one of the limits.
var errTooLarge = errors.New("over the limit")

// declaredTooLarge is the error for a body whose Content-Length is over
// MaxContentLength, found before a byte of it is read; nil otherwise.
func (l uploadLimits) declaredTooLarge(r *http.Request) error {
	if l.maxContent > 0 && r.ContentLength > l.maxContent {
		return fmt.Errorf("flasky: Content-Length %d is over MaxContentLength %d: %w", r.ContentLength, l.maxContent, errTooLarge)
	}
	return nil
}

// capped is a body limit of its own (MaxFormMemory, MaxJSONBytes; <= 0
// for none) lowered to MaxContentLength, which applies to every body.
func (l uploadLimits) capped(limit int64) int64 {
	if mc := l.maxContent; mc > 0 && (limit <= 0 || mc < limit) {
		return mc
	}
	return limit
}

// limits returns the limits for the request: the app's, with the matched
// route's overrides.
func (c *Ctx) limits() uploadLimits {
	cfg := &c.app.Config
	l := uploadLimits{maxContent: cfg.MaxContentLength, maxMemory: cfg.MaxFormMemory, maxParts: cfg.MaxFormParts}
	if c.route == nil || c.route.limits == nil {
		return l
	}
	o := c.route.limits
	if o.set&limitContent != 0 {
		l.maxContent = o.maxContent
	}
	if o.set&limitMemory != 0 {
		l.maxMemory = o.maxMemory
	}
	if o.set&limitParts != 0 {
		l.maxParts = o.maxParts
	}
	return l
}

// readDeadliner is what net/http's ResponseWriter offers (see
// http.ResponseController) to bound the next read of the connection.
type readDeadliner interface {
	SetReadDeadline(time.Time) error
}

// idleBody sets the connection's read deadline for the time one read of
// the body waits, so only a body that sends nothing for idle fails,
// however long a large upload takes in all (nginx's client_body_timeout
// works the same way). The deadline is cleared as each read returns
// (unless it passed: see Read):
// once the body has ended, net/http keeps reading the connection in the
// background to notice a client that leaves, and a deadline left behind
// would cut a response that streams for longer than idle. A handler that
// sets a read deadline itself (http.ResponseController) takes over.
type idleBody struct {
	io.ReadCloser
	conn readDeadliner
	idle time.Duration
	rw   *responseWriter // knows whether the handler set a deadline
}

func (b *idleBody) Read(p []byte) (int, error) {
	if b.rw.ownReadDeadline.Load() {
		return b.ReadCloser.Read(p)
	}
	_ = b.conn.SetReadDeadline(time.Now().Add(b.idle))
	n, err := b.ReadCloser.Read(p)
	timedOut := err != nil && errors.Is(err, os.ErrDeadlineExceeded)
	if !timedOut && !b.rw.ownReadDeadline.Load() {
		_ = b.conn.SetReadDeadline(time.Time{})
	}
	// A body that timed out keeps its passed deadline: net/http reads
	// what is left of the body before it answers, and would wait for the
	// stalled client for ever.
	if timedOut {
		err = &HTTPError{Code: http.StatusRequestTimeout,
			Message: fmt.Sprintf("The request body sent nothing for %v and was cut off.", b.idle),
			Err:     fmt.Errorf("flasky: request body idle for %v: %w", b.idle, err)}
	}
	return n, err
}

// watchBody installs the idle timeout on the request's body, unless there
// is no body, the timeout is off, or the server has a ReadTimeout of its
// own (a bound on the whole request that the idle deadline must not
// extend).
func (c *Ctx) watchBody() {
	r := c.Request
	idle := c.app.Config.BodyIdleTimeout
	if idle <= 0 || r.Body == nil || r.Body == http.NoBody {
		return
	}
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.ReadTimeout > 0 {
		return
	}
	conn := findDeadliner(c.rw.w)
	if conn == nil {
		return // not a network connection (httptest)
	}
	r.Body = &idleBody{ReadCloser: r.Body, conn: conn, idle: idle, rw: &c.rw}
}

// findDeadliner unwraps w (middleware writers, the access log) down to
// the writer that can set the connection's read deadline.
func findDeadliner(w http.ResponseWriter) readDeadliner {
	for w != nil {
		if d, ok := w.(readDeadliner); ok {
			return d
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}
