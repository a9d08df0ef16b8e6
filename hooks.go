// Hooks run around the handler in Flask's order: URL value
// preprocessors and before-request hooks (also for a request that ends in
// a 404 or 405), the handler, after-request hooks on the response, and
// teardown hooks once the response is complete. A request of an app
// without hooks runs none of this.

package flasky

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
)

// hookRunner holds the code that runs hooks, keeps bodies for after
// hooks and finds typed error handlers. It is set by the first hook or
// typed error handler registered, so a program that registers none links
// none of it (internal/linkcheck holds a hello program to a size).
type hookRunner struct {
	preprocess       func(a *App, c *Ctx, groups bool) bool
	preprocessGroups func(a *App, c *Ctx) bool
	teardown         func(a *App, c *Ctx)
	keep             func(c *Ctx, status int, s string, b []byte)
	sendKept         func(c *Ctx)
	startStream      func(c *Ctx, code int) int
	typed            func(a *App, c *Ctx, groups []*group, err error, status int, specific bool) bool
	urlDefaults      func(a *App, c *Ctx, endpoint string, g *group, values M) M
}

func (a *App) useHooks() {
	if a.hooks == nil {
		a.hooks = &hookRunner{preprocess, preprocessGroups, runTeardown, keep, sendKept, startStream, tryTyped, injectURLDefaults}
	}
}

// AfterFunc is an after-request hook (Flask's after_request): it gets
// the response before it is sent and may change it. The status and
// headers can always be changed. The body can be read and replaced when
// the response is buffered, which every response written by String,
// HTML, JSON, Data, Render, Redirect, NoContent, Send and the error pages
// is once the request has an after hook; a response streamed through
// c.Writer, Stream, SendFile, SendReader or SendImage reaches the hooks
// when its headers are about to go out, with [Response.Streamed] true
// and no body. A hook that returns an error or panics ends the request
// with the 500 page (handled by the app's 500 handler), and the hooks
// after it do not run.
type AfterFunc func(c *Ctx, resp *Response) error

// TeardownFunc is a teardown hook (Flask's teardown_request): it runs
// once the response is complete, always, also after a panic. err is the
// failure that ended the request (an error the handler returned that is
// not an [HTTPError] and that no error handler took, or a panic), or nil.
// It is the place to close what a before hook opened, such as a
// database connection. A panic in it is logged.
type TeardownFunc func(c *Ctx, err error)

// Response is a response before it is sent: what [AfterFunc] hooks
// change, and what a handler builds with [NewResponse] to set headers
// after making the body (Flask's make_response), then sends with
// [Ctx.Send] or returns with [AbortWith].
type Response struct {
	// Status is the status code.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the whole body; nil for a streamed response.
	Body []byte

	streamed bool
}

// NewResponse returns a response with the given status and body, whose
// Content-Type is text/html; charset=utf-8, Flask's default for a
// Response; set another in its Header.
func NewResponse(status int, body []byte) *Response {
	return &Response{Status: status, Header: http.Header{"Content-Type": ctHTML[:1:1]}, Body: body}
}

// Streamed reports whether the body is sent as the handler writes it
// (c.Writer, Stream, SendFile...), so an after hook sees no body and can
// change only the status and headers.
func (r *Response) Streamed() bool { return r.streamed }

// SetCookie adds a Set-Cookie header to the response.
func (r *Response) SetCookie(ck *http.Cookie) {
	if v := ck.String(); v != "" {
		r.Header.Add("Set-Cookie", v)
	}
}

// Send sends resp: its headers, its status and its body go out (through
// the after hooks, as any response). As with the status and headers a
// Flask view returns beside a response, a status set with c.Status and
// headers set with c.SetHeader before the call win over the response's
// own. Without a Content-Type header, the type is sniffed from the body.
func (c *Ctx) Send(resp *Response) error {
	h := c.rw.Header()
	for k, v := range resp.Header {
		if _, set := h[k]; !set {
			h[k] = append([]string(nil), v...)
		}
	}
	ct := h.Get("Content-Type")
	if ct == "" && len(resp.Body) > 0 {
		ct = http.DetectContentType(resp.Body)
	}
	if c.status == 0 {
		c.status = resp.Status
	}
	if ct == "" {
		c.answer(c.status) // no body, no type
		return nil
	}
	return c.Data(ct, resp.Body)
}

// AbortWith returns an error that answers with resp as it is, bypassing
// the error handlers, as Flask's abort(response) does.
func AbortWith(resp *Response) *HTTPError {
	return &HTTPError{Code: resp.Status, Response: resp}
}

// AfterThisRequest adds an after hook for this request's response only,
// as Flask's after_this_request: it runs before the route's and the
// app's, in the order added.
func (c *Ctx) AfterThisRequest(fn AfterFunc) {
	c.afterOnce = append(c.afterOnce, fn)
	c.app.useHooks()
	c.buffer = true
	c.rare = true
}

// Teardown adds a hook that runs after every request once its response
// is complete (Flask's teardown_request); see [TeardownFunc]. The last
// added runs first.
func (a *App) Teardown(fn TeardownFunc) {
	a.root.teardown = append(a.root.teardown, fn)
	a.useHooks()
	a.hasTeardown = true
}

// Teardown adds a teardown hook for the requests of the blueprint's
// routes; they run before the app's.
func (b *Blueprint) Teardown(fn TeardownFunc) {
	b.record(func(g *group) {
		g.teardown = append(g.teardown, fn)
		g.app.useHooks()
		g.app.hasTeardown = true
	})
}

// URLValuePreprocessor adds a function that runs before the
// before-request hooks, once the route is matched (Flask's
// url_value_preprocessor): the place to take a value common to many
// rules, such as a <lang> prefix, from c.Param into c.Set. It runs for
// requests that matched no route too, with c.Endpoint() "".
func (a *App) URLValuePreprocessor(fn func(c *Ctx)) {
	a.root.preprocessors = append(a.root.preprocessors, fn)
	a.useHooks()
	a.hasBefore = true
}

// URLValuePreprocessor adds a URL value preprocessor for the
// blueprint's routes; it runs after the app's.
func (b *Blueprint) URLValuePreprocessor(fn func(c *Ctx)) {
	b.record(func(g *group) {
		g.preprocessors = append(g.preprocessors, fn)
		g.app.useHooks()
		g.app.hasBefore = true
	})
}

// URLDefaultsFunc fills values that URLFor was not given for endpoint,
// as Flask's url_defaults: values["lang"] = c.Get("lang"). c is nil for
// App.URLFor, which builds outside a request.
type URLDefaultsFunc func(c *Ctx, endpoint string, values M)

// URLDefaults adds a function that every URLFor calls before building,
// to put back values a URL value preprocessor took (Flask's
// url_defaults). A value already given is not to be replaced.
func (a *App) URLDefaults(fn URLDefaultsFunc) {
	a.root.urlDefaults = append(a.root.urlDefaults, fn)
	a.useHooks()
	a.hasURLDefaults = true
}

// URLDefaults adds a URLDefaultsFunc for building the blueprint's
// endpoints; it runs after the app's.
func (b *Blueprint) URLDefaults(fn URLDefaultsFunc) {
	b.record(func(g *group) {
		g.urlDefaults = append(g.urlDefaults, fn)
		g.app.useHooks()
		g.app.hasURLDefaults = true
	})
}

// chain returns the groups of g from the outermost blueprint to g itself,
// without the app: the order of preprocessors and before hooks.
func (g *group) chain(buf []*group) []*group {
	for ; g != nil && g != &g.app.root; g = g.parent {
		buf = append(buf, g)
	}
	for i, j := 0, len(buf)-1; i < j; i, j = i+1, j-1 {
		buf[i], buf[j] = buf[j], buf[i]
	}
	return buf
}

// groupsOf returns the blueprints of c's route, outermost first.
func (c *Ctx) groupsOf(buf []*group) []*group {
	if c.route == nil || c.route.group == &c.app.root {
		return buf
	}
	return c.route.group.chain(buf)
}

// preprocess runs the URL value preprocessors, then the before hooks, of
// the app and, with groups, of the route's blueprints, in Flask's order.
// It reports whether the request was answered (by a hook's error or
// response).
func preprocess(a *App, c *Ctx, groups bool) bool {
	var buf [4]*group
	chain := buf[:0]
	if groups {
		chain = c.groupsOf(chain)
	}
	for _, fn := range a.root.preprocessors {
		fn(c)
	}
	for _, g := range chain {
		for _, fn := range g.preprocessors {
			fn(c)
		}
	}
	if err := runBefore(c, a.root.before); err != nil || c.responded() {
		return a.answered(c, err)
	}
	for _, g := range chain {
		if err := runBefore(c, g.before); err != nil || c.responded() {
			return a.answered(c, err)
		}
	}
	return false
}

// preprocessGroups runs the blueprints' preprocessors and before hooks
// for a route found after the app's had run (a rule that takes the path
// without its trailing slash).
func preprocessGroups(a *App, c *Ctx) bool {
	var buf [4]*group
	chain := c.groupsOf(buf[:0])
	for _, g := range chain {
		for _, fn := range g.preprocessors {
			fn(c)
		}
	}
	for _, g := range chain {
		if err := runBefore(c, g.before); err != nil || c.responded() {
			return a.answered(c, err)
		}
	}
	return false
}

func (a *App) answered(c *Ctx, err error) bool {
	if err != nil {
		a.handleError(c, err)
	}
	return true
}

func runBefore(c *Ctx, hooks []HandlerFunc) error {
	for _, fn := range hooks {
		if err := fn(c); err != nil || c.responded() {
			return err
		}
	}
	return nil
}

// afterHooks runs the request's after hooks on resp, in Flask's order:
// this request's own (AfterThisRequest) in the order added, then each
// blueprint's from the route's own outwards and the app's, each list
// newest first. A hook's error or panic stops them and is returned.
func (c *Ctx) afterHooks(resp *Response) (err error) {
	c.afterRan = true
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			if sa, ok := v.(*sessionAbort); ok {
				err = sa.err // the session's store failed: its 503
				return
			}
			err = withStack(fmt.Errorf("flasky: panic in an after-request hook: %v", v))
			c.app.Logger.Error(err.Error(), slog.String("stack", string(debug.Stack())))
		}
	}()
	for _, fn := range c.afterOnce {
		if err := fn(c, resp); err != nil {
			return err
		}
	}
	a := c.app
	if c.route != nil {
		for g := c.route.group; g != nil && g != &a.root; g = g.parent {
			if err := runAfterList(c, g.after, resp); err != nil {
				return err
			}
		}
	}
	return runAfterList(c, a.root.after, resp)
}

func runAfterList(c *Ctx, hooks []AfterFunc, resp *Response) error {
	for i := len(hooks) - 1; i >= 0; i-- {
		if err := hooks[i](c, resp); err != nil {
			return err
		}
	}
	return nil
}

// keep holds a whole body written by a helper for the after hooks. Once
// a response streams, what is written goes on to the client.
func keep(c *Ctx, status int, s string, b []byte) {
	if c.rw.wroteHeader {
		if s != "" {
			_, _ = c.rw.WriteString(s)
		}
		if len(b) > 0 {
			_, _ = c.rw.Write(b)
		}
		return
	}
	if !c.kept {
		c.kept, c.keptStatus, c.keptBody = true, status, c.keptBody[:0]
	}
	c.keptBody = append(append(c.keptBody, s...), b...)
}

// answer sends a response without a body, kept for the after hooks when
// the request has some.
func (c *Ctx) answer(status int) {
	if c.buffer {
		c.app.hooks.keep(c, status, "", nil)
		return
	}
	c.rw.WriteHeader(status)
}

// sendKept runs the after hooks on the kept response and sends it.
func sendKept(c *Ctx) {
	resp := Response{Status: c.keptStatus, Header: c.rw.Header(), Body: c.keptBody}
	c.kept = false
	if err := c.afterHooks(&resp); err != nil {
		c.afterFailed(err)
		return
	}
	c.writeWhole(resp.Status, resp.Body)
}

// startStream runs when a response's headers are about to go out on a
// request with after hooks: it starts the stream with what the helpers
// kept, if anything, running the hooks on the streamed response. It
// returns the status to send, or 0 when it sent the headers itself or a
// hook failed and the error page went out instead.
func startStream(c *Ctx, code int) int {
	kept := c.kept
	if kept {
		code, c.kept = c.keptStatus, false
	}
	resp := Response{Status: code, Header: c.rw.Header(), streamed: true}
	if err := c.afterHooks(&resp); err != nil {
		c.afterFailed(err)
		c.rw.discard = true
		return 0
	}
	if !kept {
		return resp.Status
	}
	c.rw.sendHeader(resp.Status)
	if !c.rw.head && len(c.keptBody) > 0 {
		n, _ := c.rw.w.Write(c.keptBody)
		c.rw.size += int64(n)
	}
	return 0
}

// errAfterFailed is what the handler's writes get once an after hook
// failed on its streamed response.
var errAfterFailed = errors.New("flasky: an after-request hook failed; the error page was sent instead")

// afterFailed answers a request whose after hook failed with the 500
// page, made from fresh headers and sent at once.
func (c *Ctx) afterFailed(err error) {
	clear(c.rw.Header())
	c.buffer, c.kept, c.status = false, false, 0
	var he *HTTPError
	if !errors.As(err, &he) {
		err = &HTTPError{Code: http.StatusInternalServerError, Err: err}
	}
	c.app.handleError(c, err)
	if !c.rw.wroteHeader {
		c.rw.sendHeader(http.StatusInternalServerError)
	}
}

// writeWhole sends a status and a whole body with its length.
func (c *Ctx) writeWhole(status int, body []byte) {
	bodyless := status < 200 || status == http.StatusNoContent || status == http.StatusNotModified
	if !bodyless {
		h := c.rw.Header()
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		if _, ok := h["Content-Type"]; !ok && len(body) > 0 {
			h["Content-Type"] = []string{http.DetectContentType(body)}
		}
	}
	c.rw.sendHeader(status)
	if c.rw.head || bodyless || len(body) == 0 {
		return
	}
	n, _ := c.rw.w.Write(body)
	c.rw.size += int64(n)
}

// runTeardown runs the teardown hooks: the route's blueprints' from the
// innermost out, then the app's, each list newest first.
func runTeardown(a *App, c *Ctx) {
	if c.route != nil {
		for g := c.route.group; g != nil && g != &a.root; g = g.parent {
			a.teardownList(c, g.teardown)
		}
	}
	a.teardownList(c, a.root.teardown)
}

func (a *App) teardownList(c *Ctx, hooks []TeardownFunc) {
	for i := len(hooks) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if v := recover(); v != nil {
					a.Logger.Error(fmt.Sprintf("flasky: panic in a teardown hook serving %s %s: %v", c.Request.Method, c.Request.URL.Path, v),
						slog.String("stack", string(debug.Stack())))
				}
			}()
			hooks[i](c, c.failure)
		}()
	}
}

// injectURLDefaults returns a copy of values filled by the URL defaults
// functions of the app, then of the endpoint's blueprints from the
// outermost in, as Flask's inject_url_defaults.
func injectURLDefaults(a *App, c *Ctx, endpoint string, g *group, values M) M {
	filled := make(M, len(values)+1)
	for k, v := range values {
		filled[k] = v
	}
	for _, fn := range a.root.urlDefaults {
		fn(c, endpoint, filled)
	}
	var buf [4]*group
	for _, bg := range g.chain(buf[:0]) {
		for _, fn := range bg.urlDefaults {
			fn(c, endpoint, filled)
		}
	}
	return filled
}
