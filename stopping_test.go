package flasky_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

// When a stop begins, an endless stream of server-sent events ends at
// once (its context is done inside Stream), and a handler waiting on
// c.Stopping() returns, while an ordinary 800 ms request still completes
// within the grace period.
func TestStopEndsStreamsNotRequests(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/events", func(c *flasky.Ctx) error {
		return c.Stream("text/event-stream", func(w io.Writer) error {
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-tick.C:
					if _, err := fmt.Fprintf(w, "data: %d\n\n", i); err != nil {
						return err
					}
				case <-c.Context().Done():
					return c.Context().Err()
				}
			}
		})
	})
	app.Route("/socket", func(c *flasky.Ctx) error {
		<-c.Stopping() // a hijacked WebSocket's loop would select on this
		return c.String("bye")
	})
	app.Route("/slow", func(c *flasky.Ctx) error {
		time.Sleep(800 * time.Millisecond)
		return c.String("done")
	})
	base, cancel, done := startServe(t, app, flasky.ShutdownTimeout(10*time.Second))

	events, err := client.Get(base + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	if line, err := bufio.NewReader(events.Body).ReadString('\n'); err != nil || !strings.HasPrefix(line, "data: ") {
		t.Fatalf("first event: %q %v", line, err)
	}
	type answer struct {
		body string
		err  error
		took time.Duration
	}
	get := func(path string) chan answer {
		ch := make(chan answer, 1)
		go func() {
			start := time.Now()
			resp, err := client.Get(base + path)
			if err != nil {
				ch <- answer{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			ch <- answer{string(b), err, time.Since(start)}
		}()
		return ch
	}
	slow, socket := get("/slow"), get("/socket")
	time.Sleep(100 * time.Millisecond) // both are in their handlers
	stopAt := time.Now()
	cancel()
	rest, err := io.ReadAll(events.Body)
	if err != nil {
		t.Errorf("the stream ended with %v, want a clean end", err)
	}
	if took := time.Since(stopAt); took > time.Second {
		t.Errorf("the stream ended %v after the stop began, want at once", took)
	}
	if !strings.Contains(string(rest), "data: ") {
		t.Logf("no more events after the first: %q", rest)
	}
	if a := <-socket; a.err != nil || a.body != "bye" {
		t.Errorf("handler waiting on c.Stopping(): %q %v, want \"bye\"", a.body, a.err)
	}
	if a := <-slow; a.err != nil || a.body != "done" {
		t.Errorf("800 ms request during the stop: %q %v, want \"done\"", a.body, a.err)
	}
	if err := done(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	if took := time.Since(stopAt); took > 3*time.Second {
		t.Errorf("the stop took %v, want about the 800 ms request's time, not the 10 s grace period", took)
	}
}

// With StopDelay the server keeps serving for the delay after the stop
// begins, while Ready answers 503, and then stops.
func TestStopDelayAndReady(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/readyz", flasky.Ready)
	app.Route("/", func(c *flasky.Ctx) error { return c.String("home") })
	const delay = 400 * time.Millisecond
	base, cancel, done := startServe(t, app, flasky.StopDelay(delay))
	check := func(when, path string, code int, body string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatalf("%s: GET %s: %v", when, path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != code || string(b) != body {
			t.Errorf("%s: GET %s = %d %q, want %d %q", when, path, resp.StatusCode, b, code, body)
		}
	}
	check("serving", "/readyz", 200, "ready")
	stopAt := time.Now()
	cancel()
	time.Sleep(50 * time.Millisecond)
	check("in the delay", "/readyz", http.StatusServiceUnavailable, "stopping")
	check("in the delay", "/", 200, "home")
	if err := done(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	if took := time.Since(stopAt); took < delay {
		t.Errorf("Serve returned %v after the stop began, want at least the %v delay", took, delay)
	}
}
