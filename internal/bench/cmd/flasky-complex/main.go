// Command flasky-complex is the complex case of the end-to-end benchmark
// for flasky: examples/routes (slide 25) with one more rule,
// /s6/<slug>.json, which has text after its variable in the segment.
// httprouter cannot carry such a rule, so flasky matches it itself (the
// way Werkzeug's expression for it would). GET /s6/gopher.json answers
// data=gopher, as GET /s5/gopher does in the param case, so the two cases
// compare a plain <name> rule with one flasky resolves on its own. It
// runs as the examples do, with App.Run and its access log.
//
//	flasky-complex -addr 127.0.0.1:8081
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/flasky-go/flasky"
)

// homePage is examples/routes' page.
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

func s2(c *flasky.Ctx) error { return c.String("Hello s2") }

// newApp is examples/routes' app and the rule of the complex case.
func newApp() *flasky.App {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.HTML(homePage) }).SetEndpoint("home")
	app.Route("/s1", func(c *flasky.Ctx) error { return c.String("Hello s1") }).SetEndpoint("s1")
	app.Route("/s2", s2)
	app.Route("/s3", s2)
	app.Route("/s5/<name>", func(c *flasky.Ctx) error {
		return c.String("data=" + c.Param("name"))
	}).SetEndpoint("s5")
	app.Route("/s6/<slug>.json", func(c *flasky.Ctx) error {
		return c.String("data=" + c.Param("slug"))
	}).SetEndpoint("s6")
	return app
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	flag.Parse()
	if err := newApp().Run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "flasky-complex:", err)
		os.Exit(1)
	}
}
