package flasky_test

// Flask's tests/test_templating.py (Flask 3.1), ported: each Flask test
// is a subtest of TestFlaskTemplating named after it. Jinja templates
// become Go templates with the same visible output: {{ value }} is
// {{.value}}, a filter value|f is {{.value | f}}, Jinja's test
// `value is boolean` is a predicate called in {{if boolean .value}}, and
// both kinds, like Flask's template_global, are functions given to
// App.TemplateFuncs (Flask's template_filter, add_template_filter,
// template_test, add_template_test and template_global all register a
// function under a name; the Go map names it). Flask's markupsafe.Markup
// is template.HTML. Jinja drops a template file's last newline
// (keep_trailing_newline is off) where Go keeps it, so the template
// files written here have none. The app's templates are in an fstest.MapFS
// given with WithFS, as Flask's tests/templates folder.
//
// Not ported:
//   - test_macros: Python-only (a Jinja {% macro %} taken out of a
//     template with get_template_attribute and called from Python; a Go
//     {{define}} block is called only from templates).
//   - test_custom_jinja_env: Python-only (a subclass of Flask's Jinja
//     Environment as the app's jinja_environment).
//
// Also: render_template given a list of names is Ctx.RenderFirst
// (test_iterable_loader). flasky has no stream_template_string;
// test_simple_stream streams the same source from a template file with
// StreamTemplate.

import (
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

func TestFlaskTemplating(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"context_processing", ftContextProcessing},
		{"iterable_loader", ftIterableLoader},
		{"original_win", ftOriginalWin},
		{"simple_stream", ftSimpleStream},
		{"request_less_rendering", ftRequestLessRendering},
		{"standard_context", ftStandardContext},
		{"escaping", ftEscaping},
		{"no_escaping", ftNoEscaping},
		{"escaping_without_template_filename", ftEscapingWithoutTemplateFilename},
		{"template_filter", ftTemplateFilter("my_reverse")},
		{"add_template_filter", ftTemplateFilter("my_reverse")},
		{"template_filter_with_name", ftTemplateFilter("strrev")},
		{"add_template_filter_with_name", ftTemplateFilter("strrev")},
		{"template_filter_with_template", ftTemplateFilterWithTemplate},
		{"add_template_filter_with_template", ftTemplateFilterWithTemplate},
		{"template_filter_with_name_and_template", ftTemplateFilterWithTemplate},
		{"add_template_filter_with_name_and_template", ftTemplateFilterWithTemplate},
		{"template_test", ftTemplateTest},
		{"add_template_test", ftTemplateTest},
		{"template_test_with_name", ftTemplateTest},
		{"add_template_test_with_name", ftTemplateTest},
		{"template_test_with_template", ftTemplateTestWithTemplate},
		{"add_template_test_with_template", ftTemplateTestWithTemplate},
		{"template_test_with_name_and_template", ftTemplateTestWithTemplate},
		{"add_template_test_with_name_and_template", ftTemplateTestWithTemplate},
		{"add_template_global", ftAddTemplateGlobal},
		{"custom_template_loader", ftCustomTemplateLoader},
		{"templates_auto_reload", ftTemplatesAutoReload},
		{"templates_auto_reload_debug_run", ftTemplatesAutoReloadDebugRun},
		{"template_loader_debugging", ftTemplateLoaderDebugging},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// ftTemplates are Flask's tests/templates files used here, as Go
// templates.
var ftTemplates = fstest.MapFS{
	"templates/context_template.html": {Data: []byte("<p>{{.value}}|{{.injected_value}}")},
	// Jinja's {% autoescape false %} block has no Go counterpart
	// (html/template always escapes); safe marks its text trusted, which
	// is what turning autoescaping off does to it. The autoescape true
	// block is the default.
	"templates/escaping_template.html": {Data: []byte("{{.text}}\n{{.html}}\n{{safe .text}}\n{{.html}}\n{{.text}}\n{{.html}}\n")},
	// A .txt template escapes nothing; Jinja's {% autoescape true %}
	// block is text/template's html function.
	"templates/non_escaping_template.txt": {Data: []byte("{{.text}}\n{{.html}}\n{{.text}}\n{{.html}}\n{{html .text}}\n{{.html}}\n{{.text}}\n{{.html}}\n")},
	"templates/mail.txt":                  {Data: []byte("{{.foo}} Mail")},
	"templates/template_filter.html":      {Data: []byte("{{.value | super_reverse}}")},
	"templates/template_test.html":        {Data: []byte("{{if boolean .value}}\n    Success!\n{{end}}\n")},
}

// ftApp is Flask's conftest app fixture (TESTING, SECRET_KEY) with the
// templates above.
func ftApp() *flasky.App {
	app := flasky.New(flasky.WithFS(ftTemplates))
	app.Logger = discardLogger()
	app.Config.Testing = true
	app.Config.SecretKey = []byte("test key")
	return app
}

// ftGet routes GET / to h and requests it.
func ftGet(t *testing.T, app *flasky.App, h flasky.HandlerFunc) *flasky.TestResponse {
	t.Helper()
	app.Route("/", h)
	return app.TestClient(t).Get("/")
}

// test_iterable_loader: given several names, the first template that
// exists is rendered, with the context processors' values.
func ftIterableLoader(t *testing.T) {
	files := fstest.MapFS{
		"templates/simple_template.html":  {Data: []byte("<h1>{{.whiskey}}</h1>")},
		"templates/context_template.html": ftTemplates["templates/context_template.html"],
	}
	app := flasky.New(flasky.WithFS(files))
	app.Logger = discardLogger()
	app.ContextProcessor(func(*flasky.Ctx) flasky.M { return flasky.M{"whiskey": "Jameson"} })
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.RenderFirst([]string{"no_template.xml", "simple_template.html", "context_template.html"}, flasky.M{"value": 23})
	})
	if res.Text() != "<h1>Jameson</h1>" {
		t.Errorf("GET / = %q, want <h1>Jameson</h1>", res.Text())
	}
}

// test_context_processing: a context processor's value reaches the page
// beside the view's own.
func ftContextProcessing(t *testing.T) {
	app := ftApp()
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"injected_value": 42} })
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.Render("context_template.html", flasky.M{"value": 23})
	})
	if res.Text() != "<p>23|42" {
		t.Errorf("GET / = %q, want <p>23|42", res.Text())
	}
}

// test_original_win: a value the view passes under a name the context
// also fills (config in Flask, a context processor's here) is the view's.
func ftOriginalWin(t *testing.T) {
	app := ftApp()
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"config": "processor"} })
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.RenderString("{{.config}}", flasky.M{"config": 42})
	})
	if res.Text() != "42" {
		t.Errorf("GET / = %q, want 42", res.Text())
	}
}

// test_simple_stream: a streamed template gets the view's values.
// flasky has no stream_template_string: the source is a template file.
func ftSimpleStream(t *testing.T) {
	files := fstest.MapFS{"templates/stream.html": {Data: []byte("{{.config}}")}}
	app := flasky.New(flasky.WithFS(files))
	app.Logger = discardLogger()
	app.Config.Testing = true
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.StreamTemplate("stream.html", flasky.M{"config": 42})
	})
	if res.Text() != "42" {
		t.Errorf("GET / = %q, want 42", res.Text())
	}
}

// ftSettings holds an app's own setting, Flask's app.config["WORLD_NAME"].
type ftSettings struct{ WorldName string }

// test_request_less_rendering: a template rendered outside a request
// reads the app's config. Flask also runs the app's context processors
// there; flasky does not (README, "Differences a Flask user should
// know", Templates: context processors do not run in
// app.RenderToString), so the processor's foo is empty.
func ftRequestLessRendering(t *testing.T) {
	files := fstest.MapFS{"templates/hello.html": {Data: []byte("Hello {{config.Settings.WorldName}} {{.foo}}")}}
	app := flasky.New(flasky.WithFS(files), flasky.WithSettings(&ftSettings{}))
	if err := app.Config.FromMapping(map[string]any{"WORLD_NAME": "Special World"}); err != nil {
		t.Fatal(err)
	}
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M { return flasky.M{"foo": 42} })
	got, err := app.RenderToString("hello.html", flasky.M{})
	if err != nil || got != "Hello Special World " {
		t.Errorf("RenderToString = %q, %v; want %q (no context processor outside a request)", got, err, "Hello Special World ")
	}
}

// test_standard_context: request, g, config and session are there in
// every template. Go prints a bool as false where Python prints False.
func ftStandardContext(t *testing.T) {
	app := ftApp()
	app.Route("/", func(c *flasky.Ctx) error {
		c.Set("foo", 23)
		c.Session().Set("test", "aha")
		return c.RenderString(`
            {{request.Args.Get "foo"}}
            {{g.foo}}
            {{config.Debug}}
            {{session.test}}
        `, nil)
	})
	res := app.TestClient(t).Get("/?foo=42")
	if got, want := strings.Fields(res.Text()), []string{"42", "23", "false", "aha"}; !slices.Equal(got, want) {
		t.Errorf("GET /?foo=42 = %q, want the words %q", res.Text(), want)
	}
}

// ftLines renders name with Flask's text and html values and returns
// the page's lines.
func ftLines(t *testing.T, name string) []string {
	t.Helper()
	const text = "<p>Hello World!"
	res := ftGet(t, ftApp(), func(c *flasky.Ctx) error {
		return c.Render(name, flasky.M{"text": text, "html": template.HTML(text)})
	})
	return strings.Split(strings.TrimSuffix(res.Text(), "\n"), "\n")
}

// test_escaping: an .html template escapes text and leaves markup as it
// is, unless told otherwise.
func ftEscaping(t *testing.T) {
	got := ftLines(t, "escaping_template.html")
	want := []string{
		"&lt;p&gt;Hello World!",
		"<p>Hello World!",
		"<p>Hello World!",
		"<p>Hello World!",
		"&lt;p&gt;Hello World!",
		"<p>Hello World!",
	}
	if !slices.Equal(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
}

// test_no_escaping: a .txt template escapes nothing unless told to.
// flasky sends it as text/plain where Flask sends text/html (README,
// "Differences a Flask user should know", Templates: a non-HTML template
// is sent with its extension's type).
func ftNoEscaping(t *testing.T) {
	const text = "<p>Hello World!"
	res := ftGet(t, ftApp(), func(c *flasky.Ctx) error {
		return c.Render("non_escaping_template.txt", flasky.M{"text": text, "html": template.HTML(text)})
	})
	got := strings.Split(strings.TrimSuffix(res.Text(), "\n"), "\n")
	want := []string{
		"<p>Hello World!",
		"<p>Hello World!",
		"<p>Hello World!",
		"<p>Hello World!",
		"&lt;p&gt;Hello World!",
		"<p>Hello World!",
		"<p>Hello World!",
		"<p>Hello World!",
	}
	if !slices.Equal(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
	if ct := res.Header.Get("Content-Type"); ct != ctText {
		t.Errorf("Content-Type = %q, want %q", ct, ctText)
	}
}

// test_escaping_without_template_filename: a template string escapes as
// HTML, a .txt file does not.
func ftEscapingWithoutTemplateFilename(t *testing.T) {
	app := ftApp()
	var mail string
	app.Route("/", func(c *flasky.Ctx) error {
		var err error
		if mail, err = c.RenderToString("mail.txt", flasky.M{"foo": "<test>"}); err != nil {
			return err
		}
		return c.RenderString("{{.foo}}", flasky.M{"foo": "<test>"})
	})
	if res := app.TestClient(t).Get("/"); res.Text() != "&lt;test&gt;" {
		t.Errorf("render_template_string = %q, want &lt;test&gt;", res.Text())
	}
	if mail != "<test> Mail" {
		t.Errorf(`render_template("mail.txt") = %q, want "<test> Mail"`, mail)
	}
}

// ftReverse reverses a string, Flask's my_reverse.
func ftReverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// test_template_filter, test_add_template_filter,
// test_template_filter_with_name, test_add_template_filter_with_name: a
// filter registered under a name is that function in every template.
// Flask checks jinja_env.filters[name]; templates are where a filter is
// seen in flasky.
func ftTemplateFilter(name string) func(*testing.T) {
	return func(t *testing.T) {
		app := ftApp()
		app.TemplateFuncs(template.FuncMap{name: ftReverse})
		res := ftGet(t, app, func(c *flasky.Ctx) error {
			return c.RenderString(`{{"abcd" | `+name+`}}`, nil)
		})
		if res.Text() != "dcba" {
			t.Errorf(`{{"abcd" | %s}} = %q, want dcba`, name, res.Text())
		}
	}
}

// test_template_filter_with_template and its three variants: a page
// filters a value with a registered function.
func ftTemplateFilterWithTemplate(t *testing.T) {
	app := ftApp()
	app.TemplateFuncs(template.FuncMap{"super_reverse": ftReverse})
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.Render("template_filter.html", flasky.M{"value": "abcd"})
	})
	if res.Text() != "dcba" {
		t.Errorf("GET / = %q, want dcba", res.Text())
	}
}

// ftBoolean is Flask's boolean test: isinstance(value, bool).
func ftBoolean(v any) bool {
	_, ok := v.(bool)
	return ok
}

// test_template_test, test_add_template_test, test_template_test_with_name,
// test_add_template_test_with_name: a test registered under a name is
// that predicate in every template.
func ftTemplateTest(t *testing.T) {
	app := ftApp()
	app.TemplateFuncs(template.FuncMap{"boolean": ftBoolean})
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.RenderString(`{{if boolean false}}yes{{else}}no{{end}} {{if boolean 1}}yes{{else}}no{{end}}`, nil)
	})
	if res.Text() != "yes no" {
		t.Errorf("boolean false, boolean 1 = %q, want yes no", res.Text())
	}
}

// test_template_test_with_template and its three variants: a page
// decides with a registered predicate.
func ftTemplateTestWithTemplate(t *testing.T) {
	app := ftApp()
	app.TemplateFuncs(template.FuncMap{"boolean": ftBoolean})
	res := ftGet(t, app, func(c *flasky.Ctx) error {
		return c.Render("template_test.html", flasky.M{"value": false})
	})
	if !strings.Contains(res.Text(), "Success!") {
		t.Errorf("GET / = %q, want Success!", res.Text())
	}
}

// test_add_template_global: a global function is callable from a
// template rendered outside a request.
func ftAddTemplateGlobal(t *testing.T) {
	files := fstest.MapFS{"templates/global.html": {Data: []byte("{{get_stuff}}")}}
	app := flasky.New(flasky.WithFS(files))
	app.TemplateFuncs(template.FuncMap{"get_stuff": func() int { return 42 }})
	if got, err := app.RenderToString("global.html", nil); err != nil || got != "42" {
		t.Errorf("{{get_stuff}} = %q, %v; want 42", got, err)
	}
}

// test_custom_template_loader: templates come from where the app says.
// Flask's hook is a Jinja loader (a DictLoader); flasky's is the app's
// file system, WithFS.
func ftCustomTemplateLoader(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{"templates/index.html": {Data: []byte("Hello Custom World!")}}))
	app.Logger = discardLogger()
	res := ftGet(t, app, func(c *flasky.Ctx) error { return c.Render("index.html", nil) })
	if res.Text() != "Hello Custom World!" {
		t.Errorf("GET / = %q, want Hello Custom World!", res.Text())
	}
}

// ftReloadApp is an app whose templates/page.html is on disk, in a
// folder of the test's, with a route rendering it.
func ftReloadApp(t *testing.T) (*flasky.App, func(string)) {
	t.Helper()
	dir := t.TempDir()
	page := filepath.Join(dir, "templates", "page.html")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(page, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	write("one")
	app := flasky.New(flasky.WithRoot(dir))
	app.Logger = discardLogger()
	app.Route("/", func(c *flasky.Ctx) error { return c.Render("page.html", nil) })
	return app, write
}

// ftReloads reports whether a page changed after its first render is
// rendered anew by the next request, sent through do.
func ftReloads(t *testing.T, do func() string, write func(string), next string) bool {
	t.Helper()
	if got := do(); got != "one" {
		t.Fatalf("first render = %q, want one", got)
	}
	write(next)
	return do() == next
}

// test_templates_auto_reload: templates are read again when they change
// in debug mode and only then, unless TEMPLATES_AUTO_RELOAD says
// otherwise. (The cases without the option are run first, so that they
// are checked whatever becomes of the option.)
func ftTemplatesAutoReload(t *testing.T) {
	for _, debug := range []bool{false, true} {
		app, write := ftReloadApp(t)
		app.Config.Debug = debug
		client := app.TestClient(t)
		do := func() string { return client.Get("/").Text() }
		if got := ftReloads(t, do, write, "two!"); got != debug {
			t.Errorf("debug %v, no TEMPLATES_AUTO_RELOAD: reloaded = %v, want %v", debug, got, debug)
		}
	}
	for _, tc := range []struct{ debug, option bool }{
		{false, false}, {false, true}, {true, false}, {true, true},
	} {
		app, write := ftReloadApp(t)
		app.Config.Debug = tc.debug
		if err := app.Config.FromMapping(map[string]any{"TEMPLATES_AUTO_RELOAD": tc.option}); err != nil {
			flaskGap(t, "TEMPLATES_AUTO_RELOAD (reload templates whatever debug mode says); templates are re-read in debug mode only",
				"FromMapping(TEMPLATES_AUTO_RELOAD=%v) = %v", tc.option, err)
		}
		client := app.TestClient(t)
		do := func() string { return client.Get("/").Text() }
		// Debug mode always reloads in flasky (README, "Differences":
		// TemplatesAutoReload adds reloading outside debug mode; Flask's
		// explicit False also stops it in debug mode).
		if got, want := ftReloads(t, do, write, "two!"), tc.option || tc.debug; got != want {
			t.Errorf("debug %v, TEMPLATES_AUTO_RELOAD %v: reloaded = %v, want %v", tc.debug, tc.option, got, want)
		}
	}
}

// test_templates_auto_reload_debug_run: serving without debug mode keeps
// parsed templates; serving with it (Flask's app.run(debug=True)) reads
// them again when they change.
func ftTemplatesAutoReloadDebugRun(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "") // debug mode comes from Debug() alone
	app, write := ftReloadApp(t)
	for i, opts := range [][]flasky.RunOption{nil, {flasky.Debug()}} {
		base, stop, wait := startServe(t, app, append(opts, flasky.NoAccessLog())...)
		do := func() string {
			resp, err := client.Get(base + "/")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b strings.Builder
			if _, err := io.Copy(&b, resp.Body); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		next := []string{"two!", "three!!"}[i]
		if i == 1 {
			write("one")
		}
		debug := i == 1
		if got := ftReloads(t, do, write, next); got != debug {
			t.Errorf("served with debug %v: reloaded = %v, want %v", debug, got, debug)
		}
		stop()
		if err := wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// test_template_loader_debugging: a template that no folder has fails
// the request with an error naming it, and the log says where it was
// looked for: the app's templates, then each blueprint's. Flask's
// explanation (EXPLAIN_TEMPLATE_LOADING) also names the blueprint of the
// endpoint that asked for it.
func ftTemplateLoaderDebugging(t *testing.T) {
	// Flask's tests/test_apps/blueprintapp.
	files := fstest.MapFS{
		"admin/templates/admin/index.html":       {Data: []byte("Hello from the Admin")},
		"frontend/templates/frontend/index.html": {Data: []byte("Hello from the Frontend")},
	}
	app := flasky.New(flasky.WithFS(files))
	logs := newRecordMessages()
	app.Logger = slog.New(logs)
	admin := flasky.NewBlueprint("admin", "/admin").SetTemplateFolder("admin/templates")
	frontend := flasky.NewBlueprint("frontend", "").SetTemplateFolder("frontend/templates")
	var renderErr error
	frontend.Route("/missing", func(c *flasky.Ctx) error {
		renderErr = c.Render("missing_template.html", nil)
		return renderErr
	})
	app.RegisterBlueprint(admin)
	app.RegisterBlueprint(frontend)

	res := app.TestClient(t).Get("/missing")
	if res.Code != http.StatusInternalServerError {
		t.Errorf("GET /missing = %d, want 500", res.Code)
	}
	if !errors.Is(renderErr, fs.ErrNotExist) || !strings.Contains(renderErr.Error(), "missing_template.html") {
		t.Fatalf("Render = %v, want a not-found error naming missing_template.html", renderErr)
	}
	log := strings.Join(logs.messages(), "\n")
	app1 := strings.Index(log, "templates")
	admin2 := strings.Index(log, "admin/templates")
	front3 := strings.Index(log, "frontend/templates")
	if !strings.Contains(log, "missing_template.html") || app1 < 0 || admin2 < app1 || front3 < admin2 {
		t.Fatalf("log = %q, want the template and the app's, admin's and frontend's folders in that order", log)
	}
	if !strings.Contains(log, `blueprint "frontend"`) && !strings.Contains(log, "blueprint frontend") {
		flaskGap(t, "the error of a template not found does not say which blueprint the endpoint that asked for it belongs to",
			"log = %q", log)
	}
}
