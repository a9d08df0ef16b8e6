package flasky_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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

func listPage(c *flasky.Ctx) error {
	page := c.Param("page")
	if page == "" {
		page = "1"
	}
	return c.String("page " + page)
}

type userViews struct{}

func (userViews) Index(c *flasky.Ctx) error { return c.String("users") }

// paramsHandler answers the matched endpoint and every rule variable.
func paramsHandler(c *flasky.Ctx) error {
	ps := c.Params()
	keys := make([]string, 0, len(ps))
	for k := range ps {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(c.Request.URL.Path)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%s", k, ps[k])
	}
	return c.String(b.String())
}

// answer runs fn as the handler of a one-route app for one request and
// returns the response.
func answer(t *testing.T, method, target string, body string, fn flasky.HandlerFunc, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	app, _ := newTestApp()
	app.Route("/", fn, "GET", "POST", "PUT", "PATCH", "DELETE")
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	if rd == nil {
		return serve(app, method, target, nil, hdr...)
	}
	return serve(app, method, target, rd, hdr...)
}

// part is one part of a multipart body built by form.
type part struct {
	name, filename string // filename "" is a text field; "\x00" sends filename=""
	content        string
}

func field(name, value string) part { return part{name: name, content: value} }

func file(name, filename, content string) part { return part{name, filename, content} }

// form returns a multipart/form-data body and its Content-Type.
func form(parts ...part) (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		switch p.filename {
		case "":
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q`, p.name))
		case "\x00":
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=""`, p.name))
			h.Set("Content-Type", "application/octet-stream")
		default:
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s"`, p.name,
				strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p.filename)))
			h.Set("Content-Type", "application/octet-stream")
		}
		w, _ := mw.CreatePart(h)
		_, _ = io.WriteString(w, p.content)
	}
	_ = mw.Close()
	return b.String(), mw.FormDataContentType()
}

// postForm sends a multipart body to h at target.
func postForm(h http.Handler, target string, parts ...part) *httptest.ResponseRecorder {
	body, ct := form(parts...)
	return serve(h, "POST", target, strings.NewReader(body), "Content-Type", ct)
}

// uploadApp returns an app whose /up route runs fn, and a temporary
// folder for the spooled files (TMPDIR), checked empty at the end of the
// test.
func uploadApp(t *testing.T, fn flasky.HandlerFunc) *flasky.App {
	t.Helper()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Cleanup(func() {
		if left := listDir(t, tmp); len(left) > 0 {
			t.Errorf("temporary files left behind: %v", left)
		}
	})
	app, _ := newTestApp()
	app.Route("/up", fn, "POST", "PUT", "GET")
	return app
}

// listDir returns the names in dir, hidden ones included, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// startServe runs app.Serve on a fresh 127.0.0.1 listener and returns
// the base URL, the cancel function and a function that waits for Serve's
// result (it may be called more than once).
func startServe(t *testing.T, app *flasky.App, opts ...flasky.RunOption) (string, context.CancelFunc, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var serveErr error
	go func() {
		serveErr = app.Serve(ctx, ln, opts...)
		close(done)
	}()
	wait := func() error {
		select {
		case <-done:
			return serveErr
		case <-time.After(10 * time.Second):
			return errors.New("test: Serve did not return within 10s")
		}
	}
	t.Cleanup(func() {
		cancel()
		_ = wait()
	})
	return "http://" + ln.Addr().String(), cancel, wait
}

// client has no keep-alive, so a shutdown does not wait for idle conns
// and each request is one access-log line.
var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

// whoAmI answers "ClientIP Scheme".
func whoAmI(c *flasky.Ctx) error { return c.String(c.ClientIP() + " " + c.Scheme()) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
