package flasky_test

// Flask's tests/test_views.py (Flask 3.1), test by test: what each
// checks through a client, written against flasky. A Flask view class is
// a Go type whose Get, Post... methods answer (App.View); Flask's View
// with dispatch_request is a handler, a method value here; decorators
// are Middleware.
//
// Not ported, because what they test is Python's:
//
//   - test_view_patching replaces the view_class attribute of the
//     function as_view returned, so that another class serves. A Go view
//     is the value given to App.View; there is no function to patch.
//     What it shows through the client (a subclass redefining a
//     method answers with its own) is TestFlaskViewOverride, with Go's
//     embedding.
//   - test_methods_var_inheritance lists PROPFIND, a WebDAV method, in
//     a base class's methods attribute. flasky answers the methods it
//     names (GET to TRACE), and a view's methods are its Go methods, not
//     a list; the inheritance half is TestFlaskViewInheritance.
//   - The assertions on the class attribute methods (ChildView.methods,
//     GetDeleteView.methods, View.methods) read what the metaclass
//     computed; flasky has no such attribute, and the tests check the
//     Allow header instead, which Flask builds from it.

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// allowOf returns the Allow header's methods, sorted, as Flask's tests
// read it with parse_set_header.
func allowOf(w *httptest.ResponseRecorder) []string {
	var out []string
	for m := range strings.SplitSeq(w.Header().Get("Allow"), ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// commonViewTest is Flask's common_test: GET and POST answer their
// names, PUT is a 405, OPTIONS lists GET, HEAD, OPTIONS and POST.
func commonViewTest(t *testing.T, app *flasky.App) {
	t.Helper()
	if w := serve(app, "GET", "/", nil); w.Body.String() != "GET" {
		t.Errorf("GET / = %d %q, want GET", w.Code, w.Body)
	}
	if w := serve(app, "POST", "/", nil); w.Body.String() != "POST" {
		t.Errorf("POST / = %d %q, want POST", w.Code, w.Body)
	}
	if w := serve(app, "PUT", "/", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT / = %d, want 405", w.Code)
	}
	w := serve(app, "OPTIONS", "/", nil)
	if got, want := allowOf(w), []string{"GET", "HEAD", "OPTIONS", "POST"}; w.Code != 200 || !slices.Equal(got, want) {
		t.Errorf("OPTIONS / = %d, Allow %v; want 200, %v", w.Code, got, want)
	}
}

// methodName is Flask's basic View: one dispatch_request for the
// methods its route lists, answering the request's method.
type methodName struct{}

func (methodName) Dispatch(c *flasky.Ctx) error { return c.String(c.Request.Method) }

// getPost is Flask's Index MethodView with get and post.
type getPost struct{}

func (getPost) Get(c *flasky.Ctx) error  { return c.String("GET") }
func (getPost) Post(c *flasky.Ctx) error { return c.String("POST") }

// test_basic_view
func TestFlaskBasicView(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", methodName{}.Dispatch, "GET", "POST")
	commonViewTest(t, app)
}

// test_method_based_view
func TestFlaskMethodBasedView(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", getPost{})
	commonViewTest(t, app)
}

// failingIndex's Get fails; overridingIndex embeds it, redefines Get
// and keeps its Post.
type failingIndex struct{}

func (failingIndex) Get(c *flasky.Ctx) error  { panic("failingIndex.Get ran") }
func (failingIndex) Post(c *flasky.Ctx) error { return c.String("POST") }

type overridingIndex struct{ failingIndex }

func (overridingIndex) Get(c *flasky.Ctx) error { return c.String("GET") }

// test_view_patching, as far as a client sees it: the type registered
// answers with its own methods where it redefines those of the type it
// embeds.
func TestFlaskViewOverride(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", overridingIndex{})
	commonViewTest(t, app)
	// The embedded type on its own fails.
	app.View("/index", failingIndex{})
	if w := serve(app, "GET", "/index", nil); w.Code != 500 {
		t.Errorf("GET /index = %d, want 500", w.Code)
	}
}

// betterIndex adds DELETE to the view it embeds.
type betterIndex struct{ getPost }

func (betterIndex) Delete(c *flasky.Ctx) error { return c.String("DELETE") }

// test_view_inheritance
func TestFlaskViewInheritance(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", betterIndex{})
	w := serve(app, "OPTIONS", "/", nil)
	if got, want := allowOf(w), []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST"}; !slices.Equal(got, want) {
		t.Errorf("Allow = %v, want %v", got, want)
	}
}

// parachuteView has a decorator: Flask's decorators attribute.
type parachuteView struct{}

func (parachuteView) Get(c *flasky.Ctx) error { return c.String("Awesome") }

func (parachuteView) Middleware() []flasky.Middleware {
	addParachute := func(next flasky.HandlerFunc) flasky.HandlerFunc {
		return func(c *flasky.Ctx) error {
			// make_response(f()) then a header: the header goes on the
			// response the view makes.
			c.AfterThisRequest(func(c *flasky.Ctx, resp *flasky.Response) error {
				resp.Header.Set("X-Parachute", "awesome")
				return nil
			})
			return next(c)
		}
	}
	return []flasky.Middleware{addParachute}
}

// test_view_decorators
func TestFlaskViewDecorators(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", parachuteView{})
	w := serve(app, "GET", "/", nil)
	if w.Header().Get("X-Parachute") != "awesome" || w.Body.String() != "Awesome" {
		t.Errorf("GET / = %q with X-Parachute %q, want Awesome with awesome", w.Body, w.Header().Get("X-Parachute"))
	}
}

type helloWorld struct{}

func (helloWorld) Get(c *flasky.Ctx) error { return c.String("Hello World!") }

// optionsOnly answers OPTIONS itself, and nothing else.
type optionsOnly struct{}

func (optionsOnly) Options(c *flasky.Ctx) error { return c.String("Hello World!") }

// test_view_provide_automatic_options_attr
func TestFlaskViewProvideAutomaticOptions(t *testing.T) {
	tests := []struct {
		name     string
		register func(app *flasky.App)
		code     int
		allow    []string
	}{
		// Index1: provide_automatic_options = False.
		{"off", func(app *flasky.App) { app.View("/", helloWorld{}).SetAutomaticOptions(false) },
			405, []string{"GET", "HEAD"}},
		// Index2: methods = ["OPTIONS"], provide_automatic_options = True.
		{"forced on", func(app *flasky.App) { app.View("/", optionsOnly{}).SetAutomaticOptions(true) },
			200, []string{"OPTIONS"}},
		// Index3: neither: OPTIONS is answered automatically.
		{"default", func(app *flasky.App) { app.View("/", helloWorld{}) },
			200, []string{"GET", "HEAD", "OPTIONS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, _ := newTestApp()
			tt.register(app)
			w := serve(app, "OPTIONS", "/", nil)
			if w.Code != tt.code || !slices.Equal(allowOf(w), tt.allow) {
				t.Errorf("OPTIONS / = %d, Allow %v; want %d, %v", w.Code, allowOf(w), tt.code, tt.allow)
			}
			if tt.code == 200 && w.Body.Len() != 0 {
				t.Errorf("the automatic answer has a body: %q (the view's Options ran)", w.Body)
			}
		})
	}
}

// methodHeader answers GET with X-Method, the request's method.
type methodHeader struct{}

func (methodHeader) Get(c *flasky.Ctx) error {
	c.SetHeader("X-Method", c.Request.Method)
	return c.String("Blub")
}

// test_implicit_head
func TestFlaskViewImplicitHead(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", methodHeader{})
	w := serve(app, "GET", "/", nil)
	if w.Body.String() != "Blub" || w.Header().Get("X-Method") != "GET" {
		t.Errorf("GET / = %q, X-Method %q; want Blub, GET", w.Body, w.Header().Get("X-Method"))
	}
	w = serve(app, "HEAD", "/", nil)
	if w.Body.Len() != 0 || w.Header().Get("X-Method") != "HEAD" {
		t.Errorf("HEAD / = %q, X-Method %q; want no body, HEAD", w.Body, w.Header().Get("X-Method"))
	}
}

// explicitHead has a Head of its own.
type explicitHead struct{}

func (explicitHead) Get(c *flasky.Ctx) error { return c.String("GET") }

func (explicitHead) Head(c *flasky.Ctx) error {
	resp := flasky.NewResponse(200, nil)
	resp.Header.Set("X-Method", "HEAD")
	return c.Send(resp)
}

// test_explicit_head
func TestFlaskViewExplicitHead(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", explicitHead{})
	if w := serve(app, "GET", "/", nil); w.Body.String() != "GET" {
		t.Errorf("GET / = %q, want GET", w.Body)
	}
	w := serve(app, "HEAD", "/", nil)
	if w.Body.Len() != 0 || w.Header().Get("X-Method") != "HEAD" {
		t.Errorf("HEAD / = %q, X-Method %q; want no body, HEAD", w.Body, w.Header().Get("X-Method"))
	}
}

// test_endpoint_override: registering the view again for its rule is
// refused (Flask asserts that the endpoint's function would be
// replaced; flasky refuses the twin rule), and the first still serves.
func TestFlaskViewEndpointOverride(t *testing.T) {
	app, _ := newTestApp()
	app.Config.Debug = true
	app.View("/", getPost{})
	if _, err := app.AddView("/", getPost{}); err == nil {
		t.Error("a second registration of the view for / was accepted")
	}
	commonViewTest(t, app)
}

// getView and deleteView are two views; getDeleteView has both.
type getView struct{}

func (getView) Get(c *flasky.Ctx) error { return c.String("GET") }

type deleteView struct{}

func (deleteView) Delete(c *flasky.Ctx) error { return c.String("DELETE") }

type getDeleteView struct {
	getView
	deleteView
}

// test_multiple_inheritance
func TestFlaskViewMultipleInheritance(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", getDeleteView{})
	if w := serve(app, "GET", "/", nil); w.Body.String() != "GET" {
		t.Errorf("GET / = %q", w.Body)
	}
	if w := serve(app, "DELETE", "/", nil); w.Body.String() != "DELETE" {
		t.Errorf("DELETE / = %q", w.Body)
	}
	w := serve(app, "OPTIONS", "/", nil)
	if got, want := allowOf(w), []string{"DELETE", "GET", "HEAD", "OPTIONS"}; !slices.Equal(got, want) {
		t.Errorf("Allow = %v, want %v", got, want)
	}
}

// postView and getPostEmbedded: a view with GET and POST, registered
// for GET only.
type postView struct{}

func (postView) Post(c *flasky.Ctx) error { return c.String("POST") }

type getPostEmbedded struct {
	getView
	postView
}

// test_remove_method_from_parent: methods = ["GET"] on a view that has
// POST too; here the methods given to View.
func TestFlaskViewRemoveMethodFromParent(t *testing.T) {
	app, _ := newTestApp()
	app.View("/", getPostEmbedded{}, "GET")
	if w := serve(app, "GET", "/", nil); w.Body.String() != "GET" {
		t.Errorf("GET / = %q", w.Body)
	}
	if w := serve(app, "POST", "/", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", w.Code)
	}
}

// countInit counts how many were made.
type countInit struct{ n int }

func (v *countInit) Get(c *flasky.Ctx) error { return c.String(string(rune('0' + v.n))) }

// test_init_once: Flask's init_every_request = False, which is how
// every flasky view works: the value given to View serves every request.
func TestFlaskViewInitOnce(t *testing.T) {
	n := 0
	newCountInit := func() *countInit { n++; return &countInit{n: n} }
	app, _ := newTestApp()
	app.View("/", newCountInit())
	for range 2 {
		if w := serve(app, "GET", "/", nil); w.Body.String() != "1" {
			t.Errorf("GET / = %q, want 1", w.Body)
		}
	}
}
