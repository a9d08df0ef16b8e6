package flasky_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// Named handlers, so that endpoint names come from function names.

func showUser(c *flasky.Ctx) error { return c.String("user " + c.Param("id")) }

func adminIndex(c *flasky.Ctx) error { return c.String("admin index") }

func genericHandler[T any](c *flasky.Ctx) error {
	var zero T
	return c.String(fmt.Sprint(zero))
}

func TestDefaultMethodIsGET(t *testing.T) {
	app, _ := newTestApp()
	r := app.Route("/g", text("hi"))
	if got, want := r.Methods(), []string{"GET", "HEAD", "OPTIONS"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Methods() = %q, want %q", got, want)
	}
	tests := []struct {
		method string
		code   int
		body   string
		allow  string
	}{
		{"GET", 200, "hi", ""},
		{"HEAD", 200, "", ""},
		{"OPTIONS", 200, "", "GET, HEAD, OPTIONS"},
		{"POST", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
		{"PUT", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
		{"DELETE", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
		{"PATCH", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			w := serve(app, tt.method, "/g", nil)
			if w.Code != tt.code || w.Body.String() != tt.body || w.Header().Get("Allow") != tt.allow {
				t.Errorf("%s /g = %d %q Allow %q, want %d %q Allow %q",
					tt.method, w.Code, w.Body.String(), w.Header().Get("Allow"), tt.code, tt.body, tt.allow)
			}
		})
	}
}

func TestEndpointNames(t *testing.T) {
	app, _ := newTestApp()
	closure := func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }
	makeHandler := func() flasky.HandlerFunc {
		return func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }
	}
	bp := app.Blueprint("admin", "/admin")
	tests := []struct {
		route *flasky.Route
		want  string
	}{
		{app.Route("/user/<int:id>", showUser), "showUser"},
		{app.Route("/users", userViews{}.Index), "Index"},
		{app.Route("/closure", closure), "/closure"},
		{app.Route("/literal/<x>", func(c *flasky.Ctx) error { return nil }), "/literal/<x>"},
		{app.Route("/nested", makeHandler()), "/nested"},
		{app.Route("/named", closure).SetEndpoint("home"), "home"},
		{app.Route("/named2", showUser).SetEndpoint("profile"), "profile"},
		{bp.Route("/", adminIndex), "admin.adminIndex"},
		{bp.Route("/x", closure), "admin./admin/x"},
		{bp.Route("/y", closure).SetEndpoint("why"), "admin.why"},
		{bp.Route("/z", closure).SetEndpoint("admin.zed"), "admin.zed"},
	}
	for _, tt := range tests {
		t.Run(tt.route.Rule(), func(t *testing.T) {
			if got := tt.route.Endpoint(); got != tt.want {
				t.Errorf("route %s: Endpoint() = %q, want %q", tt.route.Rule(), got, tt.want)
			}
		})
	}
	// Function literals inside other function literals (a t.Run body, a
	// setup closure) are named "Outer.func2.1" by the runtime: still
	// closures, so still named by their rule.
	t.Run("closure in a closure", func(t *testing.T) {
		r := app.Route("/sub", func(c *flasky.Ctx) error { return nil })
		if got := r.Endpoint(); got != "/sub" {
			t.Errorf("closure inside a closure: Endpoint() = %q, want the rule \"/sub\"", got)
		}
		var inner flasky.HandlerFunc
		func() { inner = func(c *flasky.Ctx) error { return nil } }()
		if got := app.Route("/sub2", inner).Endpoint(); got != "/sub2" {
			t.Errorf("doubly nested closure: Endpoint() = %q, want the rule \"/sub2\"", got)
		}
	})
	// A generic function's runtime name ends in "[...]".
	if got := app.Route("/generic", genericHandler[int]).Endpoint(); got != "genericHandler" {
		t.Errorf("generic handler: Endpoint() = %q, want \"genericHandler\"", got)
	}
	// The handler sees its endpoint.
	for path, want := range map[string]string{"/closure": "/closure", "/named": "home", "/nested": "/nested", "/admin/y": "admin.why"} {
		t.Run("GET "+path, func(t *testing.T) {
			if w := get(app, path); w.Body.String() != want {
				t.Errorf("GET %s: c.Endpoint() = %q, want %q", path, w.Body.String(), want)
			}
		})
	}
	if got := bp.Name(); got != "admin" {
		t.Errorf("Blueprint.Name() = %q", got)
	}
	// Renamed endpoints are found by URLFor under their new name only.
	if u, err := app.URLFor("home", nil); err != nil || u != "/named" {
		t.Errorf("URLFor(home) = %q, %v; want /named", u, err)
	}
	// /named2 has no <id>: the value becomes the query.
	if u, err := app.URLFor("profile", flasky.M{"id": 3}); err != nil || u != "/named2?id=3" {
		t.Errorf("URLFor(profile) = %q, %v; want /named2?id=3", u, err)
	}
	if u, err := app.URLFor("showUser", flasky.M{"id": 7}); err != nil || u != "/user/7" {
		t.Errorf("URLFor(showUser) after renaming its other route = %q, %v; want /user/7", u, err)
	}
	if _, err := app.URLFor("/named", nil); err == nil {
		t.Errorf("URLFor(\"/named\") still finds the route renamed to home")
	}
}

func TestRoutes(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/user/<int:id>", showUser)
	app.Route("/user/<int:id>", showUser, "POST", "DELETE")
	app.Route("/", func(c *flasky.Ctx) error { return nil }).SetEndpoint("index")
	app.Route("/x", listPage)
	app.Route("/x/<int:page>", listPage)
	bp := app.Blueprint("admin", "/admin")
	bp.Route("/", adminIndex)
	app.Mount("/api", http.NotFoundHandler())
	want := []flasky.RouteInfo{
		{Endpoint: "admin.adminIndex", Methods: []string{"GET"}, Rule: "/admin/"},
		{Endpoint: "index", Methods: []string{"GET"}, Rule: "/"},
		{Endpoint: "listPage", Methods: []string{"GET"}, Rule: "/x"},
		{Endpoint: "listPage", Methods: []string{"GET"}, Rule: "/x/<int:page>"},
		{Endpoint: "mount:/api", Methods: []string{"*"}, Rule: "/api"},
		{Endpoint: "mount:/api", Methods: []string{"*"}, Rule: "/api/<path:rest>"},
		{Endpoint: "showUser", Methods: []string{"GET"}, Rule: "/user/<int:id>"},
		{Endpoint: "showUser", Methods: []string{"DELETE", "POST"}, Rule: "/user/<int:id>"},
	}
	got := app.Routes()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Routes() =\n%v\nwant\n%v", got, want)
	}
	var buf strings.Builder
	app.PrintRoutes(&buf)
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(want)+2 || !strings.HasPrefix(lines[0], "Endpoint") || !strings.HasPrefix(lines[1], "--------") {
		t.Errorf("PrintRoutes:\n%s", out)
	}
	for i, ri := range want {
		if i+2 >= len(lines) {
			break
		}
		f := lines[i+2]
		if !strings.HasPrefix(f, ri.Endpoint+" ") || !strings.HasSuffix(f, " "+ri.Rule) || !strings.Contains(f, strings.Join(ri.Methods, ", ")) {
			t.Errorf("PrintRoutes line %d = %q, want %v", i+2, f, ri)
		}
	}
}
