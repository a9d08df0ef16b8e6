// Command form is slides 26 and 27: a page with a form, its values read
// from the query string (GET /formget) and from the body (POST /form).
//
//	go run ./examples/form                   # http://0.0.0.0:8080/
package main

import (
	"html"

	"github.com/flasky-go/flasky"
)

// formPage is slide 27's form, as valid HTML5, with a second form that
// posts the same fields to /form (the POST of slide 24's log).
const formPage = `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><title>form</title></head>
<body>
<form action="formget">
name : <input type="text" name="name"> <br>
email : <input type="text" name="email"> <br>
<input type="submit" value="send">
</form>
<form action="form" method="post">
name : <input type="text" name="name"> <br>
email : <input type="text" name="email"> <br>
<input type="submit" value="send">
</form>
</body>
</html>
`

// Person is what the POST form binds to.
type Person struct {
	Name  string `schema:"name"`
	Email string `schema:"email"`
}

// answer is the slide's reply. The values come from the client, so they
// are escaped: the slide's Flask code would run a <script> sent as name.
func answer(name, email string) string {
	return "name = " + html.EscapeString(name) + "<br/>" +
		"email = " + html.EscapeString(email) + "<br/>"
}

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.HTML(formPage) }).SetEndpoint("index")
	app.Route("/formget", func(c *flasky.Ctx) error {
		return c.HTML(answer(c.Args.Get("name"), c.Args.Get("email")))
	}, "GET").SetEndpoint("formget")
	app.Route("/form", func(c *flasky.Ctx) error {
		var p Person
		if err := c.Bind(&p); err != nil {
			return err
		}
		return c.HTML(answer(p.Name, p.Email))
	}, "POST").SetEndpoint("form")
	return app
}

func main() {
	newApp().Main("0.0.0.0:8080") // run (-addr host:port), routes, -h: see flasky.App.Main
}
