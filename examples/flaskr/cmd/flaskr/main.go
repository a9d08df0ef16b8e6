// Command flaskr serves Flask's tutorial blog:
//
//	go run ./cmd/flaskr init-db           # create the database (instance/flaskr.sqlite)
//	go run ./cmd/flaskr                   # serve on http://127.0.0.1:5000/
//	go run ./cmd/flaskr run -addr 127.0.0.1:8080 -debug
package main

import (
	"log"

	"github.com/flasky-go/flasky/examples/flaskr"
)

func main() {
	app, err := flaskr.CreateApp()
	if err != nil {
		log.Fatal(err)
	}
	app.Main("127.0.0.1:5000")
}
