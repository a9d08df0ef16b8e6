// Command echo is the hello program of the end-to-end benchmark's cold
// start and binary size table: echo without middleware, answering GET /
// with "hello~~" (text/plain), as flasky's examples/hello does.
//
//	go build -o hello-echo ./cmd/hello/echo && ./hello-echo -addr 127.0.0.1:8081
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	flag.Parse()
	err := http.ListenAndServe(*addr, handler())
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// handler is the program's router.
func handler() http.Handler {
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, "hello~~") })
	return e
}
