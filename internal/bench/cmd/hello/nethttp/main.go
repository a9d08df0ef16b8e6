// Command nethttp is the hello program of the end-to-end benchmark's cold
// start and binary size table: raw net/http (http.ServeMux), answering GET
// / with "hello~~" (text/plain), as flasky's examples/hello does.
//
//	go build -o hello-nethttp ./cmd/hello/nethttp && ./hello-nethttp -addr 127.0.0.1:8081
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
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
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "hello~~")
	})
	return mux
}
