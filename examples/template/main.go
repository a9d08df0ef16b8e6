// Command template is slides 28-30: HTML kept apart from Go code in
// templates/, a value put into the page, and a list rendered with range.
// templates/ is found beside this file, whatever the working directory,
// as Flask finds it beside the app's module.
//
//	go run ./examples/template               # http://0.0.0.0:8080/ and /s2
package main

import "github.com/flasky-go/flasky"

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()
	// Slide 29: render_template('home.html', name="홍길동")
	app.Route("/", func(c *flasky.Ctx) error {
		return c.Render("home.html", flasky.M{"name": "홍길동"})
	}).SetEndpoint("home")
	// Slide 30: the same page with a list.
	app.Route("/s2", func(c *flasky.Ctx) error {
		list := []string{"홍길동", "이순신", "임꺽정"}
		return c.Render("home.html", flasky.M{"name": "홍길동", "list": list})
	}).SetEndpoint("s2")
	return app
}

func main() {
	newApp().Main("0.0.0.0:8080") // run (-addr host:port), routes, -h: see flasky.App.Main
}
