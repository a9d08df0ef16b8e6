package flasky

import (
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/flasky-go/flasky/internal/logfmt"
	"github.com/gorilla/schema"
)

// Config holds an App's settings: flasky's own, and in Settings the
// app's. Change it before serving requests. [Config.FromFile],
// [Config.FromPrefixedEnv], [Config.FromMapping] and [Config.FromStruct]
// load it by Flask's keys (SECRET_KEY for SecretKey).
type Config struct {
	// Debug shows error details and stacks to the client and re-reads
	// changed templates. It is debug mode's one switch: [Debug] and
	// FLASKY_DEBUG=1 set it when the server starts, and [App.Run] also
	// reloads on change when it is on (see the package doc, "Debug
	// mode"). Never turn it on for a server that others can reach.
	Debug bool
	// TemplatesAutoReload re-reads a template whose files changed even
	// outside debug mode (Flask's TEMPLATES_AUTO_RELOAD); debug mode
	// always does.
	TemplatesAutoReload bool
	// SendFileMaxAgeDefault is how long browsers may keep files sent by
	// the static routes, SendFile and SendFromDirectory without a MaxAge
	// option (Flask's SEND_FILE_MAX_AGE_DEFAULT); 0, the default, sends
	// Cache-Control: no-cache, so the browser asks again each time
	// (cheaply: a 304).
	SendFileMaxAgeDefault time.Duration
	// Testing is testing mode (Flask's TESTING): a failure of a request
	// sent by a [TestClient], an error a handler returned that no error
	// handler of its type took or a panic, fails the test with the error
	// and its stack instead of being only a 500 page and a log line, as
	// Flask propagates exceptions in testing mode. Turn it on in your
	// own tests; the app's own code may read it too.
	Testing bool
	// PropagateExceptions makes a handler's failure reach the test
	// through the TestClient (see [TestClient]) even outside testing and
	// debug mode, where it always does (Flask's PROPAGATE_EXCEPTIONS;
	// off, its default, defers to Testing and Debug).
	PropagateExceptions bool
	// TrapHTTPExceptions handles an HTTP error (Abort(404)) that no
	// error handler takes as a failure, a 500 reported to the test (see
	// [TestClient]) rather than its error page, to debug where it came
	// from (Flask's TRAP_HTTP_EXCEPTIONS).
	TrapHTTPExceptions bool
	// TrapBadRequestErrors does the same for 400s only (Flask's
	// TRAP_BAD_REQUEST_ERRORS). Off, debug mode still traps the 400 of a
	// missing key (Values.Require), as Flask's default does.
	TrapBadRequestErrors bool
	// Settings holds the app's own settings (Flask's tutorial keeps
	// DATABASE there): a pointer to a struct of the app's, set directly
	// or with [WithSettings], loaded with the rest of Config, and read
	// with [Settings] from the app or a handler.
	Settings any
	// MaxFormMemory is how much of a form body is kept in memory (like
	// Werkzeug's max_form_memory_size); default 500 kB.
	MaxFormMemory int64
	// MaxJSONBytes caps a JSON body read by Ctx.BindJSON; default 1 MiB.
	MaxJSONBytes int64
	// MaxContentLength caps the body that c.Files and a multipart
	// c.Form read, in bytes, like Flask's MAX_CONTENT_LENGTH: a declared
	// Content-Length over it is a 413 before anything is read, and a
	// chunked body is cut with a 413 when it passes it. 0, the default,
	// is no limit. Route.SetMaxContentLength overrides it for one route.
	MaxContentLength int64
	// MaxFormParts caps the number of parts of a multipart body (fields
	// and files), like Flask's MAX_FORM_PARTS; more is a 413. Default
	// 1000; 0 is no limit. Route.SetMaxFormParts overrides it for one route.
	MaxFormParts int
	// BodyIdleTimeout cuts off a request body that sends nothing for this
	// long with a 408 (like nginx's client_body_timeout): a client that
	// stalls mid-upload cannot hold its handler. Large slow uploads are
	// fine as long as bytes keep coming. It bounds only the time one read
	// of the body waits: it never fires once the body has ended (a
	// response may stream for as long as it likes), and a read deadline
	// the handler sets with http.ResponseController wins over it. Default
	// 60 s; 0 turns it off. A server ReadTimeout set with ConfigureServer
	// replaces it.
	BodyIdleTimeout time.Duration

	// SecretKey signs the session cookie (Flask's SECRET_KEY). Use a long
	// random value kept out of the source, the same in every instance of
	// the app. Without it, the first request that opens the session
	// fails with a 500 whose log line names this field (see
	// [Ctx.Session]).
	SecretKey []byte
	// SecretKeyFallbacks are older keys still accepted for reading
	// sessions, newest first, so a key can be rotated without logging
	// everyone out (Flask's SECRET_KEY_FALLBACKS). New cookies are always
	// signed with SecretKey.
	SecretKeyFallbacks [][]byte
	// SessionCookieName is the session cookie's name; default "session".
	SessionCookieName string
	// SessionLifetime is how long a session cookie is accepted after it
	// was last written, and how long a permanent one lives; default 31
	// days (Flask's PERMANENT_SESSION_LIFETIME).
	SessionLifetime time.Duration
	// SessionRefreshEachRequest writes a permanent session's cookie
	// again on every request that opens the session, so its lifetime
	// counts from the user's last visit, not from the last change
	// (Flask's SESSION_REFRESH_EACH_REQUEST). New turns it on.
	SessionRefreshEachRequest bool
	// SessionCookieHTTPOnly sets the session cookie's HttpOnly attribute,
	// so the page's scripts cannot read it (Flask's
	// SESSION_COOKIE_HTTPONLY). New turns it on; turn it off only for a
	// script that must read the session's cookie.
	SessionCookieHTTPOnly bool
	// SessionCookieSecure sends the session cookie over HTTPS only. Turn
	// it on when the site is served over HTTPS.
	SessionCookieSecure bool
	// SessionCookieSameSite is the cookie's SameSite attribute; default
	// http.SameSiteLaxMode.
	SessionCookieSameSite http.SameSite
	// SessionCookieDomain is the session cookie's Domain attribute
	// (Flask's SESSION_COOKIE_DOMAIN): "example.com" shares the session
	// with every subdomain. Default "": the cookie goes back only to the
	// host that set it.
	SessionCookieDomain string
	// SessionCookiePath is the session cookie's Path (Flask's
	// SESSION_COOKIE_PATH). Default "": the prefix the app is reached
	// under ([Ctx.ScriptRoot]), or "/".
	SessionCookiePath string
	// SessionCookiePartitioned sets the cookie's Partitioned attribute
	// (CHIPS, Flask's SESSION_COOKIE_PARTITIONED), for an app embedded
	// in other sites' pages. Browsers require SessionCookieSecure too.
	SessionCookiePartitioned bool
	// MaxCookieSize is the size in bytes of a Set-Cookie header over
	// which setting the cookie (the session's or [Ctx.SetCookie]'s) logs
	// a warning that browsers may drop it (Flask's MAX_COOKIE_SIZE).
	// New sets 4093, what browsers keep; 0 turns the warning off.
	MaxCookieSize int

	// ServerName is the host (and port) of _external URLs, Flask's
	// SERVER_NAME: "example.com" or "example.com:8443". Without it,
	// Ctx.URLFor takes the request's Host header, and App.URLFor, which
	// has no request, cannot build an _external URL. Set it when the Host
	// header cannot be trusted. It does not restrict which hosts are
	// served, unless the app has subdomain rules ([App.Subdomain]): their
	// subdomains are what a Host has before ServerName, and a Host
	// outside it is a 404, as in Flask.
	ServerName string
	// PreferredURLScheme is the scheme of an _external URL built without
	// a request, Flask's PREFERRED_URL_SCHEME; default "http".
	PreferredURLScheme string
	// ApplicationRoot is the path the app is served under when a proxy
	// in front of it removes that prefix and does not say so with
	// X-Forwarded-Prefix, Flask's APPLICATION_ROOT: "/app", as typed
	// (not percent-encoded). It starts the URLs that URLFor builds, the
	// app's redirects and the session cookie's path, unless the request
	// shows its own prefix (see [Ctx.ScriptRoot]). Default "/", none.
	ApplicationRoot string
	// TrustedHosts, when not empty, are the only hosts the app answers
	// (Flask's TRUSTED_HOSTS): a request whose Host header names another
	// is a 400. "example.com" is that host on any port; ".example.com"
	// is that host and every subdomain of it.
	TrustedHosts []string
}

// M is a map of named values: the keyword arguments of Flask's
// render_template (c.Render("home.html", flasky.M{"name": "홍길동"}); any
// struct works as well) and of url_for (app.URLFor("user", flasky.M{"id":
// 7}): values of the rule's variables, the rest becomes the query string).
type M map[string]any

// App is a flasky application. Create one with [New], register routes
// with [App.Route], and start it with [App.Run]. An App is an
// [http.Handler], so http.ListenAndServe(addr, app) and httptest work too.
//
// Register routes, hooks and middleware before the app serves its first
// request; registration is not safe to run concurrently with serving.
type App struct {
	// Config holds the app's settings.
	Config Config
	// Logger receives the access log, errors and panics. By default it
	// prints plain lines to standard error, as Flask's development server
	// does; any log/slog handler can replace it.
	Logger *slog.Logger
	// CrossOrigin refuses cross-origin requests with unsafe methods (a
	// form on another site posting to this one: CSRF) with a 403, using
	// the browser's Sec-Fetch-Site and Origin headers. Requests without
	// them (curl, other servers) pass. Trust a partner site with
	// app.CrossOrigin.AddTrustedOrigin("https://partner.example"); set
	// it to nil to turn the check off.
	CrossOrigin *http.CrossOriginProtection
	// Validate, when set, checks every value that Ctx.Bind and
	// Ctx.BindJSON decoded; an error it returns is a 400 whose message
	// is the error's text (so it should name the field), or the
	// *HTTPError it returns as it is. go-playground/validator plugs in as
	//
	//	app.Validate = validator.New().Struct
	Validate func(v any) error
	// Signals are instrumentation points for logging and metrics, in the
	// places of Flask's signals: app.Signals.RequestFinished.Connect(fn).
	Signals Signals
	// SessionInterface opens and saves sessions (Flask's
	// session_interface); nil is the signed cookie,
	// [SecureCookieSessionInterface]. Set it before serving to keep
	// sessions on the server instead (see [SessionInterface]).
	SessionInterface SessionInterface

	root       group
	blueprints map[string]*Blueprint // by registered name
	table      table
	endpoints  map[string][]*Route
	ambiguous  map[string]bool
	handler    http.Handler // middleware chain around dispatch, or nil
	middleware []func(http.Handler) http.Handler
	pool       sync.Pool
	decoder    *schema.Decoder
	// hasBefore (before hooks or URL value preprocessors), hasAfter,
	// hasTeardown and hasURLDefaults spare every request the hook loops
	// when no hook is registered anywhere.
	hasBefore, hasAfter, hasTeardown, hasURLDefaults bool
	hooks                                            *hookRunner // see useHooks
	stop                                             stopSignal  // see Ctx.Stopping
	// accessLog is set once an access logger wraps the app, so dispatch
	// looks for its record only then.
	accessLog bool

	proxies proxyList // see TrustProxies; empty trusts nobody

	// domains holds the rules bound to a subdomain or host, nil until
	// Subdomain, Host or SetDefaultSubdomain is called; the functions
	// that use it are set then, so an app without them links none.
	domains     *domainRouting
	matchDomain func(a *App, c *Ctx, path string, m methodSet) (bool, methodSet)
	domainHost  func(a *App, c *Ctx, r *Route, values M) (host string, elsewhere bool, err error)

	// looseSlashes and keepSlashes are SetStrictSlashes(false) and
	// SetMergeSlashes(false): the zero App has Werkzeug's defaults.
	looseSlashes, keepSlashes bool

	// wrapNew is set by Blueprint.Wrap, endpointFns by App.Endpoint,
	// adopt by AddURLRule.
	wrapNew     func(r *Route)
	endpointFns map[string]HandlerFunc
	adopt       func(a *App, r *Route)

	// onBuildError is set by URLBuildErrorHandler: an app without
	// handlers links none of their code.
	onBuildError  func(a *App, err error, endpoint string, values M, o buildOpts) (string, error)
	buildErrorFns []URLBuildErrorHandler

	static   *staticPlace // WithStaticFolder's, nil for static/ at /static
	rootPath string       // the app's folder on disk
	files    fs.FS        // the app's files: rootedFS{rootPath} or WithFS
	embedded bool         // files came from WithFS

	tmplOnce sync.Once
	tmpl     *templateSet

	instancePath string     // WithInstancePath; see InstancePath
	commands     []*Command // see Command
}

// New creates an App with Flask's defaults. Its root folder (templates/,
// static/) is the folder of the source file that calls New; see
// [WithRoot] and [WithFS].
func New(opts ...Option) *App {
	a := &App{
		Config: Config{MaxFormMemory: 500 * 1000, MaxJSONBytes: 1 << 20, MaxFormParts: 1000, BodyIdleTimeout: time.Minute,
			SessionRefreshEachRequest: true, SessionCookieHTTPOnly: true, MaxCookieSize: 4093},
		Logger:   slog.New(logfmt.NewHandler(os.Stderr)),
		rootPath: findRoot(1),

		CrossOrigin: http.NewCrossOriginProtection(),
	}
	for _, o := range opts {
		o(a)
	}
	a.root.app = a
	a.pool.New = func() any { return newCtx(a) }
	a.decoder = schema.NewDecoder()
	a.decoder.IgnoreUnknownKeys(true)
	a.registerStatic()
	return a
}

// Route registers a handler for a Flask rule ("/user/<int:id>") and the
// given methods (GET when none are given; GET also answers HEAD, and
// OPTIONS is answered automatically). It panics with a message naming the
// rule when the rule is invalid or truly ambiguous with another one, as
// http.ServeMux does; use [App.AddRoute] to get the error instead.
//
// The endpoint name is the handler function's name (the rule, for a
// function literal); change it with [Route.SetEndpoint].
func (a *App) Route(rule string, h HandlerFunc, methods ...string) *Route {
	r, err := a.root.addRoute(rule, h, methods)
	if err != nil {
		panic(err)
	}
	return r
}

// AddRoute is [App.Route] returning an error instead of panicking.
func (a *App) AddRoute(rule string, h HandlerFunc, methods ...string) (*Route, error) {
	return a.root.addRoute(rule, h, methods)
}

// BeforeRequest adds a hook that runs before every handler, like Flask's
// before_request, in the order added. A hook that returns an error (such
// as flasky.Abort(401)) or writes a response ends the request there. As
// in Flask, the app's hooks run for a request that no route takes too,
// before its 404, 405 or slash redirect, so a 404 page can see the user
// a hook loaded; c.Endpoint() is "" then.
func (a *App) BeforeRequest(fn HandlerFunc) {
	a.root.before = append(a.root.before, fn)
	a.useHooks()
	a.hasBefore = true
}

// AfterRequest adds a hook that gets every response before it is sent
// and may change it (Flask's after_request); see [AfterFunc]. The last
// added runs first.
func (a *App) AfterRequest(fn AfterFunc) {
	a.root.after = append(a.root.after, fn)
	a.useHooks()
	a.hasAfter = true
}

// ErrorHandler sets the function that answers errors with the given
// status (404, 500...), like Flask's errorhandler. Code 500 also receives
// panics and non-HTTP errors, except in debug mode, where those show the
// debug page (as Flask's debugger takes unhandled exceptions) and only an
// intended 500 such as Abort(500) reaches the handler.
func (a *App) ErrorHandler(code int, fn ErrorHandlerFunc) { a.root.errorHandler(code, fn) }

// Use wraps the app in net/http middleware, so any
// func(http.Handler) http.Handler works unchanged. The first one added is
// the outermost. Middleware sees every request, routed or not.
func (a *App) Use(mw ...func(http.Handler) http.Handler) {
	// Rebuild from the inside out so the first registered stays outermost.
	a.middleware = append(a.middleware, mw...)
	var h http.Handler = http.HandlerFunc(a.dispatch)
	for i := len(a.middleware) - 1; i >= 0; i-- {
		h = a.middleware[i](h)
	}
	a.handler = h
}

// Mount serves every request under prefix with h, whatever its method,
// with the prefix removed from the path (as http.StripPrefix does, and as
// Werkzeug's DispatcherMiddleware gives a mounted app only the rest):
// "/api/users" reaches h as "/users". A flasky App mounted this way knows
// its prefix ([Ctx.ScriptRoot]) and keeps it in its redirects, built URLs
// and session cookie. A handler that routes on the full
// path itself, such as net/http/pprof's, goes to [App.MountFullPath].
func (a *App) Mount(prefix string, h http.Handler) { a.mount(prefix, h, true) }

// MountFullPath is [App.Mount] without the prefix removed: h sees the
// whole path, as a handler registered on http.ServeMux does.
//
//	app.MountFullPath("/debug/pprof", http.DefaultServeMux) // after importing net/http/pprof
func (a *App) MountFullPath(prefix string, h http.Handler) { a.mount(prefix, h, false) }

func (a *App) mount(prefix string, h http.Handler, strip bool) {
	prefix = mergeSlashes(strings.TrimSuffix(prefix, "/"))
	serve := func(c *Ctx) error {
		r := c.Request
		if !strip {
			h.ServeHTTP(c.Writer, r)
			return nil
		}
		rest := "/"
		if c.route.rule.catch >= 0 {
			rest = "/" + c.params[c.route.rule.catch].Value
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = rest
		r2.URL.RawPath = ""
		if raw := r.URL.RawPath; raw != "" {
			// Keep encoded slashes (%2F) as http.StripPrefix does.
			if after, ok := strings.CutPrefix(raw, prefix); ok {
				r2.URL.RawPath = "/" + strings.TrimPrefix(after, "/")
			}
		}
		h.ServeHTTP(c.Writer, r2)
		return nil
	}
	for _, rule := range []string{prefix + "/<path:rest>", prefix} {
		if rule == "" {
			continue
		}
		r, err := a.root.addRoute(rule, serve, methodNames)
		if err != nil {
			panic(err)
		}
		r.mount, r.autoOpts, r.plain = true, false, false
		r.methods |= mOther
		a.unindexEndpoint(r)
		r.endpoint = "mount:" + prefix
		a.indexEndpoint(r)
	}
}

func (a *App) indexEndpoint(r *Route) {
	if a.adopt != nil {
		a.adopt(a, r)
	}
	if a.endpoints == nil {
		a.endpoints = map[string][]*Route{}
		a.ambiguous = map[string]bool{}
	}
	for _, old := range a.endpoints[r.endpoint] {
		if !old.sameHandler(r) {
			a.ambiguous[r.endpoint] = true
		}
	}
	a.endpoints[r.endpoint] = append(a.endpoints[r.endpoint], r)
	a.refreshRedirects(r.endpoint)
}

// refreshRedirects sets Route.redirects on the endpoint's routes: an
// alias, or a route that another rule of the endpoint gives defaults
// for. Endpoints that use neither cost dispatch nothing.
func (a *App) refreshRedirects(endpoint string) {
	routes := a.endpoints[endpoint]
	for _, r := range routes {
		r.redirects = r.alias
		for _, d := range routes {
			if d.providesDefaultsFor(r) {
				r.redirects = true
			}
		}
	}
}

func (a *App) unindexEndpoint(r *Route) {
	list := a.endpoints[r.endpoint]
	for i, x := range list {
		if x == r {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(a.endpoints, r.endpoint)
	} else {
		a.endpoints[r.endpoint] = list
	}
	r.redirects = r.alias
	a.refreshRedirects(r.endpoint)
	delete(a.ambiguous, r.endpoint)
	for i := 1; i < len(list); i++ {
		if !list[i].sameHandler(list[0]) {
			a.ambiguous[r.endpoint] = true
		}
	}
}

// ServeHTTP makes App an http.Handler.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.handler == nil {
		a.dispatch(w, r)
		return
	}
	defer a.recoverOutside(w, r)
	a.handler.ServeHTTP(w, r)
}
