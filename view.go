// Views: a value whose Get, Post, Put... methods answer one rule, as
// Flask's MethodView.

package flasky

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// The methods a view may have, one per HTTP method.
type (
	viewGet     interface{ Get(c *Ctx) error }
	viewHead    interface{ Head(c *Ctx) error }
	viewPost    interface{ Post(c *Ctx) error }
	viewPut     interface{ Put(c *Ctx) error }
	viewPatch   interface{ Patch(c *Ctx) error }
	viewDelete  interface{ Delete(c *Ctx) error }
	viewOptions interface{ Options(c *Ctx) error }
	// viewMiddleware is Flask's View.decorators.
	viewMiddleware interface{ Middleware() []Middleware }
)

// view holds a view value's methods, one handler per HTTP method.
type view struct {
	get, head, post, put, patch, del, options HandlerFunc
}

// serve calls the view's method for the request's method. A GET method
// also answers HEAD when the view has no Head.
func (v *view) serve(c *Ctx) error {
	var h HandlerFunc
	switch c.Request.Method {
	case http.MethodGet:
		h = v.get
	case http.MethodHead:
		h = v.head
		if h == nil {
			h = v.get
		}
	case http.MethodPost:
		h = v.post
	case http.MethodPut:
		h = v.put
	case http.MethodPatch:
		h = v.patch
	case http.MethodDelete:
		h = v.del
	case http.MethodOptions:
		h = v.options
	}
	if h == nil {
		// Middleware changed the method (a method override) to one the
		// view does not have.
		return Abort(http.StatusMethodNotAllowed)
	}
	return h(c)
}

// newView finds the methods of a view value and the HTTP methods they
// answer.
func newView(x any) (*view, methodSet) {
	v := &view{}
	if m, ok := x.(viewGet); ok {
		v.get = m.Get
	}
	if m, ok := x.(viewHead); ok {
		v.head = m.Head
	}
	if m, ok := x.(viewPost); ok {
		v.post = m.Post
	}
	if m, ok := x.(viewPut); ok {
		v.put = m.Put
	}
	if m, ok := x.(viewPatch); ok {
		v.patch = m.Patch
	}
	if m, ok := x.(viewDelete); ok {
		v.del = m.Delete
	}
	if m, ok := x.(viewOptions); ok {
		v.options = m.Options
	}
	var ms methodSet
	for _, f := range []struct {
		h HandlerFunc
		m methodSet
	}{{v.get, mGet | mHead}, {v.head, mHead}, {v.post, mPost}, {v.put, mPut}, {v.patch, mPatch}, {v.del, mDelete}, {v.options, mOptions}} {
		if f.h != nil {
			ms |= f.m
		}
	}
	return v, ms
}

// View registers a view: a value whose methods answer one rule, one
// method per HTTP method, as Flask's MethodView. Each of its methods Get,
// Post, Put, Patch, Delete, Head and Options that has the type
// func(*flasky.Ctx) error answers the HTTP method of its name; Get also
// answers HEAD when the view has no Head, and OPTIONS is answered
// automatically when it has no Options (see [Route.SetAutomaticOptions]).
// Any other method is a 405. Methods promoted from an embedded type
// count, so a view extends another by embedding it:
//
//	type UserAPI struct{ db *sql.DB }
//
//	func (u *UserAPI) Get(c *flasky.Ctx) error    { ... }
//	func (u *UserAPI) Delete(c *flasky.Ctx) error { ... }
//
//	app.View("/users/<int:id>", &UserAPI{db: db})
//
// Given methods, the route answers only those ("GET" alone, say, where
// another rule of the view takes the rest); each must be one the view
// has.
//
// The endpoint is the name of the value's Go type ("UserAPI"; the
// blueprint's name in front for [Blueprint.View]), or the rule for a
// type without a name; [Route.SetEndpoint] changes it. Rules registered
// with values of one type are one endpoint, as rules of one function
// are.
//
// When the value has a method Middleware() []flasky.Middleware (Flask's
// View.decorators), the middleware it returns wraps every method, the
// first the outermost; [Route.Wrap] adds more around it.
//
// One value serves every request, concurrently, as an http.Handler
// does: its fields are shared, so they should be read-only or safe for
// concurrent use (a *sql.DB, a template set, a mutex-guarded cache).
// Flask makes a new view instance per request; in flasky what belongs to
// one request lives in the method's variables, or in c.Set for hooks and
// templates:
//
//	func (u *UserAPI) Post(c *flasky.Ctx) error {
//		var form UserForm // this request's own
//		if err := c.Bind(&form); err != nil {
//			return err
//		}
//		...
//	}
//
// View panics when the value has none of the methods, when a method given
// is not one of the view's, or as [App.Route] does; [App.AddView] returns
// the error instead.
func (a *App) View(rule string, v any, methods ...string) *Route {
	r, err := a.root.addView(rule, v, methods)
	if err != nil {
		panic(err)
	}
	return r
}

// AddView is [App.View] returning an error instead of panicking.
func (a *App) AddView(rule string, v any, methods ...string) (*Route, error) {
	return a.root.addView(rule, v, methods)
}

// View registers a view under the blueprint's prefix; see [App.View].
// Its endpoint is the blueprint's name, a dot and the type's name
// ("admin.UserAPI").
func (b *Blueprint) View(rule string, v any, methods ...string) *Route {
	r, err := b.AddView(rule, v, methods...)
	if err != nil {
		panic(err)
	}
	return r
}

// AddView is [Blueprint.View] returning an error instead of panicking.
func (b *Blueprint) AddView(rule string, v any, methods ...string) (*Route, error) {
	return b.addTo(rule, nil, func(g *group) (*Route, error) { return g.addView(rule, v, methods) })
}

func (g *group) addView(rule string, v any, methods []string) (*Route, error) {
	if v == nil {
		return nil, fmt.Errorf("flasky: View(%q): the view is nil", rule)
	}
	vw, has := newView(v)
	if has == 0 {
		hint := ""
		t := reflect.TypeOf(v)
		if t.Kind() != reflect.Pointer {
			if _, ms := newView(reflect.New(t).Interface()); ms != 0 {
				hint = fmt.Sprintf(" (its methods are on *%s: pass a pointer, &%s{...})", t, t)
			}
		}
		return nil, fmt.Errorf("flasky: View(%q): %T has none of the methods Get, Post, Put, Patch, Delete, Head, Options of type func(*flasky.Ctx) error%s", rule, v, hint)
	}
	if len(methods) == 0 {
		methods = has.list()
	}
	for _, m := range methods {
		b := methodBit(strings.ToUpper(m))
		if b&has == 0 && b != mOther { // addRoute names an unknown method
			return nil, fmt.Errorf("flasky: View(%q): %T has no method for %s", rule, v, strings.ToUpper(m))
		}
	}
	var h HandlerFunc = vw.serve
	if m, ok := v.(viewMiddleware); ok {
		mws := m.Middleware()
		for i := len(mws) - 1; i >= 0; i-- {
			if mws[i] == nil {
				return nil, fmt.Errorf("flasky: View(%q): %T.Middleware returned a nil Middleware", rule, v)
			}
			h = mws[i](h)
		}
	}
	r, err := g.addRoute(rule, h, methods)
	if err != nil {
		return nil, err
	}
	t := reflect.TypeOf(v)
	name := viewName(t)
	if name == "" {
		name = r.rule.text
	}
	a := g.app
	a.unindexEndpoint(r)
	r.endpoint, r.funcPC, r.view = g.qualify(name), 0, t
	a.indexEndpoint(r)
	return r, nil
}

// viewName is the name of a view's type, without pointers and type
// arguments: "UserAPI" for *UserAPI and Page[int]'s "Page".
func viewName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return name
}
