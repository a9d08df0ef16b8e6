package flasky_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

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
		{"f", flasky.M{"x": 1}, []string{"x"}},
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
