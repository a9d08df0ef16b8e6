// Rules registered by endpoint name, apart from their handler, as
// Flask's add_url_rule(rule, endpoint=...) and @app.endpoint.

package flasky

import (
	"fmt"
	"reflect"
)

// AddURLRule registers rule for an endpoint named apart from the
// handler, as Flask's app.add_url_rule(rule, endpoint, view_func). With a
// handler it is [App.AddRoute] followed by [Route.SetEndpoint]. With a
// nil handler the rule takes the endpoint's handler: the one given to
// [App.Endpoint], or that of another rule of the endpoint; until there is
// one, a request the rule matches is a 500 that says so. "" as the
// endpoint names it after the handler, as Route does.
//
// A rule with a nil handler whose twin (a rule matching the same paths
// for the same methods) is already registered is built but never
// matched ([Route.SetBuildOnly]): the twin answers, as Werkzeug lets
// the first rule win. Flask's tutorial does this to give the blog's
// index a second name:
//
//	bp.Route("/", index)                  // blog.index answers /
//	app.AddURLRule("/", "index", nil)     // url_for("index") is / too
//
// Twins with two handlers are refused, as [App.Route] refuses them. An
// endpoint names one handler: a handler other than the one the endpoint
// already has is an error, as Flask asserts.
func (a *App) AddURLRule(rule, endpoint string, h HandlerFunc, methods ...string) (*Route, error) {
	return a.root.addURLRule(rule, endpoint, h, methods)
}

// URLRule is [App.AddURLRule] panicking instead of returning an error,
// as [App.Route] does: app.URLRule("/", "index", nil) is Flask's
// app.add_url_rule("/", endpoint="index").
func (a *App) URLRule(rule, endpoint string, h HandlerFunc, methods ...string) *Route {
	r, err := a.AddURLRule(rule, endpoint, h, methods...)
	if err != nil {
		panic(err)
	}
	return r
}

// URLRule is [Blueprint.AddURLRule] panicking instead of returning an
// error.
func (b *Blueprint) URLRule(rule, endpoint string, h HandlerFunc, methods ...string) *Route {
	r, err := b.AddURLRule(rule, endpoint, h, methods...)
	if err != nil {
		panic(err)
	}
	return r
}

// AddURLRule registers a rule under the blueprint's prefix for one of
// its endpoints (qualified with the blueprint's name); see
// [App.AddURLRule].
func (b *Blueprint) AddURLRule(rule, endpoint string, h HandlerFunc, methods ...string) (*Route, error) {
	return b.addTo(rule, h, func(g *group) (*Route, error) { return g.addURLRule(rule, endpoint, h, methods) })
}

// Endpoint gives an endpoint its handler, as Flask's @app.endpoint(name):
// rules registered for it with [App.AddURLRule] and a nil handler, before
// or after this call, run h. It panics when the endpoint already has
// another handler.
func (a *App) Endpoint(name string, h HandlerFunc) { a.root.setEndpoint(name, h) }

// Endpoint gives one of the blueprint's endpoints (qualified with its
// name) its handler; see [App.Endpoint].
func (b *Blueprint) Endpoint(name string, h HandlerFunc) {
	b.record(func(g *group) { g.setEndpoint(name, h) })
}

func (g *group) addURLRule(rule, endpoint string, h HandlerFunc, methods []string) (*Route, error) {
	if endpoint == "" {
		if h == nil {
			return nil, fmt.Errorf("flasky: AddURLRule(%q): no endpoint and no handler: give one or both", rule)
		}
		return g.addRoute(rule, h, methods)
	}
	a := g.app
	name := g.qualify(endpoint)
	src := a.endpointSource(name)
	if h != nil {
		pc := reflect.ValueOf(h).Pointer()
		if src != nil && (src.view != nil || src.funcPC != pc) {
			return nil, fmt.Errorf("flasky: AddURLRule(%q): endpoint %q already has another handler (rule %q); give this one another endpoint", rule, name, src.rule.text)
		}
		if fn := a.endpointFns[name]; src == nil && fn != nil && reflect.ValueOf(fn).Pointer() != pc {
			return nil, fmt.Errorf("flasky: AddURLRule(%q): endpoint %q already has another handler, given to Endpoint; give this one another endpoint", rule, name)
		}
	}
	fromSrc := h == nil && src != nil
	switch {
	case h != nil:
	case src != nil:
		h = src.handlerOf()
	case a.endpointFns[name] != nil:
		h = a.endpointFns[name]
	default:
		h = unresolved // see table.add for its twin
		a.adopt = adoptHandler
	}
	r, err := g.addRoute(rule, h, methods)
	if err != nil {
		return nil, err
	}
	a.unindexEndpoint(r)
	r.endpoint, r.explicit = name, true
	if fromSrc {
		r.funcPC, r.view = src.funcPC, src.view
	}
	a.indexEndpoint(r) // a handler given: the endpoint's rules without one take it

	return r, nil
}

// endpointSource returns a rule of the endpoint that has a handler, or
// nil.
func (a *App) endpointSource(name string) *Route {
	for _, r := range a.endpoints[name] {
		if !r.unresolved() {
			return r
		}
	}
	return nil
}

func (g *group) setEndpoint(name string, h HandlerFunc) {
	if h == nil {
		panic(fmt.Sprintf("flasky: Endpoint(%q): the handler is nil", name))
	}
	a := g.app
	name = g.qualify(name)
	pc := reflect.ValueOf(h).Pointer()
	if src := a.endpointSource(name); src != nil && (src.view != nil || src.funcPC != pc) {
		panic(fmt.Sprintf("flasky: Endpoint(%q): the endpoint already has another handler (rule %q)", name, src.rule.text))
	}
	if fn := a.endpointFns[name]; fn != nil && reflect.ValueOf(fn).Pointer() != pc {
		panic(fmt.Sprintf("flasky: Endpoint(%q): the endpoint already has another handler, given to Endpoint before", name))
	}
	if a.endpointFns == nil {
		a.endpointFns = map[string]HandlerFunc{}
	}
	a.endpointFns[name] = h
	list := a.endpoints[name]
	for _, r := range list {
		if r.unresolved() {
			r.setHandler(h)
			r.funcPC = pc
		}
	}
	delete(a.ambiguous, name)
	for _, r := range list {
		if !r.sameHandler(list[0]) {
			a.ambiguous[name] = true
		}
	}
}

// adoptHandler runs when a rule is indexed under its endpoint, once
// AddURLRule has registered a rule without a handler: a rule without one
// takes the endpoint's handler, and a rule with one gives it to those of
// its endpoint without one, as Flask's view_functions serves every rule
// of an endpoint.
func adoptHandler(a *App, r *Route) {
	if !r.unresolved() {
		for _, o := range a.endpoints[r.endpoint] {
			if o.unresolved() {
				o.adopt(r.handlerOf(), r.funcPC, r.view)
			}
		}
		return
	}
	if !r.explicit {
		return // registered, not yet named for its endpoint
	}
	if src := a.endpointSource(r.endpoint); src != nil {
		r.adopt(src.handlerOf(), src.funcPC, src.view)
	} else if fn := a.endpointFns[r.endpoint]; fn != nil {
		r.adopt(fn, reflect.ValueOf(fn).Pointer(), nil)
	}
}

// adopt gives a rule registered without a handler its endpoint's.
func (r *Route) adopt(h HandlerFunc, pc uintptr, view reflect.Type) {
	r.setHandler(h)
	r.funcPC, r.view = pc, view
}

// setHandler gives the route a new handler inside its middleware.
func (r *Route) setHandler(h HandlerFunc) {
	if r.wrap == nil {
		r.handler = h
		return
	}
	r.wrap.inner = h
	r.rewrap()
}

// handlerOf is the route's handler inside its middleware.
func (r *Route) handlerOf() HandlerFunc {
	if r.wrap != nil {
		return r.wrap.inner
	}
	return r.handler
}

// unresolved is the handler of a rule that AddURLRule registered with
// no handler while its endpoint had none: Flask fails such a request
// the same way (its view_functions has no entry).
func unresolved(c *Ctx) error {
	return fmt.Errorf("flasky: rule %q: endpoint %q has no handler: give it one with App.Endpoint", c.route.rule.text, c.route.endpoint)
}

// unresolved reports whether the route's handler is still to be given
// with Endpoint.
func (r *Route) unresolved() bool { return r.funcPC == unresolvedPC() }

func unresolvedPC() uintptr { return reflect.ValueOf(HandlerFunc(unresolved)).Pointer() }
