package flasky_test

import (
	"html/template"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
