package flasky_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
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

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
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

// nrgba reads a pixel as 8-bit non-premultiplied RGBA.
func nrgba(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// isEdge reports whether the pixel at (x, y) differs from a neighbour.
func isEdge(m image.Image, x, y int) bool {
	c := nrgba(m.At(x, y))
	r := m.Bounds()
	for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
		p := image.Pt(x+d[0], y+d[1])
		if p.In(r) && nrgba(m.At(p.X, p.Y)) != c {
			return true
		}
	}
	return false
}

// readPillowCases decodes testdata/pillow/NAME, the cases gen.py drew.
func readPillowCases(t *testing.T, name string, cases any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pillow", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, cases); err != nil {
		t.Fatal(err)
	}
}

// readPillowPNG decodes testdata/pillow/NAME.png, a reference image
// Pillow drew (a case's, or a source the tests scale).
func readPillowPNG(t *testing.T, name string) image.Image {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "pillow", name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// compareEdges compares got with want pixel for pixel and fails if more
// than maxPercent percent of want's edge pixels (pixels that differ from
// a neighbour) differ; maxPercent 0 asks for an exact match.
func compareEdges(t *testing.T, got, want image.Image, maxPercent float64) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
	}
	diff, edge := 0, 0
	var first []string
	r := want.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			w := nrgba(want.At(x, y))
			if isEdge(want, x, y) {
				edge++
			}
			if g := nrgba(got.At(x, y)); g != w {
				diff++
				if len(first) < 5 {
					first = append(first, fmt.Sprintf("(%d,%d) %v want %v", x, y, g, w))
				}
			}
		}
	}
	if maxPercent == 0 && diff > 0 {
		t.Errorf("%d pixels differ: %s", diff, strings.Join(first, "; "))
	} else if float64(diff)*100 > maxPercent*float64(edge) {
		t.Errorf("%d pixels differ, more than %g%% of %d edge pixels: %s", diff, maxPercent, edge, strings.Join(first, "; "))
	} else if diff > 0 {
		t.Logf("%d of %d edge pixels differ", diff, edge)
	}
}

// rawClient sends requests over one keep-alive connection, written byte
// for byte, so no client library cleans or escapes the target. It dials
// again when the server closed the connection.
type rawClient struct {
	t    *testing.T
	addr string
	conn net.Conn
	tap  *headTap
	br   *bufio.Reader
}

func newRawClient(t *testing.T, addr string) *rawClient {
	rc := &rawClient{t: t, addr: addr}
	t.Cleanup(rc.close)
	return rc
}

func (rc *rawClient) close() {
	if rc.conn != nil {
		_ = rc.conn.Close()
		rc.conn, rc.br, rc.tap = nil, nil, nil
	}
}

// rawAnswer is what came back for a raw request: the status (0 when the
// server closed the connection without one), the header block as sent,
// and the body.
type rawAnswer struct {
	code int
	head string
	body string
	resp *http.Response
}

// header returns a header of the answer ("" when there was none).
func (a rawAnswer) header(name string) string {
	if a.resp == nil {
		return ""
	}
	return a.resp.Header.Get(name)
}

// do sends method target with the extra header lines and the body, and
// reads the answer. The request is written while the answer is read, so
// a server that answers early (a 413, a 431) is heard.
func (rc *rawClient) do(method, target string, headerLines []string, body string) rawAnswer {
	rc.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: good.example\r\n", method, target)
	for _, l := range headerLines {
		b.WriteString(l + "\r\n")
	}
	if body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n" + body)
	msg := b.String()
	for attempt := 0; ; attempt++ {
		if rc.conn == nil {
			c, err := net.Dial("tcp", rc.addr)
			if err != nil {
				rc.t.Fatal(err)
			}
			rc.conn, rc.tap = c, &headTap{r: c}
			rc.br = bufio.NewReader(rc.tap)
		}
		_ = rc.conn.SetDeadline(time.Now().Add(20 * time.Second))
		wrote := make(chan error, 1)
		go func(c net.Conn) {
			_, err := io.WriteString(c, msg)
			wrote <- err
		}(rc.conn)
		rc.tap.buf = rc.tap.buf[:0]
		rc.tap.buf = append(rc.tap.buf, peeked(rc.br)...)
		resp, err := http.ReadResponse(rc.br, &http.Request{Method: method})
		werr := <-wrote
		if err != nil {
			rc.close()
			if attempt == 0 && len(msg) < 64<<10 {
				continue // the server had closed this connection: dial again
			}
			return rawAnswer{}
		}
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		head := rc.tap.head()
		if rerr != nil || resp.Close || werr != nil {
			rc.close()
		}
		return rawAnswer{code: resp.StatusCode, head: head, body: string(body), resp: resp}
	}
}

// peeked returns what br holds already, unread (nothing, between
// answers, unless the server sent more than it should).
func peeked(br *bufio.Reader) []byte {
	b, _ := br.Peek(br.Buffered())
	return b
}

// headTap records the bytes read through it, so the header block can be
// checked as it came over the wire.
type headTap struct {
	r   io.Reader
	buf []byte
}

func (h *headTap) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.buf = append(h.buf, p[:n]...)
	return n, err
}

// head returns the header block of the response read since the last
// reset.
func (h *headTap) head() string {
	s := string(h.buf)
	if i := strings.Index(s, "\r\n\r\n"); i >= 0 {
		return s[:i+2]
	}
	return s
}

// TestMain runs the tests, or, in a test binary started by helperCommand
// (FLASKY_TEST_HELPER set), serves as a real program would.
func TestMain(m *testing.M) {
	if mode := os.Getenv("FLASKY_TEST_HELPER"); mode != "" {
		helperProcess(mode)
		return
	}
	os.Exit(m.Run())
}

// helperProcess serves an app with Run, as a program's main does: on
// a socket passed by a launcher in mode "systemd", with a route that
// takes 30 s in mode "slow".
func helperProcess(mode string) {
	app := flasky.New()
	app.Route("/", func(c *flasky.Ctx) error { return c.String("served; LISTEN_FDS=" + os.Getenv("LISTEN_FDS")) })
	app.Route("/slow", func(c *flasky.Ctx) error {
		time.Sleep(30 * time.Second)
		return c.String("late")
	})
	addr := "127.0.0.1:0"
	if mode == "systemd" {
		addr = "256.0.0.1:1" // never listened on: the socket comes from the launcher
	}
	if err := app.Run(addr, flasky.ShutdownTimeout(30*time.Second)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// freeAddr returns a loopback address with a port nobody listens on, for
// Run, which listens itself.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// getOnceUp GETs url as soon as a server answers there (within 10 s),
// and returns the status and body.
func getOnceUp(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		resp, err := c.Get(url)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	t.Fatalf("no server answered %s within 10 s", url)
	return 0, ""
}
