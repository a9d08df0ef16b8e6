// Command routes is slide 25: many URLs in one program. /s2 and /s3 share
// one handler; /s5/<name> takes a value from the path.
//
//	go run ./examples/routes                 # http://0.0.0.0:8080/
//	go run ./examples/routes routes          # print the route table, like flask routes
package main

import "github.com/flasky-go/flasky"

const homePage = `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><title>routes</title></head>
<body>
<h1>Hello Flask</h1>
<ul>
<li><a href="/s1">/s1</a></li>
<li><a href="/s2">/s2</a></li>
<li><a href="/s3">/s3</a></li>
<li><a href="/s5/홍길동">/s5/홍길동</a></li>
</ul>
</body>
</html>
`

// s2 serves both /s2 and /s3, as in the slide.
func s2(c *flasky.Ctx) error { return c.String("Hello s2") }

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.HTML(homePage) }).SetEndpoint("home")
	app.Route("/s1", func(c *flasky.Ctx) error { return c.String("Hello s1") }).SetEndpoint("s1")
	app.Route("/s2", s2)
	app.Route("/s3", s2)
	// String, not HTML: the name comes from the client and is sent as text.
	app.Route("/s5/<name>", func(c *flasky.Ctx) error {
		return c.String("data=" + c.Param("name"))
	}).SetEndpoint("s5")
	return app
}

func main() {
	newApp().Main("0.0.0.0:8080") // run (-addr host:port), routes, -h: see flasky.App.Main
}
