// A blueprint shares its registration code with the App through group.

package flasky

import (
	"fmt"
	"net/http"
	"strings"
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
	routes        int         // how many were registered
	wraps         []Middleware
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

func (g *group) addRoute(rule string, h HandlerFunc, methods []string) (*Route, error) {
	if h == nil {
		return nil, fmt.Errorf("flasky: rule %q: handler is nil", rule)
	}
	full := rule
	if g.prefix != "" {
		// Flask joins prefix and rule with one '/': "bad" and "/bad" are
		// both /admin/bad, "" is /admin itself.
		full = g.prefix
		if rule != "" {
			full += "/" + strings.TrimLeft(rule, "/")
		}
	}
	pr, err := parseRuleConv(full, g.app.table.converters)
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
	if g.app.wrapNew != nil {
		g.app.wrapNew(r) // see Blueprint.Wrap
	}
	return r, nil
}

func (g *group) errorHandler(code int, fn ErrorHandlerFunc) {
	if g.handlers == nil {
		g.handlers = map[int]ErrorHandlerFunc{}
	}
	g.handlers[code] = fn
}

// Blueprint is a group of routes under a URL prefix with its own
// before/after hooks and error handlers, like a Flask blueprint. Create
// one with [App.Blueprint]. Its endpoints are named "name.endpoint".
type Blueprint struct {
	g *group
}

// Blueprint creates a blueprint whose rules are put under prefix (for
// example "/admin"; "" for none) and whose endpoints are called
// name + "." + endpoint.
func (a *App) Blueprint(name, prefix string) *Blueprint {
	prefix = strings.TrimSuffix(prefix, "/")
	return &Blueprint{g: &group{app: a, name: name, prefix: prefix}}
}

// Route registers a handler under the blueprint's prefix; see
// [App.Route].
func (b *Blueprint) Route(rule string, h HandlerFunc, methods ...string) *Route {
	r, err := b.g.addRoute(rule, h, methods)
	if err != nil {
		panic(err)
	}
	return r
}

// AddRoute is [Blueprint.Route] returning an error instead of panicking.
func (b *Blueprint) AddRoute(rule string, h HandlerFunc, methods ...string) (*Route, error) {
	return b.g.addRoute(rule, h, methods)
}

// BeforeRequest adds a hook that runs before every handler of this
// blueprint, after the app's own hooks. A hook that returns an error or
// writes a response ends the request there.
func (b *Blueprint) BeforeRequest(fn HandlerFunc) {
	b.g.before = append(b.g.before, fn)
	b.g.app.useHooks()
	b.g.app.hasBefore = true
}

// AfterRequest adds an after-request hook for the responses of this
// blueprint's routes; see [AfterFunc]. They run before the app's.
func (b *Blueprint) AfterRequest(fn AfterFunc) {
	b.g.after = append(b.g.after, fn)
	b.g.app.useHooks()
	b.g.app.hasAfter = true
}

// ErrorHandler answers errors with the given status raised by this
// blueprint's routes; unhandled codes fall back to the app's handlers.
func (b *Blueprint) ErrorHandler(code int, fn ErrorHandlerFunc) { b.g.errorHandler(code, fn) }

// Name returns the blueprint's name.
func (b *Blueprint) Name() string { return b.g.name }
