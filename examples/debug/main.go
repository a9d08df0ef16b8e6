// Command debug is slide 24: slide 23's hello program in debug mode.
// Edit the text below and save while it runs: the new text is served
// within a second or two, and no request fails meanwhile. A mistake that
// does not compile shows its errors in the browser until you fix it.
//
//	go run ./examples/debug                  # http://0.0.0.0:8080/
//	go run ./examples/debug -addr 127.0.0.1:8081
package main

import "github.com/flasky-go/flasky"

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error {
		return c.String("hello~~")
	})
	return app
}

func main() {
	// Like Flask's app.run(host='0.0.0.0', port=8080, debug=True); Main
	// adds the command line: -addr, routes, -h (see flasky.App.Main).
	newApp().Main("0.0.0.0:8080", flasky.Debug())
}
