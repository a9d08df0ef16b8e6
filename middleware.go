// Middleware around one route's handler or a blueprint's handlers, as
// Flask's view decorators (login_required), and net/http middleware
// adapted to it.

package flasky

import (
	"context"
	"net/http"
)

// Middleware wraps a handler in another, as a Flask decorator such as
// login_required wraps a view function:
//
//	func loginRequired(next flasky.HandlerFunc) flasky.HandlerFunc {
//		return func(c *flasky.Ctx) error {
//			if c.Get("user") == nil {
//				return c.Redirect("/auth/login")
//			}
//			return next(c)
//		}
//	}
//
// Give it to [Route.Wrap] or [Blueprint.Wrap] rather than calling it on
// the handler yourself: the route then keeps the handler's endpoint name
// and the debug page shows the handler's source. A Middleware is called
// when it is applied, at registration (again when more middleware is
// added to the route or its blueprint), never per request. Middleware
// runs after the before-request hooks, around the handler; what it
// returns goes to the error handlers as the handler's error does.
type Middleware func(next HandlerFunc) HandlerFunc

// routeWrap is what a wrapped route keeps to wrap its handler again.
type routeWrap struct {
	inner HandlerFunc  // the handler as registered
	own   []Middleware // given to Route.Wrap, outermost first
}

// Wrap wraps the route's handler in middleware, as Flask decorators
// under @app.route do: app.Route("/create", create, "GET",
// "POST").Wrap(loginRequired). The first given is the outermost, and a
// later call adds middleware inside the earlier ones, so Wrap(a, b) and
// Wrap(a).Wrap(b) are the same. The middleware of the route's blueprints
// ([Blueprint.Wrap]) is outside the route's own. The route keeps its
// endpoint, named after the handler as before. A request answered
// without the handler (a 404, the automatic OPTIONS answer, a before
// hook's response) does not run it. It returns the route.
func (r *Route) Wrap(mw ...Middleware) *Route {
	for _, m := range mw {
		if m == nil {
			panic("flasky: rule " + r.rule.text + ": Wrap: a nil Middleware")
		}
	}
	return r.each(func(r *Route) {
		r.wrapped().own = append(r.wrap.own, mw...)
		r.rewrap()
	})
}

// wrapped returns the route's routeWrap, made on first use.
func (r *Route) wrapped() *routeWrap {
	if r.wrap == nil {
		r.wrap = &routeWrap{inner: r.handler}
	}
	return r.wrap
}

// rewrap makes the route's handler from its inner handler, its own
// middleware and its blueprints', from the outermost blueprint in.
func (r *Route) rewrap() {
	w := r.wrapped()
	h := w.inner
	for i := len(w.own) - 1; i >= 0; i-- {
		h = w.own[i](h)
	}
	var buf [4]*group
	chain := r.group.chain(buf[:0])
	for i := len(chain) - 1; i >= 0; i-- {
		mws := chain[i].wraps
		for j := len(mws) - 1; j >= 0; j-- {
			h = mws[j](h)
		}
	}
	r.handler = h
}

// Wrap wraps the handler of every route of the blueprint, and of the
// blueprints nested in it, in middleware, those registered before the
// call as well as after: bp.Wrap(loginRequired) guards the whole
// blueprint. The first given is the outermost; a blueprint's middleware
// is outside that of the blueprints nested in it and that of its routes
// ([Route.Wrap]). A route that must stay open, such as the login page,
// belongs in another blueprint.
func (b *Blueprint) Wrap(mw ...Middleware) {
	for _, m := range mw {
		if m == nil {
			panic("flasky: blueprint " + b.name + ": Wrap: a nil Middleware")
		}
	}
	b.record(func(g *group) { g.wrap(mw) })
}

// wrap adds middleware to a registration and wraps its routes again.
func (g *group) wrap(mw []Middleware) {
	g.wraps = append(g.wraps, mw...)
	a := g.app
	a.wrapNew = wrapNew
	each := func(routes []*Route) {
		for _, r := range routes {
			for p := r.group; p != nil; p = p.parent {
				if p == g {
					r.rewrap()
					break
				}
			}
		}
	}
	each(a.table.routes)
	if a.domains != nil {
		each(a.domains.routes)
	}
}

// wrapNew wraps a route just registered in its blueprints' middleware,
// if they have some. App.wrapNew is set to it by the first Blueprint.Wrap,
// so an app that wraps no blueprint links none of this.
func wrapNew(r *Route) {
	for p := r.group; p != nil; p = p.parent {
		if len(p.wraps) != 0 {
			r.rewrap()
			return
		}
	}
}

// HTTPMiddleware adapts net/http middleware, any
// func(http.Handler) http.Handler (CORS, rate limiting, authentication,
// tracing, compression), to a [Middleware] for one route or blueprint;
// [App.Use] puts such middleware around the whole app instead:
//
//	app.Route("/api/items", items).Wrap(flasky.HTTPMiddleware(cors.Default().Handler))
//
// mw is called once, when the middleware is applied. On each request it
// gets the response writer and the request; the handler runs with the
// same *Ctx when mw calls the next handler, with c.Request set to the
// request mw passed down, so values mw put in its context (a trace
// span, a user) are in c.Context(). c.Request stays so for the rest of
// the request, as when a handler sets c.Request itself: teardown hooks
// and the access log see that context. What the handler writes goes
// through the writer mw passed down, so a writer that records the status
// or compresses the body sees it all.
//
// net/http middleware sees responses, not errors: an error the handler
// returns is answered inside mw by the error handlers, and the response
// is complete (after-request hooks run, the session is saved) before mw
// gets back control. A response mw writes itself, without calling the
// handler, goes through the after-request hooks too. mw must call the
// next handler before it returns and on the goroutine it was called on,
// since a [Ctx] is reused once the request ends (http.TimeoutHandler,
// which runs the handler on another goroutine, does not fit), and it
// must pass down a request made from the one it got, whose context
// flasky uses to find the Ctx. Each request through it costs a few
// allocations that a route without it does not pay.
func HTTPMiddleware(mw func(http.Handler) http.Handler) Middleware {
	if mw == nil {
		panic("flasky: HTTPMiddleware(nil)")
	}
	return func(next HandlerFunc) HandlerFunc {
		h := mw(httpNext{next})
		return func(c *Ctx) error {
			bw := &bridgeWriter{c: c, w: c.rw.w}
			r := c.Request.WithContext(context.WithValue(c.Request.Context(), bridgeKey{}, bw))
			h.ServeHTTP(bw, r)
			return nil
		}
	}
}

// bridgeKey is the context key under which HTTPMiddleware passes its
// bridgeWriter, and so the Ctx, to the handler inside.
type bridgeKey struct{}

// httpNext is the http.Handler that HTTPMiddleware's mw calls as the
// next handler: it runs the flasky handler with the request and writer
// it was given, and completes the response.
type httpNext struct{ next HandlerFunc }

func (n httpNext) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bw, _ := r.Context().Value(bridgeKey{}).(*bridgeWriter)
	if bw == nil {
		panic("flasky: HTTPMiddleware: the middleware passed down a request that was not made from the one it got (use r.WithContext or r.Clone), so the handler's Ctx is lost")
	}
	c := bw.c
	if c.app.accessLog && c.reqID == "" {
		// The writer passed down may hide the access log's record:
		// keep its id for RequestID and Logger.
		if st := c.accessRecord(); st != nil {
			c.reqID, c.rare = st.id, true
		}
	}
	saved := c.rw.w
	c.Request, c.rw.w, bw.inner = r, w, true
	done := false
	defer func() {
		c.rw.w, bw.inner = saved, false
		if !done && c.kept {
			// A panic: what the handler kept is not the response.
			c.kept = false
			clear(c.rw.Header())
		}
	}()
	if err := n.next(c); err != nil {
		c.app.handleError(c, err)
	}
	c.complete()
	done = true
}

// complete sends the response if the handler has not: what it kept for
// the after hooks, or an empty one with its status.
func (c *Ctx) complete() {
	switch {
	case c.kept:
		c.app.hooks.sendKept(c)
	case c.rw.wroteHeader:
	case c.buffer:
		c.app.hooks.keep(c, c.statusOr(http.StatusOK), "", nil)
		c.app.hooks.sendKept(c)
	default:
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
	}
}

// bridgeWriter is the writer HTTPMiddleware gives its middleware. What
// the handler writes reaches it through the middleware after flasky's
// own writer has run the after hooks and saved the session; it passes
// that on to the server. What the middleware writes itself, before any
// of the handler's, goes through flasky's writer as the handler's would.
type bridgeWriter struct {
	c     *Ctx
	w     http.ResponseWriter // the writer the route's handler had
	inner bool                // the handler is running: its writes were counted
	sent  bool                // the status went out through w
}

func (b *bridgeWriter) Header() http.Header { return b.w.Header() }

func (b *bridgeWriter) WriteHeader(code int) {
	if b.sent {
		return
	}
	b.sent = true
	rw := &b.c.rw
	if !rw.wroteHeader {
		rw.WriteHeader(code) // the middleware's own answer
		return
	}
	rw.status = code // as the middleware sends it
	b.w.WriteHeader(code)
}

func (b *bridgeWriter) Write(p []byte) (int, error) {
	rw := &b.c.rw
	if !rw.wroteHeader {
		b.sent = true
		return rw.Write(p) // the middleware's own answer
	}
	b.sent = true
	n, err := b.w.Write(p)
	if !b.inner {
		rw.size += int64(n)
	}
	return n, err
}

// Flush sends buffered data to the client.
func (b *bridgeWriter) Flush() { _ = http.NewResponseController(b.w).Flush() }

// Unwrap returns the writer beneath, for http.ResponseController.
func (b *bridgeWriter) Unwrap() http.ResponseWriter { return b.w }
