package flasky_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// A body that keeps sending, slower than the idle timeout in all, is
// read to the end: the timeout is per read, not per request.
func TestBodyIdleTimeoutLetsSlowSteadyBodiesThrough(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Config.BodyIdleTimeout = 300 * time.Millisecond
	app.Route("/echo", func(c *flasky.Ctx) error {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%d bytes", len(b)))
	}, "POST")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { _ = app.Serve(ctx, ln, flasky.NoAccessLog()); close(served) }()
	defer func() { cancel(); <-served }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const chunks, every = 12, 100 * time.Millisecond // 1.2 s in all, 4x the timeout
	fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", chunks*10)
	for range chunks {
		time.Sleep(every)
		if _, err := io.WriteString(conn, strings.Repeat("a", 10)); err != nil {
			t.Fatal(err)
		}
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "120 bytes" {
		t.Errorf("slow steady body: %d %q, want 200 \"120 bytes\"", resp.StatusCode, body)
	}
}

// serveLoopback serves app on a fresh loopback port until the test ends
// and returns the address.
func serveLoopback(t *testing.T, app *flasky.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() { _ = app.Serve(ctx, ln, flasky.NoAccessLog()); close(served) }()
	t.Cleanup(func() { cancel(); <-served })
	return ln.Addr().String()
}

// A handler that reads its JSON body to the end (as json.Decoder does when
// it checks for trailing data) and then streams for longer than the idle
// timeout delivers every event: the timeout never fires once the body has
// ended.
func TestBodyIdleTimeoutNeverCutsAStreamAfterTheBody(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Config.BodyIdleTimeout = 300 * time.Millisecond
	const events, every = 8, 100 * time.Millisecond // 0.8 s, over twice the timeout
	app.Route("/events", func(c *flasky.Ctx) error {
		dec := json.NewDecoder(c.Request.Body)
		var in struct{ Topic string }
		if err := dec.Decode(&in); err != nil {
			return flasky.Abortf(400, "bad JSON: %v", err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return flasky.Abortf(400, "trailing data after the JSON value")
		}
		return c.Stream("text/event-stream", func(w io.Writer) error {
			for i := range events {
				if _, err := fmt.Fprintf(w, "data: %s %d\n\n", in.Topic, i); err != nil {
					return err
				}
				time.Sleep(every)
			}
			return nil
		})
	}, "POST")
	addr := serveLoopback(t, app)
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Post("http://"+addr+"/events", "application/json", strings.NewReader(`{"Topic":"news"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading the stream: %v (after %q)", err, body)
	}
	if got := strings.Count(string(body), "data: news "); res.StatusCode != 200 || got != events {
		t.Errorf("got %d with %d events, want 200 with %d: %q", res.StatusCode, got, events, body)
	}
}

// A read deadline the handler sets with http.ResponseController wins over
// Config.BodyIdleTimeout: a body that pauses longer than the idle timeout,
// but within the handler's deadline, is read whole.
func TestHandlerReadDeadlineWinsOverBodyIdleTimeout(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Config.BodyIdleTimeout = 200 * time.Millisecond
	app.Route("/upload", func(c *flasky.Ctx) error {
		if err := http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
			return err
		}
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%d bytes", len(b)))
	}, "POST")
	conn, err := net.Dial("tcp", serveLoopback(t, app))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n0123456789")
	time.Sleep(600 * time.Millisecond) // three times the idle timeout
	io.WriteString(conn, "abcdefghij")
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != "20 bytes" {
		t.Errorf("paused body under the handler's deadline: %d %q, want 200 \"20 bytes\"", resp.StatusCode, body)
	}
}
