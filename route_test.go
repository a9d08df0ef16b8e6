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

func listUsers(c *flasky.Ctx) error {
	return c.String(fmt.Sprintf("page %s %d", c.Param("page"), c.ParamInt("page")))
}

// TestRouteDefaults: Flask's defaults= beside a rule with the variable;
// the expectations are Flask 3.1's answers for
//
//	@app.route("/users/", defaults={"page": 1})
//	@app.route("/users/page/<int:page>")
func TestRouteDefaults(t *testing.T) {
	for _, order := range []string{"defaults first", "variable first"} {
		t.Run(order, func(t *testing.T) {
			app, _ := newTestApp()
			if order == "defaults first" {
				app.Route("/users/", listUsers).SetDefaults(flasky.M{"page": 1})
				app.Route("/users/page/<int:page>", listUsers)
			} else {
				app.Route("/users/page/<int:page>", listUsers)
				app.Route("/users/", listUsers).SetDefaults(flasky.M{"page": 1})
			}
			for _, tt := range []struct {
				path, want string
				code       int
				location   string
			}{
				{"/users/", "page 1 1", 200, ""},
				{"/users/page/2", "page 2 2", 200, ""},
				{"/users/page/1", "", 308, "/users/"},
				{"/users/page/1?x=1", "", 308, "/users/?x=1"},
				{"/users/page/01", "", 308, "/users/"},
				{"/users", "", 308, "/users/"},
			} {
				t.Run(tt.path, func(t *testing.T) {
					w := get(app, tt.path)
					if w.Code != tt.code || w.Header().Get("Location") != tt.location || (tt.want != "" && w.Body.String() != tt.want) {
						t.Errorf("GET %s = %d %q (Location %q); want %d %q (Location %q)", tt.path, w.Code, w.Body.String(), w.Header().Get("Location"), tt.code, tt.want, tt.location)
					}
				})
			}
			for _, tt := range []struct {
				params flasky.M
				want   string
			}{
				{flasky.M{"page": 1}, "/users/"},
				{flasky.M{"page": "1"}, "/users/"},
				{flasky.M{"page": 2}, "/users/page/2"},
				{nil, "/users/"},
				{flasky.M{"page": 1, "q": "a"}, "/users/?q=a"},
			} {
				if got, err := app.URLFor("listUsers", tt.params); err != nil || got != tt.want {
					t.Errorf("URLFor(listUsers, %v) = %q, %v; want %q", tt.params, got, err, tt.want)
				}
			}
		})
	}
	t.Run("Defaults", func(t *testing.T) {
		app, _ := newTestApp()
		r := app.Route("/d", listUsers).SetDefaults(flasky.M{"page": 3})
		if d := r.Defaults(); d["page"] != 3 || len(d) != 1 {
			t.Errorf("Defaults() = %v", d)
		}
		if w := get(app, "/d"); w.Body.String() != "page 3 3" {
			t.Errorf("GET /d = %q", w.Body.String())
		}
	})
	t.Run("refused", func(t *testing.T) {
		app, _ := newTestApp()
		r := app.Route("/x/<int:page>", listUsers)
		for _, d := range []flasky.M{{"page": 1}, {"a": nil}, {"a": []int{1}}} {
			mustPanic(t, func() { r.SetDefaults(d) })
		}
	})
}

// TestRouteAliasAndBuildOnly: Werkzeug's alias=True and build_only=True,
// with Flask's answers.
func TestRouteAliasAndBuildOnly(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/alias", listPage).SetEndpoint("canon").SetAlias(true)
	app.Route("/canon", listPage).SetEndpoint("canon")
	app.Route("/old/<int:page>", listPage).SetEndpoint("page").SetAlias(true)
	app.Route("/p/<int:page>", listPage).SetEndpoint("page")
	b := app.Route("/b/", listPage).SetEndpoint("b").SetBuildOnly(true)
	for _, tt := range []struct {
		path     string
		code     int
		location string
	}{
		{"/alias", 308, "/canon"},
		{"/alias?q=1", 308, "/canon?q=1"},
		{"/canon", 200, ""},
		{"/old/7", 308, "/p/7"},
		{"/b/", 404, ""},
		{"/b", 404, ""},
	} {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != tt.code || w.Header().Get("Location") != tt.location {
				t.Errorf("GET %s = %d (Location %q); want %d (Location %q)", tt.path, w.Code, w.Header().Get("Location"), tt.code, tt.location)
			}
		})
	}
	for _, tt := range []struct {
		endpoint string
		params   flasky.M
		want     string
	}{
		{"canon", nil, "/canon"},
		{"page", flasky.M{"page": 3}, "/p/3"},
		{"b", nil, "/b/"},
	} {
		if got, err := app.URLFor(tt.endpoint, tt.params); err != nil || got != tt.want {
			t.Errorf("URLFor(%s, %v) = %q, %v; want %q", tt.endpoint, tt.params, got, err, tt.want)
		}
	}
	if !b.BuildOnly() || strings.Join(b.Methods(), ",") != "GET,HEAD,OPTIONS" {
		t.Errorf("build-only route: BuildOnly %v, Methods %v", b.BuildOnly(), b.Methods())
	}
	app.Route("/b/", text("other"))
	mustPanic(t, func() { b.SetBuildOnly(false) })
}

// TestStrictSlashes: SetStrictSlashes(false) is Flask's
// strict_slashes=False: both forms answer, no redirect.
func TestStrictSlashes(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/ss/", text("ss")).SetStrictSlashes(false)
	app.Route("/nn", text("nn")).SetStrictSlashes(false)
	app.Route("/strict", text("strict"))
	for _, tt := range []struct {
		path string
		code int
		body string
	}{
		{"/ss", 200, "ss"},
		{"/ss/", 200, "ss"},
		{"/nn", 200, "nn"},
		{"/nn/", 200, "nn"},
		{"/strict/", 404, ""},
	} {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != tt.code || (tt.body != "" && w.Body.String() != tt.body) {
				t.Errorf("GET %s = %d %q; want %d %q", tt.path, w.Code, w.Body.String(), tt.code, tt.body)
			}
		})
	}
}

// TestSlashSettings: a rule's StrictSlashes and MergeSlashes are its own
// setting, or else the app's at the time they are read, so the app's
// switches reach rules registered before them as well as after.
func TestSlashSettings(t *testing.T) {
	app, _ := newTestApp()
	before := app.Route("/before", text("before"))
	on := app.Route("/on", text("on")).SetStrictSlashes(true).SetMergeSlashes(true)
	off := app.Route("/off", text("off")).SetStrictSlashes(false).SetMergeSlashes(false)
	var after *flasky.Route
	type want struct {
		name          string
		r             **flasky.Route // set by the time the step runs
		strict, merge bool
	}
	for _, step := range []struct {
		name          string
		change        func()
		strict, merge bool // the app's
		routes        []want
	}{
		{"defaults", func() {}, true, true, []want{{"before", &before, true, true}, {"on", &on, true, true}, {"off", &off, false, false}}},
		{"app off", func() {
			app.SetStrictSlashes(false)
			app.SetMergeSlashes(false)
			after = app.Route("/after", text("after"))
		}, false, false, []want{{"before", &before, false, false}, {"on", &on, true, true}, {"off", &off, false, false}}},
		{"registered after", func() {}, false, false, []want{{"after", &after, false, false}}},
		{"app on again", func() {
			app.SetStrictSlashes(true)
			app.SetMergeSlashes(true)
		}, true, true, []want{{"before", &before, true, true}, {"after", &after, true, true}, {"on", &on, true, true}, {"off", &off, false, false}}},
		{"strict only", func() { app.SetStrictSlashes(false) }, false, true, []want{{"before", &before, false, true}, {"off", &off, false, false}}},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.change()
			if app.StrictSlashes() != step.strict || app.MergeSlashes() != step.merge {
				t.Errorf("app: StrictSlashes %v MergeSlashes %v, want %v %v", app.StrictSlashes(), app.MergeSlashes(), step.strict, step.merge)
			}
			for _, w := range step.routes {
				if r := *w.r; r.StrictSlashes() != w.strict || r.MergeSlashes() != w.merge {
					t.Errorf("rule %s: StrictSlashes %v MergeSlashes %v, want %v %v", w.name, r.StrictSlashes(), r.MergeSlashes(), w.strict, w.merge)
				}
			}
		})
	}
}

// TestAppStrictSlashes: App.SetStrictSlashes(false) is Flask's
// app.url_map.strict_slashes = False, for rules registered before and
// after it; a rule's own SetStrictSlashes(true) keeps the redirect.
func TestAppStrictSlashes(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/early/", text("early"))
	app.Route("/kept/", text("kept")).SetStrictSlashes(true)
	app.SetStrictSlashes(false)
	app.Route("/late", text("late"))
	app.Route("/item/<int:id>", text("item"))
	for _, tt := range []struct {
		path     string
		code     int
		body     string
		location string
	}{
		{"/early", 200, "early", ""},
		{"/early/", 200, "early", ""},
		{"/late/", 200, "late", ""},
		{"/item/7/", 200, "item", ""},
		{"/kept", 308, "", "/kept/"},
		{"/kept/", 200, "kept", ""},
		{"/early//", 200, "early", ""}, // one slash too many: Werkzeug takes it too
		{"/late//", 308, "", "/late/"}, // merged, then served without the slash
		{"/nope/", 404, "", ""},
	} {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != tt.code || (tt.body != "" && w.Body.String() != tt.body) || w.Header().Get("Location") != tt.location {
				t.Errorf("GET %s = %d %q to %q; want %d %q to %q", tt.path, w.Code, w.Body.String(), w.Header().Get("Location"), tt.code, tt.body, tt.location)
			}
		})
	}
}

// TestSetAutomaticOptions: Flask's provide_automatic_options. Off, an
// OPTIONS request is a 405 that does not list OPTIONS, unless the
// handler takes OPTIONS; forced on, the automatic answer replaces the
// handler's.
func TestSetAutomaticOptions(t *testing.T) {
	tests := []struct {
		name     string
		register func(app *flasky.App) *flasky.Route
		code     int
		allow    string
		body     string
		methods  string // Route.Methods
	}{
		{"default", func(app *flasky.App) *flasky.Route { return app.Route("/", text("hi")) },
			200, "GET, HEAD, OPTIONS", "", "GET HEAD OPTIONS"},
		{"off", func(app *flasky.App) *flasky.Route { return app.Route("/", text("hi")).SetAutomaticOptions(false) },
			405, "GET, HEAD", methodNotAllowedPage, "GET HEAD"},
		{"off, POST", func(app *flasky.App) *flasky.Route {
			return app.Route("/", text("hi"), "GET", "POST").SetAutomaticOptions(false)
		}, 405, "GET, HEAD, POST", methodNotAllowedPage, "GET HEAD POST"},
		{"off with OPTIONS given", func(app *flasky.App) *flasky.Route {
			return app.Route("/", text("mine"), "GET", "OPTIONS").SetAutomaticOptions(false)
		}, 200, "", "mine", "GET HEAD OPTIONS"},
		{"on with OPTIONS given", func(app *flasky.App) *flasky.Route {
			return app.Route("/", text("mine"), "OPTIONS").SetAutomaticOptions(true)
		}, 200, "OPTIONS", "", "OPTIONS"},
		{"on, off, on", func(app *flasky.App) *flasky.Route {
			return app.Route("/", text("hi")).SetAutomaticOptions(false).SetAutomaticOptions(true)
		}, 200, "GET, HEAD, OPTIONS", "", "GET HEAD OPTIONS"},
		{"given, on, off", func(app *flasky.App) *flasky.Route {
			return app.Route("/", text("mine"), "OPTIONS").SetAutomaticOptions(true).SetAutomaticOptions(false)
		}, 200, "", "mine", "OPTIONS"},
		// Werkzeug lists every rule of the path: the other rule answers
		// OPTIONS automatically.
		{"beside an automatic rule", func(app *flasky.App) *flasky.Route {
			app.Route("/", text("post"), "POST")
			return app.Route("/", text("hi")).SetAutomaticOptions(false)
		}, 200, "GET, HEAD, OPTIONS, POST", "", "GET HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, _ := newTestApp()
			r := tt.register(app)
			w := serve(app, "OPTIONS", "/", nil)
			if w.Code != tt.code || w.Header().Get("Allow") != tt.allow || w.Body.String() != tt.body {
				t.Errorf("OPTIONS / = %d, Allow %q, %q; want %d, %q, %q", w.Code, w.Header().Get("Allow"), w.Body, tt.code, tt.allow, tt.body)
			}
			if got := strings.Join(r.Methods(), " "); got != tt.methods {
				t.Errorf("Methods() = %q, want %q", got, tt.methods)
			}
		})
	}

	// Off again, a handler given OPTIONS beside another rule's would be
	// ambiguous.
	app, _ := newTestApp()
	r := app.Route("/x", text("x"), "OPTIONS").SetAutomaticOptions(true)
	app.Route("/x", text("y"), "POST", "OPTIONS")
	if v := mustPanic(t, func() { r.SetAutomaticOptions(false) }); !strings.Contains(fmt.Sprint(v), `its handler would answer OPTIONS, and so does rule "/x"`) {
		t.Errorf("panic = %v", v)
	}
	if !r.AutomaticOptions() {
		t.Error("the refused change was kept")
	}
}

// TestPrintRoutesLikeFlask checks the route table's wording and the
// routes command's -sort and -all-methods: "No routes were registered."
// for an app without routes, a Subdomain column under subdomain
// matching, a Host column under host matching.
func TestPrintRoutesLikeFlask(t *testing.T) {
	print := func(app *flasky.App) string {
		var b strings.Builder
		app.PrintRoutes(&b)
		return b.String()
	}
	app, _ := newTestApp()
	if got := print(app); got != "No routes were registered.\n" {
		t.Errorf("PrintRoutes of no routes = %q", got)
	}
	app.Route("/b", endpointHandler("a"), "POST")
	app.Route("/a", endpointHandler("b"))
	app.Subdomain("x").Route("/c", endpointHandler("c")).SetEndpoint("c")
	if got := print(app); !strings.HasPrefix(got, "Subdomain  Endpoint  Methods  Rule\n---------  --------") {
		t.Errorf("PrintRoutes with a subdomain rule:\n%s", got)
	}
	for _, tt := range []struct {
		args  []string
		order []string
	}{
		{[]string{"-sort", "rule"}, []string{"/a", "/b", "/c"}},
		{[]string{"-s", "match"}, []string{"/b", "/a", "/c"}},
		{[]string{"-sort", "methods"}, []string{"/a", "/c", "/b"}},
		{[]string{"-sort", "domain"}, []string{"/b", "/a", "/c"}},
	} {
		out, err := app.RunCommand(append([]string{"routes"}, tt.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n")[2:] {
			f := strings.Fields(line)
			rules = append(rules, f[len(f)-1])
		}
		if !reflect.DeepEqual(rules, tt.order) {
			t.Errorf("routes %q: rules %q, want %q", tt.args, rules, tt.order)
		}
	}
	out, err := app.RunCommand("routes", "-all-methods")
	if err != nil || !strings.Contains(out, "GET, HEAD, OPTIONS ") || !strings.Contains(out, "OPTIONS, POST ") {
		t.Errorf("routes -all-methods: %v\n%s", err, out)
	}

	hosts, _ := newTestApp()
	hosts.Host("a.test").Route("/", endpointHandler("a"))
	if got := print(hosts); !strings.HasPrefix(got, "Host    Endpoint") {
		t.Errorf("PrintRoutes under host matching:\n%s", got)
	}
}
