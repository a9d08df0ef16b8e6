package flasky_test

// Werkzeug's routing tests, ported: each case registers its rules in the
// given order and requests paths; the expected endpoint and values are
// what werkzeug.routing.Map(rules).bind("localhost").match(path) gives
// (Werkzeug 3.1), checked with Werkzeug itself. "308 /x" is Werkzeug's
// RequestRedirect to /x.

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

type wzRule struct {
	rule, endpoint string
	methods        []string
}

type wzReq struct {
	method, path string
	want         string   // endpoint, "404", "405" or "308 location"
	values       flasky.M // the rule's values as text
}

type wzCase struct {
	name  string
	rules []wzRule
	reqs  []wzReq
}

func runWerkzeugCases(t *testing.T, cases []wzCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp()
			for _, r := range tc.rules {
				ep := r.endpoint
				if _, err := app.AddRoute(r.rule, func(c *flasky.Ctx) error {
					return c.String(ep + "\n" + formatValues(c.Params()))
				}, r.methods...); err != nil {
					t.Fatalf("AddRoute(%q): %v", r.rule, err)
				}
			}
			for _, rq := range tc.reqs {
				checkWerkzeugReq(t, app, rq)
			}
		})
	}
}

// checkWerkzeugReq sends one request and compares the answer with what
// Werkzeug's match gives.
func checkWerkzeugReq(t *testing.T, app *flasky.App, rq wzReq) {
	t.Helper()
	req := httptest.NewRequest(rq.method, "http://localhost"+rq.path, nil)
	w := httptest.NewRecorder()
	app.ServeHTTP(w, req)
	got := w.Body.String()
	switch {
	case rq.want == "404" || rq.want == "405":
		if code := http.StatusText(w.Code); w.Code != map[string]int{"404": 404, "405": 405}[rq.want] {
			t.Errorf("%s %s = %d %s %q, want %s", rq.method, rq.path, w.Code, code, got, rq.want)
		}
	case strings.HasPrefix(rq.want, "308 "):
		if w.Code != 308 || w.Header().Get("Location") != rq.want[4:] {
			t.Errorf("%s %s = %d to %q, want %s", rq.method, rq.path, w.Code, w.Header().Get("Location"), rq.want)
		}
	default:
		want := make(map[string]string, len(rq.values))
		for k, v := range rq.values {
			want[k] = v.(string)
		}
		if exp := rq.want + "\n" + formatValues(want); w.Code != 200 || got != exp {
			t.Errorf("%s %s = %d %q, want 200 %q", rq.method, rq.path, w.Code, got, exp)
		}
	}
}

func formatValues(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + m[k] + ";")
	}
	return b.String()
}

// TestWerkzeugBasicRouting mirrors Werkzeug's test_basic_routing: static rules, a trailing-slash rule and its redirect.
func TestWerkzeugBasicRouting(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"basic", []wzRule{{"/", "index", nil}, {"/foo", "foo", nil}, {"/bar/", "bar", nil}}, []wzReq{
			{"GET", "/", "index", flasky.M{}},
			{"GET", "/foo", "foo", flasky.M{}},
			{"GET", "/bar/", "bar", flasky.M{}},
			{"GET", "/bar", "308 /bar/", nil},
			{"GET", "/blub", "404", nil},
			{"GET", "/foo/", "404", nil},
		}},
	})
}

// TestWerkzeugPath mirrors Werkzeug's test_path: a wiki's rules with <path:> before static text, ':' in static text and two variables in a segment (the defaults rule of the original is left out).
func TestWerkzeugPath(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"wiki", []wzRule{{"/", "front", nil}, {"/Special", "special", nil}, {"/<int:year>", "year", nil}, {"/<path:name>:foo", "foopage", nil}, {"/<path:name>:<path:name2>", "twopage", nil}, {"/<path:name>", "page", nil}, {"/<path:name>/edit", "editpage", nil}, {"/<path:name>/silly/<path:name2>", "sillypage", nil}, {"/<path:name>/silly/<path:name2>/edit", "editsillypage", nil}, {"/Talk:<path:name>", "talk", nil}, {"/User:<username>", "user", nil}, {"/User:<username>/<path:name>", "userpage", nil}, {"/User:<username>/comment/<int:id>-<int:replyId>", "usercomment", nil}, {"/Files/<path:file>", "files", nil}, {"/<admin>/<manage>/<things>", "admin", nil}}, []wzReq{
			{"GET", "/", "front", flasky.M{}},
			{"GET", "/Special", "special", flasky.M{}},
			{"GET", "/2007", "year", flasky.M{"year": "2007"}},
			{"GET", "/Some:foo", "foopage", flasky.M{"name": "Some"}},
			{"GET", "/Some:bar", "twopage", flasky.M{"name": "Some", "name2": "bar"}},
			{"GET", "/Some/Page", "page", flasky.M{"name": "Some/Page"}},
			{"GET", "/Some/Page/edit", "editpage", flasky.M{"name": "Some/Page"}},
			{"GET", "/Foo/silly/bar", "sillypage", flasky.M{"name": "Foo", "name2": "bar"}},
			{"GET", "/Foo/silly/bar/edit", "editsillypage", flasky.M{"name": "Foo", "name2": "bar"}},
			{"GET", "/Talk:Foo/Bar", "talk", flasky.M{"name": "Foo/Bar"}},
			{"GET", "/User:thomas", "user", flasky.M{"username": "thomas"}},
			{"GET", "/User:thomas/projects/werkzeug", "userpage", flasky.M{"name": "projects/werkzeug", "username": "thomas"}},
			{"GET", "/User:thomas/comment/123-456", "usercomment", flasky.M{"id": "123", "replyId": "456", "username": "thomas"}},
			{"GET", "/Files/downloads/werkzeug/0.2.zip", "files", flasky.M{"file": "downloads/werkzeug/0.2.zip"}},
			{"GET", "/Jerry/eats/cheese", "admin", flasky.M{"admin": "Jerry", "manage": "eats", "things": "cheese"}},
		}},
	})
}

// TestWerkzeugGreedy mirrors Werkzeug's test_greedy: a static rule beside one and two <path:> variables.
func TestWerkzeugGreedy(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"greedy", []wzRule{{"/foo", "foo", nil}, {"/<path:bar>", "bar", nil}, {"/<path:bar>/<path:blub>", "barblub", nil}}, []wzReq{
			{"GET", "/foo", "foo", flasky.M{}},
			{"GET", "/blub", "bar", flasky.M{"bar": "blub"}},
			{"GET", "/he/he", "barblub", flasky.M{"bar": "he", "blub": "he"}},
			{"GET", "/a/b/c", "barblub", flasky.M{"bar": "a", "blub": "b/c"}},
			{"GET", "/foo/x", "barblub", flasky.M{"bar": "foo", "blub": "x"}},
		}},
	})
}

// TestWerkzeugPathConverterAnywhere checks <path:> before static text, twice in a rule and before a trailing slash.
func TestWerkzeugPathConverterAnywhere(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"path then static", []wzRule{{"/<path:page>/edit", "edit", nil}, {"/<path:page>", "page", nil}}, []wzReq{
			{"GET", "/a/edit", "edit", flasky.M{"page": "a"}},
			{"GET", "/a/b/edit", "edit", flasky.M{"page": "a/b"}},
			{"GET", "/edit", "page", flasky.M{"page": "edit"}},
			{"GET", "/a/edit/x", "page", flasky.M{"page": "a/edit/x"}},
			{"GET", "/a/b", "page", flasky.M{"page": "a/b"}},
			{"GET", "/a/edit/edit", "edit", flasky.M{"page": "a/edit"}},
		}},
		{"two paths", []wzRule{{"/<path:a>/<path:b>", "two", nil}}, []wzReq{
			{"GET", "/x/y", "two", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/x/y/z", "two", flasky.M{"a": "x", "b": "y/z"}},
			{"GET", "/x", "404", nil},
			{"GET", "/x//y", "two", flasky.M{"a": "x/", "b": "y"}},
		}},
		// [^/].*? takes a line break as its first character, and none
		// after it: the split moves on to a value that starts with one.
		{"line breaks", []wzRule{{"/<path:a>/<path:b>", "two", nil}, {"/p/<path:rest>", "p", nil}}, []wzReq{
			{"GET", "/a/b/%0Ac", "two", flasky.M{"a": "a/b", "b": "\nc"}},
			{"GET", "/%0A/x", "two", flasky.M{"a": "\n", "b": "x"}},
			{"GET", "/p/%0Ax", "p", flasky.M{"rest": "\nx"}},
			{"GET", "/p/x%0Ay", "404", nil},
			{"GET", "/a%0A/b", "404", nil},
		}},
		{"path with trailing slash", []wzRule{{"/foo/<path:p>/", "p", nil}}, []wzReq{
			{"GET", "/foo/a/", "p", flasky.M{"p": "a"}},
			{"GET", "/foo/a/b/", "p", flasky.M{"p": "a/b"}},
			{"GET", "/foo/a//", "308 /foo/a/", nil},
			{"GET", "/foo/a", "308 /foo/a/", nil},
		}},
		{"path between statics", []wzRule{{"/docs/<path:p>/v<int:n>", "doc", nil}, {"/docs/<path:p>", "docs", nil}}, []wzReq{
			{"GET", "/docs/a/b/v2", "doc", flasky.M{"n": "2", "p": "a/b"}},
			{"GET", "/docs/a/v2x", "docs", flasky.M{"p": "a/v2x"}},
			{"GET", "/docs/v2", "docs", flasky.M{"p": "v2"}},
			{"GET", "/docs/a/v2/v3", "doc", flasky.M{"n": "3", "p": "a/v2"}},
		}},
	})
}

// TestWerkzeugSeveralVariablesInOneSegment checks variables followed by static text or another variable in one segment.
func TestWerkzeugSeveralVariablesInOneSegment(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"slug json", []wzRule{{"/<slug>.json", "json", nil}, {"/<name>", "name", nil}}, []wzReq{
			{"GET", "/post.json", "json", flasky.M{"slug": "post"}},
			{"GET", "/post", "name", flasky.M{"name": "post"}},
			{"GET", "/a.b.json", "json", flasky.M{"slug": "a.b"}},
			{"GET", "/.json", "name", flasky.M{"name": ".json"}},
			{"GET", "/x.json/", "404", nil},
		}},
		{"version", []wzRule{{"/v<int:major>.<int:minor>", "version", nil}}, []wzReq{
			{"GET", "/v1.2", "version", flasky.M{"major": "1", "minor": "2"}},
			{"GET", "/v10.20", "version", flasky.M{"major": "10", "minor": "20"}},
			{"GET", "/v1", "404", nil},
			{"GET", "/v1.x", "404", nil},
			{"GET", "/vx.2", "404", nil},
		}},
		{"dash", []wzRule{{"/<a>-<b>", "dash", nil}}, []wzReq{
			{"GET", "/x-y", "dash", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/x-y-z", "dash", flasky.M{"a": "x-y", "b": "z"}},
			{"GET", "/-y", "404", nil},
			{"GET", "/x-", "404", nil},
		}},
		{"page", []wzRule{{"/page_<int:n>", "page", nil}, {"/page_<name>", "pagename", nil}}, []wzReq{
			{"GET", "/page_3", "page", flasky.M{"n": "3"}},
			{"GET", "/page_x", "pagename", flasky.M{"name": "x"}},
			{"GET", "/page_", "404", nil},
		}},
		{"any extension", []wzRule{{"/files/<name>.<any(png,jpg):ext>", "img", nil}, {"/files/<name>", "file", nil}}, []wzReq{
			{"GET", "/files/cat.png", "img", flasky.M{"ext": "png", "name": "cat"}},
			{"GET", "/files/cat.jpg", "img", flasky.M{"ext": "jpg", "name": "cat"}},
			{"GET", "/files/cat.gif", "file", flasky.M{"name": "cat.gif"}},
			{"GET", "/files/a.b.png", "img", flasky.M{"ext": "png", "name": "a.b"}},
		}},
		{"adjacent", []wzRule{{"/<int:a><b>", "ab", nil}}, []wzReq{
			{"GET", "/12x", "ab", flasky.M{"a": "12", "b": "x"}},
			{"GET", "/1x", "ab", flasky.M{"a": "1", "b": "x"}},
			{"GET", "/x", "404", nil},
		}},
		{"float and int", []wzRule{{"/n<float:f>-<int:i>", "fi", nil}}, []wzReq{
			{"GET", "/n1.5-2", "fi", flasky.M{"f": "1.5", "i": "2"}},
			{"GET", "/n1-2", "404", nil},
		}},
	})
}

// TestWerkzeugColonAndStarInStaticText checks ':' and '*' in static text (httprouter's wildcard characters).
func TestWerkzeugColonAndStarInStaticText(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"colon", []wzRule{{"/User:<name>", "user", nil}, {"/a:b", "ab", nil}, {"/<x>", "x", nil}}, []wzReq{
			{"GET", "/User:bob", "user", flasky.M{"name": "bob"}},
			{"GET", "/a:b", "ab", flasky.M{}},
			{"GET", "/User:", "x", flasky.M{"x": "User:"}},
			{"GET", "/a:c", "x", flasky.M{"x": "a:c"}},
		}},
		{"star", []wzRule{{"/a*b", "star", nil}, {"/a/*x", "starx", nil}, {"/<x>", "x", nil}}, []wzReq{
			{"GET", "/a*b", "star", flasky.M{}},
			{"GET", "/a/*x", "starx", flasky.M{}},
			{"GET", "/ab", "x", flasky.M{"x": "ab"}},
			{"GET", "/a/y", "404", nil},
		}},
	})
}

// TestWerkzeugRuleWeighting checks that when several rules match, the one Werkzeug's matcher reaches first answers.
func TestWerkzeugRuleWeighting(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"static before dynamic", []wzRule{{"/<a>/<b>", "vars", nil}, {"/x.<b>/y", "mixed", nil}, {"/x.json/<b>", "static", nil}}, []wzReq{
			{"GET", "/x.json/y", "static", flasky.M{"b": "y"}},
			{"GET", "/x.json/z", "static", flasky.M{"b": "z"}},
			{"GET", "/x.html/y", "mixed", flasky.M{"b": "html"}},
			{"GET", "/q/y", "vars", flasky.M{"a": "q", "b": "y"}},
		}},
		{"more static text first", []wzRule{{"/<a>.json", "short", nil}, {"/<a>.min.json", "long", nil}}, []wzReq{
			{"GET", "/x.min.json", "long", flasky.M{"a": "x"}},
			{"GET", "/x.json", "short", flasky.M{"a": "x"}},
		}},
		{"more static pieces first", []wzRule{{"/<a>", "one", nil}, {"/<a>-<b>", "two", nil}, {"/p<a>-<b>", "three", nil}}, []wzReq{
			{"GET", "/pq-r", "three", flasky.M{"a": "q", "b": "r"}},
			{"GET", "/q-r", "two", flasky.M{"a": "q", "b": "r"}},
			{"GET", "/q", "one", flasky.M{"a": "q"}},
		}},
		{"int before string in a segment", []wzRule{{"/<a>.json", "str", nil}, {"/<int:a>.json", "int", nil}}, []wzReq{
			{"GET", "/1.json", "int", flasky.M{"a": "1"}},
			{"GET", "/x.json", "str", flasky.M{"a": "x"}},
		}},
		{"more variables first", []wzRule{{"/<a>.<b>", "two", nil}, {"/<a>.json", "onejson", nil}}, []wzReq{
			{"GET", "/x.json", "onejson", flasky.M{"a": "x"}},
			{"GET", "/x.y", "two", flasky.M{"a": "x", "b": "y"}},
		}},
		{"string vs path in a segment", []wzRule{{"/<path:p>.html", "path", nil}, {"/<s>.html", "str", nil}}, []wzReq{
			{"GET", "/x.html", "str", flasky.M{"s": "x"}},
			{"GET", "/x/y.html", "path", flasky.M{"p": "x/y"}},
		}},
		{"path vs string segments", []wzRule{{"/<path:p>", "path", nil}, {"/<a>/<b>", "ab", nil}}, []wzReq{
			{"GET", "/x/y", "ab", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/x", "path", flasky.M{"p": "x"}},
			{"GET", "/x/y/z", "path", flasky.M{"p": "x/y/z"}},
		}},
		{"uuid and string in order", []wzRule{{"/u<uuid:u>", "uuid", nil}, {"/u<s>", "str", nil}}, []wzReq{
			{"GET", "/u12345678-1234-1234-1234-123456789abc", "uuid", flasky.M{"u": "12345678-1234-1234-1234-123456789abc"}},
			{"GET", "/ux", "str", flasky.M{"s": "x"}},
		}},
		{"any and string registered first wins", []wzRule{{"/<s>.txt", "str", nil}, {"/<any(a,b):s>.txt", "any", nil}}, []wzReq{
			{"GET", "/a.txt", "str", flasky.M{"s": "a"}},
			{"GET", "/c.txt", "str", flasky.M{"s": "c"}},
		}},
	})
}

// TestWerkzeugMethodFallback checks that a rule refusing the method gives way to the next matching rule, and a 405 lists nothing twice.
func TestWerkzeugMethodFallback(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"methods", []wzRule{{"/x.<fmt>", "get", []string{"GET"}}, {"/<a>.json", "post", []string{"POST"}}}, []wzReq{
			{"GET", "/x.json", "get", flasky.M{"fmt": "json"}},
			{"POST", "/x.json", "post", flasky.M{"a": "x"}},
			{"PUT", "/x.json", "405", nil},
			{"PUT", "/y.json", "405", nil},
		}},
	})
}

// TestWerkzeugOrderAcrossKinds checks Werkzeug's order between rules
// httprouter carries and rules flasky matches itself, and inside one
// httprouter pattern, whatever the registration order.
func TestWerkzeugOrderAcrossKinds(t *testing.T) {
	runWerkzeugCases(t, []wzCase{
		{"int segment first", []wzRule{{"/<int:a>/<b>", "ia", nil}, {"/<a>/<int:b>", "ib", nil}}, []wzReq{
			{"GET", "/1/2", "ia", flasky.M{"a": "1", "b": "2"}},
			{"GET", "/x/2", "ib", flasky.M{"a": "x", "b": "2"}},
			{"GET", "/1/x", "ia", flasky.M{"a": "1", "b": "x"}},
		}},
		{"int segment first, registered last", []wzRule{{"/<a>/<int:b>", "ib", nil}, {"/<int:a>/<b>", "ia", nil}}, []wzReq{
			{"GET", "/1/2", "ia", flasky.M{"a": "1", "b": "2"}},
		}},
		{"static segment beats a complex rule", []wzRule{{"/<x>/b.<y>", "xy", nil}, {"/a/<path:p>", "p", nil}}, []wzReq{
			{"GET", "/a/b.c", "p", flasky.M{"p": "b.c"}},
			{"GET", "/z/b.c", "xy", flasky.M{"x": "z", "y": "c"}},
		}},
		{"more variables beat a plain variable", []wzRule{{"/<a>", "a", nil}, {"/<a>.<b>", "ab", nil}}, []wzReq{
			{"GET", "/x.y", "ab", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/xy", "a", flasky.M{"a": "xy"}},
		}},
		{"segment rule beats a catch-all", []wzRule{{"/p/<path:rest>", "rest", nil}, {"/p/<a>.<b>", "ab", nil}}, []wzReq{
			{"GET", "/p/x.y", "ab", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/p/x/y", "rest", flasky.M{"rest": "x/y"}},
		}},
	})
}

// wzSlashRule is a rule with Werkzeug's slash arguments: opts holds
// "strict_slashes=False", "merge_slashes=False" (or =True), separated by
// spaces, as written in Rule(...).
type wzSlashRule struct {
	rule, endpoint, opts string
	methods              []string
}

// wzBuild is a call of Werkzeug's build and the URL it returns.
type wzBuild struct {
	endpoint string
	values   flasky.M
	want     string
}

// wzSlashCase is a Map(rules, mapOpts): mapOpts are its strict_slashes=
// and merge_slashes=, set with App.SetStrictSlashes and
// App.SetMergeSlashes before the rules are registered.
type wzSlashCase struct {
	name    string
	mapOpts string
	rules   []wzSlashRule
	reqs    []wzReq
	builds  []wzBuild
}

func runWerkzeugSlashCases(t *testing.T, cases []wzSlashCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := newTestApp()
			applySlashOpts(t, tc.mapOpts, app.SetStrictSlashes, app.SetMergeSlashes)
			for _, r := range tc.rules {
				ep := r.endpoint
				rt, err := app.AddRoute(r.rule, func(c *flasky.Ctx) error {
					return c.String(ep + "\n" + formatValues(c.Params()))
				}, r.methods...)
				if err != nil {
					t.Fatalf("AddRoute(%q): %v", r.rule, err)
				}
				rt.SetEndpoint(ep)
				applySlashOpts(t, r.opts, func(on bool) { rt.SetStrictSlashes(on) }, func(on bool) { rt.SetMergeSlashes(on) })
			}
			for _, rq := range tc.reqs {
				checkWerkzeugReq(t, app, rq)
			}
			for _, b := range tc.builds {
				if got, err := app.URLFor(b.endpoint, b.values); err != nil || got != b.want {
					t.Errorf("URLFor(%q, %v) = %q, %v; want %q", b.endpoint, b.values, got, err, b.want)
				}
			}
		})
	}
}

func applySlashOpts(t *testing.T, opts string, strict, merge func(bool)) {
	t.Helper()
	for _, o := range strings.Fields(opts) {
		k, v, _ := strings.Cut(o, "=")
		if v != "True" && v != "False" {
			t.Fatalf("option %q: want True or False", o)
		}
		switch k {
		case "strict_slashes":
			strict(v == "True")
		case "merge_slashes":
			merge(v == "True")
		default:
			t.Fatalf("unknown option %q", o)
		}
	}
}

// TestWerkzeugMergeSlashesMatch mirrors Werkzeug's
// test_merge_slashes_match: runs of slashes redirect to the merged path,
// also before a trailing-slash redirect, but never inside a <path:>
// value, and not to a rule with merge_slashes=False.
func TestWerkzeugMergeSlashesMatch(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "merge", rules: []wzSlashRule{
			{"/no/tail", "no_tail", "", nil},
			{"/yes/tail/", "yes_tail", "", nil},
			{"/with/<path:path>", "with_path", "", nil},
			{"/no//merge", "no_merge", "merge_slashes=False", nil},
			{"/no/merging", "no_merging", "merge_slashes=False", nil},
		}, reqs: []wzReq{
			{"GET", "/no//tail", "308 /no/tail", nil},
			{"GET", "/yes//tail", "308 /yes/tail/", nil},
			{"GET", "/yes/tail//", "308 /yes/tail/", nil},
			{"GET", "/no/tail", "no_tail", flasky.M{}},
			{"GET", "/yes/tail/", "yes_tail", flasky.M{}},
			{"GET", "/with/http://example.com/", "with_path", flasky.M{"path": "http://example.com/"}},
			{"GET", "/with/x//y", "with_path", flasky.M{"path": "x//y"}},
			{"GET", "/no//merge", "no_merge", flasky.M{}},
			{"GET", "/no/merging", "no_merging", flasky.M{}},
			{"GET", "/no//merging", "404", nil},
		}},
	})
}

// TestWerkzeugMergeSlashEncoding mirrors Werkzeug's
// test_merge_slash_encoding: the redirect to the merged path is not
// encoded twice. Werkzeug's "/merge/%//path" is sent as a client would
// send it, with the '%' encoded.
func TestWerkzeugMergeSlashEncoding(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "encoding", rules: []wzSlashRule{{"/merge/<some>/path", "merge", "", nil}}, reqs: []wzReq{
			{"GET", "/merge/%25//path", "308 /merge/%25/path", nil},
			{"GET", "/merge//st/path", "308 /merge/st/path", nil},
			{"GET", "/merge/%25/path", "merge", flasky.M{"some": "%"}},
		}},
	})
}

// TestWerkzeugMergeSlashesBuild mirrors Werkzeug's
// test_merge_slashes_build: a rule written with "//" builds merged,
// unless merge_slashes=False keeps it as written.
func TestWerkzeugMergeSlashesBuild(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "build", rules: []wzSlashRule{
			{"/yes//merge", "yes", "", nil},
			{"/no//merge", "no", "merge_slashes=False", nil},
		}, reqs: []wzReq{
			{"GET", "/yes/merge", "yes", flasky.M{}},
			{"GET", "/yes//merge", "308 /yes/merge", nil},
			{"GET", "/no//merge", "no", flasky.M{}},
			{"GET", "/no/merge", "404", nil},
		}, builds: []wzBuild{
			{"yes", nil, "/yes/merge"},
			{"no", nil, "/no//merge"},
		}},
	})
}

// TestWerkzeugStrictSlashesRedirect mirrors Werkzeug's
// test_strict_slashes_redirect: the trailing-slash redirect needs a
// method the rule takes, whatever the order of the rules. POST /bar with
// only /bar/ (GET) is a 404, as Werkzeug 3.1 answers.
func TestWerkzeugStrictSlashesRedirect(t *testing.T) {
	both := []wzReq{
		{"GET", "/bar/", "get", flasky.M{}},
		{"POST", "/bar", "post", flasky.M{}},
		{"GET", "/bar", "308 /bar/", nil},
		{"POST", "/bar/", "405", nil},
	}
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "slash rule first", rules: []wzSlashRule{{"/bar/", "get", "", []string{"GET"}}, {"/bar", "post", "", []string{"POST"}}}, reqs: both},
		{name: "slash rule last", rules: []wzSlashRule{{"/bar", "post", "", []string{"POST"}}, {"/bar/", "get", "", []string{"GET"}}}, reqs: both},
		{name: "slash rule only", rules: []wzSlashRule{{"/bar/", "get", "", []string{"GET"}}}, reqs: []wzReq{
			{"GET", "/bar/", "get", flasky.M{}},
			{"GET", "/bar", "308 /bar/", nil},
			{"POST", "/bar/", "405", nil},
			{"POST", "/bar", "404", nil},
		}},
	})
}

// TestWerkzeugStrictSlashesLeavesDynamicSegments follows Werkzeug's
// test_strict_slashes_leaves_dynamic_segments: with
// Map(strict_slashes=False), a rule without a trailing slash whose last
// segment is a variable takes the URL with one, the value without it.
func TestWerkzeugStrictSlashesLeavesDynamicSegments(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "leaves", mapOpts: "strict_slashes=False", rules: []wzSlashRule{
			{"/<name>", "name", "", nil},
			{"/<a>/<b>", "ab", "", nil},
			{"/c/<int:id>", "c", "", nil},
		}, reqs: []wzReq{
			{"GET", "/hello", "name", flasky.M{"name": "hello"}},
			{"GET", "/hello/", "name", flasky.M{"name": "hello"}},
			{"GET", "/x/y", "ab", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/x/y/", "ab", flasky.M{"a": "x", "b": "y"}},
			{"GET", "/c/3/", "c", flasky.M{"id": "3"}},
			{"GET", "/x/y//", "308 /x/y/", nil},
			{"GET", "/x//y", "308 /x/y", nil},
		}},
		{name: "branches", mapOpts: "strict_slashes=False", rules: []wzSlashRule{
			{"/<a>/", "a", "", nil},
			{"/p/<path:p>", "p", "", nil},
		}, reqs: []wzReq{
			{"GET", "/x", "a", flasky.M{"a": "x"}},
			{"GET", "/x/", "a", flasky.M{"a": "x"}},
			{"GET", "/p/a", "p", flasky.M{"p": "a"}},
			{"GET", "/p/a/", "p", flasky.M{"p": "a/"}},
		}},
	})
}

// TestWerkzeugRequestDirectCharsetBug mirrors Werkzeug's
// test_request_direct_charset_bug: the trailing-slash redirect of a
// non-ASCII path is percent-encoded UTF-8.
func TestWerkzeugRequestDirectCharsetBug(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "charset", rules: []wzSlashRule{{"/öäü/", "u", "", nil}}, reqs: []wzReq{
			{"GET", "/%C3%B6%C3%A4%C3%BC", "308 /%C3%B6%C3%A4%C3%BC/", nil},
			{"GET", "/%C3%B6%C3%A4%C3%BC/", "u", flasky.M{}},
		}},
	})
}

// TestWerkzeugRulesWrittenWithDoubleSlashes checks rules written with
// "//", with merge_slashes on (their own slashes merged) and off (kept
// as written), against Werkzeug 3.1's match and build.
func TestWerkzeugRulesWrittenWithDoubleSlashes(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "static merged", rules: []wzSlashRule{{"/a//b", "ab", "", nil}}, reqs: []wzReq{
			{"GET", "/a/b", "ab", flasky.M{}},
			{"GET", "/a//b", "308 /a/b", nil},
			{"GET", "/a///b", "308 /a/b", nil},
			{"GET", "/a/b/", "404", nil},
		}, builds: []wzBuild{{"ab", flasky.M{"q": "1"}, "/a/b?q=1"}}},
		{name: "static as written", rules: []wzSlashRule{{"/a//b", "ab", "merge_slashes=False", nil}}, reqs: []wzReq{
			{"GET", "/a//b", "ab", flasky.M{}},
			{"GET", "/a/b", "404", nil},
			{"GET", "/a///b", "404", nil},
			{"GET", "/a//b/", "404", nil},
		}, builds: []wzBuild{{"ab", nil, "/a//b"}}},
		{name: "trailing merged", rules: []wzSlashRule{{"/foo//", "foo", "", nil}}, reqs: []wzReq{
			{"GET", "/foo/", "foo", flasky.M{}},
			{"GET", "/foo", "308 /foo/", nil},
			{"GET", "/foo//", "308 /foo/", nil},
		}, builds: []wzBuild{{"foo", nil, "/foo/"}}},
		{name: "trailing as written", rules: []wzSlashRule{{"/foo//", "foo", "merge_slashes=False", nil}}, reqs: []wzReq{
			{"GET", "/foo//", "foo", flasky.M{}},
			{"GET", "/foo/", "308 /foo//", nil},
			{"GET", "/foo", "404", nil},
		}, builds: []wzBuild{{"foo", nil, "/foo//"}}},
		{name: "path merged", rules: []wzSlashRule{{"/<path:p>//x", "px", "", nil}}, reqs: []wzReq{
			{"GET", "/a/x", "px", flasky.M{"p": "a"}},
			{"GET", "/a//x", "px", flasky.M{"p": "a/"}},
			{"GET", "/a/b//x", "px", flasky.M{"p": "a/b/"}},
			{"GET", "//x", "404", nil},
		}, builds: []wzBuild{{"px", flasky.M{"p": "q/r"}, "/q/r/x"}}},
		{name: "path as written", rules: []wzSlashRule{{"/<path:p>//x", "px", "merge_slashes=False", nil}}, reqs: []wzReq{
			{"GET", "/a//x", "px", flasky.M{"p": "a"}},
			{"GET", "/a///x", "px", flasky.M{"p": "a/"}},
			{"GET", "/a//b//x", "px", flasky.M{"p": "a//b"}},
			{"GET", "/a/x", "404", nil},
		}, builds: []wzBuild{{"px", flasky.M{"p": "q"}, "/q//x"}}},
		{name: "variables merged", rules: []wzSlashRule{{"/<p>//<q>", "pq", "", nil}}, reqs: []wzReq{
			{"GET", "/a/b", "pq", flasky.M{"p": "a", "q": "b"}},
			{"GET", "/a//b", "308 /a/b", nil},
		}, builds: []wzBuild{{"pq", flasky.M{"p": "x", "q": "y"}, "/x/y"}}},
		{name: "variables as written", rules: []wzSlashRule{{"/<p>//<q>", "pq", "merge_slashes=False", nil}}, reqs: []wzReq{
			{"GET", "/a//b", "pq", flasky.M{"p": "a", "q": "b"}},
			{"GET", "/a/b", "404", nil},
			{"GET", "/a///b", "404", nil},
		}, builds: []wzBuild{{"pq", flasky.M{"p": "x", "q": "y"}, "/x//y"}}},
		{name: "static segment before a variable", rules: []wzSlashRule{
			{"/a//<x>", "ax", "merge_slashes=False", nil},
			{"/a/<path:p>", "ap", "", nil},
		}, reqs: []wzReq{
			{"GET", "/a//b", "ax", flasky.M{"x": "b"}},
			{"GET", "/a/b", "ap", flasky.M{"p": "b"}},
			{"GET", "/a/b//c", "ap", flasky.M{"p": "b//c"}},
		}, builds: []wzBuild{{"ax", flasky.M{"x": "z"}, "/a//z"}}},
		{name: "leading slashes", rules: []wzSlashRule{
			{"//m", "m", "", nil},
			{"//k", "k", "merge_slashes=False", nil},
		}, reqs: []wzReq{
			{"GET", "/m", "m", flasky.M{}},
			{"GET", "/k", "404", nil},
		}, builds: []wzBuild{{"m", nil, "/m"}, {"k", nil, "/k"}}},
	})
}

// TestWerkzeugMapSlashSettings checks Map(strict_slashes=False) and
// Map(merge_slashes=False), with rules that set their own, against
// Werkzeug 3.1.
func TestWerkzeugMapSlashSettings(t *testing.T) {
	runWerkzeugSlashCases(t, []wzSlashCase{
		{name: "strict_slashes off", mapOpts: "strict_slashes=False", rules: []wzSlashRule{
			{"/d/", "d", "", nil},
			{"/e", "e", "", nil},
			{"/f/", "f", "strict_slashes=True", nil},
		}, reqs: []wzReq{
			{"GET", "/d", "d", flasky.M{}},
			{"GET", "/d/", "d", flasky.M{}},
			{"GET", "/d//", "d", flasky.M{}},
			{"GET", "/d///", "308 /d/", nil},
			{"GET", "/e", "e", flasky.M{}},
			{"GET", "/e/", "e", flasky.M{}},
			{"GET", "/e//", "308 /e/", nil},
			{"GET", "/f", "308 /f/", nil},
			{"GET", "/f/", "f", flasky.M{}},
		}},
		{name: "merge_slashes off", mapOpts: "merge_slashes=False", rules: []wzSlashRule{
			{"/a/b", "ab", "", nil},
			{"/x//y", "xy", "", nil},
		}, reqs: []wzReq{
			{"GET", "/a/b", "ab", flasky.M{}},
			{"GET", "/a//b", "404", nil},
			{"GET", "/x//y", "xy", flasky.M{}},
			{"GET", "/x/y", "404", nil},
		}, builds: []wzBuild{{"xy", nil, "/x//y"}}},
		{name: "both off", mapOpts: "strict_slashes=False merge_slashes=False", rules: []wzSlashRule{
			{"/d/", "d", "", nil},
			{"/g//h", "gh", "", nil},
		}, reqs: []wzReq{
			{"GET", "/d", "d", flasky.M{}},
			{"GET", "/d//", "d", flasky.M{}},
			{"GET", "/g//h", "gh", flasky.M{}},
			{"GET", "/g//h/", "gh", flasky.M{}},
			{"GET", "/g/h", "404", nil},
		}},
		{name: "405 for the merged path", rules: []wzSlashRule{
			{"/a/b", "ab", "", []string{"POST"}},
		}, reqs: []wzReq{
			{"GET", "/a//b", "405", nil},
			{"POST", "/a//b", "308 /a/b", nil},
		}},
	})
}
