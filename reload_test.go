package flasky_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// offLoopback reports a public address for a loopback listener, so the
// banner's warning can be tested without listening beyond loopback.
type offLoopback struct{ net.Listener }

func (offLoopback) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4zero, Port: 8080} }

// FLASKY_DEBUG=1 turns debug mode on without Debug() (Serve never
// reloads), and debug mode on an address others can reach says so.
func TestServeDebugFromEnvironmentWarnsOffLoopback(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "1")
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/boom", func(c *flasky.Ctx) error { panic("shown in debug mode") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, offLoopback{ln}, flasky.NoAccessLog()) }()
	resp, err := client.Get("http://" + addr + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if resp.StatusCode != 500 || !strings.Contains(string(body), "shown in debug mode") {
		t.Errorf("FLASKY_DEBUG=1: GET /boom = %d, want the debug page with the panic:\n%s", resp.StatusCode, body)
	}
	var debugOn, warned bool
	for _, m := range rec.messages() {
		debugOn = debugOn || m == " * Debug mode: on"
		warned = warned || strings.Contains(m, "WARNING: debug mode shows your code") && strings.Contains(m, "0.0.0.0:8080")
	}
	if !debugOn || !warned {
		t.Errorf("want \" * Debug mode: on\" and a warning naming 0.0.0.0:8080; logged %q", rec.messages())
	}
}
