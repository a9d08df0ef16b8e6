// Command template is slides 28-30: HTML kept apart from Go code in
// templates/, a value put into the page, and a list rendered with range.
// templates/ is found beside this file, whatever the working directory,
// as Flask finds it beside the app's module. /posts is the Flask
// tutorial's blog index in Go's template language (g.user, strftime,
// loop.last, tojson).
//
//	go run ./examples/template               # http://0.0.0.0:8080/, /s2 and /posts?user=홍길동
package main

import (
	"fmt"
	"time"

	"github.com/flasky-go/flasky"
)

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

	app.Route("/posts", func(c *flasky.Ctx) error {
		// The tutorial's load_logged_in_user, a before hook, puts the
		// user in g. Here the handler does, from the query where a real
		// app reads its session, so that /s2 (a benchmarked page) runs
		// no hook.
		if u := c.Args.Get("user"); u != "" {
			c.Set("user", u)
		}
		ids := make([]int, len(posts))
		for i, p := range posts {
			ids[i] = p.ID
		}
		return c.Render("posts.html", flasky.M{"posts": posts, "ids": ids})
	}).SetEndpoint("posts")
	app.Route("/posts/<int:id>", func(c *flasky.Ctx) error {
		return c.String(fmt.Sprint("post ", c.ParamInt("id")))
	}).SetEndpoint("post")
	return app
}

// post is a row of the tutorial's post table.
type post struct {
	ID            int
	Title, Author string
	Body          string
	Created       time.Time
}

var posts = []post{
	{2, "두 번째 글", "이순신", "<b> stays text", time.Date(2025, 3, 5, 9, 30, 0, 0, time.UTC)},
	{1, "First post", "홍길동", "Hello", time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC)},
}

func main() {
	newApp().Main("0.0.0.0:8080") // run (-addr host:port), routes, -h: see flasky.App.Main
}
