package flasky_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func TestServeLogs(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	app := flasky.New()
	rec := newRecordMessages()
	app.Logger = slog.New(rec)
	app.Route("/s1", text("Hello s1"))
	base, cancel, done := startServe(t, app)

	resp, err := client.Get(base + "/s1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "Hello s1" {
		t.Fatalf("GET /s1 = %d %q", resp.StatusCode, body)
	}
	resp, err = client.Get(base + "/missing?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := done(); err != nil {
		t.Errorf("Serve returned %v after cancel, want nil", err)
	}

	msgs := rec.messages()
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	wantRunning := " * Running on http://127.0.0.1:" + port + "/ (Press CTRL+C to quit)"
	access := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] "GET /s1 HTTP/1\.1" 200 -$`)
	access404 := regexp.MustCompile(`^127\.0\.0\.1 - - \[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\] "GET /missing\?x=1 HTTP/1\.1" 404 -$`)
	var sawRunning, sawAccess, saw404 bool
	for _, m := range msgs {
		sawRunning = sawRunning || m == wantRunning
		sawAccess = sawAccess || access.MatchString(m)
		saw404 = saw404 || access404.MatchString(m)
	}
	if !sawRunning {
		t.Errorf("no %q line; logged %q", wantRunning, msgs)
	}
	if !sawAccess {
		t.Errorf("no access line for GET /s1 in Werkzeug's format; logged %q", msgs)
	}
	if !saw404 {
		t.Errorf("no access line for GET /missing?x=1 with 404; logged %q", msgs)
	}
	for _, m := range msgs {
		if strings.Contains(m, "Debug mode") {
			t.Errorf("debug mode announced without Debug(): %q", m)
		}
	}
}

// The access log written by Serve shows the client's address: the
// forwarded one only when the peer is trusted.
func TestAccessLogShowsClientIP(t *testing.T) {
	t.Setenv("FLASKY_DEBUG", "")
	tests := []struct {
		trust []string
		want  string
	}{
		{nil, "127.0.0.1 - - ["},
		{[]string{"198.51.100.0/24"}, "127.0.0.1 - - ["},
		{[]string{"127.0.0.1"}, "203.0.113.9 - - ["},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("trust %v", tt.trust), func(t *testing.T) {
			app := flasky.New()
			rec := newRecordMessages()
			app.Logger = slog.New(rec)
			if err := app.TrustProxies(tt.trust...); err != nil {
				t.Fatal(err)
			}
			app.Route("/", whoAmI)
			base, cancel, done := startServe(t, app)
			req, _ := http.NewRequest("GET", base+"/", nil)
			req.Header.Set("X-Forwarded-For", "6.6.6.6, 203.0.113.9")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if err := done(); err != nil {
				t.Errorf("Serve: %v", err)
			}
			if wantIP, _, _ := strings.Cut(tt.want, " "); string(body) != wantIP+" http" {
				t.Errorf("trust %q: handler saw %q, want %q", tt.trust, body, wantIP+" http")
			}
			var line string
			for _, m := range rec.messages() {
				if strings.Contains(m, `"GET / HTTP/1.1" 200`) {
					line = m
				}
			}
			if !strings.HasPrefix(line, tt.want) {
				t.Errorf("trust %q: access line %q, want it to start with %q", tt.trust, line, tt.want)
			}
		})
	}
}
