// Command debug is slide 24: slide 23's hello program in debug mode.
// Edit the text below and save while it runs: the new text is served
// within a second or two, and no request fails meanwhile. A mistake that
// does not compile shows its errors in the browser until you fix it.
//
//	go run ./examples/debug                  # http://0.0.0.0:8080/
//	go run ./examples/debug -addr 127.0.0.1:8081
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
	routes := flag.Bool("routes", false, "print the route table (like flask routes) and exit")
	flag.Parse()
	app := newApp()
	if *routes {
		app.PrintRoutes(os.Stdout)
		return
	}
	// Like Flask's app.run(host='0.0.0.0', port=8080, debug=True).
	if err := app.Run(*addr, flasky.Debug()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
