package flasky_test

import (
	"image"
	"io"
	"log"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// headerValues are user data that try to end a header value early, add a
// header line or a parameter, or start the body (gin's CVE-2023-29401 and
// friends).
var headerValues = []string{
	"a\r\nX-Injected: 1", "a\nX-Injected: 1", "a\rX-Injected: 1", "a\r\n\r\n<script>alert(1)</script>",
	"a\r\n X-Injected: 1", "a\r\n\tX-Injected: 1", `"; filename="evil.exe`, `a"b`, `a\"b`, `a\`, `"`,
	"a;b=c; X-Injected=1", "a; filename*=UTF-8''evil.exe", "%0d%0aX-Injected:%201", "a\x00b", "a\x7fb",
	"a\x0bb\x0cc", "a\u2028X-Injected: 1", "a\u0085X-Injected: 1", "사진\r\nX-Injected: 1.jpg",
	"\xff\xfe\r\nX-Injected: 1", "=?utf-8?q?=0D=0AX-Injected:_1?=", strings.Repeat("x", 8000) + "\r\nX-Injected: 1",
	"report.txt", "사진.jpg",
}

// headerApp has one route per place where flasky writes a value that
// may come from the client into a header, each taking it from ?v=.
func headerApp(t *testing.T) *flasky.App {
	fx := newFixture(t)
	for _, name := range []string{`q"uote.txt`, "semi;colon.txt", "pct%41.txt", "sp ace.txt", "사진 \"1\".txt"} {
		if runtime.GOOS == "windows" && strings.Contains(name, `"`) {
			continue
		}
		if err := os.WriteFile(filepath.Join(fx.root, "static", name), []byte("odd name"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app, _ := fx.app()
	v := func(c *flasky.Ctx) string { return c.Args.Get("v") }
	app.Route("/sendfile", func(c *flasky.Ctx) error {
		return c.SendFile("uploads/report.txt", flasky.AsAttachment(), flasky.DownloadName(v(c)))
	})
	app.Route("/sendfromdir", func(c *flasky.Ctx) error {
		return c.SendFromDirectory("uploads", "report.txt", flasky.DownloadName(v(c)))
	})
	app.Route("/sendreader", func(c *flasky.Ctx) error {
		return c.SendReader(strings.NewReader("x"), flasky.AsAttachment(), flasky.DownloadName(v(c)))
	})
	app.Route("/sendimage", func(c *flasky.Ctx) error {
		return c.SendImage(image.NewGray(image.Rect(0, 0, 1, 1)), flasky.PNG(), flasky.DownloadName(v(c)))
	})
	app.Route("/redirect", func(c *flasky.Ctx) error { return c.Redirect(v(c)) })
	app.Route("/cookie/<part>", func(c *flasky.Ctx) error {
		ck := &http.Cookie{Name: "n", Value: "v", Path: "/"}
		switch c.Param("part") {
		case "name":
			ck.Name = v(c)
		case "value":
			ck.Value = v(c)
		case "path":
			ck.Path = v(c)
		case "domain":
			ck.Domain = v(c)
		}
		c.SetCookie(ck)
		return c.String("ok")
	})
	// The app's own raw header: net/http must still keep it one line.
	app.Route("/setheader", func(c *flasky.Ctx) error {
		c.SetHeader("X-Echo", v(c))
		return c.String("ok")
	})
	app.Route("/t/<a>/", text("trailing slash"))
	return app
}

// TestSecurityHeaderInjection sends every value to every route, and the
// values inside paths to the static route and the trailing-slash
// redirect, over a real connection; the header block as sent must have
// one line per header, no injected header, one Content-Disposition,
// Location or Set-Cookie at most, each still parsing to one value.
// Through httptest, the values flasky writes (SetHeader's too) hold no
// CR, LF or NUL.
func TestSecurityHeaderInjection(t *testing.T) {
	defer log.SetOutput(log.Writer())
	log.SetOutput(io.Discard) // net/http logs each cookie byte it drops
	app := headerApp(t)
	srv := httptest.NewServer(app)
	defer srv.Close()
	rc := newRawClient(t, srv.Listener.Addr().String())

	var targets []string
	for _, route := range []string{"/sendfile", "/sendfromdir", "/sendreader", "/sendimage", "/redirect",
		"/cookie/name", "/cookie/value", "/cookie/path", "/cookie/domain", "/setheader"} {
		for _, val := range headerValues {
			targets = append(targets, route+"?v="+url.QueryEscape(val))
		}
	}
	for _, val := range headerValues {
		targets = append(targets, "/t/"+url.PathEscape(val), "/static/"+url.PathEscape(val))
	}
	for _, name := range []string{`q"uote.txt`, "semi;colon.txt", "pct%41.txt", "sp ace.txt", "사진 \"1\".txt"} {
		targets = append(targets, "/static/"+url.PathEscape(name))
	}
	inProcess, wire := tally{}, tally{}
	for _, target := range targets {
		route, _, _ := strings.Cut(strings.TrimPrefix(target, "/"), "?")
		route, _, _ = strings.Cut(route, "/")
		a := rc.do("GET", target, nil, "")
		if a.code == 0 {
			t.Errorf("GET %s: no answer", shorten(target))
			continue
		}
		checkHeaderBlock(t, target, a)
		wire.add(route + " " + http.StatusText(a.code))

		w := get(app, target)
		for _, k := range []string{"Content-Disposition", "Location", "Set-Cookie", "X-Echo"} {
			for _, val := range w.Header()[k] {
				if strings.ContainsAny(val, "\r\n\x00") {
					t.Errorf("httptest GET %s: %s %q holds CR, LF or NUL", shorten(target), k, val)
				}
			}
		}
		if w.Code >= 500 {
			t.Errorf("httptest GET %s = %d", shorten(target), w.Code)
		}
		inProcess.add(route + " " + http.StatusText(w.Code))
	}
	t.Logf("%d values x 10 routes, and in paths of /static/ and of a trailing-slash redirect: %d requests", len(headerValues), len(targets))
	t.Logf("over TCP: %s", wire)
	t.Logf("through httptest: %s", inProcess)
	t.Logf("held: one line per header, no X-Injected header, at most one Content-Disposition/Location/Set-Cookie, each parsing to one value")
}

// checkHeaderBlock checks a header block as it came over the wire.
func checkHeaderBlock(t *testing.T, target string, a rawAnswer) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(a.head, "\r\n"), "\r\n")
	counts := map[string]int{}
	for i, line := range lines[1:] {
		if strings.ContainsAny(line, "\r\n\x00") {
			t.Errorf("GET %s: header line %d %q holds CR, LF or NUL", shorten(target), i+1, line)
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t\"(),/;<=>?@[\\]{}") || value != "" && value[0] != ' ' {
			t.Errorf("GET %s: %q is not a header line", shorten(target), line)
			continue
		}
		name = textproto.CanonicalMIMEHeaderKey(name)
		counts[name]++
		if strings.HasPrefix(name, "X-Injected") {
			t.Errorf("GET %s: injected header line %q", shorten(target), line)
		}
	}
	for _, k := range []string{"Content-Disposition", "Location", "Set-Cookie", "Content-Type", "X-Echo"} {
		if counts[k] > 1 {
			t.Errorf("GET %s: %d %s lines:\n%s", shorten(target), counts[k], k, a.head)
		}
	}
	if a.resp.Header.Get("X-Injected") != "" {
		t.Errorf("GET %s: X-Injected header", shorten(target))
	}
	if strings.Contains(a.body, "<script>") {
		t.Errorf("GET %s: body holds the injected markup: %q", shorten(target), shorten(a.body))
	}
	if cd := a.resp.Header.Get("Content-Disposition"); cd != "" {
		_, params, err := mime.ParseMediaType(cd)
		if err != nil || len(params) != 1 || params["filename"] == "" {
			t.Errorf("GET %s: Content-Disposition %q parses to %q, %v", shorten(target), cd, params, err)
		}
	}
	if cs := a.resp.Cookies(); len(cs) > 1 || len(cs) == 1 && cs[0].Name != "n" && !strings.HasPrefix(target, "/cookie/name?") {
		t.Errorf("GET %s: cookies %v", shorten(target), cs)
	}
	switch {
	case a.code >= 500:
		t.Errorf("GET %s = %d", shorten(target), a.code)
	case strings.HasPrefix(target, "/redirect?"):
		if a.code != 302 && a.code != 400 {
			t.Errorf("GET %s = %d, want 302 or 400", shorten(target), a.code)
		}
		if v, _ := url.ParseQuery(strings.SplitN(target, "?", 2)[1]); a.code == 302 && a.resp.Header.Get("Location") != v.Get("v") {
			t.Errorf("GET %s: Location %q, want the target unchanged", shorten(target), a.resp.Header.Get("Location"))
		}
	}
}

// TestSecurityRedirectRefusesControlBytes: the 400 of Redirect names the
// reason, and a value without control bytes goes out as it is.
func TestSecurityRedirectRefusesControlBytes(t *testing.T) {
	app := headerApp(t)
	for _, val := range headerValues {
		w := get(app, "/redirect?v="+url.QueryEscape(val))
		hasCTL := strings.IndexFunc(val, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
		switch {
		case hasCTL && w.Code != 400:
			t.Errorf("Redirect(%q) = %d, want 400", val, w.Code)
		case !hasCTL && (w.Code != 302 || w.Header().Get("Location") != val):
			t.Errorf("Redirect(%q) = %d %q, want 302 to it", val, w.Code, w.Header().Get("Location"))
		}
	}
}
