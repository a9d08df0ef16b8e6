package flasky_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

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
		t.Run(tt.name, func(t *testing.T) {
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
		})
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
		t.Run(tt.path, func(t *testing.T) {
			for _, order := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
				app, _ := newTestApp()
				app.Route(order[0], text(order[0]))
				app.Route(order[1], text(order[1]))
				if w := get(app, tt.path); w.Body.String() != order[0] {
					t.Errorf("rules %q then %q: GET %s answered by %q, want the first one", order[0], order[1], tt.path, w.Body.String())
				}
			}
		})
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
		{"/<slug>.json", "/<name>.json", nil, nil, "/x.json", nil},
		{"/v<int:a>.<int:b>", "/v<int:c>.<int:d>", nil, nil, "/v1.1", nil},
		{"/<path:a>/edit", "/<path:b>/edit", nil, nil, "/a/b/edit", nil},
		{"/User:<n>", "/User:<m>", nil, nil, "/User:x", nil},
		{"/f/<name>.<any(png,jpg):e>", "/f/<n>.<any(png,jpg):x>", nil, nil, "/f/x.png", nil},
		{"/x", "/x", []string{"GET", "HEAD"}, []string{"GET"}, "/x", []string{"GET, HEAD"}},
		{"/o", "/o", []string{"OPTIONS", "GET"}, []string{"OPTIONS"}, "/o", []string{"OPTIONS"}},
	}
	for _, tt := range tests {
		t.Run(tt.first+" then "+tt.second, func(t *testing.T) {
			app, _ := newTestApp()
			if _, err := app.AddRoute(tt.first, text("1"), tt.m1...); err != nil {
				t.Fatalf("AddRoute(%q): %v", tt.first, err)
			}
			r, err := app.AddRoute(tt.second, text("2"), tt.m2...)
			if err == nil {
				t.Errorf("AddRoute(%q) after %q: no error (route %v)", tt.second, tt.first, r)
				return
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
				return
			}
			if !strings.HasPrefix(perr.Error(), "flasky:") || !strings.Contains(perr.Error(), tt.second) {
				t.Errorf("Route(%q) panic %q: want a message starting with \"flasky:\" naming the rule", tt.second, perr)
			}
		})
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
		t.Run(method, func(t *testing.T) {
			w := serve(app, method, "/items/3", nil)
			if w.Code != 200 || w.Body.String() != want {
				t.Errorf("%s /items/3 = %d %q, want 200 %q", method, w.Code, w.Body.String(), want)
			}
		})
	}
	if w := serve(app, "PATCH", "/items/3", nil); w.Code != 405 || w.Header().Get("Allow") != "DELETE, GET, HEAD, OPTIONS, POST, PUT" {
		t.Errorf("PATCH /items/3 = %d Allow %q, want 405 with every method", w.Code, w.Header().Get("Allow"))
	}
	// Overlapping in one method only is refused.
	if _, err := app.AddRoute("/items/<int:id>", text("x"), "PATCH", "GET"); err == nil {
		t.Errorf("a third rule sharing GET was accepted")
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
		t.Run(tt.path, func(t *testing.T) {
			w := get(app, tt.path)
			if w.Code != 200 || w.Body.String() != tt.body {
				t.Errorf("GET %s = %d %q, want 200 %q", tt.path, w.Code, w.Body.String(), tt.body)
			}
		})
	}
}

// TestAmbiguousHeadAndOptions checks the rules that differ only in
// listing HEAD or OPTIONS: a method both handle themselves is ambiguous,
// an automatic answer gives way to a handler.
func TestAmbiguousHeadAndOptions(t *testing.T) {
	tests := []struct {
		name      string
		m1, m2    []string
		ambiguous bool
	}{
		{"HEAD twice", []string{"HEAD"}, []string{"HEAD"}, true},
		{"GET answers HEAD", []string{"GET"}, []string{"HEAD"}, true},
		{"OPTIONS twice", []string{"OPTIONS"}, []string{"OPTIONS"}, true},
		{"GET and an OPTIONS handler", []string{"GET"}, []string{"OPTIONS"}, false},
		{"POST and GET", []string{"POST"}, []string{"GET"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, _ := newTestApp()
			app.Route("/r/<x>.json", text("1"), tt.m1...)
			_, err := app.AddRoute("/r/<y>.json", text("2"), tt.m2...)
			if got := err != nil; got != tt.ambiguous {
				t.Errorf("methods %v then %v: error %v, want ambiguous=%v", tt.m1, tt.m2, err, tt.ambiguous)
			}
		})
	}
}

// TestNotAmbiguousShapes checks that rules matching different paths are
// both accepted.
func TestNotAmbiguousShapes(t *testing.T) {
	for _, pair := range [][2]string{
		{"/<a>.json", "/<int:a>.json"},
		{"/<a>-<b>", "/<a>.<b>"},
		{"/<a>", "/<a>.json"},
		{"/<path:p>/edit", "/<path:p>"},
		{"/a:b", "/a<b>"},
		{"/<int:a>", "/<int(min=1):a>"},
	} {
		t.Run(pair[0]+" "+pair[1], func(t *testing.T) {
			app, _ := newTestApp()
			app.Route(pair[0], text("1"))
			if _, err := app.AddRoute(pair[1], text("2")); err != nil {
				t.Errorf("AddRoute(%q) after %q: %v", pair[1], pair[0], err)
			}
		})
	}
}
