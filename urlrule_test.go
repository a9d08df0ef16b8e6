package flasky_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func blogIndex(c *flasky.Ctx) error { return c.String("blog index") }

// TestAddURLRuleTwin is the flaskr tutorial: the blog blueprint answers
// /, and app.add_url_rule("/", endpoint="index") gives it a second name
// to build, where its twin answers.
func TestAddURLRuleTwin(t *testing.T) {
	app, _ := newTestApp()
	bp := app.Blueprint("blog", "")
	bp.Route("/", blogIndex).SetEndpoint("index")
	r, err := app.AddURLRule("/", "index", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.BuildOnly() || r.Endpoint() != "index" {
		t.Errorf("the rule is build-only %v with endpoint %q, want true and index", r.BuildOnly(), r.Endpoint())
	}
	if w := get(app, "/"); w.Body.String() != "blog index" {
		t.Errorf("GET / = %d %q", w.Code, w.Body)
	}
	for _, ep := range []string{"index", "blog.index"} {
		if u, err := app.URLFor(ep, nil); u != "/" || err != nil {
			t.Errorf("URLFor(%q) = %q, %v", ep, u, err)
		}
	}
	var eps []string
	for _, ri := range app.Routes() {
		if ri.Rule == "/" {
			eps = append(eps, ri.Endpoint+" "+strings.Join(ri.Methods, ","))
		}
	}
	if got := strings.Join(eps, "; "); got != "blog.index GET; index GET" {
		t.Errorf("routes for / = %q", got)
	}
	// Twins with handlers are refused, as Route refuses them.
	if _, err := app.AddURLRule("/", "home", text("home")); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("a twin with a handler: %v", err)
	}
	app.Endpoint("front", text("front"))
	if _, err := app.AddURLRule("/", "front", nil); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("a twin whose endpoint has a handler: %v", err)
	}
}

func yHandler(c *flasky.Ctx) error { return c.String("y!") }

// TestEndpoint is Flask's @app.endpoint: rules registered for the
// endpoint without a handler, before or after, run its handler; before
// there is one, a request is a 500 that says why.
func TestEndpoint(t *testing.T) {
	app, log := newTestApp()
	if _, err := app.AddURLRule("/y", "y", nil); err != nil {
		t.Fatal(err)
	}
	if w := get(app, "/y"); w.Code != 500 || !strings.Contains(log.String(), `endpoint \"y\" has no handler: give it one with App.Endpoint`) {
		t.Errorf("GET /y before Endpoint = %d; log:\n%s", w.Code, log)
	}
	app.Endpoint("y", yHandler)
	if _, err := app.AddURLRule("/y2", "y", nil); err != nil {
		t.Fatal(err)
	}
	r, err := app.AddURLRule("/y3", "y", yHandler, "GET", "POST")
	if err != nil {
		t.Fatal(err)
	}
	if r.Endpoint() != "y" {
		t.Errorf("endpoint %q", r.Endpoint())
	}
	for _, p := range []string{"/y", "/y2", "/y3"} {
		if w := get(app, p); w.Body.String() != "y!" {
			t.Errorf("GET %s = %d %q", p, w.Code, w.Body)
		}
	}
	if u, err := app.URLFor("y", nil); err != nil || u != "/y" {
		t.Errorf("URLFor(y) = %q, %v", u, err)
	}
	// The endpoint names one handler, as Flask asserts.
	if _, err := app.AddURLRule("/z", "y", text("other")); err == nil || !strings.Contains(err.Error(), `endpoint "y" already has another handler`) {
		t.Errorf("another handler for y: %v", err)
	}
	if v := mustPanic(t, func() { app.Endpoint("y", text("other")) }); !strings.Contains(fmt.Sprint(v), "already has another handler") {
		t.Errorf("Endpoint with another handler panicked with %v", v)
	}
	app.Endpoint("y", yHandler) // the same handler again is fine
	app.Endpoint("early", text("early"))
	if _, err := app.AddURLRule("/z", "early", text("other")); err == nil {
		t.Error("AddURLRule took another handler than the one given to Endpoint")
	}
	if _, err := app.AddURLRule("/none", "", nil); err == nil {
		t.Error("AddURLRule took neither endpoint nor handler")
	}
	if v := mustPanic(t, func() { app.Endpoint("nil", nil) }); !strings.Contains(fmt.Sprint(v), "nil") {
		t.Errorf("Endpoint(nil) panicked with %v", v)
	}
}

// TestAddURLRuleOneEndpointManyRules: one endpoint reachable through
// several rules, its handler given once, a view's too.
func TestAddURLRuleOneEndpointManyRules(t *testing.T) {
	app, _ := newTestApp()
	tr := &trace{}
	if _, err := app.AddURLRule("/a", "x", yHandler); err != nil {
		t.Fatal(err)
	}
	if _, err := app.AddURLRule("/b/<int:n>", "x", nil); err != nil {
		t.Fatal(err)
	}
	r, err := app.AddURLRule("/c", "x", nil, "POST")
	if err != nil {
		t.Fatal(err)
	}
	r.Wrap(tr.mark("c"))
	for _, tt := range []struct{ method, path string }{{"GET", "/a"}, {"GET", "/b/1"}, {"POST", "/c"}} {
		if w := serve(app, tt.method, tt.path, nil); w.Body.String() != "y!" {
			t.Errorf("%s %s = %d %q", tt.method, tt.path, w.Code, w.Body)
		}
	}
	if got := tr.take(); got != "c /c" {
		t.Errorf("the middleware of /c ran %q", got)
	}
	for _, tt := range []struct {
		params flasky.M
		want   string
	}{{nil, "/a"}, {flasky.M{"n": 2}, "/b/2"}, {flasky.M{"_method": "POST"}, "/c"}} {
		if u, err := app.URLFor("x", tt.params); err != nil || u != tt.want {
			t.Errorf("URLFor(x, %v) = %q, %v; want %q", tt.params, u, err, tt.want)
		}
	}

	// A view's endpoint: a rule without a handler runs the view.
	app.View("/items/<int:id>", &itemAPI{})
	if _, err := app.AddURLRule("/things/<int:id>", "itemAPI", nil, "GET", "PUT"); err != nil {
		t.Fatal(err)
	}
	if w := serve(app, "PUT", "/things/4", nil); w.Body.String() != "put 4" {
		t.Errorf("PUT /things/4 = %d %q", w.Code, w.Body)
	}
	if u, err := app.URLFor("itemAPI", flasky.M{"id": 1}); err != nil || u != "/items/1" {
		t.Errorf("URLFor(itemAPI) = %q, %v", u, err)
	}
	if _, err := app.AddURLRule("/other/<int:id>", "itemAPI", yHandler); err == nil {
		t.Error("a function handler was taken for a view's endpoint")
	}

	// In a blueprint, the endpoint is qualified.
	bp := app.Blueprint("blog", "/blog")
	bp.Endpoint("list", text("list"))
	r, err = bp.AddURLRule("/all", "list", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Endpoint() != "blog.list" {
		t.Errorf("endpoint %q, want blog.list", r.Endpoint())
	}
	if w := get(app, "/blog/all"); w.Body.String() != "list" {
		t.Errorf("GET /blog/all = %d %q", w.Code, w.Body)
	}
}

// TestEndpointWrapped: a rule without a handler keeps the middleware
// given to it when its handler comes.
func TestEndpointWrapped(t *testing.T) {
	app, _ := newTestApp()
	tr := &trace{}
	r, err := app.AddURLRule("/w", "w", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Wrap(tr.mark("m"))
	app.Endpoint("w", func(c *flasky.Ctx) error { tr.add("w"); return c.String("w") })
	if w := get(app, "/w"); w.Body.String() != "w" {
		t.Errorf("GET /w = %d %q", w.Code, w.Body)
	}
	if got := tr.take(); got != "m w /m" {
		t.Errorf("ran %q, want m w /m", got)
	}
}

// TestAddURLRuleHandlerLater: a rule registered without a handler takes
// the one that a later rule of its endpoint brings, by AddURLRule,
// SetEndpoint or View, as Flask's view_functions serves every rule of
// an endpoint.
func TestAddURLRuleHandlerLater(t *testing.T) {
	app, _ := newTestApp()
	for _, rule := range []string{"/a1", "/b1", "/c1/<int:id>"} {
		ep := map[string]string{"/a1": "a", "/b1": "b", "/c1/<int:id>": "itemAPI"}[rule]
		if _, err := app.AddURLRule(rule, ep, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.AddURLRule("/a2", "a", text("a")); err != nil {
		t.Fatal(err)
	}
	app.Route("/b2", text("b")).SetEndpoint("b")
	app.View("/c2/<int:id>", &itemAPI{})
	for _, tt := range []struct{ path, body string }{
		{"/a1", "a"}, {"/a2", "a"}, {"/b1", "b"}, {"/b2", "b"}, {"/c1/7", "item 7"}, {"/c2/7", "item 7"},
	} {
		if w := get(app, tt.path); w.Code != 200 || w.Body.String() != tt.body {
			t.Errorf("GET %s = %d %q, want %q", tt.path, w.Code, w.Body, tt.body)
		}
	}
	for _, tt := range []struct {
		endpoint string
		params   flasky.M
		want     string
	}{{"a", nil, "/a1"}, {"b", nil, "/b1"}, {"itemAPI", flasky.M{"id": 1}, "/c1/1"}} {
		if u, err := app.URLFor(tt.endpoint, tt.params); err != nil || u != tt.want {
			t.Errorf("URLFor(%q) = %q, %v; want %q", tt.endpoint, u, err, tt.want)
		}
	}
}
