// This file holds routing: Flask rules registered on httprouter trees,
// method handling, endpoint names and URL building (URLFor).

package flasky

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/julienschmidt/httprouter"
)

// HandlerFunc handles a request. A returned error is turned into a response
// by the app's error handlers: an [HTTPError] keeps its status, any other
// error is a 500.
type HandlerFunc func(c *Ctx) error

// Route is one registered rule. Its methods adjust it after registration.
type Route struct {
	rule     *parsedRule
	endpoint string
	handler  HandlerFunc
	methods  methodSet
	group    *group
	funcPC   uintptr
	explicit bool         // endpoint named by the user
	autoOpts bool         // answers OPTIONS automatically
	mount    bool         // a mounted http.Handler: every method, empty rest allowed
	plain    bool         // every variable is a plain <name>: a quicker check
	limits   *routeLimits // body limits set on this route, or nil
}

// SetEndpoint sets the route's endpoint name (Flask's endpoint=), used by
// [App.URLFor] and the route listing. Inside a blueprint the blueprint's
// name is put in front ("admin.index"). It returns the route for chaining.
//
// Route's methods follow Go's getter and setter naming: Endpoint, Rule
// and Methods read; SetEndpoint and the SetMax... limits change the route
// and return it, so they chain after [App.Route].
func (r *Route) SetEndpoint(endpoint string) *Route {
	a := r.group.app
	a.unindexEndpoint(r)
	r.endpoint = r.group.qualify(endpoint)
	r.explicit = true
	a.indexEndpoint(r)
	return r
}

// Rule returns the rule as written, with the blueprint prefix.
func (r *Route) Rule() string { return r.rule.text }

// Endpoint returns the route's endpoint name.
func (r *Route) Endpoint() string { return r.endpoint }

// Methods returns the methods the route answers, sorted, HEAD and OPTIONS
// included when they are answered automatically.
func (r *Route) Methods() []string { return r.methods.list() }

// methodSet is a bit set of HTTP methods.
type methodSet uint16

const (
	mGet methodSet = 1 << iota
	mHead
	mPost
	mPut
	mDelete
	mPatch
	mOptions
	mConnect
	mTrace
	mOther // any method flasky does not name; only mounts accept it
)

var methodNames = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"}

func methodBit(m string) methodSet {
	switch m {
	case "GET":
		return mGet
	case "HEAD":
		return mHead
	case "POST":
		return mPost
	case "PUT":
		return mPut
	case "DELETE":
		return mDelete
	case "PATCH":
		return mPatch
	case "OPTIONS":
		return mOptions
	case "CONNECT":
		return mConnect
	case "TRACE":
		return mTrace
	}
	return mOther
}

func (s methodSet) list() []string {
	out := make([]string, 0, 4)
	for i, n := range methodNames {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// entry holds every route that shares one httprouter pattern, such as
// /user/<int:id> and /user/<name>, most specific first.
type entry struct {
	routes []*Route
	catch  int // index of the catch-all value to trim, or -1
}

// layer is one httprouter tree. Rules that httprouter cannot hold in the
// same tree (a static segment beside a variable, a variable beside a
// <path:>) go to the next layer, and matching picks the most specific.
type layer struct {
	router   *httprouter.Router
	patterns []string
	entries  []*entry
	prefix   string // static text every pattern starts with: a cheap skip
}

// table is the app's routing table.
type table struct {
	layers  []*layer
	entries map[string]*entry // by pattern
	routes  []*Route          // in registration order
}

// addToTree inserts a pattern into the first layer that accepts it.
func (t *table) addToTree(pattern string, e *entry) {
	for _, l := range t.layers {
		if l.tryAdd(pattern, e) {
			return
		}
	}
	l := &layer{router: newTree()}
	if !l.tryAdd(pattern, e) {
		// A pattern that fails alone was rejected by parseRule already;
		// reaching here is a bug in flasky, not in the user's rule.
		panic("flasky: internal error: httprouter refused pattern " + pattern)
	}
	t.layers = append(t.layers, l)
}

func newTree() *httprouter.Router {
	r := httprouter.New()
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = false
	r.HandleOPTIONS = false
	return r
}

// tryAdd inserts the pattern, or reports false and leaves the layer as it
// was. httprouter panics on a conflict, possibly after changing its tree,
// so a refused insert rebuilds the tree from the patterns it holds.
func (l *layer) tryAdd(pattern string, e *entry) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
			l.router = newTree()
			for i, p := range l.patterns {
				l.router.Handle(http.MethodGet, p, entryHandle(l.entries[i]))
			}
		}
	}()
	l.router.Handle(http.MethodGet, pattern, entryHandle(e))
	l.patterns = append(l.patterns, pattern)
	l.entries = append(l.entries, e)
	l.prefix = commonPrefix(l.patterns)
	return true
}

// commonPrefix is the static text that all patterns start with.
func commonPrefix(patterns []string) string {
	p := patterns[0]
	if i := strings.IndexAny(p, ":*"); i >= 0 {
		p = p[:i]
	}
	for _, q := range patterns[1:] {
		n := 0
		for n < len(p) && n < len(q) && p[n] == q[n] {
			n++
		}
		p = p[:n]
	}
	return p
}

// entryHandle is the httprouter handle of a pattern. It only tells the
// caller which entry matched; the request is served by App.dispatch.
func entryHandle(e *entry) httprouter.Handle {
	return func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
		w.(*responseWriter).ctx.hit = e
	}
}

// add registers a route, refusing one that is truly ambiguous with an
// existing route.
func (t *table) add(r *Route) error {
	pr := r.rule
	e := t.entries[pr.pattern]
	if e == nil {
		e = &entry{catch: pr.catch}
		if t.entries == nil {
			t.entries = map[string]*entry{}
		}
		t.entries[pr.pattern] = e
		t.addToTree(pr.pattern, e)
	}
	for _, old := range e.routes {
		if old.rule.sameShape(pr) && old.methods&r.methods&^(mHead|mOptions) != 0 {
			return fmt.Errorf("flasky: rule %q is ambiguous with rule %q: both match %q for %s",
				pr.text, old.rule.text, pr.examplePath(), strings.Join((old.methods&r.methods&^(mHead|mOptions)).list(), ", "))
		}
	}
	// Keep the most specific converters first; equal ones keep their order.
	i := len(e.routes)
	for i > 0 && convWeight(pr) < convWeight(e.routes[i-1].rule) {
		i--
	}
	e.routes = append(e.routes, nil)
	copy(e.routes[i+1:], e.routes[i:])
	e.routes[i] = r
	t.routes = append(t.routes, r)
	return nil
}

func convWeight(p *parsedRule) int {
	w := 0
	for _, v := range p.vars {
		w += v.conv.weight
	}
	return w
}

// match finds the route for path and method. On success c.route and
// c.params are set. Otherwise it returns the methods that the path does
// answer (for a 405), or 0 for a 404.
func (t *table) match(c *Ctx, path string, m methodSet) (found bool, allowed methodSet) {
	if len(t.layers) == 1 {
		return t.layers[0].match(c, path, m)
	}
	var best *Route
	var bestParams httprouter.Params
	for _, l := range t.layers {
		if !strings.HasPrefix(path, l.prefix) {
			continue // no pattern of this layer can match
		}
		ok, al := l.match(c, path, m)
		allowed |= al
		if ok && (best == nil || moreSpecific(c.route.rule, best.rule)) {
			best, bestParams = c.route, c.params
		}
	}
	if best == nil {
		c.route, c.params = nil, nil
		return false, allowed
	}
	c.route, c.params = best, bestParams
	return true, allowed
}

func (l *layer) match(c *Ctx, path string, m methodSet) (bool, methodSet) {
	h, ps, _ := l.router.Lookup(http.MethodGet, path)
	if h == nil {
		return false, 0
	}
	h(&c.rw, nil, nil)
	e := c.hit
	if e.catch >= 0 {
		ps[e.catch].Value = ps[e.catch].Value[1:] // httprouter keeps the '/'
	}
	var allowed methodSet
	for _, r := range e.routes {
		if !r.accepts(ps) {
			continue
		}
		if r.methods&m != 0 {
			c.route, c.params = r, ps
			return true, allowed | r.methods
		}
		allowed |= r.methods
	}
	return false, allowed
}

// accepts runs the route's converters over the matched values.
func (r *Route) accepts(ps httprouter.Params) bool {
	if r.plain {
		// Plain <name> variables: httprouter never puts a '/' in a
		// value, so only emptiness is left to check.
		for i := range ps {
			if ps[i].Value == "" {
				return false
			}
		}
		return true
	}
	vars := r.rule.vars
	for i := range vars {
		cv := vars[i].conv
		if r.mount && cv.name == "path" {
			continue
		}
		if !cv.match(cv, ps[i].Value) {
			return false
		}
	}
	return true
}

// handlerName is the default endpoint: the handler function's name, as
// Flask uses the view function's name. Function literals have no useful
// name, so their routes are named by their rule.
func handlerName(h HandlerFunc, rule string) (string, uintptr) {
	pc := reflect.ValueOf(h).Pointer()
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return rule, pc
	}
	name := fn.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i] // generic instantiation: pkg.handler[...]
	}
	name = name[strings.LastIndexByte(name, '/')+1:]
	name = strings.TrimSuffix(name, "-fm") // method value
	parts := strings.Split(name, ".")
	if len(parts) < 2 {
		return rule, pc
	}
	// parts[0] is the package. A function literal shows up as
	// Outer.func1 or Outer.func2.1.
	for _, p := range parts[2:] {
		if isClosureName(p) || isDigits(p) {
			return rule, pc
		}
	}
	last := parts[len(parts)-1]
	if isClosureName(last) || isDigits(last) || last == "" {
		return rule, pc
	}
	return last, pc
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isClosureName(s string) bool {
	return strings.HasPrefix(s, "func") && isDigits(s[4:])
}

// URLFor builds the URL of an endpoint, as Flask's url_for: the rule with
// its variables filled from params, percent-encoded, and any other params
// as a sorted query string. A missing variable, a value its converter
// would not accept, or an unknown or ambiguous endpoint is an error.
func (a *App) URLFor(endpoint string, params M) (string, error) {
	routes := a.endpoints[endpoint]
	if len(routes) == 0 {
		return "", fmt.Errorf("flasky: URLFor: no endpoint %q", endpoint)
	}
	if a.ambiguous[endpoint] {
		rules := make([]string, len(routes))
		for i, r := range routes {
			rules[i] = r.rule.text
		}
		return "", fmt.Errorf("flasky: URLFor: endpoint %q names different handlers (%s); give them distinct names with Route(...).Name", endpoint, strings.Join(rules, ", "))
	}
	// Like Werkzeug, try the rules with the most variables first, so
	// M{"page": 2} builds /x/2 rather than /x?page=2.
	routes = append([]*Route(nil), routes...)
	sort.SliceStable(routes, func(i, j int) bool { return len(routes[i].rule.vars) > len(routes[j].rule.vars) })
	var lastErr error
	for _, r := range routes {
		u, err := r.build(params)
		if err == nil {
			return u, nil
		}
		if lastErr == nil {
			lastErr = err
		}
	}
	return "", lastErr
}

// build fills the route's rule with params.
func (r *Route) build(params M) (string, error) {
	var b strings.Builder
	used := 0
	for _, part := range r.rule.parts {
		if part.v == nil {
			b.WriteString(escapePath(part.static, true))
			continue
		}
		v, ok := params[part.v.name]
		if !ok {
			return "", fmt.Errorf("flasky: URLFor(%q): missing value for <%s> in rule %q", r.endpoint, part.v.name, r.rule.text)
		}
		used++
		s, err := part.v.conv.toURL(v)
		if err != nil {
			return "", fmt.Errorf("flasky: URLFor(%q): <%s> in rule %q: %w", r.endpoint, part.v.name, r.rule.text, err)
		}
		b.WriteString(escapePath(s, part.v.conv.name == "path"))
	}
	if used < len(params) {
		q := url.Values{}
		for k, v := range params {
			if r.hasVar(k) {
				continue
			}
			q.Set(k, fmt.Sprint(v))
		}
		b.WriteByte('?')
		b.WriteString(q.Encode())
	}
	return b.String(), nil
}

func (r *Route) hasVar(name string) bool {
	for _, v := range r.rule.vars {
		if v.name == name {
			return true
		}
	}
	return false
}

// escapePath percent-encodes s for a URL path; '/' is kept only when
// keepSlash is set (static text and <path:> values).
func escapePath(s string, keepSlash bool) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isPathSafe(c) || (c == '/' && keepSlash) {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)+16), s[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}

// isPathSafe reports the bytes a path segment may hold unencoded
// (RFC 3986 unreserved and sub-delims, ':' and '@').
func isPathSafe(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	switch c {
	case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@':
		return true
	}
	return false
}

// RouteInfo describes one route for listings, like `flask routes`.
type RouteInfo struct {
	Endpoint string
	Methods  []string // without HEAD and OPTIONS, as flask routes shows them
	Rule     string
}

// Routes returns the route table sorted by endpoint, then rule.
func (a *App) Routes() []RouteInfo {
	out := make([]RouteInfo, 0, len(a.table.routes))
	for _, r := range a.table.routes {
		ms := r.methods &^ (mHead | mOptions)
		if r.mount {
			ms = 0
		}
		methods := ms.list()
		if r.mount {
			methods = []string{"*"}
		}
		out = append(out, RouteInfo{Endpoint: r.endpoint, Methods: methods, Rule: r.rule.text})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Endpoint != out[j].Endpoint {
			return out[i].Endpoint < out[j].Endpoint
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// PrintRoutes writes the route table as `flask routes` prints it.
func (a *App) PrintRoutes(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Endpoint\tMethods\tRule")
	fmt.Fprintln(tw, "--------\t-------\t----")
	for _, r := range a.Routes() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Endpoint, strings.Join(r.Methods, ", "), r.Rule)
	}
	_ = tw.Flush()
}
