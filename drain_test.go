package flasky_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// A connection accepted before the stop whose request arrives just after
// it still gets its answer: net/http alone would close it unanswered.
func TestServeAnswersAcceptedConnectionAfterStop(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/", text("hello"))
	accepted := make(chan struct{}, 1)
	hook := flasky.ConfigureServer(func(s *http.Server) {
		s.ConnState = func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				select {
				case accepted <- struct{}{}:
				default:
				}
			}
		}
	})
	base, cancel, done := startServe(t, app, flasky.NoAccessLog(), hook)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	select {
	case <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not accept the connection within 5s")
	}
	cancel()
	time.Sleep(100 * time.Millisecond) // the stop has begun
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("request sent on a connection accepted before the stop: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Errorf("got %d %q, want 200 \"hello\"", resp.StatusCode, body)
	}
	if err := done(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// gatedListener accepts nothing until the server begins to stop (sets a
// deadline on it or closes it), so connections wait in the kernel's
// accept queue exactly when the stop begins.
type gatedListener struct {
	*net.TCPListener
	gate chan struct{}
	once sync.Once
}

func (g *gatedListener) open() { g.once.Do(func() { close(g.gate) }) }

func (g *gatedListener) Accept() (net.Conn, error) {
	<-g.gate
	return g.TCPListener.Accept()
}

func (g *gatedListener) SetDeadline(t time.Time) error {
	g.open()
	return g.TCPListener.SetDeadline(t)
}

func (g *gatedListener) Close() error {
	g.open()
	return g.TCPListener.Close()
}

// Connections still in the kernel's accept queue when the stop begins
// are accepted and answered, not reset by the listener's close.
func TestServeAnswersQueuedConnectionsAtStop(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/", text("hello"))
	tcp, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ln := &gatedListener{TCPListener: tcp, gate: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, ln, flasky.NoAccessLog()) }()

	const n = 5
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp", tcp.Addr().String()) // done by the kernel: queued
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	cancel()
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Errorf("connection %d, queued when the stop began: %v", i, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != "hello" {
			t.Errorf("connection %d: %d %q, want 200 \"hello\"", i, resp.StatusCode, body)
		}
	}
	waitReturn(t, done, 10*time.Second, "Serve")
}

// deafListener has a SetDeadline that does nothing, as a user's wrapper
// might.
type deafListener struct{ net.Listener }

func (deafListener) SetDeadline(time.Time) error { return nil }

// A listener whose SetDeadline does not wake Accept still lets the
// server stop: it is closed after the queue's time.
func TestServeStopsWithDeafListener(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/", text("hello"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, deafListener{ln}, flasky.NoAccessLog()) }()
	resp, err := client.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	waitReturn(t, done, 5*time.Second, "Serve")
}

// waitReturn waits up to within for what (Serve, Run) to return on done
// after a stop, and reports its error.
func waitReturn(t *testing.T, done <-chan error, within time.Duration, what string) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	case <-time.After(within):
		t.Fatalf("%s did not return within %v of the stop", what, within)
	}
}
