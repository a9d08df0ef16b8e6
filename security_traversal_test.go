package flasky_test

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode"

	"github.com/flasky-go/flasky"
)

// probe is one attempt to leave a folder, with the kind it belongs to
// for the log.
type probe struct{ kind, target string }

// windowsDeviceNames are the reserved names of Werkzeug's CVE-2025-66221
// and CVE-2026-21860/27199, spelt in several cases and with the endings
// Windows ignores.
func windowsDeviceNames() []string {
	var names []string
	for _, base := range []string{"CON", "PRN", "AUX", "NUL", "COM1", "LPT9", "CONIN$", "COM¹"} {
		mixed := []rune(strings.ToLower(base)) // "CoN", "CoM1"
		for i := 0; i < len(mixed); i += 2 {
			mixed[i] = unicode.ToUpper(mixed[i])
		}
		for _, b := range []string{base, strings.ToLower(base), string(mixed)} {
			for _, ext := range []string{"", ".txt", ".tar.gz", ".", " "} {
				names = append(names, b+ext)
			}
		}
	}
	return names
}

// plantDevices makes, inside dir, a file for every device name at the
// top and in sub/, and a folder d/<name>/ holding x, all holding
// secretDevice: on Linux they are ordinary files, and must still never
// be served, so that an app behaves the same on Windows.
func plantDevices(t *testing.T, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	for _, n := range windowsDeviceNames() {
		for _, p := range []string{n, filepath.Join("sub", n), filepath.Join("d", n, "x")} {
			full := filepath.Join(dir, p)
			if st, err := os.Stat(full); err == nil && st.IsDir() {
				continue // the fixture's com1/ folder
			}
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, []byte(secretDevice), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// traversalProbes is the corpus of the traversal tests for a route
// prefix: the shared corpus of the static tests, more encodings, device
// names in every segment, and very long paths.
func traversalProbes(prefix string) []probe {
	var ps []probe
	for _, target := range traversalCorpus(prefix) {
		ps = append(ps, probe{"classic", target})
	}
	for _, s := range []string{
		"%c0%ae%c0%ae/secret.txt", "%c0%ae%c0%ae%c0%afsecret.txt", "%e0%80%ae%e0%80%ae/secret.txt", // overlong UTF-8
		"%ef%bc%8e%ef%bc%8e%ef%bc%8fsecret.txt",                                   // fullwidth dots and slash
		"%252e%252e%252fsecret.txt", "%252e%252e/secret.txt", "..%255csecret.txt", // double encoding
		"..;/secret.txt", ".../secret.txt", "....//secret.txt", "..%00/secret.txt", "%2e%2e%00/secret.txt",
		"..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", strings.Repeat("..%2f", 40) + "etc%2fpasswd",
		strings.Repeat("../", 40) + "etc/passwd", "sub%2f..%2f..%2fsecret.txt", "sub/..%5c..%5csecret.txt",
		"%5c..%5csecret.txt", "%5csecret.txt", "..%c1%9csecret.txt",
	} {
		ps = append(ps, probe{"encoded", prefix + s})
	}
	for _, s := range []string{
		"%2fetc/passwd", "%2F%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "file:%2f%2f%2fetc%2fpasswd",
		"C:%5c", "C:", "c:secret.txt", "%5c%5c%3f%5cC:%5cx", "%5c%5c.%5cpipe%5cx", "%5c%5cserver%5cshare",
		"%2f%2fserver%2fshare%2fx", "\\\\server\\share",
	} {
		ps = append(ps, probe{"absolute", prefix + s})
	}
	for _, s := range []string{"hello.txt%00.png", "%00hello.txt", "hello.txt%0a", "hello.txt%0d%0a", "hello%09.txt", "hello.txt%7f"} {
		ps = append(ps, probe{"control", prefix + s})
	}
	for _, n := range windowsDeviceNames() {
		e := url.PathEscape(n)
		ps = append(ps, probe{"device", prefix + e}, probe{"device", prefix + "sub/" + e}, probe{"device", prefix + "d/" + e + "/x"})
	}
	for _, s := range []string{
		strings.Repeat("a", 255) + "b", strings.Repeat("a", 4097), strings.Repeat("x/", 3000) + "y",
		strings.Repeat("a", 70000), strings.Repeat("..%2f", 20000) + "secret.txt",
	} {
		ps = append(ps, probe{"overlong", prefix + s})
	}
	// Request lines that a client library would refuse or rewrite.
	for _, s := range []string{
		"http://good.example" + prefix + "../secret.txt", "http://good.example" + prefix + "%2e%2e/secret.txt",
		"//good.example" + prefix + "../secret.txt", prefix + "hello.txt\x00", prefix + "..\x00/secret.txt",
		prefix + "\t../secret.txt", prefix + "..\x7f/secret.txt",
	} {
		ps = append(ps, probe{"request line", s})
	}
	if prefix == "/static/" {
		// Over the server's header limit: a 431 (once is enough).
		ps = append(ps, probe{"request line", prefix + strings.Repeat("a", 2<<20)})
	}
	return ps
}

// traversalApp is the fixture's app with the static route, and
// SendFromDirectory with the client's name from the path (/u/) and from
// the query (/q?name=), with device-named files planted everywhere.
func traversalApp(t *testing.T) (*flasky.App, *fixture) {
	fx := newFixture(t)
	plantDevices(t, filepath.Join(fx.root, "static"))
	plantDevices(t, filepath.Join(fx.root, "uploads"))
	app, _ := fx.app()
	app.Route("/u/<path:name>", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Param("name")) })
	app.Route("/q", func(c *flasky.Ctx) error { return c.SendFromDirectory("uploads", c.Args.Get("name")) })
	return app, fx
}

// queryProbes turns the path probes of a prefix into /q?name=... probes:
// the name is the decoded path, sent as any bytes in the query.
func queryProbes(fx *fixture) []probe {
	var ps []probe
	for _, p := range traversalProbes("/") {
		name, err := url.PathUnescape(strings.TrimPrefix(p.target, "/"))
		if err != nil {
			name = strings.TrimPrefix(p.target, "/")
		}
		ps = append(ps, probe{p.kind, "/q?name=" + url.QueryEscape(name)})
	}
	for _, raw := range []string{"../secret.txt", "/etc/passwd", `..\secret.txt`, "%2e%2e%2fsecret.txt", "..%00", "sub/../../secret.txt"} {
		ps = append(ps, probe{"query", "/q?name=" + raw})
	}
	for _, name := range []string{"/etc/passwd", fx.outside + "/outside.txt", `C:\`, `C:\Windows\win.ini`, `\\server\share`,
		`\\?\C:\x`, "report.txt\x00", "\x00", "..\\..\\secret.txt", "link-out", "link-up", "link-dir-out/outside.txt"} {
		ps = append(ps, probe{"query", "/q?name=" + url.QueryEscape(name)})
	}
	return ps
}

// checkTraversalAnswer checks one answer to a probe: a 404 (or the
// parser's 400, or a 431 for a request line over the server's limit), or
// Werkzeug's merge_slashes 308 to a path under the same prefix; never a
// planted secret. It returns the outcome for the tally.
func checkTraversalAnswer(t *testing.T, how string, p probe, prefix string, code int, loc, body string) string {
	t.Helper()
	checkNoSecret(t, how+" GET "+shorten(p.target), body)
	switch code {
	case 0:
		return "closed without an answer"
	case 400, 404, 431:
		return fmt.Sprint(code)
	case 308:
		if why := locationStaysHere(loc); why != "" || !strings.HasPrefix(loc, strings.TrimSuffix(prefix, "?")) {
			t.Errorf("%s GET %s: 308 to %q (%s)", how, shorten(p.target), loc, why)
		}
		return "308 under " + prefix
	}
	t.Errorf("%s GET %s = %d, want 404", how, shorten(p.target), code)
	return fmt.Sprint(code)
}

// TestSecurityTraversal sends the traversal corpus to /static/,
// SendFromDirectory by path and by query, through httptest and over a
// real connection, and checks that no answer holds a file from outside
// the folder (the file beside static/, one outside the app, /etc/passwd,
// device-named files).
func TestSecurityTraversal(t *testing.T) {
	app, fx := traversalApp(t)
	srv := httptest.NewServer(app)
	defer srv.Close()
	rc := newRawClient(t, srv.Listener.Addr().String())
	routes := []struct {
		prefix string
		probes []probe
	}{
		{"/static/", traversalProbes("/static/")},
		{"/u/", traversalProbes("/u/")},
		{"/q?", queryProbes(fx)},
	}
	for _, r := range routes {
		kinds := tally{}
		inProcess, wire := tally{}, tally{}
		for _, p := range r.probes {
			kinds.add(p.kind)
			// httptest: the request as the server's parser reads it.
			if req, err := parseTarget("GET", p.target); err != nil {
				inProcess.add("refused by the parser")
			} else {
				w := httptest.NewRecorder()
				app.ServeHTTP(w, req)
				inProcess.add(checkTraversalAnswer(t, "httptest", p, r.prefix, w.Code, w.Header().Get("Location"), w.Body.String()))
				if loc := w.Header().Get("Location"); w.Code == 308 {
					// Follow the merged-slashes redirect once: it too
					// must stay inside.
					w2 := get(app, loc)
					checkNoSecret(t, "httptest GET "+loc, w2.Body.String())
					if w2.Code != 404 && w2.Code != 308 {
						t.Errorf("GET %s -> %s = %d, want 404", shorten(p.target), loc, w2.Code)
					}
				}
			}
			// The wire: the request line byte for byte. A query the
			// client escaped itself reads the same in both; only the raw
			// ones need the wire.
			if r.prefix == "/q?" && p.kind != "query" && p.kind != "request line" {
				continue
			}
			a := rc.do("GET", p.target, nil, "")
			wire.add(checkTraversalAnswer(t, "tcp", p, r.prefix, a.code, a.header("Location"), a.body))
		}
		t.Logf("%s: %d probes (%s)", r.prefix, len(r.probes), kinds)
		t.Logf("%s through httptest: %s", r.prefix, inProcess)
		t.Logf("%s over TCP: %s", r.prefix, wire)
	}
	// The check is not vacuous: the same routes serve what is inside, and
	// the device-named files exist.
	for _, target := range []string{"/static/hello.txt", "/u/report.txt", "/q?name=sub%2Fdeep.txt"} {
		if a := rc.do("GET", target, nil, ""); a.code != 200 {
			t.Errorf("GET %s = %d, want 200", target, a.code)
		}
	}
	if runtime.GOOS != "windows" {
		if b, err := os.ReadFile(filepath.Join(fx.root, "static", "sub", "CoN.txt")); err != nil || string(b) != secretDevice {
			t.Errorf("planted device file: %q, %v", b, err)
		}
	}
	t.Logf("held: no answer held the file beside static/, the file outside the app, /etc/passwd or a device-named file")
}
