package flasky_test

import (
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// openRedirectPaths are request paths that try to turn the trailing-slash
// and merged-slashes redirects into a redirect to another host (echo's
// CVE-2022-40083, chi's GHSA-vrw8-fxc6-2r93): leading slashes, encoded
// slashes, backslashes, tabs, and URLs inside the path.
var openRedirectPaths = []string{
	"//evil.example", "//evil.example/", "///evil.example", "///evil.example//", "////evil.example",
	"/%09/evil.example", "/%09/evil.example/", "/%09//evil.example", "/\t/evil.example", "/ /evil.example",
	`/\evil.example`, `/\/evil.example`, `/\\evil.example`, `//\evil.example`, `///\evil.example`,
	"/%5Cevil.example", "/%5C%5Cevil.example", "/%5c/evil.example", "/%5c%2fevil.example", "/%2f%5cevil.example",
	"/%2f%2fevil.example/", "/%2F%2Fevil.example", "/%2f/evil.example", "/%2f%2f%2fevil.example",
	"/.//evil.example", "/./%2fevil.example", "//evil.example/%2e%2e", "//evil.example/..", "//evil.example@good.example",
	"/https://evil.example", "/https:/evil.example", "/http:%2f%2fevil.example", "/javascript:alert(1)",
	"//%65vil.example", "//evil%E3%80%82example", "/%E3%80%82/evil.example", "//evil.example%00", "/%0d%0a//evil.example",
	"/static//evil.example", "/static///evil.example", "/static/%2f%2fevil.example", "/static/\\evil.example",
	"/a//b", "//a/b", "/a/b/", "/a%2f%2fb",
}

// redirectApps are apps whose rules make the redirects fire for as many
// of the paths as possible.
func redirectApps(t *testing.T) map[string]*flasky.App {
	apps := map[string]*flasky.App{}
	for name, rules := range map[string][]string{
		"path":   {"/<a>/<path:p>", "/"},
		"params": {"/<a>/", "/<a>/<b>/", "/<a>/<b>/<c>/", "/<a>/<b>/<c>/<d>/"},
		"static": {"//evil.example/", "/evil.example/", "/a/b"},
		"any":    {"/<any('',x):a>/evil.example/", "/<any('',x):a>/<any('',y):b>/evil.example/"},
	} {
		app, _ := newTestApp()
		for _, r := range rules {
			rt := app.Route(r, text(r), "GET", "POST")
			if strings.HasPrefix(r, "//") {
				// Kept as written rather than merged to /evil.example/
				// (merge_slashes), so that it matches paths that start
				// with "//".
				rt.SetMergeSlashes(false)
			}
		}
		apps[name] = app
	}
	fx := newFixture(t)
	apps["fixture static"], _ = fx.app() // /static/<path:filename>
	return apps
}

// TestSecurityOpenRedirect sends every path with several methods and
// queries to each app, through httptest and over a real connection, and
// checks that every redirect's Location is a path on this host: one '/'
// not followed by '/' or '\', even as a browser reads it.
func TestSecurityOpenRedirect(t *testing.T) {
	queries := []string{"", "?next=//evil.example", "?x=%0d%0aLocation:%20//evil.example"}
	apps := redirectApps(t)
	for _, name := range slices.Sorted(maps.Keys(apps)) {
		app := apps[name]
		srv := httptest.NewServer(app)
		rc := newRawClient(t, srv.Listener.Addr().String())
		inProcess, wire := tally{}, tally{}
		tried := 0
		for _, p := range openRedirectPaths {
			for _, q := range queries {
				for _, method := range []string{"GET", "HEAD", "POST"} {
					tried++
					target := p + q
					if req, err := parseTarget(method, target); err != nil {
						inProcess.add("refused by the parser")
					} else {
						w := httptest.NewRecorder()
						app.ServeHTTP(w, req)
						inProcess.add(checkRedirectAnswer(t, name, "httptest", method, target, w.Code, w.Header().Get("Location")))
					}
					a := rc.do(method, target, nil, "")
					wire.add(checkRedirectAnswer(t, name, "tcp", method, target, a.code, a.header("Location")))
				}
			}
		}
		srv.Close()
		if inProcess["3xx, same host"] == 0 {
			t.Errorf("%s: no path was redirected: the check is vacuous", name)
		}
		t.Logf("app %q: %d requests through httptest: %s", name, tried, inProcess)
		t.Logf("app %q: %d requests over TCP: %s", name, tried, wire)
	}
	t.Logf("held: every Location was a path on this host (one '/', not followed by '/' or '\\', no control characters)")
}

func checkRedirectAnswer(t *testing.T, app, how, method, target string, code int, loc string) string {
	t.Helper()
	if code >= 300 && code < 400 {
		if why := locationStaysHere(loc); why != "" {
			t.Errorf("app %q, %s %s %q: %d to %q: %s", app, how, method, target, code, loc, why)
			return "3xx, off host"
		}
		return "3xx, same host"
	}
	if loc != "" {
		t.Errorf("app %q, %s %s %q: %d with Location %q", app, how, method, target, code, loc)
	}
	if code >= 500 {
		t.Errorf("app %q, %s %s %q: %d", app, how, method, target, code)
	}
	return fmt.Sprint(code)
}

// TestSecurityRedirectLocationCheck makes sure locationStaysHere refuses
// what a browser would take to another host.
func TestSecurityRedirectLocationCheck(t *testing.T) {
	for _, loc := range []string{"//evil.example", `/\evil.example`, "/\t/evil.example", "http://evil.example/", "evil.example",
		`\\evil.example`, "/\r\nx", "https:evil.example"} {
		if locationStaysHere(loc) == "" {
			t.Errorf("locationStaysHere(%q) passed", loc)
		}
	}
	for _, loc := range []string{"/", "/evil.example/", "/%2F%2Fevil.example/", "/%5Cevil.example/", "/a/b?next=//x"} {
		if why := locationStaysHere(loc); why != "" {
			t.Errorf("locationStaysHere(%q): %s", loc, why)
		}
	}
	if !strings.Contains(locationStaysHere("/\t/evil.example"), "//") {
		t.Errorf("a tab is not dropped as a browser does")
	}
}
