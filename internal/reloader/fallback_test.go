package reloader

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

var noKeepAlive = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

// TestFallbackTakesTurns checks that the supervisor's own server answers
// with its page, stops accepting without closing the socket (so another
// accepter, standing for a child, gets the next connection), and starts
// again.
func TestFallbackTakesTurns(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := l.(*net.TCPListener)
	defer ln.Close()
	url := "http://" + ln.Addr().String() + "/"
	f := newFallback(ln, nil)
	defer f.close(context.Background())

	f.show([]byte("<p>build failed</p>"))
	code, body, closes := fetch(t, url)
	if code != 500 || body != "<p>build failed</p>" || !closes {
		t.Errorf("fallback: %d %q close=%v, want 500, the page, Connection: close", code, body, closes)
	}
	f.show([]byte("<p>second page</p>"))
	if _, body, _ := fetch(t, url); body != "<p>second page</p>" {
		t.Errorf("after show: %q, want the new page", body)
	}

	f.pause()
	// The socket is still open: a "child" accepting on it gets the
	// next connection.
	child := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "child")
	})}
	go func() { _ = child.Serve(keepOpen{ln}) }()
	if code, body, _ := fetch(t, url); code != 200 || body != "child" {
		t.Errorf("after pause: %d %q, want the child's answer", code, body)
	}
	_ = child.Close() // stops accepting; keepOpen leaves the socket open
	f.show([]byte("<p>again</p>"))
	if _, body, _ := fetch(t, url); body != "<p>again</p>" {
		t.Errorf("after show again: %q, want the page", body)
	}
}

// keepOpen is a listener whose Close leaves the socket open (and a
// deadline in the past, which show must clear).
type keepOpen struct{ *net.TCPListener }

func (k keepOpen) Close() error {
	return k.SetDeadline(time.Now()) // wakes Accept
}

func fetch(t *testing.T, url string) (code int, body string, closes bool) {
	t.Helper()
	resp, err := noKeepAlive.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b)), resp.Close
}
