package flasky

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/julienschmidt/httprouter"
)

// Ctx is the context of one request, passed to every handler. It gives
// the request's values (like Flask's request object) and writes the
// response.
//
// Contexts are pooled and reused: a Ctx and what its methods return are
// valid only until the handler returns. A goroutine that outlives the
// handler must take what it needs first, or call [Ctx.Copy] and use the
// copy. c.Request, c.Context() and the strings returned by Param and Args
// stay valid after the handler returns; the Ctx itself does not.
type Ctx struct {
	// Request is the request being served.
	Request *http.Request
	// Writer writes the response. Use it for anything the helper
	// methods do not cover; it supports http.Flusher and
	// http.ResponseController.
	Writer http.ResponseWriter
	// Args holds the query string's values, like Flask's request.args.
	Args Values
	// Form holds the body's form values (urlencoded or multipart), like
	// Flask's request.form.
	Form Values
	// Values holds both, query first, like Flask's request.values.
	Values Values
	// Files holds the files of a multipart/form-data body, like Flask's
	// request.files.
	Files Files

	app    *App
	route  *Route
	params httprouter.Params
	hit    *entry // set by the router while matching
	rw     responseWriter
	status int // status for the next response, 0 for the default
	store  map[string]any
	sess   *Session // loaded by Session
	copied bool
	// rare is set when a field below, or the writer's ownReadDeadline,
	// is set: release clears them with one check on the common path.
	rare bool
	wbuf [2048]byte // see writeString

	// buffer makes the helpers keep whole bodies for the after hooks,
	// set when the request has any; kept, keptStatus and keptBody are
	// what they kept. afterRan is set once the hooks ran.
	buffer, kept, afterRan bool
	keptStatus             int
	keptBody               []byte
	afterOnce              []AfterFunc // AfterThisRequest
	failure                error       // for the teardown hooks
	handlerErr             error       // what the last error handler failed with

	reqID  string       // made by RequestID when nothing logs the request
	logger *slog.Logger // made by Logger
}

func newCtx(a *App) *Ctx {
	c := &Ctx{app: a}
	c.rw.ctx = c
	c.Writer = &c.rw
	c.Args = Values{c: c, src: srcArgs}
	c.Form = Values{c: c, src: srcForm}
	c.Values = Values{c: c, src: srcAll}
	c.Files.c = c
	return c
}

func (c *Ctx) reset(w http.ResponseWriter, r *http.Request) {
	c.Request = r
	c.rw.reset(w, r.Method == http.MethodHead)
}

// release clears what refers to the finished request, so a pooled Ctx
// does not keep it alive and a kept Ctx does not show it to another
// request.
func (c *Ctx) release() {
	c.Request = nil
	c.route, c.params, c.hit = nil, nil, nil
	c.status = 0
	c.sess = nil
	if c.rare {
		c.rare, c.logger, c.reqID = false, nil, ""
		c.rw.ownReadDeadline.Store(false)
		clear(c.afterOnce)
		c.afterOnce = c.afterOnce[:0]
	}
	if c.buffer || c.afterRan || c.failure != nil || c.handlerErr != nil {
		c.buffer, c.kept, c.afterRan, c.failure, c.handlerErr = false, false, false, nil, nil
		if cap(c.keptBody) > 64<<10 {
			c.keptBody = nil // a big page is not kept for every later request
		}
	}
	c.rw.w = nil
	if c.Args.loaded || c.Form.loaded || c.Values.loaded {
		c.Args.clear()
		c.Form.clear()
		c.Values.clear()
	}
	if c.store != nil {
		clear(c.store)
	}
}

// App returns the app serving the request.
func (c *Ctx) App() *App { return c.app }

// Context returns the request's context: pass it to database and HTTP
// calls. It is cancelled when the client goes away, or when a stopping
// server's grace period ([ShutdownTimeout]) ends and the connections still
// open are closed; not when a stop begins, so ordinary requests finish.
// Inside [Ctx.Stream]'s function it is cancelled when a stop begins too;
// elsewhere [Ctx.Stopping] tells of that moment.
func (c *Ctx) Context() context.Context { return c.Request.Context() }

// Endpoint returns the matched route's endpoint name ("" when no route
// matched, as in a 404 handler).
func (c *Ctx) Endpoint() string {
	if c.route == nil {
		return ""
	}
	return c.route.endpoint
}

// RequestID returns the request's id: the one the access log made or
// took from a trusted proxy's X-Request-ID (see [App.AccessLogged]), or,
// when nothing logs the request, one made now. The response carries it in
// X-Request-ID.
func (c *Ctx) RequestID() string {
	if st := c.accessRecord(); st != nil {
		return st.id
	}
	if c.reqID == "" {
		c.rare = true
		c.reqID = c.app.requestID(c.Request)
		if !c.rw.wroteHeader {
			c.rw.Header()["X-Request-Id"] = []string{c.reqID}
		}
	}
	return c.reqID
}

// Logger returns the app's logger with the request's attributes
// (request_id, method, path), so the lines a handler logs can be joined
// with the access record:
//
//	c.Logger().Info("order placed", "order", id)
func (c *Ctx) Logger() *slog.Logger {
	if c.logger == nil {
		c.rare = true
		c.logger = c.app.Logger.With(
			slog.String("request_id", c.RequestID()),
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path))
	}
	return c.logger
}

// Rule returns the matched route's rule as written, blueprint prefix
// included ("/s5/<name>"), or "" when no route matched. It is also in
// c.Request.Pattern, where net/http middleware finds it after the handler
// returns: a label for metrics and traces that does not grow with the
// number of URLs.
func (c *Ctx) Rule() string {
	if c.route == nil {
		return ""
	}
	return c.route.rule.text
}

// Param returns the value of a rule variable, such as "name" in
// /s5/<name>, percent-decoded, or of a default set with
// [Route.SetDefaults] (as URLFor writes it: 1 is "1"), or of a variable
// of the rule's subdomain or host ([App.Subdomain]). It is "" when the
// rule has no such variable or default.
func (c *Ctx) Param(name string) string {
	if c.route == nil {
		return ""
	}
	vars := c.route.rule.vars
	for i := range vars {
		if vars[i].name == name {
			return c.params[i].Value
		}
	}
	for _, d := range c.route.defaults {
		if d.name == name {
			return d.text
		}
	}
	v, _ := c.domainVar(name)
	return v
}

// domainVar returns the value of a variable of the route's subdomain or
// host pattern and its index among them, or -1; their values follow the
// path's in c.params.
func (c *Ctx) domainVar(name string) (string, int) {
	n := len(c.route.rule.vars)
	for i := n; i < len(c.params); i++ {
		if c.params[i].Key == name {
			return c.params[i].Value, i - n
		}
	}
	return "", -1
}

// ParamInt returns the value of an <int:name> variable as an int. For a
// variable of another converter it parses the value and returns 0 when it
// is not a whole number.
func (c *Ctx) ParamInt(name string) int {
	n, _ := strconv.Atoi(c.Param(name))
	return n
}

// ParamFloat returns the value of a <float:name> variable as a float64,
// or 0 when the value is not a number.
func (c *Ctx) ParamFloat(name string) float64 {
	f, _ := strconv.ParseFloat(c.Param(name), 64)
	return f
}

// Params returns every rule variable and default by name.
func (c *Ctx) Params() map[string]string {
	if c.route == nil {
		return map[string]string{}
	}
	out := make(map[string]string, len(c.params)+len(c.route.defaults))
	for _, d := range c.route.defaults {
		out[d.name] = d.text
	}
	for i, v := range c.route.rule.vars {
		out[v.name] = c.params[i].Value
	}
	for _, p := range c.params[len(c.route.rule.vars):] {
		out[p.Key] = p.Value // of the subdomain or host
	}
	return out
}

// Cookie returns the value of the request cookie name, or "" when there
// is none (like request.cookies.get).
func (c *Ctx) Cookie(name string) string {
	ck, err := c.Request.Cookie(name)
	if err != nil {
		return ""
	}
	return ck.Value
}

// GetHeader returns the first value of a request header, or "".
func (c *Ctx) GetHeader(name string) string { return c.Request.Header.Get(name) }

// Set stores a value for the rest of this request, for example the user
// a before-request hook found (Flask's g).
func (c *Ctx) Set(key string, v any) {
	if c.store == nil {
		c.store = map[string]any{}
	}
	c.store[key] = v
}

// Get returns a value stored with [Ctx.Set], or nil.
func (c *Ctx) Get(key string) any { return c.store[key] }

// Copy returns a copy of the context that stays valid after the handler
// returns, for a goroutine to read: the request, its rule variables, the
// query and form values, the values stored with [Ctx.Set], the request's
// id and logger, and the session as the handler left it, values set in
// this request included (a snapshot: what the handler changes after the
// copy is not in it). The copy cannot write a response: its Writer
// reports an error, and a change to its session is never saved.
func (c *Ctx) Copy() *Ctx {
	cp := &Ctx{app: c.app, Request: c.Request, route: c.route, copied: true}
	cp.params = append(httprouter.Params(nil), c.params...)
	cp.rw.ctx = cp
	cp.rw.w = copiedWriter{}
	cp.rw.wroteHeader = true
	cp.Writer = copiedWriter{}
	cp.Args = Values{c: cp, src: srcArgs}
	cp.Form = Values{c: cp, src: srcForm}
	cp.Values = Values{c: cp, src: srcAll}
	// Parse now, while the body is still readable.
	cp.Args.load()
	cp.Form.load()
	if c.store != nil {
		cp.store = make(map[string]any, len(c.store))
		for k, v := range c.store {
			cp.store[k] = v
		}
	}
	if c.sess != nil {
		cp.sess = c.sess.snapshot()
	}
	cp.reqID, cp.logger = c.reqID, c.logger
	if st := c.accessRecord(); st != nil {
		cp.reqID = st.id
	}
	return cp
}

// ScriptRoot returns the path prefix under which the client reached the
// app, without a trailing slash ("" at the root), Flask's
// request.script_root. The app's redirects, the URLs that [Ctx.URLFor]
// builds and the session cookie's path start with it. It is, in order:
//
//   - the prefix that a trusted proxy (see [App.TrustProxies]) removed
//     and named in X-Forwarded-Prefix, followed by
//   - the prefix removed before the app saw the request: by [App.Mount]
//     in another App, by http.StripPrefix, or by any handler that cut the
//     start of r.URL.Path (the part of the request line's path before the
//     path the app sees);
//   - or, when neither is there, Config.ApplicationRoot.
//
// It is computed when asked for: an app reached at its root pays nothing.
func (c *Ctx) ScriptRoot() string {
	a, r := c.app, c.Request
	p := strippedPrefix(r)
	if len(a.proxies) != 0 {
		if fp := a.forwardedPrefix(r); fp != "" {
			p = fp + p
		}
	}
	if p == "" {
		p = a.applicationRoot()
	}
	return p
}

// strippedPrefix is the start of the request line's path that is not in
// r.URL.Path: what a handler in front of the app cut off. A request that
// reached the app as it was sent has none.
func strippedPrefix(r *http.Request) string {
	uri := r.RequestURI
	if uri == "" || uri == "*" {
		return ""
	}
	if uri[0] != '/' {
		u, err := url.ParseRequestURI(uri) // absolute form: http://host/path
		if err != nil {
			return ""
		}
		uri = u.EscapedPath()
	} else if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	esc := r.URL.EscapedPath()
	if uri == esc {
		return ""
	}
	var p string
	switch {
	case strings.HasSuffix(uri, esc):
		p = uri[:len(uri)-len(esc)]
	case esc == "/":
		p = uri // /test reached the mounted app as /
	default:
		un, err := url.PathUnescape(uri)
		if err != nil || !strings.HasSuffix(un, r.URL.Path) {
			return ""
		}
		p = escapePath(un[:len(un)-len(r.URL.Path)], true)
	}
	return cleanPrefix(p)
}

// cleanPrefix makes a prefix one path on this host: a single leading
// slash (never "//host"), no trailing slash, only characters a path may
// hold unencoded or as %XX; anything else is refused as "".
func cleanPrefix(p string) string {
	p = strings.TrimRight(p, "/")
	if p == "" {
		return ""
	}
	if p[0] != '/' {
		return ""
	}
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case isPathSafe(ch) && ch != ';' || ch == '/':
		case ch == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]):
		default:
			return ""
		}
	}
	return "/" + strings.TrimLeft(p, "/")
}

// forwardedPrefix is the last X-Forwarded-Prefix entry, when the peer is
// a trusted proxy and the entry is a clean path.
func (a *App) forwardedPrefix(r *http.Request) string {
	vals := r.Header.Values("X-Forwarded-Prefix")
	if len(vals) == 0 {
		return ""
	}
	if _, h := a.clientIP(r); !h.trusted {
		return ""
	}
	v := vals[len(vals)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return cleanPrefix(strings.TrimSpace(v))
}

// applicationRoot is Config.ApplicationRoot as a clean, encoded prefix.
func (a *App) applicationRoot() string {
	root := a.Config.ApplicationRoot
	if root == "" || root == "/" {
		return ""
	}
	return cleanPrefix(escapePath(root, true))
}
