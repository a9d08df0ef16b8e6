package reloader

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestHandoffServesLateRequests is the case a reload runs into: the old
// child has accepted a connection whose request is not there yet when it
// is told to stop. http.Server.Shutdown alone would answer it with EOF;
// after drain it is served.
func TestHandoffServesLateRequests(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := newHandoff(ln)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "served")
	})}
	h.prepare(srv)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(h) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	waitPending(t, h, 1)

	stopped := make(chan error, 1)
	go func() {
		h.drain(10 * time.Second)
		stopped <- srv.Shutdown(context.Background())
	}()
	// The request comes after the stop began.
	time.Sleep(50 * time.Millisecond)
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the late request got %v, want an answer", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(b) != "served" {
		t.Errorf("late request: %d %q", resp.StatusCode, b)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != http.ErrServerClosed {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
}

// TestHandoffForgetsClosedConns checks that a connection closed before
// sending a request does not hold drain up.
func TestHandoffForgetsClosedConns(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := newHandoff(ln)
	srv := &http.Server{Handler: http.NotFoundHandler()}
	h.prepare(srv)
	go func() { _ = srv.Serve(h) }()
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	waitPending(t, h, 1)
	conn.Close()
	waitPending(t, h, 0)
}

func waitPending(t *testing.T, h *handoff, n int) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(time.Millisecond) {
		h.mu.Lock()
		got := len(h.pending)
		h.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("never %d pending connections", n)
}

// TestInherited checks the environment a supervisor sets, and that a
// process without it is no child.
func TestInherited(t *testing.T) {
	tests := []struct {
		env     string
		set     bool
		wantErr string
	}{
		{set: false},
		{env: "3,4", set: true, wantErr: "want three file descriptors"},
		{env: "3,x,5", set: true, wantErr: `bad file descriptor "x"`},
		{env: "3,1,5", set: true, wantErr: `bad file descriptor "1"`},
	}
	for _, tt := range tests {
		if tt.set {
			t.Setenv(envFDs, tt.env)
		} else {
			t.Setenv(envFDs, "")
			os.Unsetenv(envFDs)
		}
		c, err := Inherited()
		switch {
		case tt.wantErr == "" && (c != nil || err != nil):
			t.Errorf("%q: Inherited() = %v, %v; want no child", tt.env, c, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want one saying %q", tt.env, err, tt.wantErr)
		}
		if _, ok := os.LookupEnv(envFDs); ok {
			t.Errorf("%q: the variable is still set: a program this one starts would think it a child", tt.env)
		}
	}
}
