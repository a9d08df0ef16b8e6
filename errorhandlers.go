// Error handlers are found as Flask finds them: by status code, then by
// error type, the route's blueprints before the app, the most specific
// first.

package flasky

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// ErrorHandlers is where error handlers are registered: an *App or a
// *Blueprint.
type ErrorHandlers interface {
	addTyped(h typedHandler)
}

func (a *App) addTyped(h typedHandler) { a.root.addTyped(h) }

func (b *Blueprint) addTyped(h typedHandler) {
	b.record(func(g *group) { g.addTyped(h) })
}

// typedHandler is an error handler for one error type.
type typedHandler struct {
	rank    int  // 0 a concrete type, 1 an interface, 2 error itself: the most specific first
	httpErr bool // for *HTTPError itself
	try     func(c *Ctx, err error) (handled bool, herr error)
}

// OnError registers fn for errors of fn's type T on an app or blueprint,
// as Flask's errorhandler(ExceptionClass): a handler returning or
// panicking with an error that errors.As finds as a T is answered by fn.
//
//	flasky.OnError(app, func(c *flasky.Ctx, err *NotFoundError) error {
//		return c.Status(404).HTML("no such " + err.What)
//	})
//
// T may be a concrete error type, an interface, *HTTPError (every HTTP
// error, Flask's HTTPException, including the 500 of a failure no other
// handler took) or error (any error, Flask's Exception). As in Flask,
// a handler for the status code ([App.ErrorHandler]) is tried first for
// an HTTP error, and for a failure the handlers of its type come before
// the 500 handler; the route's blueprint is searched before the app, and
// within one, concrete types before interfaces before error. The
// response's status starts as the error's (500 for a failure), so
// c.HTML(page) answers with it; set another with c.Status. A handler that
// returns an error hands it to the default error page.
func OnError[T error](on ErrorHandlers, fn func(c *Ctx, err T) error) {
	rank := 0
	var zero T
	if any(zero) == nil { // T is an interface type
		rank = 1
		if _, isError := any((*T)(nil)).(*error); isError {
			rank = 2
		}
	}
	_, httpErr := any(zero).(*HTTPError)
	h := typedHandler{rank: rank, httpErr: httpErr, try: func(c *Ctx, err error) (bool, error) {
		var target T
		if !errors.As(err, &target) {
			return false, nil
		}
		return true, fn(c, target)
	}}
	on.addTyped(h)
}

// handleError answers err with the error handlers Flask would pick, or
// the default page, and logs what the client is not told.
//
// In debug mode a failure (a panic, or an error that is not an
// *HTTPError) that no handler of its type takes goes to the debug page
// even when a 500 handler is set, as Flask hands an unhandled exception to
// the debugger: the page the developer needs is the one with the stack.
// An intended 500 (Abort) still goes to the handler.
func (a *App) handleError(c *Ctx, err error) {
	var he *HTTPError
	failure := !errors.As(err, &he)
	if !failure && he.Response == nil && (he.Code < 400 || he.Code > 599) {
		// Werkzeug's abort has no exception for these either: a bug, a 500.
		err, he, failure = fmt.Errorf("flasky: an HTTPError with status %d: only 4xx and 5xx are error statuses (set another with c.Status): %w", he.Code, err), nil, true
	}
	if failure && c.Request.Context().Err() != nil {
		a.clientGone(c, err)
		return
	}
	if c.responded() {
		if e := asHTTPError(err); e.Code >= 500 {
			a.Logger.Error("flasky: "+c.Request.Method+" "+c.Request.URL.Path+": "+e.Error(), slog.Int("status", e.Code))
		}
		return // the response has begun: the log line is all we can do
	}
	if !failure && he.Response != nil {
		_ = c.Send(he.Response)
		return
	}
	var buf [4]*group
	groups := c.errorGroups(buf[:0])
	e := he
	if failure {
		if a.hooks != nil && a.hooks.typed(a, c, groups, err, http.StatusInternalServerError, false) {
			return
		}
		c.failure = err
		if a.Config.Testing || a.Config.Debug || a.Config.PropagateExceptions {
			reportToTest(c, err) // to a TestClient's test, as Flask propagates the exception
		}
		if a.Signals.GotRequestException.subs != nil {
			a.Signals.GotRequestException.send(RequestError{Ctx: c, Err: err})
		}
		e = &HTTPError{Code: http.StatusInternalServerError, Err: err}
	}
	if e.Code >= 500 {
		a.Logger.Error("flasky: "+c.Request.Method+" "+c.Request.URL.Path+": "+e.Error(), slog.Int("status", e.Code))
	}
	for k, v := range e.Header {
		c.rw.Header()[k] = v
	}
	if !(failure && a.Config.Debug) {
		// An error of the user's own type that carries an HTTP status (it
		// unwraps to an *HTTPError) is more specific than the status: its
		// type's handler comes first, as a Flask HTTPException subclass's
		// handler wins over its code's.
		if !failure && err != error(he) && a.hooks != nil && a.hooks.typed(a, c, groups, err, e.Code, true) {
			return
		}
		for _, g := range groups {
			if fn := g.handlers[e.Code]; fn != nil {
				if a.callHandler(c, e, func() error { return fn(c, e) }) {
					return
				}
				e = asHTTPError(c.handlerErr)
				break
			}
		}
		// A failure's own types were tried: now its 500. An HTTP error
		// is looked at whole, with what wraps it.
		target := error(e)
		if !failure {
			target = err
		}
		if c.handlerErr == nil && a.hooks != nil && a.hooks.typed(a, c, groups, target, e.Code, false) {
			return
		}
		if !failure && c.handlerErr == nil && a.traps(he) {
			// No handler took it: a failure now, as Flask raises a
			// trapped HTTPException (%v: it must not unwrap to he).
			a.handleError(c, fmt.Errorf("flasky: trapped HTTP error (Config.TrapHTTPExceptions, TrapBadRequestErrors, or a missing key in debug mode): %v", err))
			return
		}
	}
	a.defaultErrorPage(c, e)
}

// traps reports whether the HTTP error he is handled as a failure when
// no handler takes it, as Flask's trap_http_exception.
func (a *App) traps(he *HTTPError) bool {
	cfg := &a.Config
	if cfg.TrapHTTPExceptions || cfg.TrapBadRequestErrors && he.Code == http.StatusBadRequest {
		return true
	}
	var ke keyError
	return cfg.Debug && errors.As(he, &ke)
}

// errorGroups returns where to look for handlers: the route's blueprints
// from its own outwards, then the app.
func (c *Ctx) errorGroups(buf []*group) []*group {
	a := c.app
	if c.route != nil {
		for g := c.route.group; g != nil && g != &a.root; g = g.parent {
			buf = append(buf, g)
		}
	}
	return append(buf, &a.root)
}

// tryTyped runs the first handler whose type err is, and reports whether
// it answered; specific leaves out the handlers for *HTTPError and for
// any error. A handler that fails leaves its error in c.handlerErr.
func tryTyped(a *App, c *Ctx, groups []*group, err error, status int, specific bool) bool {
	for _, g := range groups {
		for _, h := range g.typed {
			if specific && (h.rank == 2 || h.httpErr) {
				continue
			}
			var handled bool
			answered := a.callHandler(c, &HTTPError{Code: status}, func() error {
				ok, herr := h.try(c, err)
				handled = ok
				return herr
			})
			if handled {
				return answered
			}
		}
	}
	return false
}

// callHandler runs an error handler with the response's status set to
// e's, and reports whether it answered; its error or panic is logged and
// kept in c.handlerErr for the default page.
func (a *App) callHandler(c *Ctx, e *HTTPError, run func() error) (answered bool) {
	c.status = e.Code
	c.handlerErr = nil
	err := func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic in error handler: %v", v)
			}
		}()
		return run()
	}()
	if err == nil || c.responded() {
		return true
	}
	a.Logger.Error("flasky: error handler for " + fmt.Sprint(e.Code) + " failed: " + err.Error())
	c.handlerErr = err
	return false
}
