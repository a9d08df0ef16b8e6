package flasky_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/flasky-go/flasky"
)

type shopViews struct{}

func (*shopViews) Index(c *flasky.Ctx) error { return c.String("shop") }

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
	app.Route("/n/<path:p>/<path:q>", text("")).SetEndpoint("twopath")
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
		{"s", flasky.M{"name": "x", "q": "&=?#"}, "/s/x?q=%26%3D?%23"},
		{"s", flasky.M{"name": "x", "z": 1, "y": 2, "a": 3}, "/s/x?a=3&y=2&z=1"},
		{"root", flasky.M{"next": "/s/x"}, "/?next=/s/x"},
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
		// [^/].*? takes a line break first, as Werkzeug builds it.
		{"p", flasky.M{"rest": "\nx/y"}, "/p/%0Ax/y"},
		{"twopath", flasky.M{"p": "a/b", "q": "\nc"}, "/n/a/b/%0Ac"},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint+" "+paramsName(tt.params), func(t *testing.T) {
			got, err := app.URLFor(tt.endpoint, tt.params)
			if err != nil || got != tt.want {
				t.Errorf("URLFor(%q, %v) = %q, %v; want %q", tt.endpoint, tt.params, got, err, tt.want)
				return
			}
			// Every built URL leads back to a route.
			if w := get(app, got); w.Code != 200 {
				t.Errorf("GET %s (built for %q) = %d, want 200", got, tt.endpoint, w.Code)
			}
		})
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
		{"f", flasky.M{"x": "abc"}, []string{"abc"}}, // Werkzeug: float("abc") raises
		{"f", flasky.M{"x": "0x1p3"}, []string{"0x1p3"}},
		{"i", flasky.M{"id": "1.5"}, []string{"1.5"}},
		{"i", flasky.M{"id": "99999999999999999999"}, []string{"99999999999999999999"}}, // beyond int64: no rule matches it (README)
		{"any", flasky.M{"c": "green"}, []string{"green"}},
		{"Index", nil, []string{"Index", "/users", "/shop"}},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint+" "+paramsName(tt.params), func(t *testing.T) {
			u, err := app.URLFor(tt.endpoint, tt.params)
			if err == nil {
				t.Errorf("URLFor(%q, %v) = %q, want an error", tt.endpoint, tt.params, u)
				return
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
		})
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
		t.Run(strings.Join(order, " then "), func(t *testing.T) {
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
				t.Run(paramsName(tt.params), func(t *testing.T) {
					if got, err := app.URLFor("listPage", tt.params); err != nil || got != tt.want {
						t.Errorf("rules %q: URLFor(listPage, %v) = %q, %v; want %q (as Flask's url_for)", order, tt.params, got, err, tt.want)
					}
				})
			}
			if w := get(app, "/x/2"); w.Body.String() != "page 2" {
				t.Errorf("GET /x/2 = %q", w.Body.String())
			}
		})
	}
}

// paramsName writes params as a subtest name: "k=v" pairs in key order,
// strings quoted, other types than int named; "nil" or "empty" when
// there are none.
func paramsName(params flasky.M) string {
	if params == nil {
		return "nil"
	}
	if len(params) == 0 {
		return "empty"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(params)) {
		switch v := params[k].(type) {
		case string:
			parts = append(parts, fmt.Sprintf("%s=%q", k, v))
		case int:
			parts = append(parts, fmt.Sprintf("%s=%d", k, v))
		default:
			parts = append(parts, fmt.Sprintf("%s=%v:%T", k, v, v))
		}
	}
	return strings.Join(parts, " ")
}

// TestURLForValues: values are written as Werkzeug writes them (Python's
// str), checked against Flask 3.1's url_for.
func TestURLForValues(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/s/<name>", text("")).SetEndpoint("s")
	app.Route("/i/<int:id>", text("")).SetEndpoint("i")
	app.Route("/f/<float:x>", text("")).SetEndpoint("f")
	type id int
	tests := []struct {
		name     string
		endpoint string
		params   flasky.M
		want     string
	}{
		{"ints", "s", flasky.M{"name": "x", "v": []int{1, 2}}, "/s/x?v=1&v=2"},
		{"strings", "s", flasky.M{"name": "x", "v": []string{"a b", "c"}}, "/s/x?v=a+b&v=c"},
		{"mixed", "s", flasky.M{"name": "x", "d": []any{1.5, "a b"}}, "/s/x?d=1.5&d=a+b"},
		{"nil in a list", "s", flasky.M{"name": "x", "v": []any{nil, 1}}, "/s/x?v=1"},
		{"empty list", "s", flasky.M{"name": "x", "e": []int{}}, "/s/x"},
		{"nil", "s", flasky.M{"name": "x", "v": nil}, "/s/x"},
		{"floats", "s", flasky.M{"name": "x", "v": 1.0}, "/s/x?v=1.0"},
		{"bools", "s", flasky.M{"name": "x", "b": true, "c": false}, "/s/x?b=True&c=False"},
		{"python floats", "s", flasky.M{"name": "x", "f": []float64{1e16, 1e15, 0.0001, 1e-5, 1.5e-7, 123456789.125}},
			"/s/x?f=1e%2B16&f=1000000000000000.0&f=0.0001&f=1e-05&f=1.5e-07&f=123456789.125"},
		{"bytes", "s", flasky.M{"name": "x", "v": []byte("by")}, "/s/x?v=by"},
		{"werkzeug safe", "s", flasky.M{"name": "x", "q": "&=?#/ :@!$'()*,+~é"}, "/s/x?q=%26%3D?%23/+:@!$'()*,%2B~%C3%A9"},
		{"float path", "s", flasky.M{"name": 1.0}, "/s/1.0"},
		{"bool path", "s", flasky.M{"name": true}, "/s/True"},
		{"bool int", "i", flasky.M{"id": true}, "/i/1"},
		{"named int", "i", flasky.M{"id": id(7)}, "/i/7"},
		// Werkzeug's FloatConverter writes str(float(value)).
		{"int float", "f", flasky.M{"x": 37}, "/f/37.0"},
		{"uint float", "f", flasky.M{"x": uint8(5)}, "/f/5.0"},
		{"named int float", "f", flasky.M{"x": id(7)}, "/f/7.0"},
		{"bool float", "f", flasky.M{"x": true}, "/f/1.0"},
		// And str(int("03")), str(float("1")) for text.
		{"text int", "i", flasky.M{"id": "03"}, "/i/3"},
		{"signed text int", "i", flasky.M{"id": "+7"}, "/i/7"},
		{"text float", "f", flasky.M{"x": "1"}, "/f/1.0"},
		{"text float zeros", "f", flasky.M{"x": "01.50"}, "/f/1.5"},
		{"text float exponent", "f", flasky.M{"x": "1e3"}, "/f/1000.0"},
		{"pointer", "s", flasky.M{"name": "x", "p": new(int)}, "/s/x?p=0"},
		{"nil pointer", "s", flasky.M{"name": "x", "p": (*int)(nil)}, "/s/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := app.URLFor(tt.endpoint, tt.params)
			if err != nil || got != tt.want {
				t.Errorf("URLFor(%q, %v) = %q, %v; want %q (Flask's url_for)", tt.endpoint, tt.params, got, err, tt.want)
			}
		})
	}
}

// TestURLForOptions: _external, _scheme, _anchor and _method, with
// Flask's answers for the same rules.
func TestURLForOptions(t *testing.T) {
	newApp := func() *flasky.App {
		app, _ := newTestApp()
		app.Route("/s/<name>", text("")).SetEndpoint("s")
		app.Route("/m", listPage).SetEndpoint("m")
		app.Route("/m2", listPage, "POST").SetEndpoint("m")
		return app
	}
	t.Run("in a request", func(t *testing.T) {
		tests := []struct {
			params flasky.M
			want   string
		}{
			{flasky.M{"name": "x", "_external": true}, "http://example.com:8080/s/x"},
			{flasky.M{"name": "x", "_external": false}, "/s/x"},
			{flasky.M{"name": "x", "_scheme": "https", "_external": true}, "https://example.com:8080/s/x"},
			{flasky.M{"name": "x", "_scheme": "https"}, "https://example.com:8080/s/x"},
			{flasky.M{"name": "x", "_anchor": "a b#c/?d&é%"}, "/s/x#a%20b#c/?d&%C3%A9%"},
			{flasky.M{"name": "x", "_anchor": "a=b!$'()*+,;:@~-._"}, "/s/x#a=b!$'()*+,;:@~-._"},
			{flasky.M{"name": "x", "_anchor": ""}, "/s/x#"},
			{flasky.M{"name": "x", "q": 1, "_anchor": "top", "_external": true}, "http://example.com:8080/s/x?q=1#top"},
		}
		for _, tt := range tests {
			t.Run(paramsName(tt.params), func(t *testing.T) {
				app := newApp()
				app.Route("/here", func(c *flasky.Ctx) error {
					u, err := c.URLFor("s", tt.params)
					if err != nil {
						return err
					}
					return c.String(u)
				})
				req := httptest.NewRequest("GET", "http://example.com:8080/here", nil)
				w := httptest.NewRecorder()
				app.ServeHTTP(w, req)
				if w.Body.String() != tt.want {
					t.Errorf("Ctx.URLFor(s, %v) = %q; want %q", tt.params, w.Body.String(), tt.want)
				}
			})
		}
	})
	t.Run("method", func(t *testing.T) {
		app := newApp()
		for _, tt := range []struct {
			params flasky.M
			want   string
		}{
			{flasky.M{"_method": "POST"}, "/m2"},
			{flasky.M{"_method": "post"}, "/m2"},
			{flasky.M{"_method": "GET"}, "/m"},
			{nil, "/m"},
		} {
			if got, err := app.URLFor("m", tt.params); err != nil || got != tt.want {
				t.Errorf("URLFor(m, %v) = %q, %v; want %q", tt.params, got, err, tt.want)
			}
		}
	})
	t.Run("server name", func(t *testing.T) {
		app := newApp()
		if _, err := app.URLFor("s", flasky.M{"name": "x", "_external": true}); err == nil || !strings.Contains(err.Error(), "ServerName") {
			t.Errorf("external URL without a request or ServerName: error %v, want one naming Config.ServerName", err)
		}
		app.Config.ServerName = "example.org"
		app.Config.ApplicationRoot = "/app/"
		for _, tt := range []struct {
			params flasky.M
			want   string
		}{
			{flasky.M{"name": "x", "_external": true}, "http://example.org/app/s/x"},
			{flasky.M{"name": "x", "_scheme": "https"}, "https://example.org/app/s/x"},
			{flasky.M{"name": "x"}, "/app/s/x"},
		} {
			if got, err := app.URLFor("s", tt.params); err != nil || got != tt.want {
				t.Errorf("URLFor(s, %v) = %q, %v; want %q", tt.params, got, err, tt.want)
			}
		}
		app.Config.PreferredURLScheme = "https"
		if got, _ := app.URLFor("s", flasky.M{"name": "x", "_external": true}); got != "https://example.org/app/s/x" {
			t.Errorf("with PreferredURLScheme https: %q", got)
		}
	})
	t.Run("errors", func(t *testing.T) {
		app := newApp()
		for _, tt := range []struct {
			params  flasky.M
			mention string
		}{
			{flasky.M{"name": "x", "_foo": 1}, `"_foo"`},
			{flasky.M{"name": "x", "_external": "yes"}, "_external"},
			{flasky.M{"name": "x", "_scheme": "ht tp"}, "ht tp"},
			{flasky.M{"name": "x", "_scheme": "https", "_external": false}, "_external"},
			{flasky.M{"name": "x", "_method": "FETCH"}, "FETCH"},
			{flasky.M{"name": "x", "_method": "POST"}, "POST"},
			{flasky.M{"name": nil}, "nil"},
			{flasky.M{"name": []int{1, 2}}, "list"},
			{flasky.M{"name": "x", "v": map[string]int{}}, `"v"`},
			{flasky.M{"name": "x", "v": struct{}{}}, "struct"},
		} {
			t.Run(paramsName(tt.params), func(t *testing.T) {
				u, err := app.URLFor("s", tt.params)
				if err == nil || !strings.Contains(err.Error(), tt.mention) || !strings.Contains(err.Error(), `"s"`) {
					t.Errorf("URLFor(s, %v) = %q, %v; want an error naming the endpoint and %s", tt.params, u, err, tt.mention)
				}
			})
		}
	})
}

// TestURLForSuggests: an unknown endpoint's error names the closest one.
func TestURLForSuggests(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/", text("")).SetEndpoint("index")
	bp := app.Blueprint("blog", "/blog")
	bp.Route("/", text("")).SetEndpoint("index")
	bp.Route("/post/<int:id>", text("")).SetEndpoint("show_post")
	app.Route("/login", text("")).SetEndpoint("login")
	for _, tt := range []struct{ asked, want string }{
		{"blog.indx", "blog.index"},
		{"show_post", "blog.show_post"},
		{"blog.show_psot", "blog.show_post"},
		{"logn", "login"},
		{"admin.login", "login"},
		{"indexx", "index"},
	} {
		t.Run(tt.asked, func(t *testing.T) {
			_, err := app.URLFor(tt.asked, nil)
			want := fmt.Sprintf("did you mean %q?", tt.want)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("URLFor(%q): error %v, want it to say %s", tt.asked, err, want)
			}
		})
	}
	if _, err := app.URLFor("something_else_entirely", nil); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("far name: error %v, want no suggestion", err)
	}
}

// TestURLForTemplate: url_for in a template builds for the request: its
// prefix, and its host for _external.
func TestURLForTemplate(t *testing.T) {
	files := fstest.MapFS{
		"templates/p.html": {Data: []byte(`{{url_for "p" "_external" true "_anchor" "x"}} {{url_for "p" "v" .v}} {{static "a.css"}}`)},
		"static/a.css":     {Data: []byte("a{}")},
	}
	inner := flasky.New(flasky.WithFS(files))
	inner.Logger = discardLogger()
	inner.Route("/p", func(c *flasky.Ctx) error { return c.Render("p.html", flasky.M{"v": []int{1, 2}}) }).SetEndpoint("p")
	outer, _ := newTestApp()
	outer.Mount("/m", inner)
	for _, tt := range []struct {
		h          http.Handler
		path, want string
	}{
		{inner, "http://example.com/p", "http://example.com/p#x /p?v=1&amp;v=2 /static/a.css"},
		{outer, "http://example.com/m/p", "http://example.com/m/p#x /m/p?v=1&amp;v=2 /m/static/a.css"},
	} {
		w := get(tt.h, tt.path)
		if got := strings.TrimSpace(w.Body.String()); w.Code != 200 || got != tt.want {
			t.Errorf("GET %s = %d %q; want %q", tt.path, w.Code, got, tt.want)
		}
	}
}

func TestURLBuildErrorHandler(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/user/<int:id>", text("user")).SetEndpoint("user")
	app.URLDefaults(func(_ *flasky.Ctx, endpoint string, values flasky.M) {
		if endpoint == "user" {
			if _, ok := values["lang"]; !ok {
				values["lang"] = "en"
			}
		}
	})
	var calls []string
	var got flasky.M
	app.URLBuildErrorHandler(func(err error, endpoint string, values flasky.M) (string, error) {
		calls = append(calls, "pass "+endpoint)
		return "", nil // leaves it to the next
	})
	app.URLBuildErrorHandler(func(err error, endpoint string, values flasky.M) (string, error) {
		calls = append(calls, "replace "+endpoint)
		return "", fmt.Errorf("replaced: %w", err)
	})
	app.URLBuildErrorHandler(func(err error, endpoint string, values flasky.M) (string, error) {
		calls = append(calls, "answer "+endpoint)
		got = values
		if endpoint == "user" {
			return "/fallback", nil
		}
		return "", nil
	})

	u, err := app.URLFor("user", flasky.M{"id": "x", "_anchor": "top", "_method": "get"})
	if err != nil || u != "/fallback" {
		t.Fatalf("URLFor(user, id=x) = %q, %v; want /fallback", u, err)
	}
	want := flasky.M{"id": "x", "lang": "en", "_external": false, "_anchor": "top", "_method": "GET", "_scheme": nil}
	if !maps.Equal(got, want) {
		t.Errorf("the handler's values = %v, want %v", got, want)
	}
	if want := []string{"pass user", "replace user", "answer user"}; !slices.Equal(calls, want) {
		t.Errorf("handlers called: %q, want %q", calls, want)
	}

	// No handler answers: the last error, which a handler replaced.
	_, err = app.URLFor("nope", nil)
	if err == nil || !strings.HasPrefix(err.Error(), "replaced: ") || !strings.Contains(err.Error(), `no endpoint "nope"`) {
		t.Errorf(`URLFor("nope") error = %v, want the replaced "no endpoint" error`, err)
	}
	// An option error is no build failure: no handler sees it.
	calls = nil
	if _, err := app.URLFor("user", flasky.M{"id": 1, "_bogus": 1}); err == nil || len(calls) != 0 {
		t.Errorf("URLFor with an unknown option = %v, handlers %q; want an error, no handler", err, calls)
	}
	// Templates' url_for goes through them too.
	app.Route("/page", func(c *flasky.Ctx) error { return c.RenderString(`{{url_for "user" "id" "x"}}`, nil) })
	if body := app.TestClient(t).Get("/page").Text(); body != "/fallback" {
		t.Errorf("{{url_for \"user\" \"id\" \"x\"}} = %q, want /fallback", body)
	}
}
