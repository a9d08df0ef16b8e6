package flasky_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// Named handlers, so that endpoint names come from function names.

func showUser(c *flasky.Ctx) error { return c.String("user " + c.Param("id")) }

func listPage(c *flasky.Ctx) error {
	page := c.Param("page")
	if page == "" {
		page = "1"
	}
	return c.String("page " + page)
}

func adminIndex(c *flasky.Ctx) error { return c.String("admin index") }

func genericHandler[T any](c *flasky.Ctx) error {
	var zero T
	return c.String(fmt.Sprint(zero))
}

type userViews struct{}

func (userViews) Index(c *flasky.Ctx) error { return c.String("users") }

type shopViews struct{}

func (*shopViews) Index(c *flasky.Ctx) error { return c.String("shop") }

func TestDefaultMethodIsGET(t *testing.T) {
	app, _ := newTestApp()
	r := app.Route("/g", text("hi"))
	if got, want := r.Methods(), []string{"GET", "HEAD", "OPTIONS"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Methods() = %q, want %q", got, want)
	}
	tests := []struct {
		method string
		code   int
		body   string
		allow  string
	}{
		{"GET", 200, "hi", ""},
		{"HEAD", 200, "", ""},
		{"OPTIONS", 200, "", "GET, HEAD, OPTIONS"},
		{"POST", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
		{"PUT", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
		{"DELETE", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
		{"PATCH", 405, methodNotAllowedPage, "GET, HEAD, OPTIONS"},
	}
	for _, tt := range tests {
		w := serve(app, tt.method, "/g", nil)
		if w.Code != tt.code || w.Body.String() != tt.body || w.Header().Get("Allow") != tt.allow {
			t.Errorf("%s /g = %d %q Allow %q, want %d %q Allow %q",
				tt.method, w.Code, w.Body.String(), w.Header().Get("Allow"), tt.code, tt.body, tt.allow)
		}
	}
}

func TestHEADAnswersLikeGET(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/string", text("hello, world"))
	app.Route("/html", func(c *flasky.Ctx) error { return c.HTML("<p>hello</p>") })
	app.Route("/json", func(c *flasky.Ctx) error { return c.JSON(map[string]int{"a": 1}) })
	app.Route("/data", func(c *flasky.Ctx) error { return c.Data("image/png", []byte("\x89PNG....")) })
	app.Route("/status", func(c *flasky.Ctx) error { return c.Status(201).String("made") })
	app.Route("/abort", func(c *flasky.Ctx) error { return flasky.Abort(404) })
	paths := []string{"/string", "/html", "/json", "/data", "/status", "/abort", "/missing"}

	// Through a recorder: HEAD has the GET body's length and no body.
	for _, p := range paths {
		g := serve(app, "GET", p, nil)
		h := serve(app, "HEAD", p, nil)
		if h.Code != g.Code {
			t.Errorf("HEAD %s: status %d, GET gave %d", p, h.Code, g.Code)
		}
		if h.Body.Len() != 0 {
			t.Errorf("HEAD %s: body %q, want none", p, h.Body.String())
		}
		if got, want := h.Header().Get("Content-Length"), strconv.Itoa(g.Body.Len()); got != want {
			t.Errorf("HEAD %s: Content-Length %q, want %q (the GET body's length)", p, got, want)
		}
		if got, want := h.Header().Get("Content-Type"), g.Header().Get("Content-Type"); got != want {
			t.Errorf("HEAD %s: Content-Type %q, GET gave %q", p, got, want)
		}
	}

	// Through a real server: the headers are the same, Date aside.
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, p := range paths {
		g, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		gb, _ := io.ReadAll(g.Body)
		g.Body.Close()
		h, err := http.Head(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		hb, _ := io.ReadAll(h.Body)
		h.Body.Close()
		if len(hb) != 0 {
			t.Errorf("HEAD %s over HTTP: body %q", p, hb)
		}
		g.Header.Del("Date")
		h.Header.Del("Date")
		if !reflect.DeepEqual(g.Header, h.Header) {
			t.Errorf("HEAD %s over HTTP: headers %v, GET gave %v", p, h.Header, g.Header)
		}
		if h.ContentLength != int64(len(gb)) {
			t.Errorf("HEAD %s over HTTP: Content-Length %d, GET body has %d bytes", p, h.ContentLength, len(gb))
		}
	}
}

func TestAutomaticOPTIONS(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/get", text("g"))
	app.Route("/post", text("p"), "POST")
	app.Route("/put", text("p"), "GET", "PUT")
	app.Route("/lower", text("l"), "get", "delete")
	// One rule, two handlers with disjoint methods: Flask's Allow is the
	// union of every rule that matches the path.
	app.Route("/split", text("g"))
	app.Route("/split", text("p"), "POST")
	// A static rule and a variable rule that both match /users/new.
	app.Route("/users/new", text("new"))
	app.Route("/users/<id>", text("id"), "POST")
	tests := []struct {
		path, allow string
	}{
		{"/get", "GET, HEAD, OPTIONS"},
		{"/post", "OPTIONS, POST"},
		{"/put", "GET, HEAD, OPTIONS, PUT"},
		{"/lower", "DELETE, GET, HEAD, OPTIONS"},
		{"/split", "GET, HEAD, OPTIONS, POST"},
		{"/users/new", "GET, HEAD, OPTIONS, POST"},
		{"/users/bob", "OPTIONS, POST"},
	}
	for _, tt := range tests {
		w := serve(app, "OPTIONS", tt.path, nil)
		if w.Code != 200 || w.Header().Get("Allow") != tt.allow || w.Body.Len() != 0 {
			t.Errorf("OPTIONS %s = %d Allow %q body %q, want 200 Allow %q and no body",
				tt.path, w.Code, w.Header().Get("Allow"), w.Body.String(), tt.allow)
		}
	}
	if w := serve(app, "OPTIONS", "/nowhere", nil); w.Code != 404 {
		t.Errorf("OPTIONS /nowhere = %d, want 404", w.Code)
	}

	// A route that asks for OPTIONS itself handles it.
	app.Route("/own", func(c *flasky.Ctx) error {
		c.SetHeader("Allow", "custom")
		return c.String("own options")
	}, "OPTIONS")
	if w := serve(app, "OPTIONS", "/own", nil); w.Body.String() != "own options" || w.Header().Get("Allow") != "custom" {
		t.Errorf("OPTIONS /own = %q Allow %q, want the handler's answer", w.Body.String(), w.Header().Get("Allow"))
	}
}

func TestMethodNotAllowed(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/post", text("p"), "POST")
	app.Route("/both", text("g"))
	app.Route("/both", text("d"), "DELETE")
	app.Route("/item/<int:id>", text("put"), "PUT")
	tests := []struct {
		method, path, allow string
	}{
		{"GET", "/post", "OPTIONS, POST"},
		{"HEAD", "/post", "OPTIONS, POST"},
		{"PUT", "/both", "DELETE, GET, HEAD, OPTIONS"},
		{"GET", "/item/5", "OPTIONS, PUT"},
		{"PROPFIND", "/post", "OPTIONS, POST"},
	}
	for _, tt := range tests {
		w := serve(app, tt.method, tt.path, nil)
		if w.Code != 405 {
			t.Errorf("%s %s = %d, want 405", tt.method, tt.path, w.Code)
			continue
		}
		if got := w.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
		wantBody := methodNotAllowedPage
		if tt.method == "HEAD" {
			wantBody = ""
		}
		if w.Body.String() != wantBody {
			t.Errorf("%s %s: body %q, want %q", tt.method, tt.path, w.Body.String(), wantBody)
		}
		if ct := w.Header().Get("Content-Type"); ct != ctHTML {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, ct, ctHTML)
		}
	}
	// A path that only fails the converter is a 404, not a 405.
	if w := get(app, "/item/abc"); w.Code != 404 {
		t.Errorf("GET /item/abc = %d, want 404", w.Code)
	}
}

func TestNotFoundPage(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("home"))
	for _, p := range []string{"/nope", "/nope/", "/a/b/c", "/%ED%99%8D", "/index.html"} {
		w := get(app, p)
		if w.Code != 404 {
			t.Errorf("GET %s = %d, want 404", p, w.Code)
		}
		if w.Body.String() != notFoundPage {
			t.Errorf("GET %s: body %q, want Werkzeug's 404 page %q", p, w.Body.String(), notFoundPage)
		}
		if ct := w.Header().Get("Content-Type"); ct != ctHTML {
			t.Errorf("GET %s: Content-Type %q, want %q", p, ct, ctHTML)
		}
	}
	// An app with no routes at all.
	empty, _ := newTestApp()
	if w := get(empty, "/"); w.Code != 404 || w.Body.String() != notFoundPage {
		t.Errorf("empty app GET / = %d %q, want the 404 page", w.Code, w.Body.String())
	}
}

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

func TestConverters(t *testing.T) {
	tests := []struct {
		rule, path string
		code       int
		params     string // "name=value" list as paramsHandler prints it; "" for none
	}{
		// default string: one non-empty segment
		{"/s/<x>", "/s/abc", 200, "x=abc"},
		{"/s/<x>", "/s/", 404, ""},
		{"/s/<x>", "/s/a/b", 404, ""},
		{"/s/<x>/e", "/s//e", 404, ""}, // an empty segment is not a string
		{"/s/<x>/e", "/s/a/e", 200, "x=a"},
		{"/s/<string:x>", "/s/abc", 200, "x=abc"},
		{"/s/<string:x>", "/s/", 404, ""},
		// int: digits only
		{"/i/<int:n>", "/i/42", 200, "n=42"},
		{"/i/<int:n>", "/i/0", 200, "n=0"},
		{"/i/<int:n>", "/i/-5", 404, ""},
		{"/i/<int:n>", "/i/1.5", 404, ""},
		{"/i/<int:n>", "/i/abc", 404, ""},
		{"/i/<int:n>", "/i/+5", 404, ""},
		{"/i/<int:n>", "/i/5a", 404, ""},
		{"/i/<int:n>", "/i/", 404, ""},
		{"/i/<int:n>", "/i/%EF%BC%95", 404, ""}, // fullwidth digit five
		{"/i/<int(signed=True):n>", "/i/-5", 200, "n=-5"},
		{"/i/<int(signed=True):n>", "/i/5", 200, "n=5"},
		{"/i/<int:n>", "/i/9223372036854775807", 200, "n=9223372036854775807"}, // the largest int64
		{"/i/<int:n>", "/i/9223372036854775808", 404, ""},                      // one past it
		{"/i/<int:n>", "/i/99999999999999999999999", 404, ""},
		{"/i/<int(signed=True):n>", "/i/-9223372036854775808", 200, "n=-9223372036854775808"},
		{"/i/<int(signed=True):n>", "/i/-9223372036854775809", 404, ""},
		{"/i/<int(max=9):n>", "/i/0000000000000000000000005", 200, "n=0000000000000000000000005"},
		{"/i/<int(max=9):n>", "/i/99999999999999999999999", 404, ""},
		// float: digits '.' digits
		{"/f/<float:x>", "/f/1.5", 200, "x=1.5"},
		{"/f/<float:x>", "/f/0.25", 200, "x=0.25"},
		{"/f/<float:x>", "/f/1", 404, ""},
		{"/f/<float:x>", "/f/1.", 404, ""},
		{"/f/<float:x>", "/f/.5", 404, ""},
		{"/f/<float:x>", "/f/-1.5", 404, ""},
		{"/f/<float:x>", "/f/1e5", 404, ""},
		{"/f/<float:x>", "/f/abc", 404, ""},
		{"/f/<float(signed=True):x>", "/f/-1.5", 200, "x=-1.5"},
		// uuid
		{"/u/<uuid:id>", "/u/a8098c1a-f86e-11da-bd1a-00112444be1e", 200, "id=a8098c1a-f86e-11da-bd1a-00112444be1e"},
		{"/u/<uuid:id>", "/u/A8098C1A-F86E-11DA-BD1A-00112444BE1E", 200, "id=A8098C1A-F86E-11DA-BD1A-00112444BE1E"},
		{"/u/<uuid:id>", "/u/a8098c1af86e11dabd1a00112444be1e", 404, ""},
		{"/u/<uuid:id>", "/u/g8098c1a-f86e-11da-bd1a-00112444be1e", 404, ""},
		{"/u/<uuid:id>", "/u/a8098c1a-f86e-11da-bd1a-00112444be1", 404, ""},
		// any
		{"/any/<any(a,b,c):x>", "/any/a", 200, "x=a"},
		{"/any/<any(a,b,c):x>", "/any/c", 200, "x=c"},
		{"/any/<any(a,b,c):x>", "/any/d", 404, ""},
		{"/any/<any(a,b,c):x>", "/any/ab", 404, ""},
		{"/any/<any(a, b, c):x>", "/any/b", 200, "x=b"},
		{"/any/<any('x y',z):x>", "/any/x%20y", 200, "x=x y"},
		// path: the rest, slashes included, not empty
		{"/p/<path:rest>", "/p/a/b/c", 200, "rest=a/b/c"},
		{"/p/<path:rest>", "/p/a", 200, "rest=a"},
		{"/p/<path:rest>", "/p/a/b/", 200, "rest=a/b/"},
		{"/p/<path:rest>", "/p/", 404, ""},
		{"/p/<path:rest>", "/p", 404, ""},
		// several variables
		{"/m/<a>/<int:b>/<path:c>", "/m/x/7/y/z", 200, "a=x b=7 c=y/z"},
		// a static prefix inside the segment, as the package doc allows
		{"/page_<int:n>", "/page_5", 200, "n=5"},
		{"/page_<int:n>", "/page_x", 404, ""},
	}
	for _, tt := range tests {
		app, _ := newTestApp()
		if _, err := app.AddRoute(tt.rule, paramsHandler); err != nil {
			t.Errorf("AddRoute(%q): %v", tt.rule, err)
			continue
		}
		w := get(app, tt.path)
		if w.Code != tt.code {
			t.Errorf("rule %s, GET %s = %d %q, want %d", tt.rule, tt.path, w.Code, w.Body.String(), tt.code)
			continue
		}
		if tt.code != 200 {
			continue
		}
		u, _ := url.Parse(tt.path)
		want := u.Path
		if tt.params != "" {
			want += " " + tt.params
		}
		if w.Body.String() != want {
			t.Errorf("rule %s, GET %s: handler saw %q, want %q", tt.rule, tt.path, w.Body.String(), want)
		}
	}
}

func TestConverterArguments(t *testing.T) {
	tests := []struct {
		rule string
		ok   []string // segments the rule takes
		bad  []string // segments that are a 404
	}{
		{"/<int(min=1,max=9):n>", []string{"1", "5", "9", "05"}, []string{"0", "10", "-1"}},
		{"/<int(min=10):n>", []string{"10", "999999"}, []string{"9", "0"}},
		{"/<int(max=10):n>", []string{"0", "10"}, []string{"11"}},
		{"/<int(fixed_digits=4):n>", []string{"2024", "0007"}, []string{"24", "02024", "abcd"}},
		{"/<int(signed=True,min=-3,max=3):n>", []string{"-3", "0", "3"}, []string{"-4", "4"}},
		{"/<float(min=0.5,max=1.5):x>", []string{"0.5", "1.0", "1.5"}, []string{"0.4", "1.6"}},
		{"/<string(length=2):cc>", []string{"ab", "KR", "%ED%95%9C%EA%B5%AD"}, []string{"a", "abc", "%ED%95%9C"}},
		{"/<string(minlength=2,maxlength=3):s>", []string{"ab", "abc"}, []string{"a", "abcd"}},
		{"/<string(maxlength=1):s>", []string{"a"}, []string{"ab"}},
	}
	for _, tt := range tests {
		app, _ := newTestApp()
		if _, err := app.AddRoute(tt.rule, text("ok")); err != nil {
			t.Errorf("AddRoute(%q): %v", tt.rule, err)
			continue
		}
		for _, s := range tt.ok {
			if w := get(app, "/"+s); w.Code != 200 {
				t.Errorf("rule %s: GET /%s = %d, want 200", tt.rule, s, w.Code)
			}
		}
		for _, s := range tt.bad {
			if w := get(app, "/"+s); w.Code != 404 {
				t.Errorf("rule %s: GET /%s = %d, want 404", tt.rule, s, w.Code)
			}
		}
	}
}

// TestRulePrecedence checks that when several rules match a path, the one
// Werkzeug would pick answers, whatever the order of registration.
func TestRulePrecedence(t *testing.T) {
	type rule struct{ rule, name string }
	tests := []struct {
		name  string
		rules []rule
		cases map[string]string // path -> name of the rule that answers ("404")
	}{
		{
			"static beside variable",
			[]rule{{"/users/new", "new"}, {"/users/<id>", "id"}},
			map[string]string{"/users/new": "new", "/users/bob": "id", "/users/newer": "id", "/users/": "404"},
		},
		{
			"int before string",
			[]rule{{"/users/<int:id>", "int"}, {"/users/<name>", "name"}},
			map[string]string{"/users/5": "int", "/users/bob": "name", "/users/-5": "name", "/users/1.5": "name"},
		},
		{
			"float before string",
			[]rule{{"/v/<float:x>", "float"}, {"/v/<s>", "string"}},
			map[string]string{"/v/1.5": "float", "/v/1": "string"},
		},
		{
			"int and float",
			[]rule{{"/n/<int:x>", "int"}, {"/n/<float:x>", "float"}},
			map[string]string{"/n/1": "int", "/n/1.5": "float", "/n/x": "404"},
		},
		{
			"string before path",
			[]rule{{"/a/<x>", "string"}, {"/a/<path:p>", "path"}},
			map[string]string{"/a/x": "string", "/a/x/y": "path", "/a/x/": "path"},
		},
		{
			"static segment earlier wins",
			[]rule{{"/<a>/b", "var-first"}, {"/a/<b>", "static-first"}},
			map[string]string{"/a/b": "static-first", "/z/b": "var-first", "/a/z": "static-first", "/z/z": "404"},
		},
		{
			"static beside path",
			[]rule{{"/files/<path:p>", "path"}, {"/files/readme", "static"}},
			map[string]string{"/files/readme": "static", "/files/readme/x": "path", "/files/x": "path"},
		},
		{
			"deeper static",
			[]rule{{"/<a>/<b>", "vars"}, {"/<a>/edit", "edit"}, {"/x/<b>", "x"}},
			map[string]string{"/x/edit": "x", "/y/edit": "edit", "/y/z": "vars"},
		},
		{
			"mount-like catch-all beside routes",
			[]rule{{"/<path:p>", "catch"}, {"/", "root"}, {"/about", "about"}},
			map[string]string{"/": "root", "/about": "about", "/x": "catch", "/about/x": "catch"},
		},
	}
	for _, tt := range tests {
		orders := [][]rule{tt.rules, slices.Clone(tt.rules)}
		slices.Reverse(orders[1])
		for oi, rules := range orders {
			app, _ := newTestApp()
			ok := true
			for _, r := range rules {
				if _, err := app.AddRoute(r.rule, text(r.name)); err != nil {
					t.Errorf("%s (order %d): AddRoute(%q): %v", tt.name, oi, r.rule, err)
					ok = false
				}
			}
			if !ok {
				continue
			}
			for path, want := range tt.cases {
				w := get(app, path)
				got := w.Body.String()
				if w.Code == 404 {
					got = "404"
				} else if w.Code != 200 {
					got = strconv.Itoa(w.Code)
				}
				if got != want {
					t.Errorf("%s (order %d): GET %s answered by %q, want %q", tt.name, oi, path, got, want)
				}
			}
		}
	}
}

// TestEqualWeightsFirstRegisteredWins: string, any and uuid weigh the
// same in Werkzeug, so the rule registered first answers a path both take.
func TestEqualWeightsFirstRegisteredWins(t *testing.T) {
	tests := []struct {
		a, b, path string
	}{
		{"/c/<name>", "/c/<any(red,blue):color>", "/c/red"},
		{"/u/<x>", "/u/<uuid:id>", "/u/a8098c1a-f86e-11da-bd1a-00112444be1e"},
	}
	for _, tt := range tests {
		for _, order := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
			app, _ := newTestApp()
			app.Route(order[0], text(order[0]))
			app.Route(order[1], text(order[1]))
			if w := get(app, tt.path); w.Body.String() != order[0] {
				t.Errorf("rules %q then %q: GET %s answered by %q, want the first one", order[0], order[1], tt.path, w.Body.String())
			}
		}
	}
}

func TestAmbiguousRules(t *testing.T) {
	tests := []struct {
		first, second   string
		m1, m2          []string
		example         string
		wantErrContains []string
	}{
		{"/a/<x>", "/a/<y>", nil, nil, "/a/x", nil},
		{"/a/<x>", "/a/<string:y>", nil, nil, "/a/x", nil},
		{"/a/<int:x>", "/a/<int:y>", nil, nil, "/a/1", nil},
		{"/p/<path:a>", "/p/<path:b>", nil, nil, "/p/a/b", nil},
		{"/s", "/s", nil, nil, "/s", nil},
		{"/m/<x>", "/m/<y>", []string{"GET", "POST"}, []string{"POST", "PUT"}, "/m/x", []string{"POST"}},
	}
	for _, tt := range tests {
		app, _ := newTestApp()
		if _, err := app.AddRoute(tt.first, text("1"), tt.m1...); err != nil {
			t.Fatalf("AddRoute(%q): %v", tt.first, err)
		}
		r, err := app.AddRoute(tt.second, text("2"), tt.m2...)
		if err == nil {
			t.Errorf("AddRoute(%q) after %q: no error (route %v)", tt.second, tt.first, r)
			continue
		}
		msg := err.Error()
		want := append([]string{strconv.Quote(tt.first), strconv.Quote(tt.second), tt.example}, tt.wantErrContains...)
		for _, s := range want {
			if !strings.Contains(msg, s) {
				t.Errorf("ambiguity error %q does not mention %s", msg, s)
			}
		}
		if !strings.HasPrefix(msg, "flasky:") {
			t.Errorf("error %q does not start with \"flasky:\"", msg)
		}
		// The refused rule did not replace the first one.
		if w := serve(app, firstOr(tt.m2, "GET"), tt.example, nil); w.Body.String() != "1" {
			t.Errorf("after the refused rule, %s answered %d %q, want the first rule's \"1\"", tt.example, w.Code, w.Body.String())
		}
		// Route panics with an error naming the rule.
		v := mustPanic(t, func() { app.Route(tt.second, text("2"), tt.m2...) })
		perr, ok := v.(error)
		if !ok {
			t.Errorf("Route(%q) panicked with %T %v, want an error", tt.second, v, v)
			continue
		}
		if !strings.HasPrefix(perr.Error(), "flasky:") || !strings.Contains(perr.Error(), tt.second) {
			t.Errorf("Route(%q) panic %q: want a message starting with \"flasky:\" naming the rule", tt.second, perr)
		}
	}
}

func firstOr(list []string, def string) string {
	if len(list) > 0 {
		return list[0]
	}
	return def
}

func TestSameRuleDisjointMethods(t *testing.T) {
	app, _ := newTestApp()
	if _, err := app.AddRoute("/items/<int:id>", text("get"), "GET"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.AddRoute("/items/<int:id>", text("post"), "POST"); err != nil {
		t.Fatalf("same rule with disjoint methods: %v", err)
	}
	if _, err := app.AddRoute("/items/<int:id>", text("put+delete"), "PUT", "DELETE"); err != nil {
		t.Fatalf("same rule with disjoint methods: %v", err)
	}
	for method, want := range map[string]string{"GET": "get", "POST": "post", "PUT": "put+delete", "DELETE": "put+delete"} {
		w := serve(app, method, "/items/3", nil)
		if w.Code != 200 || w.Body.String() != want {
			t.Errorf("%s /items/3 = %d %q, want 200 %q", method, w.Code, w.Body.String(), want)
		}
	}
	if w := serve(app, "PATCH", "/items/3", nil); w.Code != 405 || w.Header().Get("Allow") != "DELETE, GET, HEAD, OPTIONS, POST, PUT" {
		t.Errorf("PATCH /items/3 = %d Allow %q, want 405 with every method", w.Code, w.Header().Get("Allow"))
	}
	// Overlapping in one method only is refused.
	if _, err := app.AddRoute("/items/<int:id>", text("x"), "PATCH", "GET"); err == nil {
		t.Errorf("a third rule sharing GET was accepted")
	}
}

func TestInvalidRules(t *testing.T) {
	tests := []struct {
		rule string
		why  string
	}{
		{"", "empty"},
		{"users", "no leading slash"},
		{"users/<id>", "no leading slash"},
		{"/a/<x", "unclosed <"},
		{"/a/<int:x", "unclosed <"},
		{"/a/x>", "> without <"},
		{"/a/<foo:x>", "unknown converter"},
		{"/a/<integer:x>", "unknown converter"},
		{"/a/<x>/<x>", "duplicate variable"},
		{"/a/<int:x>/<string:x>", "duplicate variable"},
		{"/a/<x>y", "text after a variable in a segment"},
		{"/a/<x>.json", "text after a variable in a segment"},
		{"/a/<x><y>", "two variables in a segment"},
		{"/a/<path:p>/b", "path not last"},
		{"/a/<path:p>/<x>", "path not last"},
		{"/a:b", "':' in static text"},
		{"/a/:id", "':' in static text"},
		{"/a/*rest", "'*' in static text"},
		{"/a/<>", "empty variable"},
		{"/a/<int:>", "empty variable name"},
		{"/a/<1x>", "bad identifier"},
		{"/a/<x-y>", "bad identifier"},
		{"/a/<int(min=a):x>", "bad converter argument"},
		{"/a/<int(bogus=1):x>", "unknown converter argument"},
		{"/a/<int(min=1:x>", "unclosed converter arguments"},
		{"/a/<any:x>", "any without choices"},
		{"/a/<string(length=-1):x>", "negative length"},
	}
	for _, tt := range tests {
		app, _ := newTestApp()
		r, err := app.AddRoute(tt.rule, text("x"))
		if err == nil {
			t.Errorf("AddRoute(%q) (%s): no error, route %q", tt.rule, tt.why, r.Rule())
			continue
		}
		if !strings.Contains(err.Error(), strconv.Quote(tt.rule)) {
			t.Errorf("AddRoute(%q) (%s): error %q does not quote the rule", tt.rule, tt.why, err)
		}
		if !strings.HasPrefix(err.Error(), "flasky:") {
			t.Errorf("AddRoute(%q): error %q does not start with \"flasky:\"", tt.rule, err)
		}
		v := mustPanic(t, func() { app.Route(tt.rule, text("x")) })
		if e, ok := v.(error); !ok || !strings.HasPrefix(e.Error(), "flasky:") {
			t.Errorf("Route(%q) panicked with %v, want a flasky: error", tt.rule, v)
		}
		// The app still works after the refusal.
		app.Route("/ok", text("ok"))
		if w := get(app, "/ok"); w.Code != 200 {
			t.Errorf("after refusing %q, GET /ok = %d", tt.rule, w.Code)
		}
	}
	// Other registration errors.
	app, _ := newTestApp()
	if _, err := app.AddRoute("/x", nil); err == nil {
		t.Errorf("AddRoute with a nil handler: no error")
	}
	if _, err := app.AddRoute("/x", text("x"), "FETCH"); err == nil || !strings.Contains(err.Error(), "FETCH") {
		t.Errorf("AddRoute with method FETCH: error %v, want one naming the method", err)
	}
}

func TestTrailingSlash(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/t/", text("t"))
	app.Route("/u", text("u"))
	app.Route("/post/", text("post"), "POST")
	app.Route("/v/<name>/", paramsHandler)
	app.Route("/한/", text("han"))
	tests := []struct {
		method, path string
		code         int
		location     string
	}{
		{"GET", "/t/", 200, ""},
		{"GET", "/t", 308, "/t/"},
		{"GET", "/t?x=1", 308, "/t/?x=1"},
		{"GET", "/t?x=1&y=%20", 308, "/t/?x=1&y=%20"},
		{"HEAD", "/t", 308, "/t/"},
		{"POST", "/post", 308, "/post/"},
		{"GET", "/post", 404, ""}, // Flask: the redirect needs a method the rule takes
		{"GET", "/v/a%20b", 308, "/v/a%20b/"},
		{"GET", "/%ED%95%9C", 308, "/%ED%95%9C/"},
		{"GET", "/u", 200, ""},
		{"GET", "/u/", 404, ""},
		{"GET", "/u/?x=1", 404, ""},
	}
	for _, tt := range tests {
		w := serve(app, tt.method, tt.path, nil)
		if w.Code != tt.code {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, w.Code, tt.code)
			continue
		}
		if got := w.Header().Get("Location"); got != tt.location {
			t.Errorf("%s %s: Location %q, want %q", tt.method, tt.path, got, tt.location)
		}
		if tt.code == 308 && tt.method == "GET" && !strings.Contains(w.Body.String(), "Redirecting...") {
			t.Errorf("%s %s: redirect body %q lacks Werkzeug's page", tt.method, tt.path, w.Body.String())
		}
	}
}

// TestTrailingSlashRedirectStaysOnHost builds rules for which the
// trailing-slash redirect fires on paths that begin with "//" or "/\",
// which a browser would read as another host.
func TestTrailingSlashRedirectStaysOnHost(t *testing.T) {
	tests := []struct {
		rule string
		path string
	}{
		{"//evil.example/", "//evil.example"},
		{"//evil.example/", "//evil.example?x=1"},
		{"/<any('',x):a>/evil.example/", "//evil.example"},
		{"/<any('',x):a>/evil.example/", "//evil.example?next=//x"},
		{"/<a>/", "/\\evil.example"},
		{"/<a>/", "/%5Cevil.example"},
		{"/<a>/", "/%5C%5Cevil.example"},
		{"/<a>/", "/%2F%2Fevil.example"}, // decodes to "///evil.example": must not match or redirect off-host
		{"/<a>/<b>/", "/%5C/evil.example"},
	}
	for _, tt := range tests {
		app, _ := newTestApp()
		if _, err := app.AddRoute(tt.rule, text("x")); err != nil {
			t.Errorf("AddRoute(%q): %v", tt.rule, err)
			continue
		}
		w := get(app, tt.path)
		if w.Code != 308 && w.Code != 404 {
			t.Errorf("rule %s, GET %s = %d, want a 308 or a 404", tt.rule, tt.path, w.Code)
			continue
		}
		loc := w.Header().Get("Location")
		if w.Code == 404 {
			if loc != "" {
				t.Errorf("rule %s, GET %s: 404 with Location %q", tt.rule, tt.path, loc)
			}
			continue
		}
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Errorf("rule %s, GET %s: Location %q could leave the host", tt.rule, tt.path, loc)
		}
		if u, err := url.Parse(loc); err != nil || u.Host != "" || u.Scheme != "" {
			t.Errorf("rule %s, GET %s: Location %q parses to host %q", tt.rule, tt.path, loc, u.Host)
		}
	}
	// The rules of the first cases do redirect (so the check above is not
	// vacuous).
	app, _ := newTestApp()
	app.Route("//evil.example/", text("x"))
	if w := get(app, "//evil.example"); w.Code != 308 {
		t.Errorf("rule //evil.example/, GET //evil.example = %d, want 308", w.Code)
	}
	app2, _ := newTestApp()
	app2.Route("/<a>/", text("x"))
	if w := get(app2, "/\\evil.example"); w.Code != 308 {
		t.Errorf("rule /<a>/, GET /\\evil.example = %d, want 308", w.Code)
	}
}

func TestPercentEncodedParams(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("data=" + c.Param("name")) })
	app.Route("/p/<path:rest>", func(c *flasky.Ctx) error { return c.String("rest=" + c.Param("rest")) })
	app.Route("/정적/<name>", func(c *flasky.Ctx) error { return c.String("static=" + c.Param("name")) })
	tests := []struct{ path, body string }{
		{"/s5/abc", "data=abc"},
		{"/s5/a%20b", "data=a b"},
		{"/s5/%ED%99%8D%EA%B8%B8%EB%8F%99", "data=홍길동"},
		{"/s5/%3Cscript%3E", "data=<script>"},
		{"/s5/a+b", "data=a+b"},
		{"/s5/100%25", "data=100%"},
		{"/s5/%3F%23", "data=?#"},
		{"/p/a%20b/%ED%95%9C", "rest=a b/한"},
		{"/%EC%A0%95%EC%A0%81/x", "static=x"},
	}
	for _, tt := range tests {
		w := get(app, tt.path)
		if w.Code != 200 || w.Body.String() != tt.body {
			t.Errorf("GET %s = %d %q, want 200 %q", tt.path, w.Code, w.Body.String(), tt.body)
		}
	}
}

func TestEndpointNames(t *testing.T) {
	app, _ := newTestApp()
	closure := func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }
	makeHandler := func() flasky.HandlerFunc {
		return func(c *flasky.Ctx) error { return c.String(c.Endpoint()) }
	}
	bp := app.Blueprint("admin", "/admin")
	tests := []struct {
		route *flasky.Route
		want  string
	}{
		{app.Route("/user/<int:id>", showUser), "showUser"},
		{app.Route("/users", userViews{}.Index), "Index"},
		{app.Route("/closure", closure), "/closure"},
		{app.Route("/literal/<x>", func(c *flasky.Ctx) error { return nil }), "/literal/<x>"},
		{app.Route("/nested", makeHandler()), "/nested"},
		{app.Route("/named", closure).SetEndpoint("home"), "home"},
		{app.Route("/named2", showUser).SetEndpoint("profile"), "profile"},
		{bp.Route("/", adminIndex), "admin.adminIndex"},
		{bp.Route("/x", closure), "admin./admin/x"},
		{bp.Route("/y", closure).SetEndpoint("why"), "admin.why"},
		{bp.Route("/z", closure).SetEndpoint("admin.zed"), "admin.zed"},
	}
	for _, tt := range tests {
		if got := tt.route.Endpoint(); got != tt.want {
			t.Errorf("route %s: Endpoint() = %q, want %q", tt.route.Rule(), got, tt.want)
		}
	}
	// Function literals inside other function literals (a t.Run body, a
	// setup closure) are named "Outer.func2.1" by the runtime: still
	// closures, so still named by their rule.
	t.Run("closure in a closure", func(t *testing.T) {
		r := app.Route("/sub", func(c *flasky.Ctx) error { return nil })
		if got := r.Endpoint(); got != "/sub" {
			t.Errorf("closure inside a closure: Endpoint() = %q, want the rule \"/sub\"", got)
		}
		var inner flasky.HandlerFunc
		func() { inner = func(c *flasky.Ctx) error { return nil } }()
		if got := app.Route("/sub2", inner).Endpoint(); got != "/sub2" {
			t.Errorf("doubly nested closure: Endpoint() = %q, want the rule \"/sub2\"", got)
		}
	})
	// A generic function's runtime name ends in "[...]".
	if got := app.Route("/generic", genericHandler[int]).Endpoint(); got != "genericHandler" {
		t.Errorf("generic handler: Endpoint() = %q, want \"genericHandler\"", got)
	}
	// The handler sees its endpoint.
	for path, want := range map[string]string{"/closure": "/closure", "/named": "home", "/nested": "/nested", "/admin/y": "admin.why"} {
		if w := get(app, path); w.Body.String() != want {
			t.Errorf("GET %s: c.Endpoint() = %q, want %q", path, w.Body.String(), want)
		}
	}
	if got := bp.Name(); got != "admin" {
		t.Errorf("Blueprint.Name() = %q", got)
	}
	// Renamed endpoints are found by URLFor under their new name only.
	if u, err := app.URLFor("home", nil); err != nil || u != "/named" {
		t.Errorf("URLFor(home) = %q, %v; want /named", u, err)
	}
	// /named2 has no <id>: the value becomes the query.
	if u, err := app.URLFor("profile", flasky.M{"id": 3}); err != nil || u != "/named2?id=3" {
		t.Errorf("URLFor(profile) = %q, %v; want /named2?id=3", u, err)
	}
	if u, err := app.URLFor("showUser", flasky.M{"id": 7}); err != nil || u != "/user/7" {
		t.Errorf("URLFor(showUser) after renaming its other route = %q, %v; want /user/7", u, err)
	}
	if _, err := app.URLFor("/named", nil); err == nil {
		t.Errorf("URLFor(\"/named\") still finds the route renamed to home")
	}
}

func TestURLFor(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/s/<name>", text("")).SetEndpoint("s")
	app.Route("/i/<int:id>", text("")).SetEndpoint("i")
	app.Route("/f/<float:x>", text("")).SetEndpoint("f")
	app.Route("/p/<path:rest>", text("")).SetEndpoint("p")
	app.Route("/u/<uuid:id>", text("")).SetEndpoint("u")
	app.Route("/any/<any(red,blue):c>", text("")).SetEndpoint("any")
	app.Route("/y/<int(fixed_digits=4):year>", text("")).SetEndpoint("year")
	app.Route("/", text("")).SetEndpoint("root")
	app.Route("/hello world/<a>/<int:b>", text("")).SetEndpoint("multi")
	tests := []struct {
		endpoint string
		params   flasky.M
		want     string
	}{
		{"root", nil, "/"},
		{"root", flasky.M{}, "/"},
		{"s", flasky.M{"name": "abc"}, "/s/abc"},
		{"s", flasky.M{"name": "a b"}, "/s/a%20b"},
		{"s", flasky.M{"name": "홍길동"}, "/s/%ED%99%8D%EA%B8%B8%EB%8F%99"},
		{"s", flasky.M{"name": "x?#%"}, "/s/x%3F%23%25"},
		{"s", flasky.M{"name": "<b>\"'"}, "/s/%3Cb%3E%22'"},
		{"s", flasky.M{"name": "a+b"}, "/s/a+b"},
		{"s", flasky.M{"name": "x", "b": 1, "a": "x y"}, "/s/x?a=x+y&b=1"},
		{"s", flasky.M{"name": "x", "q": "&=?#"}, "/s/x?q=%26%3D%3F%23"},
		{"s", flasky.M{"name": "x", "z": 1, "y": 2, "a": 3}, "/s/x?a=3&y=2&z=1"},
		{"root", flasky.M{"next": "/s/x"}, "/?next=%2Fs%2Fx"},
		{"i", flasky.M{"id": 42}, "/i/42"},
		{"i", flasky.M{"id": int64(42)}, "/i/42"},
		{"i", flasky.M{"id": uint(7)}, "/i/7"},
		{"i", flasky.M{"id": "42"}, "/i/42"},
		{"i", flasky.M{"id": 0}, "/i/0"},
		{"f", flasky.M{"x": 1.5}, "/f/1.5"},
		{"f", flasky.M{"x": 1.0}, "/f/1.0"},
		{"f", flasky.M{"x": float32(2.25)}, "/f/2.25"},
		{"f", flasky.M{"x": 100.0}, "/f/100.0"},
		{"f", flasky.M{"x": 1e21}, "/f/1000000000000000000000.0"},
		{"p", flasky.M{"rest": "a/b/c"}, "/p/a/b/c"},
		{"p", flasky.M{"rest": "a b/c?"}, "/p/a%20b/c%3F"},
		{"u", flasky.M{"id": "a8098c1a-f86e-11da-bd1a-00112444be1e"}, "/u/a8098c1a-f86e-11da-bd1a-00112444be1e"},
		{"any", flasky.M{"c": "blue"}, "/any/blue"},
		{"year", flasky.M{"year": 7}, "/y/0007"},
		{"year", flasky.M{"year": 2024}, "/y/2024"},
		{"multi", flasky.M{"a": "x", "b": 2}, "/hello%20world/x/2"},
	}
	for _, tt := range tests {
		got, err := app.URLFor(tt.endpoint, tt.params)
		if err != nil || got != tt.want {
			t.Errorf("URLFor(%q, %v) = %q, %v; want %q", tt.endpoint, tt.params, got, err, tt.want)
			continue
		}
		// Every built URL leads back to a route.
		if w := get(app, got); w.Code != 200 {
			t.Errorf("GET %s (built for %q) = %d, want 200", got, tt.endpoint, w.Code)
		}
	}
}

func TestURLForErrors(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/s/<name>", text("")).SetEndpoint("s")
	app.Route("/i/<int:id>", text("")).SetEndpoint("i")
	app.Route("/f/<float:x>", text("")).SetEndpoint("f")
	app.Route("/any/<any(red,blue):c>", text("")).SetEndpoint("any")
	app.Route("/users", userViews{}.Index)
	app.Route("/shop", (&shopViews{}).Index)
	tests := []struct {
		endpoint string
		params   flasky.M
		mentions []string
	}{
		{"nope", nil, []string{`"nope"`}},
		{"s", nil, []string{"name", "/s/<name>"}},
		{"s", flasky.M{"other": 1}, []string{"name"}},
		{"s", flasky.M{"name": "a/b"}, []string{"a/b"}},
		{"s", flasky.M{"name": ""}, []string{"name"}},
		{"i", flasky.M{"id": "abc"}, []string{"abc"}},
		{"i", flasky.M{"id": -5}, []string{"-5"}},
		{"f", flasky.M{"x": 1}, []string{"x"}},
		{"any", flasky.M{"c": "green"}, []string{"green"}},
		{"Index", nil, []string{"Index", "/users", "/shop"}},
	}
	for _, tt := range tests {
		u, err := app.URLFor(tt.endpoint, tt.params)
		if err == nil {
			t.Errorf("URLFor(%q, %v) = %q, want an error", tt.endpoint, tt.params, u)
			continue
		}
		if u != "" {
			t.Errorf("URLFor(%q, %v) returned %q with its error", tt.endpoint, tt.params, u)
		}
		if !strings.HasPrefix(err.Error(), "flasky:") {
			t.Errorf("URLFor(%q): error %q does not start with \"flasky:\"", tt.endpoint, err)
		}
		for _, s := range tt.mentions {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("URLFor(%q, %v): error %q does not mention %q", tt.endpoint, tt.params, err, s)
			}
		}
	}
	// Ctx.URLFor is App.URLFor.
	app.Route("/ctx", func(c *flasky.Ctx) error {
		u, err := c.URLFor("i", flasky.M{"id": 9})
		if err != nil {
			return err
		}
		return c.String(u)
	})
	if w := get(app, "/ctx"); w.Body.String() != "/i/9" {
		t.Errorf("Ctx.URLFor = %q, want /i/9", w.Body.String())
	}
}

// TestURLForPicksRuleUsingParams: one handler on two rules. Flask's
// url_for builds with the rule that uses the most of the given values.
func TestURLForPicksRuleUsingParams(t *testing.T) {
	for _, order := range [][]string{{"/x", "/x/<int:page>"}, {"/x/<int:page>", "/x"}} {
		app, _ := newTestApp()
		for _, r := range order {
			app.Route(r, listPage)
		}
		tests := []struct {
			params flasky.M
			want   string
		}{
			{nil, "/x"},
			{flasky.M{"page": 2}, "/x/2"},
			{flasky.M{"page": 2, "q": "a"}, "/x/2?q=a"},
			{flasky.M{"q": "a"}, "/x?q=a"},
		}
		for _, tt := range tests {
			if got, err := app.URLFor("listPage", tt.params); err != nil || got != tt.want {
				t.Errorf("rules %q: URLFor(listPage, %v) = %q, %v; want %q (as Flask's url_for)", order, tt.params, got, err, tt.want)
			}
		}
		if w := get(app, "/x/2"); w.Body.String() != "page 2" {
			t.Errorf("GET /x/2 = %q", w.Body.String())
		}
	}
}

func TestBlueprint(t *testing.T) {
	app, _ := newTestApp()
	var trace []string
	app.BeforeRequest(func(c *flasky.Ctx) error { trace = append(trace, "app-before"); return nil })
	app.AfterRequest(func(c *flasky.Ctx) { trace = append(trace, "app-after") })
	app.Route("/", func(c *flasky.Ctx) error { trace = append(trace, "home"); return c.String("home") })

	bp := app.Blueprint("admin", "/admin/")
	bp.BeforeRequest(func(c *flasky.Ctx) error {
		trace = append(trace, "bp-before")
		c.Set("who", "admin")
		return nil
	})
	bp.AfterRequest(func(c *flasky.Ctx) {
		trace = append(trace, "bp-after")
		c.SetHeader("X-Admin", "1")
	})
	bp.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String("admin 404: " + e.Description())
	})
	bp.Route("/", func(c *flasky.Ctx) error {
		trace = append(trace, "admin-index")
		return c.String("admin index, who=" + fmt.Sprint(c.Get("who")))
	}).SetEndpoint("index")
	bp.Route("/users/<int:id>", func(c *flasky.Ctx) error {
		if c.ParamInt("id") != 1 {
			return flasky.Abortf(404, "no such user")
		}
		return c.String("user 1")
	}).SetEndpoint("user")
	bp.Route("/boom", func(c *flasky.Ctx) error { return errors.New("secret detail") })

	app.ErrorHandler(404, func(c *flasky.Ctx, e *flasky.HTTPError) error {
		return c.String("app 404")
	})

	tests := []struct {
		path   string
		code   int
		body   string
		admin  bool
		trace  []string
		header string
	}{
		{"/admin/", 200, "admin index, who=admin", true, []string{"app-before", "bp-before", "admin-index", "bp-after", "app-after"}, ""},
		{"/admin", 308, "", false, nil, "/admin/"},
		{"/admin/users/1", 200, "user 1", true, nil, ""},
		{"/admin/users/2", 404, "admin 404: no such user", true, []string{"app-before", "bp-before", "bp-after", "app-after"}, ""},
		// A path under the prefix that no rule takes is the app's 404.
		{"/admin/nope", 404, "app 404", false, []string{"app-after"}, ""},
		{"/admin/boom", 500, internalErrorPage, true, nil, ""},
		{"/", 200, "home", false, []string{"app-before", "home", "app-after"}, ""},
	}
	for _, tt := range tests {
		trace = nil
		w := get(app, tt.path)
		if w.Code != tt.code {
			t.Errorf("GET %s = %d %q, want %d", tt.path, w.Code, w.Body.String(), tt.code)
			continue
		}
		if tt.code != 308 && w.Body.String() != tt.body {
			t.Errorf("GET %s: body %q, want %q", tt.path, w.Body.String(), tt.body)
		}
		if got := w.Header().Get("X-Admin") == "1"; got != tt.admin {
			t.Errorf("GET %s: blueprint after hook ran = %v, want %v", tt.path, got, tt.admin)
		}
		if tt.trace != nil && !slices.Equal(trace, tt.trace) {
			t.Errorf("GET %s: hooks ran %q, want %q", tt.path, trace, tt.trace)
		}
		if tt.header != "" && w.Header().Get("Location") != tt.header {
			t.Errorf("GET %s: Location %q, want %q", tt.path, w.Header().Get("Location"), tt.header)
		}
	}
	for _, u := range []struct {
		endpoint string
		params   flasky.M
		want     string
	}{
		{"admin.index", nil, "/admin/"},
		{"admin.user", flasky.M{"id": 5}, "/admin/users/5"},
		{"admin.user", flasky.M{"id": 5, "tab": "x"}, "/admin/users/5?tab=x"},
	} {
		if got, err := app.URLFor(u.endpoint, u.params); err != nil || got != u.want {
			t.Errorf("URLFor(%q, %v) = %q, %v; want %q", u.endpoint, u.params, got, err, u.want)
		}
	}

	// A blueprint without a prefix, and one whose AddRoute refuses a rule.
	bp2 := app.Blueprint("api", "")
	bp2.Route("/api/ping", text("pong"))
	if w := get(app, "/api/ping"); w.Body.String() != "pong" {
		t.Errorf("GET /api/ping = %q", w.Body.String())
	}
	if _, err := bp2.AddRoute("/api/<x", text("")); err == nil || !strings.Contains(err.Error(), `"/api/<x"`) {
		t.Errorf("Blueprint.AddRoute of a bad rule: %v", err)
	}
	if _, err := bp.AddRoute("/users/<int:n>", text("")); err == nil || !strings.Contains(err.Error(), "/admin/users/<int:id>") {
		t.Errorf("Blueprint.AddRoute of an ambiguous rule: %v, want an error naming the prefixed rules", err)
	}
	v := mustPanic(t, func() { bp.Route("/<x", text("")) })
	if e, ok := v.(error); !ok || !strings.HasPrefix(e.Error(), "flasky:") {
		t.Errorf("Blueprint.Route(\"/<x\") panicked with %v", v)
	}
	// A rule without its leading slash still goes under the prefix, as
	// Flask joins prefix and rule with a '/' ("/admin" + "bad" is
	// "/admin/bad"); refusing it would do too, "/adminbad" would not.
	if r, err := bp.AddRoute("bad", text("bad")); err == nil && r.Rule() != "/admin/bad" {
		t.Errorf("Blueprint(\"/admin\").AddRoute(\"bad\") registered %q, want \"/admin/bad\" (Flask) or an error", r.Rule())
	}
	if r, err := bp.AddRoute("", text("empty")); err != nil || r.Rule() != "/admin" {
		t.Errorf("Blueprint(\"/admin\").AddRoute(\"\") = %v, %v; want rule \"/admin\" as in Flask", r, err)
	}
}

func TestBeforeRequest(t *testing.T) {
	t.Run("abort 401", func(t *testing.T) {
		app, _ := newTestApp()
		ran := 0
		app.BeforeRequest(func(c *flasky.Ctx) error {
			if c.GetHeader("Authorization") == "" {
				return flasky.Abort(401)
			}
			c.Set("user", "alice")
			return nil
		})
		app.Route("/secret", func(c *flasky.Ctx) error { ran++; return c.String("hello " + c.Get("user").(string)) })
		w := get(app, "/secret")
		if w.Code != 401 || w.Body.String() != unauthorizedPage || ran != 0 {
			t.Errorf("no credentials: %d %q, handler ran %d times; want 401 page and no handler", w.Code, w.Body.String(), ran)
		}
		w = serve(app, "GET", "/secret", nil, "Authorization", "Bearer x")
		if w.Code != 200 || w.Body.String() != "hello alice" || ran != 1 {
			t.Errorf("with credentials: %d %q", w.Code, w.Body.String())
		}
		// Hooks do not run for unmatched paths in flasky: routing fails first.
		if w := get(app, "/nope"); w.Code != 404 {
			t.Errorf("GET /nope = %d, want 404", w.Code)
		}
	})
	t.Run("writes a response", func(t *testing.T) {
		app, _ := newTestApp()
		ran, second := 0, 0
		app.BeforeRequest(func(c *flasky.Ctx) error {
			if c.Args.Has("maintenance") {
				return c.Status(503).String("down for maintenance")
			}
			return nil
		})
		app.BeforeRequest(func(c *flasky.Ctx) error { second++; return nil })
		app.Route("/", func(c *flasky.Ctx) error { ran++; return c.String("home") })
		w := get(app, "/?maintenance")
		if w.Code != 503 || w.Body.String() != "down for maintenance" || ran != 0 || second != 0 {
			t.Errorf("hook response: %d %q, handler ran %d, second hook ran %d; want 503 and neither ran", w.Code, w.Body.String(), ran, second)
		}
		w = get(app, "/")
		if w.Code != 200 || w.Body.String() != "home" || ran != 1 || second != 1 {
			t.Errorf("normal request: %d %q, handler ran %d, second hook %d", w.Code, w.Body.String(), ran, second)
		}
	})
	t.Run("plain error", func(t *testing.T) {
		app, _ := newTestApp()
		app.BeforeRequest(func(c *flasky.Ctx) error { return errors.New("db down") })
		app.Route("/", text("home"))
		if w := get(app, "/"); w.Code != 500 || w.Body.String() != internalErrorPage {
			t.Errorf("hook error: %d %q, want the 500 page", w.Code, w.Body.String())
		}
	})
}

func TestAfterRequest(t *testing.T) {
	app, _ := newTestApp()
	calls := 0
	app.AfterRequest(func(c *flasky.Ctx) {
		calls++
		c.SetHeader("X-After", "yes")
	})
	app.AfterRequest(func(c *flasky.Ctx) {
		// Flask runs after_request functions newest first.
		c.SetHeader("X-Order", c.Writer.Header().Get("X-Order")+"second-registered;")
	})
	app.AfterRequest(func(c *flasky.Ctx) {
		c.SetHeader("X-Order", c.Writer.Header().Get("X-Order")+"third-registered;")
	})
	app.Route("/ok", text("ok"))
	app.Route("/created", func(c *flasky.Ctx) error { return c.Status(201).JSON(map[string]int{"id": 1}) })
	app.Route("/nothing", func(c *flasky.Ctx) error { return nil })
	app.Route("/forbidden", func(c *flasky.Ctx) error { return flasky.Abort(403) })
	app.Route("/error", func(c *flasky.Ctx) error { return errors.New("boom") })
	app.Route("/panic", func(c *flasky.Ctx) error { panic("boom") })
	app.Route("/post", text("p"), "POST")
	app.Route("/slash/", text("s"))
	app.Route("/nocontent", func(c *flasky.Ctx) error { return c.NoContent() })
	app.Route("/redirect", func(c *flasky.Ctx) error { return c.Redirect("/ok") })
	tests := []struct {
		method, path string
		code         int
	}{
		{"GET", "/ok", 200},
		{"HEAD", "/ok", 200},
		{"GET", "/created", 201},
		{"GET", "/nothing", 200},
		{"GET", "/forbidden", 403},
		{"GET", "/error", 500},
		{"GET", "/panic", 500},
		{"GET", "/missing", 404},
		{"GET", "/post", 405},
		{"OPTIONS", "/ok", 200},
		{"GET", "/slash", 308},
		{"GET", "/nocontent", 204},
		{"GET", "/redirect", 302},
	}
	for _, tt := range tests {
		calls = 0
		w := serve(app, tt.method, tt.path, nil)
		if w.Code != tt.code {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, w.Code, tt.code)
		}
		if w.Header().Get("X-After") != "yes" || calls != 1 {
			t.Errorf("%s %s: after hook ran %d times (X-After %q), want once", tt.method, tt.path, calls, w.Header().Get("X-After"))
		}
		if got := w.Header().Get("X-Order"); got != "third-registered;second-registered;" {
			t.Errorf("%s %s: after hooks ran in order %q, want newest first", tt.method, tt.path, got)
		}
	}
}

func TestUseMiddleware(t *testing.T) {
	app, _ := newTestApp()
	var order []string
	var statuses []int
	mw := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name+">")
				w.Header().Set("X-"+name, "1")
				rec := &statusRecorder{ResponseWriter: w}
				next.ServeHTTP(rec, r)
				statuses = append(statuses, rec.status)
				order = append(order, "<"+name)
			})
		}
	}
	app.Route("/", func(c *flasky.Ctx) error { order = append(order, "handler"); return c.String("home") })
	app.Use(mw("Outer"))
	app.Use(mw("Inner"))
	tests := []struct {
		path string
		code int
	}{
		{"/", 200},
		{"/missing", 404},
	}
	for _, tt := range tests {
		order, statuses = nil, nil
		w := get(app, tt.path)
		if w.Code != tt.code {
			t.Errorf("GET %s = %d, want %d", tt.path, w.Code, tt.code)
		}
		if w.Header().Get("X-Outer") != "1" || w.Header().Get("X-Inner") != "1" {
			t.Errorf("GET %s: middleware headers missing: %v", tt.path, w.Header())
		}
		want := []string{"Outer>", "Inner>", "<Inner", "<Outer"}
		if tt.code == 200 {
			want = []string{"Outer>", "Inner>", "handler", "<Inner", "<Outer"}
		}
		if !slices.Equal(order, want) {
			t.Errorf("GET %s: ran %q, want %q", tt.path, order, want)
		}
		if !slices.Equal(statuses, []int{tt.code, tt.code}) {
			t.Errorf("GET %s: middleware saw statuses %v, want %d twice", tt.path, statuses, tt.code)
		}
	}
	// Middleware that answers by itself stops the request.
	app2, _ := newTestApp()
	app2.Route("/", text("home"))
	app2.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Block") != "" {
				http.Error(w, "blocked", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	if w := serve(app2, "GET", "/", nil, "X-Block", "1"); w.Code != 403 {
		t.Errorf("blocking middleware: %d", w.Code)
	}
	if w := get(app2, "/"); w.Code != 200 || w.Body.String() != "home" {
		t.Errorf("passing middleware: %d %q", w.Code, w.Body.String())
	}
	// A panic in middleware is a 500 page, not a crash.
	app3, logs := newTestApp()
	app3.Route("/", text("home"))
	app3.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("mw boom") })
	})
	if w := get(app3, "/"); w.Code != 500 || w.Body.String() != internalErrorPage {
		t.Errorf("panicking middleware: %d %q", w.Code, w.Body.String())
	}
	if !strings.Contains(logs.String(), "mw boom") {
		t.Errorf("panicking middleware not logged: %q", logs.String())
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.ResponseWriter.Write(b)
}

func TestMount(t *testing.T) {
	app, _ := newTestApp()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.Path, r.URL.RawQuery)
	})
	app.Mount("/api", h)
	app.Mount("/static/", http.StripPrefix("", h))
	app.Route("/api/users", text("app route"))
	app.Route("/apix", text("apix"))
	tests := []struct {
		method, path string
		code         int
		body         string
	}{
		{"GET", "/api", 200, "GET / "},
		{"GET", "/api/", 200, "GET / "},
		{"GET", "/api/x", 200, "GET /x "},
		{"GET", "/api/x/y/z?a=1&b=2", 200, "GET /x/y/z a=1&b=2"},
		{"POST", "/api/x", 200, "POST /x "},
		{"PUT", "/api", 200, "PUT / "},
		{"DELETE", "/api/x", 200, "DELETE /x "},
		{"PATCH", "/api/x", 200, "PATCH /x "},
		{"OPTIONS", "/api/x", 200, "OPTIONS /x "},
		{"PROPFIND", "/api/x", 200, "PROPFIND /x "},
		// A mounted handler writes its body for HEAD as any net/http
		// handler does; the server drops it on the wire (TestHEADWithWriter),
		// the recorder keeps it.
		{"HEAD", "/api/x", 200, "HEAD /x "},
		{"GET", "/api/a%20b", 200, "GET /a b "},
		{"GET", "/static/css/site.css", 200, "GET /css/site.css "},
		{"GET", "/static", 200, "GET / "},
		{"GET", "/api/users", 200, "app route"},
		{"GET", "/apix", 200, "apix"},
		{"GET", "/apiy", 404, notFoundPage},
	}
	for _, tt := range tests {
		w := serve(app, tt.method, tt.path, nil)
		if w.Code != tt.code || w.Body.String() != tt.body {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, w.Code, w.Body.String(), tt.code, tt.body)
		}
	}
}

func TestRoutes(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/user/<int:id>", showUser)
	app.Route("/user/<int:id>", showUser, "POST", "DELETE")
	app.Route("/", func(c *flasky.Ctx) error { return nil }).SetEndpoint("index")
	app.Route("/x", listPage)
	app.Route("/x/<int:page>", listPage)
	bp := app.Blueprint("admin", "/admin")
	bp.Route("/", adminIndex)
	app.Mount("/api", http.NotFoundHandler())
	want := []flasky.RouteInfo{
		{Endpoint: "admin.adminIndex", Methods: []string{"GET"}, Rule: "/admin/"},
		{Endpoint: "index", Methods: []string{"GET"}, Rule: "/"},
		{Endpoint: "listPage", Methods: []string{"GET"}, Rule: "/x"},
		{Endpoint: "listPage", Methods: []string{"GET"}, Rule: "/x/<int:page>"},
		{Endpoint: "mount:/api", Methods: []string{"*"}, Rule: "/api"},
		{Endpoint: "mount:/api", Methods: []string{"*"}, Rule: "/api/<path:rest>"},
		{Endpoint: "showUser", Methods: []string{"GET"}, Rule: "/user/<int:id>"},
		{Endpoint: "showUser", Methods: []string{"DELETE", "POST"}, Rule: "/user/<int:id>"},
	}
	got := app.Routes()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Routes() =\n%v\nwant\n%v", got, want)
	}
	var buf strings.Builder
	app.PrintRoutes(&buf)
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(want)+2 || !strings.HasPrefix(lines[0], "Endpoint") || !strings.HasPrefix(lines[1], "--------") {
		t.Errorf("PrintRoutes:\n%s", out)
	}
	for i, ri := range want {
		if i+2 >= len(lines) {
			break
		}
		f := lines[i+2]
		if !strings.HasPrefix(f, ri.Endpoint+" ") || !strings.HasSuffix(f, " "+ri.Rule) || !strings.Contains(f, strings.Join(ri.Methods, ", ")) {
			t.Errorf("PrintRoutes line %d = %q, want %v", i+2, f, ri)
		}
	}
}

// TestHEADWithWriter: a handler that writes through c.Writer (as the
// package doc invites for anything the helpers do not cover) must also
// answer HEAD with the GET's headers ("GET routes answer HEAD with the
// same headers and no body").
func TestHEADWithWriter(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/writer", func(c *flasky.Ctx) error {
		_, err := fmt.Fprint(c.Writer, "hello from the writer")
		return err
	})
	app.Route("/typed", func(c *flasky.Ctx) error {
		c.Writer.Header().Set("Content-Type", "text/csv")
		_, err := io.WriteString(c.Writer, "a,b\n1,2\n")
		return err
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, p := range []string{"/writer", "/typed"} {
		g, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, g.Body)
		g.Body.Close()
		h, err := http.Head(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		h.Body.Close()
		g.Header.Del("Date")
		h.Header.Del("Date")
		if !reflect.DeepEqual(g.Header, h.Header) {
			t.Errorf("HEAD %s: headers %v, GET gave %v", p, h.Header, g.Header)
		}
	}
}

func TestMergeSlashes(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/a/b", text("ab"))
	app.Route("/<x>/", text("x"))
	tests := []struct {
		path     string
		code     int
		location string
	}{
		{"/a//b", 308, "/a/b"},
		{"//a///b?q=1", 308, "/a/b?q=1"},
		{"/a/b", 200, ""},
		{"//evil.example", 308, "/evil.example/"},
		{"/a//c", 404, ""},
	}
	for _, tt := range tests {
		w := get(app, tt.path)
		if w.Code != tt.code || w.Header().Get("Location") != tt.location {
			t.Errorf("GET %s = %d Location %q, want %d %q", tt.path, w.Code, w.Header().Get("Location"), tt.code, tt.location)
		}
	}
}
