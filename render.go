// Each page is parsed with the files it calls into a set of its own and
// cached; debug mode parses a changed page again.

package flasky

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"github.com/flasky-go/flasky/internal/safepath"
)

// Render executes the template name from the app's templates/ folder with
// data and sends it as text/html. Templates are Go's html/template, which
// escapes each value for where it lands (HTML text, an attribute, a URL,
// JavaScript or CSS): stronger than Jinja's autoescape, which knows only
// HTML.
//
// A page extends a layout by calling it and defining the blocks the
// layout declares, where Jinja writes {% extends %} and {% block %}:
//
//	{{/* templates/base.html */}}
//	<title>{{block "title" .}}flasky{{end}}</title>
//	<main>{{block "content" .}}{{end}}</main>
//
//	{{/* templates/home.html */}}
//	{{template "base.html" .}}
//	{{define "title"}}Home{{end}}
//	{{define "content"}}<h1>Hello {{.name}}</h1>{{end}}
//
// Each page is parsed with the files it calls into a template set of its
// own, so two pages may define the same block differently. Sets are
// parsed on first use and cached; in debug mode a page whose files
// changed is parsed again. The page is rendered into a buffer first: a
// template error sends nothing but the 500 page, and is returned (and
// logged) with the file and line.
//
// Every template can call url_for "endpoint" "key" value..., static
// "css/site.css", get_flashed_messages (see [Ctx.FlashedMessages]), safe
// (trusted HTML, like Jinja's |safe), upper, lower, title, join, default,
// and the functions added with [App.TemplateFuncs].
func (c *Ctx) Render(name string, data any) error {
	p, err := c.app.templates().lookup(name, c.app.Config.Debug)
	if err != nil {
		return err
	}
	t := p.t
	if p.perRequest {
		b := p.bind(c)
		defer p.unbind(b)
		t = b.t
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	sig := &c.app.Signals
	if sig.BeforeRenderTemplate.subs != nil {
		sig.BeforeRenderTemplate.send(TemplateRendered{Ctx: c, Name: name, Data: data})
	}
	if err := t.Execute(buf, data); err != nil {
		return fmt.Errorf("flasky: render %s: %w", name, err)
	}
	if sig.TemplateRendered.subs != nil {
		sig.TemplateRendered.send(TemplateRendered{Ctx: c, Name: name, Data: data})
	}
	h := c.rw.Header()
	h["Content-Type"] = ctHTML
	if c.buffer {
		c.app.hooks.keep(c, c.statusOr(http.StatusOK), "", buf.Bytes())
		return nil
	}
	if c.rw.head {
		h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	}
	c.rw.WriteHeader(c.statusOr(http.StatusOK))
	if c.rw.head {
		return nil
	}
	_, err = c.rw.w.Write(buf.Bytes())
	c.rw.size += int64(buf.Len())
	return err
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// TemplateFuncs adds functions that every template can call, like Flask's
// template_global and template_filter. Add them before the first render;
// a name given twice keeps the last function.
func (a *App) TemplateFuncs(funcs template.FuncMap) {
	ts := a.templates()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for k, v := range funcs {
		ts.funcs[k] = v
	}
	ts.pages = map[string]*pageSet{}
}

// templateSet is the app's template cache.
type templateSet struct {
	app   *App
	mu    sync.RWMutex
	pages map[string]*pageSet
	funcs template.FuncMap
	// dirs are the folders templates are looked up in, in order: the
	// app's templates/, then each blueprint's (SetTemplateFolder).
	dirs []string
}

// pageSet is one page parsed with the files it uses.
type pageSet struct {
	t     *template.Template
	files []fileStamp

	// perRequest is set when the page calls a function that reads the
	// request being rendered (get_flashed_messages). html/template binds
	// functions at parse time, so such a page is rendered from clones of
	// t, each bound to a slot that holds the Ctx while it renders; t
	// itself is never executed, since a template cannot be cloned once
	// it has run. Clones are kept for reuse, so each is escaped once.
	perRequest bool
	mu         sync.Mutex
	free       []*boundPage
}

// boundPage is a clone of a page whose request functions read c.
type boundPage struct {
	t *template.Template
	c *Ctx
}

// requestFuncs names the template functions that read the request.
var requestFuncs = []string{"get_flashed_messages", "url_for", "static"}

// maxFreeClones caps the clones a page keeps: as many as renders run at
// once, up to this.
const maxFreeClones = 64

// bind returns a clone of the page bound to c.
func (p *pageSet) bind(c *Ctx) *boundPage {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		b.c = c
		return b
	}
	p.mu.Unlock()
	b := &boundPage{c: c}
	// Clone cannot fail: p.t is never executed.
	t, _ := p.t.Clone()
	b.t = t.Funcs(template.FuncMap{
		"get_flashed_messages": func(categories ...string) []Flash { return b.c.FlashedMessages(categories...) },
		// url_for and static build for the request: its prefix, and its
		// scheme and host for _external.
		"url_for": func(endpoint string, kv ...any) (string, error) {
			p, err := urlForArgs(endpoint, kv)
			if err != nil {
				return "", err
			}
			return b.c.URLFor(endpoint, p)
		},
		"static": func(filename string) (string, error) {
			return b.c.URLFor("static", M{"filename": filename})
		},
	})
	return b
}

func (p *pageSet) unbind(b *boundPage) {
	b.c = nil
	p.mu.Lock()
	if len(p.free) < maxFreeClones {
		p.free = append(p.free, b)
	}
	p.mu.Unlock()
}

// fileStamp is what debug mode compares to see a file changed.
type fileStamp struct {
	name string
	dir  string // the template folder it was found in
	mod  time.Time
	size int64
}

func (a *App) templates() *templateSet {
	a.tmplOnce.Do(func() {
		a.tmpl = &templateSet{app: a, pages: map[string]*pageSet{}, funcs: a.builtinFuncs(), dirs: []string{"templates"}}
	})
	return a.tmpl
}

// lookup returns the parsed page, parsing it on first use or, in debug
// mode, when one of its files changed.
func (ts *templateSet) lookup(name string, debug bool) (*pageSet, error) {
	ts.mu.RLock()
	p := ts.pages[name]
	ts.mu.RUnlock()
	if p != nil && (!debug || !p.stale(ts.app)) {
		return p, nil
	}
	p, err := ts.parsePage(name)
	if err != nil {
		return nil, err
	}
	ts.mu.Lock()
	ts.pages[name] = p
	ts.mu.Unlock()
	return p, nil
}

func (p *pageSet) stale(a *App) bool {
	for _, f := range p.files {
		st, err := fs.Stat(a.appFS(), f.dir+"/"+f.name)
		if err != nil || !st.ModTime().Equal(f.mod) || st.Size() != f.size {
			return true
		}
	}
	return false
}

// parsePage parses a page and, before it, every template file it calls
// (recursively), so the page's own {{define}} blocks win over a layout's
// {{block}} defaults.
func (ts *templateSet) parsePage(name string) (*pageSet, error) {
	ts.mu.RLock()
	funcs := ts.funcs
	ts.mu.RUnlock()
	root := template.New(name).Funcs(funcs)
	p := &pageSet{}
	seen := map[string]bool{}
	var add func(file string, into *template.Template, chain []string) error
	add = func(file string, into *template.Template, chain []string) error {
		src, dir, st, err := ts.read(file, chain)
		if err != nil {
			return err
		}
		seen[file] = true
		p.files = append(p.files, fileStamp{name: file, dir: dir, mod: st.ModTime(), size: st.Size()})
		for _, fn := range requestFuncs {
			p.perRequest = p.perRequest || strings.Contains(src, fn)
		}
		// Parse alone first to learn which files this one calls.
		probe, err := template.New(file).Funcs(funcs).Parse(src)
		if err != nil {
			return fmt.Errorf("flasky: template %w", err)
		}
		for _, dep := range calledFiles(probe) {
			if seen[dep] {
				continue
			}
			if err := add(dep, root.New(dep), append(chain, file)); err != nil {
				return err
			}
		}
		if _, err := into.Parse(src); err != nil {
			return fmt.Errorf("flasky: template %w", err)
		}
		return nil
	}
	if err := add(name, root, nil); err != nil {
		return nil, err
	}
	return &pageSet{t: root, files: p.files, perRequest: p.perRequest}, nil
}

// read loads file from the first template folder that has it: the
// app's templates/, then the blueprints' (Flask's order).
func (ts *templateSet) read(file string, chain []string) (src, dir string, st fs.FileInfo, err error) {
	clean, err := safepath.Clean(file)
	if err == nil && clean != file && slices.Contains(strings.Split(file, "/"), "..") {
		err = errors.New("a template name may not hold '..'") // Jinja refuses it too
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("flasky: template name %q: %w", file, err)
	}
	file = clean // "./admin/index.html" is admin/index.html, as in Jinja
	fsys := ts.app.appFS()
	ts.mu.RLock()
	dirs := ts.dirs
	ts.mu.RUnlock()
	for _, dir = range dirs {
		full := dir + "/" + file
		st, err = fs.Stat(fsys, full)
		if err == nil && st.IsDir() {
			err = fs.ErrNotExist
		}
		var b []byte
		if err == nil {
			b, err = fs.ReadFile(fsys, full)
		}
		if err == nil {
			return string(b), dir, st, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	where := ts.app.RootPath()
	if where == "" {
		where = "the app's embedded files"
	}
	msg := fmt.Sprintf("flasky: template %q not found in %s", file, path.Join(where, "templates"))
	if len(dirs) > 1 {
		msg += " or the blueprints' folders " + strings.Join(dirs[1:], ", ")
	}
	if len(chain) > 0 {
		msg += " (called from " + chain[len(chain)-1] + ")"
	}
	return "", "", nil, fmt.Errorf("%s: %w", msg, err)
}

// calledFiles lists the names in {{template "x"}} calls that the
// template does not define itself and that look like files ("base.html",
// "parts/nav.html").
func calledFiles(t *template.Template) []string {
	defined := map[string]bool{}
	for _, d := range t.Templates() {
		defined[d.Name()] = true
	}
	var out []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		if n == nil || reflect.ValueOf(n).IsNil() {
			return
		}
		switch x := n.(type) {
		case *parse.ListNode:
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.TemplateNode:
			if !defined[x.Name] && strings.Contains(x.Name, ".") {
				out = append(out, x.Name)
			}
		case *parse.IfNode:
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walk(x.List)
			walk(x.ElseList)
		}
	}
	for _, d := range t.Templates() {
		if d.Tree != nil {
			walk(d.Tree.Root)
		}
	}
	return out
}

// builtinFuncs are the functions every template gets.
func (a *App) builtinFuncs() template.FuncMap {
	return template.FuncMap{
		// Replaced in each render by the page's bound clone, which
		// builds for the request; these serve a page rendered without one.
		"url_for": func(endpoint string, kv ...any) (string, error) {
			p, err := urlForArgs(endpoint, kv)
			if err != nil {
				return "", err
			}
			return a.URLFor(endpoint, p)
		},
		// Replaced in each render by the page's bound clone (pageSet.bind).
		"get_flashed_messages": func(...string) ([]Flash, error) {
			return nil, errors.New("get_flashed_messages: called outside Ctx.Render")
		},
		"static": func(filename string) (string, error) {
			return a.URLFor("static", M{"filename": filename})
		},
		"safe":  func(s string) template.HTML { return template.HTML(s) },
		"upper": strings.ToUpper,
		"lower": strings.ToLower,
		"title": titleCase,
		"join": func(sep string, list any) (string, error) {
			v := reflect.ValueOf(list)
			if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
				return "", errors.New("join: not a list")
			}
			parts := make([]string, v.Len())
			for i := range parts {
				parts[i] = fmt.Sprint(v.Index(i).Interface())
			}
			return strings.Join(parts, sep), nil
		},
		"default": func(def, v any) any {
			if v == nil {
				return def
			}
			if rv := reflect.ValueOf(v); rv.IsZero() || ((rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0) {
				return def
			}
			return v
		},
	}
}

// urlForArgs reads url_for's "key" value pairs; keys starting with '_'
// are url_for's options ({{url_for "post" "id" 7 "_anchor" "comments"}}).
func urlForArgs(endpoint string, kv []any) (M, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("url_for %q: needs key value pairs, got %d values", endpoint, len(kv))
	}
	p := make(M, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("url_for %q: key %v is not a string", endpoint, kv[i])
		}
		p[k] = kv[i+1]
	}
	return p, nil
}

// titleCase upper-cases the first letter of each word, like Jinja's title.
func titleCase(s string) string {
	b := []rune(strings.ToLower(s))
	start := true
	for i, r := range b {
		if start && r != ' ' {
			b[i] = []rune(strings.ToUpper(string(r)))[0]
		}
		start = r == ' ' || r == '-' || r == '\t' || r == '\n'
	}
	return string(b)
}
