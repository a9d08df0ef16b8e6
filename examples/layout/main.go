// Command layout is slide 22's Flask folder layout: Go code at the top,
// templates/ for pages, static/ with css/, img/ and js/. Its pages extend
// one layout, and the style lives in static/css, not in the HTML
// (slide 17). The layout's menu, site name and year come from a context
// processor, and it marks the current page by the request's endpoint.
//
//	go run ./examples/layout                 # http://0.0.0.0:8080/
//
//	examples/layout/
//	├── main.go
//	├── static/
//	│   ├── css/style.css
//	│   ├── img/logo.png
//	│   └── js/app.js
//	└── templates/
//	    ├── layout.html
//	    ├── index.html
//	    └── about.html
package main

import (
	"time"

	"github.com/flasky-go/flasky"
)

// menuItem is one link of the layout's menu.
type menuItem struct{ Endpoint, Label string }

var menu = []menuItem{{"index", "Home"}, {"about", "About"}}

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()
	// Flask's context_processor: what every page's layout needs, without
	// each handler passing it.
	app.ContextProcessor(func(c *flasky.Ctx) flasky.M {
		return flasky.M{"site": "flasky", "year": time.Now().Year(), "menu": menu}
	})
	app.Route("/", func(c *flasky.Ctx) error {
		return c.Render("index.html", flasky.M{"name": "홍길동"})
	}).SetEndpoint("index")
	app.Route("/about", func(c *flasky.Ctx) error {
		return c.Render("about.html", nil)
	}).SetEndpoint("about")
	return app
}

func main() {
	newApp().Main("0.0.0.0:8080") // run (-addr host:port), routes, -h: see flasky.App.Main
}
