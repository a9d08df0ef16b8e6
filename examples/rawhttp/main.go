// Command rawhttp is slides 12 and 13: HTTP is text over TCP. It serves a
// /service route that reads name1 and name2, then writes slide 13's GET
// and POST requests by hand over a TCP socket and prints the bytes that go
// out and come back.
//
//	go run ./examples/rawhttp                          # talk to itself
//	go run ./examples/rawhttp -serve -addr 127.0.0.1:8080
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/flasky-go/flasky"
)

// newApp serves /service by GET (query) and POST (form body).
func newApp() *flasky.App {
	app := flasky.New()
	app.Route("/service", func(c *flasky.Ctx) error {
		return c.String("name1=" + c.Values.Get("name1") + " name2=" + c.Values.Get("name2") + " (" + c.Request.Method + ")")
	}, "GET", "POST").SetEndpoint("service")
	return app
}

// requests are slide 13's two requests, byte for byte as they go on the
// wire: a request line, headers, an empty line, and for POST a body.
func requests(host string) []string {
	body := "name1=value1&name2=value2"
	return []string{
		"GET /service?name1=value1&name2=value2 HTTP/1.1\r\n" +
			"Host: " + host + "\r\n" +
			"Connection: close\r\n" +
			"\r\n",
		"POST /service HTTP/1.1\r\n" +
			"Host: " + host + "\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n" +
			"Content-Length: " + strconv.Itoa(len(body)) + "\r\n" +
			"Connection: close\r\n" +
			"\r\n" +
			body,
	}
}

// exchange sends one raw request and returns the raw reply.
func exchange(addr, req string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return "", fmt.Errorf("dial %s: %w", addr, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		return "", fmt.Errorf("write to %s: %w", addr, err)
	}
	reply, err := io.ReadAll(bufio.NewReader(conn))
	if err != nil {
		return "", fmt.Errorf("read from %s: %w", addr, err)
	}
	return string(reply), nil
}

// run serves the app on addr and prints both exchanges to out.
func run(addr string, out io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	app := newApp()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, ln, flasky.NoAccessLog()) }()
	host := ln.Addr().String()
	for _, req := range requests(host) {
		reply, err := exchange(host, req)
		if err != nil {
			cancel()
			<-done
			return err
		}
		fmt.Fprintf(out, "----- request (%d bytes) -----\n%s\n----- reply -----\n%s\n\n", len(req), req, reply)
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "host:port to serve on (port 0 picks a free one)")
	serve := flag.Bool("serve", false, "only serve /service, for curl or telnet")
	flag.Parse()
	var err error
	if *serve {
		err = newApp().Run(*addr)
	} else {
		err = run(*addr, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
