// Each page is parsed with the files it calls into a set of its own and
// cached; debug mode parses a changed page again.

package flasky

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	ttemplate "text/template"
	"text/template/parse"
	"time"

	"github.com/flasky-go/flasky/internal/safepath"
)

// Render executes the template name from the app's templates/ folder with
// data and sends it, like Flask's render_template. A page whose name ends
// in .html, .htm, .xml, .xhtml or .svg (the names Flask autoescapes) is
// Go's html/template, which escapes each value for where it lands (HTML
// text, an attribute, a URL, JavaScript or CSS): stronger than Jinja's
// autoescape, which knows only HTML. Any other page (mail.txt,
// robots.txt) is text/template and escapes nothing. The Content-Type
// follows the name: text/html for .html, text/plain for .txt, the type
// of the extension otherwise.
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
// Besides the data (.), every template can call:
//
//   - request: the [Ctx] being served, Flask's request:
//     {{request.Args.Get "q"}}, {{request.Request.URL.Path}},
//     {{request.Endpoint}};
//   - g: the values handlers and hooks stored with [Ctx.Set], Flask's g:
//     {{with g.user}}{{.Name}}{{end}};
//   - session: the session's values, {{session.user_id}} (none without
//     Config.SecretKey);
//   - config: the app's [Config], {{if config.Debug}};
//   - vars: the values of the context processors ([App.ContextProcessor]),
//     which are also merged into data that is an [M] or nil;
//   - url_for "endpoint" "key" value..., static "css/site.css",
//     get_flashed_messages (see [Ctx.FlashedMessages]);
//   - safe (trusted HTML, Jinja's |safe), tojson (Jinja's |tojson),
//     upper, lower, title, join, default, strftime, last, add, and the
//     functions added with [App.TemplateFuncs].
//
// A page that calls none of request, g, session, vars, url_for, static or
// get_flashed_messages is rendered without looking at the request at all.
func (c *Ctx) Render(name string, data any) error {
	p, err := c.app.templates().lookup(name, c.app.reloadTemplates())
	if err != nil {
		return c.notFoundFrom(err)
	}
	return c.sendPage(p, name, data)
}

// RenderFirst renders the first of names that exists, as Flask's
// render_template given a list (Jinja's select_template): a page may
// name a specific template and fall back on a general one. A name is
// skipped only when its own file is missing; any other error of the
// first that exists (a parse error, a file it calls that is missing) is
// returned. None existing is an error that wraps fs.ErrNotExist.
func (c *Ctx) RenderFirst(names []string, data any) error {
	name, err := c.app.templates().first(names, c.app.reloadTemplates())
	if err != nil {
		return err
	}
	return c.Render(name, data)
}

// first returns the first of names whose file exists (or whose page is
// cached, outside debug mode), for RenderFirst.
func (ts *templateSet) first(names []string, debug bool) (string, error) {
	for _, n := range names {
		if !debug {
			ts.mu.RLock()
			p := ts.pages[n]
			ts.mu.RUnlock()
			if p != nil {
				return n, nil
			}
		}
		_, _, _, err := ts.read(n, nil)
		if err == nil {
			return n, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("flasky: none of the templates %q found: %w", names, fs.ErrNotExist)
}

// notFoundFrom adds to a template-not-found error of a blueprint's route
// which blueprint asked for it, as Flask's EXPLAIN_TEMPLATE_LOADING
// does: its template folder is searched after the app's and the ones
// registered before it, so a name shared with them finds theirs.
func (c *Ctx) notFoundFrom(err error) error {
	if c.route == nil || c.route.group.name == "" || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return fmt.Errorf("%w (looked up from an endpoint of the blueprint %q)", err, c.route.group.name)
}

// RenderString renders a template given as its source rather than a file
// name and sends it as text/html, like Flask's render_template_string.
// The source is HTML (html/template) and may call the files of
// templates/ ({{template "base.html" .}}); it sees what a page of
// [Ctx.Render] sees. Parsed sources are cached, so a constant source
// costs its parse once.
//
// Never build the source from what a client sent: that lets the client
// write template code (template injection). Pass such text as data.
func (c *Ctx) RenderString(source string, data any) error {
	p, err := c.app.templates().lookupString(source, c.app.reloadTemplates())
	if err != nil {
		return err
	}
	return c.sendPage(p, "", data)
}

// RenderToString renders the template name as [Ctx.Render] does (the
// request functions, context processors and signals included) and
// returns the text instead of sending it: a mail body, a fragment for a
// JSON answer.
func (c *Ctx) RenderToString(name string, data any) (string, error) {
	p, err := c.app.templates().lookup(name, c.app.reloadTemplates())
	if err != nil {
		return "", c.notFoundFrom(err)
	}
	var b strings.Builder
	if err := c.app.execute(c, p, name, data, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// RenderToString renders the template name outside a request (a mail
// sent by a background job, a page written to disk) and returns the
// text. There is no request, so the context processors do not run,
// request, g, session and vars give nil, url_for and static build from
// Config alone as [App.URLFor] does, and get_flashed_messages fails.
// The template signals are sent with a nil Ctx.
func (a *App) RenderToString(name string, data any) (string, error) {
	p, err := a.templates().lookup(name, a.reloadTemplates())
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := a.execute(nil, p, name, data, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// StreamTemplate renders the template name as [Ctx.Render] does but sends
// the page while it executes, like Flask's stream_template: for a large
// page, or one whose data is slow to come (a channel or an iterator the
// template ranges over), the browser gets the head of the page, and the
// styles it links, before the rest is ready. Whatever the template has
// written reaches the client within 50 ms.
//
// A template error before the first byte is written is the 500 page as
// with Render. After it, the status and headers are gone: the error is
// returned and logged, and the client sees the page end where it
// stopped. The session cookie goes out with the headers, so the page's
// flashed messages are taken from the session before the first byte;
// other session changes made while the page renders are not saved. For
// HEAD only the headers are sent.
func (c *Ctx) StreamTemplate(name string, data any) error {
	a := c.app
	p, err := a.templates().lookup(name, a.reloadTemplates())
	if err != nil {
		return c.notFoundFrom(err)
	}
	h := c.rw.Header()
	h["Content-Type"] = p.ctype
	h.Del("Content-Length")
	if c.rw.head {
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
		return nil
	}
	if p.flashes {
		c.FlashedMessages() // kept in c.store for the template
	}
	s := &templateStream{c: c}
	err = a.execute(c, p, name, data, s)
	if serr := s.stop(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	if !c.rw.wroteHeader {
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
	}
	return nil
}

// streamFlushDelay is how long what a streamed template wrote may wait
// before it is flushed to the client.
const streamFlushDelay = 50 * time.Millisecond

// templateStream is the writer StreamTemplate executes into: each write
// goes to the response (net/http sends each full 4 kB buffer), and a
// timer flushes the rest streamFlushDelay after a write. The first
// write, which sends the headers and saves the session, happens on the
// handler's goroutine; the timer's goroutine only flushes, under mu.
type templateStream struct {
	mu      sync.Mutex
	c       *Ctx
	timer   *time.Timer
	armed   bool // a flush is due
	stopped bool
	err     error
}

func (s *templateStream) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	if err := s.c.Request.Context().Err(); err != nil {
		s.err = fmt.Errorf("client gone: %w", err)
		return 0, s.err
	}
	if !s.c.rw.wroteHeader {
		s.c.rw.WriteHeader(s.c.statusOr(http.StatusOK))
	}
	n, err := s.c.rw.Write(p)
	if err != nil {
		s.err = err
		return n, err
	}
	if !s.armed {
		s.armed = true
		if s.timer == nil {
			s.timer = time.AfterFunc(streamFlushDelay, s.flush)
		} else {
			s.timer.Reset(streamFlushDelay)
		}
	}
	return n, nil
}

func (s *templateStream) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = false
	if s.stopped || s.err != nil {
		return
	}
	if err := http.NewResponseController(s.c.rw.w).Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.err = err
	}
}

// stop ends the timer's work: after it, nothing but the handler touches
// the Ctx. What is still buffered goes out when the handler returns.
func (s *templateStream) stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	if s.timer != nil {
		s.timer.Stop()
	}
	return s.err
}

// sendPage renders p into a buffer and sends it.
func (c *Ctx) sendPage(p *pageSet, name string, data any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	if err := c.app.execute(c, p, name, data, buf); err != nil {
		return err
	}
	h := c.rw.Header()
	h["Content-Type"] = p.ctype
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
	_, err := c.rw.w.Write(buf.Bytes())
	c.rw.size += int64(buf.Len())
	return err
}

// reloadTemplates reports whether a template's files are checked for
// changes before it is rendered.
func (a *App) reloadTemplates() bool { return a.Config.Debug || a.Config.TemplatesAutoReload }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute runs p with data into w for c, or outside a request when c is
// nil: the context processors' values merged in, the request functions
// bound when the page calls them, the signals sent. name is "" for a
// string template.
func (a *App) execute(c *Ctx, p *pageSet, name string, data any, w io.Writer) error {
	var vals M
	if c != nil && a.tmpl.procs != nil {
		data, vals = c.templateContext(data)
	}
	t := p.t
	if p.perRequest {
		b := p.bind(a, c, vals)
		defer p.unbind(b)
		t = b.t
	}
	sig := &a.Signals
	if sig.BeforeRenderTemplate.subs != nil {
		sig.BeforeRenderTemplate.send(TemplateRendered{Ctx: c, Name: name, Data: data})
	}
	if err := t.Execute(w, data); err != nil {
		if name == "" {
			name = "a template string"
		}
		return fmt.Errorf("flasky: render %s: %w", name, err)
	}
	if sig.TemplateRendered.subs != nil {
		sig.TemplateRendered.send(TemplateRendered{Ctx: c, Name: name, Data: data})
	}
	return nil
}

// TemplateFuncs adds functions that every template can call, like Flask's
// template_global and template_filter. Add them before the first render;
// a name given twice keeps the last function. The request functions
// (request, g, session, vars, url_for, static, get_flashed_messages) are
// bound to each request and cannot be replaced.
func (a *App) TemplateFuncs(funcs template.FuncMap) {
	ts := a.templates()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for k, v := range funcs {
		ts.funcs[k] = v
	}
	ts.pages = map[string]*pageSet{}
	ts.strs = map[string]*pageSet{}
}

// templateSet is the app's template cache.
type templateSet struct {
	app   *App
	mu    sync.RWMutex
	pages map[string]*pageSet
	strs  map[string]*pageSet // RenderString's, by source
	funcs template.FuncMap
	// dirs are the folders templates are looked up in, in order: the
	// app's templates/, then each blueprint's (SetTemplateFolder).
	dirs []string
	// procs are the context processors in the order added, each with
	// the group that registered it (&app.root for the app's); nil while
	// there are none. Set before serving, like hooks. (A slice, not a
	// map by group: every program links the types of an App's fields.)
	procs []groupProcessor
}

// groupProcessor is a context processor and the group it serves.
type groupProcessor struct {
	g  *group
	fn ContextProcessor
}

// executor is a parsed *html/template.Template or *text/template.Template.
type executor interface {
	Execute(w io.Writer, data any) error
}

// pageSet is one page parsed with the files it uses.
type pageSet struct {
	t     executor
	html  *template.Template  // t, for an HTML page
	text  *ttemplate.Template // t, for any other
	ctype []string            // the Content-Type header
	files []fileStamp

	// perRequest is set when the page calls a function that reads the
	// request being rendered (requestFuncs). html/template binds
	// functions at parse time, so such a page is rendered from clones of
	// t, each bound to a slot that holds the Ctx while it renders; t
	// itself is never executed, since a template cannot be cloned once
	// it has run. Clones are kept for reuse, so each is escaped once.
	perRequest bool
	// flashes is set when the page calls get_flashed_messages.
	flashes bool
	mu      sync.Mutex
	free    []*boundPage
}

// boundPage is a clone of a page whose request functions read c.
type boundPage struct {
	t    executor
	app  *App
	c    *Ctx // nil outside a request (App.RenderToString)
	vals M    // the context processors' values
}

// requestFuncs names the template functions that read the request.
var requestFuncs = []string{"get_flashed_messages", "url_for", "static", "request", "g", "session", "vars"}

// maxFreeClones caps the clones a page keeps: as many as renders run at
// once, up to this.
const maxFreeClones = 64

// bind returns a clone of the page bound to c.
func (p *pageSet) bind(a *App, c *Ctx, vals M) *boundPage {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		b.c, b.vals = c, vals
		return b
	}
	p.mu.Unlock()
	b := &boundPage{app: a, c: c, vals: vals}
	// Clone cannot fail: p.t is never executed.
	if p.text != nil {
		t, _ := p.text.Clone()
		b.t = t.Funcs(b.funcs())
	} else {
		t, _ := p.html.Clone()
		b.t = t.Funcs(b.funcs())
	}
	return b
}

func (p *pageSet) unbind(b *boundPage) {
	b.c, b.vals = nil, nil
	p.mu.Lock()
	if len(p.free) < maxFreeClones {
		p.free = append(p.free, b)
	}
	p.mu.Unlock()
}

// funcs are the request functions of b's clone.
func (b *boundPage) funcs() template.FuncMap {
	return template.FuncMap{
		"get_flashed_messages": func(categories ...string) ([]Flash, error) {
			if b.c == nil {
				return nil, errors.New("get_flashed_messages: called outside a request")
			}
			return b.c.FlashedMessages(categories...), nil
		},
		// url_for and static build for the request: its prefix, and its
		// scheme and host for _external.
		"url_for": func(endpoint string, kv ...any) (string, error) {
			p, err := urlForArgs(endpoint, kv)
			if err != nil {
				return "", err
			}
			if b.c == nil {
				return b.app.URLFor(endpoint, p)
			}
			return b.c.URLFor(endpoint, p)
		},
		"static": func(filename string) (string, error) {
			if b.c == nil {
				return b.app.URLFor("static", M{"filename": filename})
			}
			return b.c.URLFor("static", M{"filename": filename})
		},
		"request": func() *Ctx { return b.c },
		"g": func() map[string]any {
			if b.c == nil {
				return nil
			}
			return b.c.store
		},
		"session": func() map[string]any {
			if b.c == nil {
				return nil
			}
			c := b.c
			if c.sess == nil && c.app.SessionInterface == nil && len(c.app.Config.SecretKey) == 0 {
				return nil // no secret key: no session, as in FlashedMessages
			}
			return c.Session().values
		},
		"vars": func() M { return b.vals },
	}
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
		// appFS makes the app's file system on first use, without a
		// lock: done here, first renders running at once do not race.
		a.appFS()
		a.tmpl = &templateSet{app: a, pages: map[string]*pageSet{}, strs: map[string]*pageSet{}, funcs: a.builtinFuncs(), dirs: []string{"templates"}}
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
	src, dir, st, err := ts.read(name, nil)
	if err != nil {
		return nil, err
	}
	p, err = ts.parsePage(name, src, false)
	if err != nil {
		return nil, err
	}
	p.files = append(p.files, fileStamp{name: name, dir: dir, mod: st.ModTime(), size: st.Size()})
	ts.mu.Lock()
	ts.pages[name] = p
	ts.mu.Unlock()
	return p, nil
}

// maxStringTemplates caps the sources RenderString keeps parsed; past
// it, the cache starts again (sources are meant to be constants).
const maxStringTemplates = 64

// stringTemplateName is the name a RenderString source has in its set.
const stringTemplateName = "(string)"

// lookupString returns the parsed set of a RenderString source.
func (ts *templateSet) lookupString(src string, debug bool) (*pageSet, error) {
	ts.mu.RLock()
	p := ts.strs[src]
	ts.mu.RUnlock()
	if p != nil && (!debug || !p.stale(ts.app)) {
		return p, nil
	}
	p, err := ts.parsePage(stringTemplateName, src, true)
	if err != nil {
		return nil, err
	}
	ts.mu.Lock()
	if len(ts.strs) >= maxStringTemplates {
		clear(ts.strs)
	}
	ts.strs[src] = p
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

// parsePage parses a page from its source and, before it, every template
// file it calls (recursively), so the page's own {{define}} blocks win
// over a layout's {{block}} defaults. Each file is parsed alone with
// text/template, then its trees join the page's set. An HTML page (by its
// name, or a string template) gets an html/template set of those trees.
// The files read are listed in p.files, except the page itself.
func (ts *templateSet) parsePage(name, src string, fromString bool) (*pageSet, error) {
	ts.mu.RLock()
	funcs := ts.funcs
	ts.mu.RUnlock()
	root := ttemplate.New(name).Funcs(funcs)
	p := &pageSet{}
	seen := map[string]bool{}
	var add func(file, src string, chain []string) error
	add = func(file, src string, chain []string) error {
		seen[file] = true
		probe, err := ttemplate.New(file).Funcs(funcs).Parse(src)
		if err != nil {
			return fmt.Errorf("flasky: template %w", err)
		}
		for _, dep := range calledFiles(probe) {
			if seen[dep] {
				continue
			}
			chain := append(chain, file)
			depSrc, dir, st, err := ts.read(dep, chain)
			if err != nil {
				return err
			}
			p.files = append(p.files, fileStamp{name: dep, dir: dir, mod: st.ModTime(), size: st.Size()})
			if err := add(dep, depSrc, chain); err != nil {
				return err
			}
		}
		for _, d := range probe.Templates() {
			if d.Tree == nil {
				continue
			}
			p.noteCalls(d.Tree.Root)
			if _, err := root.AddParseTree(d.Name(), d.Tree); err != nil {
				return fmt.Errorf("flasky: template %s: %w", file, err)
			}
		}
		return nil
	}
	if err := add(name, src, nil); err != nil {
		return nil, err
	}
	isHTML, ctype := templateKind(name)
	p.ctype = ctype
	if !isHTML && !fromString {
		p.text, p.t = root, root
		return p, nil
	}
	h := template.New(name).Funcs(funcs)
	for _, d := range root.Templates() {
		if d.Tree == nil {
			continue
		}
		if _, err := h.AddParseTree(d.Name(), d.Tree); err != nil {
			return nil, fmt.Errorf("flasky: template %s: %w", d.Name(), err)
		}
	}
	if p.html = h.Lookup(name); p.html == nil {
		return nil, fmt.Errorf("flasky: template %s: no template of that name in its set", name)
	}
	p.t = p.html
	if fromString {
		p.ctype = ctHTML
	}
	return p, nil
}

// noteCalls records which request functions the tree calls.
func (p *pageSet) noteCalls(root parse.Node) {
	walkTree(root, func(n parse.Node) {
		id, ok := n.(*parse.IdentifierNode)
		if !ok {
			return
		}
		for _, fn := range requestFuncs {
			if id.Ident == fn {
				p.perRequest = true
			}
		}
		if id.Ident == "get_flashed_messages" {
			p.flashes = true
		}
	})
}

// templateKind tells whether a template of this name is HTML, as Flask
// decides what to autoescape (by the extension, here in any case), and
// the Content-Type it is sent with.
func templateKind(name string) (isHTML bool, ctype []string) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".html", ".htm":
		return true, ctHTML
	case ".txt":
		return false, ctText
	case ".xml", ".xhtml", ".svg":
		isHTML = true
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return isHTML, []string{ct}
	}
	if isHTML {
		return true, ctHTML
	}
	return false, ctText
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
func calledFiles(t *ttemplate.Template) []string {
	defined := map[string]bool{}
	for _, d := range t.Templates() {
		defined[d.Name()] = true
	}
	var out []string
	for _, d := range t.Templates() {
		if d.Tree == nil {
			continue
		}
		walkTree(d.Tree.Root, func(n parse.Node) {
			if x, ok := n.(*parse.TemplateNode); ok && !defined[x.Name] && strings.Contains(x.Name, ".") {
				out = append(out, x.Name)
			}
		})
	}
	return out
}

// walkTree calls visit for n and every node under it.
func walkTree(n parse.Node, visit func(parse.Node)) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	visit(n)
	switch x := n.(type) {
	case *parse.ListNode:
		for _, c := range x.Nodes {
			walkTree(c, visit)
		}
	case *parse.ActionNode:
		walkTree(x.Pipe, visit)
	case *parse.PipeNode:
		for _, c := range x.Cmds {
			walkTree(c, visit)
		}
	case *parse.CommandNode:
		for _, a := range x.Args {
			walkTree(a, visit)
		}
	case *parse.ChainNode:
		walkTree(x.Node, visit)
	case *parse.TemplateNode:
		walkTree(x.Pipe, visit)
	case *parse.IfNode:
		walkBranch(&x.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&x.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&x.BranchNode, visit)
	}
}

func walkBranch(b *parse.BranchNode, visit func(parse.Node)) {
	walkTree(b.Pipe, visit)
	walkTree(b.List, visit)
	walkTree(b.ElseList, visit)
}
