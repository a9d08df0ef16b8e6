// Converters check a rule variable's text and turn values back into URL
// text; their arguments follow Werkzeug's.

package flasky

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"
)

// converter checks one matched value and turns a value back into a URL
// part. Converters follow Werkzeug's defaults, so a rule accepts exactly
// what it accepts in Flask.
type converter struct {
	name   string
	weight int // lower is more specific; used to order rules like Werkzeug
	match  func(c *converter, s string) bool
	// argument state
	minLen, maxLen int      // string
	fixed          int      // int: fixed_digits
	min, max       *float64 // int, float
	signed         bool     // int, float
	items          []string // any

	re      string            // the regular expression piece, Werkzeug's converter.regex
	spans   bool              // a value may hold '/': Werkzeug's part_isolating = False
	example string            // a value that matches, for error messages (custom converters)
	custom  *Converter        // a converter added with App.AddConverter
	full    func(string) bool // a custom converter's whole-value regex match
	// ends gives, after prev (-1 first), the next length of a value at
	// the start of s, in the order Werkzeug's regex piece would try them
	// (longest first for greedy pieces, shortest first for <path:>), or
	// -1: a rule with several variables splits its path with it.
	ends func(c *converter, s string, prev int) int
}

// maxConvArg caps lengths and digit counts: a path segment longer than
// this is not a real URL, and huge values would make sample paths and
// padded numbers enormous.
const maxConvArg = 4096

// Werkzeug's weights: numbers before strings before paths.
const (
	weightStatic = 0
	weightNumber = 50
	weightString = 100
	weightPath   = 200
)

func matchString(c *converter, s string) bool {
	if s == "" || strings.IndexByte(s, '/') >= 0 {
		return false
	}
	if c.minLen > 0 || c.maxLen > 0 {
		n := len([]rune(s))
		if n < c.minLen || (c.maxLen > 0 && n > c.maxLen) {
			return false
		}
	}
	return true
}

// matchPath is Werkzeug's [^/].*? : the first character is any but '/',
// a line break included; '.' takes any but a line break after it.
func matchPath(_ *converter, s string) bool {
	return s != "" && s[0] != '/' && strings.IndexByte(s[1:], '\n') < 0
}

func matchInt(c *converter, s string) bool {
	digits := s
	if c.signed && digits != "" && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	if c.fixed > 0 && len(digits) != c.fixed {
		return false
	}
	// Werkzeug takes any number of digits; here the value must fit the
	// int64 that ParamInt hands out, so a longer one is a 404, not a wrap.
	// Up to 18 digits always fit, which keeps the common case parse-free.
	if len(digits) <= 18 && c.min == nil && c.max == nil {
		return true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return err == nil && inRange(c, float64(v))
}

func matchFloat(c *converter, s string) bool {
	digits := s
	if c.signed && digits != "" && digits[0] == '-' {
		digits = digits[1:]
	}
	dot := strings.IndexByte(digits, '.')
	if dot <= 0 || dot == len(digits)-1 {
		return false // Werkzeug wants \d+\.\d+: "1" and "1." are not floats
	}
	for i := 0; i < len(digits); i++ {
		if i != dot && (digits[i] < '0' || digits[i] > '9') {
			return false
		}
	}
	if c.min != nil || c.max != nil {
		v, err := strconv.ParseFloat(s, 64)
		return err == nil && inRange(c, v)
	}
	return true
}

func inRange(c *converter, v float64) bool {
	return (c.min == nil || v >= *c.min) && (c.max == nil || v <= *c.max)
}

func matchUUID(_ *converter, s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func matchAny(c *converter, s string) bool {
	for _, it := range c.items {
		if it == s {
			return true
		}
	}
	return false
}

// newConverter builds the converter for a rule variable such as
// "int(min=1)" with its arguments; custom converters come first.
func newConverter(name, args string, custom map[string]converterBuilder) (*converter, error) {
	if build, ok := custom[name]; ok {
		return build(args)
	}
	c := &converter{name: name}
	var allowed []string
	switch name {
	case "", "string", "default":
		c.name, c.weight, c.match, c.ends = "string", weightString, matchString, endsString
		allowed = []string{"minlength", "maxlength", "length"}
	case "path":
		c.weight, c.match, c.re, c.spans, c.ends = weightPath, matchPath, `[^/].*?`, true, endsPath
	case "int":
		c.weight, c.match, c.re, c.ends = weightNumber, matchInt, `\d+`, endsInt
		allowed = []string{"fixed_digits", "min", "max", "signed"}
	case "float":
		c.weight, c.match, c.re, c.ends = weightNumber, matchFloat, `\d+\.\d+`, endsFloat
		allowed = []string{"min", "max", "signed"}
	case "uuid":
		c.weight, c.match, c.ends = weightString, matchUUID, endsUUID
		c.re = `[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}`
	case "any":
		c.weight, c.match, c.ends = weightString, matchAny, endsAny
	default:
		return nil, fmt.Errorf("unknown converter %q (want string, int, float, path, uuid, any or one added with AddConverter)", name)
	}
	if args == "" && name == "any" {
		return nil, errors.New("converter any needs its choices, as in <any(a,b):x>")
	}
	for _, raw := range splitArgs(args) {
		arg := strings.TrimSpace(raw)
		key, val, hasKey := strings.Cut(arg, "=")
		if name == "any" {
			if hasKey || arg == "" {
				return nil, fmt.Errorf("converter any takes plain choices, got %q", arg)
			}
			c.items = append(c.items, unquote(arg))
			continue
		}
		key, val = strings.TrimSpace(key), unquote(strings.TrimSpace(val))
		if !hasKey || !contains(allowed, key) {
			return nil, fmt.Errorf("converter %s does not take argument %q", c.name, arg)
		}
		if err := c.setArg(key, val); err != nil {
			return nil, fmt.Errorf("converter %s argument %q: %w", c.name, arg, err)
		}
	}
	switch c.name {
	case "string":
		switch {
		case c.minLen == 0 && c.maxLen == 0:
			c.re = `[^/]+`
		case c.minLen == c.maxLen:
			c.re = fmt.Sprintf(`[^/]{%d}`, c.minLen)
		case c.maxLen == 0:
			c.re = fmt.Sprintf(`[^/]{%d,}`, max(c.minLen, 1))
		default:
			c.re = fmt.Sprintf(`[^/]{%d,%d}`, max(c.minLen, 1), c.maxLen)
		}
	case "int", "float":
		if c.signed {
			c.re = "-?" + c.re
		}
	case "any":
		quoted := make([]string, len(c.items))
		for i, it := range c.items {
			if strings.Contains(it, "/") {
				// Werkzeug takes such a choice, but a path cut at its
				// slashes never gives it back: refuse it here.
				return nil, fmt.Errorf("converter any: choice %q: a choice holds no '/'", it)
			}
			quoted[i] = regexp.QuoteMeta(it)
		}
		c.re = "(?:" + strings.Join(quoted, "|") + ")"
	}
	return c, nil
}

// splitArgs splits converter arguments at the commas outside quotes, so
// <any(a, "b,c"):x> has two choices, as in Werkzeug.
func splitArgs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	var quote byte
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func (c *converter) setArg(key, val string) error {
	switch key {
	case "signed":
		b, err := strconv.ParseBool(strings.ToLower(val))
		c.signed = b
		return err
	case "min", "max":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(f) {
			return errors.New("not a number")
		}
		if key == "min" {
			c.min = &f
		} else {
			c.max = &f
		}
		return nil
	}
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 {
		return errors.New("not a whole number")
	}
	if n > maxConvArg {
		return fmt.Errorf("%d is over the limit of %d", n, maxConvArg)
	}
	switch key {
	case "fixed_digits":
		c.fixed = n
	case "minlength":
		c.minLen = n
	case "maxlength":
		c.maxLen = n
	case "length":
		c.minLen, c.maxLen = n, n
	}
	return nil
}

// toURL formats a value for this converter and checks that the router
// would give the same value back.
func (c *converter) toURL(v any) (string, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case int32:
		s = strconv.FormatInt(int64(x), 10)
	case uint:
		s = strconv.FormatUint(uint64(x), 10)
	case uint64:
		s = strconv.FormatUint(x, 10)
	case uint32:
		s = strconv.FormatUint(uint64(x), 10)
	case float64:
		s = formatFloat(x)
	case float32:
		s = formatFloat(float64(x))
	case fmt.Stringer:
		s = x.String()
	default:
		s = fmt.Sprint(v)
	}
	if c.fixed > 0 && c.match != nil && c.name == "int" && len(s) < c.fixed && s != "" && s[0] != '-' {
		s = strings.Repeat("0", c.fixed-len(s)) + s
	}
	if c.custom != nil && c.custom.Format != nil {
		var err error
		if s, err = c.custom.Format(v); err != nil {
			return "", fmt.Errorf("converter %s: %w", c.name, err)
		}
	}
	if !c.match(c, s) {
		return "", fmt.Errorf("value %q does not fit <%s:...>", s, c.name)
	}
	return s, nil
}

// formatFloat writes a float the way the float converter reads it back:
// always with a decimal point, never with an exponent.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Converter is a rule converter of your own, like a Werkzeug
// BaseConverter subclass. Add it to an app with [App.AddConverter]; the
// rules registered afterwards may use it.
type Converter struct {
	// Regex is what a value matches, in Go's regexp syntax, without
	// anchors: `[a-z]{3}`. Empty means `[^/]+`, one path segment.
	Regex string
	// Parse turns the matched text into the value [Ctx.ParamValue]
	// returns. An error means the rule does not match (the request is
	// a 404 unless another rule matches). Nil keeps the text.
	Parse func(s string) (any, error)
	// Format turns a value given to [App.URLFor] into URL text, which
	// must match Regex. Nil formats it as the built-in converters do.
	Format func(v any) (string, error)
	// Weight orders rules that match the same path, as Werkzeug's
	// converter weights do: lower is tried first (int 50, string 100,
	// path 200). Zero means 100.
	Weight int
	// Spans says a value may hold '/', as <path:> values do. A Regex
	// that contains '/' spans too (Werkzeug's part_isolating).
	Spans bool
	// Example is a value Regex matches, shown in error messages. Empty:
	// one is made from Regex.
	Example string
}

// ConverterFunc makes a [Converter] from the arguments written in a
// rule: for <regex("[a-z]{3}"):code> args is ["[a-z]{3}"], quotes
// removed; a name=value argument is passed as written with its value
// unquoted ("min=3"). A returned error refuses the rule, naming it.
type ConverterFunc func(args ...string) (Converter, error)

// AddConverter makes <name:var> and <name(args):var> usable in the rules
// registered after it, as Flask's app.url_map.converters[name] = cls.
// fn is called once for every variable that uses the converter. A name
// of a built-in converter replaces it for later rules. AddConverter
// panics when name is not an identifier or fn is nil.
func (a *App) AddConverter(name string, fn ConverterFunc) {
	if !isIdent(name) || fn == nil {
		panic(fmt.Sprintf("flasky: AddConverter(%q): the name must be an identifier and the func not nil", name))
	}
	if a.table.converters == nil {
		a.table.converters = map[string]converterBuilder{}
	}
	// A builder made here, rather than a call to newCustomConverter
	// where rules are parsed, keeps regexp's engine out of programs that
	// add no converter.
	a.table.converters[name] = func(args string) (*converter, error) { return newCustomConverter(name, args, fn) }
}

// converterBuilder makes a converter added with AddConverter from the
// arguments written in a rule.
type converterBuilder func(args string) (*converter, error)

func newCustomConverter(name, args string, fn ConverterFunc) (*converter, error) {
	var list []string
	for _, raw := range splitArgs(args) {
		arg := strings.TrimSpace(raw)
		if key, val, ok := strings.Cut(arg, "="); ok && isIdent(strings.TrimSpace(key)) {
			arg = strings.TrimSpace(key) + "=" + unquote(strings.TrimSpace(val))
		} else {
			arg = unquote(arg)
		}
		list = append(list, arg)
	}
	cv, err := fn(list...)
	if err != nil {
		return nil, fmt.Errorf("converter %s: %w", name, err)
	}
	if cv.Regex == "" {
		cv.Regex = `[^/]+`
	}
	if cv.Weight == 0 {
		cv.Weight = weightString
	}
	full, err := regexp.Compile(`^(?:` + cv.Regex + `)$`)
	if err != nil {
		return nil, fmt.Errorf("converter %s: regex %q: %w", name, cv.Regex, err)
	}
	c := &converter{name: name, weight: cv.Weight, re: cv.Regex, full: full.MatchString, custom: &cv,
		spans:   cv.Spans || strings.Contains(cv.Regex, "/"),
		example: cv.Example, match: matchCustom, ends: endsCustom}
	if c.example == "" {
		c.example = regexSample(cv.Regex)
	}
	return c, nil
}

// matchCustom checks a value with the converter's regex and Parse.
func matchCustom(c *converter, s string) bool {
	if !c.spans && strings.IndexByte(s, '/') >= 0 || !c.full(s) {
		return false
	}
	if c.custom.Parse != nil {
		if _, err := c.custom.Parse(s); err != nil {
			return false
		}
	}
	return true
}

// regexSample makes a short string that the expression matches, for
// error messages: the first choice of every alternation, the least
// repetitions, the first character of every class.
func regexSample(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return "x"
	}
	var b strings.Builder
	var walk func(r *syntax.Regexp)
	walk = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpLiteral:
			b.WriteString(string(r.Rune))
		case syntax.OpCharClass:
			if len(r.Rune) > 0 {
				b.WriteRune(r.Rune[0])
			}
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteByte('x')
		case syntax.OpCapture, syntax.OpPlus:
			walk(r.Sub[0])
		case syntax.OpRepeat:
			for i := 0; i < r.Min && i < maxConvArg; i++ {
				walk(r.Sub[0])
			}
		case syntax.OpConcat:
			for _, s := range r.Sub {
				walk(s)
			}
		case syntax.OpAlternate:
			walk(r.Sub[0])
		}
	}
	walk(re)
	return b.String()
}

// ParamValue returns the value of a rule variable converted by its
// converter: an int for <int:>, a float64 for <float:>, what Parse
// returns for a converter added with [App.AddConverter], and the text
// for the others. It is nil when the rule has no such variable.
func (c *Ctx) ParamValue(name string) any {
	if c.route == nil {
		return nil
	}
	vars, values := c.route.rule.vars, c.params
	if _, i := c.domainVar(name); i >= 0 {
		vars, values = c.route.group.domain.rule.vars, c.params[len(c.route.rule.vars):]
	}
	for i := range vars {
		if vars[i].name != name {
			continue
		}
		s, cv := values[i].Value, vars[i].conv
		switch {
		case cv.custom != nil && cv.custom.Parse != nil:
			v, _ := cv.custom.Parse(s)
			return v
		case cv.name == "int":
			n, _ := strconv.Atoi(s)
			return n
		case cv.name == "float":
			f, _ := strconv.ParseFloat(s, 64)
			return f
		case cv.name == "uuid":
			return strings.ToLower(s) // as str() of Werkzeug's uuid.UUID
		}
		return s
	}
	return nil
}

// The ends functions split a path between several variables the way
// Werkzeug's regular expression would, without a regexp engine: each
// gives the lengths its piece can take at the start of s, in the order a
// backtracking match tries them. The converter's full check (ranges,
// Parse) runs once the split is found, as Werkzeug runs to_python after
// its expression matched.

// segmentRun is how many bytes at the start of s before a '/'.
func segmentRun(s string) int {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return i
	}
	return len(s)
}

// endsString: [^/]+ or [^/]{min,max}, lengths counted in characters,
// longest first.
func endsString(c *converter, s string, prev int) int {
	n := prev
	if n < 0 {
		n = segmentRun(s)
		if c.maxLen > 0 {
			for utf8.RuneCountInString(s[:n]) > c.maxLen {
				_, size := utf8.DecodeLastRuneInString(s[:n])
				n -= size
			}
		}
	} else {
		_, size := utf8.DecodeLastRuneInString(s[:n])
		n -= size
	}
	if n <= 0 || utf8.RuneCountInString(s[:n]) < max(c.minLen, 1) {
		return -1
	}
	return n
}

// endsPath: [^/].*? , shortest first, never past a line break after the
// first character ('.' takes none), so a split never puts one there and
// the backtracking goes on as the expression's would.
func endsPath(_ *converter, s string, prev int) int {
	n := prev + 1
	if prev < 0 {
		n = 1
	}
	if s == "" || s[0] == '/' || n > len(s) || (n > 1 && s[n-1] == '\n') {
		return -1
	}
	return n
}

// digitRun is how many ASCII digits s starts with (\d is ASCII in Go).
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// endsInt: -?\d+ (or \d{fixed}), longest first.
func endsInt(c *converter, s string, prev int) int {
	sign := 0
	if c.signed && s != "" && s[0] == '-' {
		sign = 1
	}
	run := digitRun(s[sign:])
	if c.fixed > 0 {
		if prev >= 0 || run < c.fixed {
			return -1
		}
		return sign + c.fixed
	}
	n := sign + run
	if prev >= 0 {
		n = prev - 1
	}
	if n <= sign {
		return -1
	}
	return n
}

// endsFloat: -?\d+\.\d+, the fraction longest first.
func endsFloat(c *converter, s string, prev int) int {
	sign := 0
	if c.signed && s != "" && s[0] == '-' {
		sign = 1
	}
	whole := digitRun(s[sign:])
	dot := sign + whole
	if whole == 0 || dot >= len(s) || s[dot] != '.' {
		return -1
	}
	n := dot + 1 + digitRun(s[dot+1:])
	if prev >= 0 {
		n = prev - 1
	}
	if n <= dot+1 {
		return -1
	}
	return n
}

// endsUUID: the one length of a UUID.
func endsUUID(c *converter, s string, prev int) int {
	const n = 36
	if prev >= 0 || len(s) < n || !matchUUID(c, s[:n]) {
		return -1
	}
	return n
}

// endsAny: the choices in the order written, as an alternation tries
// them.
func endsAny(c *converter, s string, prev int) int {
	i := 0
	if prev >= 0 {
		for i < len(c.items) && !(len(c.items[i]) == prev && strings.HasPrefix(s, c.items[i])) {
			i++
		}
		i++
	}
	for ; i < len(c.items); i++ {
		if it := c.items[i]; it != "" && strings.HasPrefix(s, it) && (prev < 0 || len(it) != prev) {
			return len(it)
		}
	}
	return -1
}

// endsCustom: lengths the converter's own regex takes whole, longest
// first, within one segment unless the converter spans segments.
func endsCustom(c *converter, s string, prev int) int {
	n := prev
	if n < 0 {
		n = len(s)
		if !c.spans {
			n = segmentRun(s)
		}
	} else {
		n--
	}
	for ; n > 0; n-- {
		if n == len(s) || utf8.RuneStart(s[n]) {
			if c.full(s[:n]) {
				return n
			}
		}
	}
	return -1
}
