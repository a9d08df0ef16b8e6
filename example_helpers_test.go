package flasky_test

import (
	"fmt"
	"net/url"

	"github.com/flasky-go/flasky"
)

// Require reads a field that must be sent, as request.form["title"]
// does: a missing one is a 400 naming it, an empty one is "".
func ExampleValues_Require() {
	app := flasky.New()
	app.Route("/create", func(c *flasky.Ctx) error {
		title, err := c.Form.Require("title")
		if err != nil {
			return err
		}
		body, err := c.Form.Require("body")
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("title=%q body=%q", title, body))
	}, "POST")

	client := app.TestClient(nil)
	res := client.Post("/create", url.Values{"title": {"Hello"}, "body": {""}})
	fmt.Println(res.Code, res.Text())
	res = client.Post("/create", url.Values{"body": {"text"}})
	fmt.Println(res.Code)
	// Output:
	// 200 title="Hello" body=""
	// 400
}

// RedirectTo is Flask's redirect(url_for(...)).
func ExampleCtx_RedirectTo() {
	app := flasky.New()
	app.Route("/user/<int:id>", func(c *flasky.Ctx) error { return c.String("user") }).SetEndpoint("user")
	app.Route("/me", func(c *flasky.Ctx) error {
		return c.RedirectTo("user", flasky.M{"id": 7})
	})

	res := app.TestClient(nil).Get("/me")
	fmt.Println(res.Code, res.Header.Get("Location"))
	// Output:
	// 302 /user/7
}
