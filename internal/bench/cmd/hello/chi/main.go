// Command chi is the hello program of the end-to-end benchmark's cold
// start and binary size table: chi, answering GET / with "hello~~"
// (text/plain), as flasky's examples/hello does.
//
//	go build -o hello-chi ./cmd/hello/chi && ./hello-chi -addr 127.0.0.1:8081
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"
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
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "hello~~")
	})
	return r
}
