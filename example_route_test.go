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
