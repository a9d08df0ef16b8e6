package flasky_test

// Flask's tests/test_helpers.py (Flask 3.1), ported: each Flask test is
// a subtest of TestFlaskHelpers named after it (the test classes'
// names are left out). A Flask test run in a request context
// (the req_ctx fixture) uses app.TestRequestContext, or a request when
// what it checks is the response; flask.send_file's response is
// c.SendFile's answer, url_for is Ctx.URLFor, a generator wrapped in
// stream_with_context is the function given to c.Stream, which runs
// while the request's Ctx is valid.
//
// Not ported:
//   - test_redirect_with_app: Python-only (app.redirect replaced on the
//     app object, and flask.redirect calling it).
//   - test_app_aborter_class, test_abort_with_app: Python-only (the
//     app's Werkzeug Aborter class and its mapping of codes to exception
//     classes).
//   - test_name_with_import_error: Python-only (Flask(import_name) must
//     not import the module).
//   - test_open_resource_with_encoding: Python-only (text mode and its
//     codec, utf-16-le).
//
// app.open_resource is App.OpenResource, which has no mode: Python's
// "r", "rb" and "rt" of test_open_resource are one read, and
// test_open_resource_exceptions, whose write modes are a ValueError,
// checks that the file opened cannot be written.

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

func TestFlaskHelpers(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"send_file", fhSendFile},
		{"static_file", fhStaticFile},
		{"send_from_directory", fhSendFromDirectory},
		{"url_for_with_anchor", fhURLForWithAnchor},
		{"url_for_with_scheme", fhURLForWithScheme},
		{"url_for_with_scheme_not_external", fhURLForWithSchemeNotExternal},
		{"url_for_with_alternating_schemes", fhURLForWithAlternatingSchemes},
		{"url_with_method", fhURLWithMethod},
		{"url_for_with_self", fhURLForWithSelf},
		{"redirect_no_app", fhRedirectNoApp},
		{"abort_no_app", fhAbortNoApp},
		{"streaming_with_context", fhStreamingWithContext},
		{"streaming_with_context_as_decorator", fhStreamingWithContextAsDecorator},
		{"streaming_with_context_and_custom_close", fhStreamingWithContextAndCustomClose},
		{"stream_keeps_session", fhStreamKeepsSession},
		{"get_debug_flag", fhGetDebugFlag},
		{"make_response", fhMakeResponse},
		{"open_resource", fhOpenResource},
		{"open_resource_exceptions", fhOpenResourceExceptions},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// fhIndexHTML is Flask's tests/static/index.html.
const fhIndexHTML = "<h1>Hello World!</h1>\n"

// fhApp is Flask's conftest app fixture (TESTING, SECRET_KEY) with
// Flask's tests/static folder and test_apps/subdomaintestmodule's
// static/hello.txt among its files.
func fhApp() *flasky.App {
	files := fstest.MapFS{
		"static/index.html":                    {Data: []byte(fhIndexHTML)},
		"subdomaintestmodule/static/hello.txt": {Data: []byte("Hello Subdomain\n")},
	}
	app := flasky.New(flasky.WithFS(files))
	app.Logger = discardLogger()
	app.Config.Testing = true
	app.Config.SecretKey = []byte("test key")
	return app
}

// test_send_file: a file is sent as it is, typed from its name, and
// streamed (Flask's direct_passthrough: the response is not buffered,
// so an after hook sees no body).
func fhSendFile(t *testing.T) {
	app := fhApp()
	var streamed bool
	app.AfterRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
		streamed = resp.Streamed()
		return nil
	})
	app.Route("/", func(c *flasky.Ctx) error { return c.SendFile("static/index.html") })
	res := app.TestClient(t).Get("/")
	if !streamed {
		t.Error("the response of SendFile is not streamed")
	}
	if mt := mimetype(res.Header); mt != "text/html" {
		t.Errorf("mimetype = %q, want text/html", mt)
	}
	if res.Text() != fhIndexHTML {
		t.Errorf("body = %q, want the file's %q", res.Text(), fhIndexHTML)
	}
}

// fhMaxAge returns the max-age of a Cache-Control header, or -1.
func fhMaxAge(h http.Header) int {
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		d = strings.TrimSpace(d)
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
		}
	}
	return -1
}

// test_static_file: by default neither the static route nor send_file
// gives a max-age; SEND_FILE_MAX_AGE_DEFAULT sets one for both. (The
// rest of the Flask test is Python-only: a pathlib.Path name, and a
// subclass overriding get_send_file_max_age.)
func fhStaticFile(t *testing.T) {
	app := fhApp()
	app.Route("/send", func(c *flasky.Ctx) error { return c.SendFile("static/index.html") })
	client := app.TestClient(t)
	check := func(want int) {
		t.Helper()
		for _, path := range []string{"/static/index.html", "/send"} {
			res := client.Get(path)
			if res.Code != 200 || fhMaxAge(res.Header) != want {
				t.Errorf("GET %s = %d, Cache-Control %q; want max-age %d (-1: none)", path, res.Code, res.Header.Get("Cache-Control"), want)
			}
		}
	}
	check(-1)
	if err := app.Config.FromMapping(map[string]any{"SEND_FILE_MAX_AGE_DEFAULT": 3600}); err != nil {
		flaskGap(t, "SEND_FILE_MAX_AGE_DEFAULT (a max-age for the static route and every SendFile without MaxAge); only the MaxAge option of one call sets it",
			"FromMapping(SEND_FILE_MAX_AGE_DEFAULT=3600) = %v", err)
	}
	check(3600)
}

// test_send_from_directory: a file is sent from a folder of the app's
// (Flask's test sets the app's root_path to test_apps/subdomaintestmodule).
func fhSendFromDirectory(t *testing.T) {
	app := fhApp()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.SendFromDirectory("subdomaintestmodule/static", "hello.txt")
	})
	if res := app.TestClient(t).Get("/"); strings.TrimSpace(res.Text()) != "Hello Subdomain" {
		t.Errorf("GET / = %d %q, want Hello Subdomain", res.Code, res.Text())
	}
}

// fhRequestContext returns an app with Flask's index view at / and a
// request context for it.
func fhRequestContext(t *testing.T) *flasky.Ctx {
	t.Helper()
	app := fhApp()
	app.Route("/", text("42")).SetEndpoint("index")
	c, release := app.TestRequestContext("GET", "/")
	t.Cleanup(release)
	return c
}

// fhURLFor is url_for in a request context; a failure ends the test.
func fhURLFor(t *testing.T, c *flasky.Ctx, endpoint string, values flasky.M) string {
	t.Helper()
	u, err := c.URLFor(endpoint, values)
	if err != nil {
		t.Fatalf("URLFor(%q, %v): %v", endpoint, values, err)
	}
	return u
}

// test_url_for_with_anchor: _anchor is escaped and appended.
func fhURLForWithAnchor(t *testing.T) {
	c := fhRequestContext(t)
	if u := fhURLFor(t, c, "index", flasky.M{"_anchor": "x y"}); u != "/#x%20y" {
		t.Errorf("url_for(index, _anchor=x y) = %q, want /#x%%20y", u)
	}
}

// test_url_for_with_scheme: an external URL with another scheme.
func fhURLForWithScheme(t *testing.T) {
	c := fhRequestContext(t)
	if u := fhURLFor(t, c, "index", flasky.M{"_external": true, "_scheme": "https"}); u != "https://localhost/" {
		t.Errorf("url_for(index, _external, _scheme=https) = %q, want https://localhost/", u)
	}
}

// test_url_for_with_scheme_not_external: _scheme alone makes the URL
// external, and is refused with _external=False. Flask's rule has no
// view (add_url_rule("/", endpoint="index")).
func fhURLForWithSchemeNotExternal(t *testing.T) {
	app := fhApp()
	if _, err := app.AddURLRule("/", "index", nil); err != nil {
		t.Fatal(err)
	}
	c, release := app.TestRequestContext("GET", "/")
	defer release()
	if u := fhURLFor(t, c, "index", flasky.M{"_scheme": "https"}); u != "https://localhost/" {
		t.Errorf("url_for(index, _scheme=https) = %q, want https://localhost/", u)
	}
	if u, err := c.URLFor("index", flasky.M{"_scheme": "https", "_external": false}); err == nil {
		t.Errorf("url_for(index, _scheme=https, _external=False) = %q, want an error", u)
	}
}

// test_url_for_with_alternating_schemes: _scheme changes one URL only.
func fhURLForWithAlternatingSchemes(t *testing.T) {
	c := fhRequestContext(t)
	for _, tc := range []struct {
		values flasky.M
		want   string
	}{
		{flasky.M{"_external": true}, "http://localhost/"},
		{flasky.M{"_external": true, "_scheme": "https"}, "https://localhost/"},
		{flasky.M{"_external": true}, "http://localhost/"},
	} {
		if u := fhURLFor(t, c, "index", tc.values); u != tc.want {
			t.Errorf("url_for(index, %v) = %q, want %q", tc.values, u, tc.want)
		}
	}
}

// fhMyView is Flask's MyView: a list at /myview/, an item at
// /myview/<int:id>, and creation by POST.
type fhMyView struct{}

func (fhMyView) Get(c *flasky.Ctx) error {
	if c.Param("id") == "" {
		return c.String("List")
	}
	return c.String("Get " + c.Param("id"))
}

func (fhMyView) Post(c *flasky.Ctx) error { return c.String("Create") }

// test_url_with_method: _method picks the endpoint's rule that answers
// the method.
func fhURLWithMethod(t *testing.T) {
	app := fhApp()
	app.View("/myview/", fhMyView{}, "GET").SetEndpoint("myview")
	app.View("/myview/<int:id>", fhMyView{}, "GET").SetEndpoint("myview")
	app.View("/myview/create", fhMyView{}, "POST").SetEndpoint("myview")
	c, release := app.TestRequestContext("GET", "/")
	defer release()
	for _, tc := range []struct {
		values flasky.M
		want   string
	}{
		{flasky.M{"_method": "GET"}, "/myview/"},
		{flasky.M{"id": 42, "_method": "GET"}, "/myview/42"},
		{flasky.M{"_method": "POST"}, "/myview/create"},
	} {
		if u := fhURLFor(t, c, "myview", tc.values); u != tc.want {
			t.Errorf("url_for(myview, %v) = %q, want %q", tc.values, u, tc.want)
		}
	}
}

// test_url_for_with_self: a rule variable may be named self (a Python
// concern of url_for's signature; the URL is built all the same).
func fhURLForWithSelf(t *testing.T) {
	app := fhApp()
	app.Route("/<self>", text("42")).SetEndpoint("index")
	c, release := app.TestRequestContext("GET", "/")
	defer release()
	if u := fhURLFor(t, c, "index", flasky.M{"self": "2"}); u != "/2" {
		t.Errorf("url_for(index, self=2) = %q, want /2", u)
	}
}

// test_redirect_no_app: a redirect to an absolute URL with a status of
// one's choice.
func fhRedirectNoApp(t *testing.T) {
	app := fhApp()
	app.Route("/", func(c *flasky.Ctx) error { return c.Status(307).Redirect("https://localhost") })
	res := app.TestClient(t).Get("/")
	if res.Code != 307 || res.Header.Get("Location") != "https://localhost" {
		t.Errorf("GET / = %d Location %q, want 307 https://localhost", res.Code, res.Header.Get("Location"))
	}
}

// test_abort_no_app: abort(401) is the Unauthorized error; abort(900),
// a code that is no HTTP error, is a failure of the view (Flask raises
// LookupError, a 500 for the client).
func fhAbortNoApp(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/401", func(c *flasky.Ctx) error { return flasky.Abort(401) })
	app.Route("/900", func(c *flasky.Ctx) error { return flasky.Abort(900) })
	client := app.TestClient(t)
	if res := client.Get("/401"); res.Code != 401 || res.Text() != unauthorizedPage {
		t.Errorf("abort(401) = %d %q, want Werkzeug's 401 page", res.Code, res.Text())
	}
	if res := client.Get("/900"); res.Code != 500 {
		t.Errorf("abort(900) = %d %q, want 500", res.Code, res.Text())
	}
}

// fhHelloName is the Flask tests' generator: "Hello ", the request's
// name argument, "!".
func fhHelloName(c *flasky.Ctx, hello string) func(io.Writer) error {
	return func(w io.Writer) error {
		for _, s := range []string{hello, c.Args.Get("name"), "!"} {
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
		return nil
	}
}

// test_streaming_with_context: a streamed body reads the request while
// it is sent.
func fhStreamingWithContext(t *testing.T) {
	app := fhApp()
	app.Route("/", func(c *flasky.Ctx) error { return c.Stream("", fhHelloName(c, "Hello ")) })
	if res := app.TestClient(t).Get("/?name=World"); res.Text() != "Hello World!" {
		t.Errorf("GET /?name=World = %q, want Hello World!", res.Text())
	}
}

// test_streaming_with_context_as_decorator: the same with a generator
// that takes an argument (Flask decorates the generator function).
func fhStreamingWithContextAsDecorator(t *testing.T) {
	app := fhApp()
	generate := func(c *flasky.Ctx) func(hello string) func(io.Writer) error {
		return func(hello string) func(io.Writer) error { return fhHelloName(c, hello) }
	}
	app.Route("/", func(c *flasky.Ctx) error { return c.Stream("", generate(c)("Hello ")) })
	if res := app.TestClient(t).Get("/?name=World"); res.Text() != "Hello World!" {
		t.Errorf("GET /?name=World = %q, want Hello World!", res.Text())
	}
}

// fhCloser records its closing, Flask's Wrapper with a close method.
type fhCloser struct{ called *[]int }

func (c fhCloser) Close() error {
	*c.called = append(*c.called, 42)
	return nil
}

// test_streaming_with_context_and_custom_close: what the stream holds is
// closed once, after the body is sent (in Go the stream's function
// closes it).
func fhStreamingWithContextAndCustomClose(t *testing.T) {
	app := fhApp()
	var called []int
	app.Route("/", func(c *flasky.Ctx) error {
		src := fhCloser{&called}
		gen := fhHelloName(c, "Hello ")
		return c.Stream("", func(w io.Writer) error {
			defer src.Close()
			return gen(w)
		})
	})
	if res := app.TestClient(t).Get("/?name=World"); res.Text() != "Hello World!" {
		t.Errorf("GET /?name=World = %q, want Hello World!", res.Text())
	}
	if !slices.Equal(called, []int{42}) {
		t.Errorf("closed %v, want [42]", called)
	}
}

// test_stream_keeps_session: a streamed body reads the session the view
// changed.
func fhStreamKeepsSession(t *testing.T) {
	app := fhApp()
	app.Route("/", func(c *flasky.Ctx) error {
		c.Session().Set("test", "flask")
		return c.Stream("", func(w io.Writer) error {
			_, err := io.WriteString(w, c.Session().String("test"))
			return err
		})
	})
	if res := app.TestClient(t).Get("/"); res.Text() != "flask" {
		t.Errorf("GET / = %q, want flask", res.Text())
	}
}

// test_get_debug_flag: the debug switch of the environment (Flask's
// FLASK_DEBUG, flasky's FLASKY_DEBUG, read when the app starts serving)
// is off for "", 0, False and No, and on for True.
func fhGetDebugFlag(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  bool
	}{
		{"", false}, {"0", false}, {"False", false}, {"No", false}, {"True", true},
	} {
		t.Run(tc.value, func(t *testing.T) {
			t.Setenv("FLASKY_DEBUG", tc.value)
			app, _ := newTestApp()
			app.Route("/", func(c *flasky.Ctx) error {
				if c.App().Config.Debug {
					return c.String("debug")
				}
				return c.String("no debug")
			})
			base, _, _ := startServe(t, app, flasky.NoAccessLog())
			resp, err := client.Get(base + "/")
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			got := string(b) == "debug"
			if tc.want && !got {
				flaskGap(t, "FLASKY_DEBUG turns debug mode on only for the value 1 (Flask's FLASK_DEBUG: any value but empty, 0, false and no, in any case)",
					"FLASKY_DEBUG=%q: %q", tc.value, b)
			}
			if got != tc.want {
				t.Errorf("FLASKY_DEBUG=%q: %q, want debug %v", tc.value, b, tc.want)
			}
		})
	}
}

// test_make_response: a response made without a body, or with one, is
// a 200 text/html.
func fhMakeResponse(t *testing.T) {
	for _, body := range []string{"", "Hello"} {
		var b []byte
		if body != "" {
			b = []byte(body)
		}
		resp := flasky.NewResponse(200, b)
		if resp.Status != 200 || mimetype(resp.Header) != "text/html" || string(resp.Body) != body {
			t.Errorf("NewResponse(200, %q) = %d %q %q, want 200 text/html %q", body, resp.Status, resp.Header.Get("Content-Type"), resp.Body, body)
		}
		app := fhApp()
		app.Route("/", func(c *flasky.Ctx) error { return c.Send(flasky.NewResponse(200, b)) })
		res := app.TestClient(t).Get("/")
		if res.Code != 200 || mimetype(res.Header) != "text/html" || res.Text() != body {
			t.Errorf("sent: %d %q %q, want 200 text/html %q", res.Code, res.Header.Get("Content-Type"), res.Text(), body)
		}
	}
}

// test_open_resource: a file of the app's own files is opened for
// reading (Flask's open_resource with the modes "r", "rb" and "rt").
func fhOpenResource(t *testing.T) {
	f, err := fhApp().OpenResource("static/index.html")
	if err != nil {
		t.Fatalf("OpenResource(static/index.html): %v", err)
	}
	defer f.Close()
	if b, err := io.ReadAll(f); err != nil || !strings.Contains(string(b), "<h1>Hello World!</h1>") {
		t.Errorf("static/index.html = %q, %v", b, err)
	}
}

// test_open_resource_exceptions: a resource cannot be opened for
// writing. Flask refuses the modes "w", "x", "a" and "r+" with a
// ValueError; OpenResource takes no mode, and the file it opens on disk
// refuses writes.
func fhOpenResourceExceptions(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "static", "index.html"), []byte(fhIndexHTML), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := flasky.New(flasky.WithRoot(dir)).OpenResource("static/index.html")
	if err != nil {
		t.Fatalf("OpenResource(static/index.html): %v", err)
	}
	defer f.Close()
	if w, ok := f.(io.Writer); ok {
		if _, err := w.Write([]byte("x")); err == nil {
			t.Error("writing to the resource succeeded")
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "static", "index.html")); string(b) != fhIndexHTML {
		t.Errorf("static/index.html is now %q", b)
	}
}
