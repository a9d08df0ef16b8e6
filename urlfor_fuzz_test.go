package flasky_test

import (
	"bufio"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// seen is what the round-trip handler reports about its request.
type seen struct {
	endpoint string
	params   map[string]string
	args     url.Values
}

type seenKey struct{}

// roundTripApp has one rule per converter (and a few mixed ones); every
// handler reports its endpoint, params and query through the request's
// context, so nothing is lost to an encoding.
func roundTripApp() *flasky.App {
	app := roundTripRulesApp(roundTripRules)
	// Rule defaults: page 1 is /d/, any other page /d/page/<page>.
	app.Route("/d/", seenHandler).SetEndpoint("dflt").SetDefaults(flasky.M{"page": 1})
	app.Route("/d/page/<int:page>", seenHandler).SetEndpoint("dflt")
	return app
}

// seenHandler reports its endpoint, params and query into the seen of
// the request's context.
func seenHandler(c *flasky.Ctx) error {
	s := c.Context().Value(seenKey{}).(*seen)
	s.endpoint = c.Endpoint()
	s.params = c.Params()
	s.args = url.Values{}
	for k, v := range c.Args.All() {
		s.args[k] = append([]string(nil), v...)
	}
	return c.NoContent()
}

func roundTripRulesApp(rules []struct{ endpoint, rule string }) *flasky.App {
	app := flasky.New()
	app.Logger = discardLogger()
	for _, r := range rules {
		app.Route(r.rule, seenHandler).SetEndpoint(r.endpoint)
	}
	return app
}

// Two <path:> variables get apps of their own: /<path:a>/<path:b>
// matches any path of two segments or more, so beside the rules above
// it would take (rightly, as in Werkzeug) URLs built for rules that
// Werkzeug tries first, and the reverse. The second app has both, since
// a URL built for /x/<path:a>/y/<path:b>/ may reach the other.
var (
	twoPathRules = []struct{ endpoint, rule string }{{"twopath", "/<path:a>/<path:b>"}}
	xyRules      = []struct{ endpoint, rule string }{{"xy", "/x/<path:a>/y/<path:b>/"}, {"twopath", "/<path:a>/<path:b>"}}
)

var roundTripRules = []struct{ endpoint, rule string }{
	{"str", "/s/<name>"},
	{"str2", "/s2/<string:name>"},
	{"int", "/i/<int:id>"},
	{"sint", "/si/<int(signed=True):id>"},
	{"fixed", "/y/<int(fixed_digits=4):year>"},
	{"float", "/f/<float:x>"},
	{"sfloat", "/sf/<float(signed=True):x>"},
	{"path", "/p/<path:rest>"},
	{"uuid", "/u/<uuid:id>"},
	{"any", "/a/<any(red,'x y',blue,홍):c>"},
	{"len", "/l/<string(length=3):code>"},
	{"multi", "/m/<a>/<int:b>/<float:c>/<any(on,off):d>/<path:e>"},
	{"static", "/정적 page/<a>/x"},
	{"slugjson", "/j/<slug>.json"},
	{"version", "/v<int:major>.<int:minor>"},
	{"pathedit", "/pe/<path:page>/edit"},
	// ':' and '*' in static text, which httprouter would read as
	// wildcards: flasky matches these rules itself.
	{"colon", "/User:<name>"},
	{"star", "/files/*/<name>"},
	{"colonstar", "/a:<x>*<y>"},
	// <path:> followed by static text or another variable (two <path:>s
	// are in twoPathRules and xyRules).
	{"pathjson", "/q/<path:a>.json"},
	{"pathvar", "/r/<path:a>/<b>"},
	{"pathint", "/n/<path:a>:<int:n>"},
	{"stars", "/w/*/<path:a>/*"},
}

// checkFloatParam reports whether a float value built from want reads as
// the float converter takes it (digits '.' digits, never an exponent) and
// parses back to exactly want.
func checkFloatParam(got string, want float64) bool {
	if strings.ContainsAny(got, "eE") || !strings.Contains(got, ".") {
		return false
	}
	f, err := strconv.ParseFloat(got, 64)
	return err == nil && f == want
}

// pathValueOK is what Werkzeug's [^/].*? takes whole: any first
// character but '/' (a line break too), then any but a line break ('.').
func pathValueOK(v string) bool {
	return v != "" && v[0] != '/' && !strings.Contains(v[1:], "\n")
}

// requestFor parses a built URL the way a server parses a request line.
func requestFor(t *testing.T, built string, s *seen) *http.Request {
	t.Helper()
	raw := "GET " + built + " HTTP/1.1\r\nHost: example.com\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("URLFor built %q, which is not a valid request target: %v", built, err)
	}
	req.RemoteAddr = "192.0.2.1:1234"
	return req.WithContext(context.WithValue(context.Background(), seenKey{}, s))
}

func FuzzURLForRoundTrip(f *testing.F) {
	// s: string-ish values, p: path values, n: ints, x: floats,
	// key/val: an extra query parameter.
	f.Add("abc", "a/b/c", int64(42), 1.5, "q", "1")
	f.Add("홍길동", "문서/홍길동 이력서.pdf", int64(0), 0.0, "검색", "한국어 값")
	f.Add("a b", "a b/c d", int64(7), 100.0, "with space", "x y")
	f.Add("100%", "50%/off%", int64(2024), 0.25, "%", "%25")
	f.Add("what?", "a?b/c?", int64(-5), -1.5, "?", "?")
	f.Add("#frag", "#/#", int64(123456789), 1e21, "#", "#x")
	f.Add("a+b", "a+b/+", int64(99999), 5e-324, "+", "a+b")
	f.Add("x y", "a//b", int64(1), 0.1, "next", "/s/x")
	f.Add("red", "a/", int64(10000), 1e-7, "", "empty key")
	f.Add("x y", "./..", int64(-9223372036854775808), math.MaxFloat64, "a;b", "c;d")
	f.Add("abc", "..", int64(999999999999999999), math.Copysign(0, -1), "&", "=")
	f.Add("a8098c1a-f86e-11da-bd1a-00112444be1e", "a\\b", int64(3), 3.0, "name", "x")
	f.Add("A8098C1A-F86E-11DA-BD1A-00112444BE1E", "\x00/\xff", int64(12), 2.5, "\xff", "\x00")
	f.Add("홍", "%2F", int64(1), 1.0, "a", "")
	f.Add(".", "-", int64(5), 12.0, "q", "a&b=c")
	f.Add("\\", "a/b\\c", int64(5), 12.0, "=", "==")
	f.Add("<script>", "<script>/x", int64(5), 12.0, "<", ">")
	f.Add("off", "on/off", int64(-1), math.Inf(1), "b", "x")
	f.Add("x y", "x", int64(0), math.NaN(), "c", "x")
	// ':' and '*' in values next to the same in static text, <path:>
	// values that Werkzeug's expression splits elsewhere, a b ending in
	// '/' for /x/<path:a>/y/<path:b>/, and a query key that is dflt's
	// variable.
	f.Add("1*2", "a/b/", int64(5), 1.5, "page", "2*3")
	f.Add("q/y", "y/B", int64(7), 2.5, "q", "*")
	f.Add("a:b", "x:1:2", int64(3), 0.5, ":", "a:*")
	f.Add("*", "*/*/", int64(1), 1.5, "*", "**")
	f.Add("a.json", "x.json/y/z.json", int64(12), 1.5, "b", "y")
	f.Add("c", "a/y/b/y/c/", int64(0), 1.0, "a", "b")
	// A line break may start a <path:> value, not follow its first
	// character: /a/b/%0Ac is a=a/b, b=\nc.
	f.Add("\nc", "a/b", int64(1), 1.5, "k", "v")

	app, twoApp, xyApp := roundTripApp(), roundTripRulesApp(twoPathRules), roundTripRulesApp(xyRules)
	f.Fuzz(func(t *testing.T, s, p string, n int64, x float64, key, val string) {
		type tcase struct {
			endpoint string
			params   flasky.M
			want     map[string]func(string) bool
			mustOK   bool       // URLFor must succeed: every value is valid
			lists    url.Values // query values given as slices
		}
		// A splitCase is a case whose URL the rule may split elsewhere.
		type splitCase struct {
			tcase
			// joint, when set, must hold of the matched values together:
			// where Werkzeug's expression splits the URL elsewhere than
			// the values given, what they add up to still comes back.
			joint func(got map[string]string) bool
			// reach is the endpoint the built URL reaches when it is not
			// tc.endpoint: Werkzeug builds some URLs that its own rule
			// cannot match and another rule does.
			reach string
			app   *flasky.App // nil: the app of roundTripRules
		}
		eq := func(w string) func(string) bool { return func(g string) bool { return g == w } }
		// exactIf: the value given comes back when cond holds; otherwise
		// only the joint check speaks for it.
		exactIf := func(cond bool, w string) func(string) bool {
			if cond {
				return eq(w)
			}
			return func(string) bool { return true }
		}
		nstr := strconv.FormatInt(n, 10)
		fixed := nstr
		if n >= 0 && len(fixed) < 4 {
			fixed = strings.Repeat("0", 4-len(fixed)) + fixed
		}
		strOK := s != "" && !strings.Contains(s, "/")
		pathOK, sPathOK := pathValueOK(p), pathValueOK(s) // s as a <path:> value too
		valOK := val != "" && !strings.Contains(val, "/") // val as a string value
		pNoSlash, sNoSlash, valNoStar := !strings.Contains(p, "/"), !strings.Contains(s, "/"), !strings.Contains(val, "*")
		join := func(sep string, names ...string) func(map[string]string) string {
			return func(got map[string]string) string {
				vs := make([]string, len(names))
				for i, n := range names {
					vs[i] = got[n]
				}
				return strings.Join(vs, sep)
			}
		}
		// jointEq: the values joined by sep equal want.
		jointEq := func(want, sep string, names ...string) func(map[string]string) bool {
			j := join(sep, names...)
			return func(got map[string]string) bool { return j(got) == want }
		}
		// /x/<path:a>/y/<path:b>/ with b ending in '/' builds a URL ending
		// in "//", which its (?<!/)(/?) refuses: Werkzeug matches it with
		// /<path:a>/<path:b>. Where a splits it depends on line breaks,
		// which '.' does not take (a = "x" without one, as Werkzeug 3.1
		// does): the two values still make the whole path.
		xyCase := func(a, b string, aNoSlash bool) splitCase {
			mustOK := pathValueOK(a) && pathValueOK(b)
			if strings.HasSuffix(b, "/") {
				anyValue := func(string) bool { return true }
				return splitCase{tcase{"xy", flasky.M{"a": a, "b": b}, map[string]func(string) bool{
					"a": anyValue, "b": anyValue,
				}, mustOK, nil}, jointEq("x/"+a+"/y/"+b+"/", "/", "a", "b"), "twopath", xyApp}
			}
			// a is the shortest text before a "/y/": the value given when
			// it holds no '/'.
			return splitCase{tcase{"xy", flasky.M{"a": a, "b": b}, map[string]func(string) bool{
				"a": exactIf(aNoSlash, a), "b": exactIf(aNoSlash, b),
			}, mustOK, nil}, jointEq(a+"/y/"+b, "/y/", "a", "b"), "", xyApp}
		}
		floatOK := !math.IsNaN(x) && !math.IsInf(x, 0)
		// Text in an <int:> or <float:> is read as Werkzeug's int() and
		// float() read it: "03" is built as 3, "1" as 1.0.
		intText := func(g string) bool {
			a, errA := strconv.ParseInt(s, 10, 64)
			return g == s || errA == nil && g == strconv.FormatInt(a, 10)
		}
		floatText := func(g string) bool {
			f, err := strconv.ParseFloat(s, 64)
			return g == s || err == nil && checkFloatParam(g, f)
		}
		posFloat := floatOK && (x > 0 || (x == 0 && !math.Signbit(x)))
		cases := []tcase{
			{"str", flasky.M{"name": s}, map[string]func(string) bool{"name": eq(s)}, strOK, nil},
			{"str2", flasky.M{"name": s}, map[string]func(string) bool{"name": eq(s)}, strOK, nil},
			{"int", flasky.M{"id": n}, map[string]func(string) bool{"id": eq(nstr)}, n >= 0, nil},
			{"int", flasky.M{"id": s}, map[string]func(string) bool{"id": intText}, false, nil},
			{"sint", flasky.M{"id": n}, map[string]func(string) bool{"id": eq(nstr)}, true, nil},
			{"fixed", flasky.M{"year": n}, map[string]func(string) bool{"year": eq(fixed)}, n >= 0 && n < 10000, nil},
			{"float", flasky.M{"x": x}, map[string]func(string) bool{"x": func(g string) bool { return checkFloatParam(g, x) }}, posFloat, nil},
			{"sfloat", flasky.M{"x": x}, map[string]func(string) bool{"x": func(g string) bool { return checkFloatParam(g, x) }}, floatOK, nil},
			{"float", flasky.M{"x": s}, map[string]func(string) bool{"x": floatText}, false, nil},
			{"path", flasky.M{"rest": p}, map[string]func(string) bool{"rest": eq(p)}, pathOK, nil},
			{"uuid", flasky.M{"id": s}, map[string]func(string) bool{"id": eq(s)}, false, nil},
			{"any", flasky.M{"c": s}, map[string]func(string) bool{"c": eq(s)}, s == "red" || s == "x y" || s == "blue" || s == "홍", nil},
			{"len", flasky.M{"code": s}, map[string]func(string) bool{"code": eq(s)}, strOK && len([]rune(s)) == 3, nil},
			{"multi", flasky.M{"a": s, "b": n, "c": x, "d": "on", "e": p}, map[string]func(string) bool{
				"a": eq(s), "b": eq(nstr), "c": func(g string) bool { return checkFloatParam(g, x) }, "d": eq("on"), "e": eq(p),
			}, strOK && n >= 0 && posFloat && pathOK, nil},
			{"static", flasky.M{"a": s}, map[string]func(string) bool{"a": eq(s)}, strOK, nil},
			// Rules httprouter cannot carry, matched by flasky's own
			// splitting: what URLFor builds comes back whole.
			{"slugjson", flasky.M{"slug": s}, map[string]func(string) bool{"slug": eq(s)}, strOK, nil},
			{"version", flasky.M{"major": n, "minor": n}, map[string]func(string) bool{"major": eq(nstr), "minor": eq(nstr)}, n >= 0, nil},
			{"pathedit", flasky.M{"page": p}, map[string]func(string) bool{"page": eq(p)}, pathOK, nil},
			// ':' and '*' in static text; '*' and ':' in values stay
			// unescaped, as in Werkzeug.
			{"colon", flasky.M{"name": s}, map[string]func(string) bool{"name": eq(s)}, strOK, nil},
			{"star", flasky.M{"name": s}, map[string]func(string) bool{"name": eq(s)}, strOK, nil},
			// A <path:> followed by static text or a variable: [^/].*? is
			// lazy but what follows is anchored, so the value comes back.
			{"pathjson", flasky.M{"a": p}, map[string]func(string) bool{"a": eq(p)}, pathOK, nil},
			{"pathvar", flasky.M{"a": p, "b": s}, map[string]func(string) bool{"a": eq(p), "b": eq(s)}, pathOK && strOK, nil},
			{"pathint", flasky.M{"a": p, "n": n}, map[string]func(string) bool{"a": eq(p), "n": eq(nstr)}, pathOK && n >= 0, nil},
			{"stars", flasky.M{"a": p}, map[string]func(string) bool{"a": eq(p)}, pathOK, nil},
			{"dflt", flasky.M{"page": n}, map[string]func(string) bool{"page": eq(nstr)}, n >= 0, nil},
			{"dflt", flasky.M{}, map[string]func(string) bool{"page": eq("1")}, true, url.Values{"tags": {s, val, nstr}}},
			{"str", flasky.M{"name": s}, map[string]func(string) bool{"name": eq(s)}, strOK, url.Values{"tags": {val}, "empty": {}}},
		}
		all := []splitCase{
			// <x> is greedy: a '*' in y moves to x (/a:1*2*3 is x=1*2,
			// y=3 in Werkzeug too).
			{tcase{"colonstar", flasky.M{"x": s, "y": val}, map[string]func(string) bool{
				"x": exactIf(valNoStar, s), "y": exactIf(valNoStar, val),
			}, strOK && valOK, nil}, jointEq(s+"*"+val, "*", "x", "y"), "", nil},
			// Two <path:>s: a takes the shortest text before a '/', so
			// values come back as given only when a holds no '/'.
			{tcase{"twopath", flasky.M{"a": p, "b": s}, map[string]func(string) bool{
				"a": exactIf(pNoSlash, p), "b": exactIf(pNoSlash, s),
			}, pathOK && sPathOK, nil}, jointEq(p+"/"+s, "/", "a", "b"), "", twoApp},
			{tcase{"twopath", flasky.M{"a": s, "b": p}, map[string]func(string) bool{
				"a": exactIf(sNoSlash, s), "b": exactIf(sNoSlash, p),
			}, pathOK && sPathOK, nil}, jointEq(s+"/"+p, "/", "a", "b"), "", twoApp},
			xyCase(p, s, pNoSlash),
			xyCase(s, p, sNoSlash),
		}
		for _, tc := range cases {
			all = append(all, splitCase{tcase: tc})
		}
		for _, tc := range all {
			app := app
			if tc.app != nil {
				app = tc.app
			}
			params := flasky.M{}
			for k, v := range tc.params {
				params[k] = v
			}
			wantArgs := url.Values{}
			// A key starting with '_' is one of url_for's options
			// (TestURLForOptions), never a query key; nor is a variable
			// or default of the rule (dflt's page).
			_, isVar := params[key]
			_, isParam := tc.want[key]
			if !isVar && !isParam && !strings.HasPrefix(key, "_") {
				params[key] = val
				wantArgs[key] = []string{val}
			}
			if _, isVar := params["zz"]; !isVar && key != "zz" {
				params["zz"] = s
				wantArgs["zz"] = []string{s}
			}
			for k, list := range tc.lists {
				if k == key {
					continue
				}
				// As []any, so the slice kinds URLFor takes vary.
				elems := make([]any, len(list))
				for i, e := range list {
					elems[i] = e
				}
				params[k] = elems
				if len(list) > 0 {
					wantArgs[k] = list
				}
			}
			built, err := app.URLFor(tc.endpoint, params)
			if err != nil {
				if tc.mustOK {
					t.Fatalf("URLFor(%q, %#v) refused valid values: %v", tc.endpoint, params, err)
				}
				continue
			}
			if !strings.HasPrefix(built, "/") || strings.HasPrefix(built, "//") {
				t.Fatalf("URLFor(%q, %#v) = %q: not a path on this host", tc.endpoint, params, built)
			}
			var got seen
			w := httptest.NewRecorder()
			app.ServeHTTP(w, requestFor(t, built, &got))
			if w.Code != http.StatusNoContent {
				t.Fatalf("URLFor(%q, %#v) = %q, which answers %d, not the endpoint", tc.endpoint, params, built, w.Code)
			}
			reach := tc.endpoint
			if tc.reach != "" {
				reach = tc.reach
			}
			if got.endpoint != reach {
				t.Fatalf("URLFor(%q, %#v) = %q, which reaches endpoint %q, not %q", tc.endpoint, params, built, got.endpoint, reach)
			}
			if len(got.params) != len(tc.want) {
				t.Fatalf("URL %q: handler saw params %q, want %d of them", built, got.params, len(tc.want))
			}
			for name, ok := range tc.want {
				if !ok(got.params[name]) {
					t.Fatalf("URLFor(%q, %#v) = %q: handler saw %s=%q, not the value given", tc.endpoint, params, built, name, got.params[name])
				}
			}
			if tc.joint != nil && !tc.joint(got.params) {
				t.Fatalf("URLFor(%q, %#v) = %q: handler saw params %q, which do not add up to the values given", tc.endpoint, params, built, got.params)
			}
			if !reflect.DeepEqual(got.args, wantArgs) {
				t.Fatalf("URLFor(%q, %#v) = %q: handler saw query %q, want %q", tc.endpoint, params, built, got.args, wantArgs)
			}
			// What the handler saw builds the same URL again, whichever
			// way the rule split it.
			again := flasky.M{}
			for k, v := range got.params {
				again[k] = v
			}
			for k, v := range got.args {
				again[k] = v
			}
			rebuilt, err := app.URLFor(got.endpoint, again)
			if err != nil || rebuilt != built {
				t.Fatalf("URLFor(%q, %#v) = %q: the values matched, %q, build %q (%v)", tc.endpoint, params, built, again, rebuilt, err)
			}
		}
	})
}
