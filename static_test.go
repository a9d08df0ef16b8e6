package flasky_test

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/flasky-go/flasky"
)

//go:embed testdata/files
var embeddedFiles embed.FS

// Secrets that must never reach a client: the file beside static/ and
// the file outside the app's folder that symbolic links point to.
const (
	secretBeside  = "SECRET-OUTSIDE-STATIC"
	secretOutside = "OUTSIDE-SECRET-CONTENT"
	secretDevice  = "FILE-WITH-A-DEVICE-NAME"
	helloBody     = "hello, static world\n"
)

// fixture is a copy of testdata/files in a temporary folder, with the
// links the tests need (links are made here, not committed).
type fixture struct {
	root    string // the app's folder
	outside string // a folder beside it, holding outside.txt
	links   bool   // symbolic links could be made
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{root: t.TempDir(), outside: t.TempDir()}
	if err := os.CopyFS(fx.root, os.DirFS("testdata/files")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fx.outside, "outside.txt"), []byte(secretOutside+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jpg, err := os.ReadFile("testdata/files/11.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fx.root, "static", "사진.jpg"), jpg, 0o644); err != nil {
		t.Fatal(err)
	}
	links := []struct{ target, name string }{
		{filepath.Join(fx.outside, "outside.txt"), "static/link-out"},
		{fx.outside, "static/link-dir-out"},
		{"../secret.txt", "static/link-up"},
		{"../uploads", "static/link-uploads"},
		{"hello.txt", "static/link-in"},
		{"/etc/passwd", "static/link-passwd"},
		{filepath.Join(fx.outside, "outside.txt"), "uploads/link-out"},
		{"../secret.txt", "uploads/link-up"},
		{fx.outside, "uploads/link-dir-out"},
		{"report.txt", "uploads/link-in"},
	}
	if runtime.GOOS != "windows" {
		// Files that Windows would take for devices exist here, and
		// must still be refused.
		for _, name := range []string{"CON", "con", "nul.txt", "NUL", "AUX.tar.gz", "lpt1", "PRN.txt", "COM1"} {
			for _, dir := range []string{"static", "uploads"} {
				if err := os.WriteFile(filepath.Join(fx.root, dir, name), []byte(secretDevice), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, dir := range []string{"static/com1", "uploads/com1"} {
			_ = os.Mkdir(filepath.Join(fx.root, dir), 0o755)
			_ = os.WriteFile(filepath.Join(fx.root, dir, "x"), []byte(secretDevice), 0o644)
		}
	}
	fx.links = runtime.GOOS != "windows"
	for _, l := range links {
		if !fx.links {
			break
		}
		if err := os.Symlink(l.target, filepath.Join(fx.root, filepath.FromSlash(l.name))); err != nil {
			t.Logf("no symbolic links here: %v", err)
			fx.links = false
		}
	}
	return fx
}

// app returns an app rooted in the fixture, logging to the buffer.
func (fx *fixture) app(opts ...flasky.Option) (*flasky.App, *syncBuffer) {
	app := flasky.New(append([]flasky.Option{flasky.WithRoot(fx.root)}, opts...)...)
	buf := &syncBuffer{}
	app.Logger = slog.New(slog.NewTextHandler(buf, nil))
	return app, buf
}

// checkNoSecret fails when a body holds any file from outside the folder.
func checkNoSecret(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range []string{secretBeside, secretOutside, secretDevice, "root:x:0:0", "[fonts]", "nested upload"} {
		if strings.Contains(body, s) {
			t.Errorf("%s: body holds %q: %q", what, s, body)
		}
	}
}

func TestStaticServesFiles(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	jpg, _ := os.ReadFile("testdata/files/11.jpg")
	tests := []struct {
		path, ctype, body string
		disposition       string
	}{
		{"/static/hello.txt", ctText, helloBody, `inline; filename="hello.txt"`},
		{"/static/css/site.css", "text/css; charset=utf-8", "body { color: #333; }\n", `inline; filename="site.css"`},
		{"/static/js/app.js", "text/javascript; charset=utf-8", "console.log(\"hi\");\n", `inline; filename="app.js"`},
		{"/static/sub/deep.txt", ctText, "deep\n", `inline; filename="deep.txt"`},
		{"/static/./sub//deep.txt", ctText, "deep\n", `inline; filename="deep.txt"`},
		// No extension: sniffed; what looks like HTML is sent as text.
		{"/static/noext", "application/octet-stream", "\x00\x01\x02\x03binary\xff\xfe", `inline; filename="noext"`},
		{"/static/page", ctText, "<!doctype html>\n<p>not a page</p>\n", `inline; filename="page"`},
		{"/static/%EC%82%AC%EC%A7%84.jpg", "image/jpeg", string(jpg), `inline; filename="__.jpg"; filename*=UTF-8''%EC%82%AC%EC%A7%84.jpg`},
	}
	if fx.links {
		tests = append(tests, struct{ path, ctype, body, disposition string }{
			"/static/link-in", ctText, helloBody, `inline; filename="link-in"`})
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != 200 || w.Body.String() != tt.body {
				t.Errorf("GET %s = %d %q, want 200 %q", tt.path, w.Code, w.Body.String(), tt.body)
				return
			}
			h := w.Header()
			want := map[string]string{
				"Content-Type":        tt.ctype,
				"Content-Length":      fmt.Sprint(len(tt.body)),
				"Cache-Control":       "no-cache",
				"Accept-Ranges":       "bytes",
				"Content-Disposition": tt.disposition,
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("GET %s: %s = %q, want %q", tt.path, k, h.Get(k), v)
				}
			}
			if et := h.Get("ETag"); !strings.HasPrefix(et, `"`) || !strings.HasSuffix(et, `"`) || len(et) < 5 {
				t.Errorf("GET %s: ETag %q, want a strong ETag", tt.path, et)
			}
			if _, err := http.ParseTime(h.Get("Last-Modified")); err != nil {
				t.Errorf("GET %s: Last-Modified %q: %v", tt.path, h.Get("Last-Modified"), err)
			}
		})
	}

	// Methods: GET, HEAD, OPTIONS like Flask's static rule.
	w := serve(app, "HEAD", "/static/hello.txt", nil)
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != fmt.Sprint(len(helloBody)) {
		t.Errorf("HEAD = %d %q Content-Length %q", w.Code, w.Body.String(), w.Header().Get("Content-Length"))
	}
	w = serve(app, "POST", "/static/hello.txt", nil)
	if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Errorf("POST = %d Allow %q, want 405 GET, HEAD, OPTIONS", w.Code, w.Header().Get("Allow"))
	}
	w = serve(app, "OPTIONS", "/static/hello.txt", nil)
	if w.Code != 200 || w.Header().Get("Allow") != "GET, HEAD, OPTIONS" {
		t.Errorf("OPTIONS = %d Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

func TestStaticNotFound(t *testing.T) {
	fx := newFixture(t)
	app, log := fx.app()
	for _, p := range []string{
		"/static", "/static/", "/static/sub", "/static/sub/", "/static/css/",
		"/static/missing.txt", "/static/hello.txt/", "/static/hello.txt/x", "/static/HELLO.TXT",
		"/static/%252e%252e/secret.txt", // double-encoded: a name with '%' in it
	} {
		if runtime.GOOS != "linux" && p == "/static/HELLO.TXT" {
			continue // case-insensitive file systems
		}
		w := get(app, p)
		if w.Code != 404 || w.Body.String() != notFoundPage {
			t.Errorf("GET %s = %d %q, want the 404 page", p, w.Code, w.Body.String())
		}
		if w.Header().Get("ETag") != "" || w.Header().Get("Content-Disposition") != "" {
			t.Errorf("GET %s: file headers on a 404: %v", p, w.Header())
		}
	}
	if strings.Contains(log.String(), "level=ERROR") || strings.Contains(log.String(), "level=WARN") {
		t.Errorf("client 404s were logged:\n%s", log.String())
	}
}

// traversalCorpus holds request targets under a prefix that try to leave
// the folder. Every one must be a 404 (or a same-host 308 for merged
// slashes) and never show an outside file.
func traversalCorpus(prefix string) []string {
	long := strings.Repeat("a", 5000)
	return []string{
		prefix + "../secret.txt",
		prefix + "../../secret.txt",
		prefix + "%2e%2e/secret.txt",
		prefix + "%2E%2E/secret.txt",
		prefix + ".%2e/secret.txt",
		prefix + "%2e./secret.txt",
		prefix + "..%2fsecret.txt",
		prefix + "..%2Fsecret.txt",
		prefix + "%2e%2e%2fsecret.txt",
		prefix + "..%5csecret.txt",
		prefix + "..%5c..%5csecret.txt",
		prefix + `..\secret.txt`,
		prefix + "sub/../../secret.txt",
		prefix + "sub/%2e%2e/%2e%2e/secret.txt",
		prefix + "hello.txt/..%2f..%2fsecret.txt",
		prefix + "..",
		prefix + "%2e%2e",
		prefix + "./../secret.txt",
		prefix + "%2fetc%2fpasswd",
		prefix + "%2F%2Fetc%2Fpasswd",
		prefix + "C:%5cWindows%5cwin.ini",
		prefix + "C:/Windows/win.ini",
		prefix + "c:%2fwindows%2fwin.ini",
		prefix + "%5c%5cserver%5cshare%5cx",
		prefix + `\\server\share\x`,
		prefix + "hello.txt%00",
		prefix + "hello.txt%00.jpg",
		prefix + "%00",
		prefix + "%00/../secret.txt",
		prefix + long,
		prefix + strings.Repeat("a/", 2500) + "x",
		prefix + "CON",
		prefix + "con",
		prefix + "nul.txt",
		prefix + "NUL",
		prefix + "com1/x",
		prefix + "COM1",
		prefix + "AUX.tar.gz",
		prefix + "lpt1",
		prefix + "PRN.txt",
		prefix + "link-out",
		prefix + "link-up",
		prefix + "link-dir-out/outside.txt",
		prefix + "link-uploads/sub/deep.txt",
		prefix + "link-passwd",
	}
}

func TestStaticTraversal(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	for _, target := range append(traversalCorpus("/static/"),
		"/static//etc/passwd", "/static//"+fx.outside+"/outside.txt", "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd") {
		w := get(app, target)
		checkNoSecret(t, "GET "+shorten(target), w.Body.String())
		switch w.Code {
		case 404:
		case 308:
			// Werkzeug's merge_slashes: /static//x to /static/x, still
			// under /static/ on this host.
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, "/static/") || strings.HasPrefix(loc, "//") {
				t.Errorf("GET %s: 308 to %q", shorten(target), loc)
				continue
			}
			// /static/%2fetc%2fpasswd redirects to itself (dispatch's
			// merge_slashes works on the escaped path); only the safety
			// of the target is checked here.
			w2 := get(app, loc)
			checkNoSecret(t, "GET "+loc, w2.Body.String())
			if w2.Code != 404 && w2.Code != 308 {
				t.Errorf("GET %s -> %s = %d, want 404", shorten(target), loc, w2.Code)
			}
		default:
			t.Errorf("GET %s = %d %q, want 404", shorten(target), w.Code, w.Body.String())
		}
	}
}

// TestStaticTraversalOverTCP sends raw request lines to a real server,
// so nothing on the client side cleans them first.
func TestStaticTraversalOverTCP(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	srv := httptest.NewServer(app)
	defer srv.Close()
	rc := newRawClient(t, srv.Listener.Addr().String())
	for _, target := range traversalCorpus("/static/") {
		a := rc.do("GET", target, nil, "")
		checkNoSecret(t, "raw GET "+shorten(target), a.head+a.body)
		if a.code != 404 && a.code != 308 && a.code != 400 && a.code != 431 {
			t.Errorf("raw GET %s = %d, want 404", shorten(target), a.code)
		}
	}
	if a := rc.do("GET", "/static/hello.txt", nil, ""); a.code != 200 || !strings.HasSuffix(a.body, helloBody) {
		t.Errorf("raw GET /static/hello.txt = %d %q", a.code, a.head+a.body)
	}
}

func shorten(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%s...(%d bytes)", s[:60], len(s))
	}
	return s
}

func TestStaticConditionalAndRange(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	srv := httptest.NewServer(app)
	defer srv.Close()
	do := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	full, body := do("GET", "/static/hello.txt")
	etag, lastMod := full.Header.Get("ETag"), full.Header.Get("Last-Modified")
	if full.StatusCode != 200 || body != helloBody || etag == "" || lastMod == "" {
		t.Fatalf("GET = %d %q ETag %q Last-Modified %q", full.StatusCode, body, etag, lastMod)
	}
	n := len(helloBody)
	tests := []struct {
		name   string
		method string
		hdr    []string
		code   int
		body   string
		header map[string]string
	}{
		{"If-None-Match", "GET", []string{"If-None-Match", etag}, 304, "", map[string]string{"ETag": etag, "Content-Type": "", "Cache-Control": "no-cache"}},
		{"If-None-Match list", "GET", []string{"If-None-Match", `"x", ` + etag}, 304, "", nil},
		{"If-None-Match weak", "GET", []string{"If-None-Match", "W/" + etag}, 304, "", nil},
		{"If-None-Match *", "GET", []string{"If-None-Match", "*"}, 304, "", nil},
		{"If-None-Match other", "GET", []string{"If-None-Match", `"other"`}, 200, helloBody, nil},
		{"If-None-Match HEAD", "HEAD", []string{"If-None-Match", etag}, 304, "", nil},
		{"If-Modified-Since", "GET", []string{"If-Modified-Since", lastMod}, 304, "", map[string]string{"ETag": etag}},
		{"If-Modified-Since later", "GET", []string{"If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}, 304, "", nil},
		{"If-Modified-Since earlier", "GET", []string{"If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"}, 200, helloBody, nil},
		{"If-None-Match wins", "GET", []string{"If-None-Match", `"other"`, "If-Modified-Since", lastMod}, 200, helloBody, nil},
		{"If-Match fails", "GET", []string{"If-Match", `"other"`}, 412, "", map[string]string{"Content-Type": ctHTML}},
		{"If-Match", "GET", []string{"If-Match", etag}, 200, helloBody, nil},
		{"Range 0-9", "GET", []string{"Range", "bytes=0-9"}, 206, helloBody[:10],
			map[string]string{"Content-Range": fmt.Sprintf("bytes 0-9/%d", n), "Content-Length": "10", "Content-Type": ctText}},
		{"Range suffix", "GET", []string{"Range", "bytes=-6"}, 206, helloBody[n-6:],
			map[string]string{"Content-Range": fmt.Sprintf("bytes %d-%d/%d", n-6, n-1, n)}},
		{"Range open", "GET", []string{"Range", "bytes=7-"}, 206, helloBody[7:], nil},
		{"Range HEAD", "HEAD", []string{"Range", "bytes=0-9"}, 206, "", map[string]string{"Content-Length": "10"}},
		{"Range past the end", "GET", []string{"Range", "bytes=999999-"}, 416, "",
			map[string]string{"Content-Range": fmt.Sprintf("bytes */%d", n), "Content-Type": ctHTML, "ETag": "", "Content-Disposition": ""}},
		{"Range garbage", "GET", []string{"Range", "bytes=x-y"}, 416, "", nil},
		{"Range other unit", "GET", []string{"Range", "pages=1-2"}, 416, "", nil},
		{"If-Range matches", "GET", []string{"Range", "bytes=0-4", "If-Range", etag}, 206, helloBody[:5], nil},
		{"If-Range stale", "GET", []string{"Range", "bytes=0-4", "If-Range", `"old"`}, 200, helloBody, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := do(tt.method, "/static/hello.txt", tt.hdr...)
			if resp.StatusCode != tt.code {
				t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.code)
				return
			}
			switch tt.code {
			case 200, 206:
				if b != tt.body {
					t.Errorf("%s: body %q, want %q", tt.name, b, tt.body)
				}
			case 304:
				if b != "" {
					t.Errorf("%s: 304 with body %q", tt.name, b)
				}
			case 412, 416:
				if !strings.Contains(b, fmt.Sprintf("<title>%d ", tt.code)) {
					t.Errorf("%s: body %q, want the %d page", tt.name, b, tt.code)
				}
			}
			for k, v := range tt.header {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %s = %q, want %q", tt.name, k, got, v)
				}
			}
		})
	}

	// HEAD has GET's headers, Date aside.
	g, _ := do("GET", "/static/hello.txt")
	h, hb := do("HEAD", "/static/hello.txt")
	g.Header.Del("Date")
	h.Header.Del("Date")
	if hb != "" || !reflect.DeepEqual(g.Header, h.Header) {
		t.Errorf("HEAD headers %v body %q; GET headers %v", h.Header, hb, g.Header)
	}

	// A changed file gets a new ETag: the old one no longer gives a 304.
	later := time.Now().Add(2 * time.Second)
	p := filepath.Join(fx.root, "static", "hello.txt")
	if err := os.WriteFile(p, []byte("changed!\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chtimes(p, later, later)
	resp, b := do("GET", "/static/hello.txt", "If-None-Match", etag)
	if resp.StatusCode != 200 || b != "changed!\n" || resp.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d %q ETag %q (old %q)", resp.StatusCode, b, resp.Header.Get("ETag"), etag)
	}
}

// TestStaticErrorHandlers: static 404s and 416s go through the app's
// error handlers; after-request hooks see static responses.
func TestStaticErrorHandlers(t *testing.T) {
	fx := newFixture(t)
	app, _ := fx.app()
	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.Status(404).String("custom 404")
	})
	app.ErrorHandler(416, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.Status(416).String("custom 416")
	})
	app.AfterRequest(func(c *flasky.Ctx, _ *flasky.Response) error { c.SetHeader("X-After", c.Endpoint()); return nil })
	w := get(app, "/static/nope.txt")
	if w.Code != 404 || w.Body.String() != "custom 404" {
		t.Errorf("missing = %d %q", w.Code, w.Body.String())
	}
	w = serve(app, "GET", "/static/hello.txt", nil, "Range", "bytes=999-")
	if w.Code != 416 || w.Body.String() != "custom 416" || w.Header().Get("Content-Range") != fmt.Sprintf("bytes */%d", len(helloBody)) {
		t.Errorf("416 = %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	w = get(app, "/static/hello.txt")
	if w.Code != 200 || w.Header().Get("X-After") != "static" {
		t.Errorf("after hook: %d X-After %q", w.Code, w.Header().Get("X-After"))
	}
}

func TestStaticRouteExistsOnlyWithFolder(t *testing.T) {
	// No static/ folder: no route, nothing changes for the app.
	app := flasky.New(flasky.WithRoot(t.TempDir()))
	app.Route("/<name>", text("name"))
	if rs := app.Routes(); len(rs) != 1 {
		t.Errorf("without static/: routes %v", rs)
	}
	if w := get(app, "/static/x"); w.Code != 404 {
		t.Errorf("without static/: /static/x = %d", w.Code)
	}
	app.Mount("/static", http.NotFoundHandler()) // free for the app's own use

	// With the folder: Flask's rule and endpoint.
	fx := newFixture(t)
	app, _ = fx.app()
	want := []flasky.RouteInfo{{Endpoint: "static", Methods: []string{"GET"}, Rule: "/static/<path:filename>"}}
	if got := app.Routes(); !reflect.DeepEqual(got, want) {
		t.Errorf("Routes() = %v, want %v", got, want)
	}
	u, err := app.URLFor("static", flasky.M{"filename": "css/site.css"})
	if err != nil || u != "/static/css/site.css" {
		t.Errorf("URLFor(static) = %q, %v", u, err)
	}
	u, _ = app.URLFor("static", flasky.M{"filename": "사진.jpg"})
	if w := get(app, u); w.Code != 200 || w.Header().Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET %s = %d %q", u, w.Code, w.Header().Get("Content-Type"))
	}

	// The same rule as the static route is refused, naming both.
	if _, err := app.AddRoute("/static/<path:p>", text("mine")); err == nil || !strings.Contains(err.Error(), "/static/<path:filename>") {
		t.Errorf("AddRoute(/static/<path:p>) beside the static route: %v", err)
	}

	// The app's own rules beside it: more specific ones win.
	app.Route("/static/special.txt", text("special"))
	app.Route("/<name>", text("name"))
	app.Route("/s/<int:n>", text("int"))
	for path, body := range map[string]string{
		"/static/special.txt": "special",
		"/static/hello.txt":   helloBody,
		"/hello":              "name",
		"/s/1":                "int",
	} {
		t.Run(path, func(t *testing.T) {
			if w := get(app, path); w.Code != 200 || w.Body.String() != body {
				t.Errorf("GET %s = %d %q, want %q", path, w.Code, w.Body.String(), body)
			}
		})
	}
}

func TestStaticFromFS(t *testing.T) {
	sub, err := fs.Sub(embeddedFiles, "testdata/files")
	if err != nil {
		t.Fatal(err)
	}
	mapFS := fstest.MapFS{
		"static/hello.txt": {Data: []byte(helloBody)},
		"static/dir/x.css": {Data: []byte("x{}")},
		"secret.txt":       {Data: []byte(secretBeside)},
	}
	dated := fstest.MapFS{
		"static/hello.txt": {Data: []byte(helloBody), ModTime: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)},
	}
	for _, tc := range []struct {
		name    string
		fsys    fs.FS
		lastMod string
	}{
		{"embed", sub, ""},
		{"mapfs", mapFS, ""},
		{"dated", dated, "Tue, 24 Nov 2026 09:00:00 GMT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := flasky.New(flasky.WithFS(tc.fsys))
			w := get(app, "/static/hello.txt")
			etag := w.Header().Get("ETag")
			if w.Code != 200 || w.Body.String() != helloBody || w.Header().Get("Content-Type") != ctText {
				t.Fatalf("GET = %d %q %v", w.Code, w.Body.String(), w.Header())
			}
			if got := w.Header().Get("Last-Modified"); got != tc.lastMod {
				t.Errorf("Last-Modified %q, want %q", got, tc.lastMod)
			}
			if !strings.HasPrefix(etag, `"`) {
				t.Errorf("ETag %q", etag)
			}
			if w2 := get(app, "/static/hello.txt"); w2.Header().Get("ETag") != etag {
				t.Errorf("second ETag %q, first %q", w2.Header().Get("ETag"), etag)
			}
			if w := serve(app, "GET", "/static/hello.txt", nil, "If-None-Match", etag); w.Code != 304 || w.Body.Len() != 0 {
				t.Errorf("If-None-Match = %d %q", w.Code, w.Body.String())
			}
			if w := serve(app, "GET", "/static/hello.txt", nil, "Range", "bytes=0-9"); w.Code != 206 || w.Body.String() != helloBody[:10] {
				t.Errorf("Range = %d %q", w.Code, w.Body.String())
			}
			for _, target := range append(traversalCorpus("/static/"), "/static/dir", "/static/css") {
				w := get(app, target)
				checkNoSecret(t, "GET "+shorten(target), w.Body.String())
				if w.Code != 404 && w.Code != 308 {
					t.Errorf("GET %s = %d, want 404", shorten(target), w.Code)
				}
			}
		})
	}
	// Two embed files with the same size still get different ETags.
	app := flasky.New(flasky.WithFS(fstest.MapFS{
		"static/a.txt": {Data: []byte("aaaa")},
		"static/b.txt": {Data: []byte("bbbb")},
	}))
	if a, b := get(app, "/static/a.txt").Header().Get("ETag"), get(app, "/static/b.txt").Header().Get("ETag"); a == b {
		t.Errorf("same ETag %q for different content", a)
	}
}

func TestWithStaticFolder(t *testing.T) {
	files := fstest.MapFS{
		"public/css/site.css": {Data: []byte("body{}")},
		"static/old.css":      {Data: []byte("old")},
		"index.html":          {Data: []byte("root")},
	}
	for _, tc := range []struct {
		folder, urlPath string
		file, url       string // a file of the folder and its URL
		notFound        string
	}{
		{"public", "", "css/site.css", "/public/css/site.css", "/static/old.css"},
		{"public", "/assets/", "css/site.css", "/assets/css/site.css", "/public/css/site.css"},
		{"/public/", "assets", "css/site.css", "/assets/css/site.css", "/static/old.css"},
		{"", "", "public/css/site.css", "/public/css/site.css", "/nope.css"},
		{"", "", "index.html", "/index.html", "/public/"},
		{"static", "/s", "old.css", "/s/old.css", "/static/old.css"},
	} {
		app := flasky.New(flasky.WithFS(files), flasky.WithStaticFolder(tc.folder, tc.urlPath))
		app.Logger = discardLogger()
		u, err := app.URLFor("static", flasky.M{"filename": tc.file})
		if err != nil || u != tc.url {
			t.Errorf("WithStaticFolder(%q, %q): URL of %s = %q, %v; want %q", tc.folder, tc.urlPath, tc.file, u, err, tc.url)
		}
		if w := get(app, tc.url); w.Code != http.StatusOK {
			t.Errorf("WithStaticFolder(%q, %q): GET %s = %d, want 200", tc.folder, tc.urlPath, tc.url, w.Code)
		}
		if w := get(app, tc.notFound); w.Code != http.StatusNotFound {
			t.Errorf("WithStaticFolder(%q, %q): GET %s = %d, want 404", tc.folder, tc.urlPath, tc.notFound, w.Code)
		}
	}
	// On disk: the app's folder itself, through its os.Roots.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "static", "index.html"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	disk := flasky.New(flasky.WithRoot(dir), flasky.WithStaticFolder("", ""))
	disk.Logger = discardLogger()
	if w := get(disk, "/static/index.html"); w.Code != http.StatusOK || w.Body.String() != "hi" {
		t.Errorf(`on disk, WithStaticFolder("", ""): GET /static/index.html = %d %q, want 200 hi`, w.Code, w.Body.String())
	}
	if w := get(disk, "/../x"); w.Code == http.StatusOK {
		t.Errorf(`on disk: GET /../x = %d`, w.Code)
	}

	// A folder that does not exist adds no route.
	app := flasky.New(flasky.WithFS(files), flasky.WithStaticFolder("missing", ""))
	if _, err := app.URLFor("static", flasky.M{"filename": "x"}); err == nil {
		t.Error(`WithStaticFolder("missing", ""): the static endpoint exists`)
	}
}
