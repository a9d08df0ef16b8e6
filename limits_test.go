package flasky_test

import (
	"bufio"
	"context"
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
