package flasky

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

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
		return "", fmt.Errorf("flasky: URLFor: endpoint %q names different handlers (%s); give them distinct names with Route(...).SetEndpoint", endpoint, strings.Join(rules, ", "))
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
