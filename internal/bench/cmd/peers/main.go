// Command peers serves the end-to-end benchmark's pages with the peers
// flasky is compared with: raw net/http (http.ServeMux), raw httprouter,
// gin, echo and chi. cmd/e2e starts it once per router:
//
//	peers -router gin -addr 127.0.0.1:8081 -root SITE
//
// SITE is the folder cmd/e2e writes (package internal/site): templates/
// with slide 30's template and static/ with the 64 KiB file. Every router
// answers the same requests with the same bodies as flasky's examples:
//
//	GET /                 hello~~                          (text/plain)
//	GET /s5/<name>        data=<name>                      (text/plain)
//	GET /s6/<slug>.json   data=<slug>                      (text/plain)
//	GET /formget?...      name = ...<br/>email = ...<br/>  (text/html, escaped)
//	GET /s2               slide 30's page, html/template   (text/html)
//	GET /get_image2       slide 33's picture, drawn with image/draw, image/jpeg quality 70
//	GET /static/<file>    the file from SITE/static, with the router's own file serving
//
// Each is set up as its documentation shows, without logging middleware
// (gin.New in release mode, echo.New), and served by a plain http.Server.
// It stops on SIGTERM or SIGINT.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	router := flag.String("router", "nethttp", "nethttp, httprouter, gin, echo or chi")
	addr := flag.String("addr", "127.0.0.1:8080", "host:port to listen on")
	root := flag.String("root", ".", "site folder with templates/ and static/")
	flag.Parse()
	if err := run(*router, *addr, *root); err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
}

// run serves the router's handler on addr until SIGTERM or SIGINT.
func run(router, addr, root string) error {
	h, err := newHandler(router, root)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	fmt.Fprintf(os.Stderr, "peers: %s on http://%s/\n", router, ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Routers are the -router names, in the report's order.
var Routers = []string{"nethttp", "httprouter", "gin", "echo", "chi"}

// newHandler builds one router's handler for the site in root.
func newHandler(router, root string) (http.Handler, error) {
	s, err := loadSite(root)
	if err != nil {
		return nil, err
	}
	switch router {
	case "nethttp":
		return newNetHTTP(s), nil
	case "httprouter":
		return newHTTPRouter(s), nil
	case "gin":
		return newGin(s), nil
	case "echo":
		return newEcho(s), nil
	case "chi":
		return newChi(s), nil
	}
	return nil, fmt.Errorf("unknown router %q (known: %v)", router, Routers)
}
