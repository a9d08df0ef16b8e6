// Dispatch is everything between ServeHTTP and the handler's return:
// matching, hooks, error handlers, panic recovery and the trailing-slash
// redirect.

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

	if len(a.Config.TrustedHosts) != 0 && !a.hostTrusted(r) {
		a.refuseHost(c)
		return
	}
	m := methodBit(r.Method)
	var found bool
	var allowed methodSet
	if a.matchDomain == nil { // a.match, by hand: it is too large to inline
		found, allowed = a.table.match(c, r.URL.Path, m)
	} else {
		found, allowed = a.matchDomain(a, c, r.URL.Path, m)
	}
	c.buffer = a.hasAfter
	if a.Signals.RequestStarted.subs != nil {
		a.Signals.RequestStarted.send(c)
	}
	if a.hasBefore && a.hooks.preprocess(a, c, found) {
		return
	}
	if !found {
		if !a.notMatched(c, m, allowed) {
			return
		}
		if a.hasBefore && a.hooks.preprocessGroups(a, c) {
			return
		}
	}
	if c.route.redirects && a.redirectCanonical(c, m) {
		return
	}
	// Middleware that passed r down reads the matched rule from it once
	// the handler returns (http.route for traces, a metrics label), as
	// with http.ServeMux and chi.
	r.Pattern = c.route.rule.text
	if m == mOptions && c.route.autoOpts {
		// Allow lists the methods of every rule that matches the path.
		route, params := c.route, c.params
		_, all := a.match(c, r.URL.Path, 0)
		c.route, c.params = route, params
		c.SetHeader("Allow", allowHeader(all))
		c.answer(http.StatusOK)
		return
	}
	// Check passes GET, HEAD and OPTIONS at once; not calling it for them
	// saves the call on most requests.
	if a.CrossOrigin != nil && m&(mGet|mHead|mOptions) == 0 {
		if err := a.CrossOrigin.Check(r); err != nil {
			a.handleError(c, &HTTPError{Code: http.StatusForbidden,
				Message: "Cross-origin request refused: this site does not accept forms or requests sent from other sites.",
				Err:     fmt.Errorf("flasky: %s %s from origin %q: %w", r.Method, r.URL.Path, r.Header.Get("Origin"), err)})
			return
		}
	}
	if r.ContentLength != 0 {
		if err := c.limits().declaredTooLarge(r); err != nil {
			// MAX_CONTENT_LENGTH: a body declared too large is refused
			// before the handler runs or a byte of it is read.
			a.handleError(c, &HTTPError{Code: http.StatusRequestEntityTooLarge, Err: err})
			return
		}
		c.watchBody()
	}
	if err := a.runHandler(c); err != nil {
		a.handleError(c, err)
	}
}

// match finds the route for path and method in the app's table, or in
// the tables of the request's subdomain or host when the app has them.
func (a *App) match(c *Ctx, path string, m methodSet) (bool, methodSet) {
	if a.matchDomain != nil {
		return a.matchDomain(a, c, path, m)
	}
	return a.table.match(c, path, m)
}

// runHandler runs the handler.
func (a *App) runHandler(c *Ctx) error {
	return c.route.handler(c)
}

// finish ends a request: recovers a panic, makes sure a response was
// started (so after hooks run), and returns the Ctx to the pool.
func (a *App) finish(c *Ctx) {
	c.cleanupUploads()
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			a.pool.Put(c)
			panic(v) // net/http's way to abort a response silently
		}
		var err error
		if sa, ok := v.(*sessionAbort); ok {
			err = sa.err // Ctx.Session's store failed: its 503, logged by handleError
		} else {
			err = withStack(panicValue(c.Request, v))
			a.Logger.Error(err.Error(), slog.String("stack", string(debug.Stack())))
		}
		if c.kept {
			// Not sent yet: the 500 page replaces what the handler wrote.
			c.kept = false
			clear(c.rw.Header())
		}
		a.handleError(c, err)
	}
	switch {
	case c.kept:
		a.hooks.sendKept(c)
	case c.rw.wroteHeader:
	case c.buffer:
		a.hooks.keep(c, c.statusOr(http.StatusOK), "", nil)
		a.hooks.sendKept(c)
	default:
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
	}
	if a.Signals.RequestFinished.subs != nil {
		a.Signals.RequestFinished.send(RequestFinished{Ctx: c, Status: c.rw.status, Size: c.rw.size})
	}
	if a.hasTeardown {
		a.hooks.teardown(a, c)
	}
	if a.Signals.RequestTearingDown.subs != nil {
		a.Signals.RequestTearingDown.send(RequestError{Ctx: c, Err: c.failure})
	}
	if a.accessLog {
		if st := c.accessRecord(); st != nil {
			st.ctx = c.Request.Context() // with what the handler added
			if c.route != nil {
				st.rule = c.route.rule.text
			}
		}
	}
	c.release()
	a.pool.Put(c)
}

// panicValue is the error of a panic: one that panicked with an error
// (a runtime.Error among them) wraps it, so errors.As finds it in error
// handlers, signals and teardown hooks, as Flask hands on the exception.
func panicValue(r *http.Request, v any) error {
	if e, ok := v.(error); ok {
		return fmt.Errorf("flasky: panic serving %s %s: %w", r.Method, r.URL.Path, e)
	}
	return fmt.Errorf("flasky: panic serving %s %s: %v", r.Method, r.URL.Path, v)
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
	err := withStack(fmt.Errorf("flasky: panic in middleware serving %s %s: %v", r.Method, r.URL.Path, v))
	a.Logger.Error(err.Error(), slog.String("stack", string(debug.Stack())))
	e := &HTTPError{Code: http.StatusInternalServerError}
	h := w.Header()
	h.Add("Vary", "Accept")
	if wantsJSON(r) {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(e.Code)
		_, _ = w.Write(errorJSON(&HTTPError{Code: e.Code, Err: err}, a.Config.Debug))
		return
	}
	page := errorPage(e)
	if a.Config.Debug {
		page = a.debugPage(r, &HTTPError{Code: e.Code, Err: err}, nil)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(e.Code)
	_, _ = w.Write([]byte(page))
}

// notMatched answers a request that no route takes: a trailing-slash or
// merge-slashes redirect, an automatic OPTIONS, a 405 or a 404. As in
// Werkzeug, the redirect comes before the 405: GET /bar with rules /bar/
// (GET) and /bar (POST) is a 308 to /bar/. It reports true when a rule
// with SetStrictSlashes(false) takes the path with or without its
// trailing slash: c.route is set and dispatch serves it.
func (a *App) notMatched(c *Ctx, m methodSet, allowed methodSet) bool {
	served, done, more := a.redirectPath(c, m)
	if served || done {
		return served
	}
	allowed |= more
	if allowed == 0 {
		a.handleError(c, &HTTPError{Code: http.StatusNotFound})
		return false
	}
	allow := allowHeader(allowed)
	if m == mOptions && allowed&mOptions != 0 { // else no rule answers OPTIONS (SetAutomaticOptions): a 405
		c.SetHeader("Allow", allow)
		c.answer(http.StatusOK)
		return false
	}
	a.handleError(c, &HTTPError{Code: http.StatusMethodNotAllowed, Header: http.Header{"Allow": {allow}}})
	return false
}

// redirectPath answers with a 308 when a cleaned form of the path
// matches a route, as Werkzeug does: a missing trailing slash (for a rule
// that ends in '/') and, for a rule with merge_slashes, runs of slashes.
// The 308 keeps the method, the body and the query, and the prefix the
// app is reached under ([Ctx.ScriptRoot]). A rule with
// SetStrictSlashes(false) that matches the path with one slash added or
// removed is served instead (served). done reports that a redirect was
// sent; allowed is what the merged path answers, for a 405.
func (a *App) redirectPath(c *Ctx, m methodSet) (served, done bool, allowed methodSet) {
	u := c.Request.URL
	p, e := u.Path, u.EscapedPath()
	if r, add := a.matchSlashed(c, p, m); r != nil {
		if !add {
			return true, false, 0 // c.route and c.params stay: dispatch serves it
		}
		return false, a.redirectTo(c, e+"/"), 0
	}
	if !strings.Contains(p, "//") {
		return false, false, 0
	}
	p, me := mergeSlashes(p), mergeSlashes(e)
	var r *Route
	add := false
	ok, allowed := a.match(c, p, m)
	if ok {
		r = c.route
	} else {
		r, add = a.matchSlashed(c, p, m)
	}
	c.route, c.params = nil, nil
	if r == nil {
		return false, false, allowed
	}
	if !r.MergeSlashes() {
		return false, false, 0
	}
	if add {
		me += "/"
	}
	if me == e {
		return false, false, 0 // e.g. an encoded %2F%2F: the redirect would loop
	}
	return false, a.redirectTo(c, me), 0
}

// matchSlashed matches a path that no rule takes as it is the way
// Werkzeug does, and returns the rule that takes it or nil: a rule
// ending in the '/' that the path lacks (add when the rule is strict and
// redirects there), or a rule with SetStrictSlashes(false) that takes
// the path with one '/' added or removed, for which c.route and c.params
// are set.
func (a *App) matchSlashed(c *Ctx, p string, m methodSet) (r *Route, add bool) {
	if ok, _ := a.match(c, p+"/", m); ok {
		r, add = c.route, c.route.StrictSlashes()
	} else if len(p) > 1 && p[len(p)-1] == '/' {
		// Not "//" after a <path:> that ends the rule in '/': Werkzeug's
		// expression for it refuses a value ending in '/'.
		ok, _ := a.match(c, p[:len(p)-1], m)
		if ok && !c.route.StrictSlashes() && !(c.route.rule.noDoubleSlash && strings.HasSuffix(p, "//")) {
			r = c.route
		}
	}
	if r == nil || add {
		c.route, c.params = nil, nil
	}
	return r, add
}

// redirectTo answers with a 308 to escaped, a path of the app, keeping
// the query. Never "//host": a single leading slash keeps the client
// here.
func (a *App) redirectTo(c *Ctx, escaped string) bool {
	target := c.ScriptRoot() + "/" + strings.TrimLeft(escaped, "/\\")
	if q := c.Request.URL.RawQuery; q != "" {
		target += "?" + q
	}
	_ = c.Status(http.StatusPermanentRedirect).Redirect(target)
	return true
}

// redirectCanonical redirects (308, query kept) a request that an alias
// rule matched to the URL its endpoint builds from the same values, and
// a request whose values are the defaults of another rule of the
// endpoint to that rule, as Werkzeug's redirect_defaults does. It
// reports whether it answered.
func (a *App) redirectCanonical(c *Ctx, m methodSet) bool {
	r := c.route
	values := make(M, len(r.rule.vars)+len(r.defaults))
	for _, d := range r.defaults {
		values[d.name] = d.text
	}
	for i, v := range r.rule.vars {
		values[v.name] = c.params[i].Value
	}
	for _, p := range c.params[len(r.rule.vars):] {
		values[p.Key] = p.Value // of the subdomain or host
	}
	var target string
	for _, d := range buildOrder(a.endpoints[r.endpoint], m) {
		if d == r {
			if r.alias {
				continue
			}
			break // rules after this one have a lower priority for defaults
		}
		if r.alias {
			if d.alias {
				continue
			}
		} else if !d.providesDefaultsFor(r) {
			continue
		}
		u, err := d.build(values)
		if err != nil {
			continue
		}
		host, elsewhere := "", false
		if a.domainHost != nil {
			if host, elsewhere, err = a.domainHost(a, c, d, values); err != nil {
				continue
			}
		}
		if target, err = a.finishURL(c, u, host, buildOpts{external: elsewhere}); err == nil {
			break
		}
		target = ""
	}
	if target == "" || target == c.Request.URL.EscapedPath() {
		return false
	}
	if q := c.Request.URL.RawQuery; q != "" {
		target += "?" + q
	}
	_ = c.Status(http.StatusPermanentRedirect).Redirect(target)
	return true
}

// mergeSlashes collapses runs of '/' into one; the result starts with a
// single '/', so it is always a path on this host.
func mergeSlashes(p string) string {
	b := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && len(b) > 0 && b[len(b)-1] == '/' {
			continue
		}
		b = append(b, p[i])
	}
	return string(b)
}

func allowHeader(ms methodSet) string {
	if ms&mGet != 0 {
		ms |= mHead
	}
	return strings.Join((ms &^ mOther).list(), ", ")
}

// clientGone ends a request whose client went away before the answer:
// nginx's 499 at Info, since a cancelled database call or a broken pipe
// is not the server's fault, and nothing is written, since nobody reads
// it.
func (a *App) clientGone(c *Ctx, err error) {
	const statusClientClosed = 499
	a.Logger.LogAttrs(c.Request.Context(), slog.LevelInfo, "flasky: client went away: "+c.Request.Method+" "+c.Request.URL.Path,
		slog.Int("status", statusClientClosed), slog.String("error", err.Error()))
	if st := c.accessRecord(); st != nil {
		st.status = statusClientClosed
	}
	if !c.rw.wroteHeader {
		c.rw.wroteHeader, c.rw.status = true, statusClientClosed
	}
}

func (a *App) defaultErrorPage(c *Ctx, e *HTTPError) {
	c.rw.Header().Add("Vary", "Accept")
	if wantsJSON(c.Request) {
		c.status = e.Code
		_ = c.Data("application/json", errorJSON(e, a.Config.Debug))
		return
	}
	if a.Config.Debug && e.Code >= 500 && e.Err != nil {
		c.status = e.Code
		_ = c.HTML(a.debugPage(c.Request, e, c))
		return
	}
	page := errorPage(e)
	if a.Config.Debug && e.Err != nil {
		page += "<pre>" + html.EscapeString(e.Err.Error()) + "</pre>\n"
	}
	c.status = e.Code
	_ = c.HTML(page)
}
