package flasky_test

import (
	"fmt"
	"net/http/httptest"
	"testing/fstest"
	"time"

	"github.com/flasky-go/flasky"
)

// A layout that shows the user a before hook loaded (Flask's g.user), the
// request's path and the flashed messages, whatever page calls it and
// whatever data the page got.
func ExampleCtx_Render_requestValues() {
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"templates/base.html": {Data: []byte(`<nav>{{with g.user}}{{.}}{{else}}<a href="{{url_for "login"}}">Log in</a>{{end}}</nav>` +
			`<p>{{request.Request.URL.Path}}</p>{{block "content" .}}{{end}}`)},
		"templates/index.html": {Data: []byte(`{{template "base.html" .}}{{define "content"}}<h1>{{.title}}</h1>{{end}}`)},
	}))
	app.BeforeRequest(func(c *flasky.Ctx) error {
		if u := c.Args.Get("as"); u != "" {
			c.Set("user", u) // a real app loads the user its session names
		}
		return nil
	})
	app.Route("/", func(c *flasky.Ctx) error { return c.Render("index.html", flasky.M{"title": "Posts"}) })
	app.Route("/login", func(c *flasky.Ctx) error { return c.String("login") }).SetEndpoint("login")

	show(app, "GET", "/")
	show(app, "GET", "/?as=%ED%99%8D")
	// Output:
	// 200 <nav><a href="/login">Log in</a></nav><p>/</p><h1>Posts</h1>
	// 200 <nav>홍</nav><p>/</p><h1>Posts</h1>
}

// Values every page sees, computed per request (Flask's
// context_processor): merged into M data, and readable as vars.
func ExampleApp_ContextProcessor() {
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"templates/page.html":  {Data: []byte(`{{.title}} - {{.site}} ({{.year}})`)},
		"templates/typed.html": {Data: []byte(`{{.Title}} - {{vars.site}}`)},
	}))
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M {
		return flasky.M{"site": "flasky", "year": 2025}
	})
	app.Route("/", func(c *flasky.Ctx) error { return c.Render("page.html", flasky.M{"title": "Home"}) })
	app.Route("/own-year", func(c *flasky.Ctx) error {
		return c.Render("page.html", flasky.M{"title": "Old", "year": 1999}) // the handler's value wins
	})
	app.Route("/typed", func(c *flasky.Ctx) error {
		return c.Render("typed.html", struct{ Title string }{"Typed"})
	})
	show(app, "GET", "/")
	show(app, "GET", "/own-year")
	show(app, "GET", "/typed")
	// Output:
	// 200 Home - flasky (2025)
	// 200 Old - flasky (1999)
	// 200 Typed - flasky
}

// Flask's render_template_string. The source is code: never build it from
// what a client sent; pass that as data.
func ExampleCtx_RenderString() {
	app := flasky.New()
	app.Route("/hello/<name>", func(c *flasky.Ctx) error {
		return c.RenderString(`<h1>Hello {{.name}}</h1><script>const user = {{tojson .}};</script>`, flasky.M{"name": c.Param("name")})
	})
	show(app, "GET", "/hello/%3Cb%3E")
	// Output:
	// 200 <h1>Hello &lt;b&gt;</h1><script>const user = {"name":"\u003cb\u003e"};</script>
}

// A mail body rendered outside a request: a .txt template is text/template
// and escapes nothing, as Flask autoescapes only .html, .htm, .xml,
// .xhtml and .svg.
func ExampleApp_RenderToString() {
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"templates/mail.txt": {Data: []byte(`Hi {{.name}},
your order of {{.date | strftime "%-d %B %Y"}} is on its way: {{url_for "order" "id" .id "_external" true}}
`)},
	}))
	app.Config.ServerName = "shop.example"
	app.Route("/orders/<int:id>", func(c *flasky.Ctx) error { return nil }).SetEndpoint("order")

	body, err := app.RenderToString("mail.txt", flasky.M{
		"name": "Kim & Lee", "id": 7, "date": time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC),
	})
	fmt.Print(body, err)
	// Output:
	// Hi Kim & Lee,
	// your order of 5 March 2025 is on its way: http://shop.example/orders/7
	// <nil>
}

// Flask's stream_template: the page goes out while the template runs, so
// the browser gets its head before the rows that take long to come.
func ExampleCtx_StreamTemplate() {
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"templates/report.html": {Data: []byte(`<h1>Report</h1>{{range .rows}}<p>{{.}}</p>{{end}}`)},
	}))
	app.Route("/report", func(c *flasky.Ctx) error {
		rows := make(chan string)
		go func() {
			defer close(rows)
			for _, r := range []string{"slow", "rows"} {
				rows <- r // a database cursor in a real app
			}
		}()
		return c.StreamTemplate("report.html", flasky.M{"rows": rows})
	})
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/report", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Body.String())
	// Output:
	// 200 text/html; charset=utf-8 <h1>Report</h1><p>slow</p><p>rows</p>
}
