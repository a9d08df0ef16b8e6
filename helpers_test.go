package flasky_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/flasky-go/flasky"
)

// Werkzeug's default error pages, byte for byte (as Flask 3.1 sends them).
const (
	notFoundPage = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n" +
		"<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
	methodNotAllowedPage = "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n" +
		"<p>The method is not allowed for the requested URL.</p>\n"
	internalErrorPage = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n" +
		"<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n"
	unauthorizedPage = "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n" +
		"<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n"
)

const (
	ctText = "text/plain; charset=utf-8"
	ctHTML = "text/html; charset=utf-8"
	ctJSON = "application/json"
)

// newTestApp returns an app whose log goes to the returned buffer instead
// of standard error.
func newTestApp() (*flasky.App, *syncBuffer) {
	app := flasky.New()
	buf := &syncBuffer{}
	app.Logger = slog.New(slog.NewTextHandler(buf, nil))
	return app, buf
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serve runs one request through h and returns the recorded response.
// hdr holds header name/value pairs.
func serve(h http.Handler, method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func get(h http.Handler, target string) *httptest.ResponseRecorder {
	return serve(h, http.MethodGet, target, nil)
}

// text returns a handler that answers s as text/plain.
func text(s string) flasky.HandlerFunc {
	return func(c *flasky.Ctx) error { return c.String(s) }
}

// recordMessages is a slog.Handler that keeps every record's message and
// attributes, for tests that check what the app logged.
type recordMessages struct {
	mu   *sync.Mutex
	msgs *[]string
	// attrs holds "key=value" strings, one slice per record.
	attrs *[][]string
}

func newRecordMessages() *recordMessages {
	return &recordMessages{mu: &sync.Mutex{}, msgs: &[]string{}, attrs: &[][]string{}}
}

func (h *recordMessages) Enabled(context.Context, slog.Level) bool { return true }

func (h *recordMessages) Handle(_ context.Context, r slog.Record) error {
	var as []string
	r.Attrs(func(a slog.Attr) bool {
		as = append(as, a.Key+"="+a.Value.String())
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	*h.msgs = append(*h.msgs, r.Message)
	*h.attrs = append(*h.attrs, as)
	return nil
}

func (h *recordMessages) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordMessages) WithGroup(string) slog.Handler      { return h }

func (h *recordMessages) messages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), *h.msgs...)
}

// mustPanic runs fn and returns what it panicked with; it fails the test
// when fn returns normally.
func mustPanic(t *testing.T, fn func()) (v any) {
	t.Helper()
	defer func() {
		v = recover()
		if v == nil {
			t.Errorf("no panic")
		}
	}()
	fn()
	return nil
}
