// Package logfmt writes flasky's console output: plain lines as Flask's
// development server prints them, and Werkzeug's access-log line.
package logfmt

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Handler is a slog.Handler that prints each record's message as a line,
// followed by its attributes as key=value; a "stack" attribute is printed
// on the lines below, as a traceback is.
type Handler struct {
	out   *sink
	attrs []slog.Attr
	level slog.Leveler
}

// NewHandler returns a Handler writing to w at level Info and above.
func NewHandler(w io.Writer) *Handler {
	return &Handler{out: &sink{w: w}, level: slog.LevelInfo}
}

// FlushDelay is how long an access-log line may wait in the buffer: long
// enough to write many lines with one system call under load, short
// enough that a person watching the console sees each request at once.
const FlushDelay = 20 * time.Millisecond

// sink is the writer shared by a Handler and its WithAttrs copies.
// Records are written at once; access-log lines are buffered and flushed
// within FlushDelay, or when the buffer fills.
type sink struct {
	mu      sync.Mutex
	w       io.Writer
	buf     []byte
	timer   *time.Timer
	pending bool
	// unbuffered writes each line at once (see SetUnbuffered).
	unbuffered bool
	now        time.Time // read for the first access line of a batch
}

const sinkFlushSize = 32 << 10

// write sends b, after anything buffered, and flushes.
func (s *sink) write(b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = append(s.buf, b...)
	return s.flushLocked()
}

// writeAccess buffers one access line, AppendAccess's. The clock is read
// for the first line of a batch only: the lines of one batch (at most
// FlushDelay apart) share its second, which they print, and on a virtual
// machine reading the clock costs more than formatting the line.
func (s *sink) writeAccess(host, method, uri, proto string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pending || s.unbuffered {
		s.now = time.Now()
	}
	s.buf = AppendAccess(s.buf, host, s.now, method, uri, proto, status)
	s.buf = append(s.buf, '\n')
	s.buffered()
}

// buffered flushes the buffer when it is full or unbuffered, and
// otherwise makes sure a flush comes within FlushDelay. s.mu is held.
func (s *sink) buffered() {
	if len(s.buf) >= sinkFlushSize || s.unbuffered {
		_ = s.flushLocked()
		return
	}
	if !s.pending {
		s.pending = true
		if s.timer == nil {
			s.timer = time.AfterFunc(FlushDelay, s.flush)
		} else {
			s.timer.Reset(FlushDelay)
		}
	}
}

func (s *sink) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.flushLocked()
}

func (s *sink) flushLocked() error {
	s.pending = false
	if len(s.buf) == 0 {
		return nil
	}
	_, err := s.w.Write(s.buf)
	if cap(s.buf) > 4*sinkFlushSize {
		s.buf = nil
	} else {
		s.buf = s.buf[:0]
	}
	return err
}

// WriteAccess writes one access-log line (see AppendAccess) without a
// slog.Record: no allocation, and the system call is shared with the
// lines around it (see FlushDelay). The line is stamped with the time of
// the first line of its batch.
func (h *Handler) WriteAccess(host, method, uri, proto string, status int) {
	h.out.writeAccess(host, method, uri, proto, status)
}

// SetUnbuffered makes WriteAccess write each line at once, for whoever
// wants every line out before the next request, at a system call each.
func (h *Handler) SetUnbuffered() {
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	h.out.unbuffered = true
	_ = h.out.flushLocked()
}

// Flush writes out buffered lines now, for example before a server
// returns.
func (h *Handler) Flush() { h.out.flush() }

// Enabled reports whether the level is printed.
func (h *Handler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Handle prints one record.
func (h *Handler) Handle(_ context.Context, r slog.Record) error {
	bp := bufPool.Get().(*[]byte)
	b := append((*bp)[:0], r.Message...)
	var stack string
	add := func(a slog.Attr) bool {
		if a.Key == "stack" {
			stack = a.Value.String()
			return true
		}
		b = append(b, ' ')
		b = append(b, a.Key...)
		b = append(b, '=')
		b = strconv.AppendQuote(b, a.Value.String())
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	b = append(b, '\n')
	if stack != "" {
		b = append(b, stack...)
		if stack[len(stack)-1] != '\n' {
			b = append(b, '\n')
		}
	}
	err := h.out.write(b)
	*bp = b
	bufPool.Put(bp)
	return err
}

// WithAttrs returns a handler that prints attrs with every record.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &h2
}

// WithGroup returns the handler unchanged: groups are flattened.
func (h *Handler) WithGroup(string) slog.Handler { return h }

// AppendAccess appends Werkzeug's access-log line without the newline:
// 127.0.0.1 - - [24/Nov/2026 09:02:10] "GET /s1 HTTP/1.1" 200 -
// Control characters of the request line are escaped so a client cannot
// forge log lines.
func AppendAccess(b []byte, host string, t time.Time, method, uri, proto string, status int) []byte {
	b = append(b, host...)
	b = append(b, " - - ["...)
	b = appendStamp(b, t)
	b = append(b, "] \""...)
	b = appendSafe(b, method)
	b = append(b, ' ')
	b = appendSafe(b, uri)
	b = append(b, ' ')
	b = appendSafe(b, proto)
	b = append(b, "\" "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, " -"...)
	return b
}

// stamp is one second's time as the access line prints it.
type stamp struct {
	sec  int64
	loc  *time.Location
	text []byte
}

// lastStamp caches the formatted second: formatting the time costs more
// than the rest of the line, and a busy server logs many lines a second.
var lastStamp atomic.Pointer[stamp]

func appendStamp(b []byte, t time.Time) []byte {
	sec, loc := t.Unix(), t.Location()
	if s := lastStamp.Load(); s != nil && s.sec == sec && s.loc == loc {
		return append(b, s.text...)
	}
	s := &stamp{sec: sec, loc: loc, text: t.AppendFormat(nil, "02/Jan/2006 15:04:05")}
	lastStamp.Store(s)
	return append(b, s.text...)
}

func appendSafe(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
			continue
		}
		b = append(b, c)
	}
	return b
}
