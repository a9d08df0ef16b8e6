package main

import (
	"bufio"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// traversalTargets is the fileserver's corpus: ways out of the folder
// (dots, encoded dots and slashes, backslashes, absolute and Windows
// paths, NUL and other control bytes, very long paths, links out, device
// names), each with the kind it belongs to for the log.
func traversalTargets() [][2]string {
	var ts [][2]string
	add := func(kind string, targets ...string) {
		for _, t := range targets {
			ts = append(ts, [2]string{kind, t})
		}
	}
	add("dots", "/../outside.txt", "/../../outside.txt", "/sub/../../outside.txt", "/./../outside.txt", "/..", "/../",
		"/sub/../../../../../../etc/passwd", "/"+strings.Repeat("../", 50)+"etc/passwd", "/...//outside.txt", "/..;/outside.txt")
	add("encoded", "/%2e%2e/outside.txt", "/%2E%2E/outside.txt", "/.%2e/outside.txt", "/..%2foutside.txt", "/..%2Foutside.txt",
		"/%2e%2e%2foutside.txt", "/sub/%2e%2e/%2e%2e/outside.txt", "/%2f..%2foutside.txt", "/%252e%252e/outside.txt",
		"/%c0%ae%c0%ae/outside.txt", "/%ef%bc%8e%ef%bc%8e%ef%bc%8foutside.txt", "/..%c0%afoutside.txt")
	add("backslash", "/..%5coutside.txt", "/..%5c..%5coutside.txt", `/..\outside.txt`, `/sub\..\..\outside.txt`, "/%5c..%5coutside.txt")
	add("absolute", "//outside.txt", "//etc/passwd", "/%2fetc%2fpasswd", "/%2F%2Fetc%2Fpasswd", "/etc/passwd",
		"/C:%5c", "/C:%5cWindows%5cwin.ini", "/C:/Windows/win.ini", "/%5c%5cserver%5cshare%5cx", `/\\server\share\x`,
		"/%5c%5c%3f%5cC:%5cx", "/file:%2f%2f%2fetc%2fpasswd", "http://good.example/../outside.txt", "http://good.example/%2e%2e/outside.txt")
	add("control", "/hello.txt%00", "/hello.txt%00.png", "/%00/../outside.txt", "/..%00/outside.txt", "/hello.txt%0d%0a",
		"/hello.txt\x00", "/..\x00/outside.txt", "/\t../outside.txt")
	add("overlong", "/"+strings.Repeat("a", 300), "/"+strings.Repeat("a", 5000), "/"+strings.Repeat("a/", 3000)+"x",
		"/"+strings.Repeat("..%2f", 10000)+"outside.txt", "/"+strings.Repeat("a", 2<<20))
	add("link", "/link-out", "/link-up", "/link-dir/", "/link-dir/outside.txt", "/link-dir/served/hello.txt",
		"/link-out%00", "/sub/../link-up", "/link-dir%2foutside.txt")
	for _, n := range []string{"CON", "con", "CoN.txt", "NUL", "nul.tar.gz", "AUX", "PRN.", "COM1", "com1.txt", "LPT1", "lpt9 ", "CONIN$", "COM%C2%B9"} {
		add("device", "/"+url.PathEscape(n), "/sub/"+url.PathEscape(n), "/"+url.PathEscape(n)+"/x")
	}
	return ts
}

// checkRedirect fails when a redirect could take a browser to another
// host: a browser drops tabs, reads '\' as '/', and resolves the target
// against the page it asked for.
func checkRedirect(t *testing.T, how, target, loc string) {
	t.Helper()
	if loc == "" {
		t.Errorf("%s GET %s: a redirect without Location", how, shorten(target))
		return
	}
	b := strings.NewReplacer("\t", "", "\\", "/").Replace(loc)
	base, err := url.Parse("http://good.example/")
	if err == nil && strings.HasPrefix(target, "/") {
		base, err = url.Parse("http://good.example" + target)
	}
	if err != nil {
		base, _ = url.Parse("http://good.example/")
	}
	u, err := url.Parse(b)
	if err != nil || strings.HasPrefix(b, "//") || base.ResolveReference(u).Host != "good.example" {
		t.Errorf("%s GET %s: redirect to %q leaves the host", how, shorten(target), loc)
	}
}

func shorten(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%q...(%d bytes)", s[:60], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// TestFileServerTraversalCorpus sends the corpus through httptest (the
// request parsed as the server parses it) and over a real connection
// (the request line written byte for byte). The file beside the folder,
// which links point to, never appears in an answer, nothing is a 5xx,
// and redirects stay on the host.
func TestFileServerTraversalCorpus(t *testing.T) {
	app, err := newApp(folder(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app)
	defer srv.Close()
	inProcess, wire, kinds := map[string]int{}, map[string]int{}, map[string]int{}
	check := func(how, kind, target string, code int, loc, resp string, out map[string]int) {
		t.Helper()
		if strings.Contains(resp, secret) {
			t.Errorf("%s GET %s served the file outside the folder", how, shorten(target))
		}
		switch {
		case code >= 500:
			t.Errorf("%s GET %s = %d", how, shorten(target), code)
		case code >= 300 && code < 400:
			checkRedirect(t, how, target, loc)
		case code == 200 && (kind == "link" || strings.Contains(target, "outside")):
			t.Errorf("%s GET %s = 200, want 404", how, shorten(target))
		}
		out[fmt.Sprint(code)]++
	}
	for _, kt := range traversalTargets() {
		kind, target := kt[0], kt[1]
		kinds[kind]++
		raw := "GET " + target + " HTTP/1.1\r\nHost: good.example\r\n\r\n"
		if req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw))); err != nil {
			inProcess["refused by the parser"]++
		} else {
			req.RemoteAddr = "192.0.2.1:1"
			w := httptest.NewRecorder()
			app.ServeHTTP(w, req)
			check("httptest", kind, target, w.Code, w.Header().Get("Location"), w.Body.String(), inProcess)
		}
		code, resp := rawGET(t, srv.Listener.Addr().String(), target)
		loc := ""
		if r, err := http.ReadResponse(bufio.NewReader(strings.NewReader(resp)), nil); err == nil {
			loc = r.Header.Get("Location")
		}
		check("tcp", kind, target, code, loc, resp, wire)
	}
	t.Logf("probes: %s", count(kinds))
	t.Logf("through httptest: %s", count(inProcess))
	t.Logf("over TCP: %s", count(wire))
	t.Logf("held: no answer held the file outside the folder; no 5xx; every redirect stays on the host")
}

func count(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s x%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
