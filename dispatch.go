// This file holds request dispatch: matching, hooks, the handler, error
// handlers, panic recovery and the trailing-slash redirect.

package flasky

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
)

// dispatch serves one request: it is the innermost http.Handler of the
// app.
func (a *App) dispatch(w http.ResponseWriter, r *http.Request) {
	c := a.pool.Get().(*Ctx)
	c.reset(w, r)
	defer a.finish(c)

	m := methodBit(r.Method)
	found, allowed := a.table.match(c, r.URL.Path, m)
	if !found {
		a.notMatched(c, m, allowed)
		return
	}
	if m == mOptions && c.route.autoOpts {
		// Allow lists the methods of every rule that matches the path.
		_, all := a.table.match(c, r.URL.Path, 0)
		c.SetHeader("Allow", allowHeader(all))
		c.rw.WriteHeader(http.StatusOK)
		return
	}
	if err := a.runHandler(c); err != nil {
		a.handleError(c, err)
	}
}

// runHandler runs the before hooks, then the handler.
func (a *App) runHandler(c *Ctx) error {
	if a.hasBefore {
		if err := runBefore(c, a.root.before); err != nil || c.rw.wroteHeader {
			return err
		}
		if g := c.route.group; g != &a.root {
			if err := runBefore(c, g.before); err != nil || c.rw.wroteHeader {
				return err
			}
		}
	}
	return c.route.handler(c)
}

func runBefore(c *Ctx, hooks []HandlerFunc) error {
	for _, fn := range hooks {
		if err := fn(c); err != nil || c.rw.wroteHeader {
			return err
		}
	}
	return nil
}

// finish ends a request: recovers a panic, makes sure a response was
// started (so after hooks run), and returns the Ctx to the pool.
func (a *App) finish(c *Ctx) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			a.pool.Put(c)
			panic(v) // net/http's way to abort a response silently
		}
		err := fmt.Errorf("flasky: panic serving %s %s: %v", c.Request.Method, c.Request.URL.Path, v)
		a.Logger.Error(err.Error(), slog.String("stack", string(debug.Stack())))
		a.handleError(c, &HTTPError{Code: http.StatusInternalServerError, Err: err})
	}
	if !c.rw.wroteHeader {
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
	}
	c.release()
	a.pool.Put(c)
}

// recoverOutside catches a panic in middleware, outside dispatch.
func (a *App) recoverOutside(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	a.Logger.Error(fmt.Sprintf("flasky: panic in middleware serving %s %s: %v", r.Method, r.URL.Path, v),
		slog.String("stack", string(debug.Stack())))
	e := &HTTPError{Code: http.StatusInternalServerError}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.Code)
	_, _ = w.Write([]byte(errorPage(e)))
}

// notMatched answers a request that no route takes: a trailing-slash
// redirect, an automatic OPTIONS, a 405 or a 404.
func (a *App) notMatched(c *Ctx, m methodSet, allowed methodSet) {
	path := c.Request.URL.Path
	if allowed == 0 && !strings.HasSuffix(path, "/") {
		// Flask: a rule ending in '/' also takes the bare URL, by a 308
		// that keeps the method, the body and the query.
		if ok, _ := a.table.match(c, path+"/", m); ok {
			c.route, c.params = nil, nil
			a.redirectSlash(c)
			return
		}
		c.route, c.params = nil, nil
	}
	if allowed == 0 {
		a.handleError(c, &HTTPError{Code: http.StatusNotFound})
		return
	}
	allow := allowHeader(allowed)
	if m == mOptions {
		c.SetHeader("Allow", allow)
		c.rw.WriteHeader(http.StatusOK)
		return
	}
	a.handleError(c, &HTTPError{Code: http.StatusMethodNotAllowed, Header: http.Header{"Allow": {allow}}})
}

func (a *App) redirectSlash(c *Ctx) {
	u := c.Request.URL
	target := u.EscapedPath() + "/"
	// A path such as "//evil.example" must not become a redirect to
	// another host: keep a single leading slash.
	target = "/" + strings.TrimLeft(target, "/\\")
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	_ = c.Redirect(target, http.StatusPermanentRedirect)
}

func allowHeader(ms methodSet) string {
	ms |= mOptions
	if ms&mGet != 0 {
		ms |= mHead
	}
	return strings.Join((ms &^ mOther).list(), ", ")
}

// handleError answers err with the route's blueprint handler, the app's
// handler or the default page, and logs what the client is not told.
func (a *App) handleError(c *Ctx, err error) {
	e := asHTTPError(err)
	if e.Code >= 500 {
		a.Logger.Error("flasky: "+c.Request.Method+" "+c.Request.URL.Path+": "+e.Error(), slog.Int("status", e.Code))
	}
	if c.rw.wroteHeader {
		return // the response has begun: the log line above is all we can do
	}
	for k, v := range e.Header {
		c.rw.Header()[k] = v
	}
	if fn := a.errorHandlerFor(c, e.Code); fn != nil {
		herr := a.callErrorHandler(c, fn, e)
		if herr == nil || c.rw.wroteHeader {
			return
		}
		a.Logger.Error("flasky: error handler for " + fmt.Sprint(e.Code) + " failed: " + herr.Error())
		e = asHTTPError(herr)
	}
	a.defaultErrorPage(c, e)
}

func (a *App) callErrorHandler(c *Ctx, fn ErrorHandlerFunc, e *HTTPError) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic in error handler: %v", v)
		}
	}()
	c.status = e.Code
	return fn(c, e)
}

func (a *App) errorHandlerFor(c *Ctx, code int) ErrorHandlerFunc {
	if c.route != nil {
		if fn := c.route.group.handlers[code]; fn != nil {
			return fn
		}
	}
	return a.root.handlers[code]
}

func (a *App) defaultErrorPage(c *Ctx, e *HTTPError) {
	page := errorPage(e)
	if a.Config.Debug && e.Err != nil {
		page += "<pre>" + html.EscapeString(e.Err.Error()) + "</pre>\n"
	}
	c.status = e.Code
	_ = c.HTML(page)
}
