package flasky

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/flasky-go/flasky/internal/pyrepr"
)

// URLFor builds the URL of an endpoint, as Flask's url_for: the rule with
// its variables filled from params, percent-encoded, and any other params
// as a query string sorted by key. Built outside a request, the URL
// starts with Config.ApplicationRoot; [Ctx.URLFor] also keeps the prefix
// the request came through (see [Ctx.ScriptRoot]).
//
// Values are written as Python's str writes them, as Werkzeug does: 1.0
// stays 1.0, true is True. A nil value is left out of the query; a slice
// gives the key once per element (?v=1&v=2). A rule variable must have a
// value that its converter accepts, and cannot be nil or a slice.
//
// Keys that start with '_' are url_for's options:
//
//	_external  true: an absolute URL, http://host/path (from Config.ServerName,
//	           or the request's host for Ctx.URLFor)
//	_scheme    "https": an absolute URL with that scheme (implies _external)
//	_anchor    "part": #part at the end, escaped as Flask escapes it
//	_method    "POST": build the rule that answers that method
//
// Any other key starting with '_' is an error. When an endpoint has
// several rules, the first that can be built wins, in Werkzeug's order:
// rules with more variables and defaults first, aliases last, rules that
// answer GET before the others (see [Route.SetDefaults]). A missing
// variable, a value its converter would not accept, or an unknown or
// ambiguous endpoint is an error that names the endpoint and the value;
// for an unknown endpoint it suggests the closest registered name.
func (a *App) URLFor(endpoint string, params M) (string, error) {
	return a.urlFor(nil, endpoint, params)
}

// URLFor builds a URL like [App.URLFor], for this request: it starts with
// the prefix the request came through ([Ctx.ScriptRoot]), and an
// _external URL takes its scheme from [Ctx.Scheme] and its host from the
// request (or Config.ServerName when it is set).
func (c *Ctx) URLFor(endpoint string, params M) (string, error) {
	return c.app.urlFor(c, endpoint, params)
}

// buildOpts are url_for's underscore options.
type buildOpts struct {
	external    bool
	externalSet bool
	scheme      string
	anchor      string
	hasAnchor   bool
	method      methodSet
	methodName  string
}

// splitOptions takes the underscore keys out of params. It returns params
// itself when there are none, so the common call copies nothing.
func splitOptions(endpoint string, params M) (M, buildOpts, error) {
	var o buildOpts
	n := 0
	for k := range params {
		if strings.HasPrefix(k, "_") {
			n++
		}
	}
	if n == 0 {
		return params, o, nil
	}
	values := make(M, len(params)-n)
	for k, v := range params {
		if !strings.HasPrefix(k, "_") {
			values[k] = v
			continue
		}
		switch k {
		case "_external":
			b, ok := v.(bool)
			if !ok {
				return nil, o, fmt.Errorf("flasky: URLFor(%q): _external must be true or false, got %v (%T)", endpoint, v, v)
			}
			o.external, o.externalSet = b, true
		case "_scheme":
			s, ok := v.(string)
			if !ok || !validScheme(s) {
				return nil, o, fmt.Errorf("flasky: URLFor(%q): _scheme %q is not a URL scheme", endpoint, fmt.Sprint(v))
			}
			o.scheme = strings.ToLower(s)
		case "_anchor":
			s, ok, err := formatValue(v)
			if err != nil || !ok {
				return nil, o, fmt.Errorf("flasky: URLFor(%q): _anchor %v (%T) is not text", endpoint, v, v)
			}
			o.anchor, o.hasAnchor = s, true
		case "_method":
			s, ok := v.(string)
			m := methodBit(strings.ToUpper(s))
			if !ok || m == mOther {
				return nil, o, fmt.Errorf("flasky: URLFor(%q): _method %q is not an HTTP method", endpoint, fmt.Sprint(v))
			}
			o.method, o.methodName = m, strings.ToUpper(s)
		default:
			return nil, o, fmt.Errorf("flasky: URLFor(%q): unknown option %q (url_for takes _external, _scheme, _anchor and _method)", endpoint, k)
		}
	}
	if o.scheme != "" {
		if o.externalSet && !o.external {
			return nil, o, fmt.Errorf("flasky: URLFor(%q): _scheme %q needs an external URL, but _external is false", endpoint, o.scheme)
		}
		o.external = true
	}
	return values, o, nil
}

func validScheme(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isASCIILetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (a *App) urlFor(c *Ctx, endpoint string, params M) (string, error) {
	if rest, ok := strings.CutPrefix(endpoint, "."); ok {
		// Relative to the request's blueprint, as Flask's url_for(".about").
		endpoint = rest
		if c != nil && c.route != nil && c.route.group.name != "" {
			endpoint = c.route.group.name + "." + rest
		}
	}
	values, o, err := splitOptions(endpoint, params)
	if err != nil {
		return "", err
	}
	u, host, err := a.buildPath(c, endpoint, &values, &o)
	if err != nil {
		if a.onBuildError != nil {
			return a.onBuildError(a, err, endpoint, values, o)
		}
		return "", err
	}
	return a.finishURL(c, u, host, o)
}

// buildPath builds the path of one of endpoint's rules, and its host when
// the rule is bound to one, for urlFor. It adds the URL defaults to
// *values and sets o.external for a rule of another host.
func (a *App) buildPath(c *Ctx, endpoint string, values *M, o *buildOpts) (path, host string, err error) {
	routes := a.endpoints[endpoint]
	if len(routes) == 0 {
		return "", "", a.unknownEndpoint(endpoint)
	}
	if a.hasURLDefaults {
		*values = a.hooks.urlDefaults(a, c, endpoint, routes[0].group, *values)
	}
	if a.ambiguous[endpoint] {
		rules := make([]string, len(routes))
		for i, r := range routes {
			rules[i] = r.rule.text
		}
		return "", "", fmt.Errorf("flasky: URLFor: endpoint %q names different handlers (%s); give them distinct names with Route(...).SetEndpoint", endpoint, strings.Join(rules, ", "))
	}
	order := buildOrder(routes, o.method)
	if len(order) == 0 {
		return "", "", fmt.Errorf("flasky: URLFor(%q): no rule of the endpoint answers _method %q", endpoint, o.methodName)
	}
	var errs []string
	for _, r := range order {
		u, err := r.build(*values)
		host, elsewhere := "", false
		if err == nil && a.domainHost != nil {
			host, elsewhere, err = a.domainHost(a, c, r, *values)
		}
		if err == nil {
			if elsewhere {
				o.external = true
			}
			return u, host, nil
		}
		errs = append(errs, err.Error())
	}
	if len(errs) == 1 {
		return "", "", fmt.Errorf("flasky: URLFor(%q): %s", endpoint, errs[0])
	}
	return "", "", fmt.Errorf("flasky: URLFor(%q): no rule can be built: %s", endpoint, strings.Join(errs, "; "))
}

// buildOrder is Werkzeug's order for building: aliases last, then the
// rules with the most arguments (variables and defaults), then the most
// defaults; without _method, the rules that answer GET come first. With a
// method, only its rules are left.
func buildOrder(routes []*Route, m methodSet) []*Route {
	order := make([]*Route, 0, len(routes))
	for _, r := range routes {
		if m == 0 || r.declaredMethods()&m != 0 {
			order = append(order, r)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		x, y := order[i], order[j]
		if m == 0 {
			if gx, gy := x.declaredMethods()&mGet != 0, y.declaredMethods()&mGet != 0; gx != gy {
				return gx
			}
		}
		if x.alias != y.alias {
			return !x.alias
		}
		if ax, ay := len(x.rule.vars)+len(x.defaults), len(y.rule.vars)+len(y.defaults); ax != ay {
			return ax > ay
		}
		return len(x.defaults) > len(y.defaults)
	})
	return order
}

// finishURL puts the prefix, the scheme and host and the anchor around a
// built path. An external URL goes to ruleHost when it is set (the host
// of a rule's subdomain or host pattern).
func (a *App) finishURL(c *Ctx, path, ruleHost string, o buildOpts) (string, error) {
	var prefix string
	if c != nil {
		prefix = c.ScriptRoot()
	} else {
		prefix = a.applicationRoot()
	}
	u := prefix + path
	if o.external {
		scheme, host := o.scheme, a.Config.ServerName
		if c != nil {
			if scheme == "" {
				scheme = c.Scheme()
			}
			if host == "" {
				host = c.Request.Host
			}
		}
		if ruleHost != "" {
			host = ruleHost
		}
		if scheme == "" {
			scheme = a.Config.PreferredURLScheme
			if scheme == "" {
				scheme = "http"
			}
		}
		if host == "" {
			return "", errors.New("flasky: URLFor: an _external URL outside a request needs Config.ServerName (Flask's SERVER_NAME)")
		}
		if !validHost(host) {
			return "", fmt.Errorf("flasky: URLFor: host %q is not a valid host for an _external URL", host)
		}
		u = scheme + "://" + host + u
	}
	if o.hasAnchor {
		u += "#" + quote(o.anchor, anchorSafe, false)
	}
	return u, nil
}

// validHost accepts a host[:port] made of the characters a host name, an
// IPv4 or a bracketed IPv6 address use, so a Host header cannot put a
// path, a userinfo or a second URL into an external URL.
func validHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}

// build fills the route's rule with values: the rule's variables, the
// rest as the query string. Keys that the route has a default for are
// left out of the query; a given value must equal the default.
func (r *Route) build(values M) (string, error) {
	for _, d := range r.defaults {
		v, ok := values[d.name]
		if !ok || v == nil {
			continue
		}
		s, okv, err := formatValue(v)
		if err != nil || !okv || !sameDefault(d, s) {
			return "", fmt.Errorf("rule %q has %s=%s as a default, not %s", r.rule.text, d.name, d.text, describeValue(v))
		}
	}
	var b strings.Builder
	used := 0
	for _, part := range r.rule.parts {
		if part.v == nil {
			b.WriteString(escapePath(part.static, true))
			continue
		}
		v, ok := values[part.v.name]
		if !ok {
			return "", fmt.Errorf("missing value for <%s> in rule %q", part.v.name, r.rule.text)
		}
		used++
		if v == nil {
			return "", fmt.Errorf("rule %q: the value for <%s> is nil", r.rule.text, part.v.name)
		}
		pv, err := pathValue(v, part.v.conv.name)
		if err != nil {
			return "", fmt.Errorf("rule %q: <%s>: %w", r.rule.text, part.v.name, err)
		}
		s, err := part.v.conv.toURL(pv)
		if err != nil {
			return "", fmt.Errorf("rule %q: <%s>: %w", r.rule.text, part.v.name, err)
		}
		b.WriteString(escapePath(s, part.v.conv.name == "path"))
	}
	if s := b.String(); strings.HasPrefix(s, "//") {
		// A rule written "//x" with merge_slashes off: one leading '/',
		// as Werkzeug builds it, so the URL never names a host.
		b.Reset()
		b.WriteString("/" + strings.TrimLeft(s, "/"))
	}
	if used == len(values) {
		return b.String(), nil
	}
	keys := make([]string, 0, len(values)-used)
	for k := range values {
		if !r.hasVar(k) && !r.hasDefault(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	sep := byte('?')
	for _, k := range keys {
		v := values[k]
		if list, isList := listValue(v); isList {
			for _, e := range list {
				s, ok, err := formatValue(e)
				if err != nil {
					return "", fmt.Errorf("query key %q: %w", k, err)
				}
				if ok {
					writeQuery(&b, &sep, k, s)
				}
			}
			continue
		}
		s, ok, err := formatValue(v)
		if err != nil {
			return "", fmt.Errorf("query key %q: %w", k, err)
		}
		if ok {
			writeQuery(&b, &sep, k, s)
		}
	}
	return b.String(), nil
}

func writeQuery(b *strings.Builder, sep *byte, k, v string) {
	b.WriteByte(*sep)
	*sep = '&'
	b.WriteString(quote(k, querySafe, true))
	b.WriteByte('=')
	b.WriteString(quote(v, querySafe, true))
}

func (r *Route) hasVar(name string) bool {
	for _, v := range r.rule.vars {
		if v.name == name {
			return true
		}
	}
	if d := r.group.domain; d != nil {
		for _, v := range d.rule.vars {
			if v.name == name {
				return true
			}
		}
	}
	return false
}

func (r *Route) hasDefault(name string) bool {
	for _, d := range r.defaults {
		if d.name == name {
			return true
		}
	}
	return false
}

// listValue reports whether v is a slice or an array (but not []byte,
// which is text), and its elements.
func listValue(v any) ([]any, bool) {
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	case []any:
		return x, true
	case []byte, nil:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	if rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// formatValue writes a value as Python's str does, as Werkzeug puts a
// value in a URL: strings as they are, True and False, whole numbers in
// decimal, floats in Python's shortest form (1.0, 1e+16, nan), []byte as
// text, anything with a String method through it. ok is false for nil
// (and a nil pointer), which url_for leaves out; a slice, map, struct or
// func is an error naming its type.
func formatValue(v any) (s string, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return "", false, nil
	case string:
		return x, true, nil
	case bool:
		if x {
			return "True", true, nil
		}
		return "False", true, nil
	case int:
		return strconv.Itoa(x), true, nil
	case int64:
		return strconv.FormatInt(x, 10), true, nil
	case float64:
		return pyrepr.Float(x, 64), true, nil
	case float32:
		return pyrepr.Float(float64(x), 32), true, nil
	case []byte:
		return string(x), true, nil
	case fmt.Stringer:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return "", false, nil
		}
		return x.String(), true, nil
	case error:
		return x.Error(), true, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), true, nil
	case reflect.Bool:
		return formatValue(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), true, nil
	case reflect.Float32:
		return pyrepr.Float(rv.Float(), 32), true, nil
	case reflect.Float64:
		return pyrepr.Float(rv.Float(), 64), true, nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "", false, nil
		}
		return formatValue(rv.Elem().Interface())
	}
	return "", false, fmt.Errorf("cannot put a %T (%v) in a URL", v, v)
}

// describeValue names a value in an error: its text and, for anything
// but a string, its type.
func describeValue(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	if s, ok, err := formatValue(v); ok && err == nil {
		return fmt.Sprintf("%s (%T)", s, v)
	}
	return fmt.Sprintf("%T", v)
}

// pathValue turns a value into what the rule's converter takes: numbers
// stay numbers (the converter writes them in its own form), everything
// else becomes Python's text for it. A bool in an <int:> or <float:> is
// 1 or 0, as Python's int(True); an integer in a <float:> is a float, as
// Werkzeug's str(float(37)) writes it: 37.0; and a string of ASCII digits
// in either is read as a number first, as Werkzeug's int("03") and
// float("1") read it: 3, 1.0.
func pathValue(v any, conv string) (any, error) {
	if _, isList := listValue(v); isList {
		return nil, fmt.Errorf("a list (%T) cannot fill a path variable", v)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		if _, isStringer := v.(fmt.Stringer); !isStringer && (conv == "int" || conv == "float") {
			if n, ok := numberText(rv.String(), conv == "float"); ok {
				return n, nil
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, isStringer := v.(fmt.Stringer); !isStringer {
			if conv == "float" {
				return float64(rv.Int()), nil
			}
			return rv.Int(), nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if _, isStringer := v.(fmt.Stringer); !isStringer {
			if conv == "float" {
				return float64(rv.Uint()), nil
			}
			return rv.Uint(), nil
		}
	case reflect.Float32, reflect.Float64:
		if _, isStringer := v.(fmt.Stringer); !isStringer {
			return rv.Float(), nil
		}
	case reflect.Bool:
		if conv == "int" || conv == "float" {
			n := int64(0)
			if rv.Bool() {
				n = 1
			}
			if conv == "float" {
				return float64(n), nil
			}
			return n, nil
		}
	}
	s, ok, err := formatValue(v)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("the value is nil")
	}
	return s, nil
}

// numberText reads s as an int64 (or, for float, a float64) when it is
// written in ASCII digits with an optional sign, decimal point and
// exponent. Other text (Python's int and float also take spaces, '_'
// and non-ASCII digits) stays text, and the converter refuses it unless
// it fits as it is.
func numberText(s string, float bool) (any, bool) {
	if s == "" || strings.Trim(s, "0123456789+-.eE") != "" {
		return nil, false
	}
	if float {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Werkzeug's safe sets: url_encode's for the query (spaces as '+'), less
// ';', which Go's net/url refuses in a query (it drops the pair), and
// Flask's for the anchor ('%' kept, so an escaped anchor is not escaped
// twice).
const (
	querySafe  = "!$'()*,/:?@"
	anchorSafe = "%!#$&'()*+,/:;=?@"
)

// quote percent-encodes s as Python's urllib.parse.quote does, keeping
// letters, digits, "_.-~" and the bytes in safe; plus writes a space
// as '+' (quote_plus).
func quote(s, safe string, plus bool) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		keep := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '.' || c == '-' || c == '~' || (c < 0x80 && strings.IndexByte(safe, c) >= 0)
		if keep {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)+16), s[:i]...)
		}
		if c == ' ' && plus {
			b = append(b, '+')
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}

// unknownEndpoint is the error for an endpoint no rule has, with the
// closest registered name when one is close.
func (a *App) unknownEndpoint(endpoint string) error {
	if r := a.ruleNamed(endpoint); r != nil {
		last := endpoint[strings.LastIndexByte(endpoint, '.')+1:]
		return fmt.Errorf("flasky: URLFor: no endpoint %q; rule %q is named %q after its rule, since its handler is a function literal or a wrapped function such as loginRequired(%s): "+
			"name it with Route(...).SetEndpoint(%q), or register the handler itself and wrap it with Route(...).Wrap(loginRequired)", endpoint, r.rule.text, r.endpoint, last, last)
	}
	if best := a.closestEndpoint(endpoint); best != "" {
		return fmt.Errorf("flasky: URLFor: no endpoint %q; did you mean %q?", endpoint, best)
	}
	return fmt.Errorf("flasky: URLFor: no endpoint %q", endpoint)
}

// ruleNamed finds a route that may be the one endpoint was meant for: its
// endpoint is its rule (its handler has no name of its own), in the same
// blueprint, and a static segment of its rule is endpoint's last part
// ("blog.create" for rule "/create" named "blog./create").
func (a *App) ruleNamed(endpoint string) *Route {
	i := strings.LastIndexByte(endpoint, '.')
	qual, last := endpoint[:i+1], endpoint[i+1:]
	if last == "" {
		return nil
	}
	routes := a.table.routes
	if a.domains != nil {
		routes = append(slices.Clip(routes), a.domains.routes...)
	}
	for _, r := range routes {
		if r.explicit || r.mount || r.endpoint != qual+r.rule.text {
			continue
		}
		for seg := range strings.SplitSeq(r.rule.text, "/") {
			if seg == last {
				return r
			}
		}
	}
	return nil
}

// closestEndpoint finds the registered endpoint nearest to name by edit
// distance, comparing names with and without their blueprint prefix too
// ("index" is close to "blog.index"), or "" when none is close.
func (a *App) closestEndpoint(name string) string {
	best, bestDist := "", 0
	_, nameShort, _ := strings.Cut(name, ".")
	for ep := range a.endpoints {
		if strings.HasPrefix(ep, "mount:") {
			continue
		}
		d := editDistance(name, ep)
		if i := strings.LastIndexByte(ep, '.'); i >= 0 {
			d = min(d, editDistance(name, ep[i+1:])+1)
		}
		if nameShort != "" {
			d = min(d, editDistance(nameShort, ep)+1)
		}
		limit := max(2, len(name)/3)
		if d > limit {
			continue
		}
		if best == "" || d < bestDist || (d == bestDist && ep < best) {
			best, bestDist = ep, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes;
// names longer than 64 bytes are not compared (the distance is large).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	var rowBuf [2][65]int
	prev, cur := rowBuf[0][:len(b)+1], rowBuf[1][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
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
