// Command hello is slide 23's home.py: one route that answers "hello~~".
//
//	go run ./examples/hello                  # http://0.0.0.0:8080/
//	go run ./examples/hello -addr 127.0.0.1:8081
//	go run ./examples/hello routes           # the route table, like flask routes
//
// It reads its command line by hand rather than with flasky's App.Main,
// as most other examples do: it is the program the binary-size budget
// is measured on (internal/linkcheck), and Main's command line adds
// about 20 kB to a program.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/flasky-go/flasky"
)

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.String("hello~~")
	})
	return app
}

func main() {
	addr := flag.String("addr", "0.0.0.0:8080", "host:port to listen on")
	flag.Parse()
	app := newApp()
	if flag.Arg(0) == "routes" {
		app.PrintRoutes(os.Stdout)
		return
	}
	if err := app.Run(*addr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
