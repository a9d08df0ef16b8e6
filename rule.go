// A Flask rule ("/user/<int:id>") is parsed into the httprouter pattern
// that matches it and the converters that check it.

package flasky

import (
	"errors"
	"fmt"
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
	text    string
	pattern string // httprouter pattern with positional names: /user/:0
	parts   []rulePart
	vars    []ruleVar
	weights []int // one per path segment, lower is more specific
	catch   int   // index of the <path:> variable, or -1
}

// parseRule compiles a Flask rule. Every error quotes the rule.
func parseRule(rule string) (*parsedRule, error) {
	p, err := parseRuleText(rule)
	if err != nil {
		return nil, fmt.Errorf("flasky: rule %q: %w", rule, err)
	}
	return p, nil
}

func parseRuleText(rule string) (*parsedRule, error) {
	if rule == "" || rule[0] != '/' {
		return nil, errors.New("a rule must start with '/'")
	}
	p := &parsedRule{text: rule, catch: -1}
	var pat strings.Builder
	segWeight := weightStatic
	for i := 0; i < len(rule); {
		c := rule[i]
		switch {
		case c == '<':
			end := strings.IndexByte(rule[i:], '>')
			if end < 0 {
				return nil, fmt.Errorf("'<' at offset %d is never closed", i)
			}
			v, err := parseVar(rule[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			for _, old := range p.vars {
				if old.name == v.name {
					return nil, fmt.Errorf("variable %q appears twice", v.name)
				}
			}
			next := i + end + 1
			if next < len(rule) && rule[next] != '/' {
				return nil, fmt.Errorf("variable <%s> must end its path segment (text %q follows it); put the text in its own segment", v.name, rule[next:])
			}
			idx := strconv.Itoa(len(p.vars))
			if v.conv.name == "path" {
				if next != len(rule) {
					return nil, fmt.Errorf("<path:%s> must be the last part of the rule", v.name)
				}
				if rule[i-1] != '/' {
					return nil, fmt.Errorf("<path:%s> must fill a whole path segment", v.name)
				}
				p.catch = len(p.vars)
				pat.WriteString("*" + idx)
			} else {
				pat.WriteString(":" + idx)
			}
			p.vars = append(p.vars, v)
			p.parts = append(p.parts, rulePart{v: &p.vars[len(p.vars)-1]})
			segWeight = max(segWeight, v.conv.weight)
			i = next
		case c == '>':
			return nil, fmt.Errorf("'>' at offset %d has no '<'", i)
		case c == ':' || c == '*':
			// httprouter reads these as wildcards and has no escape for them.
			return nil, fmt.Errorf("%q at offset %d is not allowed in static text", c, i)
		default:
			j := i
			for j < len(rule) && rule[j] != '<' && rule[j] != '>' && rule[j] != ':' && rule[j] != '*' {
				if rule[j] == '/' && j > i {
					break
				}
				j++
			}
			if rule[i] == '/' && i > 0 {
				p.weights = append(p.weights, segWeight)
				segWeight = weightStatic
			}
			p.parts = appendStatic(p.parts, rule[i:j])
			pat.WriteString(rule[i:j])
			i = j
		}
	}
	p.weights = append(p.weights, segWeight)
	// The slice of vars may have moved while growing: point parts at the
	// final array.
	n := 0
	for k := range p.parts {
		if p.parts[k].v != nil {
			p.parts[k].v = &p.vars[n]
			n++
		}
	}
	p.pattern = pat.String()
	return p, nil
}

func appendStatic(parts []rulePart, s string) []rulePart {
	if n := len(parts); n > 0 && parts[n-1].v == nil {
		parts[n-1].static += s
		return parts
	}
	return append(parts, rulePart{static: s})
}

// parseVar reads "name", "conv:name" or "conv(args):name".
func parseVar(s string) (ruleVar, error) {
	spec, name, hasConv := strings.Cut(s, ":")
	if !hasConv {
		spec, name = "", s
	}
	if strings.Contains(name, ":") {
		return ruleVar{}, fmt.Errorf("variable <%s> has more than one ':'", s)
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
	c, err := newConverter(conv, args)
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
func (p *parsedRule) sameShape(q *parsedRule) bool {
	if p.pattern != q.pattern || len(p.vars) != len(q.vars) {
		return false
	}
	for i := range p.vars {
		if p.vars[i].spec != q.vars[i].spec {
			return false
		}
	}
	return true
}

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
		n := 1
		if c.min != nil && float64(n) < *c.min {
			n = int(*c.min)
		}
		s := strconv.Itoa(n)
		if c.fixed > len(s) {
			s = strings.Repeat("0", c.fixed-len(s)) + s
		}
		return s
	case "float":
		return "1.5"
	case "uuid":
		return "00000000-0000-0000-0000-000000000000"
	case "any":
		return c.items[0]
	case "path":
		return "a/b"
	}
	if c.minLen > 1 {
		return strings.Repeat("x", c.minLen)
	}
	return "x"
}

// moreSpecific reports whether rule a should win over rule b when both
// match a path: at the first segment where they differ, static text beats
// a number, a number beats a string, a string beats a path (Werkzeug's
// order).
func moreSpecific(a, b *parsedRule) bool {
	for i := 0; i < len(a.weights) && i < len(b.weights); i++ {
		if a.weights[i] != b.weights[i] {
			return a.weights[i] < b.weights[i]
		}
	}
	return len(a.weights) > len(b.weights)
}
