// A stop has two moments: when it begins (a signal, or Serve's context
// ends) and when the grace period ends. Ordinary requests run on until
// the second; long-lived answers (streams, WebSockets) and load balancers
// need to know of the first.

package flasky

import (
	"context"
	"net/http"
	"sync"
)

// stopSignal is closed when a stop of the server serving the app begins.
type stopSignal struct {
	mu   sync.Mutex
	ctx  context.Context
	stop context.CancelFunc
}

// current returns the signal's context.
func (s *stopSignal) current() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		s.ctx, s.stop = context.WithCancel(context.Background())
	}
	return s.ctx
}

// renew starts a fresh signal for a server that starts, should the app
// have been stopped before.
func (s *stopSignal) renew() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil || s.ctx.Err() != nil {
		s.ctx, s.stop = context.WithCancel(context.Background())
	}
}

// begin marks the start of a stop.
func (s *stopSignal) begin() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop != nil {
		s.stop()
	}
}

// Stopping returns a channel that is closed when the server serving the
// app ([App.Run], [App.Serve]) begins to stop, before the grace period
// of [ShutdownTimeout]. A handler that would otherwise run for ever, such
// as a hijacked WebSocket's loop, ends when it is closed, so that it does
// not hold the stop for the whole grace period:
//
//	select {
//	case msg := <-updates:
//		// send it
//	case <-c.Stopping():
//		return nil // say goodbye to the client and let the server stop
//	}
//
// [Ctx.Stream] does this by itself. An app served by another server
// (http.ListenAndServe(addr, app)) never sees a stop begin.
func (c *Ctx) Stopping() <-chan struct{} { return c.app.stop.current().Done() }

// Ready answers a load balancer's readiness check: 200 "ready" while the
// app serves, 503 "stopping" once a stop has begun. Route it where the
// load balancer looks, and give [StopDelay] the time the balancer takes
// to notice:
//
//	app.Route("/readyz", flasky.Ready)
func Ready(c *Ctx) error {
	select {
	case <-c.Stopping():
		return c.Status(http.StatusServiceUnavailable).String("stopping")
	default:
		return c.String("ready")
	}
}

// streamContext returns the request's context, cancelled also when a stop
// begins, for a response that streams until its context ends.
func (c *Ctx) streamContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(c.Request.Context())
	unhook := context.AfterFunc(c.app.stop.current(), cancel)
	return ctx, func() { unhook(); cancel() }
}
