package flasky_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/flasky-go/flasky"
)

// FuzzParseRule feeds arbitrary rules to AddRoute, next to a few routes
// that share their first segments. Registration may refuse a rule, but it
// must never panic, and a rule it takes must work.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"/", "/a", "/a/", "/a/<x>", "/<a>/b", "/a/<int:x>", "/a/<path:p>", "/users/<int(min=1,max=9):id>",
		"/<any(a,b,'c d'):x>", "/y/<int(fixed_digits=4):y>/<string(length=2):cc>", "/page_<int:n>",
		"", "a", "/a/<x", "/a/x>", "/a/<foo:x>", "/a/<x>/<x>", "/a/<x>y", "/a/<path:p>/b", "/a:b", "/*", "/a/*x",
		"/<>", "/<:>", "/<int:>", "/<(:x>", "/<int(:x>", "/<int()):x>", "/<any():x>", "/<any(,):x>", "/<any(''):x>",
		"/<int(min=1e309):x>", "/<int(min=NaN):x>", "/<string(length=99999999999999999999):x>",
		"//", "///<a>", "/<a>//<b>", "/한글/<이름>", "/<path:p>", "/x/<path:p>", "/<a><b>", "/<a:b:c>",
		"/< x >", "/<int : x>", "/<uuid:u>/<float(signed=true):f>", "/\x00", "/a\\b", "/%2F", "/a?b", "/a#b",
		"/<slug>.json", "/v<int:major>.<int:minor>", "/<a>-<b>", "/files/<name>.<any(png,jpg):ext>",
		"/User:<name>", "/a*b", "/<path:page>/edit", "/<path:a>/<path:b>", "/foo/<path:p>/", "/<a>.<path:b>",
		"/<int:a><b>", "/x<string(length=2):a><int(fixed_digits=3):b>", "/<any(\"a,b\",c):x>.y", "/<x>>",
	} {
		f.Add(s, "/a/b")
	}
	f.Add("/<a>/", "//evil.example")
	f.Add("/a/<path:p>", "/a/")
	f.Add("/x", "")
	f.Add("/x", "*")
	f.Fuzz(fuzzParseRuleBody)
}

func fuzzParseRuleBody(t *testing.T, rule, path string) {
	{
		app := flasky.New()
		app.Logger = discardLogger()
		for _, r := range []string{"/", "/a/<x>", "/a/b", "/<a>/c", "/a/<path:rest>", "/users/<int:id>"} {
			app.Route(r, text(r))
		}
		r, err := app.AddRoute(rule, text("fuzzed"))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "flasky:") {
				t.Fatalf("AddRoute(%q): error %q does not start with \"flasky:\"", rule, err)
			}
		} else {
			if r.Rule() != rule {
				t.Fatalf("AddRoute(%q) registered rule %q", rule, r.Rule())
			}
			// The same rule for the same method again is truly ambiguous.
			if _, err := app.AddRoute(rule, text("again")); err == nil {
				t.Fatalf("AddRoute(%q) twice: the second was accepted", rule)
			}
			// The rule matches its own example path (an app of its own, so
			// no other rule answers first).
			own := flasky.New()
			own.Logger = discardLogger()
			own.Route(rule, text("own"))
			if ex := flasky.RuleExamplePathForTest(own, rule); ex != "" {
				req := &http.Request{Method: "GET", URL: &url.URL{Path: ex}, Header: http.Header{}, Host: "example.com", RemoteAddr: "192.0.2.1:1"}
				w := httptest.NewRecorder()
				own.ServeHTTP(w, req)
				if w.Code != 200 || w.Body.String() != "own" {
					t.Fatalf("rule %q: its example path %q answered %d %q", rule, ex, w.Code, w.Body.String())
				}
			}
			_ = app.Routes()
			_, _ = app.URLFor(r.Endpoint(), flasky.M{})
		}
		// Serving any path must not panic either.
		for _, p := range []string{path, rule} {
			req := &http.Request{Method: "GET", URL: &url.URL{Path: p}, Header: http.Header{}, Host: "example.com", RemoteAddr: "192.0.2.1:1"}
			w := httptest.NewRecorder()
			app.ServeHTTP(w, req)
			if w.Code == 0 {
				t.Fatalf("GET %q: no status", p)
			}
			if loc := w.Header().Get("Location"); loc != "" && (strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\")) {
				t.Fatalf("GET %q with rule %q: redirect to %q leaves the host", p, rule, loc)
			}
		}
	}
}

var longDigits = regexp.MustCompile(`\d{19}`)

// FuzzComplexRuleSplit: a rule httprouter cannot carry splits a path
// between its variables exactly as the regular expression Werkzeug
// compiles for it does (built here with Go's regexp from the same
// pieces: [^/]+, \d+, \d+\.\d+, [^/].*? and alternations).
func FuzzComplexRuleSplit(f *testing.F) {
	rules := []struct{ rule, re string }{
		{"/<a>-<b>", `^/([^/]+)-([^/]+)$`},
		{"/<int:a><b>", `^/(\d+)([^/]+)$`},
		{"/v<int:major>.<int:minor>", `^/v(\d+)\.(\d+)$`},
		{"/<path:a>/<path:b>", `^/([^/].*?)/([^/].*?)$`},
		{"/<path:page>/edit", `^/([^/].*?)/edit$`},
		{"/f/<name>.<any(tar,tar.gz,gz):ext>", `^/f/([^/]+)\.((?:tar|tar\.gz|gz))$`},
		{"/<float:x>x<string(length=2):y>", `^/(\d+\.\d+)x([^/]{2})$`},
	}
	for _, p := range []string{"/a-b-c", "/12x", "/123", "/v1.2", "/a/b/c", "/x/y/edit", "/f/a.tar.gz", "/f/a.b.gz", "/1.5x한국", "/1.25xab", "/-", "/v1.2.3",
		// A line break may start a <path:> value ([^/]) but not follow
		// its first character ('.'): the split moves past it.
		"/a/b/\nc", "/\n/x", "/a\n/b", "/\n\n/edit", "/x\n-y"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if !strings.HasPrefix(path, "/") || !utf8.ValidString(path) || strings.ContainsAny(path, "?#%") {
			return
		}
		if longDigits.MatchString(path) {
			return // an int beyond int64 is a 404 by design, where Werkzeug takes it
		}
		for _, r := range rules {
			app := flasky.New()
			var got []string
			app.Route(r.rule, func(c *flasky.Ctx) error {
				for _, v := range []string{"a", "b", "major", "minor", "page", "name", "ext", "x", "y"} {
					if s := c.Param(v); s != "" {
						got = append(got, s)
					}
				}
				return c.NoContent()
			})
			w := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "http://x/", nil)
			req.URL.Path = path
			app.ServeHTTP(w, req)
			m := regexp.MustCompile(r.re).FindStringSubmatch(path)
			if (m != nil) != (w.Code == 204) {
				t.Fatalf("%s on %q: regexp match %v, flasky answered %d", r.rule, path, m != nil, w.Code)
			}
			if m != nil && strings.Join(got, "\x00") != strings.Join(m[1:], "\x00") {
				t.Fatalf("%s on %q: flasky split %q, the regexp %q", r.rule, path, got, m[1:])
			}
		}
	})
}
