package flasky_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/flasky-go/flasky"
)

// itemAPI answers GET, PUT and DELETE for one item, with state shared by
// every request.
type itemAPI struct{ deleted atomic.Int64 }

func (v *itemAPI) Get(c *flasky.Ctx) error { return c.String("item " + c.Param("id")) }
func (v *itemAPI) Put(c *flasky.Ctx) error { return c.String("put " + c.Param("id")) }
func (v *itemAPI) Delete(c *flasky.Ctx) error {
	v.deleted.Add(1)
	return c.NoContent()
}

// page is a generic view.
type page[T any] struct{ v T }

func (p page[T]) Get(c *flasky.Ctx) error { return c.String(fmt.Sprint(p.v)) }

// headOnly has a Head and no Get.
type headOnly struct{}

func (headOnly) Head(c *flasky.Ctx) error {
	c.SetHeader("X-Head", "yes")
	return c.NoContent()
}

// TestViewEndpoint: a view's endpoint is its type's name, qualified by
// its blueprint; rules of one type are one endpoint.
func TestViewEndpoint(t *testing.T) {
	app, _ := newTestApp()
	items := &itemAPI{}
	tests := []struct {
		route *flasky.Route
		want  string
	}{
		{app.View("/items/<int:id>", items), "itemAPI"},
		{app.View("/things/<int:id>", items, "GET"), "itemAPI"},
		{app.View("/value", getView{}), "getView"},
		{app.View("/generic", page[int]{v: 7}), "page"},
		{app.View("/anonymous", struct{ getView }{}), "/anonymous"},
		{app.View("/named", getView{}).SetEndpoint("named"), "named"},
		{app.Blueprint("api", "/api").View("/items/<int:id>", items), "api.itemAPI"},
	}
	for _, tt := range tests {
		if got := tt.route.Endpoint(); got != tt.want {
			t.Errorf("rule %s: endpoint %q, want %q", tt.route.Rule(), got, tt.want)
		}
	}
	for _, tt := range []struct{ endpoint, want string }{
		{"itemAPI", "/items/3"},
		{"api.itemAPI", "/api/items/3"},
	} {
		if u, err := app.URLFor(tt.endpoint, flasky.M{"id": 3}); err != nil || u != tt.want {
			t.Errorf("URLFor(%q) = %q, %v; want %q", tt.endpoint, u, err, tt.want)
		}
	}
	for _, tt := range []struct{ method, path, want string }{
		{"GET", "/things/4", "item 4"},
		{"PUT", "/items/4", "put 4"},
		{"GET", "/generic", "7"},
		{"GET", "/api/items/5", "item 5"},
	} {
		if w := serve(app, tt.method, tt.path, nil); w.Code != 200 || w.Body.String() != tt.want {
			t.Errorf("%s %s = %d %q, want %q", tt.method, tt.path, w.Code, w.Body, tt.want)
		}
	}
	if w := serve(app, "PUT", "/things/4", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT /things/4 (a rule for GET only) = %d, want 405", w.Code)
	}
}

// TestViewMethods: the route answers the view's methods; HEAD goes to
// Get unless the view has Head.
func TestViewMethods(t *testing.T) {
	app, _ := newTestApp()
	items := &itemAPI{}
	app.View("/items/<int:id>", items)
	app.View("/head", headOnly{})
	tests := []struct {
		method, path string
		code         int
		allow        string
	}{
		{"GET", "/items/1", 200, ""},
		{"HEAD", "/items/1", 200, ""},
		{"DELETE", "/items/1", 204, ""},
		{"POST", "/items/1", 405, "DELETE, GET, HEAD, OPTIONS, PUT"},
		{"OPTIONS", "/items/1", 200, "DELETE, GET, HEAD, OPTIONS, PUT"},
		{"HEAD", "/head", 204, ""},
		{"GET", "/head", 405, "HEAD, OPTIONS"},
	}
	for _, tt := range tests {
		w := serve(app, tt.method, tt.path, nil)
		if w.Code != tt.code || w.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s = %d, Allow %q; want %d, %q", tt.method, tt.path, w.Code, w.Header().Get("Allow"), tt.code, tt.allow)
		}
	}
	if w := serve(app, "HEAD", "/head", nil); w.Header().Get("X-Head") != "yes" {
		t.Error("HEAD /head did not run Head")
	}
	if n := items.deleted.Load(); n != 1 {
		t.Errorf("Delete ran %d times, want 1", n)
	}
}

// TestViewShared: one value serves concurrent requests; its state is
// shared, which is why the view must be safe for concurrent use.
func TestViewShared(t *testing.T) {
	app, _ := newTestApp()
	items := &itemAPI{}
	app.View("/items/<int:id>", items)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if w := serve(app, "DELETE", "/items/1", nil); w.Code != 204 {
				t.Errorf("DELETE = %d", w.Code)
			}
		})
	}
	wg.Wait()
	if n := items.deleted.Load(); n != 20 {
		t.Errorf("the view counted %d deletes, want 20", n)
	}
}

// guardedView has middleware of its own, like Flask's View.decorators.
type guardedView struct{ tr *trace }

func (v guardedView) Get(c *flasky.Ctx) error  { v.tr.add("get"); return c.String("got") }
func (v guardedView) Post(c *flasky.Ctx) error { v.tr.add("post"); return c.String("posted") }
func (v guardedView) Middleware() []flasky.Middleware {
	return []flasky.Middleware{v.tr.mark("v1"), v.tr.mark("v2")}
}

// TestViewMiddleware: a view's Middleware wraps every method, the first
// outermost, inside what Route.Wrap adds.
func TestViewMiddleware(t *testing.T) {
	tr := &trace{}
	app, _ := newTestApp()
	app.View("/", guardedView{tr}).Wrap(tr.mark("route"))
	for _, tt := range []struct{ method, want string }{
		{"GET", "route v1 v2 get /v2 /v1 /route"},
		{"POST", "route v1 v2 post /v2 /v1 /route"},
	} {
		serve(app, tt.method, "/", nil)
		if got := tr.take(); got != tt.want {
			t.Errorf("%s ran %q, want %q", tt.method, got, tt.want)
		}
	}
}

// methodOverride turns a POST with X-HTTP-Method-Override into that
// method, as such net/http middleware does.
func methodOverride(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m := r.Header.Get("X-HTTP-Method-Override"); m != "" && r.Method == http.MethodPost {
			r2 := r.Clone(r.Context())
			r2.Method = m
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

// TestViewMethodOverride: the view answers the method the middleware
// passed down (here from a POST), and a method it lacks is a 405.
func TestViewMethodOverride(t *testing.T) {
	app, _ := newTestApp()
	app.View("/v", overrideView{}).Wrap(flasky.HTTPMiddleware(methodOverride))
	for _, tt := range []struct {
		override string
		code     int
		body     string
	}{{"", 200, "post"}, {"PUT", 200, "put"}, {"PATCH", 405, methodNotAllowedPage}} {
		w := serve(app, "POST", "/v", nil, "X-HTTP-Method-Override", tt.override)
		if w.Code != tt.code || w.Body.String() != tt.body {
			t.Errorf("POST /v overridden to %q = %d %q, want %d %q", tt.override, w.Code, w.Body, tt.code, tt.body)
		}
	}
}

type overrideView struct{}

func (overrideView) Post(c *flasky.Ctx) error { return c.String("post") }
func (overrideView) Put(c *flasky.Ctx) error  { return c.String("put") }

// TestViewErrors: a value without methods, with methods on its pointer
// only, asked for a method it lacks, or nil is refused with a message
// that says so; View panics with it.
func TestViewErrors(t *testing.T) {
	app, _ := newTestApp()
	tests := []struct {
		name    string
		v       any
		methods []string
		want    string
	}{
		{"no methods", struct{}{}, nil, "struct {} has none of the methods Get, Post, Put, Patch, Delete, Head, Options"},
		{"pointer methods", itemAPI{}, nil, "its methods are on *flasky_test.itemAPI: pass a pointer"},
		{"method it lacks", getView{}, []string{"post"}, "flasky_test.getView has no method for POST"},
		{"options it lacks", getView{}, []string{"GET", "OPTIONS"}, "has no method for OPTIONS"},
		{"unknown method", getView{}, []string{"PROPFIND"}, `unknown method "PROPFIND"`},
		{"nil", nil, nil, "the view is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := app.AddView("/x", tt.v, tt.methods...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "flasky: ") {
				t.Errorf("AddView = %v, want an error containing %q", err, tt.want)
			}
			v := mustPanic(t, func() { app.View("/x", tt.v, tt.methods...) })
			if e, ok := v.(error); !ok || !strings.Contains(e.Error(), tt.want) {
				t.Errorf("View panicked with %v", v)
			}
		})
	}
	if _, err := app.Blueprint("bp", "/bp").AddView("/x", struct{}{}); err == nil {
		t.Error("Blueprint.AddView accepted a value without methods")
	}
}

// failingView returns an error from Get.
type failingView struct{}

func (failingView) Get(c *flasky.Ctx) error { return errors.New("view failed") }

// TestViewDebugPage: Go errors carry no stack; the debug page names the
// view and the method it answered.
func TestViewDebugPage(t *testing.T) {
	app, _ := newTestApp()
	app.Config.Debug = true
	app.View("/", failingView{})
	w := get(app, "/")
	if w.Code != 500 || !strings.Contains(w.Body.String(), "a method of the view flasky_test.failingView, answering GET") {
		t.Errorf("GET / = %d:\n%s", w.Code, w.Body)
	}
}
