package flasky_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// fuzzFiles is a folder for FuzzStaticPath: every planted file holds
// its own text, so an answer tells which file it came from.
type fuzzFiles struct {
	root     string
	static   map[string]bool // the texts the static route may send
	uploads  map[string]bool // the texts SendFromDirectory("uploads") may send
	planted  []string        // every text planted, inside or not
	hasLinks bool
}

func newFuzzFiles(tb testing.TB) *fuzzFiles {
	tb.Helper()
	ff := &fuzzFiles{root: tb.TempDir(), static: map[string]bool{}, uploads: map[string]bool{}}
	outside := tb.TempDir()
	write := func(dir, name, text string, inside map[string]bool) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		ff.planted = append(ff.planted, text)
		if inside != nil {
			inside[text] = true
		}
	}
	write(ff.root, "static/hello.txt", "IN-STATIC-HELLO", ff.static)
	write(ff.root, "static/sub/deep.txt", "IN-STATIC-DEEP", ff.static)
	write(ff.root, "static/..a", "IN-STATIC-DOTDOT-A", ff.static)
	write(ff.root, "uploads/report.txt", "IN-UPLOADS-REPORT", ff.uploads)
	write(ff.root, "uploads/sub/deep.txt", "IN-UPLOADS-DEEP", ff.uploads)
	write(ff.root, "secret.txt", "BESIDE-THE-FOLDERS", nil)
	write(ff.root, "templates/page.html", "IN-TEMPLATES", nil)
	write(outside, "outside.txt", "OUTSIDE-THE-APP", nil)
	if runtime.GOOS == "windows" {
		return ff
	}
	for _, dir := range []string{"static", "uploads"} {
		for _, dev := range []string{"CON", "nul.txt", "Aux.tar.gz", "com1", "LPT9 ", "sub/prn"} {
			write(filepath.Join(ff.root, dir), dev, "DEVICE-"+dir+"-"+dev, nil)
		}
		ff.hasLinks = true
		for name, target := range map[string]string{
			"link-out": filepath.Join(outside, "outside.txt"), "link-dir-out": outside, "link-up": "../secret.txt",
			"link-tmpl": "../templates", "link-passwd": "/etc/passwd",
		} {
			if err := os.Symlink(target, filepath.Join(ff.root, dir, name)); err != nil {
				ff.hasLinks = false
			}
		}
	}
	return ff
}

// check fails when body holds a planted text the route may not send, or
// when a 200 is not exactly one file it may send.
func (ff *fuzzFiles) check(t *testing.T, what string, code int, body string, allowed map[string]bool) {
	t.Helper()
	for _, text := range ff.planted {
		if !allowed[text] && strings.Contains(body, text) {
			t.Fatalf("%s = %d: the answer holds %q, from outside the folder", what, code, text)
		}
	}
	if strings.Contains(body, "root:x:0:0") {
		t.Fatalf("%s = %d: the answer holds /etc/passwd", what, code)
	}
	if code == 200 && !allowed[body] {
		t.Fatalf("%s = 200 %q: not a file of the folder", what, body)
	}
}

// FuzzStaticPath sends any path to the static route and to
// SendFromDirectory (by path, and by any bytes in the query), parsed as
// the server parses a request line. Whatever the path, the answer is a
// file of the folder, a 404, or a same-host 308 under the route; never a
// file beside the folder, outside the app, behind a link out, or with a
// Windows device name.
func FuzzStaticPath(f *testing.F) {
	for _, s := range traversalCorpus("") {
		f.Add(s)
	}
	for _, s := range []string{"hello.txt", "sub/deep.txt", "..a", "./hello.txt", "sub//deep.txt", "report.txt",
		"link-out", "link-tmpl/page.html", "link-dir-out/outside.txt", "sub/prn", "Aux.tar.gz", "LPT9%20", "com1",
		"%2e%2e%2ftemplates/page.html", "..%2ftemplates%2fpage.html", "../templates/page.html", "sub/%2e%2e/hello.txt",
		"hello.txt?x=../secret.txt", "hello.txt#../secret.txt", "%c0%ae%c0%ae/secret.txt", "..;/secret.txt"} {
		f.Add(s)
	}
	ff := newFuzzFiles(f)
	app := flasky.New(flasky.WithRoot(ff.root))
	app.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	app.Route("/u/<path:name>", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Param("name")) })
	app.Route("/q", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Args.Get("name")) })
	if w := get(app, "/static/hello.txt"); w.Code != 200 {
		f.Fatalf("the fixture does not serve: %d", w.Code)
	}
	f.Fuzz(func(t *testing.T, p string) {
		for _, route := range []struct {
			prefix  string
			allowed map[string]bool
		}{{"/static/", ff.static}, {"/u/", ff.uploads}} {
			req, err := parseTarget("GET", route.prefix+p)
			if err != nil {
				continue // the server answers 400
			}
			w := httptest.NewRecorder()
			app.ServeHTTP(w, req)
			what := "GET " + shorten(route.prefix+p)
			ff.check(t, what, w.Code, w.Body.String(), route.allowed)
			switch w.Code {
			case 200, 404:
			case 308:
				loc := w.Header().Get("Location")
				if why := locationStaysHere(loc); why != "" || !strings.HasPrefix(loc, route.prefix) {
					t.Fatalf("%s: 308 to %q, not under %s (%s)", what, loc, route.prefix, why)
				}
			default:
				t.Fatalf("%s = %d", what, w.Code)
			}
		}
		// Any bytes as the name, through the query.
		w := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/q", nil)
		req.URL.RawQuery = "name=" + queryEscapeAll(p)
		app.ServeHTTP(w, req)
		ff.check(t, "name "+shorten(p), w.Code, w.Body.String(), ff.uploads)
		if w.Code != 200 && w.Code != 404 {
			t.Fatalf("name %q = %d", shorten(p), w.Code)
		}
	})
}

// queryEscapeAll percent-encodes every byte, so the handler gets s back
// exactly, invalid UTF-8 and all.
func queryEscapeAll(s string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, 3*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, '%', hex[s[i]>>4], hex[s[i]&15])
	}
	return string(b)
}
