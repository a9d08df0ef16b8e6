// The routing table: rules live on httprouter trees, in layers where
// httprouter cannot hold two rules in one tree, and matching picks the
// most specific route among the layers.

package flasky

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"
)

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

	// Rules httprouter cannot carry, matched by their own matchers
	// after the trees; nil in an app without them, which then pays
	// nothing for them.
	complex    []*Route
	shapes     map[string][]*Route // by parsedRule.shape, to refuse twins
	root       wnode               // Werkzeug's matcher states, for ordering
	converters map[string]converterBuilder
}

// wnode is a state of Werkzeug's state-machine matcher. It only orders
// rules: Werkzeug tries a state's static transitions first, then its
// dynamic ones sorted by weight (stably, so equal weights keep the order
// in which they were created), and the first rule reached wins.
type wnode struct {
	static bool
	w      weighting
	seq    int // creation order among the parent's transitions
	next   map[string]*wnode
}

// insert walks the rule's parts from the root, creating the states it
// lacks, and records them in the rule.
func (t *table) insert(p *parsedRule) {
	n := &t.root
	p.nodes = p.nodes[:0]
	for _, part := range p.wparts {
		child := n.next[part.key]
		if child == nil {
			if n.next == nil {
				n.next = map[string]*wnode{}
			}
			child = &wnode{static: part.static, w: part.w, seq: len(n.next)}
			n.next[part.key] = child
		}
		p.nodes = append(p.nodes, child)
		n = child
	}
	p.seq = len(t.routes)
}

// before reports whether Werkzeug reaches rule a before rule b, that is
// whether a wins when both match a path: at the first state where their
// paths through the matcher part, a static transition wins, then the
// lower weight, then the transition made first; rules that end in the
// same state keep their registration order.
func before(a, b *parsedRule) bool {
	for i := 0; i < len(a.nodes) && i < len(b.nodes); i++ {
		na, nb := a.nodes[i], b.nodes[i]
		if na == nb {
			continue
		}
		if na.static != nb.static {
			return na.static
		}
		if c := na.w.compare(&nb.w); c != 0 {
			return c < 0
		}
		return na.seq < nb.seq
	}
	return a.seq < b.seq
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
	for _, old := range t.shapes[pr.shape] {
		if ms := conflict(old, r); ms != 0 {
			if r.unresolved() {
				// AddURLRule's rule without a handler beside its twin:
				// the twin answers, as Werkzeug's first rule would, and
				// this one is built for its endpoint.
				r.buildOnly, r.declared, r.methods = true, r.methods, 0
				break
			}
			return fmt.Errorf("flasky: rule %q is ambiguous with rule %q: both match %q for %s",
				pr.text, old.rule.text, pr.examplePath(), strings.Join(ms.list(), ", "))
		}
	}
	t.insert(pr)
	if t.shapes == nil {
		t.shapes = map[string][]*Route{}
	}
	t.shapes[pr.shape] = append(t.shapes[pr.shape], r)
	t.routes = append(t.routes, r)
	if !pr.simple {
		t.complex = append(t.complex, r)
		return nil
	}
	e := t.entries[pr.pattern]
	if e == nil {
		e = &entry{catch: pr.catch}
		if t.entries == nil {
			t.entries = map[string]*entry{}
		}
		t.entries[pr.pattern] = e
		t.addToTree(pr.pattern, e)
	}
	// Keep the routes in Werkzeug's order.
	i := len(e.routes)
	for i > 0 && before(pr, e.routes[i-1].rule) {
		i--
	}
	e.routes = append(e.routes, nil)
	copy(e.routes[i+1:], e.routes[i:])
	e.routes[i] = r
	return nil
}

// conflict returns the methods for which two routes of the same shape
// would both answer. HEAD counts (a GET route answers it); OPTIONS only
// when both handle it themselves, since an automatic answer gives way.
func conflict(a, b *Route) methodSet {
	ms := a.methods & b.methods
	if a.autoOpts || b.autoOpts {
		ms &^= mOptions
	}
	if ms&mGet == 0 && a.methods&mGet != 0 && b.methods&mGet != 0 {
		ms &^= mHead
	}
	return ms
}

// match finds the route for path and method. On success c.route and
// c.params are set. Otherwise it returns the methods that the path does
// answer (for a 405), or 0 for a 404.
func (t *table) match(c *Ctx, path string, m methodSet) (found bool, allowed methodSet) {
	if len(t.layers) == 1 && t.complex == nil {
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
		if ok && (best == nil || before(c.route.rule, best.rule)) {
			best, bestParams = c.route, c.params
			if len(best.rule.vars) == 0 {
				break // a rule without variables beats every rule with some
			}
		}
	}
	if t.complex != nil && (best == nil || len(best.rule.vars) != 0) {
		best, bestParams, allowed = t.matchComplex(path, m, best, bestParams, allowed)
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

// matchComplex tries the rules httprouter cannot carry that could beat
// best.
func (t *table) matchComplex(path string, m methodSet, best *Route, bestParams httprouter.Params, allowed methodSet) (*Route, httprouter.Params, methodSet) {
	var buf [8]string
	for _, r := range t.complex {
		pr := r.rule
		if best != nil && !before(pr, best.rule) {
			continue // cannot win
		}
		var vals []string
		if len(pr.vars) <= len(buf) {
			vals = buf[:len(pr.vars)]
		} else {
			vals = make([]string, len(pr.vars))
		}
		if !pr.matchValues(path, vals) {
			continue
		}
		if r.methods&m == 0 {
			allowed |= r.methods
			continue
		}
		ps := make(httprouter.Params, len(vals))
		for i := range vals {
			ps[i] = httprouter.Param{Key: pr.vars[i].name, Value: vals[i]}
		}
		best, bestParams = r, ps
		allowed |= r.methods
	}
	return best, bestParams, allowed
}
