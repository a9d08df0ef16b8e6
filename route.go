package flasky

import (
	"fmt"
	"io"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
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
