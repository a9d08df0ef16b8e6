package logfmt

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int // writes
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAppendAccess(t *testing.T) {
	when := time.Date(2026, 11, 24, 9, 2, 10, 0, time.UTC)
	tests := []struct {
		name, method, uri string
		status            int
		want              string
	}{
		{"ok", "GET", "/s1", 200, `127.0.0.1 - - [24/Nov/2026 09:02:10] "GET /s1 HTTP/1.1" 200 -`},
		{"method not allowed", "POST", "/form", 405, `127.0.0.1 - - [24/Nov/2026 09:02:10] "POST /form HTTP/1.1" 405 -`},
		{"control bytes escaped", "GET", "/a\r\nforged\"x", 404, `127.0.0.1 - - [24/Nov/2026 09:02:10] "GET /a\x0d\x0aforged\x22x HTTP/1.1" 404 -`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendAccess(nil, "127.0.0.1", when, tt.method, tt.uri, "HTTP/1.1", tt.status))
			if got != tt.want {
				t.Errorf("AppendAccess(%q) =\n%s\nwant\n%s", tt.uri, got, tt.want)
			}
		})
	}
}

// accessLine writes one access line for uri; line counts them.
func accessLine(h *Handler, uri string) { h.WriteAccess("127.0.0.1", "GET", uri, "HTTP/1.1", 200) }

func lines(out *lockedBuffer, uri string) int {
	return strings.Count(out.String(), `"GET `+uri+` HTTP/1.1" 200 -`+"\n")
}

func TestAccessLinesAreBufferedAndFlushedPromptly(t *testing.T) {
	out := &lockedBuffer{}
	h := NewHandler(out)
	for i := 0; i < 100; i++ {
		accessLine(h, "/line")
	}
	if out.String() != "" {
		t.Fatalf("lines written before the flush delay: %q", out.String())
	}
	deadline := time.Now().Add(2 * time.Second)
	for out.String() == "" && time.Now().Before(deadline) {
		time.Sleep(FlushDelay / 4)
	}
	if got := lines(out, "/line"); got != 100 {
		t.Fatalf("after the delay: %d lines, want 100", got)
	}
	if out.n != 1 {
		t.Errorf("100 lines took %d writes, want 1", out.n)
	}
}

func TestUnbufferedWritesEachLineAtOnce(t *testing.T) {
	out := &lockedBuffer{}
	h := NewHandler(out)
	accessLine(h, "/before")
	h.SetUnbuffered() // writes out what waited
	if lines(out, "/before") != 1 || out.n != 1 {
		t.Fatalf("SetUnbuffered left %q written, want the waiting line", out.String())
	}
	for i := range 3 {
		accessLine(h, "/line")
		if got := lines(out, "/line"); got != i+1 || out.n != i+2 {
			t.Fatalf("after line %d: %d lines in %d writes, want %d in %d", i+1, got, out.n, i+1, i+2)
		}
	}
}

func TestRecordsWriteAtOnceAfterBufferedLines(t *testing.T) {
	out := &lockedBuffer{}
	logger := slog.New(NewHandler(out))
	h := logger.Handler().(*Handler)
	accessLine(h, "/access")
	logger.Error("boom", slog.String("stack", "frame 1\nframe 2"), slog.Int("status", 500))
	want := "\"GET /access HTTP/1.1\" 200 -\nboom status=\"500\"\nframe 1\nframe 2\n"
	if got := out.String(); !strings.HasSuffix(got, want) || lines(out, "/access") != 1 {
		t.Fatalf("got %q, want the access line, then %q", got, want)
	}
	if h.Enabled(context.Background(), slog.LevelDebug) {
		t.Error("debug records are enabled by default")
	}
}

// WriteAccess buffers Werkzeug's line without allocating,
// stamped with the time of its batch's first line.
func TestWriteAccess(t *testing.T) {
	out := &lockedBuffer{}
	h := NewHandler(out)
	before := time.Now().Truncate(time.Second)
	h.WriteAccess("127.0.0.1", "GET", "/s1", "HTTP/1.1", 200)
	h.WriteAccess("10.0.0.1", "POST", "/form\x1b", "HTTP/1.1", 404)
	if n := testing.AllocsPerRun(100, func() { h.WriteAccess("127.0.0.1", "GET", "/", "HTTP/1.1", 200) }); n != 0 {
		t.Errorf("WriteAccess allocates %.1f times per line", n)
	}
	h.Flush()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) < 102 { // AllocsPerRun runs its function once more to warm up
		t.Fatalf("%d lines, want 102 or more", len(lines))
	}
	for i, want := range []string{`127.0.0.1 - - [`, `10.0.0.1 - - [`} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d %q, want it to start with %q", i, lines[i], want)
		}
	}
	if !strings.HasSuffix(lines[1], `] "POST /form\x1b HTTP/1.1" 404 -`) {
		t.Errorf("line %q: request line not escaped as AppendAccess does", lines[1])
	}
	stamp := lines[0][strings.IndexByte(lines[0], '[')+1 : strings.IndexByte(lines[0], ']')]
	when, err := time.ParseInLocation("02/Jan/2006 15:04:05", stamp, time.Local)
	if err != nil || when.Before(before) || when.After(time.Now()) {
		t.Errorf("stamp %q (%v): want the time the line was written", stamp, err)
	}
}
