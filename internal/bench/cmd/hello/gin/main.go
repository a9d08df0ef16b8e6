// Command gin is the hello program of the end-to-end benchmark's cold
// start and binary size table: gin in release mode without middleware,
// answering GET / with "hello~~" (text/plain), as flasky's examples/hello
// does.
//
//	go build -o hello-gin ./cmd/hello/gin && ./hello-gin -addr 127.0.0.1:8081
package main

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
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
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "hello~~") })
	return e
}
