package flasky_test

import (
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

func TestBlueprint(t *testing.T) {
	app, _ := newTestApp()
	var trace []string
	app.BeforeRequest(func(c *flasky.Ctx) error { trace = append(trace, "app-before"); return nil })
	app.AfterRequest(func(c *flasky.Ctx, _ *flasky.Response) error { trace = append(trace, "app-after"); return nil })
	app.Route("/", func(c *flasky.Ctx) error { trace = append(trace, "home"); return c.String("home") })

	bp := app.Blueprint("admin", "/admin/")
	bp.BeforeRequest(func(c *flasky.Ctx) error {
		trace = append(trace, "bp-before")
		c.Set("who", "admin")
		return nil
	})
	bp.AfterRequest(func(c *flasky.Ctx, _ *flasky.Response) error {
		trace = append(trace, "bp-after")
		c.SetHeader("X-Admin", "1")
		return nil
	})
	bp.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String("admin 404: " + e.Description())
	})
	bp.Route("/", func(c *flasky.Ctx) error {
		trace = append(trace, "admin-index")
		return c.String("admin index, who=" + fmt.Sprint(c.Get("who")))
	}).SetEndpoint("index")
	bp.Route("/users/<int:id>", func(c *flasky.Ctx) error {
		if c.ParamInt("id") != 1 {
			return flasky.Abortf(404, "no such user")
		}
		return c.String("user 1")
	}).SetEndpoint("user")
	bp.Route("/boom", func(c *flasky.Ctx) error { return errors.New("secret detail") })

	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String("app 404")
	})

	tests := []struct {
		path   string
		code   int
		body   string
		admin  bool
		trace  []string
		header string
	}{
		{"/admin/", 200, "admin index, who=admin", true, []string{"app-before", "bp-before", "admin-index", "bp-after", "app-after"}, ""},
		{"/admin", 308, "", false, nil, "/admin/"},
		{"/admin/users/1", 200, "user 1", true, nil, ""},
		{"/admin/users/2", 404, "admin 404: no such user", true, []string{"app-before", "bp-before", "bp-after", "app-after"}, ""},
		// A path under the prefix that no rule takes is the app's 404;
		// the app's before hooks run first, as in Flask.
		{"/admin/nope", 404, "app 404", false, []string{"app-before", "app-after"}, ""},
		{"/admin/boom", 500, internalErrorPage, true, nil, ""},
		{"/", 200, "home", false, []string{"app-before", "home", "app-after"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			trace = nil
			w := get(app, tt.path)
			if w.Code != tt.code {
				t.Errorf("GET %s = %d %q, want %d", tt.path, w.Code, w.Body.String(), tt.code)
				return
			}
			if tt.code != 308 && w.Body.String() != tt.body {
				t.Errorf("GET %s: body %q, want %q", tt.path, w.Body.String(), tt.body)
			}
			if got := w.Header().Get("X-Admin") == "1"; got != tt.admin {
				t.Errorf("GET %s: blueprint after hook ran = %v, want %v", tt.path, got, tt.admin)
			}
			if tt.trace != nil && !slices.Equal(trace, tt.trace) {
				t.Errorf("GET %s: hooks ran %q, want %q", tt.path, trace, tt.trace)
			}
			if tt.header != "" && w.Header().Get("Location") != tt.header {
				t.Errorf("GET %s: Location %q, want %q", tt.path, w.Header().Get("Location"), tt.header)
			}
		})
	}
	for _, u := range []struct {
		endpoint string
		params   flasky.M
		want     string
	}{
		{"admin.index", nil, "/admin/"},
		{"admin.user", flasky.M{"id": 5}, "/admin/users/5"},
		{"admin.user", flasky.M{"id": 5, "tab": "x"}, "/admin/users/5?tab=x"},
	} {
		t.Run("URLFor "+u.want, func(t *testing.T) {
			if got, err := app.URLFor(u.endpoint, u.params); err != nil || got != u.want {
				t.Errorf("URLFor(%q, %v) = %q, %v; want %q", u.endpoint, u.params, got, err, u.want)
			}
		})
	}

	// A blueprint without a prefix, and one whose AddRoute refuses a rule.
	bp2 := app.Blueprint("api", "")
	bp2.Route("/api/ping", text("pong"))
	if w := get(app, "/api/ping"); w.Body.String() != "pong" {
		t.Errorf("GET /api/ping = %q", w.Body.String())
	}
	if _, err := bp2.AddRoute("/api/<x", text("")); err == nil || !strings.Contains(err.Error(), `"/api/<x"`) {
		t.Errorf("Blueprint.AddRoute of a bad rule: %v", err)
	}
	if _, err := bp.AddRoute("/users/<int:n>", text("")); err == nil || !strings.Contains(err.Error(), "/admin/users/<int:id>") {
		t.Errorf("Blueprint.AddRoute of an ambiguous rule: %v, want an error naming the prefixed rules", err)
	}
	v := mustPanic(t, func() { bp.Route("/<x", text("")) })
	if e, ok := v.(error); !ok || !strings.HasPrefix(e.Error(), "flasky:") {
		t.Errorf("Blueprint.Route(\"/<x\") panicked with %v", v)
	}
	// A rule without its leading slash still goes under the prefix, as
	// Flask joins prefix and rule with a '/' ("/admin" + "bad" is
	// "/admin/bad"); refusing it would do too, "/adminbad" would not.
	if r, err := bp.AddRoute("bad", text("bad")); err == nil && r.Rule() != "/admin/bad" {
		t.Errorf("Blueprint(\"/admin\").AddRoute(\"bad\") registered %q, want \"/admin/bad\" (Flask) or an error", r.Rule())
	}
	// Flask keeps the prefix as written for an empty rule: "/admin/" + ""
	// is "/admin/", the rule of bp.Route("/") already.
	if _, err := bp.AddRoute("", text("empty")); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("Blueprint(\"/admin/\").AddRoute(\"\") = %v; want the /admin/ rule refused as a twin", err)
	}
}

// TestBlueprintPrefixJoin checks that prefixes and rules join as Flask
// joins them, nested prefixes too.
func TestBlueprintPrefixJoin(t *testing.T) {
	tests := []struct{ prefix, rule, want string }{
		{"/", "", "/"},
		{"/", "/x", "/x"},
		{"/foo/", "", "/foo/"},
		{"/foo", "", "/foo"},
		{"/foo//", "/bar", "/foo/bar"},
		{"/foo", "bar", "/foo/bar"},
		{"/foo/", "/bar/", "/foo/bar/"},
		{"", "/bar", "/bar"},
	}
	for _, tc := range tests {
		t.Run(tc.prefix+"+"+tc.rule, func(t *testing.T) {
			app, _ := newTestApp()
			r := app.Blueprint("bp", tc.prefix).Route(tc.rule, text("x"))
			if r.Rule() != tc.want {
				t.Errorf("prefix %q + rule %q = %q, want %q", tc.prefix, tc.rule, r.Rule(), tc.want)
			}
		})
	}
}

// TestBlueprintRegisteredTwice checks Flask's register_blueprint(bp,
// name=..., url_prefix=...): one blueprint, defined without an app,
// serves under two names and prefixes, with its hooks in both, and what
// is added to it later reaches both.
func TestBlueprintRegisteredTwice(t *testing.T) {
	bp := flasky.NewBlueprint("api", "/api")
	bp.BeforeRequest(func(c *flasky.Ctx) error { c.Set("bp", "yes"); return nil })
	bp.Route("/items", func(c *flasky.Ctx) error {
		u, err := c.URLFor(c.Endpoint(), nil)
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%s %v %s", c.Endpoint(), c.Get("bp"), u))
	}).SetEndpoint("items")

	app, _ := newTestApp()
	app.RegisterBlueprint(bp)
	app.RegisterBlueprint(bp, flasky.BlueprintOptions{Name: "api2", URLPrefix: "/v2"})
	bp.Route("/later", text("later")).SetEndpoint("later")

	tests := []struct{ path, body string }{
		{"/api/items", "api.items yes /api/items"},
		{"/v2/items", "api2.items yes /v2/items"},
		{"/api/later", "later"},
		{"/v2/later", "later"},
	}
	for _, tc := range tests {
		if w := get(app, tc.path); w.Code != 200 || w.Body.String() != tc.body {
			t.Errorf("GET %s = %d %q, want %q", tc.path, w.Code, w.Body.String(), tc.body)
		}
	}
	for _, ep := range []string{"api.items", "api2.items", "api.later", "api2.later"} {
		if _, err := app.URLFor(ep, nil); err != nil {
			t.Errorf("URLFor(%q): %v", ep, err)
		}
	}
	// A second registration under the same name is refused, as in Flask.
	v := mustPanic(t, func() { app.RegisterBlueprint(bp) })
	if e, ok := v.(error); !ok || !strings.Contains(e.Error(), "registered already") {
		t.Errorf("registering twice under one name panicked with %v", v)
	}
	other := flasky.NewBlueprint("api", "/x")
	v = mustPanic(t, func() { app.RegisterBlueprint(other) })
	if e, ok := v.(error); !ok || !strings.Contains(e.Error(), "unique") {
		t.Errorf("another blueprint named api panicked with %v", v)
	}
}

// TestBlueprintNames checks the names Flask refuses.
func TestBlueprintNames(t *testing.T) {
	for _, name := range []string{"", "a.b", "."} {
		v := mustPanic(t, func() { flasky.NewBlueprint(name, "/x") })
		if e, ok := v.(error); !ok || !strings.Contains(e.Error(), "blueprint") {
			t.Errorf("NewBlueprint(%q) panicked with %v", name, v)
		}
	}
	app, _ := newTestApp()
	v := mustPanic(t, func() {
		app.RegisterBlueprint(flasky.NewBlueprint("ok", "/x"), flasky.BlueprintOptions{Name: "a.b"})
	})
	if e, ok := v.(error); !ok || !strings.Contains(e.Error(), "dot") {
		t.Errorf("Name with a dot panicked with %v", v)
	}
}

// TestNestedBlueprints checks Flask's nested blueprints: prefixes
// joined, the parent's hooks and error handlers around the child's,
// endpoints "parent.child.view", and the child's handler first.
func TestNestedBlueprints(t *testing.T) {
	var trace []string
	parent := flasky.NewBlueprint("parent", "/parent")
	child := flasky.NewBlueprint("child", "/child")
	grandchild := flasky.NewBlueprint("grandchild", "/grandchild")
	parent.BeforeRequest(func(c *flasky.Ctx) error { trace = append(trace, "parent"); return nil })
	child.BeforeRequest(func(c *flasky.Ctx) error { trace = append(trace, "child"); return nil })
	grandchild.BeforeRequest(func(c *flasky.Ctx) error { trace = append(trace, "grandchild"); return nil })
	parent.ErrorHandler(403, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("parent 403") })
	child.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error { return c.String("child 404") })
	grandchild.Route("/no", func(c *flasky.Ctx) error { return flasky.Abort(403) })
	grandchild.Route("/missing", func(c *flasky.Ctx) error { return flasky.Abort(404) })
	grandchild.Route("/", func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }).SetEndpoint("index")
	child.Route("/", func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }).SetEndpoint("index")
	child.RegisterBlueprint(grandchild)
	parent.RegisterBlueprint(child)

	app, _ := newTestApp()
	app.RegisterBlueprint(parent)

	tests := []struct {
		path  string
		code  int
		body  string
		trace []string
	}{
		{"/parent/child/", 200, "parent.child.index", []string{"parent", "child"}},
		{"/parent/child/grandchild/", 200, "parent.child.grandchild.index", []string{"parent", "child", "grandchild"}},
		{"/parent/child/grandchild/no", 403, "parent 403", nil},
		{"/parent/child/grandchild/missing", 404, "child 404", nil},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			trace = nil
			w := get(app, tc.path)
			if w.Code != tc.code || w.Body.String() != tc.body {
				t.Errorf("GET %s = %d %q, want %d %q", tc.path, w.Code, w.Body.String(), tc.code, tc.body)
			}
			if tc.trace != nil && !slices.Equal(trace, tc.trace) {
				t.Errorf("before hooks ran %q, want %q", trace, tc.trace)
			}
		})
	}
	if u, err := app.URLFor("parent.child.grandchild.index", nil); err != nil || u != "/parent/child/grandchild/" {
		t.Errorf("URLFor(parent.child.grandchild.index) = %q, %v", u, err)
	}
}

// TestBlueprintAppWideHooks checks Flask's before_app_request,
// app_errorhandler and the like: registered from a blueprint, they apply
// to the whole app.
func TestBlueprintAppWideHooks(t *testing.T) {
	bp := flasky.NewBlueprint("auth", "/auth")
	bp.BeforeAppRequest(func(c *flasky.Ctx) error { c.Set("user", "kim"); return nil })
	bp.AppErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String(fmt.Sprintf("nothing here, %v", c.Get("user")))
	})
	flasky.OnError(bp.AppWide(), func(c *flasky.Ctx, err *notFoundError) error { return c.Status(404).String("app-wide " + err.what) })
	bp.AfterAppRequest(func(c *flasky.Ctx, resp *flasky.Response) error { resp.Header.Set("X-Auth", "seen"); return nil })
	app, _ := newTestApp()
	app.Route("/", func(c *flasky.Ctx) error { return c.String(fmt.Sprint(c.Get("user"))) })
	app.Route("/nf", func(c *flasky.Ctx) error { return &notFoundError{"thing"} })
	app.RegisterBlueprint(bp)
	for _, tc := range []struct {
		path, body string
		code       int
	}{{"/", "kim", 200}, {"/nope", "nothing here, kim", 404}, {"/nf", "app-wide thing", 404}} {
		w := get(app, tc.path)
		if w.Code != tc.code || w.Body.String() != tc.body || w.Header().Get("X-Auth") != "seen" {
			t.Errorf("GET %s = %d %q (X-Auth %q), want %d %q", tc.path, w.Code, w.Body.String(), w.Header().Get("X-Auth"), tc.code, tc.body)
		}
	}
}

// TestBlueprintRouteSettersReachEveryRegistration checks that a setter
// on a blueprint's route, called before or after registration, applies
// in every registration.
func TestBlueprintRouteSettersReachEveryRegistration(t *testing.T) {
	bp := flasky.NewBlueprint("docs", "/docs")
	r := bp.Route("/page/", text("page")).SetEndpoint("page")
	app, _ := newTestApp()
	app.RegisterBlueprint(bp)
	app.RegisterBlueprint(bp, flasky.BlueprintOptions{Name: "docs2", URLPrefix: "/d2"})
	r.SetStrictSlashes(false)
	for _, path := range []string{"/docs/page", "/d2/page"} {
		if w := get(app, path); w.Code != 200 {
			t.Errorf("GET %s = %d, want 200 (SetStrictSlashes(false) in every registration)", path, w.Code)
		}
	}
	for _, ep := range []string{"docs.page", "docs2.page"} {
		if _, err := app.URLFor(ep, nil); err != nil {
			t.Errorf("URLFor(%q): %v", ep, err)
		}
	}
}

// TestBlueprintFolders checks a blueprint's own static/ and templates/
// folders (Flask's static_folder and template_folder): static files
// under the blueprint's prefix with the endpoint "name.static", nothing
// outside the folder, and templates found after the app's own.
func TestBlueprintFolders(t *testing.T) {
	files := fstest.MapFS{
		"templates/shared.html":       {Data: []byte(`app's shared`)},
		"admin/templates/shared.html": {Data: []byte(`admin's shared`)},
		"admin/templates/panel.html":  {Data: []byte(`{{template "shared.html" .}} panel {{url_for "admin.static" "filename" "site.css"}}`)},
		"admin/static/site.css":       {Data: []byte(`body{}`)},
		"admin/secret.txt":            {Data: []byte(`secret`)},
	}
	app := flasky.New(flasky.WithFS(files))
	bp := flasky.NewBlueprint("admin", "/admin").SetStaticFolder("admin/static", "").SetTemplateFolder("admin/templates")
	bp.Route("/", func(c *flasky.Ctx) error { return c.Render("panel.html", nil) })
	app.RegisterBlueprint(bp)

	tests := []struct {
		path string
		code int
		body string
	}{
		{"/admin/static/site.css", 200, "body{}"},
		{"/admin/static/../secret.txt", 404, ""},
		{"/admin/static/%2e%2e/secret.txt", 404, ""},
		{"/admin/static/nope.css", 404, ""},
		{"/admin/", 200, "app's shared panel /admin/static/site.css"},
	}
	for _, tc := range tests {
		w := get(app, tc.path)
		if w.Code != tc.code || tc.body != "" && w.Body.String() != tc.body {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, w.Code, w.Body.String(), tc.code, tc.body)
		}
	}
}

func TestBlueprintAppTemplateFuncs(t *testing.T) {
	app := flasky.New(flasky.WithFS(fstest.MapFS{}))
	app.Logger = discardLogger()
	// A page parsed before the blueprint is registered is parsed again.
	app.Route("/", func(c *flasky.Ctx) error {
		return c.RenderString(`{{"abc" | shout}} {{answer}} {{if even 4}}even{{end}}`, nil)
	})
	bp := flasky.NewBlueprint("bp", "/bp")
	bp.AppTemplateFuncs(template.FuncMap{
		"shout":  func(s string) string { return strings.ToUpper(s) + "!" },
		"answer": func() int { return 42 },
		"even":   func(n int) bool { return n%2 == 0 },
	})
	bp.Route("/page", func(c *flasky.Ctx) error { return c.RenderString(`{{answer}}`, nil) })
	app.RegisterBlueprint(bp)
	cl := app.TestClient(t)
	if got := cl.Get("/").Text(); got != "ABC! 42 even" {
		t.Errorf("GET / = %q, want ABC! 42 even (the blueprint's functions are app-wide)", got)
	}
	if got := cl.Get("/bp/page").Text(); got != "42" {
		t.Errorf("GET /bp/page = %q, want 42", got)
	}
}
