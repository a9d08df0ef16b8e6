// A blueprint shares its registration code with the App through group.

package flasky

import (
	"cmp"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
)

// ErrorHandlerFunc answers an error with a response, like a function
// registered with Flask's errorhandler. e.Err holds the cause of a 500.
// Returning an error hands it to the default error page.
type ErrorHandlerFunc func(c *Ctx, e *HTTPError) error

// group is what an App and a Blueprint share: a prefix, hooks and error
// handlers.
type group struct {
	app      *App
	name     string // "" for the app itself
	prefix   string
	parent   *group // the blueprint it is nested in; nil at the top
	before   []HandlerFunc
	after    []AfterFunc
	teardown []TeardownFunc
	handlers map[int]ErrorHandlerFunc
	typed    []typedHandler // OnError, the most specific first

	preprocessors []func(c *Ctx)
	urlDefaults   []URLDefaultsFunc
	domain        *domainSpec // the subdomain or host of its rules, or nil
	defaultValues M           // BlueprintOptions.URLDefaults, with the parents'
	// onRoute runs on each route added, set by what needs it (the
	// defaults above): addRoute, in every program, links nothing more.
	onRoute func(r *Route)

	routes int // how many were registered
	wraps  []Middleware
}

// table is where the group's rules live: the app's own, or that of their
// subdomain or host.
func (g *group) table() *table {
	if g.domain == nil {
		return &g.app.table
	}
	return g.domain.tbl
}

func (g *group) qualify(endpoint string) string {
	if g.name == "" || strings.HasPrefix(endpoint, g.name+".") {
		return endpoint
	}
	return g.name + "." + endpoint
}

// checkEndpoint refuses a blueprint route's endpoint name with a dot of
// its own, as Flask does: the dot separates blueprint and endpoint.
func (g *group) checkEndpoint(endpoint string) error {
	if g.name == "" {
		return nil
	}
	if strings.Contains(strings.TrimPrefix(endpoint, g.name+"."), ".") {
		return fmt.Errorf("flasky: blueprint %q: endpoint %q may not contain a dot: it separates blueprint and endpoint names", g.name, endpoint)
	}
	return nil
}

func (g *group) addRoute(rule string, h HandlerFunc, methods []string) (*Route, error) {
	if h == nil {
		return nil, fmt.Errorf("flasky: rule %q: handler is nil", rule)
	}
	full := joinPrefix(g.prefix, rule)
	pr, err := parseRuleConv(full, g.app.table.converters, g.app.MergeSlashes())
	if err != nil {
		return nil, err
	}
	if g.domain != nil {
		for _, dv := range g.domain.rule.vars {
			for _, v := range pr.vars {
				if v.name == dv.name {
					return nil, fmt.Errorf("flasky: rule %q: variable %q is also a variable of its %s %q", full, v.name, domainWord(g.app.domains.hostMatching), g.domain.text)
				}
			}
		}
	}
	var ms methodSet
	if len(methods) == 0 {
		methods = []string{http.MethodGet}
	}
	for _, m := range methods {
		b := methodBit(strings.ToUpper(m))
		if b == mOther {
			return nil, fmt.Errorf("flasky: rule %q: unknown method %q", full, m)
		}
		ms |= b
	}
	r := &Route{rule: pr, handler: h, group: g, plain: true}
	for _, v := range pr.vars {
		if v.spec != "string" {
			r.plain = false
		}
	}
	if ms&mGet != 0 {
		ms |= mHead
	}
	if ms&mOptions == 0 {
		r.autoOpts = true
		ms |= mOptions
	}
	r.methods = ms
	name, pc := handlerName(h, full)
	r.endpoint, r.funcPC = g.qualify(name), pc
	if err := g.table().add(r); err != nil {
		return nil, err
	}
	if g.domain != nil {
		g.app.domains.routes = append(g.app.domains.routes, r)
	}
	g.routes++
	g.app.indexEndpoint(r)
	if g.onRoute != nil {
		g.onRoute(r)
	}
	if g.app.wrapNew != nil {
		g.app.wrapNew(r) // see Blueprint.Wrap
	}
	return r, nil
}

// addTyped adds an OnError handler, keeping the most specific first.
func (g *group) addTyped(h typedHandler) {
	g.app.useHooks()
	i := len(g.typed)
	for i > 0 && g.typed[i-1].rank > h.rank {
		i--
	}
	g.typed = slices.Insert(g.typed, i, h)
}

func (g *group) errorHandler(code int, fn ErrorHandlerFunc) {
	if g.handlers == nil {
		g.handlers = map[int]ErrorHandlerFunc{}
	}
	g.handlers[code] = fn
}

// Blueprint is a set of routes, hooks and error handlers that is
// registered on an app, like a Flask blueprint: once or several times
// under different names and prefixes ([App.RegisterBlueprint]), or inside
// another blueprint ([Blueprint.RegisterBlueprint]), whose prefix,
// subdomain, hooks and error handlers its routes then share. Its
// endpoints are called "name.endpoint" ("parent.child.endpoint" when
// nested). [App.Blueprint] makes one and registers it at once.
//
// What is added to a blueprint (routes, hooks, error handlers, nested
// blueprints) applies to every registration of it, past and future.
type Blueprint struct {
	name, prefix string
	sub          string // SetSubdomain's pattern, or SetHost's with host set
	subSet, host bool
	mu           sync.Mutex       // guards defs and regs: apps made at once may register one blueprint
	defs         []func(g *group) // what was added, replayed on each registration
	regs         []*group         // its registrations
	anon         bool             // App.Subdomain's and App.Host's registrars: no name
}

// BlueprintOptions change how a blueprint is registered, as the keyword
// arguments of Flask's register_blueprint. Empty fields keep the
// blueprint's own values.
type BlueprintOptions struct {
	// Name replaces the blueprint's name for this registration, so one
	// blueprint can be registered twice: its endpoints become
	// "Name.endpoint".
	Name string
	// URLPrefix replaces the blueprint's prefix.
	URLPrefix string
	// Subdomain puts this registration's rules on a subdomain (see
	// [App.Subdomain]); nested, it is joined in front of the parent's.
	Subdomain string
	// URLDefaults are rule defaults (see [Route.SetDefaults]) for every
	// route of this registration, Flask's url_defaults=: the handlers of
	// a blueprint registered under /1 with {"bar": 23} read
	// c.Param("bar") = "23". A route's own defaults win; a key that is a
	// variable of the route's rule is left to the rule.
	URLDefaults M
}

// NewBlueprint makes a blueprint whose rules go under prefix ("/admin";
// "" for none) and whose endpoints are called name + "." + endpoint. It
// panics when the name is empty or holds a '.', which Flask refuses too.
// Register it with [App.RegisterBlueprint].
func NewBlueprint(name, prefix string) *Blueprint {
	if err := checkBlueprintName(name); err != nil {
		panic(err)
	}
	return &Blueprint{name: name, prefix: prefix}
}

func checkBlueprintName(name string) error {
	if name == "" {
		return fmt.Errorf("flasky: a blueprint's name may not be empty")
	}
	if strings.Contains(name, ".") {
		return fmt.Errorf("flasky: blueprint name %q may not contain a dot: it separates blueprint and endpoint names", name)
	}
	return nil
}

// Blueprint makes a blueprint and registers it on the app at once:
// app.Blueprint("admin", "/admin") is Flask's Blueprint("admin", ...,
// url_prefix="/admin") followed by register_blueprint.
func (a *App) Blueprint(name, prefix string) *Blueprint {
	b := NewBlueprint(name, prefix)
	a.RegisterBlueprint(b)
	return b
}

// RegisterBlueprint registers b on the app, as Flask's
// register_blueprint: its routes, hooks and error handlers, and those
// added to it later. Registering one blueprint twice takes a different
// Name in opts (Flask asks for name= too). It panics when the name is
// taken, invalid, or a rule of b cannot be registered.
func (a *App) RegisterBlueprint(b *Blueprint, opts ...BlueprintOptions) {
	if err := a.registerBlueprint(nil, b, opts); err != nil {
		panic(err)
	}
}

// RegisterBlueprint nests child in b: wherever b is registered, child
// is registered inside it, with b's prefix and subdomain in front of its
// own, b's hooks and error handlers around its own, and endpoints named
// "b.child.endpoint".
func (b *Blueprint) RegisterBlueprint(child *Blueprint, opts ...BlueprintOptions) {
	if child == b {
		panic(fmt.Sprintf("flasky: blueprint %q cannot be registered in itself", b.name))
	}
	b.record(func(g *group) {
		if err := g.app.registerBlueprint(g, child, opts); err != nil {
			panic(err)
		}
	})
}

func (a *App) registerBlueprint(parent *group, b *Blueprint, opts []BlueprintOptions) error {
	var o BlueprintOptions
	if len(opts) > 1 {
		return fmt.Errorf("flasky: registering blueprint %q: %d BlueprintOptions given, want at most one", b.name, len(opts))
	}
	if len(opts) == 1 {
		o = opts[0]
	}
	name := b.name
	if o.Name != "" {
		if err := checkBlueprintName(o.Name); err != nil {
			return err
		}
		name = o.Name
	}
	prefix := b.prefix
	if o.URLPrefix != "" {
		prefix = o.URLPrefix
	}
	sub, host, hasDomain := b.sub, b.host, b.subSet
	if o.Subdomain != "" {
		sub, host, hasDomain = o.Subdomain, false, true
	}
	if parent != nil {
		name = parent.name + "." + name
		switch {
		case parent.prefix != "" && prefix != "":
			prefix = strings.TrimRight(parent.prefix, "/") + "/" + strings.TrimLeft(prefix, "/")
		case prefix == "":
			prefix = parent.prefix
		}
		if parent.domain != nil && !host && !parent.app.domains.hostMatching {
			if hasDomain {
				sub = sub + "." + parent.domain.text
			} else {
				sub, hasDomain = parent.domain.text, true
			}
		} else if parent.domain != nil && !hasDomain {
			sub, host, hasDomain = parent.domain.text, true, true
		}
	}
	if old, ok := a.blueprints[name]; ok {
		if old == b {
			return fmt.Errorf("flasky: blueprint %q is registered already; give this registration another name with BlueprintOptions{Name: ...}", name)
		}
		return fmt.Errorf("flasky: another blueprint is registered as %q already; blueprint names must be unique", name)
	}
	if a.blueprints == nil {
		a.blueprints = map[string]*Blueprint{}
	}
	a.blueprints[name] = b
	g := &group{app: a, name: name, prefix: prefix, parent: parent}
	if parent != nil && len(parent.defaultValues) > 0 || len(o.URLDefaults) > 0 {
		g.defaultValues = M{}
		if parent != nil {
			maps.Copy(g.defaultValues, parent.defaultValues)
		}
		maps.Copy(g.defaultValues, o.URLDefaults)
		g.onRoute = func(r *Route) { r.setDefaults(nil) }
	}
	if hasDomain {
		call := "Blueprint.SetSubdomain"
		if host {
			call = "Blueprint.SetHost"
		}
		g.domain = a.mustDomain(call, sub, host)
	}
	b.mu.Lock()
	b.regs = append(b.regs, g)
	defs := slices.Clone(b.defs)
	b.mu.Unlock()
	return replay(defs, g)
}

// replay runs what was added to b on its new registration g; a rule that
// cannot be registered there is returned as the error.
func replay(defs []func(g *group), g *group) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if e, ok := v.(error); ok {
				err = e
				return
			}
			panic(v)
		}
	}()
	for _, def := range defs {
		def(g)
	}
	return nil
}

// record adds what fn registers to every registration of b, and keeps it
// for later ones.
func (b *Blueprint) record(fn func(g *group)) {
	b.mu.Lock()
	if !b.anon {
		b.defs = append(b.defs, fn)
	}
	regs := slices.Clone(b.regs)
	b.mu.Unlock()
	for _, g := range regs {
		fn(g)
	}
}

// Route registers a handler under the blueprint's prefix; see
// [App.Route]. It panics when the rule is invalid or ambiguous in a
// registration. The route returned is the first registration's; its
// setters apply to the route in every registration. On a blueprint not
// registered yet, it is a placeholder whose setters are applied when the
// blueprint is registered.
func (b *Blueprint) Route(rule string, h HandlerFunc, methods ...string) *Route {
	r, err := b.AddRoute(rule, h, methods...)
	if err != nil {
		panic(err)
	}
	return r
}

// AddRoute is [Blueprint.Route] returning an error instead of panicking.
// On a blueprint not registered yet, errors in the rule show when it is
// registered.
func (b *Blueprint) AddRoute(rule string, h HandlerFunc, methods ...string) (*Route, error) {
	if h == nil {
		return nil, fmt.Errorf("flasky: blueprint %q, rule %q: handler is nil", b.name, rule)
	}
	return b.addTo(rule, h, func(g *group) (*Route, error) { return g.addRoute(rule, h, methods) })
}

// addTo makes a route in every registration of b with add, now and
// later, tied by one routeTemplate. Errors in registrations that exist
// now are returned; on a blueprint not registered yet the route is a
// placeholder (named after h, or the rule when h is nil).
func (b *Blueprint) addTo(rule string, h HandlerFunc, add func(g *group) (*Route, error)) (*Route, error) {
	t := &routeTemplate{bp: b}
	var first *Route
	var firstErr error
	now := true // registering in the registrations that exist: errors are returned
	b.record(func(g *group) {
		r, err := add(g)
		if err != nil {
			if now {
				firstErr = cmp.Or(firstErr, err)
				return
			}
			panic(err)
		}
		r.tmpl = t
		t.mu.Lock()
		ops := slices.Clone(t.ops)
		t.routes = append(t.routes, r)
		t.mu.Unlock()
		for _, op := range ops {
			op(r)
		}
		if now && first == nil {
			first = r
		}
	})
	now = false
	if firstErr != nil {
		if !b.anon {
			b.mu.Lock()
			b.defs = b.defs[:len(b.defs)-1] // not kept for later registrations
			b.mu.Unlock()
		}
		return nil, firstErr
	}
	if first != nil {
		return first, nil
	}
	// Not registered yet: a placeholder that records its setters.
	name, pc := rule, uintptr(0)
	if h != nil {
		name, pc = handlerName(h, rule)
	}
	return &Route{rule: &parsedRule{text: joinPrefix(b.prefix, rule)}, endpoint: b.name + "." + name, funcPC: pc, handler: h, tmpl: t, placeholder: true}, nil
}

// routeTemplate ties the routes one Blueprint.Route call made in each
// registration, so that a setter called on one reaches all, and later
// registrations get what was set.
type routeTemplate struct {
	bp     *Blueprint
	mu     sync.Mutex // guards routes and ops: registrations may run at once
	routes []*Route
	ops    []func(r *Route)
}

// each applies a setter to r, or, for a blueprint's route, to the route
// in every registration, now and later.
func (r *Route) each(op func(x *Route)) *Route {
	if r.tmpl == nil {
		op(r)
		return r
	}
	t := r.tmpl
	t.mu.Lock()
	t.ops = append(t.ops, op)
	routes := slices.Clone(t.routes)
	t.mu.Unlock()
	for _, x := range routes {
		op(x)
	}
	return r
}

// joinPrefix joins a blueprint prefix and a rule as Flask does: one '/'
// between them ("/admin" and "x" or "/x" give /admin/x, "/foo//" and
// "/bar" give /foo/bar), and an empty rule is the prefix itself ("/foo/"
// stays /foo/).
func joinPrefix(prefix, rule string) string {
	if prefix == "" {
		return rule
	}
	if rule == "" {
		return prefix
	}
	return strings.TrimRight(prefix, "/") + "/" + strings.TrimLeft(rule, "/")
}

// BeforeRequest adds a hook that runs before every handler of this
// blueprint, after the app's own hooks (and an enclosing blueprint's). A
// hook that returns an error or writes a response ends the request there.
func (b *Blueprint) BeforeRequest(fn HandlerFunc) {
	b.record(func(g *group) {
		g.before = append(g.before, fn)
		g.app.useHooks()
		g.app.hasBefore = true
	})
}

// AfterRequest adds an after-request hook for the responses of this
// blueprint's routes; see [AfterFunc]. They run before the app's.
func (b *Blueprint) AfterRequest(fn AfterFunc) {
	b.record(func(g *group) {
		g.after = append(g.after, fn)
		g.app.useHooks()
		g.app.hasAfter = true
	})
}

// ErrorHandler answers errors with the given status raised by this
// blueprint's routes; unhandled codes fall back to an enclosing
// blueprint's handlers, then the app's.
func (b *Blueprint) ErrorHandler(code int, fn ErrorHandlerFunc) {
	b.record(func(g *group) { g.errorHandler(code, fn) })
}

// BeforeAppRequest adds a before hook for every request of the app, as
// Flask's before_app_request: a blueprint that needs the logged-in user
// everywhere loads it itself.
func (b *Blueprint) BeforeAppRequest(fn HandlerFunc) {
	b.record(func(g *group) { g.app.BeforeRequest(fn) })
}

// AfterAppRequest adds an after hook for every response of the app
// (Flask's after_app_request).
func (b *Blueprint) AfterAppRequest(fn AfterFunc) {
	b.record(func(g *group) { g.app.AfterRequest(fn) })
}

// TeardownAppRequest adds a teardown hook for every request of the app
// (Flask's teardown_app_request).
func (b *Blueprint) TeardownAppRequest(fn TeardownFunc) {
	b.record(func(g *group) { g.app.Teardown(fn) })
}

// AppErrorHandler sets the app's handler for a status (Flask's
// app_errorhandler); [Blueprint.AppWide] does it for error types.
func (b *Blueprint) AppErrorHandler(code int, fn ErrorHandlerFunc) {
	b.record(func(g *group) { g.app.ErrorHandler(code, fn) })
}

// AppURLValuePreprocessor adds a URL value preprocessor for every
// request of the app (Flask's app_url_value_preprocessor).
func (b *Blueprint) AppURLValuePreprocessor(fn func(c *Ctx)) {
	b.record(func(g *group) { g.app.URLValuePreprocessor(fn) })
}

// AppURLDefaults adds a URLDefaultsFunc for every URL the app builds
// (Flask's app_url_defaults).
func (b *Blueprint) AppURLDefaults(fn URLDefaultsFunc) {
	b.record(func(g *group) { g.app.URLDefaults(fn) })
}

// AppTemplateFuncs adds functions that every template of the app can
// call once the blueprint is registered, as [App.TemplateFuncs] does:
// Flask's app_template_filter, add_app_template_filter,
// app_template_test, add_app_template_test, app_template_global and
// add_app_template_global, which all register a function under a name
// (here the map's key). A Jinja filter value|f is {{.value | f}}, a test
// `value is f` is {{if f .value}}, a global f() is {{f}}. Like Flask's,
// they are app-wide, not limited to the blueprint's pages.
func (b *Blueprint) AppTemplateFuncs(funcs template.FuncMap) {
	b.record(func(g *group) { g.app.TemplateFuncs(funcs) })
}

// AppWide returns where [OnError] registers handlers for the whole app
// from this blueprint: flasky.OnError(bp.AppWide(), fn) is Flask's
// app_errorhandler(MyError).
func (b *Blueprint) AppWide() ErrorHandlers { return appWide{b} }

type appWide struct{ b *Blueprint }

func (w appWide) addTyped(h typedHandler) {
	w.b.record(func(g *group) { g.app.root.addTyped(h) })
}

// SetStaticFolder serves the files of folder (a path in the app's
// files, such as "admin/static") under the blueprint's prefix at urlPath
// + "/<path:filename>", with the endpoint "name.static", as Flask's
// Blueprint(static_folder=..., static_url_path=...). An empty urlPath is
// "/" and the folder's last element ("/static"). Files are served as the
// app's static/ folder is, and nothing outside the folder ever is. It
// returns the blueprint.
func (b *Blueprint) SetStaticFolder(folder, urlPath string) *Blueprint {
	folder = strings.Trim(path.Clean("/"+folder), "/")
	if urlPath == "" {
		urlPath = "/" + path.Base(folder)
	}
	serve := func(c *Ctx) error { return c.app.serveFolder(c, folder) }
	b.record(func(g *group) {
		r, err := g.addRoute(strings.TrimRight(urlPath, "/")+"/<path:filename>", serve, nil)
		if err != nil {
			panic(err)
		}
		r.SetEndpoint("static")
	})
	return b
}

// SetTemplateFolder adds folder (a path in the app's files, such as
// "admin/templates") to where Render looks for templates, after the
// app's templates/ and the folders of blueprints registered before, as
// Flask's Blueprint(template_folder=...). It returns the blueprint.
func (b *Blueprint) SetTemplateFolder(folder string) *Blueprint {
	folder = strings.Trim(path.Clean("/"+folder), "/")
	b.record(func(g *group) {
		ts := g.app.templates()
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if !slices.Contains(ts.dirs, folder) {
			ts.dirs = append(ts.dirs, folder)
			ts.pages = map[string]*pageSet{}
		}
	})
	return b
}

// Name returns the blueprint's name.
func (b *Blueprint) Name() string { return b.name }

// Prefix returns the blueprint's URL prefix.
func (b *Blueprint) Prefix() string { return b.prefix }
