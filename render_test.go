package flasky_test

import (
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flasky-go/flasky"
)

// writeTemplates writes files under dir/templates.
func writeTemplates(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, "templates", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var layoutFiles = map[string]string{
	"base.html":       `<title>{{block "title" .}}flasky{{end}}</title><main>{{block "content" .}}none{{end}}</main>{{template "parts/foot.html" .}}`,
	"parts/foot.html": `<footer>{{.name | upper}}</footer>`,
	"home.html":       `{{template "base.html" .}}{{define "title"}}Home{{end}}{{define "content"}}<h1>Hello {{.name}}</h1>{{end}}`,
	"about.html":      `{{template "base.html" .}}{{define "content"}}<p>About {{.name}}</p>{{end}}`,
	"plain.html":      `<ul>{{range .list}}<li>{{.}}</li>{{end}}</ul>`,
	"funcs.html":      `{{url_for "user" "id" 7 "tab" "a b"}}|{{safe "<b>x</b>"}}|{{"abc" | upper}}|{{"ABC" | lower}}|{{"hello world" | title}}|{{join ", " .list}}|{{.missing | default "none"}}`,
	"escape.html":     `<a href="/u?q={{.v}}" title="{{.v}}">{{.v}}</a><script>var v = {{.v}};</script>`,
	"broken.html":     "line one\n{{if}}\n",
	"execfail.html":   `{{template "base.html" .}}{{define "content"}}{{.name.Nope}}{{end}}`,
	"missingdep.html": `{{template "nope.html" .}}`,
}

func newTemplateApp(t *testing.T) (*flasky.App, string, *syncBuffer) {
	dir := t.TempDir()
	writeTemplates(t, dir, layoutFiles)
	app := flasky.New(flasky.WithRoot(dir))
	buf := &syncBuffer{}
	app.Logger = slog.New(slog.NewTextHandler(buf, nil))
	app.Route("/user/<int:id>", text("u")).SetEndpoint("user")
	for _, page := range []string{"home", "about", "plain", "funcs", "escape", "broken", "execfail", "missingdep", "absent"} {
		page := page
		app.Route("/"+page, func(c *flasky.Ctx) error {
			return c.Render(page+".html", flasky.M{"name": "홍길동", "list": []string{"홍길동", "이순신", "임꺽정"}, "v": c.Args.Get("v")})
		})
	}
	return app, dir, buf
}

func TestRender(t *testing.T) {
	app, _, _ := newTemplateApp(t)
	tests := []struct {
		path string
		want string
	}{
		{"/home", "<title>Home</title><main><h1>Hello 홍길동</h1></main><footer>홍길동</footer>"},
		// Another page fills the same layout's blocks differently: the
		// sets are per page, so home's title does not leak here.
		{"/about", "<title>flasky</title><main><p>About 홍길동</p></main><footer>홍길동</footer>"},
		{"/plain", "<ul><li>홍길동</li><li>이순신</li><li>임꺽정</li></ul>"},
		{"/funcs", "/user/7?tab=a&#43;b|<b>x</b>|ABC|abc|Hello World|홍길동, 이순신, 임꺽정|none"},
		{"/escape?v=%22%3E%3Cscript%3E", `<a href="/u?q=%22%3e%3cscript%3e" title="&#34;&gt;&lt;script&gt;">&#34;&gt;&lt;script&gt;</a><script>var v = "\"\u003e\u003cscript\u003e";</script>`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != 200 || w.Body.String() != tt.want {
				t.Errorf("GET %s = %d\n%s\nwant\n%s", tt.path, w.Code, w.Body.String(), tt.want)
			}
			if ct := w.Header().Get("Content-Type"); ct != ctHTML {
				t.Errorf("GET %s: Content-Type %q", tt.path, ct)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	app, _, logs := newTemplateApp(t)
	tests := []struct {
		path string
		log  []string // what the log must name
	}{
		{"/broken", []string{"broken.html:2", "missing value for if"}},
		{"/execfail", []string{"execfail.html:1", "Nope"}},
		{"/missingdep", []string{`template \"nope.html\" not found`, "called from missingdep.html"}},
		{"/absent", []string{`template \"absent.html\" not found`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != 500 || w.Body.String() != internalErrorPage {
				t.Errorf("GET %s = %d %q, want the plain 500 page", tt.path, w.Code, w.Body.String())
			}
			for _, s := range tt.log {
				if !strings.Contains(logs.String(), s) {
					t.Errorf("GET %s: log lacks %q:\n%s", tt.path, s, logs.String())
				}
			}
		})
	}
}

func TestRenderDebugReload(t *testing.T) {
	for _, debug := range []bool{false, true} {
		app, dir, _ := newTemplateApp(t)
		app.Config.Debug = debug
		if got := get(app, "/home").Body.String(); !strings.Contains(got, "Hello 홍길동") {
			t.Fatalf("first render: %q", got)
		}
		// Change the layout, a file the page calls, with a new size and
		// time so the change is seen whatever the clock's resolution.
		later := time.Now().Add(2 * time.Second)
		p := filepath.Join(dir, "templates", "base.html")
		if err := os.WriteFile(p, []byte(`<div>{{block "content" .}}{{end}}</div>`), 0o644); err != nil {
			t.Fatal(err)
		}
		_ = os.Chtimes(p, later, later)
		got := get(app, "/home").Body.String()
		want := "<div><h1>Hello 홍길동</h1></div>"
		if debug && got != want {
			t.Errorf("debug mode after the change: %q, want %q", got, want)
		}
		if !debug && got == want {
			t.Errorf("normal mode re-read the template: %q", got)
		}
	}
}

func TestRenderEmbedFS(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/base.html": {Data: []byte(`[{{block "content" .}}{{end}}]`)},
		"templates/page.html": {Data: []byte(`{{template "base.html" .}}{{define "content"}}{{.}}{{end}}`)},
	}
	app := flasky.New(flasky.WithFS(fsys))
	app.Route("/", func(c *flasky.Ctx) error { return c.Render("page.html", "<x>") })
	if w := get(app, "/"); w.Code != 200 || w.Body.String() != "[&lt;x&gt;]" {
		t.Fatalf("GET / = %d %q", w.Code, w.Body.String())
	}
	if app.RootPath() != "" {
		t.Errorf("RootPath with WithFS = %q, want empty", app.RootPath())
	}
}

func TestRenderStatusAndHEAD(t *testing.T) {
	app, _, _ := newTemplateApp(t)
	app.Route("/created", func(c *flasky.Ctx) error { return c.Status(201).Render("plain.html", flasky.M{"list": []int{1}}) })
	if w := get(app, "/created"); w.Code != 201 || w.Body.String() != "<ul><li>1</li></ul>" {
		t.Errorf("GET /created = %d %q", w.Code, w.Body.String())
	}
	w := serve(app, "HEAD", "/plain", nil)
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "63" {
		t.Errorf("HEAD /plain = %d, %d body bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
}

func TestTemplateFuncs(t *testing.T) {
	app, dir, _ := newTemplateApp(t)
	writeTemplates(t, dir, map[string]string{"custom.html": `{{shout .}}`})
	app.TemplateFuncs(template.FuncMap{"shout": func(s string) string { return s + "!" }})
	app.Route("/custom", func(c *flasky.Ctx) error { return c.Render("custom.html", "hi") })
	if w := get(app, "/custom"); w.Body.String() != "hi!" {
		t.Errorf("GET /custom = %q", w.Body.String())
	}
}

func TestRenderRefusesEscapingNames(t *testing.T) {
	app, dir, _ := newTemplateApp(t)
	if err := os.WriteFile(filepath.Join(dir, "secret.html"), []byte("SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"../secret.html", "/etc/passwd", "a/../../secret.html", `..\secret.html`} {
		name := name
		app.Route("/t/"+strconv.Itoa(i), func(c *flasky.Ctx) error { return c.Render(name, nil) })
	}
	for _, r := range app.Routes() {
		if !strings.HasPrefix(r.Rule, "/t/") {
			continue
		}
		w := get(app, r.Rule)
		if w.Code != 500 || strings.Contains(w.Body.String(), "SECRET") {
			t.Errorf("GET %s = %d %q", r.Rule, w.Code, w.Body.String())
		}
	}
}

// TestTemplateRequestFuncs checks what every template sees without the
// handler passing it: request, g, session, config, url_for and the
// flashed messages, in the page and in the layout it calls.
func TestTemplateRequestFuncs(t *testing.T) {
	dir := t.TempDir()
	writeTemplates(t, dir, map[string]string{
		"req.html":     `{{request.Args.Get "q"}}|{{request.Request.URL.Path}}|{{request.Endpoint}}|{{request.Request.Method}}`,
		"g.html":       `{{with g.user}}user={{.}}{{else}}anonymous{{end}}|{{if g.admin}}admin{{end}}`,
		"session.html": `[{{session.user_id}}]`,
		"config.html":  `{{config.ServerName}}|{{if config.Debug}}debug{{else}}nodebug{{end}}`,
		"urls.html":    `{{url_for "req"}}|{{url_for "req" "_external" true}}|{{static "a.css"}}`,
		"flash.html":   `{{range get_flashed_messages}}<p>{{.}}</p>{{end}}`,
		// The layout reads the request; the page does not.
		"layout.html": `<nav>{{with g.user}}{{.}}{{else}}log in{{end}}</nav>{{block "content" .}}{{end}}`,
		"page.html":   `{{template "layout.html" .}}{{define "content"}}<p>{{.}}</p>{{end}}`,
	})
	if err := os.Mkdir(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	app := flasky.New(flasky.WithRoot(dir))
	app.Config.SecretKey = []byte("k")
	app.Config.ServerName = "example.com"
	app.BeforeRequest(func(c *flasky.Ctx) error {
		if u := c.Args.Get("user"); u != "" {
			c.Set("user", u)
		}
		return nil
	})
	for _, page := range []string{"req", "g", "session", "config", "urls", "flash", "page"} {
		app.Route("/"+page, func(c *flasky.Ctx) error { return c.Render(page+".html", "<data>") }).SetEndpoint(page)
	}
	app.Route("/login", func(c *flasky.Ctx) error {
		s := c.Session()
		s.Set("user_id", 42)
		c.Flash("<welcome>")
		return c.String("ok")
	})
	tests := []struct {
		name, path string
		login      bool
		want       string
	}{
		{"request", "/req?q=%3Cgo%3E", false, "&lt;go&gt;|/req|req|GET"},
		{"g set by a hook", "/g?user=%EA%B9%80", false, "user=김|"},
		{"g missing", "/g", false, "anonymous|"},
		{"session empty", "/session", false, "[]"},
		{"session", "/session", true, "[42]"},
		{"config", "/config", false, "example.com|nodebug"},
		{"url_for builds for the request", "/urls", false, "/req|http://example.com/req|/static/a.css"},
		{"flashed messages", "/flash", true, "<p>&lt;welcome&gt;</p>"},
		{"layout reads g", "/page?user=lee", false, "<nav>lee</nav><p>&lt;data&gt;</p>"},
		{"layout without user", "/page", false, "<nav>log in</nav><p>&lt;data&gt;</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := app.TestClient(t)
			if tt.login {
				client.Get("/login")
			}
			res := client.Get(tt.path)
			if res.Code != 200 || res.Text() != tt.want {
				t.Errorf("GET %s = %d %q, want %q", tt.path, res.Code, res.Text(), tt.want)
			}
		})
	}
}

// TestTemplateBindsRequestOnlyWhenCalled checks that only a page calling
// a request function (itself or through a file it calls) is rendered from
// per-request clones: the names in text, fields and variables do not
// count.
func TestTemplateBindsRequestOnlyWhenCalled(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`<p>g, request, session and vars in text</p>{{.g}}{{.request.x}}{{$g := 1}}{{$g}}`, false},
		{`{{template "plain.html" .}}{{"url_for" | upper}}{{config.Debug}}{{tojson .}}`, false},
		{`{{g.user}}`, true},
		{`{{if request}}x{{end}}`, true},
		{`{{range get_flashed_messages}}{{.}}{{end}}`, true},
		{`{{with .x}}{{else}}{{session.a}}{{end}}`, true},
		{`{{template "plain.html" vars}}`, true},
		{`{{define "x"}}{{static "a.css"}}{{end}}`, true},
		{`{{len (url_for "x")}}`, true},
		{`{{template "usesg.html" .}}`, true},
	}
	dir := t.TempDir()
	files := map[string]string{"plain.html": "plain", "usesg.html": "{{g.x}}"}
	for i, tt := range tests {
		files["p"+strconv.Itoa(i)+".html"] = tt.src
	}
	writeTemplates(t, dir, files)
	app := flasky.New(flasky.WithRoot(dir))
	for i, tt := range tests {
		got, err := flasky.TemplateBindsRequestForTest(app, "p"+strconv.Itoa(i)+".html")
		if err != nil || got != tt.want {
			t.Errorf("%s: binds the request %v (%v), want %v", tt.src, got, err, tt.want)
		}
	}
}

// TestTemplateClonesPerRequest renders one request-reading page from
// many goroutines: each render must see its own request.
func TestTemplateClonesPerRequest(t *testing.T) {
	dir := t.TempDir()
	writeTemplates(t, dir, map[string]string{"who.html": `{{g.n}}-{{request.Args.Get "n"}}`})
	app := flasky.New(flasky.WithRoot(dir))
	app.Route("/", func(c *flasky.Ctx) error {
		c.Set("n", c.Args.Get("n"))
		return c.Render("who.html", nil)
	})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := strconv.Itoa(i)
			for range 20 {
				if w := get(app, "/?n="+n); w.Body.String() != n+"-"+n {
					t.Errorf("request %s rendered %q", n, w.Body.String())
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestContextProcessor checks Flask's context processors: the app's and
// the blueprints' (nested included), merged under the handler's values
// when the data is an M, readable as vars for any data.
func TestContextProcessor(t *testing.T) {
	dir := t.TempDir()
	writeTemplates(t, dir, map[string]string{
		"m.html":      `{{.site}}|{{.who}}|{{.page}}|{{vars.who}}`,
		"struct.html": `{{.Title}}|{{vars.site}}|{{vars.who}}`,
	})
	app := flasky.New(flasky.WithRoot(dir))
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"site": "flasky", "who": "app"} })
	admin := app.Blueprint("admin", "/admin")
	admin.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"who": "admin"} })
	users := flasky.NewBlueprint("users", "/users")
	users.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"who": "users:" + c.Request.URL.Path} })
	admin.RegisterBlueprint(users)
	other := flasky.NewBlueprint("other", "/other")
	other.AppContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"page": "from other"} })
	app.RegisterBlueprint(other)
	app.RegisterBlueprint(other, flasky.BlueprintOptions{Name: "other2", URLPrefix: "/other2"})

	var handlerData flasky.M
	m := func(c *flasky.Ctx) error {
		handlerData = flasky.M{"page": c.Args.Get("page")}
		if handlerData["page"] == "" {
			delete(handlerData, "page")
		}
		return c.Render("m.html", handlerData)
	}
	app.Route("/m", m)
	app.Route("/nil", func(c *flasky.Ctx) error { return c.Render("m.html", nil) })
	app.Route("/struct", func(c *flasky.Ctx) error { return c.Render("struct.html", struct{ Title string }{"T"}) })
	admin.Route("/m", m)
	users.Route("/m", m)
	other.Route("/m", m)
	tests := []struct{ path, want string }{
		{"/m", "flasky|app|from other|app"},
		// The handler's value wins over a processor's.
		{"/m?page=mine", "flasky|app|mine|app"},
		{"/nil", "flasky|app|from other|app"},
		{"/struct", "T|flasky|app"},
		// A blueprint's processors run after the app's, the inner one last.
		{"/admin/m", "flasky|admin|from other|admin"},
		{"/admin/users/m", "flasky|users:/admin/users/m|from other|users:/admin/users/m"},
		{"/other2/m", "flasky|app|from other|app"},
	}
	for _, tt := range tests {
		w := get(app, tt.path)
		if w.Code != 200 || w.Body.String() != tt.want {
			t.Errorf("GET %s = %d %q, want %q", tt.path, w.Code, w.Body.String(), tt.want)
		}
	}
	if len(handlerData) != 0 {
		t.Errorf("the handler's map was changed: %v", handlerData)
	}
}

// TestAppContextProcessorOnce checks that a blueprint's app-wide
// processor is added once however often the blueprint is registered.
func TestAppContextProcessorOnce(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{"templates/n.html": {Data: []byte(`{{.n}}`)}}))
	runs := 0
	bp := flasky.NewBlueprint("bp", "/bp")
	bp.AppContextProcessor(func(c *flasky.Ctx) flasky.M { runs++; return flasky.M{"n": runs} })
	app.RegisterBlueprint(bp)
	app.RegisterBlueprint(bp, flasky.BlueprintOptions{Name: "bp2", URLPrefix: "/bp2"})
	app.Route("/", func(c *flasky.Ctx) error { return c.Render("n.html", nil) })
	if w := get(app, "/"); w.Body.String() != "1" {
		t.Errorf("GET / = %q, want 1 (the processor ran %d times)", w.Body.String(), runs)
	}
}

func TestRenderString(t *testing.T) {
	app, _, logs := newTemplateApp(t)
	app.Config.SecretKey = []byte("k")
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"site": "flasky"} })
	tests := []struct {
		name, src string
		data      any
		code      int
		want      string
	}{
		{"escapes", `<p title="{{.v}}">{{.v}}</p>`, flasky.M{"v": `"<x>"`}, 200, `<p title="&#34;&lt;x&gt;&#34;">&#34;&lt;x&gt;&#34;</p>`},
		{"extends a file", `{{template "base.html" .}}{{define "content"}}{{.name}}{{end}}`, flasky.M{"name": "홍"}, 200, "<title>flasky</title><main>홍</main><footer>홍</footer>"},
		{"request funcs and processors", `{{url_for "user" "id" 1}}|{{request.Endpoint}}|{{.site}}|{{len get_flashed_messages}}`, nil, 200, "/user/1|str|flasky|0"},
		{"parse error", `{{if}}`, nil, 500, internalErrorPage},
		{"exec error", `{{.x.y.z}}`, flasky.M{"x": 1}, 500, internalErrorPage},
		{"missing file", `{{template "nope.html"}}`, nil, 500, internalErrorPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := app
			route := "/str/" + strings.ReplaceAll(tt.name, " ", "-")
			app.Route(route, func(c *flasky.Ctx) error { return c.RenderString(tt.src, tt.data) }).SetEndpoint("str")
			for range 2 { // the second render comes from the cache
				w := get(app, route)
				if w.Code != tt.code || w.Body.String() != tt.want {
					t.Errorf("%s = %d %q, want %d %q", tt.src, w.Code, w.Body.String(), tt.code, tt.want)
				}
				if w.Code == 200 && w.Header().Get("Content-Type") != ctHTML {
					t.Errorf("%s: Content-Type %q", tt.src, w.Header().Get("Content-Type"))
				}
			}
		})
	}
	for _, s := range []string{"(string):1: missing value for if", "nope.html"} {
		if !strings.Contains(logs.String(), s) {
			t.Errorf("the log does not name %q:\n%s", s, logs.String())
		}
	}
}

func TestRenderToString(t *testing.T) {
	dir := t.TempDir()
	writeTemplates(t, dir, map[string]string{
		"mail.txt":  "Hello {{.name}}, see {{url_for \"user\" \"id\" 7 \"_external\" true}}\n",
		"page.html": `<b>{{.name}}</b>{{with g.user}}{{.}}{{end}}{{if request}}in a request{{end}}{{vars.p}}`,
		"flash.txt": `{{range get_flashed_messages}}{{.}}{{end}}`,
	})
	app := flasky.New(flasky.WithRoot(dir))
	app.Config.ServerName = "example.com"
	app.Route("/user/<int:id>", text("u")).SetEndpoint("user")
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"p": "-p"} })
	var rendered []string
	app.Signals.TemplateRendered.Connect(func(e flasky.TemplateRendered) { rendered = append(rendered, e.Name) })

	tests := []struct {
		name, tmpl string
		want       string
		err        string
	}{
		{"text mail", "mail.txt", "Hello <이>, see http://example.com/user/7\n", ""},
		{"outside a request", "page.html", "<b>&lt;이&gt;</b>", ""},
		{"flashes outside a request", "flash.txt", "", "get_flashed_messages: called outside a request"},
		{"missing", "nope.html", "", `template "nope.html" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := app.RenderToString(tt.tmpl, flasky.M{"name": "<이>"})
			if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("App.RenderToString(%s) = %q, %v; want %q, %q", tt.tmpl, got, err, tt.want, tt.err)
			}
		})
	}
	// In a request: g, request and the processors are there, nothing is sent.
	app.Route("/", func(c *flasky.Ctx) error {
		c.Set("user", "kim")
		s, err := c.RenderToString("page.html", flasky.M{"name": "x"})
		if err != nil {
			return err
		}
		return c.String("got " + s)
	})
	if w := get(app, "/"); w.Body.String() != "got <b>x</b>kimin a request-p" || w.Header().Get("Content-Type") != ctText {
		t.Errorf("Ctx.RenderToString: %q %q", w.Body.String(), w.Header().Get("Content-Type"))
	}
	if want := []string{"mail.txt", "page.html", "page.html"}; !slices.Equal(rendered, want) {
		t.Errorf("TemplateRendered signals for %v, want %v", rendered, want)
	}
}

// TestTemplateKinds checks Flask's rule for escaping (only .html, .htm,
// .xml, .xhtml and .svg) and the Content-Type that follows the name.
func TestTemplateKinds(t *testing.T) {
	const src = `<a>{{.}}</a>`
	tests := []struct {
		name, ctype, want string
	}{
		{"page.html", ctHTML, "<a>&lt;&amp;&gt;</a>"},
		{"page.htm", ctHTML, "<a>&lt;&amp;&gt;</a>"},
		{"PAGE.HTML", ctHTML, "<a>&lt;&amp;&gt;</a>"},
		{"feed.xml", "text/xml; charset=utf-8", "<a>&lt;&amp;&gt;</a>"},
		{"icon.svg", "image/svg+xml", "<a>&lt;&amp;&gt;</a>"},
		{"mail.txt", ctText, "<a><&></a>"},
		{"app.js", "text/javascript; charset=utf-8", "<a><&></a>"},
		{"data.json", "application/json", "<a><&></a>"},
		{"noext", ctText, "<a><&></a>"},
	}
	files := fstest.MapFS{}
	for _, tt := range tests {
		files["templates/"+tt.name] = &fstest.MapFile{Data: []byte(src)}
	}
	app := flasky.New(flasky.WithFS(files))
	for _, tt := range tests {
		app.Route("/"+tt.name, func(c *flasky.Ctx) error { return c.Render(tt.name, "<&>") })
		app.Route("/stream/"+tt.name, func(c *flasky.Ctx) error { return c.StreamTemplate(tt.name, "<&>") })
	}
	for _, tt := range tests {
		for _, p := range []string{"/", "/stream/"} {
			w := get(app, p+tt.name)
			if w.Code != 200 || w.Body.String() != tt.want || w.Header().Get("Content-Type") != tt.ctype {
				t.Errorf("GET %s%s = %d %q %q, want %q %q", p, tt.name, w.Code, w.Header().Get("Content-Type"), w.Body.String(), tt.ctype, tt.want)
			}
		}
	}
}

// TestToJSON checks tojson where Flask's templates use it: inside
// <script>, where html/template writes a template.JS as it is, and in
// attributes, where it is escaped for HTML once. Flask writes the same
// JSON with a space after ':' and ','.
func TestToJSON(t *testing.T) {
	data := flasky.M{"v": flasky.M{"b": `</script><x>&'"`, "a": []any{1, 2.5, nil, true}}}
	const js = `{"a":[1,2.5,null,true],"b":"\u003c/script\u003e\u003cx\u003e\u0026\u0027\""}`
	attr := strings.ReplaceAll(js, `"`, "&#34;")
	tests := []struct{ name, src, want string }{
		{"script", `<script>var v = {{tojson .v}};</script>`, "<script>var v = " + js + ";</script>"},
		{"pipeline", `<script>var v = {{.v | tojson}};</script>`, "<script>var v = " + js + ";</script>"},
		{"single-quoted attribute", `<div data-v='{{tojson .v}}'></div>`, "<div data-v='" + attr + "'></div>"},
		{"double-quoted attribute", `<div data-v="{{tojson .v}}"></div>`, `<div data-v="` + attr + `"></div>`},
		{"event handler", `<a onclick="f({{tojson .v}})"></a>`, `<a onclick="f(` + attr + `)"></a>`},
		{"string", `<script>{{tojson "it's"}}</script>`, `<script>"it\u0027s"</script>`},
	}
	app := flasky.New(flasky.WithFS(fstest.MapFS{"templates/v.txt": {Data: []byte(`{{tojson .v}}`)}}))
	for _, tt := range tests {
		app.Route("/"+strings.ReplaceAll(tt.name, " ", "-"), func(c *flasky.Ctx) error { return c.RenderString(tt.src, data) })
	}
	for _, tt := range tests {
		if w := get(app, "/"+strings.ReplaceAll(tt.name, " ", "-")); w.Body.String() != tt.want {
			t.Errorf("%s: %s\ngot  %s\nwant %s", tt.name, tt.src, w.Body.String(), tt.want)
		}
	}
	if s, err := app.RenderToString("v.txt", data); s != js || err != nil {
		t.Errorf("tojson in a text template: %q, %v", s, err)
	}
	if _, err := app.RenderToString("v.txt", flasky.M{"v": func() {}}); err == nil || !strings.Contains(err.Error(), "tojson") {
		t.Errorf("tojson of a func: %v, want an error", err)
	}
}

// TestStrftime compares strftime with Python's datetime.strftime
// (Python 3.12 on glibc, for the %-d forms).
func TestStrftime(t *testing.T) {
	t1 := time.Date(2024, 3, 5, 14, 7, 9, 123456000, time.UTC)
	t2 := time.Date(2021, 1, 3, 0, 5, 0, 0, time.UTC)
	t3 := time.Date(2020, 12, 31, 12, 0, 59, 0, time.UTC)
	tests := []struct {
		t      any
		format string
		want   string
	}{
		{t1, "%Y-%m-%d", "2024-03-05"},
		{t1, "%H:%M:%S.%f", "14:07:09.123456"},
		{t1, "%a %A %b %B %h", "Tue Tuesday Mar March Mar"},
		{t1, "%I %p %j %y", "02 PM 065 24"},
		{t1, "%e|%-d|%-m|%-H|%-I|%-M|%-S|%-j", " 5|5|3|14|2|7|9|65"},
		{t1, "%w %u %U %W %G %V", "2 2 09 10 2024 10"},
		{t1, "%c|%x|%X|%D|%F|%T|%R", "Tue Mar  5 14:07:09 2024|03/05/24|14:07:09|03/05/24|2024-03-05|14:07:09|14:07"},
		{t1, "100%%", "100%"},
		{t2, "%I %p %j %y", "12 AM 003 21"},
		{t2, "%e|%-d|%-m|%-H|%-I|%-M|%-S|%-j", " 3|3|1|0|12|5|0|3"},
		{t2, "%w %u %U %W %G %V", "0 7 01 00 2020 53"},
		{t3, "%I %p %j %y", "12 PM 366 20"},
		{t3, "%w %u %U %W %G %V", "4 4 52 52 2020 53"},
		{t3, "%c", "Thu Dec 31 12:00:59 2020"},
		{&t3, "%Y", "2020"},
		{(*time.Time)(nil), "%Y", ""},
		{t1, "%z %Z", "+0000 UTC"},
		{t1, "%Q", "error: unknown directive %Q"},
		{t1, "50%", "error: ends in %"},
		{"2024-01-01", "%Y", "error: string is not a time.Time"},
	}
	app := flasky.New(flasky.WithFS(fstest.MapFS{"templates/d.txt": {Data: []byte(`{{.t | strftime .f}}`)}}))
	for _, tt := range tests {
		got, err := app.RenderToString("d.txt", flasky.M{"t": tt.t, "f": tt.format})
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != tt.want && !(strings.HasPrefix(tt.want, "error: ") && strings.Contains(got, strings.TrimPrefix(tt.want, "error: "))) {
			t.Errorf("strftime %q %v = %q, want %q", tt.format, tt.t, got, tt.want)
		}
	}
}

// TestLoopHelpers checks last and add, for Jinja's loop.last and
// loop.index, and the Go way of a separator between items.
func TestLoopHelpers(t *testing.T) {
	tests := []struct {
		src  string
		data any
		want string
	}{
		{`{{range $i, $p := .}}{{$p}}{{if not (last $i $)}}<hr>{{end}}{{end}}`, []string{"a", "b", "c"}, "a<hr>b<hr>c"},
		{`{{range $i, $p := .}}{{if $i}}<hr>{{end}}{{$p}}{{end}}`, []string{"a", "b", "c"}, "a<hr>b<hr>c"},
		{`{{range $i, $p := .}}{{add $i 1}}.{{$p}} {{end}}`, [2]string{"a", "b"}, "1.a 2.b "},
		{`{{last 0 .}}`, nil, "false"},
		{`{{last 2 .}}`, "abc", "true"},
		{`{{last 0 .}}`, 7, "error: last: int is not a list"},
	}
	app, logs := newTestApp()
	for i, tt := range tests {
		app.Route("/"+strconv.Itoa(i), func(c *flasky.Ctx) error { return c.RenderString(tt.src, tt.data) })
	}
	for i, tt := range tests {
		w := get(app, "/"+strconv.Itoa(i))
		got := w.Body.String()
		if msg, ok := strings.CutPrefix(tt.want, "error: "); ok {
			if w.Code != 500 || !strings.Contains(logs.String(), msg) {
				t.Errorf("%s with %v = %d %q, want a 500 and %q logged", tt.src, tt.data, w.Code, got, msg)
			}
		} else if w.Code != 200 || got != tt.want {
			t.Errorf("%s with %v = %d %q, want %q", tt.src, tt.data, w.Code, got, tt.want)
		}
	}
}

// TestStreamTemplate checks that a streamed page reaches the client while
// the template still runs: the head is read before the rows exist.
func TestStreamTemplate(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"templates/list.html": {Data: []byte(`<h1>{{.title}}</h1><ul>{{range .rows}}<li>{{.}}</li>{{end}}</ul>`)},
	}))
	app.Logger = discardLogger()
	rows := make(chan string)
	app.Route("/", func(c *flasky.Ctx) error {
		return c.StreamTemplate("list.html", flasky.M{"title": "<rows>", "rows": rows})
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	var closeOnce sync.Once
	closeRows := func() { closeOnce.Do(func() { close(rows) }) }
	defer closeRows() // before srv.Close, which waits for the handler
	res, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != ctHTML || res.Header.Get("Content-Length") != "" {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	// The head arrives while the template waits for its first row.
	const head = "<h1>&lt;rows&gt;</h1><ul>"
	got := make([]byte, len(head))
	if _, err := io.ReadFull(res.Body, got); err != nil || string(got) != head {
		t.Fatalf("before any row: %q, %v", got, err)
	}
	rows <- "a"
	rows <- "<b>"
	closeRows()
	rest, err := io.ReadAll(res.Body)
	if want := "<li>a</li><li>&lt;b&gt;</li></ul>"; err != nil || string(rest) != want {
		t.Errorf("rest of the page: %q, %v; want %q", rest, err, want)
	}
}

func TestStreamTemplateAnswers(t *testing.T) {
	logs := &syncBuffer{}
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"templates/ok.html":      {Data: []byte(`<p>{{.}}</p>`)},
		"templates/late.html":    {Data: []byte(`<p>start</p>{{.x.Nope}}<p>never</p>`)},
		"templates/early.html":   {Data: []byte(`{{.x.Nope}}<p>never</p>`)},
		"templates/flash.html":   {Data: []byte(`<p>{{.}}</p>{{range get_flashed_messages}}[{{.}}]{{end}}`)},
		"templates/parse.html":   {Data: []byte(`{{if}}`)},
		"templates/nothing.html": {Data: []byte(`{{/* nothing */}}`)},
	}))
	app.Logger = slog.New(slog.NewTextHandler(logs, nil))
	app.Config.SecretKey = []byte("k")
	for _, name := range []string{"ok", "late", "early", "flash", "parse", "nothing", "missing"} {
		app.Route("/"+name, func(c *flasky.Ctx) error {
			return c.Status(201).StreamTemplate(name+".html", flasky.M{"x": 1})
		})
	}
	app.Route("/flash-it", func(c *flasky.Ctx) error { c.Flash("hi"); return c.String("ok") })
	tests := []struct {
		name, method, path string
		code               int
		body               string
		log                string
	}{
		{"status", "GET", "/ok", 201, "<p>map[x:1]</p>", ""},
		{"HEAD sends headers only", "HEAD", "/ok", 201, "", ""},
		{"empty page", "GET", "/nothing", 201, "", ""},
		{"error after the first byte", "GET", "/late", 201, "<p>start</p>", "late.html:1"},
		{"error before the first byte", "GET", "/early", 500, internalErrorPage, "early.html:1"},
		{"parse error", "GET", "/parse", 500, internalErrorPage, "parse.html:1"},
		{"missing", "GET", "/missing", 500, internalErrorPage, `missing.html\" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			w := serve(app, tt.method, tt.path, nil)
			if w.Code != tt.code || w.Body.String() != tt.body {
				t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, w.Code, w.Body.String(), tt.code, tt.body)
			}
			if tt.code == 201 && w.Header().Get("Content-Type") != ctHTML {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
			if !strings.Contains(logs.String(), tt.log) {
				t.Errorf("log lacks %q:\n%s", tt.log, logs.String())
			}
		})
	}
	// Flashed messages are taken before the headers carry the session.
	c := app.TestClient(t)
	c.Get("/flash-it")
	if res := c.Get("/flash"); res.Text() != "<p>map[x:1]</p>[hi]" {
		t.Errorf("first page: %q", res.Text())
	}
	if res := c.Get("/flash"); res.Text() != "<p>map[x:1]</p>" {
		t.Errorf("the message is shown again: %q", res.Text())
	}
}

// TestStreamTemplateAfterHook checks a streamed page reaches the after
// hooks as a streamed response, whose headers they may change.
func TestStreamTemplateAfterHook(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{"templates/p.html": {Data: []byte(`<p>{{.}}</p>`)}}))
	var streamed bool
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		streamed = resp.Streamed()
		resp.Header.Set("X-Hook", "yes")
		return nil
	})
	app.Route("/", func(c *flasky.Ctx) error { return c.StreamTemplate("p.html", "x") })
	w := get(app, "/")
	if w.Body.String() != "<p>x</p>" || w.Header().Get("X-Hook") != "yes" || !streamed {
		t.Errorf("GET / = %q, X-Hook %q, streamed %v", w.Body.String(), w.Header().Get("X-Hook"), streamed)
	}
}

// TestFlaskrTemplates renders the Flask tutorial's base.html and
// blog/index.html as the README writes them in Go: the title block called
// from the header, loop.last as last, the date with Format.
func TestFlaskrTemplates(t *testing.T) {
	dir := t.TempDir()
	writeTemplates(t, dir, map[string]string{
		"base.html": `<title>{{block "title" .}}{{end}} - Flaskr</title>
<header>{{block "header" .}}<h1>{{template "title" .}}</h1>{{end}}</header>
{{range get_flashed_messages}}<div class="flash">{{.}}</div>{{end}}
{{block "content" .}}{{end}}`,
		"blog/index.html": `{{template "base.html" .}}
{{define "title"}}Posts{{end}}
{{define "header"}}
  <h1>{{template "title" .}}</h1>
  {{if g.user}}<a class="action" href="{{url_for "blog.create"}}">New</a>{{end}}
{{end}}
{{define "content"}}
  {{range $i, $post := .posts}}
    <article class="post">
      <h1>{{$post.Title}}</h1>
      <div class="about">by {{$post.Username}} on {{$post.Created.Format "2006-01-02"}}</div>
    </article>
    {{if not (last $i $.posts)}}<hr>{{end}}
  {{end}}
{{end}}`,
		"auth/login.html": `{{template "base.html" .}}{{define "title"}}Log In{{end}}{{define "content"}}<form method="post"></form>{{end}}`,
	})
	type post struct {
		Title, Username string
		Created         time.Time
	}
	app := flasky.New(flasky.WithRoot(dir))
	app.Config.SecretKey = []byte("k")
	app.BeforeRequest(func(c *flasky.Ctx) error {
		if u := c.Args.Get("user"); u != "" {
			c.Set("user", u)
		}
		return nil
	})
	blog := app.Blueprint("blog", "")
	blog.Route("/", func(c *flasky.Ctx) error {
		return c.Render("blog/index.html", flasky.M{"posts": []post{
			{"Two", "kim", time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC)},
			{"One", "lee", time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)},
		}})
	}).SetEndpoint("index")
	blog.Route("/create", text("create")).SetEndpoint("create")
	app.Route("/auth/login", func(c *flasky.Ctx) error {
		c.Flash("Incorrect password.")
		return c.Render("auth/login.html", nil)
	})
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	tests := []struct{ path, want string }{
		{"/", `<title>Posts - Flaskr</title> <header> <h1>Posts</h1> </header> <article class="post"> <h1>Two</h1> <div class="about">by kim on 2025-03-05</div> </article> <hr> <article class="post"> <h1>One</h1> <div class="about">by lee on 2025-03-01</div> </article>`},
		{"/?user=kim", `<title>Posts - Flaskr</title> <header> <h1>Posts</h1> <a class="action" href="/create">New</a> </header>`},
		// A page that sets only its title gets it in the header too; the
		// message flashed in this request shows at once, as in flaskr's
		// login view (flash(error), then render_template).
		{"/auth/login", `<title>Log In - Flaskr</title> <header><h1>Log In</h1></header> <div class="flash">Incorrect password.</div> <form method="post"></form>`},
	}
	client := app.TestClient(t)
	for _, tt := range tests {
		if got := squash(client.Get(tt.path).Text()); !strings.HasPrefix(got, tt.want) {
			t.Errorf("GET %s:\n%s\nwant it to start with\n%s", tt.path, got, tt.want)
		}
	}
	if got := squash(client.Get("/").Text()); strings.Contains(got, "flash") {
		t.Errorf("the message shown on the login page shows again: %s", got)
	}
}

func TestTemplateNames(t *testing.T) {
	files := fstest.MapFS{
		"templates/index.html":         {Data: []byte("i")},
		"templates/parts/nav.html":     {Data: []byte("n")},
		"admin/templates/index.html":   {Data: []byte("shadowed")},
		"admin/templates/admin/a.html": {Data: []byte("a")},
		"static/not-a-template.css":    {Data: []byte("x")},
		"other/templates/unused.html":  {Data: []byte("u")},
	}
	app := flasky.New(flasky.WithFS(files))
	app.RegisterBlueprint(flasky.NewBlueprint("admin", "/admin").SetTemplateFolder("admin/templates"))
	app.RegisterBlueprint(flasky.NewBlueprint("gone", "/gone").SetTemplateFolder("gone/templates"))
	got, err := app.TemplateNames()
	if want := []string{"admin/a.html", "index.html", "parts/nav.html"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("TemplateNames() = %q, %v; want %q", got, err, want)
	}
	// On disk, through the app folder's os.Roots.
	dir := t.TempDir()
	for _, f := range []string{"templates/index.html", "templates/parts/nav.html"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err = flasky.New(flasky.WithRoot(dir)).TemplateNames()
	if want := []string{"index.html", "parts/nav.html"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("on disk, TemplateNames() = %q, %v; want %q", got, err, want)
	}
	// An app without templates/ has none.
	if got, err := flasky.New(flasky.WithFS(fstest.MapFS{})).TemplateNames(); err != nil || len(got) != 0 {
		t.Errorf("TemplateNames() without templates = %q, %v; want none", got, err)
	}
}

func TestRenderFirst(t *testing.T) {
	files := fstest.MapFS{
		"templates/general.html":  {Data: []byte("general {{.v}}")},
		"templates/specific.html": {Data: []byte("specific {{.v}}")},
		"templates/broken.html":   {Data: []byte(`{{template "missing.html"}}`)},
	}
	app := flasky.New(flasky.WithFS(files))
	app.Logger = discardLogger()
	var errs []error
	page := func(names ...string) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			err := c.RenderFirst(names, flasky.M{"v": 1})
			errs = append(errs, err)
			return err
		}
	}
	app.Route("/a", page("nope.html", "specific.html", "general.html"))
	app.Route("/b", page("nope.html", "general.html"))
	app.Route("/none", page("nope.html", "nope2.html"))
	app.Route("/broken", page("broken.html", "general.html"))
	for i := 0; i < 2; i++ { // the second time from the cache
		if w := get(app, "/a"); w.Body.String() != "specific 1" {
			t.Errorf("GET /a = %q, want specific 1", w.Body.String())
		}
		if w := get(app, "/b"); w.Body.String() != "general 1" {
			t.Errorf("GET /b = %q, want general 1", w.Body.String())
		}
	}
	errs = nil
	if w := get(app, "/none"); w.Code != http.StatusInternalServerError || len(errs) != 1 || !errors.Is(errs[0], fs.ErrNotExist) {
		t.Errorf("GET /none = %d, %v; want 500 and an error wrapping fs.ErrNotExist", w.Code, errs)
	}
	// broken.html exists: its missing call is its error, not a skip.
	if w := get(app, "/broken"); w.Code != http.StatusInternalServerError {
		t.Errorf("GET /broken = %d %q, want 500", w.Code, w.Body.String())
	}
}

func TestRenderNotFoundNamesBlueprint(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{"templates/ok.html": {Data: []byte("ok")}}))
	app.Logger = discardLogger()
	var errs []error
	render := func(c *flasky.Ctx) error {
		err := c.Render("missing.html", nil)
		errs = append(errs, err)
		return err
	}
	app.Route("/", render)
	bp := flasky.NewBlueprint("shop", "/shop")
	bp.Route("/", render)
	app.RegisterBlueprint(bp)
	get(app, "/")
	get(app, "/shop/")
	if len(errs) != 2 {
		t.Fatalf("%d renders, want 2", len(errs))
	}
	if strings.Contains(errs[0].Error(), "blueprint") || !errors.Is(errs[0], fs.ErrNotExist) {
		t.Errorf("the app's route: %v, want a not-found error naming no blueprint", errs[0])
	}
	if !strings.Contains(errs[1].Error(), `the blueprint "shop"`) || !errors.Is(errs[1], fs.ErrNotExist) {
		t.Errorf("the blueprint's route: %v, want a not-found error naming the blueprint", errs[1])
	}
}
