package flasky_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

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
	if r, err := bp.AddRoute("", text("empty")); err != nil || r.Rule() != "/admin" {
		t.Errorf("Blueprint(\"/admin\").AddRoute(\"\") = %v, %v; want rule \"/admin\" as in Flask", r, err)
	}
}
