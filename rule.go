// A Flask rule ("/user/<int:id>") is parsed into the httprouter pattern
// that matches it and the converters that check it. A rule httprouter
// cannot express (text after a variable in its segment, ':' or '*' in
// static text, <path:> before the end) is matched by flasky itself, the
// way the regular expression Werkzeug compiles for it matches.

package flasky

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// ruleVar is one variable of a rule.
type ruleVar struct {
	name string
	conv *converter
	spec string // converter as written, with arguments: "int(min=1)"
}

// rulePart is a static text or a variable; a parsed rule is a list of them.
type rulePart struct {
	static string
	v      *ruleVar
}

// parsedRule is what a rule compiles to.
type parsedRule struct {
	text   string
	parts  []rulePart
	vars   []ruleVar
	shape  string  // the rule without variable names: equal shapes match the same paths
	wparts []wpart // Werkzeug's RuleParts, for ordering

	// A rule httprouter can carry (simple) has a pattern; any other has
	// a matcher of its own.
	simple  bool
	pattern string // httprouter pattern with positional names: /user/:0
	catch   int    // index of the <path:> variable to trim, or -1

	prefix, suffix string // static text before the first and after the last variable
	noDoubleSlash  bool   // ends in '/' after a <path:>: a path ending in "//" is no match (Werkzeug's (?<!/))

	// merged reports that the rule's own runs of '/' were merged
	// (merge_slashes): set only on a rule written with "//", which the
	// table keeps among its complex rules so that it can be compiled
	// again when its setting changes.
	merged bool

	// Set by the table when the route is registered.
	nodes []*wnode // the Werkzeug state of each part
	seq   int      // registration order
}

// parseRuleConv compiles a Flask rule, looking converters up in custom
// first. With merge, runs of '/' in the rule count as one, as Werkzeug
// compiles a rule with merge_slashes: "/a//b" then matches and builds
// /a/b, and without it the rule is /a//b as written. Every error quotes
// the rule.
func parseRuleConv(rule string, custom map[string]converterBuilder, merge bool) (*parsedRule, error) {
	src, doubled := rule, strings.Contains(rule, "//")
	if merge && doubled {
		src = mergeSlashes(rule)
	}
	p, err := parseRuleText(src, custom, doubled)
	if err != nil {
		return nil, fmt.Errorf("flasky: rule %q: %w", rule, err)
	}
	p.text, p.merged = rule, merge && doubled
	return p, nil
}

// parseRuleText compiles rule; own makes it a rule flasky matches
// itself even when httprouter could carry it.
func parseRuleText(rule string, custom map[string]converterBuilder, own bool) (*parsedRule, error) {
	if rule == "" || rule[0] != '/' {
		return nil, errors.New("a rule must start with '/'")
	}
	p := &parsedRule{text: rule, catch: -1}
	for i := 0; i < len(rule); {
		if rule[i] != '<' {
			j := strings.IndexByte(rule[i:], '<')
			if j < 0 {
				j = len(rule) - i
			}
			p.parts = appendStatic(p.parts, rule[i:i+j])
			i += j
			continue
		}
		end, body, err := varEnd(rule, i)
		if err != nil {
			return nil, err
		}
		v, err := parseVar(body, custom)
		if err != nil {
			return nil, err
		}
		for _, old := range p.vars {
			if old.name == v.name {
				return nil, fmt.Errorf("variable %q appears twice", v.name)
			}
		}
		p.vars = append(p.vars, v)
		p.parts = append(p.parts, rulePart{v: &p.vars[len(p.vars)-1]})
		i = end
	}
	// The slice of vars may have moved while growing: point parts at the
	// final array.
	n := 0
	var shape strings.Builder
	for k := range p.parts {
		if p.parts[k].v != nil {
			p.parts[k].v = &p.vars[n]
			shape.WriteString("<" + p.vars[n].spec + ">")
			n++
		} else {
			shape.WriteString(p.parts[k].static)
		}
	}
	p.shape = shape.String()
	p.wparts = werkzeugParts(p.parts)
	p.compilePattern()
	if own {
		p.simple, p.pattern, p.catch = false, "", -1
	}
	if !p.simple {
		if err := p.compileMatcher(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// varEnd finds the end of the variable that starts at rule[i] == '<' and
// returns the offset after its '>' and the text between the brackets.
// Converter arguments may hold '>' and ':' (<regex("a>b"):x>): as in
// Werkzeug, they end at the first "):".
func varEnd(rule string, i int) (int, string, error) {
	j := i + 1
	for j < len(rule) && rule[j] != '(' && rule[j] != '>' && rule[j] != '<' && rule[j] != '/' {
		j++
	}
	if j < len(rule) && rule[j] == '(' {
		k := strings.Index(rule[j:], "):")
		if k < 0 {
			if strings.IndexByte(rule[j:], '>') < 0 {
				return 0, "", fmt.Errorf("'<' at offset %d is never closed", i)
			}
			return 0, "", fmt.Errorf("converter arguments in %q are not closed with \"):\"", rule[i:])
		}
		j += k + 2
	}
	k := strings.IndexByte(rule[j:], '>')
	if k < 0 {
		return 0, "", fmt.Errorf("'<' at offset %d is never closed", i)
	}
	return j + k + 1, rule[i+1 : j+k], nil
}

// compilePattern sets the httprouter pattern when httprouter can express
// the rule: every variable ends its path segment, no ':' or '*' in static
// text, and a <path:> variable only as the last, whole segment.
func (p *parsedRule) compilePattern() {
	var pat strings.Builder
	for k, part := range p.parts {
		if part.v == nil {
			if strings.ContainsAny(part.static, ":*") {
				return // httprouter reads these as wildcards and has no escape
			}
			pat.WriteString(part.static)
			continue
		}
		last := k == len(p.parts)-1
		if !last && !strings.HasPrefix(p.parts[k+1].static, "/") {
			return // text or another variable follows in the segment
		}
		idx := strconv.Itoa(p.varIndex(part.v))
		c := part.v.conv
		if c.spans {
			if c.name != "path" || !last || !strings.HasSuffix(p.parts[k-1].static, "/") {
				return
			}
			p.catch = p.varIndex(part.v)
			pat.WriteString("*" + idx)
			continue
		}
		pat.WriteString(":" + idx)
	}
	p.simple, p.pattern = true, pat.String()
}

func (p *parsedRule) varIndex(v *ruleVar) int {
	for i := range p.vars {
		if &p.vars[i] == v {
			return i
		}
	}
	return -1
}

// compileMatcher prepares a rule httprouter cannot carry: its static
// prefix and suffix, a cheap filter before split or the one variable's
// cut, and whether a final '/' may follow a part that spans segments.
func (p *parsedRule) compileMatcher() error {
	if p.parts[0].v == nil {
		p.prefix = p.parts[0].static
	}
	if last := p.parts[len(p.parts)-1]; last.v == nil && len(p.parts) > 1 {
		p.suffix = last.static
	}
	// A rule ending in '/' right after a part that spans segments
	// matches a path ending in one '/' only (Werkzeug's (?<!/)(/?)).
	spans := false
	for _, v := range p.vars {
		spans = spans || v.conv.spans
	}
	p.noDoubleSlash = spans && strings.HasSuffix(p.text, "/")
	return nil
}

// split matches path from pos against the rule's parts from part i on,
// putting each variable's text in vals: the backtracking match of
// Werkzeug's expression for the rule, each variable trying the lengths
// its converter's piece would, in the same order (see converter.ends).
func (p *parsedRule) split(path string, i, pos int, vals []string) bool {
	for ; i < len(p.parts) && p.parts[i].v == nil; i++ {
		st := p.parts[i].static
		if !strings.HasPrefix(path[pos:], st) {
			return false
		}
		pos += len(st)
	}
	if i == len(p.parts) {
		return pos == len(path)
	}
	v := p.parts[i].v
	rest := path[pos:]
	for n := v.conv.ends(v.conv, rest, -1); n >= 0; n = v.conv.ends(v.conv, rest, n) {
		if p.split(path, i+1, pos+n, vals) {
			vals[p.varIndex(v)] = rest[:n]
			return true
		}
	}
	return false
}

// matchValues matches a rule httprouter cannot carry against path and
// returns its variables' values, or false. It runs the converters' checks
// over the values.
func (p *parsedRule) matchValues(path string, vals []string) bool {
	if len(path) < len(p.prefix)+len(p.suffix) || !strings.HasPrefix(path, p.prefix) || !strings.HasSuffix(path, p.suffix) {
		return false
	}
	if p.noDoubleSlash && strings.HasSuffix(path, "//") {
		return false
	}
	if len(p.vars) == 1 {
		vals[0] = path[len(p.prefix) : len(path)-len(p.suffix)]
	} else if !p.split(path, 0, 0, vals) {
		return false
	}
	for i := range p.vars {
		c := p.vars[i].conv
		if !c.match(c, vals[i]) {
			return false
		}
	}
	return true
}

func appendStatic(parts []rulePart, s string) []rulePart {
	if n := len(parts); n > 0 && parts[n-1].v == nil {
		parts[n-1].static += s
		return parts
	}
	return append(parts, rulePart{static: s})
}

// parseVar reads "name", "conv:name" or "conv(args):name".
func parseVar(s string, custom map[string]converterBuilder) (ruleVar, error) {
	spec, name, hasConv := s, s, false
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		spec, name, hasConv = s[:i], s[i+1:], true
	}
	if !hasConv {
		spec = ""
	}
	spec, name = strings.TrimSpace(spec), strings.TrimSpace(name)
	if !isIdent(name) {
		return ruleVar{}, fmt.Errorf("variable name %q in <%s> is not a Go or Python identifier", name, s)
	}
	conv, args := spec, ""
	if open := strings.IndexByte(spec, '('); open >= 0 {
		if !strings.HasSuffix(spec, ")") {
			return ruleVar{}, fmt.Errorf("converter arguments in <%s> are not closed with ')'", s)
		}
		conv, args = strings.TrimSpace(spec[:open]), spec[open+1:len(spec)-1]
	}
	if hasConv && !isIdent(conv) {
		return ruleVar{}, fmt.Errorf("converter name %q in <%s> is not an identifier", conv, s)
	}
	c, err := newConverter(conv, args, custom)
	if err != nil {
		return ruleVar{}, fmt.Errorf("<%s>: %w", s, err)
	}
	if spec == "" {
		spec = "string"
	}
	return ruleVar{name: name, conv: c, spec: spec}, nil
}
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// sameShape reports whether two rules match exactly the same paths: the
// same static text and the same converters in the same places.
func (p *parsedRule) sameShape(q *parsedRule) bool { return p.shape == q.shape }

// examplePath is a path that the rule matches, for error messages.
func (p *parsedRule) examplePath() string {
	var b strings.Builder
	for _, part := range p.parts {
		if part.v == nil {
			b.WriteString(part.static)
			continue
		}
		b.WriteString(sampleValue(part.v.conv))
	}
	return b.String()
}

func sampleValue(c *converter) string {
	switch c.name {
	case "int":
		v, ok := sampleInRange(c, 1, math.Ceil, math.Floor)
		if !ok || math.Abs(v) > 1e18 {
			return "" // no whole number in range: the rule matches nothing
		}
		digits := strconv.FormatInt(int64(math.Abs(v)), 10)
		if c.fixed > len(digits) {
			digits = strings.Repeat("0", c.fixed-len(digits)) + digits
		} else if c.fixed > 0 && c.fixed < len(digits) {
			return ""
		}
		if v < 0 {
			return "-" + digits
		}
		return digits
	case "float":
		v, ok := sampleInRange(c, 1.5, func(f float64) float64 { return f }, func(f float64) float64 { return f })
		if !ok || math.IsInf(v, 0) {
			return ""
		}
		s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		if v < 0 {
			return "-" + s
		}
		return s
	case "uuid":
		return "00000000-0000-0000-0000-000000000000"
	case "any":
		for _, it := range c.items {
			if it != "" {
				return it // an empty choice never matches: values are never empty
			}
		}
		return ""
	case "path":
		return "a/b"
	case "string":
		if c.minLen > 1 {
			return strings.Repeat("x", c.minLen)
		}
		return "x"
	}
	return c.example
}

// sampleInRange moves want into the converter's range (min, max, and 0
// up for an unsigned number), rounding with up and down; false when the
// range holds no such value.
func sampleInRange(c *converter, want float64, up, down func(float64) float64) (float64, bool) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if !c.signed {
		lo = 0
	}
	if c.min != nil {
		lo = max(lo, *c.min)
	}
	if c.max != nil {
		hi = min(hi, *c.max)
	}
	if want < lo {
		want = up(lo)
	}
	if want > hi {
		want = down(hi)
	}
	return want, want >= lo && want <= hi
}

// weighting is Werkzeug's RulePart.weight: (-len(static_weights),
// static_weights, -len(argument_weights), argument_weights), where a
// static weight is (index, -len(text)) and an argument weight the
// converter's weight. Lower sorts first.
type weighting struct {
	statics [][2]int
	args    []int
}

func (a *weighting) compare(b *weighting) int {
	if len(a.statics) != len(b.statics) {
		return len(b.statics) - len(a.statics) // more static pieces first
	}
	for i := range a.statics {
		for k := 0; k < 2; k++ {
			if a.statics[i][k] != b.statics[i][k] {
				return a.statics[i][k] - b.statics[i][k]
			}
		}
	}
	if len(a.args) != len(b.args) {
		return len(b.args) - len(a.args) // more variables first
	}
	for i := range a.args {
		if a.args[i] != b.args[i] {
			return a.args[i] - b.args[i]
		}
	}
	return 0
}

// wpart is one of Werkzeug's RuleParts: a whole static path segment, a
// segment with variables, or (from the first variable that may hold a
// '/') everything to the end of the rule. Parts with equal keys share a
// state of Werkzeug's matcher.
type wpart struct {
	static bool
	key    string
	w      weighting
}

// werkzeugParts splits a rule into parts as Werkzeug's Rule._parse_rule
// does.
func werkzeugParts(parts []rulePart) []wpart {
	var out []wpart
	var content strings.Builder
	static, final := true, false
	var w weighting
	emit := func(suffixed bool) {
		p := wpart{static: static, w: w}
		if static {
			p.key = "s" + content.String()
		} else {
			p.key = fmt.Sprintf("d%t%t%v|%s", final, suffixed, w, content.String())
		}
		out = append(out, p)
		content.Reset()
		static, final, w = true, false, weighting{}
	}
	addStatic := func(s string) {
		w.statics = append(w.statics, [2]int{len(w.statics), -len(s)})
		if static {
			content.WriteString(s)
		} else {
			content.WriteString(regexp.QuoteMeta(s))
		}
	}
	for _, part := range parts {
		if part.v != nil {
			if static {
				s := content.String()
				content.Reset()
				content.WriteString(regexp.QuoteMeta(s))
			}
			static = false
			final = final || part.v.conv.spans
			content.WriteString("(" + part.v.conv.re + ")")
			w.args = append(w.args, part.v.conv.weight)
			continue
		}
		s := part.static
		for s != "" {
			i := strings.IndexByte(s, '/')
			if i != 0 {
				chunk := s
				if i > 0 {
					chunk = s[:i]
				}
				addStatic(chunk)
				s = s[len(chunk):]
				continue
			}
			s = s[1:]
			if final {
				content.WriteByte('/')
			} else {
				emit(false)
			}
		}
	}
	suffixed := final && strings.HasSuffix(content.String(), "/")
	emit(suffixed)
	if suffixed {
		out = append(out, wpart{static: true, key: "s"})
	}
	return out
}
