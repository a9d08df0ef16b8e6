// Subdomains and hosts: rules bound to a part of the Host header, as
// Werkzeug's subdomain rules and its host_matching. An app that uses
// neither keeps one table and links none of this code: the first
// Subdomain, Host or SetDefaultSubdomain call turns it on.

package flasky

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/julienschmidt/httprouter"
)

// domainSpec is the subdomain or host pattern of a group's rules.
type domainSpec struct {
	text string      // as written, static text in lower case: "<user>", "api.example.com"
	rule *parsedRule // "/" + text, matched against "/" + the request's part
	tbl  *table      // where the rules go
}

// domainTable holds the rules of one domain pattern (by shape: "<user>"
// and "<name>" share one, as in Werkzeug's matcher they share a state).
type domainTable struct {
	spec *domainSpec // the first pattern of this shape: it matches, routes name the values
	t    table
	seq  int // creation order, Werkzeug's tie-break
}

// domainRouting is the app's routing by Host.
type domainRouting struct {
	hostMatching bool
	defaultSub   string                  // the subdomain of rules without one
	static       map[string]*domainTable // patterns without variables, by text
	dynamic      []*domainTable          // with variables, in Werkzeug's order
	routes       []*Route                // every rule with a domain, in registration order
}

// Subdomain returns a registrar for rules that answer on a subdomain of
// Config.ServerName, as Flask's subdomain= does: with ServerName
// "example.com",
//
//	users := app.Subdomain("<user>")
//	users.Route("/", profile) // alice.example.com/: c.Param("user") is "alice"
//	app.Subdomain("api").Route("/status", status)
//
// A static subdomain is tried before one with variables, and a rule
// without a subdomain answers on the default subdomain (the bare
// ServerName; see [App.SetDefaultSubdomain]). Once an app has a
// subdomain rule, a request whose host is not ServerName or one of its
// subdomains is a 404, as in Flask. URLFor builds an absolute URL
// (http://alice.example.com/) for a rule on another subdomain than the
// request's. The registrar's routes keep the app's endpoint names, hooks
// and error handlers. It panics when the pattern is not a valid
// subdomain rule or the app matches whole hosts ([App.Host]).
func (a *App) Subdomain(pattern string) *Blueprint {
	return &Blueprint{anon: true, regs: []*group{{app: a, domain: a.mustDomain("Subdomain", pattern, false)}}}
}

// Host returns a registrar for rules bound to a host, as Werkzeug's
// host_matching (Flask(host_matching=True) with host= on each rule):
//
//	app.Host("example.com").Route("/", home)
//	app.Host("<user>.example.org").Route("/", profile)
//
// The pattern is matched against the whole Host header, port included
// unless it is the scheme's default ("example.com:8080"). Rules without
// a host answer on any host, after the host rules. URLFor builds an
// absolute URL for a rule bound to another host than the request's. It
// panics when the pattern is not a valid host rule or the app matches
// subdomains ([App.Subdomain]).
func (a *App) Host(pattern string) *Blueprint {
	return &Blueprint{anon: true, regs: []*group{{app: a, domain: a.mustDomain("Host", pattern, true)}}}
}

// SetDefaultSubdomain sets the subdomain on which rules without one
// answer (Werkzeug's default_subdomain), such as "www": then only
// www.example.com serves them, and the bare ServerName serves the rules
// of app.Subdomain(""). It turns subdomain matching on.
func (a *App) SetDefaultSubdomain(sub string) {
	sub = strings.ToLower(sub)
	d := a.domainRouting("SetDefaultSubdomain", false)
	if d.static[sub] != nil {
		panic(fmt.Sprintf("flasky: SetDefaultSubdomain(%q): rules were registered on app.Subdomain(%q) already; register them on the app instead", sub, sub))
	}
	d.defaultSub = sub
}

// DefaultSubdomain returns the subdomain set with
// [App.SetDefaultSubdomain], "" by default.
func (a *App) DefaultSubdomain() string {
	if a.domains == nil {
		return ""
	}
	return a.domains.defaultSub
}

// SetSubdomain puts the blueprint's rules on a subdomain, as Flask's
// Blueprint(subdomain=...); see [App.Subdomain]. Call it before the
// blueprint's first Route: it panics when the blueprint has routes, or
// the pattern is invalid. It returns the blueprint.
func (b *Blueprint) SetSubdomain(pattern string) *Blueprint {
	b.setDomain("SetSubdomain", pattern, false)
	return b
}

// SetHost binds the blueprint's rules to a host; see [App.Host]. Call it
// before the blueprint's first Route. It returns the blueprint.
func (b *Blueprint) SetHost(pattern string) *Blueprint {
	b.setDomain("SetHost", pattern, true)
	return b
}

func (b *Blueprint) setDomain(call, pattern string, host bool) {
	for _, g := range b.regs {
		if g.routes > 0 {
			panic(fmt.Sprintf("flasky: blueprint %q: %s(%q) after its routes; call it before the first Route", b.name, call, pattern))
		}
	}
	for _, g := range b.regs {
		g.domain = g.app.mustDomain(call, pattern, host)
	}
	b.sub, b.host, b.subSet = pattern, host, true
}

// Subdomain returns the subdomain pattern of the route's rule ("" when
// it has none or the app matches hosts).
func (r *Route) Subdomain() string {
	if r.group == nil || r.group.domain == nil || r.group.app.domains.hostMatching {
		return ""
	}
	return r.group.domain.text
}

// Host returns the host pattern of the route's rule, "" when the app
// does not match hosts or the rule answers on any host.
func (r *Route) Host() string {
	if r.group == nil || r.group.domain == nil || !r.group.app.domains.hostMatching {
		return ""
	}
	return r.group.domain.text
}

// mustDomain parses a subdomain or host pattern for call, turning domain
// routing on. A subdomain equal to the default one is no domain: its
// rules are the app's own.
func (a *App) mustDomain(call, pattern string, host bool) *domainSpec {
	d := a.domainRouting(call, host)
	text, err := lowerStatic(pattern)
	if err == nil && host && text == "" {
		err = fmt.Errorf("a host pattern is not empty")
	}
	if err == nil && strings.ContainsAny(text, "/\\?#@ ") {
		err = fmt.Errorf("a %s names no path, query or user: it holds %q", domainWord(host), text)
	}
	if err != nil {
		panic(fmt.Sprintf("flasky: %s(%q): %v", call, pattern, err))
	}
	if !host && text == d.defaultSub {
		return nil
	}
	pr, err := parseRuleConv("/"+text, a.table.converters, false)
	if err != nil {
		panic(fmt.Sprintf("flasky: %s(%q): %v", call, pattern, err))
	}
	for _, v := range pr.vars {
		if v.conv.spans {
			panic(fmt.Sprintf("flasky: %s(%q): <%s> may hold '/', which a host never does", call, pattern, v.spec))
		}
	}
	_ = pr.compileMatcher()
	spec := &domainSpec{text: text, rule: pr}
	spec.tbl = &d.tableFor(spec).t
	return spec
}

func domainWord(host bool) string {
	if host {
		return "host"
	}
	return "subdomain"
}

// domainRouting returns the app's routing by host, making it on first
// use; subdomain and host matching exclude each other, as in Werkzeug.
func (a *App) domainRouting(call string, host bool) *domainRouting {
	d := a.domains
	if d == nil {
		d = &domainRouting{hostMatching: host}
		a.domains = d
		a.matchDomain, a.domainHost = matchDomain, buildDomainHost
	}
	if d.hostMatching != host {
		was := "App.Subdomain"
		if d.hostMatching {
			was = "App.Host"
		}
		panic(fmt.Sprintf("flasky: %s: the app already matches by %s (%s was called); subdomain and host matching exclude each other, as in Werkzeug", call, domainWord(d.hostMatching), was))
	}
	return d
}

// lowerStatic lower-cases the text of a pattern outside its <variables>:
// hosts compare without case, converter arguments keep theirs.
func lowerStatic(pattern string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(pattern); {
		if pattern[i] != '<' {
			b.WriteByte(lowerASCII(pattern[i]))
			i++
			continue
		}
		end, _, err := varEnd(pattern, i)
		if err != nil {
			return "", err
		}
		b.WriteString(pattern[i:end])
		i = end
	}
	return b.String(), nil
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// tableFor returns the table of spec's shape, making it on first use.
func (d *domainRouting) tableFor(spec *domainSpec) *domainTable {
	if len(spec.rule.vars) == 0 {
		if t := d.static[spec.text]; t != nil {
			return t
		}
		t := &domainTable{spec: spec}
		if d.static == nil {
			d.static = map[string]*domainTable{}
		}
		d.static[spec.text] = t
		return t
	}
	for _, t := range d.dynamic {
		if t.spec.rule.shape == spec.rule.shape {
			return t
		}
	}
	t := &domainTable{spec: spec, seq: len(d.dynamic)}
	d.dynamic = append(d.dynamic, t)
	// Werkzeug tries the dynamic states of a part by weight, stably.
	w := func(t *domainTable) *weighting { return &t.spec.rule.wparts[len(t.spec.rule.wparts)-1].w }
	sort.SliceStable(d.dynamic, func(i, j int) bool {
		if c := w(d.dynamic[i]).compare(w(d.dynamic[j])); c != 0 {
			return c < 0
		}
		return d.dynamic[i].seq < d.dynamic[j].seq
	})
	return t
}

// domainPart is what domain rules match in r: the subdomain of
// Config.ServerName, or the whole host; ok is false for a host outside
// ServerName when subdomains are matched (Werkzeug's "<invalid>").
func (a *App) domainPart(r *http.Request) (part string, ok bool) {
	host := hostOf(r)
	if a.domains.hostMatching {
		return host, true
	}
	server := a.Config.ServerName
	if server == "" {
		return "", true // Werkzeug: the request's own host, so no subdomain
	}
	server = stripDefaultPort(strings.ToLower(server), isTLS(r))
	if host == server {
		return "", true
	}
	if sub, ok := strings.CutSuffix(host, "."+server); ok && sub != "" {
		return strings.Trim(sub, "."), true
	}
	return "", false
}

// hostOf is the request's host as Werkzeug's get_host gives it: lower
// case, without the scheme's default port.
func hostOf(r *http.Request) string {
	return stripDefaultPort(strings.ToLower(r.Host), isTLS(r))
}

func isTLS(r *http.Request) bool { return r.TLS != nil }

func stripDefaultPort(host string, tls bool) string {
	if tls {
		return strings.TrimSuffix(host, ":443")
	}
	return strings.TrimSuffix(host, ":80")
}

// matchDomain is App.match for an app with domain rules: the table of
// the request's static domain first, then the domain patterns with
// variables in Werkzeug's order, each taken only when it has a rule for
// the path and method; in host matching, rules without a host last. The
// methods of every rule that matched the path are gathered for a 405.
func matchDomain(a *App, c *Ctx, path string, m methodSet) (bool, methodSet) {
	d := a.domains
	part, ok := a.domainPart(c.Request)
	if !ok {
		c.route, c.params = nil, nil
		return false, 0
	}
	var allowed methodSet
	if !d.hostMatching && part == d.defaultSub {
		found, al := a.table.match(c, path, m)
		if found {
			return true, al
		}
		allowed |= al
	}
	if t := d.static[part]; t != nil {
		found, al := t.t.match(c, path, m)
		if found {
			return true, allowed | al
		}
		allowed |= al
	}
	if len(d.dynamic) > 0 {
		target := "/" + part
		for _, t := range d.dynamic {
			vals := make([]string, len(t.spec.rule.vars))
			if !t.spec.rule.matchValues(target, vals) {
				continue
			}
			found, al := t.t.match(c, path, m)
			allowed |= al
			if !found {
				continue
			}
			// The values follow the path's, named as the matched route
			// names them.
			ps := make(httprouter.Params, len(c.params), len(c.params)+len(vals))
			copy(ps, c.params)
			for i, v := range c.route.group.domain.rule.vars {
				ps = append(ps, httprouter.Param{Key: v.name, Value: vals[i]})
			}
			c.params = ps
			return true, allowed
		}
	}
	if d.hostMatching {
		found, al := a.table.match(c, path, m)
		return found, allowed | al
	}
	c.route, c.params = nil, nil
	return false, allowed
}

// buildDomainHost builds the host of r's rule from values, and reports
// whether it is elsewhere than the host the URL is for (the request's,
// or without a request ServerName's default subdomain): the URL must
// then be absolute. host is "" for a rule that answers on any host.
func buildDomainHost(a *App, c *Ctx, r *Route, values M) (host string, elsewhere bool, err error) {
	d := a.domains
	spec := r.group.domain
	if d.hostMatching {
		if spec == nil {
			return "", false, nil // answers on any host
		}
		h, err := buildDomainText(spec, values)
		if err != nil {
			return "", false, err
		}
		cur := strings.ToLower(a.Config.ServerName)
		if c != nil {
			cur = hostOf(c.Request)
		}
		return h, h != cur, nil
	}
	sub := d.defaultSub
	if spec != nil {
		if sub, err = buildDomainText(spec, values); err != nil {
			return "", false, err
		}
	}
	cur, ok := d.defaultSub, true
	if c != nil {
		cur, ok = a.domainPart(c.Request)
	}
	elsewhere = !ok || sub != cur
	server := strings.ToLower(a.Config.ServerName)
	switch {
	case server == "" && elsewhere:
		return "", false, fmt.Errorf("rule %q is on subdomain %q: building its URL needs Config.ServerName", r.rule.text, sub)
	case server == "":
		return "", false, nil // the request's own host
	case sub == "":
		return server, elsewhere, nil
	}
	return sub + "." + server, elsewhere, nil
}

// buildDomainText fills a domain pattern with values.
func buildDomainText(spec *domainSpec, values M) (string, error) {
	var b strings.Builder
	for _, part := range spec.rule.parts {
		if part.v == nil {
			b.WriteString(part.static)
			continue
		}
		v, ok := values[part.v.name]
		if !ok || v == nil {
			return "", fmt.Errorf("missing value for <%s> of %q", part.v.name, spec.text)
		}
		pv, err := pathValue(v, part.v.conv.name)
		if err != nil {
			return "", fmt.Errorf("%q: <%s>: %w", spec.text, part.v.name, err)
		}
		s, err := part.v.conv.toURL(pv)
		if err != nil {
			return "", fmt.Errorf("%q: <%s>: %w", spec.text, part.v.name, err)
		}
		if !validHost(s) || !part.v.conv.match(part.v.conv, s) {
			return "", fmt.Errorf("%q: <%s>=%q cannot be put in a host name", spec.text, part.v.name, s)
		}
		b.WriteString(s)
	}
	return strings.TrimPrefix(b.String(), "/"), nil
}
