package flasky_test

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
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
	hook := flasky.WithServer(func(s *http.Server) {
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
