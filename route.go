package flasky

import (
	"fmt"
	"io"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
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

	defaults  []ruleDefault // SetDefaults, in key order
	alias     bool          // SetAlias: redirects to the endpoint's canonical rule
	buildOnly bool          // SetBuildOnly: never matched; declared holds its methods
	declared  methodSet     // the methods of a build-only route
	strict    slashSetting  // SetStrictSlashes, or unset: the app's
	merge     slashSetting  // SetMergeSlashes, or unset: the app's
	// tmpl ties a blueprint's route to its twins in the blueprint's
	// other registrations (see Route.each); placeholder marks the route
	// a blueprint not yet registered returns.
	tmpl        *routeTemplate
	placeholder bool
	// redirects is set when a request this route matches may be
	// redirected to another rule of its endpoint (an alias, or a rule
	// whose defaults give the same values): dispatch checks it once.
	redirects bool

	// ownOptions is set when SetAutomaticOptions(true) took OPTIONS from
	// a handler that was given it: turning the automatic answer off
	// again gives it back.
	ownOptions bool
	// wrap holds the handler before middleware, for a route wrapped by
	// Wrap or its blueprint's Wrap; nil otherwise.
	wrap *routeWrap
	// view is the Go type of the value registered with App.View (funcPC
	// is 0 then): the rules of one view type are one handler.
	view reflect.Type
}

// sameHandler reports whether two routes run the same handler, so that
// one endpoint may name both.
func (r *Route) sameHandler(o *Route) bool { return r.funcPC == o.funcPC && r.view == o.view }

// ruleDefault is one value given with SetDefaults, with its URL text.
type ruleDefault struct {
	name  string
	text  string
	value any
}

// SetDefaults gives the handler values for variables the rule does not
// have, as Flask's defaults= does: c.Param("page") reads "1" on a rule
// registered with SetDefaults(flasky.M{"page": 1}). Beside a rule of the
// same endpoint that has the variable,
//
//	app.Route("/users/", listUsers).SetDefaults(flasky.M{"page": 1})
//	app.Route("/users/page/<int:page>", listUsers)
//
// URLFor builds /users/ for page 1 and /users/page/2 for page 2, and a
// request for /users/page/1 is redirected (308) to /users/, as Werkzeug's
// redirect_defaults does. A value is written as URLFor writes values
// (see [App.URLFor]). It panics when a key is a variable of the rule or a
// value cannot be put in a URL (nil, a list, a map). It returns the route.
func (r *Route) SetDefaults(defaults M) *Route {
	return r.each(func(r *Route) { r.setDefaults(defaults) })
}

func (r *Route) setDefaults(defaults M) {
	if gd := r.group.defaultValues; len(gd) > 0 {
		// The registration's url_defaults, under the route's own.
		merged := M{}
		for k, v := range gd {
			if !r.hasVar(k) {
				merged[k] = v
			}
		}
		maps.Copy(merged, defaults)
		defaults = merged
	}
	list := make([]ruleDefault, 0, len(defaults))
	for k, v := range defaults {
		if r.hasVar(k) {
			panic(fmt.Sprintf("flasky: rule %q: SetDefaults: %q is a variable of the rule; defaults are for values the rule does not have", r.rule.text, k))
		}
		if _, isList := listValue(v); isList {
			panic(fmt.Sprintf("flasky: rule %q: SetDefaults: %s is a list (%T), not a value", r.rule.text, k, v))
		}
		s, ok, err := formatValue(v)
		if err != nil || !ok {
			panic(fmt.Sprintf("flasky: rule %q: SetDefaults: %s=%v (%T) cannot be put in a URL", r.rule.text, k, v, v))
		}
		list = append(list, ruleDefault{name: k, text: s, value: v})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	r.defaults = list
	r.group.app.refreshRedirects(r.endpoint)
}

// Defaults returns the values set with [Route.SetDefaults], or nil.
func (r *Route) Defaults() M {
	if len(r.defaults) == 0 {
		return nil
	}
	m := make(M, len(r.defaults))
	for _, d := range r.defaults {
		m[d.name] = d.value
	}
	return m
}

// SetAlias makes the rule an alias, as Werkzeug's alias=True: a request
// it matches is redirected (308, query kept) to the URL that
// [App.URLFor] builds for its endpoint with the same values, so old URLs
// keep working while one URL is canonical. URLFor builds an alias only
// when no other rule of the endpoint fits. It returns the route.
func (r *Route) SetAlias(alias bool) *Route {
	return r.each(func(r *Route) {
		r.alias = alias
		r.group.app.refreshRedirects(r.endpoint)
	})
}

// Alias reports whether the route was made an alias with [Route.SetAlias].
func (r *Route) Alias() bool { return r.alias }

// SetBuildOnly makes the rule one that [App.URLFor] builds but no request
// ever matches, as Werkzeug's build_only=True: a URL served by something
// else (a CDN, another app) that templates link to by endpoint. It
// panics when turning it off again makes it ambiguous with another rule.
// It returns the route.
func (r *Route) SetBuildOnly(buildOnly bool) *Route {
	return r.each(func(r *Route) { r.setBuildOnly(buildOnly) })
}

func (r *Route) setBuildOnly(buildOnly bool) {
	if buildOnly == r.buildOnly {
		return
	}
	if buildOnly {
		r.declared, r.methods = r.methods, 0
	} else {
		for _, o := range r.group.table().routes {
			if o != r && o.rule.sameShape(r.rule) && o.methods&r.declared&^(mHead|mOptions) != 0 {
				panic(fmt.Sprintf("flasky: rule %q: SetBuildOnly(false): it is ambiguous with rule %q", r.rule.text, o.rule.text))
			}
		}
		r.methods, r.declared = r.declared, 0
	}
	r.buildOnly = buildOnly
	r.group.app.refreshRedirects(r.endpoint)
}

// BuildOnly reports whether the route is only built, never matched.
func (r *Route) BuildOnly() bool { return r.buildOnly }

// slashSetting is a rule's own strict_slashes or merge_slashes, or
// slashUnset to follow the app's.
type slashSetting uint8

const (
	slashUnset slashSetting = iota
	slashOn
	slashOff
)

func settingOf(on bool) slashSetting {
	if on {
		return slashOn
	}
	return slashOff
}

// or is the setting, or def when it is unset.
func (s slashSetting) or(def bool) bool {
	if s == slashUnset {
		return def
	}
	return s == slashOn
}

// SetAutomaticOptions(false) stops the route answering OPTIONS by
// itself, as Flask's provide_automatic_options=False: an OPTIONS request
// is then a 405 whose Allow header does not list OPTIONS, unless OPTIONS
// is among the route's methods and its handler answers it. The default,
// true, answers OPTIONS with 200 and an Allow header listing the methods
// of every rule that matches the path. SetAutomaticOptions(true) on a
// route given OPTIONS answers it automatically instead of calling the
// handler, as Flask does. It panics when turning the automatic answer
// off leaves the handler answering OPTIONS beside another rule that
// answers it for the same paths. It returns the route.
func (r *Route) SetAutomaticOptions(on bool) *Route {
	return r.each(func(r *Route) { r.setAutomaticOptions(on) })
}

func (r *Route) setAutomaticOptions(on bool) {
	if on == r.autoOpts || r.mount {
		return
	}
	ms := &r.methods
	if r.buildOnly {
		ms = &r.declared
	}
	if on {
		r.ownOptions = *ms&mOptions != 0
		*ms |= mOptions
		r.autoOpts = true
		return
	}
	if !r.ownOptions {
		*ms &^= mOptions
		r.autoOpts = false
		return
	}
	r.autoOpts = false
	if !r.buildOnly {
		for _, o := range r.group.table().routes {
			if o != r && o.rule.sameShape(r.rule) && conflict(o, r)&mOptions != 0 {
				r.autoOpts = true
				panic(fmt.Sprintf("flasky: rule %q: SetAutomaticOptions(false): its handler would answer OPTIONS, and so does rule %q", r.rule.text, o.rule.text))
			}
		}
	}
}

// AutomaticOptions reports whether the route answers OPTIONS by itself.
func (r *Route) AutomaticOptions() bool { return r.autoOpts }

// SetStrictSlashes(false) lets the rule match its URL with or without
// the trailing slash, with no redirect (Flask's strict_slashes=False):
// "/docs/" answers /docs too, and "/docs" answers /docs/. The default,
// true, is Flask's: a rule ending in '/' redirects the bare URL with a
// 308, and a rule without one does not match a URL with one. A rule
// without a setting of its own follows [App.SetStrictSlashes]. It
// returns the route.
func (r *Route) SetStrictSlashes(strict bool) *Route {
	return r.each(func(r *Route) { r.strict = settingOf(strict) })
}

// StrictSlashes reports whether the trailing slash must be as written:
// the rule's own setting, or else the app's.
func (r *Route) StrictSlashes() bool {
	if r.group == nil {
		return r.strict.or(true) // a placeholder: no app yet
	}
	return r.strict.or(r.group.app.StrictSlashes())
}

// SetMergeSlashes(false) turns Werkzeug's merge_slashes off for the rule:
// a request with runs of slashes that would match it once merged
// (/a//b for "/a/b") is a 404 rather than a 308 to the merged path, and
// a rule written with "//" ("/a//b") matches and builds as written. With
// it on, the default, such a rule's own runs of slashes count as one:
// "/a//b" matches and builds /a/b, and /a//b is redirected there. A rule
// without a setting of its own follows [App.SetMergeSlashes]. It panics,
// leaving the rule as it was, when the rule compiled the other way is
// ambiguous with another rule. It returns the route.
func (r *Route) SetMergeSlashes(merge bool) *Route {
	return r.each(func(r *Route) {
		prev := r.merge
		r.merge = settingOf(merge)
		if err := r.group.app.remerge(r); err != nil {
			r.merge = prev
			panic(err)
		}
	})
}

// MergeSlashes reports whether runs of slashes are merged for the rule:
// its own setting, or else the app's.
func (r *Route) MergeSlashes() bool {
	if r.group == nil {
		return r.merge.or(true) // a placeholder: no app yet
	}
	return r.merge.or(r.group.app.MergeSlashes())
}

// SetStrictSlashes sets strict_slashes for every rule that has no
// setting of its own ([Route.SetStrictSlashes]), registered before or
// after the call: Flask's app.url_map.strict_slashes = False is
// app.SetStrictSlashes(false). The default is true.
func (a *App) SetStrictSlashes(strict bool) { a.looseSlashes = !strict }

// StrictSlashes reports the app's strict_slashes, true unless turned off
// with [App.SetStrictSlashes].
func (a *App) StrictSlashes() bool { return !a.looseSlashes }

// SetMergeSlashes sets merge_slashes for every rule that has no setting
// of its own ([Route.SetMergeSlashes]), registered before or after the
// call, as Werkzeug's Map(merge_slashes=False) or Flask's
// app.url_map.merge_slashes = False. The default is true. It panics,
// leaving the app and its rules as they were, when a rule written with
// "//", compiled the other way, is ambiguous with another rule.
func (a *App) SetMergeSlashes(merge bool) {
	prev := a.keepSlashes
	a.keepSlashes = !merge
	routes := a.table.routes
	if a.domains != nil {
		routes = append(slices.Clip(routes), a.domains.routes...)
	}
	for i, r := range routes {
		if err := a.remerge(r); err != nil {
			// Undo, latest first, so every rule gets its shape back.
			a.keepSlashes = prev
			for j := i - 1; j >= 0; j-- {
				_ = a.remerge(routes[j])
			}
			panic(err)
		}
	}
}

// MergeSlashes reports the app's merge_slashes, true unless turned off
// with [App.SetMergeSlashes].
func (a *App) MergeSlashes() bool { return !a.keepSlashes }

// remerge compiles the rule of r again when it is written with "//" and
// its merge_slashes no longer matches the way it was compiled. The new
// form must not be ambiguous with another rule.
func (a *App) remerge(r *Route) error {
	old := r.rule
	merge := r.MergeSlashes()
	if old.merged == merge || !strings.Contains(old.text, "//") {
		return nil
	}
	pr, err := parseRuleConv(old.text, a.table.converters, merge)
	if err != nil {
		return err
	}
	t := r.group.table()
	for _, o := range t.shapes[pr.shape] {
		if ms := conflict(o, r); ms != 0 && o != r {
			return fmt.Errorf("flasky: rule %q with merge_slashes %t is ambiguous with rule %q: both match %q for %s",
				old.text, merge, o.rule.text, pr.examplePath(), strings.Join(ms.list(), ", "))
		}
	}
	// Such a rule is one of the table's complex rules: swapping its
	// parsed form moves it to its new shape and matcher states.
	t.shapes[old.shape] = slices.DeleteFunc(t.shapes[old.shape], func(x *Route) bool { return x == r })
	t.shapes[pr.shape] = append(t.shapes[pr.shape], r)
	t.insert(pr)
	pr.seq = old.seq
	r.rule = pr
	return nil
}

// declaredMethods is the methods the route answers, or would answer if it
// were not build-only.
func (r *Route) declaredMethods() methodSet {
	if r.buildOnly {
		return r.declared
	}
	return r.methods
}

// providesDefaultsFor reports whether d is a rule with defaults whose
// arguments (variables and defaults) are those of r, as Werkzeug's
// provides_defaults_for: a request r matches with d's default values is
// redirected to d.
func (d *Route) providesDefaultsFor(r *Route) bool {
	if d == r || d.buildOnly || len(d.defaults) == 0 || d.endpoint != r.endpoint {
		return false
	}
	args := func(x *Route) []string {
		out := make([]string, 0, len(x.rule.vars)+len(x.defaults))
		for _, v := range x.rule.vars {
			out = append(out, v.name)
		}
		for _, df := range x.defaults {
			out = append(out, df.name)
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(args(d), args(r))
}

// sameDefault reports whether a value's URL text s equals the default:
// the same text, or the same number (01 and 1, 1 and 1.0).
func sameDefault(d ruleDefault, s string) bool {
	if s == d.text {
		return true
	}
	x, err1 := strconv.ParseFloat(s, 64)
	y, err2 := strconv.ParseFloat(d.text, 64)
	return err1 == nil && err2 == nil && x == y
}

// SetEndpoint sets the route's endpoint name (Flask's endpoint=), used by
// [App.URLFor] and the route listing. Inside a blueprint the blueprint's
// name is put in front ("admin.index"). It returns the route for chaining.
//
// Route's methods follow Go's getter and setter naming: Endpoint, Rule
// and Methods read; SetEndpoint and the SetMax... limits change the route
// and return it, so they chain after [App.Route].
func (r *Route) SetEndpoint(endpoint string) *Route {
	if t := r.tmpl; t != nil && !t.bp.anon {
		if err := (&group{name: t.bp.name}).checkEndpoint(endpoint); err != nil {
			panic(err) // at once, also before the blueprint is registered
		}
	}
	return r.each(func(r *Route) {
		if err := r.group.checkEndpoint(endpoint); err != nil {
			panic(err)
		}
		a := r.group.app
		a.unindexEndpoint(r)
		r.endpoint = r.group.qualify(endpoint)
		r.explicit = true
		a.indexEndpoint(r)
	})
}

// Rule returns the rule as written, with the blueprint prefix.
func (r *Route) Rule() string { return r.rule.text }

// Endpoint returns the route's endpoint name.
func (r *Route) Endpoint() string { return r.endpoint }

// Methods returns the methods the route answers, sorted, HEAD and OPTIONS
// included when they are answered automatically.
func (r *Route) Methods() []string { return r.declaredMethods().list() }

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
	// Domain is where the rule answers when the app matches subdomains
	// or hosts, as flask routes shows it: "alice.example.com",
	// "<user>.example.com"; "" otherwise.
	Domain string
}

// Routes returns the route table sorted by endpoint, then rule.
func (a *App) Routes() []RouteInfo {
	out := a.routeInfos(false)
	sortRoutes(out, "endpoint")
	return out
}

// routeInfos returns the route table in the order the rules were added
// in (domain rules after the others), with HEAD and OPTIONS when all.
func (a *App) routeInfos(all bool) []RouteInfo {
	routes := a.table.routes
	if a.domains != nil {
		routes = append(slices.Clip(routes), a.domains.routes...)
	}
	out := make([]RouteInfo, 0, len(routes))
	for _, r := range routes {
		ms := r.declaredMethods()
		if !all {
			ms &^= mHead | mOptions
		}
		if r.mount {
			ms = 0
		}
		methods := ms.list()
		if r.mount {
			methods = []string{"*"}
		}
		out = append(out, RouteInfo{Endpoint: r.endpoint, Methods: methods, Rule: r.rule.text, Domain: a.routeDomain(r)})
	}
	return out
}

// sortRoutes sorts routes by the column by names (flask routes --sort):
// "endpoint" (then rule), "methods", "domain" or "rule"; "match" keeps
// them in the order they were added in. The sort is stable.
func sortRoutes(routes []RouteInfo, by string) {
	var key func(r RouteInfo) string
	switch by {
	case "endpoint":
		sort.SliceStable(routes, func(i, j int) bool {
			if routes[i].Endpoint != routes[j].Endpoint {
				return routes[i].Endpoint < routes[j].Endpoint
			}
			return routes[i].Rule < routes[j].Rule
		})
		return
	case "methods":
		key = func(r RouteInfo) string { return strings.Join(r.Methods, ", ") }
	case "domain":
		key = func(r RouteInfo) string { return r.Domain }
	case "rule":
		key = func(r RouteInfo) string { return r.Rule }
	default:
		return
	}
	sort.SliceStable(routes, func(i, j int) bool { return key(routes[i]) < key(routes[j]) })
}

// routeDomain is the Domain of r's RouteInfo.
func (a *App) routeDomain(r *Route) string {
	d := a.domains
	if d == nil {
		return ""
	}
	text := d.defaultSub
	if r.group.domain != nil {
		text = r.group.domain.text
	}
	if d.hostMatching {
		return text
	}
	server := strings.ToLower(a.Config.ServerName)
	if text == "" || server == "" {
		return text + server
	}
	return text + "." + server
}

// PrintRoutes writes the route table as `flask routes` prints it,
// sorted by endpoint, with a Subdomain column when the app matches
// subdomains, a Host column when it matches hosts, and "No routes were
// registered." when it has none. The routes command's -sort and
// -all-methods flags print it otherwise.
func (a *App) PrintRoutes(w io.Writer) { a.printRoutes(w, "endpoint", false) }

// printRoutes writes the route table sorted by sortBy (see sortRoutes),
// with HEAD and OPTIONS when all.
func (a *App) printRoutes(w io.Writer, sortBy string, all bool) {
	routes := a.routeInfos(all)
	if len(routes) == 0 {
		fmt.Fprintln(w, "No routes were registered.")
		return
	}
	sortRoutes(routes, sortBy)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	switch {
	case a.domains == nil:
		fmt.Fprintln(tw, "Endpoint\tMethods\tRule")
		fmt.Fprintln(tw, "--------\t-------\t----")
	case a.domains.hostMatching:
		fmt.Fprintln(tw, "Host\tEndpoint\tMethods\tRule")
		fmt.Fprintln(tw, "----\t--------\t-------\t----")
	default:
		fmt.Fprintln(tw, "Subdomain\tEndpoint\tMethods\tRule")
		fmt.Fprintln(tw, "---------\t--------\t-------\t----")
	}
	for _, r := range routes {
		if a.domains != nil {
			fmt.Fprintf(tw, "%s\t", r.Domain)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Endpoint, strings.Join(r.Methods, ", "), r.Rule)
	}
	_ = tw.Flush()
}
