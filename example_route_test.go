package flasky_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

// Rules take Flask's converters; a value the converter refuses is a 404,
// and a method the route does not take is a 405.
func ExampleApp_Route() {
	app := flasky.New()
	app.Route("/user/<int:id>", func(c *flasky.Ctx) error {
		return c.String(fmt.Sprintf("user %d", c.ParamInt("id")))
	})
	app.Route("/form", func(c *flasky.Ctx) error {
		return c.String("name=" + c.Form.Get("name"))
	}, "GET", "POST")

	show(app, "GET", "/user/42")
	show(app, "GET", "/user/kim")
	show(app, "POST", "/form", "name=kim")
	show(app, "DELETE", "/form")
	// Output:
	// 200 user 42
	// 404 <!doctype html>
	// <html lang=en>
	// <title>404 Not Found</title>
	// <h1>Not Found</h1>
	// <p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
	// 200 name=kim
	// 405 <!doctype html>
	// <html lang=en>
	// <title>405 Method Not Allowed</title>
	// <h1>Method Not Allowed</h1>
	// <p>The method is not allowed for the requested URL.</p>
}

// A page that extends a layout, from templates carried in an fs.FS (an
// embed.FS in a real program). Values are escaped for where they land.
func ExampleCtx_Render() {
	files := fstest.MapFS{
		"templates/base.html": {Data: []byte(`<title>{{block "title" .}}flasky{{end}}</title>{{block "content" .}}{{end}}`)},
		"templates/home.html": {Data: []byte(`{{template "base.html" .}}` +
			`{{define "content"}}<h1>Hello {{.name}}</h1><a href="{{url_for "home"}}">home</a>{{end}}`)},
	}
	app := flasky.New(flasky.WithFS(files))
	app.Route("/", func(c *flasky.Ctx) error {
		return c.Render("home.html", flasky.M{"name": "<홍길동>"})
	}).SetEndpoint("home")

	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(w.Body.String()))
	// Output:
	// 200 text/html; charset=utf-8
	// <title>flasky</title><h1>Hello &lt;홍길동&gt;</h1><a href="/">home</a>
}

// url_for's options: an absolute URL for an e-mail or a feed, an anchor,
// repeated query keys from a slice. Outside a request the host is
// Config.ServerName (Flask's SERVER_NAME).
func ExampleApp_URLFor_external() {
	app := flasky.New()
	app.Config.ServerName = "example.com"
	app.Route("/post/<int:id>", func(c *flasky.Ctx) error { return nil }).SetEndpoint("post")

	u, _ := app.URLFor("post", flasky.M{"id": 7, "_external": true, "_anchor": "comments"})
	fmt.Println(u)
	u, _ = app.URLFor("post", flasky.M{"id": 7, "_scheme": "https", "tag": []string{"go", "web"}, "draft": nil})
	fmt.Println(u)
	_, err := app.URLFor("posts", flasky.M{"id": 7})
	fmt.Println(err)
	// Output:
	// http://example.com/post/7#comments
	// https://example.com/post/7?tag=go&tag=web
	// flasky: URLFor: no endpoint "posts"; did you mean "post"?
}

// Rule defaults (Flask's defaults=): /users/ is page 1, and the URL that
// only repeats the default redirects to it.
func ExampleRoute_SetDefaults() {
	app := flasky.New()
	listUsers := func(c *flasky.Ctx) error {
		return c.String(fmt.Sprintf("page %d", c.ParamInt("page")))
	}
	app.Route("/users/", listUsers).SetEndpoint("users").SetDefaults(flasky.M{"page": 1})
	app.Route("/users/page/<int:page>", listUsers).SetEndpoint("users")

	u1, _ := app.URLFor("users", flasky.M{"page": 1})
	u2, _ := app.URLFor("users", flasky.M{"page": 2})
	fmt.Println(u1, u2)
	show(app, "GET", "/users/")
	show(app, "GET", "/users/page/2")
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/users/page/1", nil))
	fmt.Println(w.Code, w.Header().Get("Location"))
	// Output:
	// /users/ /users/page/2
	// 200 page 1
	// 200 page 2
	// 308 /users/
}

// Rules on subdomains of Config.ServerName, as Flask's subdomain=: a
// variable subdomain is read like a path variable, and URLFor builds an
// absolute URL for another subdomain than the request's.
func ExampleApp_Subdomain() {
	app := flasky.New()
	app.Config.ServerName = "example.com"
	app.Route("/", func(c *flasky.Ctx) error {
		u, _ := c.URLFor("profile", flasky.M{"user": "alice"})
		return c.String("home; alice is at " + u)
	})
	app.Subdomain("<user>").Route("/", func(c *flasky.Ctx) error {
		return c.String("profile of " + c.Param("user"))
	}).SetEndpoint("profile")

	for _, url := range []string{"http://example.com/", "http://alice.example.com/", "http://other.org/"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
		fmt.Println(w.Code, strings.SplitN(w.Body.String(), "\n", 2)[0])
	}
	// Output:
	// 200 home; alice is at http://alice.example.com/
	// 200 profile of alice
	// 404 <!doctype html>
}

// Rules bound to whole hosts, as Werkzeug's host_matching; a rule
// without a host answers on any host.
func ExampleApp_Host() {
	app := flasky.New()
	app.Host("<team>.example.org").Route("/", func(c *flasky.Ctx) error {
		return c.String("team " + c.Param("team"))
	})
	app.Route("/", func(c *flasky.Ctx) error { return c.String("any host") })

	for _, url := range []string{"http://blue.example.org/", "http://localhost:8080/"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 team blue
	// 200 any host
}

// Werkzeug's slash rules: runs of slashes redirect to the merged path,
// unless the rule (or App.SetMergeSlashes) turns merge_slashes off; a
// rule written with "//" and merge_slashes off matches and builds as
// written.
func ExampleRoute_SetMergeSlashes() {
	app := flasky.New()
	hello := func(c *flasky.Ctx) error { return c.String("hello") }
	app.Route("/a/b", hello)
	app.Route("/c/d", hello).SetMergeSlashes(false)
	app.Route("/e//f", hello).SetMergeSlashes(false).SetEndpoint("ef")
	for _, p := range []string{"/a//b", "/c//d", "/e//f"} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if loc := w.Header().Get("Location"); loc != "" {
			fmt.Println(p, w.Code, loc)
		} else {
			fmt.Println(p, w.Code)
		}
	}
	u, _ := app.URLFor("ef", nil)
	fmt.Println(u)
	// Output:
	// /a//b 308 /a/b
	// /c//d 404
	// /e//f 200
	// /e//f
}
